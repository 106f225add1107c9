"""Neo4j as the system of record: the live local server, idempotent loads, same answers.

These run against the real server started by scripts/test (scripts/neo4j start).
"""

from __future__ import annotations

import json
import time

import networkx as nx
import pytest
from click.testing import CliRunner

from alliances.cli import cli
from alliances.settings import Neo4jSettings
from alliances.source import GraphSource
from alliances.dataset import Dataset
from alliances.errors import AuthenticationFailed, ConnectionFailed, DatabaseNotFound
from alliances.store.neo4j import Neo4jStore

pytestmark = pytest.mark.neo4j


@pytest.fixture
def loaded(clean_neo4j, neo4j_settings, bundled):
    with Neo4jStore(neo4j_settings) as store:
        store.load(bundled)
    return neo4j_settings


def _env(neo4j_env):
    return {k: v for k, v in neo4j_env.items() if k.startswith("NEO4J_")}


def test_load_twice_gives_identical_counts_and_creates_nothing_the_second_time(
        clean_neo4j, neo4j_env, bundled):
    runner = CliRunner()
    first = runner.invoke(cli, ["load", "--no-progress"], env=_env(neo4j_env))
    assert first.exit_code == 0, first.output
    second = runner.invoke(cli, ["load", "--no-progress"], env=_env(neo4j_env))
    assert second.exit_code == 0, second.output
    assert "36 nodes and 46 relationships created" in first.output
    assert "0 nodes and 0 relationships created" in second.output
    counts = [line for line in first.output.splitlines() if line.startswith(("Nodes in", "Relationships in"))]
    assert counts == [line for line in second.output.splitlines()
                      if line.startswith(("Nodes in", "Relationships in"))]
    labels, types = bundled.counts()
    assert "Organization 15" in counts[0] and "ORGANIZED 6" in counts[1]
    records, _, _ = clean_neo4j.execute_query("MATCH (n:AlliancesData) RETURN count(n) AS c",
                                              database_=neo4j_env["NEO4J_DATABASE"])
    assert records[0]["c"] == sum(labels.values())


def test_read_back_is_the_same_dataset(loaded, bundled):
    with Neo4jStore(loaded) as store:
        ds = store.read_dataset()
    assert ds.nodes == bundled.nodes
    key = lambda r: (r["start"], r["type"], r["end"])  # noqa: E731
    assert sorted(ds.relationships, key=key) == sorted(bundled.relationships, key=key)
    fkey = lambda f: (f["node"], f["key"])  # noqa: E731
    assert sorted(ds.figures, key=fkey) == sorted(bundled.figures, key=fkey)
    assert ds.sources == bundled.sources


def test_changed_rows_update_and_cleared_fields_disappear(loaded, bundled, tmp_path):
    import copy

    ds = copy.deepcopy(bundled)
    ds.nodes["huashang-committee"]["name_en"] = "Huashang committee (renamed)"
    ds.nodes["huashang-committee"]["description"] = ""
    with Neo4jStore(loaded) as store:
        report = store.load(ds)
        again = store.read_dataset()
    assert report.nodes_created == 0
    assert again.nodes["huashang-committee"]["name_en"] == "Huashang committee (renamed)"
    assert again.nodes["huashang-committee"]["description"] == ""


def test_constraints_exist_for_every_label(loaded, neo4j_driver, neo4j_database):
    from alliances import model

    records, _, _ = neo4j_driver.execute_query("SHOW CONSTRAINTS YIELD labelsOrTypes, properties, type",
                                               database_=neo4j_database)
    unique = {r["labelsOrTypes"][0] for r in records if r["type"] == "UNIQUENESS" and r["properties"] == ["id"]}
    # one id constraint for all project data (ids are unique across labels), one per store label
    assert set(model.META_LABELS) <= unique


@pytest.mark.parametrize("a, b, via", [
    ("huashang-committee", "jiefangbei-committee", None),
    ("yanshikou-committee", "zone-working-committee", None),  # no path
    ("zhongxing-branch", "jiefangbei-committee", ["GUIDES", "BRANCH_OF", "LOCATED_IN", "PART_OF", "ORGANIZED",
                                                  "PARTICIPATED_IN", "MEMBER_OF"]),
    ("chen-guifang", "zone-alliance", None),
    ("weipeng-branch", "weipeng", ["BRANCH_OF"]),
])
def test_paths_from_neo4j_match_the_embedded_default(loaded, bundled_graph, a, b, via):
    from alliances.graph import partnership_graph
    from alliances.paths import find_paths

    with Neo4jStore(loaded) as store:
        remote = store.paths(a, b, k=3, via=via)
    local = find_paths(bundled_graph, a, b, k=3, via=via)
    assert [p["hops"] for p in remote] == [p["hops"] for p in local]
    P = partnership_graph(bundled_graph, via)
    for p in remote:
        # every path Neo4j gives is a simple path of the same graph, hop by hop
        assert len(set(p["nodes"])) == len(p["nodes"])
        for (u, v), rel in zip(zip(p["nodes"], p["nodes"][1:]), p["relationships"]):
            assert P.has_edge(u, v) and {rel["start"], rel["end"]} == {u, v}
    if local:
        shortest = {tuple(x) for x in nx.all_shortest_paths(P, a, b)}
        assert tuple(remote[0]["nodes"]) in shortest


def test_equally_short_paths_are_the_same_from_neo4j_whatever_the_load_order(clean_neo4j, neo4j_settings, tmp_path):
    """The hand-worked ties of tests/test_paths.py, loaded in two orders: s, b, q, t both times."""
    from alliances.dataset import read_dataset, write_dataset
    from tests.test_map import _node, _rel
    from tests.test_paths import ties

    G = ties()
    nodes = [_node(n) for n in G.nodes]
    rels = [_rel(a, "MANAGES", b) for a, b, _ in G.edges(keys=True)]
    source = {"s1": {"id": "s1", "title": "ties", "publisher": "", "published": "", "file": "", "paragraphs": ""}}
    for order in (1, -1):
        from tests.conftest import wipe

        with Neo4jStore(neo4j_settings) as store:
            wipe(store.driver, neo4j_settings.database)
            write_dataset(Dataset(sources=source, nodes={n["id"]: n for n in nodes[::order]},
                                  relationships=rels[::order]), tmp_path / f"ties{order}")
            store.load(read_dataset(tmp_path / f"ties{order}"))
            assert [p["nodes"] for p in store.paths("s", "t")] == [["s", "b", "q", "t"]]
            assert [p["nodes"] for p in store.paths("t", "s")] == [["t", "a", "c", "s"]]
            assert [p["nodes"] for p in store.paths("s", "t", k=5)] == [
                ["s", "b", "q", "t"], ["s", "c", "a", "t"], ["s", "c", "p", "t"]]


def test_equally_short_paths_with_parallel_relationships_are_ranked_by_the_server_as_embedded(
        clean_neo4j, neo4j_settings, tmp_path):
    """Three 2-hop ways from s to t, the first in node-id order through b, whose hop to t is two
    relationships (GUIDES and MANAGES): Neo4j finds s-b-t twice, the server keeps it once, explained
    by GUIDES (first in the model's order), so k=2 and k=3 are not filled with the same path; the
    fourth path is the only 3-hop one (s-a-e-t)."""
    from alliances.dataset import read_dataset, write_dataset
    from alliances.graph import build_graph
    from alliances.paths import find_paths
    from tests.conftest import wipe
    from tests.test_map import _node, _rel

    ties = [("s", "MANAGES", "d"), ("d", "MANAGES", "t"), ("s", "MANAGES", "c"), ("c", "MANAGES", "t"),
            ("s", "MANAGES", "b"), ("b", "MANAGES", "t"), ("b", "GUIDES", "t"),
            ("s", "MANAGES", "a"), ("a", "MANAGES", "e"), ("e", "MANAGES", "t")]
    nodes = [_node(n) for n in "tsedcba"]
    rels = [_rel(a, kind, b) for a, kind, b in ties]
    source = {"s1": {"id": "s1", "title": "ties", "publisher": "", "published": "", "file": "", "paragraphs": ""}}
    expected = [["s", "b", "t"], ["s", "c", "t"], ["s", "d", "t"], ["s", "a", "e", "t"]]
    for order in (1, -1):
        write_dataset(Dataset(sources=source, nodes={n["id"]: n for n in nodes[::order]},
                              relationships=rels[::order]), tmp_path / f"ties{order}")
        ds = read_dataset(tmp_path / f"ties{order}")
        G = build_graph(ds)
        with Neo4jStore(neo4j_settings) as store:
            wipe(store.driver, neo4j_settings.database)
            store.load(ds)
            for k in (1, 2, 3, 4):
                remote = store.paths("s", "t", k=k)
                assert [p["nodes"] for p in remote] == expected[:k]
                assert remote == find_paths(G, "s", "t", k=k)
            first = store.paths("s", "t")[0]["relationships"]
            assert [(r["start"], r["type"], r["end"]) for r in first] == [("s", "MANAGES", "b"), ("b", "GUIDES", "t")]
            assert [p["nodes"] for p in store.paths("t", "s", k=3)] == [["t", "b", "s"], ["t", "c", "s"], ["t", "d", "s"]]


def test_paths_of_random_pairs_of_a_generated_network_equal_the_embedded_answer(clean_neo4j, neo4j_settings,
                                                                                  tmp_path):
    """Pair by pair, the whole answer (nodes and each hop's relationship with its properties) of
    store.paths equals alliances.paths.find_paths on the same data; with k=3 the shortest ones too."""
    import random

    from alliances.dataset import read_dataset
    from alliances.generate import generate_dataset
    from alliances.graph import build_graph
    from alliances.paths import find_paths

    info = generate_dataset(tmp_path / "gen", 1_500, seed=11)
    ds = read_dataset(info["path"])
    G = build_graph(ds)
    orgs = sorted(n for n, d in G.nodes(data=True) if d["label"] == "Organization")
    rng = random.Random(5)
    pairs = [tuple(rng.sample(orgs, 2)) for _ in range(60)]
    tied = answered = 0
    with Neo4jStore(neo4j_settings) as store:
        store.load(ds)
        for a, b in pairs:
            local = find_paths(G, a, b)
            assert store.paths(a, b) == local, (a, b)
            if not local:  # no path between the two, from either side
                continue
            answered += 1
            local3, remote3 = find_paths(G, a, b, k=3), store.paths(a, b, k=3)
            shortest = [p for p in local3 if p["hops"] == local[0]["hops"]]
            assert remote3[:len(shortest)] == shortest, (a, b)
            tied += len(shortest) > 1
    assert answered >= 40 and tied >= 10  # ties among equally short paths were decided, not just single answers


def test_cli_path_json_is_the_same_from_neo4j_and_embedded(loaded, neo4j_env):
    runner = CliRunner()
    args = ["path", "自贡华商商圈党委", "重庆解放碑商圈党委", "--format", "json", "--k", "2"]
    local = json.loads(runner.invoke(cli, args).output)
    result = runner.invoke(cli, [*args, "--neo4j"], env=_env(neo4j_env))
    assert result.exit_code == 0, result.output
    remote = json.loads(result.output)
    assert remote["from"] == local["from"] and remote["to"] == local["to"]
    assert sorted(json.dumps(p, sort_keys=True) for p in remote["paths"]) == \
        sorted(json.dumps(p, sort_keys=True) for p in local["paths"])


@pytest.mark.parametrize("a, b, extra", [
    ("huashang-committee", "jiefangbei-committee", []),
    ("ＨＵＡＳＨＡＮＧ　business circle", "解放碑", ["--k", "3"]),
    ("自贡华商商圈党委", "exchange-visits", ["--geography"]),
])
def test_cli_path_from_neo4j_reads_only_what_the_answer_needs(loaded, neo4j_env, monkeypatch, a, b, extra):
    """Names resolve by the embedded rules from the name table; the whole graph is never read."""
    runner = CliRunner()
    args = ["path", a, b, "--format", "json", *extra]
    local = runner.invoke(cli, args)

    def whole_graph(self):
        raise AssertionError("path --neo4j read the whole graph")

    monkeypatch.setattr(Neo4jStore, "read_dataset", whole_graph)
    result = runner.invoke(cli, [*args, "--neo4j"], env=_env(neo4j_env))
    assert (result.exit_code, result.output) == (local.exit_code, local.output)
    if local.exit_code == 0:
        data = json.loads(result.output)
        assert data["paths"] and {n["region_group"] for p in data["paths"] for n in p["nodes"]} - {"other"}


def test_cli_path_from_neo4j_ambiguous_and_unknown_names_as_embedded(loaded, neo4j_env):
    runner = CliRunner()
    for args in (["path", "党委", "weipeng"], ["path", "no-such-place", "weipeng"]):
        local = runner.invoke(cli, args)
        remote = runner.invoke(cli, [*args, "--neo4j"], env=_env(neo4j_env))
        assert local.exit_code == remote.exit_code != 0
        assert remote.output == local.output


def test_centrality_is_the_same_from_neo4j(loaded, neo4j_env):
    runner = CliRunner()
    local = json.loads(runner.invoke(cli, ["centrality", "--format", "json"]).output)
    result = runner.invoke(cli, ["centrality", "--format", "json", "--neo4j"], env=_env(neo4j_env))
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == local


def test_generated_10k_dataset_gives_the_same_answers(clean_neo4j, neo4j_settings, tmp_path):
    from alliances.generate import generate_dataset
    from alliances.dataset import read_dataset
    from alliances.graph import build_graph, partnership_graph
    from alliances.paths import find_paths
    from alliances.analysis.centrality import centrality_table
    import random

    info = generate_dataset(tmp_path / "gen", 7_600, seed=7)
    ds = read_dataset(info["path"])
    assert len(ds.nodes) >= 10_000  # ~10k nodes in all
    with Neo4jStore(neo4j_settings) as store:
        store.load(ds)
        remote_ds = store.read_dataset()
        G = build_graph(ds)
        R = build_graph(remote_ds)
        assert set(G.nodes) == set(R.nodes) and G.number_of_edges() == R.number_of_edges()
        orgs = sorted(n for n, d in G.nodes(data=True) if d["label"] == "Organization")
        rng = random.Random(3)
        P = partnership_graph(G)
        for _ in range(20):
            a, b = rng.sample(orgs, 2)
            local = find_paths(G, a, b)
            remote = store.paths(a, b)
            assert [p["hops"] for p in remote] == [p["hops"] for p in local]
            assert remote == local  # ties too: the server ranks equally short paths in path order
            if local:  # Neo4j's path is a shortest path of the same graph
                nodes = remote[0]["nodes"]
                assert all(P.has_edge(u, v) for u, v in zip(nodes, nodes[1:]))
                assert len(nodes) - 1 == nx.shortest_path_length(P, a, b)
    assert centrality_table(R, by="pagerank", top=50) == centrality_table(G, by="pagerank", top=50)


# ---------------------------------------------------------------------------
# Errors: one clear line, quickly


def _fails_fast(settings, exc):
    start = time.monotonic()
    with pytest.raises(exc) as info:
        with Neo4jStore(settings):
            pass
    assert time.monotonic() - start < 10
    assert settings.password not in str(info.value) or not settings.password
    return str(info.value)


def test_server_down_wrong_password_unknown_database(neo4j_settings):
    down = Neo4jSettings(uri="bolt://127.0.0.1:1", user="neo4j", password="s3cret-x", database="neo4j")
    msg = _fails_fast(down, ConnectionFailed)
    assert "bolt://127.0.0.1:1" in msg and "scripts/neo4j start" in msg
    unknown = Neo4jSettings(uri=neo4j_settings.uri, user=neo4j_settings.user,
                            password=neo4j_settings.password, database="nosuchdb")
    msg = _fails_fast(unknown, DatabaseNotFound)
    assert "nosuchdb" in msg
    wrong = Neo4jSettings(uri=neo4j_settings.uri, user="neo4j", password="not-the-password-42", database="neo4j")
    msg = _fails_fast(wrong, AuthenticationFailed)
    assert "not-the-password-42" not in msg and "NEO4J_PASSWORD" in msg


def test_cli_errors_are_one_line_without_traceback(neo4j_env):
    from tests.conftest import run_cli

    env = {**_env(neo4j_env), "NEO4J_PASSWORD": "wrong-password-77", "LANG": "C"}
    proc = run_cli("centrality", "--neo4j", env=env, timeout=60)
    err = proc.stderr.decode("utf-8", "replace")
    assert proc.returncode == 1 and err.startswith("Error: ") and "Traceback" not in err
    assert "wrong-password-77" not in err + proc.stdout.decode("utf-8", "replace")
    proc = run_cli("load", "--uri", "bolt://127.0.0.1:1", env={**env, "LANG": "C"}, timeout=60)
    assert proc.returncode == 1 and "bolt://127.0.0.1:1" in proc.stderr.decode()


def test_load_of_an_invalid_dataset_writes_nothing(clean_neo4j, neo4j_env, tmp_path, bundled):
    from alliances.dataset import write_dataset

    out = write_dataset(bundled, tmp_path / "bad")
    with open(out / "relationships.csv", "a", encoding="utf-8") as fh:
        fh.write("huashang-committee,MEMBER_OF,ghost,,,,,zigong-2022,7\n")
    result = CliRunner().invoke(cli, ["load", str(out), "--no-progress"], env=_env(neo4j_env))
    assert result.exit_code == 1 and "ghost" in result.output
    records, _, _ = clean_neo4j.execute_query("MATCH (n) RETURN count(n) AS c", database_=neo4j_env["NEO4J_DATABASE"])
    assert records[0]["c"] == 0


def test_replace_removes_only_the_projects_data(loaded, neo4j_driver, neo4j_database, neo4j_env):
    neo4j_driver.execute_query("CREATE (:Unrelated {x: 1})", database_=neo4j_database)
    result = CliRunner().invoke(cli, ["load", "--replace", "--yes", "--no-progress"], env=_env(neo4j_env))
    assert result.exit_code == 0, result.output
    records, _, _ = neo4j_driver.execute_query(
        "MATCH (n) RETURN sum(CASE WHEN n:Unrelated THEN 1 ELSE 0 END) AS other, "
        "sum(CASE WHEN n:AlliancesData THEN 1 ELSE 0 END) AS ours", database_=neo4j_database)
    assert records[0]["other"] == 1 and records[0]["ours"] == 36


def test_neo4j_routing_uri_works_unchanged(loaded, neo4j_env):
    # neo4j:// asks the server for a routing table (a cluster or Aura works the same way);
    # reads are sent as reads.
    uri = loaded.uri.replace("bolt://", "neo4j://")
    env = {**_env(neo4j_env), "NEO4J_URI": uri}
    result = CliRunner().invoke(cli, ["path", "huashang-committee", "jiefangbei-committee", "--neo4j",
                                      "--format", "json"], env=env)
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["paths"][0]["hops"] == 2


def test_map_from_neo4j_has_the_same_node_set(loaded, neo4j_env, tmp_path):
    from tests.test_map import map_data

    runner = CliRunner()
    local, remote = tmp_path / "local.html", tmp_path / "remote.html"
    assert runner.invoke(cli, ["map", "--out", str(local)]).exit_code == 0
    result = runner.invoke(cli, ["map", "--out", str(remote), "--neo4j"], env=_env(neo4j_env))
    assert result.exit_code == 0, result.output
    ids = lambda p: {n["id"] for n in map_data(p.read_text(encoding="utf-8"))["nodes"]}  # noqa: E731
    assert ids(remote) == ids(local) and len(ids(local)) == 36
