"""Open a local HTML file in headless Chromium with every other request blocked.

Used by ``alliances map --png`` and by the browser tests. Each request that is
not the file itself is aborted and recorded in ``page.blocked``; console
messages, page errors and dialogs (alert/confirm/prompt, dismissed) are
recorded in ``page.console``, ``page.errors`` and ``page.dialogs``.
"""

from __future__ import annotations

import contextlib
from pathlib import Path

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


@contextlib.contextmanager
def open_page(html_path, *, executable: str = "/usr/bin/chromium", width: int = 1400, height: int = 900,
              before_load=None):
    """Yield a playwright page showing ``html_path``, offline; ``before_load(page)`` runs first."""
    from playwright.sync_api import sync_playwright

    url = Path(html_path).resolve().as_uri()
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(viewport={"width": width, "height": height})
            page = context.new_page()
            page.blocked, page.console, page.errors, page.dialogs = [], [], [], []

            def route(r):
                if r.request.url.split("#")[0] == url:
                    r.continue_()
                else:
                    page.blocked.append(r.request.url)
                    r.abort()

            context.route("**/*", route)
            page.on("console", lambda msg: page.console.append((msg.type, msg.text)))
            page.on("pageerror", lambda err: page.errors.append(str(err)))

            def dialog(d):
                page.dialogs.append((d.type, d.message))
                d.dismiss()

            page.on("dialog", dialog)
            if before_load:
                before_load(page)
            page.goto(url)
            yield page
        finally:
            browser.close()


def time_to_drawn(html_path, *, executable: str, timeout_s: float = 600) -> dict:
    """Open a map offline and wait until it is drawn and stable.

    Returns ``draw_seconds`` (from navigation, as the page records it in
    ``window.alliancesReadyAt``), ``drawn_nodes`` and ``drawn_edges`` (what
    vis-network holds), ``blocked_requests`` and ``page_errors``.
    """
    with open_page(html_path, executable=executable) as page:
        page.wait_for_function("window.alliancesReady === true", timeout=timeout_s * 1000)
        return {"draw_seconds": page.evaluate("window.alliancesReadyAt") / 1000,
                "drawn_nodes": page.evaluate("window.alliancesNetwork.body.data.nodes.length"),
                "drawn_edges": page.evaluate("window.alliancesNetwork.body.data.edges.length"),
                "blocked_requests": len(page.blocked), "page_errors": len(page.errors)}
