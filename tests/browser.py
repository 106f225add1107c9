"""Open a local HTML file in headless Chromium, offline, and record what happened.

Every request that is not the file itself is aborted and listed in
``page.blocked``; ``page.console`` holds (type, text) console messages,
``page.errors`` uncaught page errors and ``page.dialogs`` any
alert/confirm/prompt (dismissed). A hook installed before the page's own
scripts also records calls to ``alert``/``confirm``/``prompt`` in
``window.__dialogCalls``. Reused by the map and report tests.

    with open_local(path) as page:
        page.wait_for_function("window.alliancesReady === true")
        assert page.blocked == [] and page.dialogs == []
"""

from __future__ import annotations

import contextlib

from alliances.render.browser import open_page

CHROMIUM = "/usr/bin/chromium"

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
