"""Network.scenario without some nodes or ties: the cut dataset is the rows the rule keeps, read
only when asked (an analysis on the arrays never reads the relationships of a snapshot)."""

from __future__ import annotations

import pytest

from alliances.dataset import read_dataset
from alliances.generate import generate_dataset
from alliances.network import Network
from alliances.snapshot import read_checked


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    path = tmp_path_factory.mktemp("g") / "g"
    generate_dataset(path, 300, seed=4)
    return path


def _snapshot(folder, cache):
    read_checked(folder, cache_dir=cache)  # checks the folder and writes its snapshot
    ds = read_checked(folder, cache_dir=cache)
    assert type(ds).__name__ == "SnapshotDataset" and ds.columnar
    return ds


def _removal(ds):
    rel = next(r for r in ds.relationships if ds.nodes[r["start"]]["label"] == "Organization"
               and ds.nodes[r["end"]]["label"] == "Organization")
    return ["org-3", "alliance-1"], [(rel["end"], rel["start"])]


@pytest.mark.parametrize("source", ["csv", "snapshot"])
def test_the_cut_dataset_is_the_rows_the_rule_keeps(folder, tmp_path, source):
    ref = read_dataset(folder)
    gone, ties = _removal(ref)
    # the rule, written out: the nodes but those gone, the relationships between nodes kept
    # and not one of the ties (either direction), the figures of nodes kept
    nodes = {n: d for n, d in ref.nodes.items() if n not in gone}
    drop = {frozenset(t) for t in ties}
    rels = [r for r in ref.relationships if r["start"] in nodes and r["end"] in nodes
            and frozenset((r["start"], r["end"])) not in drop]
    ds = ref if source == "csv" else _snapshot(folder, tmp_path / "cache")
    net = Network(ds)
    scene, meta = net.scenario(without=gone, without_ties=ties)
    cut = scene.dataset
    assert cut.number_of_nodes() == len(nodes) == len(ref.nodes) - 2
    assert cut.has_node("org-4") and not cut.has_node("org-3") and not cut.has_node("alliance-1")
    assert cut.node("org-4") == ref.nodes["org-4"]
    with pytest.raises(KeyError):
        cut.node("org-3")
    assert meta["removed_nodes"] == 2
    assert meta["removed_relationships"] == len(ref.relationships) - len(rels) > 0
    assert cut.nodes == nodes
    assert cut.relationships == rels
    assert cut.figures == [f for f in ref.figures if f["node"] in nodes]
    assert len(scene.arrays.src) == len(rels)


def test_a_scenario_on_the_arrays_reads_no_relationship_row(folder, tmp_path):
    ds = _snapshot(folder, tmp_path / "cache")
    net = Network(ds)
    gone, ties = _removal(read_dataset(folder))
    scene, meta = net.scenario(without=gone, without_ties=ties)
    V = scene.view("organizations")
    assert V.n == 299 and "org-3" not in V.P.ids
    assert meta["removed_relationships"] > 0
    assert "relationships" not in scene.dataset.__dict__ and "relationships" not in ds.__dict__
