"""The bulk first load: `export --format neo4j-import` files and `scripts/neo4j import` equal `alliances load`."""

from __future__ import annotations

import csv
import os
import subprocess
import sys

import pytest
from click.testing import CliRunner

from alliances.cli import cli
from alliances.dataset import read_dataset, write_dataset
from tests.conftest import ROOT


def _with_figures(tmp_path):
    """A generated network plus figures of both number types on one key (an int here, a decimal there),
    ``ended`` dates and tie weights and counts."""
    from alliances.generate import generate_dataset
    from tests.neo4j_dump import with_ends_and_ties, with_registry

    ds = read_dataset(generate_dataset(tmp_path / "gen", 300, seed=11)["path"])
    orgs = sorted(n for n, d in ds.nodes.items() if d["label"] == "Organization")
    src = next(iter(ds.sources))
    fig = {"qualifier": "exact", "unit": "", "label_zh": "", "label_en": "", "source": src, "paragraphs": [1]}
    ds.figures += [{**fig, "node": orgs[0], "key": "members", "value": 12},
                   {**fig, "node": orgs[1], "key": "members", "value": 12.5},
                   {**fig, "node": orgs[1], "key": "employees", "value": 300}]
    ds.nodes[orgs[2]]["date"], ds.nodes[orgs[2]]["date_note"] = "2021-03", "2021年3月"
    ds.nodes[orgs[2]]["description"] = 'line one\nline "two", with a comma'
    ds.nodes[orgs[3]]["credit_code"] = "91510300MA62X1234Q"  # text, letters in it (a typed column would refuse it)
    with_ends_and_ties(ds)
    folder = write_dataset(ds, tmp_path / "ds")
    with_registry(folder)
    return folder


def test_import_files_have_typed_headers_and_one_file_per_figure_signature(tmp_path):
    folder = _with_figures(tmp_path)
    out = tmp_path / "imp"
    result = CliRunner().invoke(cli, ["export", "--format", "neo4j-import", "--data", str(folder), "--out", str(out)])
    assert result.exit_code == 0, result.output
    files = sorted(p.name for p in out.iterdir())
    assert {"sources.csv", "datasets.csv", "sourced_from.csv", "neo4j-admin.args", "nodes_Region.csv",
            "relationships_MEMBER_OF.csv"} <= set(files)
    org_files = [f for f in files if f.startswith("nodes_Organization")]
    assert len(org_files) == 3  # no figures; members:long; employees:long + members:double
    headers = {f: next(csv.reader(open(out / f, encoding="utf-8"))) for f in org_files}
    assert any(h[-3:] == ["employees:long", "members:double", ":LABEL"] for h in headers.values())
    assert any(h[-2:] == ["members:long", ":LABEL"] for h in headers.values())
    for h in headers.values():
        assert h[0] == "id:ID(Data)" and "date:date" in h and "paragraphs:long[]" in h and "aliases:string[]" in h
        assert "credit_code" in h and not any(c.startswith("credit_code:") for c in h)  # a string, never a number
    rel = next(csv.reader(open(out / "relationships_MEMBER_OF.csv", encoding="utf-8")))
    assert rel[:2] == [":START_ID(Data)", ":END_ID(Data)"] and rel[-1] == ":TYPE"
    args = (out / "neo4j-admin.args").read_text(encoding="utf-8").split()
    assert "--id-type=string" in args and f"--nodes={org_files[0]}" in args
    assert {"--nodes=registry.csv", "--relationships=registered_as.csv"} <= set(args)
    reg = list(csv.reader(open(out / "registry.csv", encoding="utf-8")))
    assert reg[0][0] == "id:ID(Registry)" and "match_score:long" in reg[0] and reg[0][-2:] == ["datasets:string[]",
                                                                                           ":LABEL"]
    assert len(reg) == 5 and {r[-2:] == ["ds", "RegistryEntry"] for r in reg[1:]} == {True}
    assert list(csv.reader(open(out / "registered_as.csv", encoding="utf-8")))[1:] == [
        [reg[1][0], "org-0", "name", "100", "REGISTERED_AS"], [reg[2][0], "org-3", "name", "100", "REGISTERED_AS"]]
    # the schema load creates, one statement per ';'-ended line (what LocalNeo4j and cypher-shell -f run)
    from alliances.store.cypher import schema_statements

    script = (out / "schema.cypher").read_text(encoding="utf-8")
    body = "\n".join(line for line in script.splitlines() if not line.startswith("//"))
    assert [t.strip() for t in (body + "\n").split(";\n") if t.strip()] == [t.strip() for t in schema_statements()]
    # a line break, a quote and a comma in a description survive the column writer as CSV quoting
    import glob

    rows = [r for f in glob.glob(str(out / "nodes_Organization*.csv")) for r in csv.reader(open(f, encoding="utf-8"))]
    assert any('line one\nline "two", with a comma' in r for r in rows)
    # the relationship rows are the dataset's, cell by cell as rel_props gives them
    from alliances.store.rows import rel_row

    ds = read_dataset(folder)
    member_of = [r for r in ds.relationships if r["type"] == "MEMBER_OF"]
    written = list(csv.reader(open(out / "relationships_MEMBER_OF.csv", encoding="utf-8")))[1:]
    assert len(written) == len(member_of)
    header = rel
    for rel_, row in zip(member_of, written):
        props = rel_row(rel_)["props"]
        cells = dict(zip(header, row))
        assert (cells[":START_ID(Data)"], cells[":END_ID(Data)"]) == (rel_["start"], rel_["end"])
        assert cells["date:date"] == (props["date"].isoformat() if "date" in props else "")
        assert cells["paragraphs:long[]"] == ";".join(map(str, props.get("paragraphs", [])))
        assert cells["weight:double"] == (repr(props["weight"]) if "weight" in props else "")
    again = CliRunner().invoke(cli, ["export", "--format", "neo4j-import", "--data", str(folder), "--out", str(out)])
    assert again.exit_code == 2 and "--force" in again.output


def test_column_writer_writes_the_row_writers_bytes(tmp_path):
    """Relationship files written by column equal, byte for byte, a csv.writer fed rel_row's props
    cell by cell, from a plain dataset and from its snapshot (columns)."""
    import io

    from alliances.snapshot import read_checked
    from alliances.store.admin_import import REL_COLUMNS, _cell, _header, write_import_files
    from alliances.store.rows import rel_row

    folder = _with_figures(tmp_path)
    ds = read_dataset(folder)
    ds.relationships[0]["role"] = 'co-host, "lead"\nand inviter'  # quoting and a line break
    folder = write_dataset(ds, tmp_path / "quoted")
    ds = read_dataset(folder)
    expected: dict[str, io.StringIO] = {}
    for rel in ds.relationships:
        buf = expected.get(rel["type"])
        if buf is None:
            buf = expected[rel["type"]] = io.StringIO()
            csv.writer(buf, lineterminator="\n").writerow(
                [":START_ID(Data)", ":END_ID(Data)", *_header(REL_COLUMNS), ":TYPE"])
        props = {**rel_row(rel)["props"], "datasets": ["ds"]}
        csv.writer(buf, lineterminator="\n").writerow(
            [rel["start"], rel["end"], *(_cell(props.get(k)) for k, _ in REL_COLUMNS), rel["type"]])
    cache = tmp_path / "cache"
    read_checked(folder, cache_dir=cache)
    snap = read_checked(folder, cache_dir=cache, status=(status := {}))
    assert status["snapshot"] == "loaded" and "relationships" not in vars(snap)
    for label, source in (("plain", ds), ("snapshot", snap)):
        out = write_import_files(source, tmp_path / label, name="ds")
        assert "relationships" not in vars(snap)  # the snapshot's columns were read, no dict per row
        for rtype, buf in expected.items():
            text = (out / f"relationships_{rtype}.csv").read_text(encoding="utf-8")
            assert text == buf.getvalue(), (label, rtype)


@pytest.mark.neo4j
def test_scripts_neo4j_import_stores_exactly_what_load_stores(tmp_path, clean_neo4j, neo4j_driver, neo4j_database,
                                                              neo4j_settings):
    from alliances.store.neo4j import Neo4jStore
    from tests.neo4j_dump import ENDS_AND_TIES, dump, ends_and_ties, registry_in_store

    folder = _with_figures(tmp_path)
    with Neo4jStore(neo4j_settings) as store:
        store.load(read_dataset(folder))
    loaded = dump(neo4j_driver, neo4j_database)
    assert ends_and_ties(neo4j_driver, neo4j_database) == ENDS_AND_TIES
    registry = registry_in_store(neo4j_driver, neo4j_database)
    assert sorted(match for _, _, match, _ in registry if match) == ["org-0", "org-3"]
    assert len(registry) == 4 and all(datasets == ["ds"] for _, datasets, _, _ in registry)
    schema_query = ("SHOW INDEXES YIELD name, type, labelsOrTypes, properties, state, options "
                    "WHERE type <> 'LOOKUP' RETURN name, type, labelsOrTypes, properties, state, "
                    "options.indexConfig['fulltext.analyzer'] AS analyzer ORDER BY name")
    schema_after_load = [dict(r) for r in neo4j_driver.execute_query(schema_query, database_=neo4j_database)[0]]
    env = {**os.environ, "ALLIANCES_PYTHON": sys.executable}
    proc = subprocess.run([str(ROOT / "scripts" / "neo4j"), "import", str(folder), "--yes"], capture_output=True,
                          text=True, timeout=900, env=env)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    # the database was replaced under this (session-wide) driver: its bookmarks point into the old one
    from neo4j import GraphDatabase

    neo4j_driver._query_bookmark_manager = GraphDatabase.bookmark_manager()
    for step in ("check and write files:", "neo4j-admin import:", "start:", "schema:", "total:"):
        assert step in proc.stdout
    imported = dump(neo4j_driver, neo4j_database)
    assert len(imported["nodes"]) > 300 and len(imported["relationships"]) > 1000
    assert ends_and_ties(neo4j_driver, neo4j_database) == ENDS_AND_TIES
    assert registry_in_store(neo4j_driver, neo4j_database) == registry
    assert imported == loaded
    # the schema is in place: the id constraint and the cjk index
    records, _, _ = neo4j_driver.execute_query("SHOW INDEXES YIELD name RETURN collect(name) AS names",
                                               database_=neo4j_database)
    assert {"AlliancesData_id_unique", "alliances_names"} <= set(records[0]["names"])
    # the import answers once the id constraints are online (the next MERGE load relies on them); the
    # name and full-text indexes may still be populating, and the answers are the same meanwhile: a
    # full-text query waits for its index, so a Chinese search right after the import finds the node
    constraints, _, _ = neo4j_driver.execute_query(
        "SHOW INDEXES YIELD name, state, owningConstraint WHERE owningConstraint IS NOT NULL "
        "RETURN name, state ORDER BY name", database_=neo4j_database)
    assert {r["name"] for r in constraints} == {"AlliancesData_id_unique", "AlliancesDataset_id_unique",
                                                "AlliancesSource_id_unique", "RegistryEntry_id_unique"}
    assert all(r["state"] == "ONLINE" for r in constraints)
    ds = read_dataset(folder)
    org = next(n for n in sorted(ds.nodes) if ds.nodes[n]["label"] == "Organization")
    phrase = ds.nodes[org]["name"].rstrip("0123456789")  # the CJK part: what the index answers for
    with Neo4jStore(neo4j_settings) as store:
        found = store.search_names(phrase)
    holding = {n for n, d in ds.nodes.items()
               if any(phrase in (v or "") for v in (d.get("name"), d.get("name_en"), d.get("description")))
               or any(phrase in a for a in d.get("aliases") or [])}
    assert len(phrase) >= 2 and org in holding and {c["id"] for c in found} == holding
    neo4j_driver.execute_query("CALL db.awaitIndexes(300)", database_=neo4j_database)
    # every rule load creates, online, the cjk analyzer included (made inside the server from schema.cypher)
    schema_after_import = [dict(r) for r in neo4j_driver.execute_query(schema_query, database_=neo4j_database)[0]]
    assert schema_after_import == schema_after_load
    assert all(r["state"] == "ONLINE" for r in schema_after_import)
    assert [r["analyzer"] for r in schema_after_import if r["type"] == "FULLTEXT"] == ["cjk"]
    with Neo4jStore(neo4j_settings) as store:
        assert [d["name"] for d in store.datasets()] == ["ds"]
        assert store.read_dataset().nodes == read_dataset(folder).nodes


def test_import_needs_yes_when_not_on_a_terminal(tmp_path):
    proc = subprocess.run([str(ROOT / "scripts" / "neo4j"), "import", str(ROOT / "alliances" / "data" / "zigong")],
                          capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL)
    assert proc.returncode == 1 and "--yes" in proc.stderr
