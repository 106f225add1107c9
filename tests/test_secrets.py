"""Database credentials: only from the environment, a file or a prompt; never echoed anywhere.

The live server's password is random (``scripts/neo4j`` generates it). Every
command that talks to Neo4j runs with it, and with two other random wrong
passwords; then every stdout, stderr, server log in ``.neo4j/logs``, map and
report is searched for all three.
"""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from alliances.cli import cli
from alliances.commands.common import neo4j_settings
from alliances.settings import Neo4jSettings

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("command", ["load", "path", "centrality", "map", "report", "show", "search"])
def test_there_is_no_password_option(command):
    args = {"path": ["path", "a", "b"], "show": ["show", "a"], "search": ["search", "a"],
            "map": ["map", "--out", "x.html"], "report": ["report", "--out", "x.html"]}.get(command, [command])
    result = CliRunner().invoke(cli, [*args, "--neo4j", "--password", "hunter2"] if command != "load"
                                else [*args, "--password", "hunter2"])
    assert result.exit_code == 2
    assert "No such option '--password'" in result.output
    assert "hunter2" not in result.output


def test_settings_repr_and_str_hide_the_password():
    pw = secrets.token_urlsafe(16)
    s = Neo4jSettings(uri="bolt://h:7687", user="u", password=pw, database="d")
    assert pw not in repr(s) and pw not in str(s) and pw not in f"{s!r} {s}"
    assert "bolt://h:7687" in repr(s)


def test_password_sources_in_order(tmp_path):
    f = tmp_path / "pw"
    f.write_text("from-file\n", encoding="utf-8")
    env_file = tmp_path / "pw2"
    env_file.write_text("from-env-file", encoding="utf-8")
    assert neo4j_settings(password_file=str(f), env={"NEO4J_PASSWORD": "e"}, prompt=False).password == "from-file"
    assert neo4j_settings(env={"NEO4J_PASSWORD": "e", "NEO4J_PASSWORD_FILE": str(env_file)},
                          prompt=False).password == "e"
    assert neo4j_settings(env={"NEO4J_PASSWORD_FILE": str(env_file)}, prompt=False).password == "from-env-file"
    assert neo4j_settings(env={}, prompt=False).password == ""


def test_unreadable_password_file_is_a_usage_error_without_contents(tmp_path):
    result = CliRunner().invoke(cli, ["load", "--password-file", str(tmp_path / "missing"), "--no-progress"], env={})
    assert result.exit_code == 2
    assert "--password-file" in result.output and "cannot be read" in result.output


def _env(neo4j_env, **extra):
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEO4J_")}
    env.update({k: v for k, v in neo4j_env.items() if k.startswith("NEO4J_") and k != "NEO4J_PASSWORD"})
    env.update({"LANG": "C", "LC_ALL": "C"})
    env.update(extra)
    return env


@pytest.mark.neo4j
@pytest.mark.browser
def test_password_appears_in_no_output_log_map_or_report(tmp_path, neo4j_env, clean_neo4j):
    real = neo4j_env["NEO4J_PASSWORD"]
    assert len(real) >= 12  # generated, so a match below cannot be a coincidence
    wrong = [secrets.token_urlsafe(18), secrets.token_urlsafe(18)]
    wrong_file = tmp_path / "wrong-password"
    wrong_file.write_text(wrong[1], encoding="utf-8")
    ok_env = _env(neo4j_env)  # the password from NEO4J_PASSWORD_FILE
    runs = [
        (["load", "--no-progress"], ok_env, 0),
        (["load", "--no-progress"], {**ok_env, "NEO4J_PASSWORD": real}, 0),
        (["path", "zigong", "chengdu", "--neo4j"], ok_env, 0),
        (["centrality", "--neo4j"], ok_env, 0),
        (["map", "--neo4j", "--out", str(tmp_path / "map.html")], ok_env, 0),
        (["report", "--neo4j", "--out", str(tmp_path / "report.html")], ok_env, 0),
        (["report", "--neo4j", "--out", str(tmp_path / "report.md")], ok_env, 0),
        (["load", "--no-progress"], {**ok_env, "NEO4J_PASSWORD": wrong[0]}, 1),
        (["path", "zigong", "chengdu", "--neo4j", "--password-file", str(wrong_file)], ok_env, 1),
    ]
    outputs = []
    for args, env, code in runs:
        done = subprocess.run([sys.executable, "-m", "alliances", *args], env=env, capture_output=True, timeout=300)
        assert done.returncode == code, (args, done.stderr.decode())
        outputs += [done.stdout, done.stderr]
        assert b"Traceback" not in done.stderr
    time.sleep(1)  # let the failed logins leave Neo4j's auth lock (0.5 s on the test server) before other tests
    files = [tmp_path / "map.html", tmp_path / "report.html", tmp_path / "report.md"]
    logs = sorted((ROOT / ".neo4j" / "logs").glob("**/*")) if (ROOT / ".neo4j" / "logs").exists() else []
    assert all(f.stat().st_size > 0 for f in files)
    blobs = outputs + [f.read_bytes() for f in files] + [p.read_bytes() for p in logs if p.is_file()]
    for pw in (real, *wrong):
        for blob in blobs:
            assert pw.encode() not in blob
            assert pw.encode("utf-16-le") not in blob
