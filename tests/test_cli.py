"""Every core command through CliRunner, and as a real subprocess under LANG=C."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from alliances import __version__
from alliances.cli import LAZY_COMMANDS, cli
from tests.conftest import run_cli


@pytest.fixture
def runner():
    return CliRunner()


def test_version(runner):
    result = runner.invoke(cli, ["--version"])
    assert result.exit_code == 0 and __version__ in result.output


def test_path_json_shape(runner):
    result = runner.invoke(cli, ["path", "自贡华商商圈党委", "重庆解放碑商圈党委", "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["from"]["id"] == "huashang-committee" and data["to"]["id"] == "jiefangbei-committee"
    [p] = data["paths"]
    assert p["hops"] == 2 and len(p["nodes"]) == 3 and len(p["relationships"]) == 2
    assert set(p["nodes"][0]) >= {"id", "name", "label", "name_en", "kind", "region"}
    assert set(p["relationships"][0]) >= {"type", "start", "end", "source", "paragraphs"}
    assert p["relationships"][0]["paragraphs"] == [17]


def test_path_text_explains_each_hop_with_paragraph(runner):
    result = runner.invoke(cli, ["path", "huashang-committee", "jiefangbei-committee", "--k", "2"])
    assert result.exit_code == 0
    assert "路径 1" in result.output and "路径 2" in result.output  # Chinese data: Chinese text by default
    assert "¶17" in result.output and "主办" in result.output
    en = runner.invoke(cli, ["path", "huashang-committee", "jiefangbei-committee", "--k", "2", "--lang", "en"])
    assert "Path 1" in en.output and "Path 2" in en.output and "2 hops" in en.output


def test_path_without_a_partnership_says_so_and_suggests_geography(runner):
    result = runner.invoke(cli, ["path", "中兴耐磨公司党支部", "重庆解放碑商圈党委", "--lang", "en"])
    assert result.exit_code == 0
    assert "No path" in result.output and "--geography" in result.output
    zh = runner.invoke(cli, ["path", "中兴耐磨公司党支部", "重庆解放碑商圈党委"])
    assert "没有经过这些关系的路径" in zh.output and "--geography" in zh.output
    result = runner.invoke(cli, ["path", "中兴耐磨公司党支部", "重庆解放碑商圈党委", "--geography",
                                 "--format", "json"])
    assert json.loads(result.output)["paths"][0]["hops"] == 6


def test_ambiguous_name_is_a_usage_error_listing_candidates(runner):
    result = runner.invoke(cli, ["path", "解放碑", "华商商圈党委"])
    assert result.exit_code == 2
    assert "jiefangbei-circle" in result.output and "jiefangbei-committee" in result.output
    assert "Traceback" not in result.output


def test_unknown_via_type_is_a_usage_error(runner):
    result = runner.invoke(cli, ["path", "a", "b", "--via", "FRIENDS_WITH"])
    assert result.exit_code == 2 and "FRIENDS_WITH" in result.output


def test_centrality_json_has_a_row_for_every_organisation(runner, bundled):
    result = runner.invoke(cli, ["centrality", "--format", "json"])
    assert result.exit_code == 0
    rows = json.loads(result.output)
    orgs = {n for n, d in bundled.nodes.items() if d["label"] == "Organization"}
    assert {r["id"] for r in rows} == orgs
    for key in ("id", "name", "region", "kind", "degree", "betweenness", "closeness", "eigenvector", "pagerank"):
        assert key in rows[0]
    assert rows[0]["id"] == "huashang-committee"


@pytest.mark.parametrize("fmt", ["table", "csv", "markdown"])
def test_centrality_formats(runner, fmt):
    result = runner.invoke(cli, ["centrality", "--format", fmt, "--top", "3", "--by", "pagerank"])
    assert result.exit_code == 0
    assert "自贡华商商圈党委" in result.output


def test_search_finds_the_chengdu_committee(runner):
    result = runner.invoke(cli, ["search", "盐市口", "--format", "json"])
    ids = [r["id"] for r in json.loads(result.output)]
    assert "yanshikou-committee" in ids


def test_show_lists_figures_and_ties_with_provenance(runner):
    result = runner.invoke(cli, ["show", "zg-hitech-zone"])
    assert result.exit_code == 0
    assert "problems_resolved = 192" in result.output and "¶23" in result.output
    result = runner.invoke(cli, ["show", "中兴耐磨公司党支部", "--format", "json"])
    data = json.loads(result.output)
    assert {t["type"] for t in data["ties"]} == {"BRANCH_OF", "LEADS", "RECEIVED"}


def test_validate_bundled_and_broken(runner, tmp_path, bundled):
    result = runner.invoke(cli, ["validate"])
    assert result.exit_code == 0 and "OK" in result.output
    from alliances.dataset import write_dataset

    out = write_dataset(bundled, tmp_path / "d")
    with open(out / "relationships.csv", "a", encoding="utf-8") as fh:
        fh.write("huashang-committee,MEMBER_OF,nowhere,,,,,zigong-2022,7\n")
    result = runner.invoke(cli, ["validate", str(out)])
    assert result.exit_code == 1
    assert "relationships.csv, row 48, column end" in result.output
    assert "Traceback" not in result.output
    result = runner.invoke(cli, ["validate", str(tmp_path / "missing")])
    assert result.exit_code == 1 and "no such folder" in result.output


def test_data_option_reads_another_dataset(runner, tmp_path, bundled):
    from alliances.dataset import write_dataset

    out = write_dataset(bundled, tmp_path / "copy")
    result = runner.invoke(cli, ["search", "盐市口", "--data", str(out), "--format", "json"])
    assert result.exit_code == 0 and json.loads(result.output)


# ---------------------------------------------------------------------------
# Real subprocesses


def test_subprocess_under_lang_c_prints_utf8_json():
    env = {"LANG": "C", "LC_ALL": "C", "PYTHONIOENCODING": ""}
    proc = run_cli("path", "自贡华商商圈党委", "重庆解放碑商圈党委", "--format", "json", env=env)
    assert proc.returncode == 0, proc.stderr.decode("utf-8", "replace")
    data = json.loads(proc.stdout.decode("utf-8"))
    assert data["paths"] and data["from"]["name"] == "自贡华商商圈党委"


def test_subprocess_user_error_has_no_traceback():
    proc = run_cli("show", "没有这个组织", env={"LANG": "C"})
    assert proc.returncode == 2
    err = proc.stderr.decode("utf-8", "replace")
    assert err.startswith("Error: ") and "Traceback" not in err


def test_console_script_is_installed():
    import shutil
    import sys

    exe = Path(sys.executable).parent / "alliances"
    assert exe.exists() or shutil.which("alliances")


# ---------------------------------------------------------------------------
# Help is documentation


def _all_commands():
    import click

    ctx = click.Context(cli)
    return [(name, cli.get_command(ctx, name)) for name in cli.list_commands(ctx)]


# (every command and option has help and is in the CLI reference: tests/test_docs.py)


def test_lazy_commands_are_importable_and_listed_without_importing_them():
    assert set(LAZY_COMMANDS) <= {n for n, _ in _all_commands()}
    proc = run_cli("--help")
    assert proc.returncode == 0
    for name in LAZY_COMMANDS:
        assert name in proc.stdout.decode()


@pytest.mark.parametrize("args, expect", [
    (["centrality", "--format", "csv", "--top", "1"], "huashang-committee"),
    (["search", "盐市口", "--format", "csv"], "yanshikou-committee"),
    (["show", "陈桂芳"], "chen-guifang"),
    (["validate"], "OK:"),
    (["path", "陈桂芳", "高新区党工委", "--format", "json"], '"hops": 2'),
])
def test_each_core_command_as_a_subprocess(args, expect):
    proc = run_cli(*args, env={"LANG": "C"})
    assert proc.returncode == 0, proc.stderr.decode("utf-8", "replace")
    assert expect in proc.stdout.decode("utf-8")
