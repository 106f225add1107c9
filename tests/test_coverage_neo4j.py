"""The registry and the coverage work in the live Neo4j: loaded with the dataset, read back equal."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from alliances import model
from alliances.cli import cli
from alliances.dataset import read_dataset
from alliances.store.neo4j import Neo4jStore
from tests.test_coverage import N, registry_rows, write_dataset, write_gbk_csv

pytestmark = pytest.mark.neo4j

FIELDS = ("id", "name", "credit_code", "kind", "place", "industry", "size", "registered", "match", "match_method",
          "match_score", "source_file", "source_sheet", "source_row", "imported")


@pytest.fixture
def with_registry(tmp_path):
    data = tmp_path / "ds"
    write_dataset(data)
    src = write_gbk_csv(tmp_path / "名录.csv", registry_rows())
    res = CliRunner().invoke(cli, ["registry", "import", str(src), "--data", str(data)], catch_exceptions=False)
    assert res.exit_code == 0, res.output
    return data


def test_registry_and_coverage_work_load_and_read_back(clean_neo4j, neo4j_settings, neo4j_env, with_registry):
    ds = read_dataset(with_registry)
    with Neo4jStore(neo4j_settings) as store:
        store.load(ds)
        back = store.read_dataset()
    db = neo4j_env["NEO4J_DATABASE"]
    q = lambda text: clean_neo4j.execute_query(text, database_=db).records  # noqa: E731
    assert q("MATCH (e:RegistryEntry) RETURN count(e) AS c")[0]["c"] == len(ds.registry) == N + 61
    matched = [e for e in ds.registry if e["match"]]
    assert q("MATCH (:RegistryEntry)-[r:REGISTERED_AS]->(:Organization) RETURN count(r) AS c")[0]["c"] == len(matched)
    row = q("MATCH (e:RegistryEntry {id: $id})-[r:REGISTERED_AS]->(o) RETURN o.id AS o, r.method AS m, "
            "e.source_file AS f, e.source_row AS r".replace("$id", f"'{matched[0]['id']}'"))[0]
    assert (row["o"], row["m"], row["f"], row["r"]) == (matched[0]["match"], matched[0]["match_method"], "名录.csv",
                                                        matched[0]["source_row"])
    counts = {r["l"]: r["c"] for r in q(f"MATCH (n:{model.PROJECT_LABEL}) UNWIND labels(n) AS l RETURN l, count(*) AS c")}
    assert (counts["Station"], counts["ContactPoint"], counts["DemonstrationSite"], counts["IndustryBloc"],
            counts["Problem"]) == (2, 1, 1, 1, 12)
    assert [{k: e[k] for k in FIELDS} for e in back.registry] == \
        sorted(({k: e[k] for k in FIELDS} for e in ds.registry), key=lambda e: e["id"])
    assert q("SHOW CONSTRAINTS YIELD labelsOrTypes WHERE 'RegistryEntry' IN labelsOrTypes RETURN count(*) AS c")[0]["c"] == 1


def test_coverage_from_neo4j_equals_the_folders(clean_neo4j, neo4j_settings, neo4j_env, with_registry):
    with Neo4jStore(neo4j_settings) as store:
        store.load(read_dataset(with_registry))
    env = {k: v for k, v in neo4j_env.items() if k.startswith("NEO4J_")}
    runner = CliRunner()
    folder = json.loads(runner.invoke(cli, ["coverage", "--data", str(with_registry), "--format", "json"]).output)
    res = runner.invoke(cli, ["coverage", "--neo4j", "--format", "json"], env=env)
    assert res.exit_code == 0, res.output
    store = json.loads(res.output)
    for rep in (folder, store):
        rep["meta"].pop("dataset")
        rep["entries"].sort(key=lambda e: e["id"])
        for k in ("uncovered", "no_party_organisation", "not_reached", "review"):
            rep[k].sort(key=lambda e: e["id"])
    assert store == folder


def test_a_changed_match_moves_on_reload(clean_neo4j, neo4j_settings, neo4j_env, with_registry):
    ds = read_dataset(with_registry)
    with Neo4jStore(neo4j_settings) as store:
        store.load(ds)
        e = next(x for x in ds.registry if x["match"] == "org-0")
        e["match"], e["match_method"] = "org-2", "planner"
        store.load(ds)
    rows = clean_neo4j.execute_query("MATCH (e:RegistryEntry {id: $id})-[:REGISTERED_AS]->(o) RETURN o.id AS o",
                                     {"id": e["id"]}, database_=neo4j_env["NEO4J_DATABASE"]).records
    assert [r["o"] for r in rows] == ["org-2"]
