"""A loaded snapshot stays columns: warm questions read a few rows and the stored arrays.

The rule: whatever a warm command prints equals what the same command prints
reading and checking the CSVs (``--no-cache``), byte for byte; and every row,
array, region group and name lookup read from the columns equals the one
built from :func:`alliances.dataset.read_dataset`.
"""

from __future__ import annotations

import copy
import random

import numpy as np
import pytest
from click.testing import CliRunner

from alliances import engine
from alliances.cli import cli
from alliances.dataset import read_dataset, write_dataset
from alliances.errors import NameResolutionError
from alliances.generate import generate_dataset
from alliances.graph import dataset_region_groups
from alliances.network import Network
from alliances.regions import LEVELS, region_table
from alliances.resolve import DatasetNames, resolve, search
from alliances.snapshot import SnapshotDataset, read_checked
from alliances.source import GraphSource


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    out = tmp_path_factory.mktemp("gen") / "ds"
    generate_dataset(out, 400, seed=2)
    return out


@pytest.fixture(scope="module")
def bundled_folder(tmp_path_factory, bundled):
    return write_dataset(bundled, tmp_path_factory.mktemp("bundled") / "ds")


@pytest.fixture(params=["bundled", "generated"])
def folder(request, bundled_folder, generated):
    return bundled_folder if request.param == "bundled" else generated


def warm(folder, cache) -> SnapshotDataset:
    read_checked(folder, cache_dir=cache)
    status: dict = {}
    ds = read_checked(folder, cache_dir=cache, status=status)
    assert status["snapshot"] == "loaded" and isinstance(ds, SnapshotDataset)
    return ds


def texts_of(ref, rng: random.Random, n: int = 60) -> list[str]:
    """What a planner types: ids (also in upper case), names, English names, aliases, parts of
    them, look-alike spellings, words that match nothing, pinyin."""
    nodes = list(ref.nodes.items())
    out = ["自贡", "商圈", "党委", "成都", "联盟", "huashang", "zigong", "ysk", "zzzz-no-such", "Ｚｉｇｏｎｇ", "  自 贡 ",
           "自貢", "org", "1", "-"]
    for nid, d in rng.sample(nodes, min(n, len(nodes))):
        name = d.get("name", "")
        out += [nid, nid.upper(), name, d.get("name_en", ""), *d.get("aliases", [])[:1]]
        if len(name) > 3:
            i = rng.randrange(len(name) - 2)
            out.append(name[i:i + rng.choice([2, 3])])
    return [t for t in out if t is not None]


def outcome(fn, *args):
    try:
        return "ok", fn(*args)
    except NameResolutionError as err:
        return "error", str(err)


# ---------------------------------------------------------------------------
# Rows, arrays and groups from the columns equal the dicts read from the CSVs


def test_rows_read_one_at_a_time_equal_the_read_dataset(folder, tmp_path):
    ds, ref = warm(folder, tmp_path / "cache"), read_dataset(folder)
    assert ds.node_ids() == list(ref.nodes) and ds.number_of_nodes() == len(ref.nodes)
    for nid, row in ref.nodes.items():
        got = ds.node(nid)
        assert list(got.items()) == list(row.items())
        assert [type(v) for v in got.values()] == [type(v) for v in row.values()]
    for i, rel in enumerate(ref.relationships):
        assert list(ds.relationship(i).items()) == list(rel.items())
    for nid in list(ref.nodes)[::7]:
        assert ds.ties_of(nid) == ref.ties_of(nid)
        assert ds.figures_of(nid) == ref.figures_of(nid)
    assert ds.ids_with_labels(["Region", "Zone"]) == ref.ids_with_labels(["Region", "Zone"])
    assert ds.relationships_of_types(["PART_OF", "MEMBER_OF"]) == ref.relationships_of_types(["PART_OF", "MEMBER_OF"])
    some = set(list(ref.nodes)[::5])
    assert ds.in_order(some) == ref.in_order(some)
    # nothing so far decoded a whole table
    assert "nodes" not in ds.__dict__ and "relationships" not in ds.__dict__


def test_rows_handed_out_stay_the_same_objects_when_the_table_is_decoded(folder, tmp_path):
    ds = warm(folder, tmp_path / "cache")
    nid = ds.node_ids()[3]
    row, rel = ds.node(nid), ds.relationship(2)
    assert ds.nodes[nid] is row and ds.relationships[2] is rel
    assert ds.node(nid) is row  # and later reads come from the decoded table


def test_stored_arrays_and_region_groups_equal_the_ones_computed(folder, tmp_path):
    ds, ref = warm(folder, tmp_path / "cache"), read_dataset(folder)
    got, want = Network(ds).arrays, engine.arrays_from_dataset(ref)
    assert got.ids == want.ids
    for name in ("labels", "src", "dst", "types"):
        a, b = getattr(got, name), getattr(want, name)
        assert a.dtype == b.dtype and np.array_equal(a, b)
    assert (got.weight is None) == (want.weight is None)
    if want.weight is not None:
        assert np.array_equal(got.weight, want.weight)
    for level in LEVELS:
        groups = dataset_region_groups(ref, level=level)
        stored = ds.region_groups(level)
        assert dict(stored.items()) == groups and list(stored) == list(groups)
        assert ds.region_table(level) == region_table(ref.nodes, groups)
        assert Network(ds, region_level=level).regions == Network(ref, region_level=level).regions


def test_weights_are_stored_as_the_engine_reads_them(tmp_path, bundled):
    folder = write_dataset(bundled, tmp_path / "ds")
    path = folder / "relationships.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    assert "weight" not in lines[0]
    lines = [lines[0] + ",weight,count"] + [line + (",2.5,3" if i % 3 == 0 else ",,") for i, line in enumerate(lines[1:])]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    ds, ref = warm(folder, tmp_path / "cache"), read_dataset(folder)
    got, want = Network(ds).arrays, engine.arrays_from_dataset(ref)
    assert want.weight is not None and np.array_equal(got.weight, want.weight)


# ---------------------------------------------------------------------------
# Names: the index answers as resolve and search do


def test_the_name_index_resolves_as_resolve(folder, tmp_path):
    ds, ref = warm(folder, tmp_path / "cache"), read_dataset(folder)
    names = DatasetNames(ref)
    decided = 0
    for text in texts_of(ref, random.Random(5)):
        want = outcome(resolve, names, text)
        found = ds.find(text)
        if found is not None:
            decided += 1
            assert want == ("ok", found), text
        assert outcome(Network(ds).resolve, text) == want, text
    assert decided > 20  # the index decides most texts alone


def test_a_lookalike_name_is_never_picked_silently_from_the_index(tmp_path, bundled):
    ds0 = copy.deepcopy(bundled)
    twin = copy.deepcopy(ds0.nodes["huashang-committee"])
    ds0.nodes["huashang-committee"].update(name="Bank党委", aliases=[])
    twin.update(id="twin-committee", name="Вank党委", aliases=[], name_en="")  # Cyrillic В
    ds0.nodes["twin-committee"] = twin
    folder = write_dataset(ds0, tmp_path / "ds")
    ds, ref = warm(folder, tmp_path / "cache"), read_dataset(folder)
    for text in ("Bank党委", "Вank党委", "bank党委", "ank党委"):
        want = outcome(resolve, DatasetNames(ref), text)
        assert ds.find(text) in (None, want[1] if want[0] == "ok" else None), text
        assert outcome(Network(ds).resolve, text) == want, text
    assert outcome(Network(ds).resolve, "Bank党委")[0] == "error"  # looks like the twin too


def test_the_text_index_searches_as_search(folder, tmp_path):
    ds, ref = warm(folder, tmp_path / "cache"), read_dataset(folder)
    names = DatasetNames(ref)
    answered = 0
    for text in texts_of(ref, random.Random(9)):
        for limit in (5, 50):
            want = search(names, text, limit=limit)
            got = ds.search_ids(text, limit)
            if got is not None:
                answered += 1
                assert got == want, text
            assert Network(ds).search(text, limit) == want, text
    assert answered > 20


# ---------------------------------------------------------------------------
# Warm commands print what cold ones print, and read only what they need


def _pairs(ref, rng, n=6):
    orgs = [n for n, d in ref.nodes.items() if d["label"] == "Organization"]
    return [tuple(rng.sample(orgs, 2)) for _ in range(n)]


def test_warm_path_show_and_search_print_what_cold_ones_print(folder, tmp_path):
    ref = read_dataset(folder)
    rng = random.Random(11)
    cache = tmp_path / "cache"
    runner = CliRunner()
    questions = []
    for a, b in _pairs(ref, rng):
        questions.append(["path", a, b])
        questions.append(["path", ref.nodes[a]["name"], b, "--format", "json"])
    questions.append(["path", "huashang-committee", "自贡市"])
    for nid in rng.sample(list(ref.nodes), 5):
        questions.append(["show", nid])
        questions.append(["show", nid, "--format", "json"])
    for text in ("商圈", "党委", "zigong", "no-such-name", ref.nodes[rng.choice(list(ref.nodes))]["name"][:3]):
        questions.append(["search", text, "--limit", "20"])
        questions.append(["search", text, "--format", "json"])
    questions.append(["show", "no-such-name"])
    questions.append(["path", "商圈", "党委"])
    for q in questions:
        cold = runner.invoke(cli, [*q, "--data", str(folder), "--no-cache"])
        first = runner.invoke(cli, [*q, "--data", str(folder), "--cache-dir", str(cache)])
        again = runner.invoke(cli, [*q, "--data", str(folder), "--cache-dir", str(cache)])
        for got in (first, again):
            assert (got.exit_code, got.output) == (cold.exit_code, cold.output), q
            assert type(got.exception) is type(cold.exception), q


def test_warm_questions_never_decode_whole_tables(generated, tmp_path):
    cache = tmp_path / "cache"
    read_checked(generated, cache_dir=cache)
    from alliances import query

    ref = read_dataset(generated)
    a, b = _pairs(ref, random.Random(3), 1)[0]
    source = GraphSource(str(generated), cache_dir=str(cache))
    query.path_query(source, a, b)
    query.show_node(source, ref.nodes[a]["name"])
    query.search_nodes(source, "商圈")
    ds = source.network().dataset
    assert isinstance(ds, SnapshotDataset) and not source.network().has_graph
    assert "nodes" not in ds.__dict__ and "relationships" not in ds.__dict__


def test_the_stored_partnership_csr_equals_the_adjacency_built_from_the_arrays(folder, tmp_path):
    """What a warm path maps from the snapshot: each node's partnership neighbours exactly as
    :class:`alliances.engine.PartnershipAdjacency` (scipy) builds them, the nodes that take part,
    and each id's place in string order."""
    ds, ref = warm(folder, tmp_path / "cache"), read_dataset(folder)
    C = Network(ds).partnership_csr()
    adj = engine.PartnershipAdjacency(engine.arrays_from_dataset(ref))
    ids = list(ref.nodes)
    assert [ids[i] for i in np.flatnonzero(C.member).tolist()] == adj.P.ids
    for i, nid in enumerate(ids):
        got = sorted(ids[j] for j in C.neighbours(i))
        assert got == (sorted(adj[nid]) if nid in adj else []), nid
    assert [ids[i] for i in np.argsort(C.rank)] == sorted(ids)
    via = ("LOCATED_IN", "MEMBER_OF")
    V, vadj = Network(ds).partnership_csr(via), engine.PartnershipAdjacency(engine.arrays_from_dataset(ref), via=via)
    assert V.member.all() and all(sorted(ids[j] for j in V.neighbours(i)) == sorted(vadj[n]) for i, n in enumerate(ids))


def test_a_warm_path_imports_neither_networkx_nor_scipy(generated, tmp_path):
    """The warm path reads the mapped arrays: the two heaviest imports stay out (a real subprocess)."""
    import json
    import subprocess
    import sys

    ref = read_dataset(generated)
    a, b = _pairs(ref, random.Random(8), 1)[0]
    code = ("import json, sys\nfrom click.testing import CliRunner\nfrom alliances.cli import cli\n"
            f"r = CliRunner().invoke(cli, ['path', {a!r}, {b!r}, '--k', sys.argv[1], '--data', {str(generated)!r},"
            f" '--cache-dir', {str(tmp_path / 'cache')!r}])\n"
            "print(json.dumps([r.exit_code, r.output, 'networkx' in sys.modules, 'scipy' in sys.modules]))\n")
    run = lambda k: json.loads(subprocess.run([sys.executable, "-c", code, k], capture_output=True,  # noqa: E731
                                              text=True, check=True).stdout)
    cold = run("1")  # reads and checks the CSVs, writes the snapshot
    for k in ("1", "3"):
        rc, out, nx_loaded, scipy_loaded = run(k)
        assert rc == 0 and "→" in out and not nx_loaded and not scipy_loaded, (k, out)
    assert run("1")[1] == cold[1]
