"""The report: content on the bundled network, escaping, self-containment, CLI."""

from __future__ import annotations

import csv
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner

from alliances.render.report import build_report, md_cell, render_html, render_markdown
from alliances.cli import cli
from tests.browser import wait_ready
from tests.conftest import ROOT, run_cli

BUNDLED = ROOT / "alliances" / "data" / "zigong"


class _Page(HTMLParser):
    """Collects text, tags and every URL-bearing attribute."""

    def __init__(self):
        super().__init__()
        self.text, self.tags, self.urls, self.stack = [], [], [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        for k, v in attrs:
            if k in ("src", "href", "srcset", "action") and v:
                self.urls.append(v)

    def handle_data(self, data):
        self.text.append(data)


def _parse(html: str) -> _Page:
    p = _Page()
    p.feed(html)
    p.close()
    return p


@pytest.fixture(scope="module")
def report(bundled):
    return build_report(bundled)


def test_report_names_the_zigong_corridors_and_their_cut(report):
    # Hand-worked in tests/test_brokerage.py: Zigong reaches Chengdu and
    # Chongqing only through 自贡华商商圈党委, which alone cuts both.
    rows = {(c["region_a"], c["region_b"]): c for c in report["corridors"]}
    for key, partner in [(("zigong", "chengdu"), "成都盐市口商圈综合党委"),
                         (("zigong", "chongqing"), "重庆解放碑商圈党委")]:
        sentence = rows[key]["sentence"]
        assert "自贡华商商圈党委" in sentence and partner in sentence
    [multi] = [m for m in report["multi_cutters"] if m["id"] == "huashang-committee"]
    assert multi["corridors"] == ["自贡–成都", "自贡–重庆"]


def test_every_cited_fact_has_source_and_paragraph(report):
    assert report["provenance"]
    for p in report["provenance"]:
        assert p["source"] == "zigong-2022" and p["paragraphs"], p
    # The Huashang–Yanshikou agreement is cited with ¶14 (relationships.csv).
    facts = {p["fact"]: p["paragraphs"] for p in report["provenance"]}
    assert facts["自贡华商商圈党委 —签约方→ “先锋同行”党建共建合作协议"] == [14]
    # Every reference number in a table row points at a provenance entry.
    n = len(report["provenance"])
    for section in ("hubs", "corridors", "suggestions"):
        for row in report[section]:
            assert all(1 <= r <= n for r in row["refs"])


def test_html_is_self_contained_and_has_every_section(report):
    html = render_html(report)
    page = _parse(html)
    text = "".join(page.text)
    assert page.urls == [u for u in page.urls if u.startswith("#")]  # only in-page anchors
    assert "script" not in page.tags and "link" not in page.tags
    for heading in ("概况", "地区间联系", "枢纽组织", "跨地区中介", "地区间通道", "社群（Louvain）", "跨地区伙伴建议", "来源"):
        assert heading in text
    assert "¶14" in text and "模块度 0.6224" in text
    assert "成都盐市口商圈综合党委" in text


def test_english_headings(bundled):
    text = "".join(_parse(render_html(build_report(bundled, lang="en"))).text)
    assert "Corridors between regions" in text and "Provenance" in text and "地区间通道" not in text


def _hostile_dataset(tmp_path: Path) -> Path:
    # Same network, but the Chengdu committee's name holds markup, a pipe and a line break.
    target = tmp_path / "hostile"
    shutil.copytree(BUNDLED, target)
    path = target / "nodes.csv"
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
        fields = list(rows[0].keys())
    for r in rows:
        if r["id"] == "yanshikou-committee":
            r["name"] = '<script>alert("x")</script>成都|盐市口\n党委'
            r["aliases"] = ""
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=fields)
        w.writeheader()
        w.writerows(rows)
    return target


def test_data_strings_are_escaped(tmp_path):
    from alliances.dataset import read_dataset

    rep = build_report(read_dataset(str(_hostile_dataset(tmp_path))))
    html = render_html(rep)
    page = _parse(html)
    assert "script" not in page.tags
    assert "&lt;script&gt;" in html and '<script>alert("x")</script>' in "".join(page.text)
    md = render_markdown(rep)
    cells = [line for line in md.splitlines() if "alert" in line and line.startswith("|")]
    assert cells
    for line in cells:
        assert "成都\\|盐市口" in line
    assert "盐市口\n党委" not in md


def test_md_cell():
    assert md_cell("a|b\nc") == "a\\|b c"
    assert md_cell("plain") == "plain"


def test_cli_report_markdown_and_bad_suffix(tmp_path):
    runner = CliRunner()
    out = tmp_path / "r.md"
    res = runner.invoke(cli, ["report", "--out", str(out)])
    assert res.exit_code == 0, res.output
    text = out.read_text(encoding="utf-8")
    assert text.startswith("# 跨地区党建联盟网络分析报告")
    assert "移除其中任何一个即切断该通道：自贡华商商圈党委" in text
    bad = runner.invoke(cli, ["report", "--out", str(tmp_path / "r.pdf")])
    assert bad.exit_code == 2 and "must end in .html or .md" in bad.output


def test_report_subprocess_utf8_under_c_locale(tmp_path):
    out = tmp_path / "report.html"
    proc = run_cli("report", "--out", str(out), "--as-of", "2021-01-01", "--lang", "en",
                   env={"LANG": "C", "LC_ALL": "C"})
    assert proc.returncode == 0, proc.stderr.decode("utf-8", "replace")
    html = out.read_bytes().decode("utf-8")
    assert '<meta charset="utf-8">' in html
    # As of 2021-01-01 nothing dated is later; 43 of 46 relationships are undated (hand count).
    assert "As of 2021-01-01: 43 undated relationships" in html
    assert "自贡华商商圈党委" in html


@pytest.mark.browser
def test_report_in_chromium_embeds_the_map_and_requests_nothing(tmp_path, bundled):
    from playwright.sync_api import sync_playwright

    out = tmp_path / "report.html"
    out.write_text(render_html(build_report(bundled)), encoding="utf-8")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--no-first-run"])
        try:
            page = browser.new_page()
            requests = []
            page.on("request", lambda r: requests.append(r.url))
            page.goto(out.as_uri())
            frames = [f for f in page.frames if f != page.main_frame]
            assert len(frames) == 1
            frames[0].wait_for_selector("canvas", timeout=30_000)
            wait_ready(frames[0])  # the map below the fold is drawn (tests/browser.py: why not wait_for_function)
            headings = page.locator("h2").all_inner_texts()
            assert headings[:1] == ["概况"] and "地区间通道" in headings
        finally:
            browser.close()
    assert [u for u in requests if not u.startswith(("file:", "about:", "data:"))] == []


def test_map_is_embedded_escaped_in_srcdoc(report):
    assert report["map_html"] and "<script" in report["map_html"]
    html = render_html(report)
    page = _parse(html)
    assert "iframe" in page.tags and page.tags.count("script") == 0  # the map's scripts stay inside srcdoc


# ---------------------------------------------------------------------------
# For decision makers: words, charts, bounds, the shared hub definition, tables, PDF


def test_summary_in_words_names_the_cut_and_the_hubs(report):
    words = "".join(report["words"])
    # 15 organisations in the bundled data, in three regions (12 Zigong, 1 Chengdu, 1 Chongqing... by count)
    n = sum(r["count"] for r in report["summary"]["orgs_by_region"])
    assert f"网络共有 {n:,} 个组织" in words
    # 华商 alone cuts Zigong–Chengdu and Zigong–Chongqing (tests/test_brokerage.py)
    assert "自贡华商商圈党委 一个组织即可切断 2 条地区间通道" in words
    assert report["hubs"][0]["name"] in words


def test_hubs_are_the_rows_of_alliances_centrality(bundled):
    from alliances.analysis.centrality import centrality_report
    from alliances.network import Network

    net = Network(bundled)
    rep = build_report(net, top=5)
    cli_rows = centrality_report(net, projection_name="full", by="betweenness", top=5)["rows"]
    assert [h["id"] for h in rep["hubs"]] == [r["id"] for r in cli_rows]
    assert rep["hubs"][0]["id"] == "huashang-committee"  # 华商 first, as `alliances centrality` ranks it
    text = "".join(_parse(render_html(rep)).text)
    assert "full 投影" in text


def test_every_section_is_bounded_with_and_m_more(bundled):
    rep = build_report(bundled, top=2)
    assert len(rep["hubs"]) == 2 and rep["totals"]["hubs"] == len(rep["full"]["hubs"]) > 2
    assert len(rep["communities"]["communities"]) <= 2
    text = "".join(_parse(render_html(rep)).text)
    more = rep["totals"]["hubs"] - 2
    assert f"另有 {more:,} 行未列出（共 {rep['totals']['hubs']:,} 行）" in text


def _svgs(html: str) -> list[str]:
    import re

    return re.findall(r"<svg .*?</svg>", html, flags=re.S)


def test_charts_are_inline_svg_with_the_numbers(report):
    import xml.etree.ElementTree as ET

    html = render_html(report)
    svgs = _svgs(html)
    titles = [ET.fromstring(s).find("{http://www.w3.org/2000/svg}title").text for s in svgs]
    assert titles == ["累计增长（按季度）", "地区间联系数", "枢纽组织：中介中心性",
                      "跨地区中介：居中次数（Gould–Fernandez）", "社群的地区构成"]
    for s in svgs:
        ET.fromstring(s)  # each chart is well-formed XML
    heat = ET.fromstring(svgs[[i for i, t in enumerate(titles) if t == "地区间联系数"][0]])
    cells = [r.find("{http://www.w3.org/2000/svg}title").text
             for r in heat.iter("{http://www.w3.org/2000/svg}rect")]
    for row in report["tie_matrix"]:
        assert f"{row['region_a']} – {row['region_b']}: {row['ties']:,}" in cells
    bars = ET.fromstring(svgs[titles.index("枢纽组织：中介中心性")])
    labels = [r.find("{http://www.w3.org/2000/svg}title").text for r in bars.iter("{http://www.w3.org/2000/svg}rect")]
    assert labels[0].startswith(report["hubs"][0]["name"] + ":")


def test_growth_counts_dated_facts_by_hand():
    import networkx as nx

    from alliances.render.report import dated_growth

    G = nx.MultiDiGraph()
    G.add_node("a1", label="Alliance", date="2019-03")
    G.add_node("a2", label="Alliance", date="2021")
    G.add_node("x", label="Activity", date="2023-05-01")
    G.add_node("y", label="Activity")
    g = dated_growth(G)
    # 2019..2023 spans more than three years: per year, empty years kept
    assert g["periods"] == ["2019", "2020", "2021", "2022", "2023"] and not g["quarterly"]
    assert {s["label"]: s["counts"] for s in g["series"]} == {"Alliance": [1, 0, 1, 0, 0], "Activity": [0, 0, 0, 0, 1]}
    assert g["undated"] == 1
    G.remove_node("x")
    g = dated_growth(G)
    # 2019..2021: per quarter, 2019-03 in Q1, a year alone counts at its end (Q4)
    assert g["quarterly"] and g["periods"][0] == "2019Q1" and g["periods"][-1] == "2021Q4"
    assert sum(g["series"][0]["counts"]) == 2


def test_cli_tables_writes_every_row(tmp_path):
    runner = CliRunner()
    res = runner.invoke(cli, ["report", "--out", str(tmp_path / "r.html"), "--top", "2",
                              "--tables", str(tmp_path / "t")])
    assert res.exit_code == 0, res.output
    with (tmp_path / "t" / "hubs.csv").open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    from alliances.analysis.centrality import centrality_report
    from alliances.dataset import read_dataset

    want = centrality_report(None, dataset=read_dataset(None), projection_name="full")["rows"]
    assert [r["id"] for r in rows] == [r["id"] for r in want] and len(rows) > 2
    assert (tmp_path / "t" / "tie_matrix.csv").is_file()
    again = runner.invoke(cli, ["report", "--out", str(tmp_path / "r2.html"), "--tables", str(tmp_path / "t")])
    assert again.exit_code == 2 and "not empty" in again.output and not (tmp_path / "r2.html").exists()


@pytest.mark.browser
def test_cli_pdf_keeps_labels_and_legend(tmp_path):
    proc = run_cli("report", "--out", str(tmp_path / "r.html"), "--pdf", str(tmp_path / "r.pdf"),
                   env={"LANG": "C", "LC_ALL": "C"})
    assert proc.returncode == 0, proc.stderr.decode("utf-8", "replace")
    data = (tmp_path / "r.pdf").read_bytes()
    assert data.startswith(b"%PDF-") and len(data) > 20_000
    assert b"/Font" in data  # text kept as text (labels and legends), not only pictures


# ---------------------------------------------------------------------------
# Opening fast: the map laid out beforehand, long tables laid out when scrolled to


def test_the_embedded_map_is_laid_out_beforehand_and_drawn_without_physics(report):
    from tests.test_map import map_data

    data = map_data(report["map_html"])
    assert data["nodes"] and all(isinstance(n.get("x"), float) and isinstance(n.get("y"), float)
                                 for n in data["nodes"])
    assert data["meta"]["physics"] is False
    assert data["options"]["physics"]["enabled"] is False
    assert data["options"]["physics"]["stabilization"]["enabled"] is False
    # the page would otherwise run its own Kamada-Kawai pass; it skips it only when positions are set
    assert len({(n["x"], n["y"]) for n in data["nodes"]}) == len(data["nodes"])


class _Rows(HTMLParser):
    """For each <table>: its number of body rows and whether it sits inside <div class="rows">."""

    def __init__(self):
        super().__init__()
        self.tables, self.stack = [], []

    def handle_starttag(self, tag, attrs):
        if tag == "div":
            self.stack.append(dict(attrs).get("class") == "rows")
        elif tag == "table":
            self.tables.append([0, any(self.stack)])
        elif tag == "tr" and self.tables:
            self.tables[-1][0] += 1

    def handle_endtag(self, tag):
        if tag == "div":
            self.stack.pop()


def test_only_long_tables_wait_to_be_laid_out(report, monkeypatch):
    from alliances.render import report as module

    monkeypatch.setattr(module, "LONG_TABLE", 3)
    p = _Rows()
    p.feed(render_html(report))
    assert any(wrapped for _, wrapped in p.tables) and not all(wrapped for _, wrapped in p.tables)
    for rows, wrapped in p.tables:
        assert wrapped == (rows - 1 > 3), (rows, wrapped)  # the header row is not a body row


@pytest.mark.browser
def test_long_tables_are_kept_for_find_and_print(tmp_path, report, monkeypatch):
    from alliances.render import report as module
    from alliances.render.browser import open_page

    monkeypatch.setattr(module, "LONG_TABLE", 3)
    out = tmp_path / "r.html"
    out.write_text(render_html(report), encoding="utf-8")
    with open_page(out) as page:
        page.wait_for_load_state("load")
        boxes = page.locator("div.rows")
        assert boxes.count() >= 2
        last = boxes.nth(boxes.count() - 1)
        # out of view: skipped by layout, yet its text is in the page (find-in-page, copying)
        assert page.evaluate("el => getComputedStyle(el).contentVisibility", last.element_handle()) == "auto"
        assert "自贡华商商圈党委" in last.text_content()
        page.emulate_media(media="print")
        assert page.evaluate("el => getComputedStyle(el).contentVisibility", last.element_handle()) == "visible"
        # printed, every row of every long table has its height (laid out, not skipped)
        heights = page.evaluate("[...document.querySelectorAll('div.rows tr')].map(r => r.getBoundingClientRect().height)")
        assert heights and min(heights) > 5


@pytest.mark.browser
def test_chart_legends_stay_inside_their_chart(tmp_path):
    # at 20k the growth chart's fourth legend entry, 有日期的伙伴关系 (47,813), ran past the right edge
    from alliances.render.browser import open_page
    from alliances.render.charts import growth

    series = [("联盟", "#1f77b4", [400, 100]), ("协议", "#ff7f0e", [900, 100]), ("活动", "#2ca02c", [4000, 1000]),
              ("有日期的伙伴关系", "#9467bd", [40_000, 7_813]), ("另一条很长的系列名称", "#8c564b", [1, 1])]
    out = tmp_path / "c.html"
    out.write_text(f"<!DOCTYPE html><meta charset='utf-8'><body>{growth(['2024', '2025'], series, title='增长')}",
                   encoding="utf-8")
    with open_page(out) as page:
        page.wait_for_load_state("load")
        boxes = page.evaluate("""[...document.querySelectorAll('svg text')].filter(t => t.textContent.includes('('))
            .map(t => { const b = t.getBBox(); return [t.textContent, b.x, b.y, b.x + b.width, b.y + b.height]; })""")
        width, height = page.evaluate("[document.querySelector('svg').width.baseVal.value, "
                                      "document.querySelector('svg').height.baseVal.value]")
    assert [b[0] for b in boxes][3] == "有日期的伙伴关系 (47,813)" and len(boxes) == 5
    for text, x0, y0, x1, y1 in boxes:
        assert 0 <= x0 and x1 <= width and y1 <= height, (text, x1, width)
    for a, b in zip(boxes, boxes[1:]):  # side by side on a row, or on the next row
        assert a[3] <= b[1] or b[2] >= a[4] - 1, (a, b)


def test_stacked_chart_legend_of_many_regions_wraps_inside_the_chart(tmp_path):
    # community composition by region: seventeen regions drew their legend far past the right edge
    from alliances.regions import EXTRA_PALETTE, PALETTE
    from alliances.render.browser import open_page
    from alliances.render.charts import stacked

    names = ["自贡", "成都", "重庆", "德阳", "绵阳", "遂宁", "内江", "乐山", "眉山", "资阳", "宜宾", "泸州",
             "南充", "达州", "广安", "雅安", "Chongqing Liangjiang New Area"]
    colors = {f"r{k}": (name, col) for k, (name, col) in enumerate(zip(names, (*PALETTE, *EXTRA_PALETTE)))}
    items = [(f"社群 {k}", {f"r{j}": (k + j) % 5 + 1 for j in range(len(names))}) for k in range(3)]
    out = tmp_path / "s.html"
    out.write_text(f"<!DOCTYPE html><meta charset='utf-8'><body>{stacked(items, colors, title='构成')}",
                   encoding="utf-8")
    with open_page(out) as page:
        page.wait_for_load_state("load")
        boxes = page.evaluate("""[...document.querySelectorAll('svg text')].filter(t => t.getAttribute('font-size') == '11')
            .map(t => { const b = t.getBBox(); return [t.textContent, b.x, b.y, b.x + b.width, b.y + b.height]; })""")
        width, height = page.evaluate("[document.querySelector('svg').width.baseVal.value, "
                                      "document.querySelector('svg').height.baseVal.value]")
    assert [b[0] for b in boxes] == names
    assert len({round(b[2]) for b in boxes}) > 1  # it did wrap
    for text, x0, y0, x1, y1 in boxes:
        assert 0 <= x0 and x1 <= width and y1 <= height, (text, x1, width, y1, height)
    for a, b in zip(boxes, boxes[1:]):  # side by side on a row, or on the next row
        assert a[3] <= b[1] or b[2] >= a[4] - 1, (a, b)


def test_source_line_leaves_out_what_the_source_does_not_give():
    from alliances.render.report import _source_text

    assert _source_text({"title": "T", "publisher": "P", "published": "2023-05-01"}) == "T (P, 2023-05-01)"
    assert _source_text({"title": "合成网络", "publisher": "alliances generate", "published": ""}) == \
        "合成网络 (alliances generate)"
    assert _source_text({"title": "T", "publisher": "", "published": ""}) == "T"
