"""scripts/bench end to end on a small network: every measure the scale issue names is taken.

Speed is not asserted here (benchmarks measure it, tests do not); this checks that one run
against the live Neo4j and headless Chromium produces each figure, consistently.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_bench_runs_end_to_end_and_reports_every_measure(tmp_path, neo4j_env, clean_neo4j):
    env = {"PATH": "/usr/bin:/bin", "HOME": str(Path.home()), "LANG": "C", **neo4j_env}
    run = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "bench"), "--sizes", "1500", "--pairs", "60", "--naive-rows", "50",
         "--work", str(tmp_path / "work"), "--out", str(tmp_path / "out"), "--timeout", "600"],
        capture_output=True, text=True, env=env, cwd=ROOT, timeout=1200)
    assert run.returncode == 0, run.stderr[-3000:]
    r = json.loads((tmp_path / "out" / "bench-1500.json").read_text(encoding="utf-8"))
    assert r["organizations"] == 1500 and r["relationships"] > 1500
    assert r["validate"]["error"] is None and r["centrality_cli"]["error"] is None
    neo = r["neo4j"]
    assert "error" not in neo and "path_error" not in neo, neo
    assert neo["load_rel_per_s"] == r["relationships"] / neo["load_seconds"]
    assert neo["load_vs_naive"] == neo["load_rel_per_s"] / neo["naive_rel_per_s"]
    assert neo["path_pairs"] == 60 and 0 < neo["path_found"] <= 60
    assert 0 < neo["path_p50_ms"] <= neo["path_p95_ms"]
    assert r["embedded_paths"]["embedded_path_pairs"] == 60
    for engine in ("alliances", "networkit", "igraph", "networkx"):
        entry = r["centrality"][engine]
        assert entry["error"] is None and entry["compute_seconds"] > 0, (engine, entry)
        # every engine worked on the same projection
        assert (entry["nodes"], entry["edges"]) == (r["centrality"]["alliances"]["nodes"],
                                                    r["centrality"]["alliances"]["edges"])
    m = r["map"]
    assert m["error"] is None and m["mb"] > 0 and m["blocked_requests"] == 0 and m["page_errors"] == 0
    assert m["drawn_nodes"] > 0 and m["draw_seconds"] > 0
    assert r["help_seconds"] > 0
    # the table names each target
    for line in ("load rel/s (target >= 100k)", "Neo4j path p50 / p95 ms (target p95 <= 10)",
                 "networkit time / ours (target >= 0.67)", "networkx time / ours (target >= 20)",
                 "alliances --help (target <= 0.3 s)"):
        assert line in run.stdout


def test_bench_coverage_runs_end_to_end(tmp_path):
    env = {"PATH": "/usr/bin:/bin", "HOME": str(Path.home()), "LANG": "C"}
    out = tmp_path / "coverage.json"
    run = subprocess.run([sys.executable, str(ROOT / "scripts" / "bench_coverage"), "--sizes", "400", "--out", str(out)],
                         capture_output=True, text=True, env=env, cwd=ROOT, timeout=1200)
    assert run.returncode == 0, run.stderr[-3000:]
    (row,) = json.loads(out.read_text(encoding="utf-8"))["rows"]
    assert row["organizations"] == 400 and row["registry_entries"] > 40
    for step in ("validate", "registry_import", "coverage", "centrality", "coverage_warm", "centrality_warm"):
        assert row[f"{step}_s"] > 0 and row[f"{step}_mb"] > 0, step
    assert row["coverage_over_centrality"] == round(row["coverage_s"] / row["centrality_s"], 2)
