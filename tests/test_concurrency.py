"""Four ``alliances load`` processes at once on overlapping data: exactly the union, no duplicates.

Dataset k (k = 0..3) holds a shared half — 5 regions, 40 alliances, 600
organisations and their ties, identical in all four — and an own half of 600
organisations ``o{k}-i``. Worked out by hand:

* nodes: 5 + 40 + 600 shared + 4 x 600 own = 3,045
* relationships per half: LOCATED_IN its region (600), MEMBER_OF one
  alliance (600), and for i > 0 GUIDES the previous organisation (599)
  = 1,799; plus 40 shared FOUNDED ties, region ``r{j % 5}`` → alliance ``a{j}``
* relationships: 40 + 1,799 shared + 4 x 1,799 own = 9,035
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from alliances.dataset import read_dataset
from tests.test_bad_input import _make_corpus_module
from tests.test_faults import expected_integrity, integrity

pytestmark = pytest.mark.neo4j

N = 600
ALLIANCES = 40


def _half(prefix: str, mc) -> tuple[list[list[str]], list[list[str]]]:
    ncol, rcol = mc.COL["nodes"], mc.COL["relationships"]
    nodes, rels = [], []
    for i in range(N):
        node = [""] * len(ncol)
        for col, value in (("id", f"{prefix}-{i}"), ("label", "Organization"), ("name", f"组织 {prefix}-{i}"),
                           ("kind", "enterprise"), ("region", f"r{i % 5}"), ("source", "s1"), ("paragraphs", "1")):
            node[ncol[col]] = value
        nodes.append(node)
        ties = [("LOCATED_IN", f"r{i % 5}"), ("MEMBER_OF", f"a{i % ALLIANCES}")]
        if i > 0:
            ties.append(("GUIDES", f"{prefix}-{i - 1}"))
        for rtype, end in ties:
            rel = [""] * len(rcol)
            for col, value in (("start", f"{prefix}-{i}"), ("type", rtype), ("end", end), ("source", "s1"),
                               ("paragraphs", "1")):
                rel[rcol[col]] = value
            rels.append(rel)
    return nodes, rels


def _dataset(folder, k: int, mc):
    ncol, rcol = mc.COL["nodes"], mc.COL["relationships"]
    nodes, rels = [], []
    for j in range(5):
        row = [""] * len(ncol)
        for col, value in (("id", f"r{j}"), ("label", "Region"), ("name", f"地区{j}"), ("source", "s1"),
                           ("paragraphs", "1")):
            row[ncol[col]] = value
        nodes.append(row)
    for j in range(ALLIANCES):
        row = [""] * len(ncol)
        for col, value in (("id", f"a{j}"), ("label", "Alliance"), ("name", f"联盟{j}"), ("region", f"r{j % 5}"),
                           ("source", "s1"), ("paragraphs", "1")):
            row[ncol[col]] = value
        nodes.append(row)
        rel = [""] * len(rcol)
        for col, value in (("start", f"r{j % 5}"), ("type", "FOUNDED"), ("end", f"a{j}"), ("source", "s1"),
                           ("paragraphs", "1")):
            rel[rcol[col]] = value
        rels.append(rel)
    for prefix in ("shared", f"o{k}"):
        n, r = _half(prefix, mc)
        nodes += n
        rels += r
    if k % 2:  # half the loaders list their rows in the opposite order
        nodes.reverse()
        rels.reverse()
    mc.write_tables(folder, {"sources": mc.BASE["sources"], "nodes": [mc.BASE["nodes"][0], *nodes],
                             "relationships": [mc.BASE["relationships"][0], *rels], "figures": None})
    return folder


def test_four_concurrent_loads_give_exactly_the_union(tmp_path, neo4j_env, neo4j_settings, neo4j_driver,
                                                      neo4j_database):
    from tests.conftest import wipe

    mc = _make_corpus_module()
    folders = [_dataset(tmp_path / f"ds{k}", k, mc) for k in range(4)]
    union_nodes, union_rels, sources = {}, set(), {}
    for folder in folders:
        ds = read_dataset(folder)
        union_nodes.update(ds.nodes)
        union_rels |= {(r["start"], r["type"], r["end"]) for r in ds.relationships}
        sources.update(ds.sources)
    assert len(union_nodes) == 3_045 and len(union_rels) == 9_035  # the hand count above

    wipe(neo4j_driver, neo4j_database)
    # a fresh schema too, so the four also race to create the constraints
    for rec in neo4j_driver.execute_query("SHOW CONSTRAINTS YIELD name RETURN name", database_=neo4j_database)[0]:
        if rec["name"].endswith("_id_unique"):
            neo4j_driver.execute_query(f"DROP CONSTRAINT `{rec['name']}` IF EXISTS", database_=neo4j_database)
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEO4J_")}
    env.update({k: v for k, v in neo4j_env.items() if k.startswith("NEO4J_")})
    procs = [subprocess.Popen([sys.executable, "-m", "alliances", "load", str(f), "--no-progress", "--batch-size",
                               "200"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE) for f in folders]
    results = [(p.wait(timeout=600), p.stdout.read().decode(), p.stderr.read().decode()) for p in procs]
    for code, out, err in results:
        assert code == 0, err
        assert "Traceback" not in err

    class Union:
        nodes, relationships = union_nodes, list(union_rels)

    Union.sources = sources
    assert integrity(neo4j_settings) == expected_integrity(Union)
    # the uniqueness constraints are back and hold
    names = {r["name"] for r in neo4j_driver.execute_query("SHOW CONSTRAINTS YIELD name RETURN name",
                                                           database_=neo4j_database)[0]}
    # one id constraint for all project data (ids are unique across labels)
    assert {"AlliancesData_id_unique", "AlliancesSource_id_unique"} <= names
    records, _, _ = neo4j_driver.execute_query(
        "MATCH (n:AlliancesData) WITH n.id AS id, count(*) AS c WHERE c > 1 RETURN count(id) AS dups",
        database_=neo4j_database)
    assert records[0]["dups"] == 0
    # each loader's nodes carry the same properties as its rows (shared rows are identical in all four)
    records, _, _ = neo4j_driver.execute_query(
        "MATCH (n:Organization) WHERE n.id IN ['shared-7', 'o3-599'] RETURN n.id AS id, n.name AS name, "
        "n.region AS region ORDER BY id", database_=neo4j_database)
    assert [(r["id"], r["name"], r["region"]) for r in records] == [("o3-599", "组织 o3-599", "r4"),
                                                                   ("shared-7", "组织 shared-7", "r2")]
