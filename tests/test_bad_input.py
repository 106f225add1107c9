"""Malformed datasets: a clear error naming file, row and column; nothing written anywhere.

The corpus under ``tests/corpus/bad/`` is made by ``tests/corpus/make_corpus.py``
from one small valid dataset, breaking one thing per case (a few cases break
several). Each case's ``expected.txt`` lists the substrings the message must
contain; they were written by hand from the change the case makes (e.g. a
node id repeated on row 5 that first appears on row 4 must give
``nodes.csv, row 5, column id: duplicate id 'org-a' (first on row 4)``).
"""

from __future__ import annotations

import filecmp
import hashlib
import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from alliances.cli import cli
from alliances.dataset import read_dataset

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "tests" / "corpus"
BAD = CORPUS / "bad"
CASES = sorted(p.name for p in BAD.iterdir() if p.is_dir())
WORKBOOK_CASES = [c for c in CASES if (BAD / c / "workbook.xlsx").exists()]  # for `alliances import`
DATASET_CASES = [c for c in CASES if c not in WORKBOOK_CASES]  # for `validate` and `load`


def _make_corpus_module():
    spec = importlib.util.spec_from_file_location("make_corpus", CORPUS / "make_corpus.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def expected(case: str) -> list[str]:
    return [line for line in (BAD / case / "expected.txt").read_text(encoding="utf-8").splitlines() if line]


def tree_hash(folder: Path) -> str:
    """Names, kinds and contents of everything under ``folder``: any write changes it."""
    h = hashlib.sha256()
    for dirpath, dirnames, filenames in sorted(os.walk(folder)):
        dirnames.sort()
        h.update(f"D {os.path.relpath(dirpath, folder)}\n".encode())
        for name in sorted(filenames):
            p = Path(dirpath) / name
            h.update(f"F {name} {p.stat().st_size}\n".encode())
            h.update(p.read_bytes())
    return h.hexdigest()


def test_corpus_has_over_100_cases_each_with_expectations():
    assert len(CASES) >= 100
    for case in CASES:
        assert expected(case), case


def test_committed_corpus_is_what_the_script_makes(tmp_path):
    mod = _make_corpus_module()
    names = mod.build(tmp_path / "bad")
    assert sorted(names) == CASES
    cmp = filecmp.dircmp(tmp_path / "bad", BAD)

    def differences(c):
        out = c.left_only + c.right_only + c.diff_files + c.funny_files
        for sub in c.subdirs.values():
            out += differences(sub)
        return out

    # shallow=False everywhere: compare contents, not stat signatures
    for dirpath, _, files in os.walk(tmp_path / "bad"):
        for name in files:
            made = Path(dirpath) / name
            committed = BAD / made.relative_to(tmp_path / "bad")
            assert committed.read_bytes() == made.read_bytes(), committed
    assert differences(cmp) == []


def test_the_base_dataset_is_valid(tmp_path):
    # The base has 2 Regions, 2 Organizations and 1 Alliance; 2 LOCATED_IN,
    # 2 MEMBER_OF and 1 FOUNDED; 2 figures. Every case departs from it.
    ds = read_dataset(_make_corpus_module().write_base(tmp_path / "base"))
    assert ds.counts() == ({"Region": 2, "Organization": 2, "Alliance": 1},
                           {"LOCATED_IN": 2, "MEMBER_OF": 2, "FOUNDED": 1})
    assert [f["value"] for f in ds.figures] == [120, 3500]


@pytest.mark.parametrize("case", DATASET_CASES)
def test_validate_reports_the_problem_and_writes_nothing(case):
    folder = BAD / case
    before = tree_hash(folder)
    result = CliRunner().invoke(cli, ["validate", str(folder / "dataset")])
    assert result.exit_code == 1, result.output
    # a project error, reported by the CLI: never an uncaught exception
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert result.output.startswith("Error: ")
    for text in expected(case):
        assert text in result.output, f"{case}: {text!r} not in\n{result.output[:3000]}"
    assert tree_hash(folder) == before


@pytest.mark.parametrize("case", ["nodes_unclosed_quote", "node_duplicate_id", "relationship_dangling_end",
                                  "node_date_month_13"])
def test_validate_json_lists_problems_with_row_and_field(case):
    import json

    result = CliRunner().invoke(cli, ["validate", str(BAD / case / "dataset"), "--format", "json"])
    assert result.exit_code == 1
    doc = json.loads(result.output)
    assert doc["valid"] is False
    rendered = [f"{p['file']}, row {p['row']}" + (f", column {p['field']}" if p["field"] else "") + f": {p['message']}"
                for p in doc["problems"]]
    assert any(expected(case)[0] in r for r in rendered), rendered


def test_latin1_file_reads_when_its_encoding_is_named(tmp_path):
    # The fix the message suggests works: the same folder with --encoding latin-1,
    # once every file of it is Latin-1 (the encoding is forced for the whole folder).
    import shutil

    folder = tmp_path / "dataset"
    shutil.copytree(BAD / "nodes_latin1" / "dataset", folder)
    for other in ("sources.csv", "figures.csv", "relationships.csv"):
        text = (folder / other).read_bytes().decode("utf-8")
        (folder / other).write_bytes("".join(c if ord(c) < 256 else "x" for c in text).encode("latin-1"))
    ds = read_dataset(folder, encoding="latin-1")
    assert ds.nodes["org-a"]["description"] == "Zürich, Genève"
    assert ds.sources["s1"]["title"] == "xxxx Test source"


def test_forcing_latin1_on_a_utf8_file_is_caught_not_garbled():
    # sources.csv of the case is UTF-8 Chinese: read as Latin-1 its bytes become C1
    # control characters, which are refused with the file named, not loaded as mojibake.
    from alliances.errors import ValidationError

    with pytest.raises(ValidationError) as err:
        read_dataset(BAD / "nodes_latin1" / "dataset", encoding="latin-1")
    assert any("sources.csv" in str(p) for p in err.value.problems), [str(p) for p in err.value.problems]


def test_utf16_without_bom_is_read_not_rejected(tmp_path):
    # UTF-16 without a byte-order mark is recognised by its NUL pattern; the
    # only problem reported is the one the case planted (row 5 date 二〇一九年).
    from alliances.errors import ValidationError

    with pytest.raises(ValidationError) as err:
        read_dataset(BAD / "nodes_utf16_no_bom_with_error" / "dataset")
    assert [str(p).split("dataset/")[1][:60] for p in err.value.problems] == [
        "nodes.csv, row 5, column date: '二〇一九年' is not a date between"]


# ---------------------------------------------------------------------------
# Real subprocesses under LANG=C: validate, and load against the live Neo4j


def _run(*args, env=None):
    full = {k: v for k, v in os.environ.items() if not k.startswith("NEO4J_")}
    full.update({"LANG": "C", "LC_ALL": "C", "PYTHONIOENCODING": ""})
    full.update(env or {})
    return subprocess.run([sys.executable, "-m", "alliances", *args], env=full, capture_output=True, timeout=120)


def db_state(driver, database: str) -> dict:
    def q(text, key):
        records, _, _ = driver.execute_query(text, database_=database)
        return [r[key] for r in records]

    return {
        "nodes": q("MATCH (n) RETURN count(n) AS c", "c")[0],
        "relationships": q("MATCH ()-[r]->() RETURN count(r) AS c", "c")[0],
        "labels": sorted(q("CALL db.labels() YIELD label RETURN label", "label")),
        "types": sorted(q("CALL db.relationshipTypes() YIELD relationshipType AS t RETURN t", "t")),
        "keys": sorted(q("CALL db.propertyKeys() YIELD propertyKey AS k RETURN k", "k")),
        "props": q("MATCH (n) RETURN sum(size(keys(n))) AS c", "c")[0],
    }


@pytest.fixture(scope="module")
def loaded_bundled(neo4j_env, neo4j_driver, neo4j_database):
    """The bundled dataset in Neo4j, so 'nothing written' is checked against real data."""
    from tests.conftest import wipe

    wipe(neo4j_driver, neo4j_database)
    env = {k: v for k, v in neo4j_env.items() if k.startswith("NEO4J_")}
    done = _run("load", "--no-progress", env=env)
    assert done.returncode == 0, done.stderr.decode()
    return env


@pytest.mark.parametrize("case", WORKBOOK_CASES)
def test_import_refuses_a_damaged_workbook_and_writes_nothing(case, tmp_path):
    folder = BAD / case
    before = tree_hash(folder)
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["import", str(folder / "workbook.xlsx"), "--out", str(out)])
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    for text in expected(case):
        assert text in result.output, f"{case}: {text!r} not in\n{result.output}"
    assert not out.exists() and list(tmp_path.iterdir()) == []
    assert tree_hash(folder) == before


@pytest.mark.neo4j
@pytest.mark.parametrize("case", WORKBOOK_CASES)
def test_import_to_neo4j_refuses_a_damaged_workbook(case, loaded_bundled, neo4j_driver, neo4j_database):
    before_db = db_state(neo4j_driver, neo4j_database)
    done = _run("import", str(BAD / case / "workbook.xlsx"), "--neo4j", env=loaded_bundled)
    err = done.stderr.decode("utf-8", "replace")
    assert done.returncode == 1 and "Traceback" not in err and err.startswith("Error: ")
    assert all(text in err for text in expected(case)), err
    assert db_state(neo4j_driver, neo4j_database) == before_db


@pytest.mark.neo4j
@pytest.mark.parametrize("case", DATASET_CASES)
def test_load_refuses_the_case_and_writes_nothing(case, loaded_bundled, neo4j_driver, neo4j_database):
    folder = BAD / case
    before_files = tree_hash(folder)
    before_db = db_state(neo4j_driver, neo4j_database)
    assert before_db["nodes"] > 0
    for args in (["validate", str(folder / "dataset")], ["load", str(folder / "dataset"), "--no-progress"]):
        done = _run(*args, env=loaded_bundled)
        err = done.stderr.decode("utf-8", "replace")
        assert done.returncode == 1, (args, err)
        assert done.stdout == b""
        assert err.startswith("Error: ") and "Traceback" not in err
        for text in expected(case):
            # under LANG=C non-ASCII is replaced by '?' when the stream cannot encode it
            assert text in err or text.encode("ascii", "replace").decode() in err, f"{case}: {text!r} not in\n{err[:2000]}"
    assert tree_hash(folder) == before_files
    assert db_state(neo4j_driver, neo4j_database) == before_db
