"""Shared fixtures: the bundled graph, tiny graphs, and the live local Neo4j.

The Neo4j fixtures use the real server that ``scripts/test`` starts with
``scripts/neo4j start``; if it is not running they start it the same way.
They never skip: a missing server is a failing test run.
"""

from __future__ import annotations

import atexit
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

# Dataset snapshots of a test run go to a folder of its own (inherited by subprocesses),
# never to the user's cache folder.
os.environ["ALLIANCES_CACHE_DIR"] = tempfile.mkdtemp(prefix="alliances-test-cache-")
# ... removed when the run ends (each run left one behind, up to 7 MB, in the temp folder).
atexit.register(shutil.rmtree, os.environ["ALLIANCES_CACHE_DIR"], ignore_errors=True)


@pytest.fixture(scope="session")
def bundled():
    from alliances.dataset import read_dataset

    return read_dataset()


@pytest.fixture(scope="session")
def bundled_graph(bundled):
    from alliances.graph import build_graph

    return build_graph(bundled)


def run_cli(*args, env=None, cwd=None, input=None, timeout=300):
    """Run ``python -m alliances ARGS`` as a real subprocess; returns CompletedProcess (bytes)."""
    full_env = dict(os.environ)
    full_env.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "alliances", *args],
        env=full_env, cwd=cwd, input=input, capture_output=True, timeout=timeout,
    )


# ---------------------------------------------------------------------------
# Live Neo4j


def _neo4j_env() -> dict[str, str]:
    script = ROOT / "scripts" / "neo4j"
    status = subprocess.run([str(script), "status"], capture_output=True, text=True)
    if status.returncode != 0:
        started = subprocess.run([str(script), "start"], capture_output=True, text=True, timeout=900)
        if started.returncode != 0:
            raise RuntimeError(f"scripts/neo4j start failed:\n{started.stdout}\n{started.stderr}")
    out = subprocess.run([str(script), "env"], capture_output=True, text=True, check=True).stdout
    env = {}
    for line in out.splitlines():
        line = line.strip()
        if line.startswith("export "):
            key, _, value = line[len("export "):].partition("=")
            env[key] = value.strip().strip("'\"")
    if "NEO4J_PASSWORD" not in env:
        env["NEO4J_PASSWORD"] = Path(env["NEO4J_PASSWORD_FILE"]).read_text(encoding="utf-8").strip()
    return env


@pytest.fixture(scope="session")
def neo4j_env() -> dict[str, str]:
    """NEO4J_URI, NEO4J_USERNAME, NEO4J_PASSWORD, NEO4J_DATABASE of the live local server."""
    return _neo4j_env()


@pytest.fixture(scope="session")
def neo4j_settings(neo4j_env):
    from alliances.settings import Neo4jSettings

    return Neo4jSettings(
        uri=neo4j_env["NEO4J_URI"],
        user=neo4j_env.get("NEO4J_USERNAME", "neo4j"),
        password=neo4j_env["NEO4J_PASSWORD"],
        database=neo4j_env.get("NEO4J_DATABASE", "neo4j"),
    )


@pytest.fixture(scope="session")
def neo4j_database(neo4j_env) -> str:
    return neo4j_env.get("NEO4J_DATABASE", "neo4j")


@pytest.fixture(scope="session")
def neo4j_driver(neo4j_settings):
    from neo4j import GraphDatabase

    driver = GraphDatabase.driver(neo4j_settings.uri, auth=(neo4j_settings.user, neo4j_settings.password))
    driver.verify_connectivity()
    yield driver
    driver.close()


def wipe(driver, database: str) -> None:
    # relationships first, in batches: a hub's DETACH DELETE in one batch can exhaust a small heap
    # (a database left with a benchmark's million organisations)
    with driver.session(database=database) as session:
        session.run("MATCH ()-[r]->() CALL (r) { DELETE r } IN TRANSACTIONS OF 10000 ROWS").consume()
        session.run("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS").consume()


@pytest.fixture
def clean_neo4j(neo4j_driver, neo4j_database):
    """An empty database before the test (constraints and indexes stay)."""
    wipe(neo4j_driver, neo4j_database)
    yield neo4j_driver
