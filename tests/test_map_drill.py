"""Aggregated maps drill down in the page, and labels do not overprint (headless Chromium).

A generated network of 300 organisations (410 nodes) is mapped with ``--hard-cap 100``, so
the page shows its Louvain communities; clicking one must show exactly the members that
``alliances communities --format json`` lists for it (same projection, same seed), with the
ties among them; the way back restores the overview; the search box finds an organisation
inside a community (by name or pinyin, by the rule of :func:`alliances.pinyin.matches`) and
opens its community with it selected. Labels: on the bundled map no two drawn label boxes
intersect, and zooming in brings hidden ones back.
"""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from alliances import network, pinyin
from alliances.cli import cli
from alliances.dataset import read_dataset
from alliances.generate import generate_dataset
from tests.browser import console_errors, open_local, wait_ready

pytestmark = pytest.mark.browser

DRILLED = "window.alliancesDrilled === true"


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    folder = tmp_path_factory.mktemp("drill") / "g300"
    generate_dataset(folder, 300, seed=3)
    ds = read_dataset(str(folder))
    done = CliRunner().invoke(cli, ["communities", "--data", str(folder), "--format", "json", "--no-cache"])
    assert done.exit_code == 0, done.output
    communities = {c["index"]: {m["id"] for m in c["members"]} for c in json.loads(done.output)["communities"]}
    return {"data": str(folder), "ds": ds, "communities": communities}


def _map(tmp_path, data, *extra, name="agg.html"):
    out = tmp_path / name
    done = CliRunner().invoke(cli, ["map", "--data", data, "--out", str(out), "--hard-cap", "100",
                                    "--max-nodes", "100", "--no-cache", *extra], catch_exceptions=False)
    assert done.exit_code == 0, done.output
    return out


def _point_on(page, nid):
    """A point of the page where a click hits node ``nid`` (not another node drawn over it)."""
    point = page.evaluate("""(id) => {
        const net = alliancesNetwork, b = net.body.nodes[id], r = document.getElementById('map').getBoundingClientRect();
        for (const f of [0, 0.3, 0.6, 0.85]) for (let a = 0; a < 8; a++) {
          const p = net.canvasToDOM({x: b.x + f * b.shape.radius * Math.cos(a * Math.PI / 4),
                                     y: b.y + f * b.shape.radius * Math.sin(a * Math.PI / 4)});
          if (net.getNodeAt(p) === id) return [p.x + r.left, p.y + r.top];
        }
        return null; }""", nid)
    assert point is not None, f"{nid} is covered by other nodes"
    return point


def _click_node(page, nid):
    page.mouse.click(*_point_on(page, nid))


def _ties_among(ds, members) -> set:
    """Pairs of members tied by any relationship, each pair once (worked out from the CSV rows)."""
    return {tuple(sorted((r["start"], r["end"]))) for r in ds.relationships
            if r["start"] in members and r["end"] in members and r["start"] != r["end"]}


def _clean(page):
    assert page.blocked == [] and page.errors == [] and console_errors(page) == [] and page.dialogs == []


def test_clicking_a_community_opens_its_members_and_back_restores_the_overview(tmp_path, generated):
    out = _map(tmp_path, generated["data"])
    with open_local(out) as page:
        wait_ready(page)
        overview = sorted(page.evaluate("alliancesNodes.getIds()"))
        assert "c2" in overview and page.is_hidden("#crumbs")
        before = page.evaluate("alliancesNetwork.getPositions()")
        _click_node(page, "c2")  # the overview's c2 is "社区 3", index 3 of alliances communities
        page.wait_for_function(DRILLED, polling=100, timeout=30_000)
        members = generated["communities"][3]
        assert set(page.evaluate("alliancesNodes.getIds()")) == members
        shown = {tuple(sorted((e["from"], e["to"]))) for e in page.evaluate("alliancesEdges.get()")}
        assert shown == _ties_among(generated["ds"], members)
        assert page.evaluate("window.alliancesView") == "c2"
        crumbs = page.inner_text("#crumbs")
        assert "返回全图" in crumbs and "全图" in crumbs and "社区 3" in crumbs
        # every member is drawn at its laid-out place, inside the view
        assert page.evaluate("alliancesNetwork.body.data.nodes.length") == len(members)
        page.click("#back")
        assert sorted(page.evaluate("alliancesNodes.getIds()")) == overview
        assert page.evaluate("window.alliancesView") is None and page.is_hidden("#crumbs")
        after = page.evaluate("alliancesNetwork.getPositions()")
        assert all(abs(after[k]["x"] - before[k]["x"]) < 1e-6 and abs(after[k]["y"] - before[k]["y"]) < 1e-6
                   for k in before)
        # double-clicking opens a community as well
        page.mouse.dblclick(*_point_on(page, "c0"))
        page.wait_for_function("window.alliancesView === 'c0' && window.alliancesDrilled", polling=100, timeout=30_000)
        assert set(page.evaluate("alliancesNodes.getIds()")) == generated["communities"][1]
        _clean(page)


def test_a_community_larger_than_the_drill_limit_opens_onto_its_parts(tmp_path, generated, monkeypatch):
    monkeypatch.setattr(network, "THRESHOLDS", network.THRESHOLDS.with_(map_drill=40))
    out = _map(tmp_path, generated["data"], name="parts.html")
    with open_local(out) as page:
        wait_ready(page)
        _click_node(page, "c0")
        page.wait_for_function(DRILLED, polling=100, timeout=30_000)
        parts = page.evaluate("alliancesNodes.getIds()")
        assert len(parts) >= 2 and all(p.startswith("c0.") for p in parts)
        # the parts' members, all the way down, are the community's members, each once
        leaves = page.evaluate("""(() => { const out = []; const g = alliancesDrill.groups;
            (function walk(id) { if (g[id].kids) { g[id].kids.forEach(walk); } else { out.push(id); } })('c0');
            return out; })()""")
        found = []
        for leaf in leaves:
            page.evaluate("(id) => alliancesOpenGroup(id)", leaf)
            page.wait_for_function(DRILLED, polling=100, timeout=30_000)
            ids = page.evaluate("alliancesNodes.getIds()")
            assert 0 < len(ids) <= 40
            found += ids
        assert sorted(found) == sorted(generated["communities"][1])
        # the breadcrumb names every level; its link goes one level up
        page.evaluate("(id) => alliancesOpenGroup(id)", leaves[0])
        page.wait_for_function(DRILLED, polling=100, timeout=30_000)
        links = page.locator("#trail a").all_inner_texts()
        assert links[0] == "全图" and links[1].startswith("社区 1") and len(links) == leaves[0].count(".") + 1
        page.locator("#trail a").nth(1).click()
        page.wait_for_function("window.alliancesView === 'c0' && window.alliancesDrilled", polling=100)
        assert sorted(page.evaluate("alliancesNodes.getIds()")) == sorted(parts)
        _clean(page)


def test_search_finds_an_organisation_inside_a_community_and_opens_it(tmp_path, generated):
    out = _map(tmp_path, generated["data"])
    ds = generated["ds"]
    with open_local(out) as page:
        wait_ready(page)
        target = "org-123"
        name = ds.nodes[target]["name"]
        page.fill("#search", name)
        items = page.locator("#search-results li")
        firsts = [items.nth(i).evaluate("li => li.firstChild.textContent") for i in range(items.count())]
        item = items.nth(firsts.index(name))
        assert "社区" in item.locator("small").inner_text()  # the community it is in is named beside it
        item.click()
        page.wait_for_function(DRILLED, polling=100, timeout=30_000)
        home = next(i for i, m in generated["communities"].items() if target in m)
        assert set(page.evaluate("alliancesNodes.getIds()")) == generated["communities"][home]
        assert page.evaluate("alliancesNetwork.getSelectedNodes()") == [target]
        # focused: the view is centred on it
        view = page.evaluate("alliancesNetwork.getViewPosition()")
        at = page.evaluate("(id) => alliancesNetwork.getPositions([id])[id]", target)
        assert abs(view["x"] - at["x"]) < 1 and abs(view["y"] - at["y"]) < 1
        # pinyin and initials find the same organisations as alliances.pinyin.matches
        names = {nid: d["name"] for nid, d in ds.nodes.items()
                 if d["label"] not in ("Region", "Zone")}
        full, initials = pinyin.keys(name)
        for query in (full, initials, full[:9] + "123"):
            want = sorted(n for n, nm in names.items() if pinyin.matches(nm, query))
            got = page.evaluate("(q) => alliancesSearch(q)", query)
            groups = [g for g in got if g in page.evaluate("Object.keys(alliancesDrill.groups)")]
            got = sorted(g for g in got if g not in groups)
            if len(want) < 30:
                assert got == want, query
            else:
                assert set(got) <= set(want) and len(got) == 30 - len(groups), query
        assert target in page.evaluate("(q) => alliancesSearch(q)", full)
        _clean(page)


def _label_boxes(page):
    """The drawn boxes of the labels on screen (vis-network's own label sizes, in canvas units,
    shrunk as vis-network draws text capped at maxVisible screen pixels)."""
    return page.evaluate("""(() => {
        const s = alliancesNetwork.getScale(), out = [];
        const opt = alliancesNetwork.body.nodes[alliancesNodes.getIds()[0]].options;
        for (const r of alliancesNodes.get()) {
          const b = alliancesNetwork.body.nodes[r.id], z = b.labelModule.size, font = b.labelModule.fontOptions.size;
          if (!r.label || r.hidden || !z.width || font * s < 5) continue;
          const cap = opt.scaling.label.maxVisible, f = font * s > cap ? cap / (font * s) : 1, cx = z.left + z.width / 2;
          out.push({id: r.id, left: cx - z.width * f / 2, right: cx + z.width * f / 2, top: z.top,
                    bottom: z.top + z.height * f});
        }
        return out; })()""")


def _settled(page):
    """Wait until the labels are checked after the last zoom (and any label it newly drew)."""
    for _ in range(2):
        page.wait_for_function("!alliancesLabelsPending()", polling=50, timeout=10_000)
        page.wait_for_timeout(300)
    page.wait_for_function("!alliancesLabelsPending()", polling=50, timeout=10_000)


def _overlaps(boxes):
    return [(a["id"], b["id"]) for i, a in enumerate(boxes) for b in boxes[i + 1:]
            if a["left"] < b["right"] and b["left"] < a["right"] and a["top"] < b["bottom"] and b["top"] < a["bottom"]]


def test_bundled_map_labels_do_not_overprint_and_zooming_in_reveals_hidden_ones(tmp_path):
    out = tmp_path / "m.html"
    done = CliRunner().invoke(cli, ["map", "--out", str(out)], catch_exceptions=False)
    assert done.exit_code == 0, done.output
    with open_local(out) as page:
        wait_ready(page)
        boxes = _label_boxes(page)
        assert len(boxes) >= 20 and _overlaps(boxes) == []
        # the two activities of the bundled map sit close together: at the opening zoom one label gives way
        hidden = page.evaluate("alliancesNodes.get().filter(n => n.label === '').map(n => n.id)")
        assert hidden, "some label must have given way at the opening zoom"
        nid = hidden[0]
        x, y = page.evaluate(
            "(id) => { const p = alliancesNetwork.canvasToDOM(alliancesNetwork.getPositions([id])[id]);"
            " const r = document.getElementById('map').getBoundingClientRect(); return [p.x + r.left, p.y + r.top]; }", nid)
        page.mouse.move(x, y)
        for _ in range(16):  # zoom in with the wheel, as a user does (each step about 1.1 times)
            page.mouse.wheel(0, -400)
            page.wait_for_timeout(60)
        page.wait_for_function("(id) => alliancesNodes.get(id).label !== ''", arg=nid, polling=100, timeout=10_000)
        assert page.evaluate("alliancesNetwork.getScale()") > 2
        _settled(page)
        assert _overlaps(_label_boxes(page)) == []
        _clean(page)


def test_drilled_down_labels_do_not_overprint(tmp_path, generated):
    out = _map(tmp_path, generated["data"])
    with open_local(out) as page:
        wait_ready(page)
        assert _overlaps(_label_boxes(page)) == []
        page.evaluate("alliancesOpenGroup('c0')")
        page.wait_for_function(DRILLED, polling=100, timeout=30_000)
        assert _overlaps(_label_boxes(page)) == []
        _clean(page)


def test_hover_and_selection_never_take_a_region_colour(tmp_path, generated):
    from alliances.regions import EXTRA_PALETTE, NO_REGION_COLOR, PALETTE
    from alliances.render.map import HOVER_BORDER, PATH_COLOR

    region_colours = {c.lower() for c in (*PALETTE, *EXTRA_PALETTE, NO_REGION_COLOR)}
    assert HOVER_BORDER.lower() not in region_colours and PATH_COLOR.lower() not in region_colours
    out = _map(tmp_path, generated["data"])
    with open_local(out) as page:
        wait_ready(page)
        page.evaluate("alliancesOpenGroup('c1')")
        page.wait_for_function(DRILLED, polling=100, timeout=30_000)
        for n in page.evaluate("alliancesNodes.get()"):  # members: fill stays, border turns black
            assert n["color"]["hover"]["background"] == n["color"]["background"]
            assert n["color"]["highlight"]["background"] == n["color"]["background"]
            assert n["color"]["hover"]["border"].lower() in ("#000", HOVER_BORDER.lower())
            assert n["color"]["hover"]["border"].lower() not in region_colours
        _clean(page)
