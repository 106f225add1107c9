"""Corridors, cut points, communities and the report on the arrays equal the networkx reference.

Above ``Thresholds.engine`` these run on :class:`alliances.engine.OrganisationsView`
(no graph built); the threshold is lowered here so generated networks of a few
hundred organisations cross it.
"""

from __future__ import annotations


import networkx as nx
import pytest

from alliances import network
from alliances.analysis import brokerage
from alliances.analysis.communities import louvain, modularity_arrays
from alliances.analysis.whatif import organisations_view
from alliances.dataset import read_dataset
from alliances.generate import generate_dataset
from alliances.graph import build_graph
from alliances.network import Network

from tests.test_brokerage_arrays import labelled  # one labelling of random graphs


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    folder = tmp_path_factory.mktemp("g") / "g600"
    generate_dataset(folder, 600, seed=5)
    return read_dataset(folder)


@pytest.fixture
def low(monkeypatch):
    monkeypatch.setattr(network, "THRESHOLDS", network.THRESHOLDS.with_(engine=50))


@pytest.mark.parametrize("seed", range(5))
def test_corridors_on_csr_equal_networkx_on_random_graphs(seed):
    # sparse graphs with several components, so some corridors are cut, some closed
    G = nx.gnm_random_graph(150, 160 + 40 * seed, seed=seed)
    G.add_nodes_from(range(150, 154))
    H = labelled(G, seed)
    assert brokerage.corridors(brokerage.view_of(H)) == brokerage.corridors(H)


def test_the_tables_of_a_generated_projection_equal_networkx(generated):
    H, _ = organisations_view(build_graph(generated))
    V = brokerage.view_of(H)
    ref = brokerage.corridors(H)
    assert brokerage.corridors(V) == ref
    assert any(r["cut_nodes"] or r["cut_ties"] for r in ref) or all(r["cut"] == "none" for r in ref)
    assert brokerage.broker_table(V) == brokerage.broker_table(H)
    assert brokerage.cut_points(V) == brokerage.cut_points(H)
    assert brokerage.region_tie_matrix(V) == brokerage.region_tie_matrix(H)


def test_cut_points_on_arrays_on_graphs_with_bridges():
    for G in (nx.barbell_graph(5, 3), nx.path_graph(6), nx.karate_club_graph(), nx.empty_graph(4)):
        H = labelled(nx.convert_node_labels_to_integers(nx.Graph(G)), 3)
        assert brokerage.cut_points(brokerage.view_of(H)) == brokerage.cut_points(H)


def test_a_large_network_gives_the_view_and_builds_no_graph(generated, low):
    net = Network(generated)
    V, meta = organisations_view(net)
    assert brokerage.is_view(V) and not net.has_graph
    H, meta_graph = organisations_view(net.graph)
    assert meta == {**meta_graph, "missing_ties": []}
    assert brokerage.corridors(V) == brokerage.corridors(H)
    assert brokerage.broker_table(V) == brokerage.broker_table(H)


def test_louvain_on_the_view_is_the_same_partition_with_networkx_modularity(generated, low):
    H, _ = organisations_view(build_graph(generated))
    V = brokerage.view_of(H)
    got, ref = louvain(V, seed=3), louvain(H, seed=3)
    assert [c["members"] for c in got["communities"]] == [c["members"] for c in ref["communities"]]
    assert got["membership"] == ref["membership"]
    assert got["modularity"] == pytest.approx(ref["modularity"], abs=1e-9)
    assert got["communities"] == ref["communities"]


def test_plm_modularity_within_002_of_networkx_louvain(generated, monkeypatch):
    H, _ = organisations_view(build_graph(generated))
    nx_q = nx.community.modularity(H, nx.community.louvain_communities(H, seed=0, weight="weight"),
                                   weight="weight")
    monkeypatch.setattr(network, "THRESHOLDS", network.THRESHOLDS.with_(engine=50))
    plm = louvain(brokerage.view_of(H), seed=0)
    assert abs(plm["modularity"] - nx_q) <= 0.02


def test_modularity_arrays_equals_networkx():
    from alliances import engine

    G = nx.les_miserables_graph()
    parts = nx.community.louvain_communities(G, seed=1, weight="weight")
    P = engine.projection_from_networkx(G)
    index = {n: i for i, n in enumerate(P.ids)}
    membership = [0] * P.n
    for c, members in enumerate(parts):
        for n in members:
            membership[index[n]] = c
    assert modularity_arrays(P, membership) == pytest.approx(
        nx.community.modularity(G, parts, weight="weight"), abs=1e-12)


def _without_scores(rep):
    """The report without the centrality numbers (the engine's PageRank differs from
    networkx's in the sixth decimal: tested in test_engine.py) and the map page."""
    out = {k: v for k, v in rep.items() if k != "map_html"}
    strip = ("pagerank", "betweenness", "closeness", "harmonic", "eigenvector")
    out["hubs"] = [{k: v for k, v in r.items() if k not in strip} for r in rep["hubs"]]
    out["full"] = {**rep["full"], "hubs": [{k: v for k, v in r.items() if k not in strip}
                                           for r in rep["full"]["hubs"]]}
    return out


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_report_on_arrays_equals_the_graphs(generated, monkeypatch, lang):
    from alliances.render.report import build_report

    ref = build_report(Network(generated), lang=lang, full_tables=False)  # 600 < 2,000: networkx
    monkeypatch.setattr(network, "THRESHOLDS", network.THRESHOLDS.with_(engine=50))
    net = Network(generated)
    assert net.analyses_on_arrays()
    built = {}
    got = build_report(net, lang=lang, full_tables=False,
                       progress=lambda stage: built.setdefault(stage, net.has_graph))
    assert built["map"] is False  # every analysis ran without the graph (a small map draws it)
    # Louvain differs by backend (networkx below the threshold, networkit's PLM above):
    # compared by modularity; every other section is the same, row by row, citations included
    assert abs(got["communities"]["modularity"] - ref["communities"]["modularity"]) <= 0.02
    for rep in (got, ref):
        for key in ("communities", "totals"):
            rep.pop(key)
        rep["full"].pop("communities")
    assert _without_scores(got) == _without_scores(ref)
    assert got["provenance"] and got["corridors"] and got["suggestions"] and got["hubs"]


def test_the_report_without_tables_counts_every_suggestion(generated):
    from alliances.analysis.suggest import suggest_partners
    from alliances.render.report import build_report

    rep = build_report(Network(generated), top=5, full_tables=False)
    every = suggest_partners(Network(generated), top=3)
    assert rep["totals"]["suggestions"] == len(every) > 5
    assert [s["id"] for s in rep["suggestions"]] == [s["id"] for s in every[:5]]
    assert [(s["id"], s["partner"]) for s in rep["full"]["suggestions"]] == \
        [(s["id"], s["partner"]) for s in every[:5]]


AS_OF = "2021-06-30"


def test_as_of_on_arrays_equals_the_filtered_graph(generated, low):
    from alliances.analysis.communities import communities_report

    net = Network(generated)
    V, meta = organisations_view(net, as_of=AS_OF)
    assert brokerage.is_view(V) and not net.has_graph
    H, meta_graph = organisations_view(Network(generated).graph, as_of=AS_OF)
    assert meta == meta_graph and meta["removed_nodes"] > 0
    assert brokerage.corridors(V) == brokerage.corridors(H)
    assert brokerage.broker_table(V) == brokerage.broker_table(H)
    assert brokerage.cut_points(V) == brokerage.cut_points(H)
    for projection in ("full", "organizations"):
        got = communities_report(net, projection=projection, as_of=AS_OF, seed=2)
        ref = communities_report(Network(generated).graph, projection=projection, as_of=AS_OF, seed=2)
        assert got[0] == ref[0]
        assert got[1]["communities"] == ref[1]["communities"]
        assert got[1]["modularity"] == pytest.approx(ref[1]["modularity"], abs=1e-9)
    assert not net.has_graph


def test_the_report_as_of_a_date_on_arrays_equals_the_graphs(generated, monkeypatch):
    from alliances.render.report import build_report

    ref = build_report(Network(generated), as_of=AS_OF, full_tables=False)
    monkeypatch.setattr(network, "THRESHOLDS", network.THRESHOLDS.with_(engine=50))
    net = Network(generated)
    built = {}
    got = build_report(net, as_of=AS_OF, full_tables=False,
                       progress=lambda stage: built.setdefault(stage, net.has_graph))
    assert built["map"] is False and got["meta"] == ref["meta"]
    for rep in (got, ref):
        for key in ("communities", "totals"):
            rep.pop(key)
        rep["full"].pop("communities")
    assert _without_scores(got) == _without_scores(ref)


def test_suggestions_as_of_a_date_on_arrays_equal_the_filtered_graphs(generated, low):
    from alliances.analysis.suggest import suggest_report

    net = Network(generated)
    got = suggest_report(net, as_of=AS_OF, top=3)
    assert not net.has_graph
    ref = suggest_report(Network(generated).graph, as_of=AS_OF, top=3)
    assert got == ref and got[1]


def _tie(generated):
    """Two organisations tied by a direct partnership relationship."""
    from alliances import model

    for r in generated.relationships:
        if r["type"] in model.PARTNERSHIP_TYPES and generated.nodes[r["start"]]["label"] == "Organization" \
                and generated.nodes[r["end"]]["label"] == "Organization":
            return r["start"], r["end"]
    raise AssertionError("no direct tie in the generated network")


@pytest.mark.parametrize("as_of", [None, AS_OF])
def test_whatif_on_arrays_equals_the_graphs(generated, monkeypatch, as_of):
    from alliances.analysis.whatif import what_if

    ref_net = Network(generated)
    H, _ = organisations_view(ref_net.graph)
    hub = max(H, key=H.degree)
    tie = _tie(generated)
    kwargs = dict(without=[hub, "alliance-1"], without_ties=[tie, ("org-1", "org-2")], as_of=as_of, top=5)
    ref = what_if(ref_net.graph, **kwargs)
    monkeypatch.setattr(network, "THRESHOLDS", network.THRESHOLDS.with_(engine=50))
    net = Network(generated)
    got = what_if(net, **kwargs)
    assert not net.has_graph
    # top hubs: the engine's betweenness above the lowered threshold; every other part exact
    got.pop("top_hubs"), ref.pop("top_hubs")
    assert got == ref
    assert ref["meta"]["removed_nodes"] >= 2 and ref["articulation_points"] is not None
    on_graph = what_if(Network(generated).graph, **kwargs)  # the engine on the graph, same threshold
    assert what_if(Network(generated), **kwargs)["top_hubs"] == on_graph["top_hubs"]
