"""`alliances path --weighted`: a hop's length is 1 / strength (weight x count summed over its
relationships); checked by hand on a small network and against networkx's Dijkstra on random
pairs of a weighted generated network, on the graph and on the arrays."""

from __future__ import annotations

import csv
import json
import random

import networkx as nx
import pytest
from click.testing import CliRunner

from alliances import model, network
from alliances.cli import cli
from alliances.dataset import read_dataset, write_dataset
from alliances.network import Network
from alliances.paths import find_weighted_path_arrays, find_weighted_paths, network_paths

SOURCE = "id,title,publisher,published,file,paragraphs\ns1,测试来源,,,,\n"
NODE_HEAD = "id,label,name,name_en,kind,region,date,date_note,status,aliases,description,source,paragraphs\n"


def _folder(tmp_path, rels):
    """Organisations a..e; ``rels`` as (start, type, end, weight, count) with '' for none."""
    folder = tmp_path / "w"
    folder.mkdir()
    (folder / "sources.csv").write_text(SOURCE, encoding="utf-8")
    (folder / "nodes.csv").write_text(NODE_HEAD + "".join(
        f"{n},Organization,组织{n},Org {n.upper()},enterprise,,,,,,,s1,1\n" for n in "abcde"), encoding="utf-8")
    with open(folder / "relationships.csv", "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["start", "type", "end", "role", "date", "date_note", "status", "source", "paragraphs",
                    "weight", "count"])
        for s, t, e, weight, count in rels:
            w.writerow([s, t, e, "", "", "", "", "s1", "1", weight, count])
    return folder


# By hand: a–c directly is one weak tie (length 1/1 = 1); a–b is GUIDES weight 2 count 2 (strength 4,
# length 0.25) and b–c two relationships, GUIDES weight 1 + MANAGES weight 3 (strength 4, length 0.25):
# a–b–c has length 0.5 and is the weighted answer, though it has more hops. a–d–c: a–d weight 1
# (length 1), d–c weight 8 (0.125): 1.125. Unweighted, a–c (one hop) is the answer.
HAND = [("a", "GUIDES", "c", "", ""), ("a", "GUIDES", "b", "2", "2"), ("b", "GUIDES", "c", "1", ""),
        ("b", "MANAGES", "c", "3", ""), ("a", "GUIDES", "d", "", ""), ("d", "GUIDES", "c", "8", "")]


@pytest.fixture()
def hand(tmp_path):
    return _folder(tmp_path, HAND)


def test_strong_ties_are_short_by_hand(hand):
    net = Network(read_dataset(hand))
    [p] = find_weighted_paths(net.graph, "a", "c")
    assert p["nodes"] == ["a", "b", "c"] and p["hops"] == 2
    assert p["strengths"] == [4.0, 4.0] and p["length"] == pytest.approx(0.5)
    assert [r["type"] for r in p["relationships"]] == ["GUIDES", "GUIDES"]  # the hop's first in model order
    paths = find_weighted_paths(net.graph, "a", "c", k=3)
    assert [(q["nodes"], q["length"]) for q in paths] == [(["a", "b", "c"], 0.5), (["a", "c"], 1.0),
                                                          (["a", "d", "c"], 1.125)]
    assert find_weighted_paths(net.graph, "a", "c", max_hops=1) == []  # the shortest has two hops
    _, [plain] = network_paths(net, "a", "c")
    assert plain["nodes"] == ["a", "c"]


def test_the_arrays_give_the_same_weighted_path_by_hand(hand):
    net = Network(read_dataset(hand))
    assert find_weighted_path_arrays(net, "a", "c") == find_weighted_paths(net.graph, "a", "c")


def test_equally_short_weighted_paths_come_in_id_order(tmp_path):
    # a–b–e and a–c–e and a–d–e all have length 1/2 + 1/2; the first in node-id order is a–b–e
    rels = [(x, "GUIDES", y, "2", "") for x, y in (("a", "d"), ("d", "e"), ("a", "c"), ("c", "e"),
                                                      ("a", "b"), ("b", "e"))]
    net = Network(read_dataset(_folder(tmp_path, rels)))
    assert find_weighted_paths(net.graph, "a", "e")[0]["nodes"] == ["a", "b", "e"]
    assert find_weighted_path_arrays(net, "a", "e")[0]["nodes"] == ["a", "b", "e"]
    assert [p["nodes"][1] for p in find_weighted_paths(net.graph, "a", "e", k=3)] == ["b", "c", "d"]


def test_path_weighted_command_explains_each_hops_weight(hand):
    res = CliRunner().invoke(cli, ["path", "a", "c", "--weighted", "--data", str(hand)])
    assert res.exit_code == 0, res.output
    assert "长度 0.5" in res.output and "权重 4" in res.output
    assert res.output.index("组织a —") < res.output.index("组织b —")
    en = CliRunner().invoke(cli, ["path", "a", "c", "--weighted", "--lang", "en", "--data", str(hand)])
    assert "length 0.5" in en.output and "weight 4" in en.output and "Org A" in en.output
    out = json.loads(CliRunner().invoke(cli, ["path", "a", "c", "--weighted", "--k", "2", "--format", "json",
                                              "--data", str(hand)]).output)
    assert out["weighted"] is True
    assert [(len(p["nodes"]), p["length"], p["weights"]) for p in out["paths"]] == [(3, 0.5, [4.0, 4.0]),
                                                                                     (2, 1.0, [1.0])]
    plain = json.loads(CliRunner().invoke(cli, ["path", "a", "c", "--format", "json", "--data", str(hand)]).output)
    assert "weighted" not in plain and "length" not in plain["paths"][0]  # the unweighted shape is unchanged


def test_path_pairs_weighted_adds_the_length(hand, tmp_path):
    pairs = tmp_path / "pairs.csv"
    pairs.write_text("from,to\na,c\nd,b\n", encoding="utf-8")
    res = CliRunner().invoke(cli, ["path", "--pairs", str(pairs), "--weighted", "--format", "csv",
                                   "--data", str(hand)])
    assert res.exit_code == 0, res.output
    rows = list(csv.DictReader(res.output.splitlines()))
    assert [(r["path"], float(r["length"])) for r in rows] == [("组织a → 组织b → 组织c", 0.5),
                                                              ("组织d → 组织c → 组织b", 0.375)]


def test_weighted_with_to_region_is_a_usage_error(hand):
    res = CliRunner().invoke(cli, ["path", "--from", "a", "--to-region", "x", "--weighted", "--data", str(hand)])
    assert res.exit_code == 2 and "--weighted" in res.output and "Traceback" not in res.output


def test_unweighted_data_counts_each_relationship_once(bundled):
    # no weights: a hop's strength is its number of partnership relationships, so a weighted path
    # is never longer than the hop count and prefers hops held by several relationships
    net = Network(bundled)
    for a, b in (("huashang-committee", "jiefangbei-committee"), ("chen-guifang", net.resolve("高新区党工委"))):
        _, [plain] = network_paths(net, a, b)
        [w] = find_weighted_paths(net.graph, a, b)
        G = net.graph
        ties = lambda x, y: sum(k in model.PARTNERSHIP_TYPES for u, v in ((x, y), (y, x))  # noqa: E731
                                for k in (G[u][v] if G.has_edge(u, v) else {}))
        assert w["strengths"] == [float(ties(x, y)) for x, y in zip(w["nodes"], w["nodes"][1:])]
        assert w["length"] == pytest.approx(sum(1 / s for s in w["strengths"])) and w["length"] <= plain["hops"]


# ---------------------------------------------------------------------------
# Against networkx's Dijkstra on a weighted generated network


@pytest.fixture(scope="module")
def weighted_generated(tmp_path_factory):
    from alliances.generate import generate_dataset

    tmp = tmp_path_factory.mktemp("wgen")
    ds = read_dataset(generate_dataset(tmp / "gen", 300, seed=5)["path"])
    rng = random.Random(7)
    for rel in ds.relationships:
        rel["weight"] = round(rng.uniform(0.1, 10), 3)
        if rng.random() < 0.3:
            rel["count"] = rng.randint(1, 5)
    return read_dataset(write_dataset(ds, tmp / "weighted"))


def _reference(ds, via=None) -> nx.Graph:
    """The partnership graph built here, independently of the package: strength = sum of weight x count
    (with ``via``: ties of those types, every node taking part)."""
    H = nx.Graph()
    places = set() if via else {n for n, d in ds.nodes.items() if d["label"] in model.GEOGRAPHIC_LABELS}
    types = set(via or model.PARTNERSHIP_TYPES)
    H.add_nodes_from(n for n in ds.nodes if n not in places)
    for r in ds.relationships:
        a, b = r["start"], r["end"]
        if r["type"] not in types or a in places or b in places or a == b:
            continue
        value = float(r.get("weight", 1)) * r.get("count", 1)
        H.add_edge(a, b, strength=H.get_edge_data(a, b, {"strength": 0})["strength"] + value)
    for _, _, d in H.edges(data=True):
        d["length"] = 1 / d["strength"]
    return H


def test_random_pairs_equal_networkx_dijkstra_on_both_backends(weighted_generated):
    ds = weighted_generated
    H = _reference(ds)
    net = Network(ds)
    rng = random.Random(11)
    nodes = sorted(H)
    checked = 0
    for _ in range(40):
        a, b = rng.sample(nodes, 2)
        try:
            want = nx.dijkstra_path(H, a, b, weight="length")
        except nx.NetworkXNoPath:
            assert find_weighted_paths(net.graph, a, b) == [] == find_weighted_path_arrays(net, a, b)
            continue
        [got] = find_weighted_paths(net.graph, a, b)
        assert got["length"] == pytest.approx(nx.dijkstra_path_length(H, a, b, weight="length"), rel=1e-9)
        assert got["nodes"] == want  # random real weights: one shortest path
        assert got["strengths"] == pytest.approx([H[x][y]["strength"] for x, y in zip(want, want[1:])])
        [arr] = find_weighted_path_arrays(net, a, b)
        assert arr["nodes"] == got["nodes"] and arr["relationships"] == got["relationships"]
        assert arr["length"] == pytest.approx(got["length"], rel=1e-9)
        checked += 1
    assert checked >= 30


def test_k_weighted_paths_equal_networkx_shortest_simple_paths(weighted_generated):
    H = _reference(weighted_generated)
    net = Network(weighted_generated)
    rng = random.Random(3)
    nodes = sorted(n for n in H if H.degree(n) > 0)
    big = max(nx.connected_components(H), key=len)
    pairs = [p for p in (tuple(rng.sample(sorted(big), 2)) for _ in range(8))]
    for a, b in pairs:
        want = []
        for path in nx.shortest_simple_paths(H, a, b, weight="length"):
            want.append(path)
            if len(want) == 4:
                break
        got = find_weighted_paths(net.graph, a, b, k=4)
        assert [p["nodes"] for p in got] == want
    assert nodes


def test_the_command_answers_on_the_arrays_above_the_threshold(weighted_generated, monkeypatch):
    from alliances.source import GraphSource

    H = _reference(weighted_generated)
    big = sorted(max(nx.connected_components(H), key=len))
    a, b = big[0], big[-1]
    folder = str(weighted_generated.path)
    graph_answer = json.loads(CliRunner().invoke(cli, ["path", a, b, "--weighted", "--format", "json",
                                                       "--data", folder, "--no-cache"]).output)
    monkeypatch.setattr(network, "THRESHOLDS", network.THRESHOLDS.with_(path_arrays=0))
    net = GraphSource(folder, False, None).network()
    assert net.paths_on_arrays()
    res = CliRunner().invoke(cli, ["path", a, b, "--weighted", "--format", "json", "--data", folder, "--no-cache"])
    assert res.exit_code == 0, res.output
    arrays_answer = json.loads(res.output)
    assert arrays_answer == graph_answer
    assert arrays_answer["paths"][0]["nodes"][0]["id"] == a
    assert arrays_answer["paths"][0]["length"] == pytest.approx(nx.dijkstra_path_length(H, a, b, weight="length"))


@pytest.mark.neo4j
def test_weighted_path_from_neo4j_equals_the_folders(hand, clean_neo4j, neo4j_env):
    assert CliRunner().invoke(cli, ["load", str(hand)], env=neo4j_env).exit_code == 0
    args = ["path", "a", "c", "--weighted", "--k", "3", "--format", "json"]
    from_store = CliRunner().invoke(cli, [*args, "--neo4j"], env=neo4j_env)
    assert from_store.exit_code == 0, from_store.output
    from_folder = CliRunner().invoke(cli, [*args, "--data", str(hand)])
    assert json.loads(from_store.output) == json.loads(from_folder.output)
    assert [p["length"] for p in json.loads(from_store.output)["paths"]] == [0.5, 1.0, 1.125]


def test_weighted_paths_with_via_agree_on_both_backends(weighted_generated):
    """--via restricts the types on the arrays as on the graph; lengths still 1 / strength."""
    net = Network(weighted_generated)
    via = ["MEMBER_OF", "PARTICIPATED_IN", "GUIDES"]
    H = nx.Graph()
    for r in weighted_generated.relationships:
        if r["type"] in via and r["start"] != r["end"]:
            a, b = r["start"], r["end"]
            H.add_edge(a, b, s=H.get_edge_data(a, b, {"s": 0})["s"] + float(r.get("weight", 1)) * r.get("count", 1))
    rng = random.Random(5)
    big = sorted(max(nx.connected_components(H), key=len))
    for _ in range(15):
        a, b = rng.sample(big, 2)
        [g] = find_weighted_paths(net.graph, a, b, via=via)
        [arr] = find_weighted_path_arrays(net, a, b, via=via)
        want = nx.dijkstra_path_length(H, a, b, weight=lambda u, v, d: 1 / d["s"])
        assert g["length"] == pytest.approx(want, rel=1e-9) and arr["length"] == pytest.approx(want, rel=1e-9)
        assert arr["nodes"] == g["nodes"] and {r["type"] for r in g["relationships"]} <= set(via)
