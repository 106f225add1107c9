"""Open a local HTML file in headless Chromium, offline, and record what happened.

Every request that is not the file itself is aborted and listed in
``page.blocked``; ``page.console`` holds (type, text) console messages,
``page.errors`` uncaught page errors and ``page.dialogs`` any
alert/confirm/prompt (dismissed). A hook installed before the page's own
scripts also records calls to ``alert``/``confirm``/``prompt`` in
``window.__dialogCalls``. Reused by the map and report tests.

    with open_local(path) as page:
        wait_ready(page)
        assert page.blocked == [] and page.dialogs == []

Wait for a map with :func:`wait_ready`, not with a bare ``wait_for_function``:
Playwright polls that on ``requestAnimationFrame``, and Chromium runs no
animation frames in a cross-origin iframe that is out of view (the report's
sandboxed ``srcdoc`` map below the fold). A waiter that found the map not yet
ready on its first look then never looked again: the report test hung for
120 s whenever the machine was slow enough for the map to stabilise after that
first look (the full suite), and passed alone.
"""

from __future__ import annotations

import contextlib

from alliances.render.browser import open_page

CHROMIUM = "/usr/bin/chromium"
READY = "window.alliancesReady === true"
STATE = """(() => ({ready: window.alliancesReady, stabilized: window.alliancesStabilized,
  readyAt: window.alliancesReadyAt, visibility: document.visibilityState,
  nodes: window.alliancesNodes ? window.alliancesNodes.length : null,
  canvas: !!document.querySelector('canvas')}))()"""

DIALOG_HOOK = """
window.__dialogCalls = [];
for (const name of ['alert', 'confirm', 'prompt']) {
  const orig = window[name];
  window[name] = function (...args) { window.__dialogCalls.push([name, String(args[0])]); };
}
"""


@contextlib.contextmanager
def open_local(path, *, width: int = 1400, height: int = 900):
    """Yield a playwright page showing ``path`` with the network blocked and the dialog hook on."""
    with open_page(path, executable=CHROMIUM, width=width, height=height,
                   before_load=lambda page: page.add_init_script(DIALOG_HOOK)) as page:
        yield page


def console_errors(page) -> list[str]:
    return [text for kind, text in page.console if kind == "error"]


def wait_ready(target, *, timeout: float = 120_000, scroll: bool = True, expr: str = READY) -> None:
    """Wait until the map in ``target`` (a page, or the frame of an iframe) signals it is drawn.

    Polls every 100 ms (timers run in an out-of-view iframe; animation frames
    do not). An iframe is first scrolled into view, as a reader would, unless
    ``scroll=False``. On timeout the error shows the map's state and the
    page's console, so a hang explains itself.
    """
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    page = getattr(target, "page", target)
    element = target.frame_element() if scroll and hasattr(target, "frame_element") and target.parent_frame else None
    if element is not None:
        element.scroll_into_view_if_needed()
    try:
        target.wait_for_function(expr, timeout=timeout, polling=100)
    except PlaywrightTimeout as err:
        state = target.evaluate(STATE)
        raise AssertionError(f"{expr} not true within {timeout / 1000:.0f} s; map state {state}; "
                             f"console {getattr(page, 'console', [])}; errors {getattr(page, 'errors', [])}") from err
