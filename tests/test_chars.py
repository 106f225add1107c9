"""Invisible, bidirectional and C1 control characters are refused with their position;
look-alike names are reported as probable duplicates by ``validate`` and ``import`` and
are never picked silently when a planner types one of them."""

from __future__ import annotations

import copy
import json

import pytest
from click.testing import CliRunner

from alliances.chars import hidden_characters, lookalike_groups, skeleton
from alliances.cli import cli
from alliances.dataset import read_dataset, write_dataset
from alliances.errors import ValidationError
from tests.payloads import EMOJI_OK, INVISIBLE, LOOKALIKES, NOT_ALIKE


@pytest.mark.parametrize("text, position, code", INVISIBLE)
def test_hidden_characters_are_found_at_their_position(text, position, code):
    found = hidden_characters(text)
    assert found and found[0][0] == position and ord(found[0][1]) == code


@pytest.mark.parametrize("text", EMOJI_OK + ["自贡华商商圈党委", "Zigong", "a\tb", "line\nbreak", "é", "e\u0301"])
def test_visible_text_and_emoji_sequences_pass(text):
    assert hidden_characters(text) == []


def _with(bundled, column, value, kind="nodes"):
    ds = copy.deepcopy(bundled)
    if kind == "nodes":
        node = ds.nodes["huashang-committee"]
        node[column] = [value] if column == "aliases" else value
    else:
        ds.relationships[0][column] = value
    return ds


@pytest.mark.parametrize("text, position, code", INVISIBLE)
@pytest.mark.parametrize("column", ["name", "description", "aliases"])
def test_validate_refuses_them_with_file_row_column_and_position(tmp_path, bundled, text, position, code, column):
    folder = write_dataset(_with(bundled, column, text), tmp_path / "ds")
    with pytest.raises(ValidationError) as err:
        read_dataset(folder)
    (p,) = err.value.problems
    assert p.file.endswith("nodes.csv") and p.field == column and p.row is not None
    assert f"U+{code:04X}" in p.message
    if p.code == "hidden_character":
        assert p.message.startswith(f"character {position} is U+{code:04X}")
    else:
        assert p.code == "control_characters" and f"at character {position}" in p.message


@pytest.mark.parametrize("text, position, code", INVISIBLE[:6] + INVISIBLE[-4:])
def test_import_refuses_them_too_and_writes_nothing(tmp_path, bundled, text, position, code):
    folder = write_dataset(_with(bundled, "role", text, kind="rels"), tmp_path / "ds")
    res = CliRunner().invoke(cli, ["import", str(folder), "--out", str(tmp_path / "out")])
    assert res.exit_code == 1, res.output
    assert "relationships.csv" in res.output and "column role" in res.output and f"U+{code:04X}" in res.output
    assert not (tmp_path / "out").exists()
    assert "\x1b" not in res.output and "\x9b" not in res.output  # nothing raw reaches the terminal


@pytest.mark.parametrize("text", EMOJI_OK)
def test_emoji_in_a_description_are_kept(tmp_path, bundled, text):
    folder = write_dataset(_with(bundled, "description", text), tmp_path / "ds")
    assert read_dataset(folder).nodes["huashang-committee"]["description"] == text


@pytest.mark.parametrize("one, other", LOOKALIKES)
def test_lookalikes_share_a_skeleton(one, other):
    assert skeleton(one) == skeleton(other)


@pytest.mark.parametrize("one, other", NOT_ALIKE)
def test_different_names_do_not(one, other):
    assert skeleton(one) != skeleton(other)


def _twins(bundled, one, other):
    ds = copy.deepcopy(bundled)
    a = copy.deepcopy(ds.nodes["huashang-committee"])
    ds.nodes["huashang-committee"]["name"] = one
    ds.nodes["huashang-committee"]["aliases"] = []
    a.update(id="twin-committee", name=other, aliases=[], name_en="")
    ds.nodes["twin-committee"] = a
    return ds


@pytest.mark.parametrize("one, other", LOOKALIKES)
def test_validate_reports_lookalikes_as_probable_duplicates(tmp_path, bundled, one, other):
    folder = write_dataset(_twins(bundled, one, other), tmp_path / "ds")
    assert lookalike_groups(read_dataset(folder).nodes) == [["huashang-committee", "twin-committee"]]
    res = CliRunner().invoke(cli, ["validate", str(folder)])
    assert res.exit_code == 0, res.output
    assert "probable duplicate Organization (look-alike names)" in res.stderr
    assert "huashang-committee" in res.stderr and "twin-committee" in res.stderr
    assert "U+" in res.stderr  # says which characters differ
    js = CliRunner().invoke(cli, ["validate", str(folder), "--format", "json"])
    assert js.exit_code == 0 and json.loads(js.stdout)["warnings"]


@pytest.mark.parametrize("one, other", [p for p in LOOKALIKES if "Ａ" not in p[1]])
def test_import_reports_lookalikes_and_keeps_both(tmp_path, bundled, one, other):
    folder = write_dataset(_twins(bundled, one, other), tmp_path / "ds")
    res = CliRunner().invoke(cli, ["import", str(folder), "--out", str(tmp_path / "out")])
    assert res.exit_code == 0, res.output
    assert "probable duplicate Organization (look-alike names)" in res.stderr
    assert {"huashang-committee", "twin-committee"} <= set(read_dataset(tmp_path / "out").nodes)


@pytest.mark.parametrize("one, other", NOT_ALIKE)
def test_distinct_names_give_no_warning(tmp_path, bundled, one, other):
    folder = write_dataset(_twins(bundled, one, other), tmp_path / "ds")
    res = CliRunner().invoke(cli, ["validate", str(folder)])
    assert res.exit_code == 0 and "look-alike" not in res.stderr


def test_the_bundled_dataset_has_no_lookalikes(bundled):
    assert lookalike_groups(bundled.nodes) == []


@pytest.mark.parametrize("one, other", LOOKALIKES[:4])
@pytest.mark.parametrize("typed", ["one", "other"])
def test_typing_either_name_mentions_the_twin(tmp_path, bundled, one, other, typed):
    folder = write_dataset(_twins(bundled, one, other), tmp_path / "ds")
    name = one if typed == "one" else other
    res = CliRunner().invoke(cli, ["show", name, "--data", str(folder)])
    assert res.exit_code == 2, res.output
    assert "look-alike" in res.output and "huashang-committee" in res.output and "twin-committee" in res.output
    by_id = CliRunner().invoke(cli, ["show", "twin-committee", "--data", str(folder)])
    assert by_id.exit_code == 0
