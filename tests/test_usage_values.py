"""Numbers on the command line: NaN and infinity are usage errors, never values in the output."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from alliances.cli import cli


@pytest.mark.parametrize("value", ["nan", "NaN", "-nan", "inf", "-inf", "Infinity", "1e999", "x", "", "0", "-1"])
@pytest.mark.parametrize("fmt", ["json", "table", "csv"])
def test_communities_resolution_must_be_a_finite_positive_number(value, fmt):
    res = CliRunner().invoke(cli, ["communities", f"--resolution={value}", "--format", fmt])
    assert res.exit_code == 2, res.output
    assert "Invalid value for '--resolution'" in res.output
    assert "NaN" not in res.stdout and "Infinity" not in res.stdout.replace(value, "")


@pytest.mark.parametrize("value", ["0.5", "1", "2.0", "1e-3"])
def test_communities_resolution_accepts_finite_numbers(value):
    res = CliRunner().invoke(cli, ["communities", f"--resolution={value}", "--format", "json"])
    assert res.exit_code == 0, res.output
    assert "NaN" not in res.stdout


@pytest.mark.parametrize("value", ["inf", "nan", "-inf", "1e999", "1e999k"])
def test_generate_organizations_must_be_a_number(value, tmp_path):
    res = CliRunner().invoke(cli, ["generate", "--organizations", value, "--out", str(tmp_path / "g")])
    assert res.exit_code == 2, res.output
    assert "is not a number of organisations" in res.output
    assert not (tmp_path / "g").exists()
