"""The checked snapshot: reused while the CSVs are unchanged, never trusted otherwise.

The one rule every test checks: with or without a cache, a command sees the
dataset ``read_dataset`` reads from the folder as it is now (or the same
problems).
"""

from __future__ import annotations

import json
import os
import random
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

import alliances
from alliances import snapshot
from alliances.cli import cli
from alliances.dataset import FILES, read_dataset, write_dataset
from alliances.errors import ValidationError
from alliances.generate import generate_dataset
from alliances.snapshot import read_checked, snapshot_path
from tests.conftest import run_cli


def same(a, b) -> None:
    """Equal datasets, down to the order of rows and of each row's keys, and the value types."""
    assert a.path == b.path
    for name in ("nodes", "sources"):
        x, y = getattr(a, name), getattr(b, name)
        assert list(x) == list(y)
        assert [list(r.items()) for r in x.values()] == [list(r.items()) for r in y.values()]
        assert [[type(v) for v in r.values()] for r in x.values()] == [[type(v) for v in r.values()] for r in y.values()]
    for name in ("relationships", "figures"):
        x, y = getattr(a, name), getattr(b, name)
        assert [list(r.items()) for r in x] == [list(r.items()) for r in y]
        assert [[type(v) for v in r.values()] for r in x] == [[type(v) for v in r.values()] for r in y]


def outcome(folder, cache, **kw):
    """``(status, dataset or problems)`` of read_checked."""
    status: dict = {}
    try:
        ds = read_checked(folder, cache_dir=cache, status=status, **kw)
        return status.get("snapshot"), ds
    except ValidationError as err:
        return status.get("snapshot"), [p.as_dict() for p in err.problems]


def reference(folder):
    try:
        return read_dataset(folder)
    except ValidationError as err:
        return [p.as_dict() for p in err.problems]


def agrees(got, want) -> None:
    if isinstance(want, list):
        assert got == want
    else:
        same(got, want)


@pytest.fixture
def folder(tmp_path, bundled):
    return write_dataset(bundled, tmp_path / "ds")


@pytest.fixture
def cache(tmp_path):
    return tmp_path / "cache"


def load_status(folder, cache) -> str:
    status: dict = {}
    read_checked(folder, cache_dir=cache, status=status)
    return status["snapshot"]


# ---------------------------------------------------------------------------
# Round trip


def test_bundled_dataset_round_trips_exactly(cache):
    first, second = {}, {}
    written = read_checked(None, cache_dir=cache, status=first)
    loaded = read_checked(None, cache_dir=cache, status=second)
    assert (first["snapshot"], second["snapshot"]) == ("written", "loaded")
    same(loaded, read_dataset(None))
    same(written, loaded)


def test_generated_dataset_round_trips_exactly(tmp_path, cache):
    out = tmp_path / "gen"
    generate_dataset(out, 300, seed=3)
    assert load_status(out, cache) == "written"
    status: dict = {}
    loaded = read_checked(out, cache_dir=cache, status=status)
    assert status["snapshot"] == "loaded"
    same(loaded, read_dataset(out))


def test_loaded_rows_are_independent_objects(folder, cache):
    read_checked(folder, cache_dir=cache)
    ds = read_checked(folder, cache_dir=cache)
    a, b = list(ds.nodes.values())[:2]
    a["aliases"].append("x")
    assert "x" not in b["aliases"]
    assert "x" not in read_checked(folder, cache_dir=cache).nodes[a["id"]]["aliases"]


def test_no_cache_reads_the_folder_and_writes_nothing(folder, cache):
    status, ds = outcome(folder, None)
    assert status == "off"
    same(ds, read_dataset(folder))
    assert not cache.exists()


def test_save_false_loads_a_valid_snapshot_but_writes_none_after_a_check(folder, cache):
    status, ds = outcome(folder, cache, save=False)
    assert status == "not written" and not snapshot_path(cache, folder).exists()
    same(ds, read_dataset(folder))
    assert load_status(folder, cache) == "written"
    status, ds = outcome(folder, cache, save=False)
    assert status == "loaded"
    same(ds, read_dataset(folder))


def test_export_with_no_new_snapshot_writes_the_files_and_no_snapshot(folder, cache, tmp_path):
    args = ["export", "--data", str(folder), "--format", "neo4j-import", "--cache-dir", str(cache)]
    result = CliRunner().invoke(cli, [*args, "--out", str(tmp_path / "a"), "--no-new-snapshot"])
    assert result.exit_code == 0, result.output
    assert not snapshot_path(cache, folder).exists()
    assert CliRunner().invoke(cli, [*args, "--out", str(tmp_path / "b")]).exit_code == 0
    assert snapshot_path(cache, folder).exists()  # without the flag the check writes one, as before
    names = sorted(p.name for p in (tmp_path / "a").iterdir())
    assert names == sorted(p.name for p in (tmp_path / "b").iterdir()) and "neo4j-admin.args" in names
    for name in names:
        if name != "datasets.csv":  # the dataset record holds the export's time
            assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name


def test_the_same_folder_spelt_another_way_shares_its_snapshot(folder, cache, monkeypatch):
    read_checked(folder, cache_dir=cache)
    monkeypatch.chdir(folder.parent)
    status, ds = outcome("ds", cache)
    assert status == "loaded"
    assert ds.path == "ds"


# ---------------------------------------------------------------------------
# Invalidation: any change to any CSV


def _edit_text(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    header, rows = lines[0], lines[1:]
    # Drop the last row, or for a one-row file give a cell another value of the same length.
    path.write_text(header + "".join(rows[:-1]) if len(rows) > 1 else text.replace("2022", "2021"), encoding="utf-8")


@pytest.mark.parametrize("name", list(FILES.values()))
def test_a_changed_file_invalidates_the_snapshot(folder, cache, name):
    read_checked(folder, cache_dir=cache)
    _edit_text(folder / name)
    status, got = outcome(folder, cache)
    assert status != "loaded"
    agrees(got, reference(folder))


@pytest.mark.parametrize("name", list(FILES.values()))
def test_a_touched_file_invalidates_the_snapshot(folder, cache, name):
    read_checked(folder, cache_dir=cache)
    st = (folder / name).stat()
    os.utime(folder / name, ns=(st.st_atime_ns, st.st_mtime_ns + 5_000_000_000))
    status, got = outcome(folder, cache)
    assert status == "written"
    agrees(got, reference(folder))
    assert load_status(folder, cache) == "loaded"


@pytest.mark.parametrize("name", list(FILES.values()))
@pytest.mark.parametrize("keep", [0.0, 0.5, 0.97])
def test_a_truncated_file_invalidates_the_snapshot(folder, cache, name, keep):
    read_checked(folder, cache_dir=cache)
    data = (folder / name).read_bytes()
    (folder / name).write_bytes(data[: int(len(data) * keep)])
    status, got = outcome(folder, cache)
    assert status != "loaded"
    agrees(got, reference(folder))


def test_same_size_and_time_but_other_bytes_is_caught_by_the_hash(folder, cache):
    read_checked(folder, cache_dir=cache)
    f = folder / "nodes.csv"
    st = f.stat()
    text = f.read_text(encoding="utf-8")
    assert "自贡市" in text
    f.write_text(text.replace("自贡市", "自流市", 1), encoding="utf-8")
    os.utime(f, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert f.stat().st_size == st.st_size and f.stat().st_mtime_ns == st.st_mtime_ns
    status, got = outcome(folder, cache)
    assert status == "written"
    assert got.nodes["zigong"]["name"] == "自流市"


def test_a_removed_or_added_optional_file_invalidates_the_snapshot(folder, cache):
    read_checked(folder, cache_dir=cache)
    figures = (folder / "figures.csv").read_bytes()
    (folder / "figures.csv").unlink()
    status, got = outcome(folder, cache)
    assert status == "written" and got.figures == []
    (folder / "figures.csv").write_bytes(figures)
    status, got = outcome(folder, cache)
    assert status == "written" and got.figures


def test_a_dataset_with_problems_writes_no_snapshot_and_keeps_raising(folder, cache):
    (folder / "relationships.csv").write_text(
        (folder / "relationships.csv").read_text(encoding="utf-8") + "nobody,MEMBER_OF,zigong,,,,,zigong-2022,1\n",
        encoding="utf-8")
    for _ in range(2):
        status, got = outcome(folder, cache)
        assert isinstance(got, list) and got == reference(folder)
    assert not snapshot_path(cache, folder).exists()


def test_a_forced_encoding_is_part_of_the_key(folder, cache):
    read_checked(folder, cache_dir=cache)
    status, got = outcome(folder, cache, encoding="utf-8")
    assert status == "written"
    same(got, read_dataset(folder))


# ---------------------------------------------------------------------------
# Corruption: ignored and rebuilt, never trusted


def test_random_bytes_anywhere_are_never_trusted(folder, cache):
    read_checked(folder, cache_dir=cache)
    path = snapshot_path(cache, folder)
    good = path.read_bytes()
    rng = random.Random(7)
    want = read_dataset(folder)
    for _ in range(12):
        data = bytearray(good)
        for _ in range(rng.choice([1, 3, 50])):
            i = rng.randrange(len(data))
            data[i] = (data[i] + rng.randrange(1, 256)) % 256
        path.write_bytes(bytes(data))
        status, got = outcome(folder, cache)
        assert status == "written"
        same(got, want)
        assert path.read_bytes() == good  # rebuilt: the same bytes as the first snapshot


@pytest.mark.parametrize("keep", [0, 1, 22, 0.5, -1])
def test_a_truncated_snapshot_is_rebuilt(folder, cache, keep):
    read_checked(folder, cache_dir=cache)
    path = snapshot_path(cache, folder)
    data = path.read_bytes()
    cut = int(len(data) * keep) if isinstance(keep, float) else (keep if keep >= 0 else len(data) + keep)
    path.write_bytes(data[:cut])
    status, got = outcome(folder, cache)
    assert status == "written"
    same(got, read_dataset(folder))


def test_a_snapshot_of_another_dataset_is_not_trusted(tmp_path, folder, cache):
    other = tmp_path / "other"
    generate_dataset(other, 50, seed=1)
    read_checked(other, cache_dir=cache)
    snapshot_path(cache, folder).parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(snapshot_path(cache, other), snapshot_path(cache, folder))
    status, got = outcome(folder, cache)
    assert status == "written"
    same(got, read_dataset(folder))


def test_a_snapshot_of_another_version_or_code_is_not_trusted(folder, cache, monkeypatch):
    read_checked(folder, cache_dir=cache)
    monkeypatch.setattr(alliances, "__version__", alliances.__version__ + ".post1")
    assert load_status(folder, cache) == "written"
    monkeypatch.setattr(snapshot, "_CODE_GLOB", "*.py")  # as if a module of a subpackage changed
    assert load_status(folder, cache) == "written"
    monkeypatch.setattr(snapshot, "FORMAT", snapshot.FORMAT + 1)
    assert load_status(folder, cache) == "written"
    assert load_status(folder, cache) == "loaded"


def test_a_snapshot_whose_header_lies_is_not_trusted(folder, cache):
    """A well-formed file with a consistent digest but rows that do not match its header."""
    import numpy as np

    read_checked(folder, cache_dir=cache)
    path = snapshot_path(cache, folder)
    with np.load(path, allow_pickle=False) as npz:
        arrays = {k: npz[k] for k in npz.files}
    meta = json.loads(arrays.pop("meta").tobytes())
    meta["tables"]["nodes"]["rows"] += 1
    arrays["meta"] = np.frombuffer(json.dumps(meta).encode(), dtype=np.uint8)
    with open(path, "wb") as fh:
        np.savez(fh, **arrays)
    status, got = outcome(folder, cache)
    assert status == "written"
    same(got, read_dataset(folder))


def test_pickled_content_is_refused(folder, cache):
    import numpy as np

    read_checked(folder, cache_dir=cache)
    path = snapshot_path(cache, folder)
    with open(path, "wb") as fh:
        np.savez(fh, meta=np.array([{"magic": "alliances-snapshot"}], dtype=object))
    assert load_status(folder, cache) == "written"


def test_an_unwritable_cache_folder_still_answers(folder, tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x", encoding="utf-8")
    status, got = outcome(folder, blocker / "cache")
    assert status == "not written"
    same(got, read_dataset(folder))


# ---------------------------------------------------------------------------
# The CLI: --cache-dir, ALLIANCES_CACHE_DIR, --no-cache, validate


def test_cli_writes_then_reuses_the_snapshot(folder, cache):
    runner = CliRunner()
    args = ["show", "huashang-committee", "--data", str(folder), "--cache-dir", str(cache), "--format", "json"]
    first = runner.invoke(cli, args)
    assert first.exit_code == 0, first.output
    path = snapshot_path(cache, folder)
    assert path.exists()
    before = path.stat().st_mtime_ns
    second = runner.invoke(cli, args)
    assert second.exit_code == 0 and second.output == first.output
    assert path.stat().st_mtime_ns == before


def test_cli_no_cache_writes_nothing(folder, cache):
    result = CliRunner().invoke(cli, ["search", "自贡", "--data", str(folder), "--cache-dir", str(cache), "--no-cache"])
    assert result.exit_code == 0, result.output
    assert not cache.exists()


def test_cli_validate_checks_every_time_and_writes_the_snapshot(folder, cache):
    runner = CliRunner()
    ok = runner.invoke(cli, ["validate", str(folder), "--cache-dir", str(cache)])
    assert ok.exit_code == 0, ok.output
    assert snapshot_path(cache, folder).exists()
    # A hand-made bad snapshot is overwritten by validate, which never loads one.
    snapshot_path(cache, folder).write_bytes(b"junk")
    again = runner.invoke(cli, ["validate", str(folder), "--cache-dir", str(cache)])
    assert again.output == ok.output
    assert load_status(folder, cache) == "loaded"


def test_environment_names_the_cache_folder_in_a_real_subprocess(folder, tmp_path):
    env_cache = tmp_path / "env-cache"
    proc = run_cli("show", "自贡市", "--data", str(folder), env={"ALLIANCES_CACHE_DIR": str(env_cache), "LANG": "C"})
    assert proc.returncode == 0, proc.stderr.decode()
    assert snapshot_path(env_cache, folder).exists()
    flag_cache = tmp_path / "flag-cache"
    proc = run_cli("show", "自贡市", "--data", str(folder), "--cache-dir", str(flag_cache),
                   env={"ALLIANCES_CACHE_DIR": str(env_cache)})
    assert proc.returncode == 0
    assert snapshot_path(flag_cache, folder).exists()
