"""alliances map in a real headless Chromium, with every network request blocked."""

from __future__ import annotations

import csv
import random

import pytest
from click.testing import CliRunner

from alliances.cli import cli
from alliances.dataset import Dataset, bundled_path, write_dataset
from tests.browser import console_errors, open_local
from tests.test_map import PAYLOADS, _node, _rel, make_dataset

pytestmark = pytest.mark.browser

READY = "window.alliancesReady === true"


def _map(tmp_path, *args, name="m.html"):
    out = tmp_path / name
    result = CliRunner().invoke(cli, ["map", "--out", str(out), *args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return out


def _count(name):
    with open(bundled_path() / name, encoding="utf-8", newline="") as fh:
        return sum(1 for _ in csv.DictReader(fh))


def _assert_clean(page):
    assert page.blocked == []
    assert console_errors(page) == []
    assert page.errors == []
    assert page.dialogs == []
    assert page.evaluate("window.__dialogCalls") == []


def test_bundled_map_draws_every_node_and_edge_offline(tmp_path):
    out = _map(tmp_path)
    with open_local(out) as page:
        page.wait_for_function(READY, timeout=120_000)
        drawn = page.evaluate("[alliancesNetwork.body.data.nodes.length, alliancesNetwork.body.data.edges.length]")
        assert drawn == [_count("nodes.csv"), _count("relationships.csv")]
        # stabilised, then physics switched off
        assert page.evaluate("alliancesNetwork.physics.options.enabled") is False
        legend = page.inner_text("#legend")
        assert "自贡" in legend and "成都" in legend and "重庆" in legend
        assert page.inner_text("#heading") == "党建联盟网络图"
        # search finds a node by part of its name and focuses it
        page.fill("#search", "华商")
        items = page.locator("#search-results li").all_inner_texts()
        assert "自贡华商商圈党委" in items
        page.locator("#search-results li", has_text="自贡华商商圈党委").first.click()
        # its id in nodes.csv is huashang-committee
        assert page.evaluate("alliancesNetwork.getSelectedNodes()") == ["huashang-committee"]
        # filters hide nodes through the DataSet: unticking Chengdu hides the Chengdu nodes
        page.locator("input[data-filter=group][data-key=chengdu]").uncheck()
        hidden = page.evaluate("alliancesNodes.get({filter: n => n.hidden}).length")
        assert hidden > 0
        _assert_clean(page)


def test_hostile_text_is_shown_literally_and_runs_nothing(tmp_path):
    nodes = [_node("r1", "Region", PAYLOADS[1], kind="", name_en=PAYLOADS[2])]
    for i, p in enumerate(PAYLOADS):
        nodes.append(_node(f"n{i}", name=f"{p}#{i}", name_en=p, description=p, region="r1", aliases=[p]))
    rels = [_rel(f"n{i}", "MANAGES", f"n{i + 1}", role=PAYLOADS[i]) for i in range(len(PAYLOADS) - 1)]
    data = make_dataset(tmp_path / "hostile", nodes, rels, title=PAYLOADS[0])
    title = PAYLOADS[4] + PAYLOADS[1]
    for args in ([], ["--lang", "en"], ["--view", "regions"]):
        out = _map(tmp_path, "--data", data, "--title", title, *args, name=f"h{len(args)}.html")
        with open_local(out) as page:
            page.wait_for_function(READY, timeout=120_000)
            assert page.inner_text("#heading") == title
            assert page.title() == title
            if not args:
                for i, p in enumerate(PAYLOADS):
                    # the tooltip is a DOM element whose text is the payload
                    tip = page.evaluate(f"alliancesNodes.get('n{i}').title.textContent")
                    assert f"{p}#{i}" in tip
                    assert page.evaluate(f"alliancesNodes.get('n{i}').title.querySelectorAll('img,svg,script,a').length") == 0
                page.fill("#search", "#")
                items = page.locator("#search-results li").all_text_contents()
                assert sorted(items) == sorted(f"{p}#{i}" for i, p in enumerate(PAYLOADS))
                # hover a node so vis-network puts its tooltip in the page
                pos = page.evaluate("(() => { const p = alliancesNetwork.canvasToDOM(alliancesNetwork.getPositions(['n1']).n1);"
                                    " const r = document.getElementById('map').getBoundingClientRect();"
                                    " return [p.x + r.left, p.y + r.top]; })()")
                page.mouse.move(*pos)
                page.wait_for_selector(".vis-tooltip .tip", state="attached", timeout=10_000)
                assert PAYLOADS[1] in page.inner_text(".vis-tooltip")
            assert page.locator("img, svg, iframe").count() == 0
            _assert_clean(page)


def synthetic_dataset(path, n: int, seed: int = 0) -> str:
    """``n`` organisations in 3 regions, clustered in groups of about 50, with seeded random ties."""
    rng = random.Random(seed)
    regions = ["zigong", "chengdu", "chongqing"]
    nodes = {r: _node(r, "Region", r, kind="", name_en=r.title()) for r in regions}
    rels = []
    for i in range(n):
        nid = f"o{i}"
        nodes[nid] = _node(nid, name=f"组织{i}", region=regions[(i // 50) % 3])
    seen = set()
    for i in range(n):
        cluster = i // 50
        for _ in range(2):
            j = cluster * 50 + rng.randrange(50) if rng.random() < 0.9 else rng.randrange(n)
            j = min(j, n - 1)
            if j != i and (i, j) not in seen and (j, i) not in seen:
                seen.add((i, j))
                rels.append(_rel(f"o{i}", "MANAGES", f"o{j}"))
    ds = Dataset(sources={"s1": {"id": "s1", "title": "synthetic", "publisher": "", "published": "",
                                 "file": "", "paragraphs": ""}}, nodes=nodes, relationships=rels)
    write_dataset(ds, path)
    return str(path)


def test_a_6000_node_graph_is_aggregated_with_a_notice_and_opens(tmp_path):
    data = synthetic_dataset(tmp_path / "big", 6000)
    out = _map(tmp_path, "--data", data, name="big.html")
    with open_local(out) as page:
        page.wait_for_function(READY, timeout=300_000)
        notice = page.inner_text("#notices")
        assert "6,003" in notice and "--around" in notice and "--max-nodes" in notice
        assert page.is_visible(".notice")
        drawn = page.evaluate("alliancesNetwork.body.data.nodes.length")
        assert 1 < drawn < 5000
        _assert_clean(page)


def test_above_the_soft_cap_the_page_opens_with_physics_off(tmp_path):
    data = synthetic_dataset(tmp_path / "mid", 2500, seed=1)
    out = _map(tmp_path, "--data", data, name="mid.html")
    with open_local(out) as page:
        page.wait_for_function(READY, timeout=300_000)
        assert page.evaluate("alliancesNetwork.body.data.nodes.length") == 2503
        assert page.evaluate("alliancesNetwork.physics.options.enabled") is False
        assert "2,503" in page.inner_text("#notices")
        _assert_clean(page)


def test_png_snapshot(tmp_path):
    out = tmp_path / "m.html"
    png = tmp_path / "m.png"
    result = CliRunner().invoke(cli, ["map", "--out", str(out), "--png", str(png)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_time_to_drawn_reports_what_the_benchmarks_print(tmp_path):
    from alliances.render.browser import time_to_drawn
    from tests.browser import CHROMIUM

    drawn = time_to_drawn(_map(tmp_path), executable=CHROMIUM, timeout_s=120)
    assert (drawn["drawn_nodes"], drawn["drawn_edges"]) == (_count("nodes.csv"), _count("relationships.csv"))
    assert drawn["blocked_requests"] == 0 and drawn["page_errors"] == 0
    assert 0 < drawn["draw_seconds"] < 120


def test_ego_map_focus_is_marked_selected_and_hover_keeps_the_region_colour(tmp_path):
    out = _map(tmp_path, "--around", "自贡华商商圈党委", "--hops", "1")
    with open_local(out) as page:
        page.wait_for_function(READY, timeout=60_000)
        page.wait_for_timeout(300)
        assert page.evaluate("window.alliancesFocus") == "huashang-committee"
        assert page.evaluate("window.alliancesNetwork.getSelectedNodes()") == ["huashang-committee"]
        node = page.evaluate("window.alliancesNodes.get('huashang-committee')")
        assert node["borderWidth"] == 6 and node["font"]["size"] == 22
        # hover and selection change the border only: the fill stays the node's region colour
        for n in page.evaluate("window.alliancesNodes.get()"):
            assert n["color"]["hover"]["background"] == n["color"]["background"]
            assert n["color"]["highlight"]["background"] == n["color"]["background"]
            assert n["color"]["hover"]["border"] == "#000"
        _assert_clean(page)


def test_in_page_paths_equal_alliances_path_on_random_pairs(tmp_path):
    from alliances.dataset import read_dataset
    from alliances.generate import generate_dataset
    from alliances.graph import build_graph
    from alliances.paths import find_paths

    generate_dataset(tmp_path / "g", 150, seed=4)
    G = build_graph(read_dataset(str(tmp_path / "g")))
    out = _map(tmp_path, "--data", str(tmp_path / "g"))
    orgs = sorted(n for n, d in G.nodes(data=True) if d.get("label") == "Organization")
    rng = random.Random(17)
    pairs = [tuple(rng.sample(orgs, 2)) for _ in range(25)]
    with open_local(out) as page:
        page.wait_for_function(READY, timeout=120_000)
        for a, b in pairs:
            want = find_paths(G, a, b)
            got = page.evaluate("([a, b]) => window.alliancesPath(a, b)", [a, b])
            if not want:
                assert got is None, (a, b)
                continue
            assert got["nodes"] == want[0]["nodes"], (a, b)
            types = [e["word"] for e in got["edges"]]
            from alliances import model
            assert types == [model.REL_TYPES[r["type"]].zh for r in want[0]["relationships"]], (a, b)
        # drive the panel: two names, the button, the steps listed and highlighted
        a, b = next((a, b) for a, b in pairs if find_paths(G, a, b) and len(find_paths(G, a, b)[0]["nodes"]) > 2)
        want = find_paths(G, a, b)[0]
        page.fill("#path-from", G.nodes[a]["name"])
        page.fill("#path-to", G.nodes[b]["name"])
        page.click("#path-go")
        steps = page.locator("#path-steps li").all_inner_texts()
        assert len(steps) == want["hops"]
        assert steps[0].startswith(G.nodes[a]["name"]) and steps[-1].endswith(G.nodes[want["nodes"][-1]]["name"])
        widths = page.evaluate("window.alliancesShownPath.edges.map(e => window.alliancesEdges.get(e.id).width)")
        assert widths == [6] * want["hops"]
        assert sorted(page.evaluate("window.alliancesNetwork.getSelectedNodes()")) == sorted(want["nodes"])
        _assert_clean(page)
