"""HTML and script injection: hostile text in maps and reports is shown, never run.

Every payload of ``tests/payloads.py::HTML`` is the name, English name,
description and alias of one organisation and the role of its tie; others
are the region, alliance and source names and the map title. Maps
(``alliances map``) and reports (``alliances report``) are opened in headless
Chromium with every request other than the file itself blocked
(``tests/browser.py``). Expected: no dialog and no call to
``alert``/``confirm``/``prompt`` (hooked before the page's scripts), no page
error, no request, each payload literally in the DOM's text, and exactly the
same elements as the same document made from harmless names (so no payload
added a tag).
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from click.testing import CliRunner

from alliances.cli import cli
from tests.browser import open_local, wait_ready
from tests.payloads import HTML
from tests.test_bad_input import _make_corpus_module

pytestmark = pytest.mark.browser

MARK = "№"


def _norm(text: str) -> str:
    return " ".join(text.split())


def _texts(hostile: bool) -> list[str]:
    return list(HTML) if hostile else [f"plain text {i}" for i in range(len(HTML))]


def _dataset(folder, hostile: bool):
    mc = _make_corpus_module()
    texts = _texts(hostile)
    tables = {k: [list(r) for r in rows] for k, rows in mc.BASE.items()}
    ncol, rcol = mc.COL["nodes"], mc.COL["relationships"]
    tables["sources"][1][1] = texts[0]
    tables["nodes"][1][ncol["name"]] = texts[1]  # region zigong
    tables["nodes"][5][ncol["name"]] = texts[2]  # alliance-1
    for i, text in enumerate(texts):
        node = [""] * len(ncol)
        for col, value in (("id", f"h{i}"), ("label", "Organization"), ("name", f"{text} {MARK}{i}"),
                           ("name_en", text), ("kind", "enterprise"), ("region", "zigong" if i % 2 else "chengdu"),
                           ("aliases", text.replace(";", "")), ("description", text), ("date_note", text),
                           ("source", "s1"), ("paragraphs", "1")):
            node[ncol[col]] = value
        tables["nodes"].append(node)
        rel = [""] * len(rcol)
        for col, value in (("start", f"h{i}"), ("type", "MEMBER_OF"), ("end", "alliance-1"), ("role", text),
                           ("source", "s1"), ("paragraphs", "1")):
            rel[rcol[col]] = value
        tables["relationships"].append(rel)
    mc.write_tables(folder, tables)
    return str(folder)


def _element_counts(frame) -> dict:
    return frame.evaluate(
        "(() => { const c = {}; for (const e of document.querySelectorAll('*')) "
        "{ c[e.tagName] = (c[e.tagName] || 0) + 1; } return c; })()")


def _assert_nothing_ran(page):
    assert page.dialogs == []
    assert page.blocked == []
    assert page.errors == []
    for frame in page.frames:
        assert frame.evaluate("window.__dialogCalls || []") == []
        # the report's own charts are inline <svg class="chart"> in a <figure>; any other svg is injected
        assert frame.evaluate("document.querySelectorAll('img, svg:not(figure > svg.chart), object, embed, base, "
                              "form, details, video, math, link[href^=http], meta[http-equiv]').length") == 0
        assert frame.evaluate("document.querySelectorAll('svg.chart img, svg.chart foreignObject, svg.chart script, "
                              "svg.chart a').length") == 0
    assert [t for kind, t in page.console if kind == "error"] == []


@pytest.fixture(scope="module")
def datasets(tmp_path_factory):
    base = tmp_path_factory.mktemp("html")
    return {True: _dataset(base / "hostile", True), False: _dataset(base / "plain", False)}


def test_at_least_30_payloads():
    assert len(HTML) >= 30 and len(set(HTML)) == len(HTML)


def _make_map(tmp_path, data, title, name, *extra):
    out = tmp_path / name
    result = CliRunner().invoke(cli, ["map", "--data", data, "--title", title, "--out", str(out), *extra])
    assert result.exit_code == 0, result.output
    return out


def _map_dom(out):
    with open_local(out) as page:
        wait_ready(page)
        _assert_nothing_ran(page)
        items = []
        for i in range(len(HTML)):  # the list shows at most 30 hits: one search per node
            page.fill("#search", f"{MARK}{i}")
            items.append(page.locator("#search-results li").all_text_contents())
        tips = page.evaluate("alliancesNodes.get().filter(n => n.title && n.title.textContent)"
                             ".map(n => [n.id, n.title.textContent])")
        counts = _element_counts(page)
        heading, title, body = page.inner_text("#heading"), page.title(), page.inner_text("body")
        _assert_nothing_ran(page)  # also after typing into the search box
    return {"items": items, "tips": dict(tips), "counts": counts, "heading": heading, "title": title, "body": body}


@pytest.mark.parametrize("extra", [[], ["--lang", "en"]])
def test_map_shows_every_payload_literally_and_runs_nothing(tmp_path, datasets, extra):
    title = HTML[3] + " " + HTML[0]
    hostile = _map_dom(_make_map(tmp_path, datasets[True], title, "hostile.html", *extra))
    plain = _map_dom(_make_map(tmp_path, datasets[False], "plain title", "plain.html", *extra))
    assert hostile["heading"] == title and hostile["title"] == title
    for i, text in enumerate(HTML):
        shown = [_norm(t) for t in hostile["items"][i]]
        # the search list shows the Chinese name (with its number), or in English the English name
        assert _norm(f"{text} {MARK}{i}") in shown or (extra and _norm(text) in shown), (i, text, shown)
        assert _norm(text) in _norm(hostile["tips"][f"h{i}"]), (i, text)
    # same page structure as with harmless names: no payload became an element
    assert hostile["counts"] == plain["counts"]


def test_map_written_by_a_real_subprocess_under_c_locale(tmp_path, datasets):
    out = tmp_path / "sub.html"
    env = {**os.environ, "LANG": "C", "LC_ALL": "C"}
    done = subprocess.run([sys.executable, "-m", "alliances", "map", "--data", datasets[True], "--title", HTML[11],
                           "--out", str(out)], env=env, capture_output=True, timeout=300)
    assert done.returncode == 0, done.stderr.decode()
    dom = _map_dom(out)
    assert dom["heading"] == HTML[11]


def _make_report(tmp_path, data, name):
    out = tmp_path / name
    result = CliRunner().invoke(cli, ["report", "--data", data, "--out", str(out), "--top", "100"])
    assert result.exit_code == 0, result.output
    return out


def _report_dom(out):
    with open_local(out) as page:
        page.wait_for_load_state("load")
        frames = [f for f in page.frames if f != page.main_frame]
        assert len(frames) == 1
        for f in frames:  # the embedded map, below the fold: scrolled to, polled on a timer
            wait_ready(f)
        _assert_nothing_ran(page)
        body = page.inner_text("body")
        counts = [_element_counts(page.main_frame), *[_element_counts(f) for f in frames]]
    return {"body": body, "counts": counts}


def test_report_shows_payloads_literally_and_runs_nothing(tmp_path, datasets):
    hostile = _report_dom(_make_report(tmp_path, datasets[True], "hostile.html"))
    plain = _report_dom(_make_report(tmp_path, datasets[False], "plain.html"))
    body = _norm(hostile["body"])
    # --top 100 puts every organisation in the hub table, by name
    for i, text in enumerate(HTML):
        assert _norm(f"{text} {MARK}{i}") in body, (i, text)
    assert hostile["counts"] == plain["counts"]


def test_the_reports_map_is_waited_for_even_out_of_view(tmp_path, datasets):
    # the cause of the old hang: an out-of-view sandboxed iframe runs no animation frames, so
    # only a timer-polled wait sees a change made after its first look
    with open_local(_make_report(tmp_path, datasets[False], "late.html")) as page:
        page.wait_for_load_state("load")
        (frame,) = [f for f in page.frames if f != page.main_frame]
        assert page.locator("iframe").bounding_box()["y"] > 900  # below the fold of the 900 px viewport
        wait_ready(frame, scroll=False)
        assert frame.evaluate("alliancesNodes.length") == len(HTML) + 5  # and the base tables' 5 nodes
        frame.evaluate("window.__late = false; setTimeout(() => { window.__late = true; }, 300)")
        wait_ready(frame, scroll=False, timeout=10_000, expr="window.__late === true")


def test_markdown_report_keeps_payloads_as_text(tmp_path, datasets):
    out = tmp_path / "r.md"
    result = CliRunner().invoke(cli, ["report", "--data", datasets[True], "--out", str(out), "--top", "100"])
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    # Markdown renderers pass raw HTML through: no '<' may survive, and each name is
    # there as an escaped table cell (&lt; renders as a literal '<')
    assert "<" not in text
    from alliances.render.report import md_cell

    for i, payload in enumerate(HTML):
        assert md_cell(f"{payload} {MARK}{i}") in text, (i, payload)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text.splitlines()[2]  # the source title
