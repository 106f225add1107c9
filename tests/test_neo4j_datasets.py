"""Datasets as units of record in Neo4j: no silent overwrite, reloads that make the store equal the folder.

Against the live local server (scripts/neo4j start). Expected values are worked out by hand from the
bundled dataset (alliances/data/zigong) and the small datasets built here.
"""

from __future__ import annotations

import copy
import json

import pytest
from click.testing import CliRunner

from alliances.cli import cli
from alliances.dataset import Dataset, read_dataset, write_dataset
from alliances.errors import DatasetConflict
from alliances.store.neo4j import Neo4jStore
from tests.neo4j_dump import dump

pytestmark = pytest.mark.neo4j


def _env(neo4j_env):
    return {k: v for k, v in neo4j_env.items() if k.startswith("NEO4J_")}


def _q(driver, database, text, **params):
    records, _, _ = driver.execute_query(text, params, database_=database)
    return [r.data() for r in records]


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    """A generated network: it reuses the bundled region ids sichuan, zigong, chengdu, chongqing, rongchang."""
    from alliances.generate import generate_dataset

    return generate_dataset(tmp_path_factory.mktemp("gen") / "gen", 200, seed=5)["path"]


def test_a_second_dataset_that_reuses_region_ids_fails_and_writes_nothing(clean_neo4j, neo4j_env, neo4j_database,
                                                                          generated):
    runner = CliRunner()
    first = runner.invoke(cli, ["load", "--no-progress"], env=_env(neo4j_env))
    assert first.exit_code == 0, first.output
    before = dump(clean_neo4j, neo4j_database, skip_props=())
    result = runner.invoke(cli, ["load", str(generated), "--no-progress"], env=_env(neo4j_env))
    assert result.exit_code == 1
    out = result.output
    assert "nothing was written" in out and "--on-conflict update" in out
    # the five regions both datasets give, each listed with what differs
    for rid in ("sichuan", "zigong", "chengdu", "chongqing", "rongchang"):
        assert f"node {rid} (Region), held by zigong" in out
    assert 'aliases ["自贡", "盐都"] → (none)' in out and "source 'zigong-2022' → " in out
    assert dump(clean_neo4j, neo4j_database, skip_props=()) == before  # byte for byte, load time included


def test_on_conflict_update_merges_property_by_property_with_nothing_lost(clean_neo4j, neo4j_settings,
                                                                          neo4j_database, bundled, generated):
    gen = read_dataset(generated)
    with Neo4jStore(neo4j_settings) as store:
        store.load(bundled)
        with pytest.raises(DatasetConflict) as info:
            store.load(gen)
        assert {c["id"] for c in info.value.conflicts if c["kind"] == "node"} == {
            "sichuan", "zigong", "chengdu", "chongqing", "rongchang"}
        report = store.load(gen, on_conflict="update")
        assert report.merged >= 5
        back = store.read_dataset()
    [z] = _q(clean_neo4j, neo4j_database, "MATCH (n:AlliancesData {id: 'zigong'}) RETURN properties(n) AS p")
    z = z["p"]
    # the bundled node's aliases, description and figures stay; the generated dataset's values win
    assert z["aliases"] == ["自贡", "盐都"] and z["description"] == "The city the article reports on"
    assert z["two_new_orgs_on_provincial_platform"] == 1566 and z["coverage_nonpublic_enterprises_pct"] == 97.5
    assert z["name"] == "自贡市" and z["synthetic"] is True
    assert z["datasets"] == ["zigong", "gen"]
    assert z["source"] == gen.nodes["zigong"]["source"] and z["paragraphs"] == gen.nodes["zigong"]["paragraphs"]
    # provenance stays traversable: linked to both documents, each with its own paragraphs
    links = _q(clean_neo4j, neo4j_database, "MATCH (:AlliancesData {id: 'zigong'})-[c:SOURCED_FROM]->(s) "
                                            "RETURN s.id AS s, c.paragraphs AS p ORDER BY s")
    assert {r["s"]: r["p"] for r in links} == {"zigong-2022": [1, 4], gen.nodes["zigong"]["source"]: [1]}
    figures = {f["key"] for f in back.figures if f["node"] == "zigong"}
    assert figures == {f["key"] for f in bundled.figures if f["node"] == "zigong"}
    assert len(back.nodes) == len(set(bundled.nodes) | set(gen.nodes))


def test_a_reload_after_on_conflict_update_is_a_no_op_not_a_conflict(clean_neo4j, neo4j_env, neo4j_settings,
                                                                       neo4j_database, bundled, generated):
    """Load A, load the overlapping B with update, load B again with the default (fail): it succeeds, and
    the store is the same by full dump (the load time aside)."""
    gen = read_dataset(generated)
    with Neo4jStore(neo4j_settings) as store:
        store.load(bundled)
        store.load(gen, on_conflict="update")
        merged = dump(clean_neo4j, neo4j_database)
        report = store.load(gen)  # on_conflict="fail"
    assert report.merged >= 5 and report.nodes_created == 0 and report.relationships_created == 0
    assert report.nodes_removed == 0 and report.relationships_removed == 0
    assert dump(clean_neo4j, neo4j_database) == merged
    # the same through the CLI, as a planner runs it
    result = CliRunner().invoke(cli, ["load", str(generated), "--no-progress"], env=_env(neo4j_env))
    assert result.exit_code == 0, result.output
    assert dump(clean_neo4j, neo4j_database) == merged
    # a reload that does change a value the other dataset holds is still a conflict
    changed = copy.deepcopy(gen)
    changed.nodes["zigong"]["name"] = "自贡"
    with Neo4jStore(neo4j_settings) as store, pytest.raises(DatasetConflict) as info:
        store.load(changed, name="gen")
    assert [(c["id"], [d[0] for d in c["differences"]]) for c in info.value.conflicts] == [("zigong", ["name"])]
    assert dump(clean_neo4j, neo4j_database) == merged


def test_registry_entries_carry_the_dataset_tag_and_go_with_their_dataset(clean_neo4j, neo4j_settings,
                                                                            neo4j_database, generated, tmp_path):
    """Registry entries are tagged like the graph's nodes: held by each dataset that loads them, let go of on a
    reload without them and when their dataset is dropped (removed, with their match, once nobody holds them)."""
    import shutil

    from tests.neo4j_dump import registry_in_store, with_registry

    folder = shutil.copytree(generated, tmp_path / "reg")
    registry = with_registry(folder)
    ds = read_dataset(folder)
    ids = sorted(e["id"] for e in registry)
    matches = {e["id"]: e["match"] for e in registry if e["match"]}
    assert len(ids) == 4 and matches
    matched = registry[[e["id"] for e in registry].index(min(matches))]
    with Neo4jStore(neo4j_settings) as store:
        store.load(ds, name="one")
        assert [(i, d, m) for i, d, m, _ in registry_in_store(clean_neo4j, neo4j_database)] == [
            (i, ["one"], matches.get(i)) for i in ids]
        store.load(ds, name="two")
        assert [d for _, d, _, _ in registry_in_store(clean_neo4j, neo4j_database)] == [["one", "two"]] * 4
        assert store.drop_dataset("one")["registry"] == 4  # counted though another dataset still holds them
        assert [(i, d) for i, d, _, _ in registry_in_store(clean_neo4j, neo4j_database)] == [(i, ["two"]) for i in ids]
        # a reload without the matched entry lets go of it: nobody else holds it, so it and its match go
        fewer = copy.deepcopy(ds)
        fewer.registry = [e for e in fewer.registry if e["id"] != matched["id"]]
        store.load(fewer, name="two")
        left = registry_in_store(clean_neo4j, neo4j_database)
        assert [i for i, _, _, _ in left] == [i for i in ids if i != matched["id"]]
        assert _q(clean_neo4j, neo4j_database, "MATCH (e)-[r:REGISTERED_AS]->() RETURN e.id AS e ORDER BY e") == [
            {"e": i} for i in sorted(matches) if i != matched["id"]]
        assert store.drop_dataset("two")["registry"] == 3
    assert registry_in_store(clean_neo4j, neo4j_database) == []


def test_on_conflict_keep_keeps_the_stored_values_and_fills_gaps(clean_neo4j, neo4j_settings, neo4j_database,
                                                                 bundled, generated):
    gen = read_dataset(generated)
    with Neo4jStore(neo4j_settings) as store:
        store.load(bundled)
        store.load(gen, on_conflict="keep")
    [z] = _q(clean_neo4j, neo4j_database, "MATCH (n:AlliancesData {id: 'zigong'}) RETURN properties(n) AS p")
    z = z["p"]
    assert z["source"] == "zigong-2022" and z["paragraphs"] == [1, 4] and z["aliases"] == ["自贡", "盐都"]
    assert z["synthetic"] is True  # a gap the bundled node left, filled
    assert z["datasets"] == ["zigong", "gen"]


def _tiny(tmp_path, name, nodes, rels):
    from tests.test_map import _node, _rel, make_dataset

    return make_dataset(tmp_path / name, [_node(*n) if isinstance(n, tuple) else _node(n) for n in nodes],
                        [_rel(*r) for r in rels])


def test_a_reload_makes_the_store_equal_the_dataset(clean_neo4j, neo4j_settings, neo4j_database, tmp_path):
    """x corrected from Organization to Alliance; a–MANAGES→x removed, a–MEMBER_OF→x added; b dropped."""
    first = _tiny(tmp_path, "v1", ["a", "b", "x"], [("a", "GUIDES", "b"), ("a", "MANAGES", "x")])
    second = _tiny(tmp_path, "v2", ["a", ("x", "Alliance")], [("a", "MEMBER_OF", "x")])
    with Neo4jStore(neo4j_settings) as store:
        store.load(read_dataset(first), name="tiny")
        report = store.load(read_dataset(second), name="tiny")
        back = store.read_dataset()
    assert report.nodes_removed == 1 and report.relationships_removed == 2
    rows = _q(clean_neo4j, neo4j_database, "MATCH (n:AlliancesData) RETURN n.id AS id, labels(n) AS labels ORDER BY id")
    assert [(r["id"], sorted(r["labels"])) for r in rows] == [
        ("a", ["AlliancesData", "Organization"]), ("x", ["Alliance", "AlliancesData"])]
    rows = _q(clean_neo4j, neo4j_database,
              "MATCH (a:AlliancesData)-[r]->(b:AlliancesData) RETURN a.id AS a, type(r) AS t, b.id AS b")
    assert rows == [{"a": "a", "t": "MEMBER_OF", "b": "x"}]
    ds = read_dataset(second)
    assert back.nodes == ds.nodes and back.relationships == ds.relationships
    # the store exported as a folder passes validate
    out = write_dataset(back, tmp_path / "back")
    assert CliRunner().invoke(cli, ["validate", str(out)]).exit_code == 0


def test_a_node_another_dataset_holds_is_let_go_of_not_deleted(clean_neo4j, neo4j_settings, neo4j_database,
                                                               tmp_path):
    one = _tiny(tmp_path, "one", ["a", "shared"], [("a", "GUIDES", "shared")])
    two = _tiny(tmp_path, "two", ["b", "shared"], [("b", "GUIDES", "shared")])
    with Neo4jStore(neo4j_settings) as store:
        store.load(read_dataset(one), name="one")
        store.load(read_dataset(two), name="two")
        store.load(read_dataset(_tiny(tmp_path, "one-b", ["a"], [])), name="one")
        held = _q(clean_neo4j, neo4j_database, "MATCH (n:AlliancesData) RETURN n.id AS id, n.datasets AS d ORDER BY id")
        assert held == [{"id": "a", "d": ["one"]}, {"id": "b", "d": ["two"]}, {"id": "shared", "d": ["two"]}]
        gone = store.drop_dataset("two")
        assert gone == {"nodes": 2, "relationships": 1, "sources": 1, "registry": 0}
        assert [r["name"] for r in store.datasets()] == ["one"]
    held = _q(clean_neo4j, neo4j_database, "MATCH (n:AlliancesData) RETURN n.id AS id")
    assert held == [{"id": "a"}]


def test_replace_replaces_one_dataset_not_all(clean_neo4j, neo4j_env, neo4j_database, tmp_path):
    runner = CliRunner()
    one = _tiny(tmp_path, "one", ["a1", "a2"], [("a1", "GUIDES", "a2")])
    two = _tiny(tmp_path, "two", ["b1", "b2"], [("b1", "GUIDES", "b2")])
    for folder in (one, two):
        assert runner.invoke(cli, ["load", str(folder), "--no-progress"], env=_env(neo4j_env)).exit_code == 0
    def of_two():
        return [n for n in dump(clean_neo4j, neo4j_database)["nodes"]
                if "AlliancesData" in n[0] and ("datasets", ["two"]) in n[1]]

    before_two = of_two()
    result = runner.invoke(cli, ["load", str(one), "--replace", "--yes", "--no-progress"], env=_env(neo4j_env))
    assert result.exit_code == 0, result.output
    ids = [r["id"] for r in _q(clean_neo4j, neo4j_database, "MATCH (n:AlliancesData) RETURN n.id AS id ORDER BY id")]
    assert ids == ["a1", "a2", "b1", "b2"]
    assert of_two() == before_two and len(before_two) == 2  # b1 and b2, untouched


def test_datasets_lists_name_source_counts_and_load_time(clean_neo4j, neo4j_env, bundled, tmp_path):
    runner = CliRunner()
    assert runner.invoke(cli, ["load", "--no-progress"], env=_env(neo4j_env)).exit_code == 0
    result = runner.invoke(cli, ["datasets", "--neo4j", "--format", "json"], env=_env(neo4j_env))
    assert result.exit_code == 0, result.output
    [row] = json.loads(result.output)
    labels, types = bundled.counts()
    assert (row["name"], row["nodes"], row["relationships"], row["figures"], row["sources"]) == (
        "zigong", 36, 46, len(bundled.figures), 1)
    assert row["source"].endswith("alliances/data/zigong") and row["labels"] == labels and row["types"] == types
    assert row["loaded_at"].endswith("+00:00") and row["loaded_at"][:2] == "20"
    table = runner.invoke(cli, ["datasets", "--neo4j"], env=_env(neo4j_env))
    assert table.exit_code == 0 and "zigong" in table.output and "载入时间" in table.output  # headers in Chinese
    table_en = runner.invoke(cli, ["datasets", "--neo4j", "--lang", "en"], env=_env(neo4j_env))
    assert table_en.exit_code == 0 and "zigong" in table_en.output and "loaded at" in table_en.output
    bad = runner.invoke(cli, ["datasets"], env=_env(neo4j_env))
    assert bad.exit_code == 2 and "--neo4j" in bad.output
    unknown = runner.invoke(cli, ["datasets", "--neo4j", "--drop", "nope", "--yes"], env=_env(neo4j_env))
    assert unknown.exit_code == 2 and "zigong" in unknown.output
    dropped = runner.invoke(cli, ["datasets", "--neo4j", "--drop", "zigong", "--yes"], env=_env(neo4j_env))
    assert dropped.exit_code == 0, dropped.output
    assert "let go of 36 nodes, 46 relationships and 1 sources" in dropped.output  # no registry: not named


def test_dates_are_neo4j_dates_with_their_precision(clean_neo4j, neo4j_settings, neo4j_database, bundled):
    with Neo4jStore(neo4j_settings) as store:
        store.load(bundled)
    rows = _q(clean_neo4j, neo4j_database,
              "MATCH (a)-[r]->(b) WHERE r.date IS NOT NULL RETURN a.id AS a, type(r) AS t, valueType(r.date) AS vt, "
              "toString(r.date) AS d, r.date_precision AS p, r.date_note AS note ORDER BY a, t")
    assert rows == [
        {"a": "huashang-committee", "t": "PARTY_TO", "vt": "DATE NOT NULL", "d": "2020-01-01", "p": "year",
         "note": "2020年末"},
        {"a": "yanshikou-committee", "t": "PARTY_TO", "vt": "DATE NOT NULL", "d": "2020-01-01", "p": "year",
         "note": "2020年末"},
        {"a": "zhongxing-branch", "t": "RECEIVED", "vt": "DATE NOT NULL", "d": "2019-01-01", "p": "year",
         "note": "2019年"},
    ]
    # a date filter works as in Bloom or a BI tool
    [n] = _q(clean_neo4j, neo4j_database, "MATCH ()-[r]->() WHERE r.date >= date('2020-01-01') RETURN count(r) AS n")
    assert n["n"] == 2
    [s] = _q(clean_neo4j, neo4j_database, "MATCH (s:AlliancesSource) RETURN valueType(s.published) AS t, "
                                          "s.published_precision AS p, valueType(s.paragraph_numbering) AS pn")
    assert s == {"t": "DATE NOT NULL", "p": "month", "pn": "STRING NOT NULL"}
    kinds = _q(clean_neo4j, neo4j_database,
               "MATCH (n:AlliancesData) RETURN DISTINCT valueType(n.paragraphs) AS t UNION "
               "MATCH (:AlliancesData)-[r]->() RETURN DISTINCT valueType(r.paragraphs) AS t")
    assert {k["t"] for k in kinds} == {"LIST<INTEGER NOT NULL> NOT NULL"}


def test_a_store_of_the_old_label_is_migrated_by_load(clean_neo4j, neo4j_env, neo4j_database):
    db = neo4j_database
    clean_neo4j.execute_query("CREATE CONSTRAINT Alliances_id_unique IF NOT EXISTS FOR (n:Alliances) "
                              "REQUIRE n.id IS UNIQUE", database_=db)
    try:
        clean_neo4j.execute_query(
            "CREATE (:Alliances:Region {id: 'old-r', name: '旧地区', source: 's0', paragraphs: [1]})"
            "<-[:LOCATED_IN {source: 's0', paragraphs: [1]}]-(:Alliances:Organization {id: 'old-o', name: '旧组织', "
            "kind: 'enterprise', region: 'old-r', source: 's0', paragraphs: [1]}), "
            "(:AlliancesSource {id: 's0', title: '旧来源'})", database_=db)
        runner = CliRunner()
        read = runner.invoke(cli, ["centrality", "--neo4j"], env=_env(neo4j_env))
        assert read.exit_code == 1 and "older alliances" in read.output and "alliances load" in read.output
        result = runner.invoke(cli, ["load", "--no-progress"], env=_env(neo4j_env))
        assert result.exit_code == 0, result.output
        assert _q(clean_neo4j, db, "MATCH (n:Alliances) RETURN count(n) AS n") == [{"n": 0}]
        rows = _q(clean_neo4j, db, "MATCH (n:AlliancesData) WHERE n.id STARTS WITH 'old-' "
                                   "RETURN n.id AS id, n.datasets AS d ORDER BY id")
        assert rows == [{"id": "old-o", "d": ["unnamed"]}, {"id": "old-r", "d": ["unnamed"]}]
        names = json.loads(runner.invoke(cli, ["datasets", "--neo4j", "--format", "json"],
                                         env=_env(neo4j_env)).output)
        assert [d["name"] for d in names] == ["unnamed", "zigong"]
        assert [d["nodes"] for d in names][0] == 2
        constraints = {r["name"] for r in _q(clean_neo4j, db, "SHOW CONSTRAINTS YIELD name RETURN name")}
        assert "Alliances_id_unique" not in constraints and "AlliancesData_id_unique" in constraints
    finally:
        clean_neo4j.execute_query("DROP CONSTRAINT Alliances_id_unique IF EXISTS", database_=db)


def test_chinese_search_uses_the_cjk_fulltext_index(clean_neo4j, neo4j_settings, neo4j_env, neo4j_database,
                                                    bundled, monkeypatch):
    with Neo4jStore(neo4j_settings) as store:
        store.load(bundled)
    [idx] = _q(clean_neo4j, neo4j_database, "SHOW FULLTEXT INDEXES YIELD name, labelsOrTypes, properties, options "
                                            "WHERE name = 'alliances_names' RETURN *")
    assert idx["options"]["indexConfig"]["fulltext.analyzer"] == "cjk"
    assert idx["labelsOrTypes"] == ["AlliancesData"]
    assert idx["properties"] == ["name", "name_en", "aliases", "description"]
    runner = CliRunner()
    local = runner.invoke(cli, ["search", "盐市口", "--format", "json"])

    def whole(self, *a, **k):
        raise AssertionError("read the whole graph or name table instead of the index")

    monkeypatch.setattr(Neo4jStore, "read_dataset", whole)
    monkeypatch.setattr(Neo4jStore, "name_table", whole)
    remote = runner.invoke(cli, ["search", "盐市口", "--format", "json", "--neo4j"], env=_env(neo4j_env))
    assert remote.exit_code == 0, remote.output
    assert json.loads(remote.output) == json.loads(local.output)
    assert {r["id"] for r in json.loads(remote.output)} == {
        "yanshikou-circle", "yanshikou-committee", "huashang-yanshikou-alliance"}
    # an alias (盐都 is an alias of zigong only) and name resolution for path go through the index too
    with Neo4jStore(neo4j_settings) as store:
        assert [h["id"] for h in store.search_names("盐都")] == ["zigong"]
    path = runner.invoke(cli, ["path", "华商商圈党委", "解放碑商圈党委", "--neo4j", "--format", "json"],
                         env=_env(neo4j_env))
    assert path.exit_code == 0, path.output
    assert json.loads(path.output) == json.loads(
        runner.invoke(cli, ["path", "华商商圈党委", "解放碑商圈党委", "--format", "json"]).output)


def test_chinese_search_without_the_fulltext_index_reads_the_name_table(clean_neo4j, neo4j_settings, neo4j_env,
                                                                        neo4j_database, bundled):
    # a store whose cjk index is missing (or still populating after a bulk import) answers from the
    # name table: the same hits, no error
    with Neo4jStore(neo4j_settings) as store:
        store.load(bundled)
        assert store.fulltext_online()
        assert [h["id"] for h in store.search_names("盐都")] == ["zigong"]
    runner = CliRunner()
    local = runner.invoke(cli, ["search", "盐市口", "--format", "json"])
    try:
        clean_neo4j.execute_query("DROP INDEX alliances_names", database_=neo4j_database)
        with Neo4jStore(neo4j_settings) as store:
            assert not store.fulltext_online()
            assert store.search_names("盐都") is None
        remote = runner.invoke(cli, ["search", "盐市口", "--format", "json", "--neo4j"], env=_env(neo4j_env))
        assert remote.exit_code == 0, remote.output
        assert json.loads(remote.output) == json.loads(local.output)
        assert {r["id"] for r in json.loads(remote.output)} == {
            "yanshikou-circle", "yanshikou-committee", "huashang-yanshikou-alliance"}
    finally:
        with Neo4jStore(neo4j_settings) as store:
            store.ensure_schema()


def test_unsupported_uri_scheme_and_tls_mismatch_are_one_clear_line(neo4j_env):
    from tests.conftest import run_cli

    env = {**_env(neo4j_env), "LANG": "C"}
    proc = run_cli("datasets", "--neo4j", "--uri", "http://neo4j:s3cret@127.0.0.1:7474", env=env, timeout=60)
    err = proc.stderr.decode()
    assert proc.returncode == 2 and "Traceback" not in err and len(err.strip().splitlines()) == 1
    assert "http:// is not a Neo4j scheme" in err and "bolt://" in err and "s3cret" not in err
    tls = neo4j_env["NEO4J_URI"].replace("bolt://", "neo4j+s://")
    proc = run_cli("datasets", "--neo4j", "--uri", tls, env=env, timeout=60)
    err = proc.stderr.decode()
    assert proc.returncode == 1 and "Traceback" not in err and len(err.strip().splitlines()) == 1
    assert "TLS" in err and "server answered without TLS" in err
    assert neo4j_env["NEO4J_URI"].replace("bolt://", "neo4j://") in err  # what to change on the client side
    assert "server.bolt.tls_level" in err  # or on the server side
