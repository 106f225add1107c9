"""Rendering: self-contained HTML maps (:mod:`alliances.render.map`) and the
positions they use when a graph is too large for in-browser physics
(:mod:`alliances.render.layout`)."""
