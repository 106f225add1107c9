"""alliances map: the HTML file itself (structure, offline-ness, escaping, options).

Pages are checked by parsing, not by comparing whole files; tests/test_map_browser.py
opens them in Chromium.
"""

from __future__ import annotations

import csv
import json
import os
import re
import subprocess
from html.parser import HTMLParser

import pytest
from click.testing import CliRunner

from alliances.cli import cli
from alliances.dataset import Dataset, bundled_path, write_dataset
from alliances.render.map import safe_source, script_json
from tests.conftest import run_cli

PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '"><svg onload=alert(1)>',
    "javascript:alert(1)",
    "</script><script>alert(1)</script>",
    "{{7*7}}",
    "'-alert(1)-'",
    "a\u2028b\u2029c",
    "<!--<script>",
    "&lt;b&gt;entity&amp;",
    "${alert(1)}",
    "<a href=javascript:alert(1)>x</a>",
]


class _Page(HTMLParser):
    """Collects tags, attributes and the text of the data script."""

    def __init__(self):
        super().__init__()
        self.attrs: list[tuple[str, str, str | None]] = []
        self.metas: list[dict] = []
        self.scripts: list[tuple[dict, str]] = []
        self._script = None
        self.title = ""
        self._in_title = False

    def handle_starttag(self, tag, attrs):
        d = dict(attrs)
        for k, v in attrs:
            self.attrs.append((tag, k, v))
        if tag == "meta":
            self.metas.append(d)
        if tag == "script":
            self._script = (d, [])
        self._in_title = tag == "title"

    def handle_endtag(self, tag):
        if tag == "script" and self._script:
            self.scripts.append((self._script[0], "".join(self._script[1])))
            self._script = None
        self._in_title = False

    def handle_data(self, data):
        if self._script is not None:
            self._script[1].append(data)
        elif self._in_title:
            self.title += data


def parse(html: str) -> _Page:
    p = _Page()
    p.feed(html)
    p.close()
    return p


def map_data(html: str) -> dict:
    page = parse(html)
    blobs = [text for attrs, text in page.scripts if attrs.get("id") == "map-data"]
    assert len(blobs) == 1
    assert page.scripts[0][0].get("type") == "application/json"
    return json.loads(blobs[0])


def run_map(*args):
    result = CliRunner().invoke(cli, ["map", *args], catch_exceptions=False)
    return result


def _node(nid, label="Organization", name=None, **kw):
    node = {"id": nid, "label": label, "name": name or f"组织{nid}", "name_en": kw.pop("name_en", f"Org {nid}"),
            "kind": "enterprise" if label == "Organization" else "", "region": "", "date": "",
            "date_note": "", "status": "", "aliases": [], "description": "", "source": "s1",
            "paragraphs": [1]}
    node.update(kw)
    return node


def _rel(a, t, b, **kw):
    return {"start": a, "type": t, "end": b, "role": "", "date": "", "date_note": "", "status": "",
            "source": "s1", "paragraphs": [2], **kw}


def make_dataset(path, nodes, rels, title="测试来源"):
    ds = Dataset(sources={"s1": {"id": "s1", "title": title, "publisher": "", "published": "", "file": "",
                                 "paragraphs": ""}},
                 nodes={n["id"]: n for n in nodes}, relationships=rels)
    write_dataset(ds, path)
    return str(path)


@pytest.fixture()
def chain(tmp_path):
    """a -MANAGES- b -MANAGES- c -MANAGES- d, a and b in region r1, c and d in r2, and a star around b."""
    nodes = [_node("r1", "Region", "甲市", name_en="R1", kind=""), _node("r2", "Region", "乙市", name_en="R2", kind=""),
             _node("a", region="r1"), _node("b", region="r1"), _node("c", region="r2"), _node("d", region="r2"),
             _node("e", region="r1")]
    rels = [_rel("a", "MANAGES", "b"), _rel("b", "MANAGES", "c"), _rel("c", "MANAGES", "d"),
            _rel("b", "GUIDES", "e"), _rel("a", "LOCATED_IN", "r1")]
    return make_dataset(tmp_path / "chain", nodes, rels)


# ---------------------------------------------------------------------------
# The bundled map


def _bundled_rows(name):
    with open(bundled_path() / name, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_bundled_map_is_offline_utf8_and_holds_every_node(tmp_path):
    out = tmp_path / "m.html"
    result = run_map("--out", str(out))
    assert result.exit_code == 0, result.output
    raw = out.read_bytes()
    html = raw.decode("utf-8")  # raises if not UTF-8
    page = parse(html)
    assert {"charset": "utf-8"} in page.metas
    # nothing that the browser would fetch: no src/href at all, CSS urls only data:
    fetchers = [(t, k, v) for t, k, v in page.attrs if k in ("src", "href", "srcset", "data", "action")]
    assert fetchers == []
    assert all(u.startswith(("data:", '"data:', "'data:")) for u in re.findall(r"url\(\s*([^)]*)", html))
    assert "sourceMappingURL" not in html
    assert "bootstrap" not in html.lower()
    data = map_data(html)
    ids = {row["id"] for row in _bundled_rows("nodes.csv")}
    assert {n["id"] for n in data["nodes"]} == ids
    assert len(data["edges"]) == len(_bundled_rows("relationships.csv"))
    # labels in Chinese by default: the node 'zigong' is named 自贡市 in nodes.csv
    assert {n["id"]: n["label"] for n in data["nodes"]}["zigong"] == "自贡市"
    assert "Microsoft YaHei" in html and "Noto Sans CJK SC" in html
    assert "bundled dataset" in data["meta"]["caption"]


TITLE = "自贡—成都"


def _gbk_env(tmp_path):
    """A GBK locale built into tmp_path with localedef (no root needed with LOCPATH)."""
    loc = tmp_path / "locale"
    loc.mkdir(exist_ok=True)
    made = subprocess.run(["localedef", "-i", "zh_CN", "-f", "GBK", str(loc / "zh_CN.GBK")],
                          capture_output=True)
    if made.returncode in (0, 1) and (loc / "zh_CN.GBK").exists():
        return {"LOCPATH": str(loc), "LANG": "zh_CN.GBK", "LC_ALL": "zh_CN.GBK", "PYTHONUTF8": "0"}
    return {"LANG": "C", "LC_ALL": "C", "PYTHONIOENCODING": "gbk", "PYTHONUTF8": "0"}


def test_subprocess_under_c_and_gbk_locales_writes_the_same_utf8_bytes(tmp_path):
    outs = []
    gbk = _gbk_env(tmp_path)
    # a terminal passes the title as bytes in its own encoding: UTF-8 typed under an unset (C)
    # locale, GBK under the GBK locale; both must reach the page as the same text.
    runs = [({"LANG": "C", "LC_ALL": "C", "PYTHONUTF8": "0"}, TITLE.encode("utf-8")),
            (gbk, TITLE.encode("gbk") if "LOCPATH" in gbk else TITLE.encode("utf-8"))]
    for i, (env, title) in enumerate(runs):
        out = tmp_path / f"m{i}.html"
        proc = run_cli("map", "--out", str(out), "--title", title, env=env)
        assert proc.returncode == 0, proc.stderr.decode("utf-8", "replace")
        outs.append(out.read_bytes())
    assert outs[0] == outs[1]
    html = outs[0].decode("utf-8")
    assert parse(html).title == TITLE
    assert "©" in html  # vis-network's licence header, which pyvis cannot write under GBK


# ---------------------------------------------------------------------------
# Escaping


@pytest.fixture()
def hostile(tmp_path):
    nodes = [_node("r1", "Region", PAYLOADS[0], kind="", name_en=PAYLOADS[1])]
    for i, p in enumerate(PAYLOADS):
        nodes.append(_node(f"n{i}", name=p, name_en=p, description=p, region="r1"))
    rels = [_rel(f"n{i}", "MANAGES", f"n{i + 1}", role=PAYLOADS[i]) for i in range(len(PAYLOADS) - 1)]
    return make_dataset(tmp_path / "hostile", nodes, rels, title=PAYLOADS[4])


def test_hostile_names_never_appear_raw_in_the_html(tmp_path, hostile):
    out = tmp_path / "h.html"
    result = run_map("--out", str(out), "--data", hostile, "--title", PAYLOADS[4])
    assert result.exit_code == 0, result.output
    html = out.read_text(encoding="utf-8")
    for raw in ("<script>alert(1)", "<img src=x", "<svg onload", "</script><script>", "<!--<script>",
                "\u2028", "\u2029", "<a href=javascript"):
        assert raw not in html, raw
    page = parse(html)
    # only two executable scripts (vis-network and ours) plus the data block
    assert len(page.scripts) == 3
    assert [k for _, k, _ in page.attrs if k.startswith("on")] == []
    assert page.title == PAYLOADS[4]  # escaped in the source, read back literally by the parser
    data = map_data(html)
    labels = {n["id"]: n["label"] for n in data["nodes"]}
    for i, p in enumerate(PAYLOADS):
        assert labels[f"n{i}"] == p  # the JSON round-trips exactly
    assert data["meta"]["title"] == PAYLOADS[4]
    assert data["edges"][0]["tip"][2] == ["角色", PAYLOADS[0]]  # after both ends and the type


def test_script_json_escapes_every_breakout_character():
    text = script_json({"k": "</script>&\u2028\u2029>"})
    assert not set("<>&\u2028\u2029") & set(text)
    assert json.loads(text) == {"k": "</script>&\u2028\u2029>"}


def test_safe_source_drops_credentials():
    assert safe_source("Neo4j neo4j+s://alice:secret@db.example:7687 database neo4j") == \
        "Neo4j neo4j+s://db.example:7687 database neo4j"
    assert safe_source("/data/set") == "/data/set"


# ---------------------------------------------------------------------------
# Options, on a graph checked by hand


def _ids(data):
    return {n["id"] for n in data["nodes"]}


def test_around_keeps_nodes_within_hops(tmp_path, chain):
    out = tmp_path / "a.html"
    # partnership ties: a-b, b-c, c-d, b-e; one hop from b: a, c, e (regions are not partners)
    assert run_map("--out", str(out), "--data", chain, "--around", "组织b", "--hops", "1").exit_code == 0
    assert _ids(map_data(out.read_text("utf-8"))) == {"a", "b", "c", "e"}
    assert run_map("--out", str(out), "--data", chain, "--around", "b", "--hops", "2").exit_code == 0
    assert _ids(map_data(out.read_text("utf-8"))) == {"a", "b", "c", "d", "e"}


def test_path_emphasises_the_shortest_path_and_dims_the_rest(tmp_path, chain):
    out = tmp_path / "p.html"
    assert run_map("--out", str(out), "--data", chain, "--path", "a", "d").exit_code == 0
    data = map_data(out.read_text("utf-8"))
    on_path = {n["id"] for n in data["nodes"] if n.get("border")}
    dimmed = {n["id"] for n in data["nodes"] if n.get("dim")}
    assert on_path == {"a", "b", "c", "d"}  # the only route a-b-c-d
    assert dimmed == {"e", "r1", "r2"}
    wide = {(e["from"], e["to"]) for e in data["edges"] if e["width"] == 5}
    assert wide == {("a", "b"), ("b", "c"), ("c", "d")}


def test_regions_view_counts_partnership_ties_between_places(tmp_path, chain):
    out = tmp_path / "r.html"
    assert run_map("--out", str(out), "--data", chain, "--view", "regions").exit_code == 0
    data = map_data(out.read_text("utf-8"))
    assert _ids(data) == {"r1", "r2"}
    # r1 holds a, b, e; r2 holds c, d. Crossing ties: b-c only -> weight 1.
    # Inside r1: a-b, b-e (2); inside r2: c-d (1).
    ties = [e for e in data["edges"] if e.get("label")]
    assert [(e["from"], e["to"], e["label"]) for e in ties] == [("r1", "r2", "1")]
    tips = {n["id"]: dict((k, v) for k, v in n["tip"] if k) for n in data["nodes"]}
    assert tips["r1"]["包含节点"] == "3" and tips["r1"]["内部伙伴关系"] == "2"
    assert tips["r2"]["包含节点"] == "2" and tips["r2"]["内部伙伴关系"] == "1"


def test_size_by_degree_makes_the_best_connected_node_largest(tmp_path, chain):
    out = tmp_path / "s.html"
    assert run_map("--out", str(out), "--data", chain).exit_code == 0
    sizes = {n["id"]: n["size"] for n in map_data(out.read_text("utf-8"))["nodes"]}
    # partnership degrees: b 3, c 2, a 1, d 1, e 1
    assert max(sizes, key=sizes.get) == "b"
    assert sizes["c"] > sizes["a"] == sizes["d"] == sizes["e"]


def test_lang_en_and_colour_by_region(tmp_path, chain):
    out = tmp_path / "e.html"
    assert run_map("--out", str(out), "--data", chain, "--lang", "en").exit_code == 0
    data = map_data(out.read_text("utf-8"))
    assert {n["id"]: n["label"] for n in data["nodes"]}["a"] == "Org a"
    # regions are the data's own: r1 (3 organisations) and r2 (2), named in English from
    # name_en, each in its own palette colour, stable per id
    from alliances import regions

    palette = regions.colors(["r1", "r2"])
    colors = {n["id"]: n["color"] for n in data["nodes"]}
    assert colors["a"] == colors["b"] == colors["e"] == colors["r1"] == palette["r1"]
    assert colors["c"] == colors["d"] == colors["r2"] == palette["r2"] != palette["r1"]
    assert {palette["r1"], palette["r2"]} <= set(regions.PALETTE)
    assert [(c["name"], c["color"]) for c in data["legend"]["colors"]] == [("R1", palette["r1"]), ("R2", palette["r2"])]
    assert [g["name"] for g in data["filters"]["group"]] == ["R1", "R2"]


def test_above_the_soft_cap_positions_are_precomputed(tmp_path, chain):
    out = tmp_path / "big.html"
    result = run_map("--out", str(out), "--data", chain, "--max-nodes", "3", "--hard-cap", "100")
    assert result.exit_code == 0
    data = map_data(out.read_text("utf-8"))
    assert all("x" in n and "y" in n for n in data["nodes"])
    assert data["options"]["physics"]["enabled"] is False
    assert any("--around" in n for n in data["meta"]["notices"])


def test_above_the_hard_cap_the_map_is_aggregated_with_a_notice(tmp_path, chain):
    out = tmp_path / "agg.html"
    result = run_map("--out", str(out), "--data", chain, "--max-nodes", "2", "--hard-cap", "2")
    assert result.exit_code == 0
    data = map_data(out.read_text("utf-8"))
    # 7 nodes > 2: communities of the partnership graph, plus one group of places (r1, r2)
    assert _ids(data) & {"a", "b", "c", "d", "e"} == set()
    assert "places" in _ids(data)
    notice = " ".join(data["meta"]["notices"])
    assert "7" in notice and "--around" in notice and "--max-nodes" in notice


def test_unknown_name_is_a_clean_usage_error(tmp_path, chain):
    result = CliRunner().invoke(cli, ["map", "--out", str(tmp_path / "x.html"), "--data", chain,
                                      "--around", "不存在的名字"])
    assert result.exit_code == 2
    assert result.output.startswith("Error:") and "Traceback" not in result.output
    assert not (tmp_path / "x.html").exists()


def test_no_path_is_a_clean_error(tmp_path):
    data = make_dataset(tmp_path / "two", [_node("a"), _node("b")], [])
    result = CliRunner().invoke(cli, ["map", "--out", str(tmp_path / "x.html"), "--data", data,
                                      "--path", "a", "b"])
    assert result.exit_code == 1
    assert "no partnership path" in result.output


def test_missing_out_is_a_usage_error():
    result = CliRunner().invoke(cli, ["map"])
    assert result.exit_code == 2 and "--out" in result.output


def test_out_in_missing_folder_is_a_clean_error(tmp_path):
    result = CliRunner().invoke(cli, ["map", "--out", str(tmp_path / "nope" / "m.html")])
    assert result.exit_code == 1 and "does not exist" in result.output


def test_png_into_a_missing_folder_fails_before_writing_anything(tmp_path):
    out = tmp_path / "m.html"
    result = CliRunner().invoke(cli, ["map", "--out", str(out), "--png", str(tmp_path / "no" / "m.png")])
    assert result.exit_code == 1 and "does not exist" in result.output
    assert not out.exists() and not (tmp_path / "no").exists()


def test_tooltips_show_figures_with_label_qualifier_and_provenance(tmp_path):
    out = tmp_path / "m.html"
    assert run_map("--out", str(out)).exit_code == 0
    tips = {n["id"]: n["tip"] for n in map_data(out.read_text("utf-8"))["nodes"]}
    # figures.csv: zigong, coverage_nonpublic_enterprises_pct, 97.5, exact, percent,
    # 非公企业党组织覆盖率, ..., zigong-2022, paragraph 4
    assert ["非公企业党组织覆盖率", "97.5% (zigong-2022 ¶4)"] in tips["zigong"]


def test_colour_by_community_follows_louvain_on_two_triangles(tmp_path):
    # triangles a-b-c and d-e-f joined by c-d: Louvain puts each triangle in its own community
    nodes = [_node(x) for x in "abcdef"]
    rels = [_rel(u, "MANAGES", v) for u, v in ("ab", "bc", "ac", "cd", "de", "ef", "df")]
    data = make_dataset(tmp_path / "tri", nodes, rels)
    out = tmp_path / "c.html"
    assert run_map("--out", str(out), "--data", data, "--color", "community").exit_code == 0
    colour = {n["id"]: n["color"] for n in map_data(out.read_text("utf-8"))["nodes"]}
    assert colour["a"] == colour["b"] == colour["c"]
    assert colour["d"] == colour["e"] == colour["f"]
    assert colour["a"] != colour["d"]


def test_size_by_betweenness_on_the_chain(tmp_path, chain):
    out = tmp_path / "b.html"
    assert run_map("--out", str(out), "--data", chain, "--size-by", "betweenness").exit_code == 0
    sizes = {n["id"]: n["size"] for n in map_data(out.read_text("utf-8"))["nodes"]}
    # partnership graph a-b, b-c, c-d, b-e: shortest paths through b: a-c, a-d, a-e, c-e, d-e (5);
    # through c: a-d, b-d, d-e (3); a, d, e are leaves (0). Sizes are 10 + 30 * score / max.
    assert sizes["b"] == 40.0
    assert sizes["c"] == 28.0
    assert sizes["a"] == sizes["d"] == sizes["e"] == 10.0


# ---------------------------------------------------------------------------
# Aggregated maps, drawn from arrays


@pytest.fixture()
def two_cliques(tmp_path):
    """Two 4-cliques (a*, zigong; b*, chengdu) tied by a1-b1, and four organisations tied to no one."""
    nodes = [_node("zigong", "Region", "自贡", kind=""), _node("chengdu", "Region", "成都", kind="")]
    nodes += [_node(f"a{i}", region="zigong") for i in range(1, 5)]
    nodes += [_node(f"b{i}", region="chengdu") for i in range(1, 5)]
    nodes += [_node("z1", region="chengdu"), _node("z2", region="chengdu"), _node("z3", region="zigong"),
              _node("z4")]
    rels = [_rel(f"{p}{i}", "MANAGES", f"{p}{j}") for p in "ab" for i in range(1, 5) for j in range(i + 1, 5)]
    rels += [_rel("a1", "MANAGES", "b1"), _rel("a1", "LOCATED_IN", "zigong"), _rel("b2", "LOCATED_IN", "chengdu"),
             _rel("z1", "LOCATED_IN", "chengdu")]
    return make_dataset(tmp_path / "cliques", nodes, rels)


def test_aggregated_map_groups_communities_isolated_nodes_and_places(tmp_path, two_cliques):
    out = tmp_path / "agg.html"
    result = run_map("--out", str(out), "--data", two_cliques, "--max-nodes", "2", "--hard-cap", "12")
    assert result.exit_code == 0, result.output
    data = map_data(out.read_text("utf-8"))
    # 14 nodes > 12: the two cliques are communities 1 and 2 (4 each; a1 < b1), the
    # unconnected organisations are grouped by region, the regions are "places"
    assert [(n["id"], n["label"]) for n in data["nodes"]] == [
        ("c0", "社区 1: 组织a1 … (4)"), ("c1", "社区 2: 组织b1 … (4)"),
        ("isolated-chengdu", "孤立节点 · 成都 (2)"), ("places", "地区与园区 (2)"),
        ("isolated-other", "孤立节点 · 未标地区 (1)"), ("isolated-zigong", "孤立节点 · 自贡 (1)")]
    tips = {n["id"]: n["tip"] for n in data["nodes"]}
    assert tips["c0"][2] == ["", "组织a1、组织a2、组织a3"]  # a1 has the most partnership ties
    assert tips["places"][3] == ["地区", "成都 1, 自贡 1"]
    # ties between groups, every relationship counted: the bridge and three LOCATED_IN
    assert [(e["from"], e["to"], e["tip"][0][1]) for e in data["edges"]] == [
        ("c0", "c1", "1"), ("c0", "places", "1"), ("c1", "places", "1"), ("isolated-chengdu", "places", "1")]
    assert "14" in " ".join(data["meta"]["notices"])


def test_aggregated_map_from_the_dataset_equals_the_one_from_the_graph(tmp_path):
    from alliances.dataset import read_dataset
    from alliances.generate import generate_dataset
    from alliances.graph import build_graph
    from alliances.render.map import build_map

    generate_dataset(tmp_path / "g", 1500, seed=3)
    ds = read_dataset(tmp_path / "g")
    kw = {"max_nodes": 100, "hard_cap": 100, "generated": "2026-01-01"}
    from_dataset = build_map(None, dataset=ds, **kw)
    from_graph = build_map(build_graph(ds), **kw)
    assert from_dataset == from_graph
    assert 10 < len(from_dataset["nodes"]) <= 100


def test_aggregated_map_communities_are_those_of_the_communities_command(tmp_path, monkeypatch):
    from alliances import engine, network
    from alliances.analysis.centrality import projection
    from alliances.analysis.communities import louvain
    from alliances.dataset import read_dataset
    from alliances.generate import generate_dataset
    from alliances.graph import build_graph
    from alliances.render.map import build_map

    generate_dataset(tmp_path / "g", 1500, seed=4)
    ds = read_dataset(tmp_path / "g")
    for threshold in (network.THRESHOLDS.engine, 100):  # networkx's Louvain, then networkit's PLM
        monkeypatch.setattr(network, "THRESHOLDS", network.THRESHOLDS.with_(engine=threshold))
        expected = louvain(projection(build_graph(ds), "full"), seed=0)["communities"]
        m = build_map(None, dataset=ds, max_nodes=100, hard_cap=400)
        sizes = {n["id"]: int(n["tip"][1][1].replace(",", "")) for n in m["nodes"]}
        listed = [c for c in expected if c["size"] > 1 and c["index"] - 1 < 390]
        assert listed and {f"c{c['index'] - 1}": c["size"] for c in listed} == \
            {k: v for k, v in sizes.items() if k.startswith("c")}
        hub = {n["id"]: n["tip"][2][1].split("、")[0] for n in m["nodes"]}
        for c in listed[:5]:
            assert hub[f"c{c['index'] - 1}"] in {mem["name"] for mem in c["members"]}


def test_a_large_map_around_one_node_is_drawn_from_its_part_of_the_data(tmp_path):
    from alliances.dataset import read_dataset
    from alliances.generate import generate_dataset
    from alliances.graph import build_graph, ego_dataset
    from alliances.render.map import build_map

    generate_dataset(tmp_path / "g", 1500, seed=6)
    ds = read_dataset(tmp_path / "g")
    G = build_graph(ds)
    for centre, hops in (("org-17", 1), ("org-17", 2), ("org-1200", 3)):
        part = ego_dataset(ds, centre, hops)
        assert len(part.nodes) < len(ds.nodes)
        kw = {"around": centre, "hops": hops, "max_nodes": 100, "hard_cap": 100, "generated": "2026-01-01",
              "figures": ds.figures}
        whole, small = build_map(G, **kw), build_map(build_graph(part), **kw)
        for key in ("nodes", "edges"):
            assert small[key] == whole[key], (centre, hops)
        assert small["meta"] == whole["meta"]
    assert ego_dataset(ds, "zigong", 1) is None  # a region: its surroundings run over geography
    # the command takes that way above the caps, and names resolve on the dataset
    out = tmp_path / "around.html"
    result = run_map("--out", str(out), "--data", str(tmp_path / "g"), "--around", "org-17", "--hops", "2",
                     "--max-nodes", "100", "--hard-cap", "100")
    assert result.exit_code == 0, result.output
    drawn = build_map(G, around="org-17", hops=2, max_nodes=100, hard_cap=100)
    assert len(map_data(out.read_text("utf-8"))["nodes"]) == len(drawn["nodes"])


def test_a_map_around_a_node_is_the_same_file_whatever_the_hash_seed(tmp_path):
    outs = []
    for seed in ("1", "2", "3"):
        out = tmp_path / f"around-{seed}.html"
        env = {**os.environ, "PYTHONHASHSEED": seed}
        result = run_cli("map", "--out", str(out), "--around", "jiefangbei-committee", "--hops", "2", env=env)
        assert result.returncode == 0, result.stderr
        outs.append(out.read_bytes())
    assert outs[0] == outs[1] == outs[2]


# ---------------------------------------------------------------------------
# Maps down to the person: ego focus, tooltips in the map's language


def test_ego_map_is_never_aggregated_and_marks_its_focus(bundled):
    from alliances.render.map import build_map

    # 华商's two-step surroundings hold more than 8 nodes; with a cap of 8 the map keeps
    # the 8 nearest (华商 itself first), never a community aggregate.
    m = build_map(None, dataset=bundled, around="huashang-committee", hops=2, max_nodes=8, hard_cap=8)
    assert len(m["nodes"]) == 8 and all(n["type"] != "Group" for n in m["nodes"])
    [focus] = [n for n in m["nodes"] if n.get("focus")]
    assert focus["id"] == "huashang-committee" and focus["border"] == "#000000"
    assert "只显示距离最近、联系最多的 8 个" in " ".join(m["meta"]["notices"])
    # every kept node is within one step of the focus before any two-step node is kept
    from alliances.graph import build_graph, partnership_graph
    import networkx as nx

    dist = nx.single_source_shortest_path_length(partnership_graph(build_graph(bundled)), "huashang-committee")
    kept = sorted(dist.get(n["id"], 99) for n in m["nodes"])
    rest = sorted(d for n, d in dist.items() if d <= 2 and n not in {x["id"] for x in m["nodes"]})
    assert max(kept) <= min(rest)
    plain = build_map(None, dataset=bundled, around="huashang-committee", hops=1)
    assert [n["id"] for n in plain["nodes"] if n.get("focus")] == ["huashang-committee"]
    assert not any(n.get("focus") for n in build_map(None, dataset=bundled)["nodes"])


def test_tooltips_in_the_map_language_with_both_ends_and_the_source_title(bundled):
    from alliances.render.map import build_map

    zh = build_map(None, dataset=bundled, lang="zh")
    title = bundled.sources["zigong-2022"]["title"]
    nodes = {n["id"]: n for n in zh["nodes"]}
    tip = nodes["huashang-committee"]["tip"]
    assert any(k == "来源" and v.startswith(title + " ¶") for k, v in tip)
    assert not any("zigong-2022" in str(v) for _, v in tip)
    desc = bundled.nodes["huashang-committee"].get("description", "")
    assert desc and all(v != desc for _, v in tip)  # the English description stays off the Chinese map
    for e in zh["edges"]:
        a, b = nodes[e["from"]]["label"], nodes[e["to"]]["label"]
        assert e["tip"][0] == ["", f"{a} → {b}"]
        assert not re.search(r"[A-Z_]{4,}", e["tip"][1][1])  # the relationship in Chinese, not its code
    en = build_map(None, dataset=bundled, lang="en")
    tip = {n["id"]: n for n in en["nodes"]}["huashang-committee"]["tip"]
    assert ["", desc] in tip


def test_labels_are_sized_by_importance(bundled):
    from alliances.render.map import build_map

    m = build_map(None, dataset=bundled)
    big = max(m["nodes"], key=lambda n: n["size"])
    small = min(m["nodes"], key=lambda n: n["size"])
    assert big["font"] > small["font"] and big["font"] == 18.0


def test_crowded_maps_hide_small_labels_until_zoomed_in():
    from alliances.network import THRESHOLDS
    from alliances.render.map import vis_options

    few = vis_options(physics=True, large=False, n=THRESHOLDS.map_preseed)
    many = vis_options(physics=True, large=False, n=THRESHOLDS.map_preseed + 1)
    # label font sizes run 9..18 by importance (_label_sizes): at threshold 10 the smaller
    # labels wait for the zoom, the hubs' show
    assert few["nodes"]["scaling"]["label"]["drawThreshold"] == 6
    assert many["nodes"]["scaling"]["label"]["drawThreshold"] == 10


def test_front_coding_round_trips_names_as_the_page_decodes_them():
    from alliances.render.map import _front_code

    words = sorted(["自贡市合成企业1", "自贡市合成企业12", "自贡市合成企业党支部3", "𝟘 astral 😀", "😀😁", "", "a<b>&"])
    coded = _front_code(words)
    # decode as the page does: JavaScript strings count UTF-16 units
    out, prev = [], ""
    for shared, rest in zip(coded[::2], coded[1::2]):
        units = prev.encode("utf-16-le")[: 2 * shared].decode("utf-16-le")
        prev = units + rest
        out.append(prev)
    assert out == words
    assert coded[:4] == [0, "", 0, "a<b>&"] and coded[6] == len("自贡市合成企业1")


def test_aggregated_map_ships_every_member_once_with_its_ties(tmp_path):
    from alliances.dataset import read_dataset
    from alliances.generate import generate_dataset
    from alliances.render.map import build_map

    generate_dataset(tmp_path / "g", 300, seed=3)
    ds = read_dataset(str(tmp_path / "g"))
    m = build_map(None, dataset=ds, hard_cap=100, max_nodes=100)
    drill = m["drill"]
    assert {n["id"] for n in m["nodes"]} <= set(drill["groups"])

    def decode(coded):
        out, prev = [], ""
        for shared, rest in zip(coded[::2], coded[1::2]):
            prev = prev[:shared] + rest  # BMP-only names here
            out.append(prev)
        return out

    seen, ties = [], set()
    for gid, g in drill["groups"].items():
        if "ids" not in g:
            continue
        ids = decode(g["ids"])
        assert decode(g["names"]) == sorted(decode(g["names"]))  # name order
        assert len(ids) == g["n"] == len(g["rg"]) == len(g["ty"]) == len(g["dg"]) == len(g["xy"]) // 2
        seen += ids
        p = 0
        for i in range(len(ids)):
            j = i
            for _ in range(g["adj"][p]):
                p += 1
                j += g["adj"][p]
                ties.add(tuple(sorted((ids[i], ids[j]))))
            p += 1
    assert sorted(seen) == sorted(ds.nodes)  # every node in exactly one group
    group_of = {}
    for gid, g in drill["groups"].items():
        if "ids" in g:
            for nid in decode(g["ids"]):
                group_of[nid] = gid
    want = {tuple(sorted((r["start"], r["end"]))) for r in ds.relationships
            if r["start"] != r["end"] and group_of[r["start"]] == group_of[r["end"]]}
    assert ties == want


def test_an_overview_without_drill_data_says_so(tmp_path):
    from alliances.dataset import read_dataset
    from alliances.generate import generate_dataset
    from alliances.render.map import build_map

    generate_dataset(tmp_path / "g", 300, seed=3)
    ds = read_dataset(str(tmp_path / "g"))
    with_drill = build_map(None, dataset=ds, hard_cap=100, max_nodes=100)
    without = build_map(None, dataset=ds, hard_cap=100, max_nodes=100, drill=False)  # the report's map
    assert without["drill"] is None and with_drill["drill"] is not None
    assert "点击一个社区" in with_drill["meta"]["notices"][0] and "点击" not in without["meta"]["notices"][0]
    assert [n["id"] for n in without["nodes"]] == [n["id"] for n in with_drill["nodes"]]
