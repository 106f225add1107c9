"""Region groups come from the dataset's own Region hierarchy (alliances/regions.py).

The fixture ``tests/fixtures/circle`` is a hand-made network of the
Chengdu–Chongqing circle: seven cities under 四川省 (成都 with its district
武侯区, 德阳, 绵阳, 宜宾, 泸州, 内江, 自贡), the municipality 重庆市 with two
districts (永川区, 重庆荣昌), one organisation in each place and one placed
in the province itself (四川省两新工委, sc1). Expected values below are worked
out by hand from its two CSV files.
"""

from __future__ import annotations

import json
from itertools import combinations
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner

from alliances import regions
from alliances.cli import cli
from alliances.dataset import read_dataset
from alliances.graph import build_graph, dataset_region_groups
from alliances.network import Network

CIRCLE = str(Path(__file__).parent / "fixtures" / "circle")
CITIES = {"chengdu", "deyang", "mianyang", "yibin", "luzhou", "neijiang", "zigong", "chongqing"}
# organisation → its city (districts roll up: 武侯区 → 成都, 永川区 and 重庆荣昌 → 重庆)
ORG_CITY = {"cd1": "chengdu", "wh1": "chengdu", "dy1": "deyang", "my1": "mianyang", "yb1": "yibin",
            "lz1": "luzhou", "nj1": "neijiang", "zg1": "zigong", "cq1": "chongqing", "yc1": "chongqing",
            "rc1": "chongqing", "sc1": "sichuan"}


def run(*args):
    result = CliRunner().invoke(cli, [*args, "--data", CIRCLE, "--no-cache"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture(scope="module")
def circle():
    return read_dataset(CIRCLE)


# ---------------------------------------------------------------------------
# Levels and groups


def test_levels_come_from_kind_then_the_name_then_the_parent(circle):
    part_of = {}
    for r in circle.relationships:
        if r["type"] == "PART_OF":
            part_of.setdefault(r["start"], []).append(r["end"])
    levels = regions.region_levels(circle.nodes, lambda r: part_of.get(r, ()))
    assert levels["zigong"] == "city"  # its kind says so
    assert levels["sichuan"] == "province"  # 四川省: the name ends in 省
    assert levels["deyang"] == levels["chongqing"] == "city"  # 德阳市, 重庆市
    assert levels["wuhou"] == levels["yongchuan"] == "district"  # 成都市武侯区, 永川区
    assert levels["rongchang"] == "district"  # 重庆荣昌 says nothing: one below its parent, a city


def test_a_top_region_that_says_nothing_is_a_city_or_the_province_of_its_cities():
    nodes = {"p": {"label": "Region", "name": "P"}, "c": {"label": "Region", "name": "C", "kind": "city"},
             "q": {"label": "Region", "name": "Q"}, "d": {"label": "Region", "name": "D"}}
    up = {"c": ["p"], "d": ["q"]}
    assert regions.region_levels(nodes, lambda r: up.get(r, ())) == {
        "p": "province", "c": "city", "q": "city", "d": "district"}


def test_one_group_per_city_with_no_city_forced_into_other(circle):
    groups = dataset_region_groups(circle)
    assert {n: groups[n] for n in ORG_CITY} == ORG_CITY
    # hubs without a region are in no group of their own
    assert groups["al1"] == groups["act1"] == groups["ag1"] == regions.NO_REGION
    # the graph says the same as the dataset
    G = build_graph(circle)
    assert {n: G.nodes[n]["region_group"] for n in G} == groups


def test_region_level_district_and_province(circle):
    district = dataset_region_groups(circle, level="district")
    assert district["wh1"] == "wuhou" and district["yc1"] == "yongchuan" and district["rc1"] == "rongchang"
    assert district["cd1"] == "chengdu" and district["dy1"] == "deyang"  # a city without districts stays
    assert district["sc1"] == "sichuan"
    province = dataset_region_groups(circle, level="province")
    assert {province[n] for n in ("cd1", "wh1", "dy1", "my1", "yb1", "lz1", "nj1", "zg1", "sc1")} == {"sichuan"}
    # 重庆市 has no province above it: the top of its chain
    assert province["cq1"] == province["yc1"] == province["rc1"] == "chongqing"
    with pytest.raises(ValueError, match="region level 'town'"):
        dataset_region_groups(circle, level="town")


def test_the_table_names_each_group_from_the_data_in_order(circle):
    table = Network(circle).regions
    # organisations per group: chongqing 3, chengdu 2, the others 1 (by id), sichuan 1; other last
    assert [r["key"] for r in table] == ["chongqing", "chengdu", "deyang", "luzhou", "mianyang", "neijiang",
                                         "sichuan", "yibin", "zigong", "other"]
    names = {r["key"]: (r["zh"], r["en"]) for r in table}
    # the shortest alias that begins the name (成都市 → 成都), else the name
    assert names["chengdu"] == ("成都", "Chengdu") and names["deyang"] == ("德阳市", "Deyang")
    assert names["sichuan"] == ("四川", "Sichuan Province")
    assert names["other"] == ("未标地区", "No region")


def test_colours_are_colour_blind_safe_distinct_and_stable_per_id(circle):
    table = Network(circle).regions
    colours = {r["key"]: r["color"] for r in table}
    assert colours.pop("other") == regions.NO_REGION_COLOR
    assert set(colours.values()) <= set(regions.PALETTE)
    assert len(set(colours.values())) == len(colours) == 9  # nine groups, nine colours
    # the same ids give the same colours, whatever order they come in
    keys = list(colours)
    assert regions.colors(reversed(keys)) == regions.colors(keys) == {**colours, "other": regions.NO_REGION_COLOR}
    # a region alone keeps the colour its id prefers
    assert regions.colors(["zigong"])["zigong"] == regions.PALETTE[regions._preferred_slot("zigong")]


def test_more_than_nine_regions_keep_distinct_colours_up_to_seventeen():
    keys = [f"r{i:02d}" for i in range(20)]
    c = regions.colors(keys)
    assert c.pop("other") == regions.NO_REGION_COLOR
    first = sorted(keys)[:17]
    assert len({c[k] for k in first}) == 17  # seventeen regions, seventeen colours
    assert {c[k] for k in first} == set(regions.PALETTE) | set(regions.EXTRA_PALETTE)
    # the nine colour-blind-safe colours go first, in sorted order of ids
    assert {c[k] for k in sorted(keys)[:9]} == set(regions.PALETTE)
    # past seventeen, an id takes the colour it prefers again
    for k in sorted(keys)[17:]:
        assert c[k] == regions.PALETTE[regions._preferred_slot(k)]
    assert regions.colors(reversed(keys)) == {**c, "other": regions.NO_REGION_COLOR}
    assert regions.NO_REGION_COLOR not in regions.EXTRA_PALETTE


def test_rows_in_another_order_give_the_same_groups_names_and_colours(tmp_path, circle):
    from alliances.dataset import Dataset, write_dataset

    nodes = dict(reversed(list(circle.nodes.items())))
    write_dataset(Dataset(nodes=nodes, relationships=list(reversed(circle.relationships)), sources=circle.sources),
                  tmp_path / "rev")
    assert Network(read_dataset(tmp_path / "rev")).regions == Network(circle).regions


def test_alliances_belong_to_the_regions_of_their_members(circle):
    G = build_graph(circle)
    from alliances.graph import partnership_graph

    groups = {n: G.nodes[n]["region_group"] for n in G}
    members = regions.member_groups(partnership_graph(G), groups)
    assert members == {
        "al1": ["chengdu", "chongqing", "deyang", "zigong"],  # its four members
        "act1": ["luzhou", "yibin"],  # its participants (its organiser, al1, has no region)
        "ag1": ["neijiang", "zigong"],
    }


def test_an_activity_tied_only_to_hubs_without_a_region_takes_theirs():
    P = nx.Graph([("a", "al"), ("b", "al"), ("al", "act"), ("act", "act2")])
    got = regions.member_groups(P, {"a": "r1", "b": "r2", "al": "other", "act": "other", "act2": "other"})
    assert got == {"act": ["r1", "r2"], "act2": ["r1", "r2"], "al": ["r1", "r2"]}


# ---------------------------------------------------------------------------
# Brokerage, corridors, tie matrix, report


def test_brokers_json_has_one_group_per_city(circle):
    data = json.loads(run("brokers", "--format", "json"))
    assert {b["id"]: b["region"] for b in data["brokers"]} == ORG_CITY
    # hand-counted from relationships.csv: the alliance ties its 4 members pairwise (6),
    # the activity yb1–lz1, the agreement zg1–nj1, and five direct ties
    assert [(t["region_a"], t["region_b"], t["ties"], t["weight"]) for t in data["tie_matrix"]] == [
        ("chengdu", "chengdu", 1, 1), ("chengdu", "chongqing", 1, 1), ("chengdu", "deyang", 1, 1),
        ("chengdu", "zigong", 1, 1), ("chongqing", "chongqing", 2, 2), ("chongqing", "deyang", 1, 1),
        ("chongqing", "zigong", 1, 1), ("deyang", "mianyang", 1, 1), ("deyang", "sichuan", 1, 1),
        ("deyang", "zigong", 1, 1), ("luzhou", "yibin", 1, 1), ("neijiang", "zigong", 1, 1)]
    assert CITIES <= {t["region_a"] for t in data["tie_matrix"]} | {t["region_b"] for t in data["tie_matrix"]}
    assert {r["key"]: r["zh"] for r in data["regions"]}["mianyang"] == "绵阳市"


def test_corridors_cover_every_pair_of_cities(circle):
    data = json.loads(run("corridors", "--format", "json"))
    pairs = [(c["region_a"], c["region_b"]) for c in data["corridors"]]
    order = ["chongqing", "chengdu", "deyang", "luzhou", "mianyang", "neijiang", "sichuan", "yibin", "zigong"]
    assert pairs == list(combinations(order, 2))  # 36 pairs, in the network's order
    rows = {(c["region_a"], c["region_b"]): c for c in data["corridors"]}
    # 泸州 and 宜宾 share only their activity: cut off from the rest
    assert rows[("chengdu", "luzhou")]["cut"] == "disconnected"
    assert rows[("luzhou", "yibin")]["distance"] == 1
    # 绵阳 reaches 自贡 through 德阳 (my1–dy1–zg1): dy1 cuts it, and so does each end (the
    # only organisation of its city)
    assert rows[("mianyang", "zigong")]["distance"] == 2
    assert [n["id"] for n in rows[("mianyang", "zigong")]["cut_nodes"]] == ["dy1", "my1", "zg1"]


def test_the_report_counts_organisations_by_city(circle):
    from alliances.render.report import build_report

    rep = build_report(Network(circle), lang="zh")
    assert rep["summary"]["orgs_by_region"] == [
        {"region": "重庆", "count": 3}, {"region": "成都", "count": 2}, {"region": "德阳市", "count": 1},
        {"region": "泸州市", "count": 1}, {"region": "绵阳市", "count": 1}, {"region": "内江市", "count": 1},
        {"region": "四川", "count": 1}, {"region": "宜宾市", "count": 1}, {"region": "自贡", "count": 1}]
    names = {(c["name_a"], c["name_b"]) for c in rep["corridors"]}
    assert ("绵阳市", "自贡") in names and len(names) == 36


# ---------------------------------------------------------------------------
# The map: legend, filters, the regions view


def _map(tmp_path, *args):
    from tests.test_map import map_data

    out = tmp_path / "m.html"
    run("map", "--out", str(out), *args)
    return map_data(out.read_text("utf-8"))


def test_map_legend_and_filters_name_every_city(tmp_path):
    data = _map(tmp_path)
    legend = [(c["key"], c["name"]) for c in data["legend"]["colors"]]
    assert legend == [("chongqing", "重庆"), ("chengdu", "成都"), ("deyang", "德阳市"), ("luzhou", "泸州市"),
                      ("mianyang", "绵阳市"), ("neijiang", "内江市"), ("sichuan", "四川"), ("yibin", "宜宾市"),
                      ("zigong", "自贡"), ("other", "未标地区")]
    nodes = {n["id"]: n for n in data["nodes"]}
    assert nodes["wh1"]["group"] == "chengdu" and nodes["wh1"]["color"] == nodes["chengdu"]["color"]
    # the alliance is filtered under its members' regions, and says so in its tooltip
    assert nodes["al1"]["groups"] == ["chengdu", "chongqing", "deyang", "zigong"]
    assert ["成员所在地区", "成都、重庆、德阳市、自贡"] in nodes["al1"]["tip"]
    assert nodes["cd1"]["groups"] == ["chengdu"]
    # every hub without a region is filtered with its members: no "未标地区" box to untick
    assert [g["key"] for g in data["filters"]["group"]] == [k for k, _ in legend if k != "other"]


def test_regions_view_draws_ties_between_the_cities_without_an_other_hub(tmp_path):
    data = _map(tmp_path, "--view", "regions")
    ids = {n["id"] for n in data["nodes"]}
    assert ids == {"sichuan", "chengdu", "wuhou", "deyang", "mianyang", "yibin", "luzhou", "neijiang", "zigong",
                   "chongqing", "yongchuan", "rongchang"}  # the twelve regions, no "other"/"no place" node
    ties = {(e["from"], e["to"]): int(e["label"]) for e in data["edges"] if e.get("label")}
    # the alliance ties its members' four cities pairwise, the activity 泸州–宜宾, the agreement 内江–自贡
    for pair in combinations(sorted(["chengdu", "chongqing", "deyang", "zigong"]), 2):
        assert ties[pair] == 1, pair
    assert ties[("luzhou", "yibin")] == 1 and ties[("neijiang", "zigong")] == 1
    # direct ties between places: 成都–武侯区, 重庆–永川区, 重庆–重庆荣昌, 德阳–绵阳, 德阳–四川
    assert ties[("chengdu", "wuhou")] == 1 and ties[("chongqing", "yongchuan")] == 1
    assert ties[("chongqing", "rongchang")] == 1 and ties[("deyang", "mianyang")] == 1
    assert ties[("deyang", "sichuan")] == 1
    assert len(ties) == 6 + 2 + 5


def test_generated_circle_has_one_group_per_city(tmp_path):
    out = tmp_path / "gen"
    result = CliRunner().invoke(cli, ["generate", "--organizations", "400", "--regions", "circle", "--out", str(out)])
    assert result.exit_code == 0, result.output
    ds = read_dataset(out)
    groups = dataset_region_groups(ds)
    level = {n: d["kind"] for n, d in ds.nodes.items() if d["label"] == "Region"}
    parent = {r["start"]: r["end"] for r in ds.relationships if r["type"] == "PART_OF" and r["start"] in level}
    # by hand: an organisation's city is its region, or the city its district is part of
    for n, d in ds.nodes.items():
        if d["label"] == "Organization":
            r = d["region"]
            assert groups[n] == (r if level[r] == "city" else parent[r]), n
    cities = {groups[n] for n, d in ds.nodes.items() if d["label"] == "Organization"}
    assert len(cities) >= 7 and regions.NO_REGION not in cities
    assert {"yongchuan", "rongchang", "dazu", "wuhou"}.isdisjoint(cities)  # districts roll up to their city
    assert len(set(dataset_region_groups(ds, level="district").values())) > len(cities)


@pytest.mark.browser
def test_map_in_chromium_lists_every_city_and_keeps_alliances_while_a_member_region_shows(tmp_path):
    from tests.browser import console_errors, open_local

    out = tmp_path / "m.html"
    run("map", "--out", str(out))
    with open_local(out) as page:
        page.wait_for_function("window.alliancesReady === true", timeout=120_000)
        legend = page.inner_text("#legend")
        for name in ("重庆", "成都", "德阳市", "泸州市", "绵阳市", "内江市", "宜宾市", "自贡"):
            assert name in legend
        hidden = "alliancesNodes.get({filter: n => n.hidden}).map(n => n.id).sort()"
        page.locator("input[data-filter=group][data-key=chengdu]").uncheck()
        # 成都's own nodes go; the alliance stays while 重庆, 德阳 or 自贡 shows
        assert page.evaluate(hidden) == ["cd1", "chengdu", "wh1", "wuhou"]
        for key in ("chongqing", "deyang", "zigong"):
            page.locator(f"input[data-filter=group][data-key={key}]").uncheck()
        assert "al1" in page.evaluate(hidden)
        page.locator("input[data-filter=group][data-key=zigong]").check()
        assert "al1" not in page.evaluate(hidden)
        assert page.blocked == [] and console_errors(page) == [] and page.errors == []
