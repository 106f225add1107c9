"""Exports: round trips through xlsx, GraphML, GEXF, JSON, CSV and Cypher into Neo4j."""

from __future__ import annotations

import json
from pathlib import Path

import networkx as nx
import pytest
import xmlschema
from click.testing import CliRunner

from alliances.cli import cli
from alliances.dataset import read_dataset
from alliances.io.export import cypher_literal, cypher_script, flat_graph, split_cypher
from alliances.io.importer import import_source
from tests.conftest import run_cli

SCHEMAS = Path(__file__).parent / "schemas"


def export(tmp_path, fmt, name, *extra):
    out = tmp_path / name
    result = CliRunner().invoke(cli, ["export", "--format", fmt, "--out", str(out), *extra])
    assert result.exit_code == 0, result.output
    return out


def flat(value):
    """The documented string-safe form: lists joined with ';'."""
    return ";".join(map(str, value)) if isinstance(value, list) else value


def test_bundled_dataset_xlsx_import_round_trip(tmp_path, bundled):
    book = export(tmp_path, "xlsx", "bundled.xlsx")
    back = import_source([book]).dataset
    assert back.nodes == bundled.nodes
    assert back.relationships == bundled.relationships
    assert back.figures == bundled.figures
    assert back.sources == bundled.sources


def test_csv_export_is_the_dataset_folder(tmp_path, bundled):
    out = export(tmp_path, "csv", "folder")
    back = read_dataset(out)
    assert (back.nodes, back.relationships, back.figures, back.sources) == (
        bundled.nodes, bundled.relationships, bundled.figures, bundled.sources)


def test_graphml_reads_back_with_every_node_edge_and_attribute(tmp_path, bundled, bundled_graph):
    path = export(tmp_path, "graphml", "g.graphml")
    xmlschema.XMLSchema(SCHEMAS / "graphml.xsd").validate(path)
    R = nx.read_graphml(path, force_multigraph=True)
    G = bundled_graph
    assert set(R.nodes) == set(bundled.nodes)
    for n, d in G.nodes(data=True):
        assert R.nodes[n] == {k: flat(v) for k, v in d.items()}, n
    assert sorted(R.edges(keys=True)) == sorted((r["start"], r["end"], r["type"]) for r in bundled.relationships)
    for u, v, k, d in G.edges(keys=True, data=True):
        assert R.edges[u, v, k] == {a: flat(b) for a, b in d.items()}
    # hand-checked values from alliances/data/zigong: zigong's aliases and a figure
    assert R.nodes["zigong"]["aliases"] == "自贡;盐都"
    assert R.nodes["zigong"]["two_new_orgs_on_provincial_platform"] == 1566
    assert R.nodes["zigong"]["coverage_nonpublic_enterprises_pct"] == 97.5


def test_gexf_reads_back_with_every_attribute(tmp_path, bundled_graph):
    path = export(tmp_path, "gexf", "g.gexf")
    xmlschema.XMLSchema(SCHEMAS / "gexf.xsd").validate(path)
    X = nx.read_gexf(path)
    G = bundled_graph
    assert set(X.nodes) == set(G.nodes)
    for n, d in G.nodes(data=True):
        got = X.nodes[n]
        # documented: GEXF's label is the Chinese name; the model label is node_label
        assert got["label"] == d["name"]
        assert got["node_label"] == d["label"]
        for k, v in d.items():
            if k != "label":
                assert got[k] == flat(v), (n, k)
        assert set(got) == (set(d) - {"label"}) | {"node_label", "label", "viz"}
    # colour by region group, the map's palette colour of zigong (Tol's purple #AA4499 = 170, 68, 153)
    from alliances import regions

    zigong = regions.colors({d["region_group"] for _, d in G.nodes(data=True)})["zigong"]
    assert zigong == "#AA4499"
    assert X.nodes["zigong"]["viz"]["color"] == {"r": 170, "g": 68, "b": 153, "a": 1.0}
    assert X.nodes["huashang-committee"]["viz"]["color"] == X.nodes["zigong"]["viz"]["color"]
    assert X.number_of_edges() == G.number_of_edges()
    for u, v, d in X.edges(data=True):
        original = G.get_edge_data(u, v)[d["label"]]
        assert {k: val for k, val in d.items() if k not in ("id", "label")} == {
            k: flat(val) for k, val in original.items()}


def test_schemas_reject_broken_documents(tmp_path):
    graphml = xmlschema.XMLSchema(SCHEMAS / "graphml.xsd")
    bad = ('<graphml xmlns="http://graphml.graphdrawing.org/xmlns"><graph edgedefault="directed">'
           '<node id="a"/><edge source="a" target="missing"/></graph></graphml>')
    assert not graphml.is_valid(bad)
    gexf = xmlschema.XMLSchema(SCHEMAS / "gexf.xsd")
    assert not gexf.is_valid('<gexf xmlns="http://www.gexf.net/1.2draft" version="1.2"><graph>'
                             '<nodes><node/></nodes></graph></gexf>')


def test_node_link_json_shape(tmp_path, bundled_graph):
    path = export(tmp_path, "json", "g.json")
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["directed"] is True and data["multigraph"] is True
    assert {"nodes", "links", "graph"} <= set(data)
    zigong = next(n for n in data["nodes"] if n["id"] == "zigong")
    assert zigong["aliases"] == ["自贡", "盐都"]  # lists stay lists in JSON
    link = next(x for x in data["links"] if x["key"] == "FOUNDED" and x["start"] == "zigong")
    assert link["source"] == "zigong-2022"  # provenance kept, endpoints under start/end
    R = nx.node_link_graph(data, edges="links", source="start", target="end")
    G = bundled_graph
    # node_link_graph takes "id" as the node key, so it is not repeated in the data
    assert dict(R.nodes(data=True)) == {n: {k: v for k, v in d.items() if k != "id"} for n, d in G.nodes(data=True)}
    assert sorted(R.edges(keys=True)) == sorted(G.edges(keys=True))
    for u, v, k, d in G.edges(keys=True, data=True):
        # node_link_graph drops start/end from the data: they are the endpoints
        assert R.edges[u, v, k] == {a: b for a, b in d.items() if a not in ("start", "end")}


def test_flat_graph_gives_one_type_per_attribute():
    G = nx.MultiDiGraph()
    G.add_node("a", x=1, tags=["p", "q"], flag=True)
    G.add_node("b", x=2.5, tags=[], flag=False)
    H, node_types, _ = flat_graph(G)
    assert node_types == {"x": "double", "tags": "string", "flag": "boolean"}
    assert H.nodes["a"] == {"x": 1.0, "tags": "p;q", "flag": True}
    assert G.nodes["a"]["tags"] == ["p", "q"]  # the original is untouched


def test_cypher_literal_escaping():
    assert cypher_literal("it's") == r"'it\'s'"
    assert cypher_literal("a\\b") == r"'a\\b'"
    assert cypher_literal("l1\nl2\t\x01") == r"'l1\nl2\t\u0001'"
    assert cypher_literal({"k": [1, 2.5, True, None]}) == "{`k`: [1, 2.5, true, null]}"
    with pytest.raises(ValueError):
        cypher_literal(float("nan"))


def test_cypher_script_shape(bundled):
    from alliances.store.cypher_export import script_steps

    script = cypher_script(bundled)
    statements = split_cypher(script)
    constraints = [s for s in statements if s.startswith("CREATE CONSTRAINT")]
    assert constraints and statements[: len(constraints)] == constraints  # constraints first
    assert all("IF NOT EXISTS" in s for s in constraints)
    merges = [s for s in statements if s.startswith("UNWIND")]
    # one statement per label present and per type present (each batch < 5,000 rows here)
    labels, types = bundled.counts()
    assert len(merges) == 1 + len(labels) + len(types)
    # parameterised: every UNWIND reads $rows, set by the :param line just before it; the statement
    # text holds no row values, so the server plans each once
    steps = script_steps(script)
    for i, (kind, text) in enumerate(steps):
        if kind == "cypher" and text.startswith("UNWIND"):
            assert steps[i - 1][0] == "param" and steps[i - 1][1].startswith("rows => '")
            assert "huashang" not in text and "自贡" not in text
    params = {text.split(" => ")[0] for kind, text in steps if kind == "param"}
    assert params == {"enc", "name", "rows", "props"}
    assert all(line.startswith(":param ") for line in script.splitlines() if line.startswith(":"))


NASTY = ["it's \"quoted\"", "back\\slash\\", "line\nbreak\r\ttab", "nul-ish \x01\x1f", "中文；全角　空格",
         "emoji 😀", "'; MATCH (n) DETACH DELETE n; //", "\u2028sep"]


@pytest.mark.neo4j
def test_cypher_literals_round_trip_through_neo4j(neo4j_driver, neo4j_database):
    for text in NASTY:
        records, _, _ = neo4j_driver.execute_query(f"RETURN {cypher_literal(text)} AS v", database_=neo4j_database)
        assert records[0]["v"] == text


def cypher_shell(*args, timeout=600):
    """The real cypher-shell (Maven Central, 5.26 line) against the test server, as a user runs it."""
    import subprocess

    from tests.conftest import ROOT

    proc = subprocess.run([str(ROOT / "scripts" / "neo4j"), "cypher-shell", *args], capture_output=True,
                          text=True, timeout=timeout)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return proc


@pytest.mark.neo4j
def test_cypher_export_recreates_the_graph_in_neo4j(tmp_path, bundled, neo4j_driver, neo4j_database, clean_neo4j):
    from alliances.store.neo4j import node_row
    from alliances.store.rows import native, rel_props, source_props

    path = export(tmp_path, "cypher", "g.cypher")
    for _ in range(2):  # idempotent: the second run changes nothing
        cypher_shell("-d", neo4j_database, "-f", str(path))
    db = neo4j_database
    labels, types = bundled.counts()
    rows, _, _ = neo4j_driver.execute_query(
        "MATCH (n:AlliancesData) RETURN [l IN labels(n) WHERE l <> 'AlliancesData'][0] AS label, count(*) AS c",
        database_=db)
    assert {r["label"]: r["c"] for r in rows} == labels
    rows, _, _ = neo4j_driver.execute_query("MATCH (:AlliancesData)-[r]->(:AlliancesData) RETURN type(r) AS t, count(*) AS c",
                                            database_=db)
    assert {r["t"]: r["c"] for r in rows} == types
    rows, _, _ = neo4j_driver.execute_query("MATCH (s:AlliancesSource) RETURN s", database_=db)
    assert {r["s"]["id"]: {k: native(v) for k, v in dict(r["s"]).items()} for r in rows} == {
        k: {"id": k, **source_props(v), "datasets": ["zigong"]} for k, v in bundled.sources.items()}
    figures: dict = {}
    for f in bundled.figures:
        figures.setdefault(f["node"], []).append(f)
    rows, _, _ = neo4j_driver.execute_query("MATCH (n:AlliancesData) RETURN n", database_=db)
    got = {r["n"]["id"]: {k: native(v) for k, v in dict(r["n"]).items()} for r in rows}
    for nid in bundled.nodes:
        assert got[nid] == {**node_row(bundled, nid, figures)["props"], "datasets": ["zigong"]}, nid
    assert got["zigong"]["aliases"] == ["自贡", "盐都"]
    rows, _, _ = neo4j_driver.execute_query(
        "MATCH (a)-[r]->(b) RETURN a.id AS s, type(r) AS t, b.id AS e, properties(r) AS p", database_=db)
    got_rels = {(r["s"], r["t"], r["e"]): {k: native(v) for k, v in r["p"].items()} for r in rows}
    for rel in bundled.relationships:
        assert got_rels[(rel["start"], rel["type"], rel["end"])] == {**rel_props(rel), "datasets": ["zigong"]}
    records, _, _ = neo4j_driver.execute_query(
        "MATCH ()-[r:PARTY_TO]->() RETURN DISTINCT valueType(r.date) AS t, r.date_precision AS p", database_=db)
    assert [(r["t"], r["p"]) for r in records] == [("DATE NOT NULL", "year")]


@pytest.mark.neo4j
def test_cypher_shell_replay_stores_exactly_what_load_stores(tmp_path, neo4j_driver, neo4j_database, clean_neo4j,
                                                             neo4j_settings):
    """A generated network with figures of both number types, ``ended`` dates and tie weights and counts:
    full dumps of the two databases are equal."""
    from alliances.dataset import read_dataset, write_dataset
    from alliances.generate import generate_dataset
    from alliances.store.neo4j import Neo4jStore
    from tests.conftest import wipe
    from tests.neo4j_dump import (ENDS_AND_TIES, dump, ends_and_ties, registry_in_store, with_ends_and_ties,
                                  with_registry)

    info = generate_dataset(tmp_path / "gen", 400, seed=3)
    ds = read_dataset(info["path"])
    some = sorted(n for n, d in ds.nodes.items() if d["label"] == "Organization")[:3]
    ds.figures += [{"node": some[0], "key": "members", "value": 12, "qualifier": "exact", "unit": "", "label_zh": "",
                    "label_en": "", "source": next(iter(ds.sources)), "paragraphs": [1]},
                   {"node": some[1], "key": "members", "value": 12.5, "qualifier": "about", "unit": "",
                    "label_zh": "党员", "label_en": "", "source": next(iter(ds.sources)), "paragraphs": [1, 2]}]
    with_ends_and_ties(ds)
    folder = write_dataset(ds, tmp_path / "ds")
    with_registry(folder)
    ds = read_dataset(folder)
    with Neo4jStore(neo4j_settings) as store:
        store.load(ds)
    loaded = dump(neo4j_driver, neo4j_database)
    assert ends_and_ties(neo4j_driver, neo4j_database) == ENDS_AND_TIES
    registry = registry_in_store(neo4j_driver, neo4j_database)
    assert len(registry) == 4 and sorted(match for _, _, match, _ in registry if match) == ["org-0", "org-3"]
    assert all(datasets == ["ds"] for _, datasets, _, _ in registry)
    wipe(neo4j_driver, neo4j_database)
    script = export(tmp_path, "cypher", "g.cypher", "--data", str(folder))
    cypher_shell("-d", neo4j_database, "-f", str(script))
    replayed = dump(neo4j_driver, neo4j_database)
    assert len(replayed["nodes"]) == len(ds.nodes) + len(ds.sources) + len(ds.registry) + 1
    assert ends_and_ties(neo4j_driver, neo4j_database) == ENDS_AND_TIES
    assert registry_in_store(neo4j_driver, neo4j_database) == registry
    assert replayed == loaded


def test_export_refuses_to_overwrite(tmp_path):
    path = tmp_path / "g.json"
    path.write_text("keep")
    result = CliRunner().invoke(cli, ["export", "--format", "json", "--out", str(path)])
    assert result.exit_code == 2 and "--force" in result.output
    assert path.read_text() == "keep"


def test_export_from_an_imported_dataset_as_a_subprocess_under_lang_c(tmp_path, bundled):
    env = {"LANG": "C", "LC_ALL": "C"}
    proc = run_cli("export", "--format", "gexf", "--out", str(tmp_path / "g.gexf"), env=env)
    assert proc.returncode == 0, proc.stderr.decode()
    proc = run_cli("export", "--format", "csv", "--out", str(tmp_path / "ds"), env=env)
    assert proc.returncode == 0
    proc = run_cli("export", "--format", "graphml", "--data", str(tmp_path / "ds"),
                   "--out", str(tmp_path / "g.graphml"), env=env)
    assert proc.returncode == 0, proc.stderr.decode()
    assert nx.read_graphml(tmp_path / "g.graphml").number_of_nodes() == len(bundled.nodes)
