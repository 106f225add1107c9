"""``--neo4j`` analyses read the graph out in bulk: columns into the engine's arrays, the
relationships' properties only when an analysis asks for them (real Neo4j)."""

from __future__ import annotations

import numpy as np
import pytest

from alliances import engine, network
from alliances.analysis.centrality import centrality_report
from alliances.dataset import read_dataset
from alliances.errors import StoreError
from alliances.generate import generate_dataset
from alliances.graph import dataset_region_groups
from alliances.network import Network
from alliances.regions import DEFAULT_LEVEL
from alliances.store.neo4j import Neo4jStore, StoreDataset

pytestmark = pytest.mark.neo4j


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    folder = tmp_path_factory.mktemp("columns") / "g"
    generate_dataset(folder, 400, seed=5)
    return read_dataset(folder)


@pytest.fixture
def stored(clean_neo4j, neo4j_settings, generated):
    with Neo4jStore(neo4j_settings) as store:
        store.load(generated)
    return neo4j_settings


def _ties(ids, src, dst, types, weight) -> list[tuple]:
    names = list(engine.TYPE_CODES)
    w = weight if weight is not None else np.ones(len(src))
    return sorted((ids[a], names[t], ids[b], float(x)) for a, b, t, x in
                  zip(src.tolist(), dst.tolist(), types.tolist(), w.tolist()))


def test_the_arrays_from_the_columns_equal_the_arrays_of_the_whole_read(stored, generated):
    with Neo4jStore(stored) as store:
        ds = store.read_dataset()
    assert isinstance(ds, StoreDataset)
    ids, labels, src, dst, types, weight = ds.graph_arrays()
    assert "relationships" not in ds.__dict__  # the structure came without the properties
    assert set(ids) == set(generated.nodes) and ids == list(ds.nodes)
    assert [list(engine.LABEL_CODES)[c] for c in labels.tolist()] == [ds.nodes[n]["label"] for n in ids]
    # the same ties as the folder's, weight x count included
    folder = engine.arrays_from_dataset(generated)
    assert _ties(ids, src, dst, types, weight) == _ties(folder.ids, folder.src, folder.dst, folder.types,
                                                        folder.weight)
    # and in the order of the relationships read whole: arrays_from_dataset of the read gives them
    whole = engine.arrays_from_dataset(ds)
    assert whole.ids == ids
    for a, b in ((whole.src, src), (whole.dst, dst), (whole.types, types)):
        assert np.array_equal(a, b)
    assert (whole.weight is None) == (weight is None)
    for level in ("province", "city", "district"):
        assert dict(ds.region_groups(level)) == dataset_region_groups(generated, level=level)


def test_centrality_on_the_arrays_reads_no_relationship_properties_and_equals_the_folder(
        stored, generated, monkeypatch):
    monkeypatch.setattr(network, "THRESHOLDS", network.THRESHOLDS.with_(engine=50))
    with Neo4jStore(stored) as store:
        ds = store.read_dataset()
    for projection_name in ("full", "organizations"):
        remote = centrality_report(Network(ds, region_level=DEFAULT_LEVEL), projection_name=projection_name)
        local = centrality_report(Network(generated, region_level=DEFAULT_LEVEL), projection_name=projection_name)
        assert remote["rows"] == local["rows"]
    assert "relationships" not in ds.__dict__
    # a question that needs them reads them then, equal to the folder's
    key = lambda r: (r["start"], r["type"], r["end"])  # noqa: E731
    assert ds.relationships == sorted(generated.relationships, key=key)


def test_a_relationship_type_outside_the_model_is_not_read(stored, generated, neo4j_driver, neo4j_database):
    # e.g. a projection a user stored between organisations with their own tools
    a, b = sorted(n for n, d in generated.nodes.items() if d["label"] == "Organization")[:2]
    neo4j_driver.execute_query("MATCH (a:AlliancesData {id: $a}), (b:AlliancesData {id: $b}) "
                               "CREATE (a)-[:THEIR_OWN_TIE {w: 1}]->(b)", {"a": a, "b": b}, database_=neo4j_database)
    with Neo4jStore(stored) as store:
        ds = store.read_dataset()
    assert len(ds.graph_arrays()[2]) == len(generated.relationships)
    assert len(ds.relationships) == len(generated.relationships)


def test_a_store_changed_between_the_two_reads_is_an_error_not_a_mixed_answer(
        stored, generated, neo4j_driver, neo4j_database):
    with Neo4jStore(stored) as store:
        ds = store.read_dataset()
    rel = next(r for r in generated.relationships if r["type"] == "PARTICIPATED_IN")
    neo4j_driver.execute_query("MATCH (:AlliancesData {id: $a})-[r:PARTICIPATED_IN]->(:AlliancesData {id: $b}) "
                               "DELETE r", {"a": rel["start"], "b": rel["end"]}, database_=neo4j_database)
    with pytest.raises(StoreError, match="changed while it was being read"):
        ds.relationships  # noqa: B018
