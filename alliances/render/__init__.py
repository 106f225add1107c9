"""Rendering: self-contained HTML maps (:mod:`alliances.render.map`), the
positions they use when a graph is too large for in-browser physics
(:mod:`alliances.render.layout`), and offline headless-Chromium pages for
snapshots and tests (:mod:`alliances.render.browser`)."""
