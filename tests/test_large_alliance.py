"""One very large alliance does not take the organisations projection down.

m members of one hub would make m(m-1)/2 ties (a 200,000-member alliance:
2·10¹⁰) and m³ brokerage two-paths. Above ``Thresholds.hub_members`` a hub
ties none of its members in the organisations projection, every result says
so, and both backends agree. The reference: the same projection of the graph
without that hub. Tests lower the threshold instead of building huge data.
"""

from __future__ import annotations

import copy
import json
import random

import networkx as nx
import pytest
from click.testing import CliRunner

from alliances import engine, network
from alliances.analysis.brokerage import broker_table
from alliances.analysis.centrality import centrality_report
from alliances.analysis.suggest import suggest_partners
from alliances.cli import cli
from alliances.dataset import read_dataset, write_dataset
from alliances.graph import build_graph, organizations_projection, partnership_graph
from alliances.network import Network

BIG = "big-alliance"


def with_big_alliance(ds, members: int, *, seed: int = 0):
    """``ds`` plus ``members`` new organisations (in three cities) that all join one new alliance;
    a few of them also join the bundled alliances or tie directly, so the rest of the network matters."""
    ds = copy.deepcopy(ds)
    rng = random.Random(seed)
    org = copy.deepcopy(ds.nodes["zg-org-dept"])
    alliance = copy.deepcopy(ds.nodes["huashang-alliance"])
    member_of = next(r for r in ds.relationships if r["type"] == "MEMBER_OF")
    ds.nodes[BIG] = {**alliance, "id": BIG, "name": "超大党建联盟", "name_en": "Big alliance", "aliases": []}
    old_orgs = sorted(n for n, d in ds.nodes.items() if d["label"] == "Organization")
    alliances = sorted(n for n, d in ds.nodes.items() if d["label"] == "Alliance" and n != BIG)
    regions = ["zigong", "chengdu", "chongqing"]
    new = []
    for i in range(members):
        nid = f"big-member-{i:05d}"
        ds.nodes[nid] = {**org, "id": nid, "name": f"成员单位{i:05d}", "name_en": f"Member {i}", "aliases": [],
                         "region": regions[i % 3], "kind": "enterprise"}
        ds.relationships.append({**member_of, "start": nid, "end": BIG})
        new.append(nid)
    for nid in rng.sample(new, min(members, 12)):
        ds.relationships.append({**member_of, "start": nid, "end": rng.choice(alliances)})
    for nid in rng.sample(old_orgs, 3):
        ds.relationships.append({**member_of, "start": nid, "end": BIG})
    return ds


@pytest.fixture
def capped(monkeypatch):
    monkeypatch.setattr(network, "THRESHOLDS", network.THRESHOLDS.with_(hub_members=40))


@pytest.fixture(scope="module")
def big(bundled):
    return with_big_alliance(bundled, 60)


def edges(H) -> dict:
    return {frozenset((u, v)): d["weight"] for u, v, d in H.edges(data=True)}


def array_edges(P) -> dict:
    return {frozenset((P.ids[a], P.ids[b])): w for a, b, w in zip(P.u.tolist(), P.v.tolist(), P.weight.tolist())}


def without_hub(G, hub):
    H = nx.MultiDiGraph(G)
    H.remove_node(hub)
    return H


def test_a_hub_above_the_limit_ties_none_of_its_members(big):
    G = build_graph(big)
    H = organizations_projection(G, max_members=40)
    reference = organizations_projection(without_hub(G, BIG))
    assert edges(H) == edges(reference)
    assert set(H) == set(reference)
    assert H.graph["capped_hubs"] == [{"id": BIG, "label": "Alliance", "members": 63}]
    # at or under the limit nothing changes
    assert edges(organizations_projection(G, max_members=63)) == edges(organizations_projection(G))
    assert organizations_projection(G, max_members=63).graph["capped_hubs"] == []


def test_arrays_cap_the_same_hubs_as_networkx(big):
    G = build_graph(big)
    for cap in (None, 1, 2, 40, 63):
        H = organizations_projection(G, max_members=cap)
        P = engine.projection_arrays(engine.arrays_from_dataset(big), max_members=cap)
        assert array_edges(P) == edges(H)
        assert P.capped_hubs == H.graph["capped_hubs"]
        P2 = partnership_graph(G)
        for hub, members in zip(P.capped_hubs, P.capped_members):
            want = {m for m in P2.neighbors(hub["id"]) if P2.nodes[m]["label"] == "Organization"}
            assert {P.ids[i] for i in members.tolist()} == want


def test_centrality_on_both_backends_says_which_hub_was_capped(big, capped, monkeypatch):
    net = Network(big)
    on_arrays = centrality_report(net, projection_name="organizations")
    on_graph = centrality_report(Network(graph=build_graph(big)), projection_name="organizations")
    assert on_arrays["meta"]["capped_hubs"] == on_graph["meta"]["capped_hubs"] == [
        {"id": BIG, "label": "Alliance", "members": 63, "name": "超大党建联盟"}]
    assert on_arrays["rows"] == on_graph["rows"]
    monkeypatch.setattr(network, "THRESHOLDS", network.THRESHOLDS.with_(hub_members=40, engine=10))
    engine_rows = centrality_report(Network(big), projection_name="organizations")["rows"]
    assert [r["id"] for r in engine_rows] == [r["id"] for r in on_arrays["rows"]]
    for a, b in zip(engine_rows, on_arrays["rows"]):
        assert a["degree"] == pytest.approx(b["degree"]) and a["betweenness"] == pytest.approx(b["betweenness"], abs=1e-6)
    full = centrality_report(net, projection_name="full")
    assert full["meta"]["capped_hubs"] == []


def test_brokers_and_corridors_run_and_say_so(tmp_path, big, capped):
    folder = write_dataset(big, tmp_path / "big")
    runner = CliRunner()
    result = runner.invoke(cli, ["brokers", "--data", str(folder), "--format", "json", "--no-cache"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    assert out["meta"]["capped_hubs"][0]["id"] == BIG
    G = build_graph(read_dataset(folder))
    reference = broker_table(organizations_projection(without_hub(G, BIG)))
    # the JSON adds each region's name beside its id (issue 16)
    assert [{k: v for k, v in b.items() if k != "region_name"} for b in out["brokers"]] == reference
    assert all(b["region_name"] for b in out["brokers"])
    text = runner.invoke(cli, ["brokers", "--data", str(folder), "--no-cache"])
    assert text.exit_code == 0
    assert "超大党建联盟 (big-alliance) has 63 member organisations" in text.output
    corridors = runner.invoke(cli, ["corridors", "--data", str(folder), "--format", "json", "--no-cache"])
    assert corridors.exit_code == 0, corridors.output


def test_suggest_never_pairs_two_members_of_a_capped_hub(big, capped):
    G = build_graph(big)
    members = {m for m in partnership_graph(G).neighbors(BIG) if G.nodes[m]["label"] == "Organization"}
    for source in (Network(big), G, partnership_graph(G)):
        rows = suggest_partners(source, top=0)
        assert rows, "the scenario has suggestions outside the big alliance"
        assert not [r for r in rows if r["id"] in members and r["partner"] in members]
    pairs = [{frozenset((r["id"], r["partner"])) for r in suggest_partners(s, top=0)}
             for s in (Network(big), partnership_graph(G))]
    assert pairs[0] == pairs[1]
    # members of the big alliance still get partners outside it
    one = sorted(members)[0]
    assert all(r["partner"] not in members for r in suggest_partners(Network(big), for_node=one, top=0))


def test_a_five_thousand_member_alliance_projects_in_linear_size(bundled):
    """At the shipped limit: 5,000 members would be 12.5 million ties; capped, a handful remain."""
    ds = with_big_alliance(bundled, 5_000)
    P = Network(ds).projection_arrays("organizations")
    assert P.capped_hubs[0] == {"id": BIG, "label": "Alliance", "members": 5_003}
    assert len(P.u) < 2_000
    H = organizations_projection(build_graph(ds), max_members=network.THRESHOLDS.hub_members)
    assert edges(H) == array_edges(P)
