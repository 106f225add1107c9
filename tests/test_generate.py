"""The synthetic generator: deterministic, valid, shaped like the real network."""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from alliances.cli import cli
from alliances.dataset import COLUMNS, read_dataset
from alliances.generate import generate_dataset
from alliances.graph import build_graph


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_same_size_and_seed_give_byte_identical_files(tmp_path):
    generate_dataset(tmp_path / "a", 500, seed=7)
    generate_dataset(tmp_path / "b", 500, seed=7)
    generate_dataset(tmp_path / "c", 500, seed=8)
    assert _files(tmp_path / "a") == _files(tmp_path / "b")
    assert _files(tmp_path / "a")["relationships.csv"] != _files(tmp_path / "c")["relationships.csv"]


def test_columns_are_the_dataset_columns(tmp_path):
    generate_dataset(tmp_path / "d", 100, seed=1)
    for kind, name in (("nodes", "nodes.csv"), ("relationships", "relationships.csv"),
                       ("sources", "sources.csv"), ("figures", "figures.csv")):
        with open(tmp_path / "d" / name, encoding="utf-8", newline="") as fh:
            header = next(csv.reader(fh))
        expected = COLUMNS[kind] + (["synthetic"] if kind == "nodes" else [])
        assert header == expected


def test_ten_thousand_organisations_validate_and_have_the_real_shape(tmp_path):
    counts = generate_dataset(tmp_path / "d", 10_000, seed=1)
    ds = read_dataset(tmp_path / "d")  # raises on any problem
    labels, types = ds.counts()
    assert labels["Organization"] == 10_000
    assert counts["relationships"] == len(ds.relationships)
    # about five relationships per organisation
    assert 4.5 <= len(ds.relationships) / 10_000 <= 5.5
    for t in ("LOCATED_IN", "PART_OF", "BRANCH_OF", "MANAGES", "GUIDES", "GOVERNS", "MEMBER_OF",
              "FOUNDED", "PARTY_TO", "ORGANIZED", "PARTICIPATED_IN", "HELD_IN"):
        assert types.get(t, 0) > 0, t
    kinds = {n["kind"] for n in ds.nodes.values() if n["label"] == "Organization"}
    assert {"comprehensive_committee", "two_new_committee", "working_committee", "party_branch",
            "enterprise"} <= kinds
    # every node synthetic, citing the one synthetic source, paragraph 1
    assert list(ds.sources) == ["synthetic-1"]
    assert all(n.get("synthetic") is True and n["source"] == "synthetic-1" and n["paragraphs"] == [1]
               for n in ds.nodes.values())
    # agreements and activities are dated, and so are their ties
    assert all(r["date"] for r in ds.relationships if r["type"] in ("PARTY_TO", "PARTICIPATED_IN"))
    G = build_graph(ds)
    groups = {G.nodes[n]["region_group"] for n in G if G.nodes[n]["label"] == "Organization"}
    assert {"zigong", "chengdu", "chongqing"} <= groups
    # alliances span regions: most alliances with 3+ members have members of 2+ region groups
    spans = []
    for a, d in G.nodes(data=True):
        if d["label"] == "Alliance":
            members = [u for u, _, k in G.in_edges(a, keys=True) if k == "MEMBER_OF"
                       and G.nodes[u]["label"] == "Organization"]
            if len(members) >= 3:
                spans.append(len({G.nodes[u]["region_group"] for u in members}) >= 2)
    assert sum(spans) > 0.5 * len(spans)
    # heavy-tailed participation: the busiest organisation takes part in far more
    # activities than the median one
    per_org: dict[str, int] = {}
    for r in ds.relationships:
        if r["type"] == "PARTICIPATED_IN":
            per_org[r["start"]] = per_org.get(r["start"], 0) + 1
    values = sorted(per_org.values())
    assert values[-1] >= 10 * values[len(values) // 2]


def test_cli_generate_and_refuse_to_overwrite(tmp_path):
    runner = CliRunner()
    out = tmp_path / "syn"
    res = runner.invoke(cli, ["generate", "--organizations", "1k", "--seed", "2", "--out", str(out)])
    assert res.exit_code == 0, res.output
    assert "1,000 organisations" in res.output
    assert len(read_dataset(out).nodes) > 1000
    again = runner.invoke(cli, ["generate", "--organizations", "1k", "--out", str(out)])
    assert again.exit_code == 1
    assert again.output.startswith("Error: ") and "--force" in again.output
    forced = runner.invoke(cli, ["generate", "--organizations", "50", "--out", str(out), "--force"])
    assert forced.exit_code == 0
    assert sum(1 for n in read_dataset(out).nodes.values() if n["label"] == "Organization") == 50
    bad = runner.invoke(cli, ["generate", "--organizations", "lots", "--out", str(tmp_path / "x")])
    assert bad.exit_code == 2 and "not a number" in bad.output
    few = runner.invoke(cli, ["generate", "--organizations", "3", "--out", str(tmp_path / "x")])
    assert few.exit_code == 2 and "between 20" in few.output
    assert not (tmp_path / "x").exists()


def test_generate_as_subprocess_then_validate(tmp_path):
    env = {**os.environ, "LANG": "C", "LC_ALL": "C"}
    out = tmp_path / "sub"
    r = subprocess.run([sys.executable, "-m", "alliances", "generate", "--organizations", "300",
                        "--seed", "5", "--out", str(out)], capture_output=True, text=True, env=env)
    assert r.returncode == 0, r.stderr
    v = subprocess.run([sys.executable, "-m", "alliances", "validate", str(out)],
                       capture_output=True, text=True, env=env)
    assert v.returncode == 0, v.stderr
    assert v.stdout.startswith("OK: ")
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no temp folder left
