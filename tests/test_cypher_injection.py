"""Cypher injection: hostile text is stored and returned literally, and changes no query.

Every payload of ``tests/payloads.py::CYPHER`` becomes the name, English name,
description, aliases, status and date note of one Organization, and the role,
status and date note of its MEMBER_OF tie, in a dataset loaded through
``alliances load`` into the live Neo4j. Expected database contents follow from
the rows alone: the base dataset (5 nodes, 5 relationships, 1 source) plus one
node and one relationship per payload. Id-shaped payloads, which the id
pattern keeps out of files, go through ``search``/``show``/``path`` arguments.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from click.testing import CliRunner

from alliances import model
from alliances.cli import cli
from alliances.dataset import MAX_NAME, read_dataset, split_list
from alliances.store.neo4j import Neo4jStore
from tests.payloads import CLI_IDS, CYPHER
from tests.test_bad_input import _make_corpus_module, db_state

pytestmark = pytest.mark.neo4j

SENTINEL = "MATCH (s:InjectionSentinel {id: 'keep-me'}) RETURN count(s) AS c"


def _dataset_with_payloads(folder):
    mc = _make_corpus_module()
    tables = {k: [list(r) for r in rows] for k, rows in mc.BASE.items()}
    ncol, rcol = mc.COL["nodes"], mc.COL["relationships"]
    tables["sources"][1][1] = CYPHER[13]  # the source title too
    for i, text in enumerate(CYPHER):
        node = [""] * len(ncol)
        for col, value in (("id", f"inj-{i}"), ("label", "Organization"), ("name", name_of(i)), ("name_en", text),
                           ("kind", "enterprise"), ("region", "zigong"), ("date_note", text), ("status", text),
                           ("aliases", text), ("description", text), ("source", "s1"), ("paragraphs", "1")):
            node[ncol[col]] = value
        tables["nodes"].append(node)
        rel = [""] * len(rcol)
        for col, value in (("start", f"inj-{i}"), ("type", "MEMBER_OF"), ("end", "alliance-1"), ("role", text),
                           ("date_note", text), ("status", text), ("source", "s1"), ("paragraphs", "1")):
            rel[rcol[col]] = value
        tables["relationships"].append(rel)
    mc.write_tables(folder, tables)
    return folder


def name_of(i: int) -> str:
    """Names are limited to 1,000 characters (they are indexed); longer payloads go in the other fields."""
    return CYPHER[i] if len(CYPHER[i]) <= MAX_NAME else f"long payload {i}"


def _env(neo4j_env):
    return {k: v for k, v in neo4j_env.items() if k.startswith("NEO4J_")}


def _subprocess(*args, env):
    full = {k: v for k, v in os.environ.items() if not k.startswith("NEO4J_")}
    full.update({"LANG": "C", "LC_ALL": "C"})
    full.update(env)
    return subprocess.run([sys.executable, "-m", "alliances", *args], env=full, capture_output=True, timeout=300)


@pytest.fixture(scope="module")
def injected(tmp_path_factory, neo4j_env, neo4j_driver, neo4j_database):
    from tests.conftest import wipe

    folder = _dataset_with_payloads(tmp_path_factory.mktemp("inj") / "ds")
    ds = read_dataset(folder)
    wipe(neo4j_driver, neo4j_database)
    neo4j_driver.execute_query("CREATE (:InjectionSentinel {id: 'keep-me'})", database_=neo4j_database)
    before = db_state(neo4j_driver, neo4j_database)
    done = _subprocess("load", str(folder), "--no-progress", env=_env(neo4j_env))
    assert done.returncode == 0, done.stderr.decode()
    assert f"{5 + len(CYPHER)} relationships created" in done.stdout.decode()  # 5 base + one per payload
    yield {"ds": ds, "folder": folder, "before": before, "env": _env(neo4j_env)}
    neo4j_driver.execute_query("MATCH (s:InjectionSentinel) DELETE s", database_=neo4j_database)


def test_at_least_50_payloads():
    assert len(CYPHER) >= 50 and len(set(CYPHER)) == len(CYPHER)


def test_counts_are_exactly_the_rows_loaded(injected, neo4j_driver, neo4j_database):
    ds = injected["ds"]
    assert len(ds.nodes) == 5 + len(CYPHER) and len(ds.relationships) == 5 + len(CYPHER)
    after = db_state(neo4j_driver, neo4j_database)
    # nodes: the sentinel, one source, the dataset's record, the dataset's nodes
    assert after["nodes"] == 1 + 1 + 1 + len(ds.nodes)
    # relationships: the dataset's, and each node's SOURCED_FROM link to its source
    assert after["relationships"] == len(ds.relationships) + len(ds.nodes)
    records, _, _ = neo4j_driver.execute_query(SENTINEL, database_=neo4j_database)
    assert records[0]["c"] == 1


def test_labels_types_and_property_keys_only_from_the_rows(injected, neo4j_driver, neo4j_database):
    before, after = injected["before"], db_state(neo4j_driver, neo4j_database)
    # the schema step declares a constraint per model label, so those names exist; nothing else
    assert set(after["labels"]) - set(before["labels"]) <= {*model.LABELS, *model.META_LABELS}
    records, _, _ = neo4j_driver.execute_query("MATCH (n) UNWIND labels(n) AS l RETURN DISTINCT l",
                                               database_=neo4j_database)
    assert {r["l"] for r in records} == {"AlliancesData", "AlliancesSource", "AlliancesDataset", "Region",
                                         "Organization", "Alliance", "InjectionSentinel"}
    assert set(after["types"]) - set(before["types"]) <= {"LOCATED_IN", "MEMBER_OF", "FOUNDED", "SOURCED_FROM"}
    from alliances.store.neo4j import DATASET_KEYS
    from alliances.store.rows import STORE_KEYS

    allowed_keys = ({p.name for p in (*model.NODE_PROPS, *model.REL_PROPS, *model.SOURCE_PROPS)}
                    | {"party_members", "employees", "figures_json"} | STORE_KEYS | DATASET_KEYS)
    assert set(after["keys"]) - set(before["keys"]) <= allowed_keys
    assert "Pwned" not in after["labels"] and "KNOWS" not in after["types"] and "LIKES" not in after["types"]


def test_every_value_reads_back_exactly(injected, neo4j_driver, neo4j_database):
    records, _, _ = neo4j_driver.execute_query(
        "MATCH (n:Organization)-[r:MEMBER_OF]->(:Alliance {id: 'alliance-1'}) WHERE n.id STARTS WITH 'inj-' "
        "RETURN n.id AS id, n.name AS name, n.name_en AS en, n.description AS d, n.date_note AS dn, "
        "n.status AS st, n.aliases AS al, r.role AS role, r.date_note AS rdn, r.status AS rst",
        database_=neo4j_database)
    got = {r["id"]: r for r in records}
    assert len(got) == len(CYPHER)
    for i, text in enumerate(CYPHER):
        r = got[f"inj-{i}"]
        assert r["name"] == name_of(i)
        assert [r["en"], r["d"], r["dn"], r["st"], r["role"], r["rdn"], r["rst"]] == [text] * 7, i
        assert r["al"] == split_list(text)
    src, _, _ = neo4j_driver.execute_query("MATCH (s:AlliancesSource) RETURN s.title AS t", database_=neo4j_database)
    assert [r["t"] for r in src] == [CYPHER[13]]


def test_store_reads_back_the_same_dataset(injected, neo4j_settings):
    with Neo4jStore(neo4j_settings) as store:
        back = store.read_dataset()
    ds = injected["ds"]
    assert back.nodes == ds.nodes
    key = lambda r: (r["start"], r["type"], r["end"])  # noqa: E731
    assert sorted(back.relationships, key=key) == sorted(ds.relationships, key=key)


def test_second_load_changes_nothing(injected, neo4j_driver, neo4j_database):
    before = db_state(neo4j_driver, neo4j_database)
    result = CliRunner().invoke(cli, ["load", str(injected["folder"]), "--no-progress"], env=injected["env"])
    assert result.exit_code == 0, result.output
    assert "0 nodes and 0 relationships created" in result.output
    assert db_state(neo4j_driver, neo4j_database) == before


def test_search_and_show_return_each_payload_literally(injected, neo4j_driver, neo4j_database):
    before = db_state(neo4j_driver, neo4j_database)
    runner = CliRunner()
    for i, text in enumerate(CYPHER):
        found = runner.invoke(cli, ["search", "--neo4j", "--format", "json", "--limit", "1000", "--", text],
                              env=injected["env"])
        assert found.exit_code == 0, (i, found.output)
        assert f"inj-{i}" in [row["id"] for row in json.loads(found.output)], i
        shown = runner.invoke(cli, ["show", f"inj-{i}", "--neo4j", "--format", "json"], env=injected["env"])
        assert shown.exit_code == 0, (i, shown.output)
        doc = json.loads(shown.output)
        assert doc["node"]["name"] == name_of(i) and doc["node"]["description"] == text
        assert [t["role"] for t in doc["ties"] if t["type"] == "MEMBER_OF"] == [text]
    assert db_state(neo4j_driver, neo4j_database) == before


def test_path_between_payload_nodes(injected, neo4j_settings):
    # inj-0 and inj-1 are both MEMBER_OF alliance-1 and nothing else in the
    # partnership graph ties them, so the one shortest path is 2 hops.
    result = CliRunner().invoke(cli, ["path", "inj-0", "inj-1", "--neo4j", "--format", "json"], env=injected["env"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.output)
    assert [p["nodes"] for p in doc["paths"]] == [["inj-0", "alliance-1", "inj-1"]] or \
        [[n["id"] if isinstance(n, dict) else n for n in p["nodes"]] for p in doc["paths"]] == [
            ["inj-0", "alliance-1", "inj-1"]]
    with Neo4jStore(neo4j_settings) as store:
        assert [p["nodes"] for p in store.paths("inj-0", "inj-1")] == [["inj-0", "alliance-1", "inj-1"]]


def test_id_payloads_as_cli_arguments_are_rejected_or_literal(injected, neo4j_driver, neo4j_database,
                                                              neo4j_settings):
    before = db_state(neo4j_driver, neo4j_database)
    runner = CliRunner()
    for text in CLI_IDS:
        shown = runner.invoke(cli, ["show", "--neo4j", "--format", "json", "--", text], env=injected["env"])
        assert shown.exit_code in (0, 2), (text, shown.output)
        assert shown.exception is None or isinstance(shown.exception, SystemExit)
        if shown.exit_code == 0:  # it matched a node whose own text contains it, literally
            node = json.loads(shown.output)["node"]
            hay = " ".join([node["id"], node["name"], node.get("name_en", ""), *node.get("aliases", [])]).casefold()
            assert "".join(text.split()).casefold() in "".join(hay.split())
        else:
            assert "Error:" in shown.output
        path = runner.invoke(cli, ["path", "--neo4j", "--", text, "inj-0"], env=injected["env"])
        assert path.exit_code in (0, 2) and (path.exception is None or isinstance(path.exception, SystemExit))
        search = runner.invoke(cli, ["search", "--neo4j", "--format", "json", "--", text], env=injected["env"])
        assert search.exit_code == 0, search.output
        with Neo4jStore(neo4j_settings) as store:
            # straight to the store: the id is a parameter, so nothing matches it
            assert store.paths(text, "inj-0") == []
    assert db_state(neo4j_driver, neo4j_database) == before


@pytest.mark.parametrize("via", ["MEMBER_OF]-() DETACH DELETE n //", "MEMBER_OF|LIKES", "`MEMBER_OF`", "member_of"])
def test_relationship_type_payloads_never_reach_a_query(injected, neo4j_settings, neo4j_driver, neo4j_database, via):
    before = db_state(neo4j_driver, neo4j_database)
    result = CliRunner().invoke(cli, ["path", "inj-0", "inj-1", "--neo4j", "--via", via], env=injected["env"])
    assert result.exit_code == 2 and "unknown relationship type" in result.output
    with Neo4jStore(neo4j_settings) as store, pytest.raises(ValueError, match="not a model relationship type"):
        store.paths("inj-0", "inj-1", via=[via])
    assert db_state(neo4j_driver, neo4j_database) == before


def test_show_as_real_subprocess_under_c_locale(injected):
    done = _subprocess("show", "inj-13", "--neo4j", "--format", "json", env=injected["env"])
    assert done.returncode == 0, done.stderr.decode()
    assert json.loads(done.stdout.decode("utf-8"))["node"]["name"] == CYPHER[13]
