"""Faults: the server stops mid-load, is down, refuses us, hangs, or holds locks.

These tests stop and restart the shared local server (``scripts/neo4j``), so
every one restarts it in a ``finally`` and waits for ``scripts/neo4j start``
to return. What must hold after a fault: one clear ``Error:`` line and a
non-zero exit (no traceback), promptly; and after a restart and a re-run of
the same load, exactly the dataset's counts, with no duplicate ids and no
duplicate (start, type, end) relationships — nothing lost, nothing doubled.
The 10-second bounds are behavioural (an answer instead of a hang), not
benchmarks.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from alliances.dataset import read_dataset

pytestmark = pytest.mark.neo4j

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "scripts" / "neo4j"


def neo4j(command: str, timeout: float = 600) -> subprocess.CompletedProcess:
    return subprocess.run([str(SCRIPT), command], capture_output=True, text=True, timeout=timeout)


def ensure_running() -> None:
    if neo4j("status").returncode != 0:
        started = neo4j("start")
        assert started.returncode == 0, started.stdout + started.stderr
    assert neo4j("status").returncode == 0


@contextlib.contextmanager
def server_restarted_afterwards():
    try:
        yield
    finally:
        ensure_running()


def _env(neo4j_env, **extra):
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEO4J_")}
    env.update({k: v for k, v in neo4j_env.items() if k.startswith("NEO4J_")})
    env.update({"LANG": "C", "LC_ALL": "C"})
    env.update(extra)
    return env


def alliances(*args, env, timeout=600) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "alliances", *args], env=env, capture_output=True, timeout=timeout)


def _driver(neo4j_settings):
    from neo4j import GraphDatabase

    return GraphDatabase.driver(neo4j_settings.uri, auth=(neo4j_settings.user, neo4j_settings.password),
                                connection_timeout=3)


def integrity(neo4j_settings) -> dict:
    """Counts, duplicate ids and duplicate (start, type, end) groups, on a fresh connection."""
    with _driver(neo4j_settings) as driver:
        def one(text):
            records, _, _ = driver.execute_query(text, database_=neo4j_settings.database)
            return records[0][0]

        return {
            "nodes": one("MATCH (n:AlliancesData) RETURN count(n)"),
            "distinct_ids": one("MATCH (n:AlliancesData) RETURN count(DISTINCT n.id)"),
            "relationships": one("MATCH (:AlliancesData)-[r]->(:AlliancesData) RETURN count(r)"),
            "duplicate_relationships": one(
                "MATCH (a:AlliancesData)-[r]->(b:AlliancesData) WITH a, type(r) AS t, b, count(*) AS c "
                "WHERE c > 1 RETURN count(*)"),
            "sources": one("MATCH (s:AlliancesSource) RETURN count(s)"),
        }


def expected_integrity(ds) -> dict:
    return {"nodes": len(ds.nodes), "distinct_ids": len(ds.nodes), "relationships": len(ds.relationships),
            "duplicate_relationships": 0, "sources": len(ds.sources)}


def one_error_line(done: subprocess.CompletedProcess) -> str:
    err = done.stderr.decode("utf-8", "replace").strip()
    assert done.returncode != 0
    assert "Traceback" not in err
    lines = [line for line in err.splitlines() if line.startswith("Error: ")]
    assert len(lines) == 1, err
    return lines[0]


@pytest.fixture(scope="module")
def big_dataset(tmp_path_factory):
    """A generated dataset of about 21,000 rows (3,300 organisations), checked by read_dataset."""
    out = tmp_path_factory.mktemp("faults") / "big"
    done = alliances("generate", "--organizations", "3300", "--seed", "11", "--out", str(out), env=dict(os.environ))
    assert done.returncode == 0, done.stderr.decode()
    ds = read_dataset(out)
    assert 20_000 <= len(ds.nodes) + len(ds.relationships) <= 50_000
    return out, ds


def _wipe(neo4j_settings):
    from tests.conftest import wipe

    with _driver(neo4j_settings) as driver:
        wipe(driver, neo4j_settings.database)


def _relationship_count(neo4j_settings) -> int:
    with _driver(neo4j_settings) as driver:
        records, _, _ = driver.execute_query("MATCH (:AlliancesData)-[r]->() RETURN count(r) AS c",
                                             database_=neo4j_settings.database)
    return records[0]["c"]


def _wait_for_more_relationships(neo4j_settings, than: int, deadline: float) -> None:
    while time.monotonic() < deadline:
        if _relationship_count(neo4j_settings) > than:
            return
        time.sleep(0.05)
    raise AssertionError("the load wrote no relationship in time")


def test_server_stopped_three_times_during_loads_then_rerun_gives_exact_counts(big_dataset, neo4j_env,
                                                                               neo4j_settings):
    """Three faults in a row, each on top of the last one's partial load, then one clean re-run.

    Stops: 1 s into a load (while nodes are merged), 3 s into the next, and in
    the third as soon as it writes a relationship. While the server is down the
    first time, the other commands are checked to fail in one line too.
    """
    folder, ds = big_dataset
    ensure_running()
    _wipe(neo4j_settings)
    env = _env(neo4j_env)
    for when in ("after 1 s", "after 3 s", "during relationships"):
        with server_restarted_afterwards():
            had = _relationship_count(neo4j_settings)
            proc = subprocess.Popen([sys.executable, "-m", "alliances", "load", str(folder), "--no-progress",
                                     "--batch-size", "500"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
            try:
                if when == "during relationships":
                    _wait_for_more_relationships(neo4j_settings, had, time.monotonic() + 120)
                else:
                    time.sleep(float(when.split()[1]))
                assert proc.poll() is None, f"{when}: the load finished before the fault; make the dataset bigger"
                stopped = neo4j("stop")
                assert stopped.returncode == 0, stopped.stdout + stopped.stderr
                out, err = proc.communicate(timeout=120)
            finally:
                if proc.poll() is None:
                    proc.kill()
                    proc.wait()
            line = one_error_line(subprocess.CompletedProcess(proc.args, proc.returncode, out, err))
            assert "Neo4j at" in line or "cannot reach" in line, (when, line)
            assert neo4j_settings.password not in line
            if when == "after 1 s":
                check_server_down_answers(env)
    # restarted: the same load again finishes the job, exactly once
    done = alliances("load", str(folder), "--no-progress", "--batch-size", "500", env=env)
    assert done.returncode == 0, done.stderr.decode()
    assert integrity(neo4j_settings) == expected_integrity(ds)


def test_batches_too_large_for_transaction_memory_are_split_not_retried(big_dataset, neo4j_env, neo4j_settings):
    """A server with a 2 MiB transaction limit refuses 20,000-row batches; the load halves them.

    Without the split the driver would retry the same batch (a transient error)
    for its whole retry time and then fail; with it every row lands once.
    """
    folder, ds = big_dataset
    ensure_running()
    _wipe(neo4j_settings)
    try:
        assert neo4j("stop").returncode == 0
        small = subprocess.run([str(SCRIPT), "start"], capture_output=True, text=True, timeout=600,
                               env={**os.environ, "ALLIANCES_NEO4J_TX_MEMORY": "2"})
        assert small.returncode == 0, small.stdout + small.stderr
        done = alliances("load", str(folder), "--no-progress", "--batch-size", "20000", env=_env(neo4j_env))
    finally:
        neo4j("stop")
        ensure_running()
    err = done.stderr.decode("utf-8", "replace")
    assert done.returncode == 0, err
    note = [line for line in err.splitlines() if "too large for the server's transaction memory" in line]
    assert len(note) == 1 and int(note[0].split()[1]) >= 1, err
    assert "retried" not in err and "Traceback" not in err
    assert integrity(neo4j_settings) == expected_integrity(ds)
    # on the normal server the same batch size needs no split
    done = alliances("load", str(folder), "--no-progress", "--batch-size", "20000", env=_env(neo4j_env))
    assert done.returncode == 0 and "split" not in done.stderr.decode(), done.stderr.decode()


def check_server_down_answers(env) -> None:
    """While the server is down, each command says so in one line, within 10 s."""
    for args in (["load", "--no-progress"], ["path", "zigong", "chengdu", "--neo4j"], ["centrality", "--neo4j"]):
        t0 = time.monotonic()
        done = alliances(*args, env=env, timeout=60)
        elapsed = time.monotonic() - t0
        line = one_error_line(done)
        assert "cannot reach Neo4j at bolt://127.0.0.1" in line and "scripts/neo4j start" in line, line
        assert elapsed < 10, (args, elapsed)
        assert done.returncode == 1


def test_wrong_password_is_one_clear_line_quickly(neo4j_env):
    ensure_running()
    env = _env(neo4j_env, NEO4J_PASSWORD="not-the-password-" + os.urandom(4).hex())
    env.pop("NEO4J_PASSWORD_FILE", None)
    t0 = time.monotonic()
    done = alliances("load", "--no-progress", env=env, timeout=60)
    elapsed = time.monotonic() - t0
    line = one_error_line(done)
    # after repeated failures (other tests use wrong passwords too) Neo4j answers with a rate limit
    assert "NEO4J_PASSWORD" in line and ("refused the credentials" in line or "too many wrong passwords" in line), line
    assert env["NEO4J_PASSWORD"] not in line
    assert elapsed < 10
    # Neo4j locks a user briefly after repeated failures (0.5 s on the test server, 5 s by default)
    time.sleep(1)


def test_unknown_database_is_one_clear_line_quickly(neo4j_env):
    ensure_running()
    env = _env(neo4j_env, NEO4J_DATABASE="nosuchdb")
    t0 = time.monotonic()
    done = alliances("load", "--no-progress", env=env, timeout=60)
    elapsed = time.monotonic() - t0
    line = one_error_line(done)
    assert "the database does not exist" in line and "'nosuchdb'" in line, line
    assert elapsed < 10


@contextlib.contextmanager
def silent_listener():
    """A TCP server on 127.0.0.1 that accepts connections and never says a word."""
    srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind(("127.0.0.1", 0))
    srv.listen(16)
    held, stop = [], threading.Event()

    def accept():
        srv.settimeout(0.2)
        while not stop.is_set():
            try:
                conn, _ = srv.accept()
                held.append(conn)
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield srv.getsockname()[1]
    finally:
        stop.set()
        thread.join(2)
        for conn in held:
            conn.close()
        srv.close()


def test_hung_server_is_one_clear_line_not_a_hang(neo4j_env):
    with silent_listener() as port:
        env = _env(neo4j_env, NEO4J_URI=f"bolt://127.0.0.1:{port}")
        t0 = time.monotonic()
        done = alliances("load", "--no-progress", env=env, timeout=60)
        elapsed = time.monotonic() - t0
    line = one_error_line(done)
    assert f"cannot reach Neo4j at bolt://127.0.0.1:{port}" in line, line
    # the store's own short connection timeout, not the driver's defaults (30 s to connect,
    # 60 s to acquire, then retries): a loose bound, so a busy machine does not fail it
    assert elapsed < 30, elapsed


def test_load_waits_for_a_lock_held_2_s_and_succeeds(neo4j_settings, bundled):
    """Managed transactions wait for locks and retry TransientError (deadlocks): the load still lands."""
    from alliances.store.neo4j import Neo4jStore

    ensure_running()
    _wipe(neo4j_settings)
    with Neo4jStore(neo4j_settings) as store:
        store.load(bundled)
    released = threading.Event()
    holding = threading.Event()

    def hold_lock():
        with _driver(neo4j_settings) as driver, driver.session(database=neo4j_settings.database) as session:
            tx = session.begin_transaction()
            tx.run("MATCH (n:AlliancesData {id: 'zigong'}) SET n.description = 'locked' RETURN n").consume()
            holding.set()
            time.sleep(2)
            tx.rollback()
            released.set()

    t = threading.Thread(target=hold_lock)
    t.start()
    assert holding.wait(30)
    t0 = time.monotonic()
    with Neo4jStore(neo4j_settings) as store:
        store.load(bundled)  # needs the lock on zigong: waits, then commits
    waited = time.monotonic() - t0
    t.join()
    assert released.is_set()
    assert waited >= 1.0  # it really waited for the lock rather than skipping the node
    assert integrity(neo4j_settings) == expected_integrity(bundled)
    with _driver(neo4j_settings) as driver:
        records, _, _ = driver.execute_query("MATCH (n:AlliancesData {id: 'zigong'}) RETURN n.description AS d",
                                             database_=neo4j_settings.database)
    assert records[0]["d"] == bundled.nodes["zigong"]["description"]


def test_deadlock_with_a_concurrent_writer_is_retried(neo4j_settings, bundled):
    """Another writer locks the last node the load will touch, then the first: a deadlock.

    Neo4j picks a victim and raises DeadlockDetected (a TransientError). If the
    victim is the load, the driver's managed transaction retries it; either way
    the load ends complete.
    """
    from alliances.store.neo4j import Neo4jStore

    ensure_running()
    _wipe(neo4j_settings)
    with Neo4jStore(neo4j_settings) as store:
        store.load(bundled)
    ids = list(bundled.nodes)  # the load merges nodes label by label in this order
    by_label = {}
    for nid in ids:
        by_label.setdefault(bundled.nodes[nid]["label"], []).append(nid)
    first_label = next(iter(by_label))
    first, last = by_label[first_label][0], by_label[first_label][-1]
    outcome = {}
    locked_last = threading.Event()

    def rival():
        with _driver(neo4j_settings) as driver, driver.session(database=neo4j_settings.database) as session:
            tx = session.begin_transaction()
            try:
                tx.run("MATCH (n:AlliancesData {id: $id}) SET n.status = n.status", id=last).consume()
                locked_last.set()
                time.sleep(1.0)  # the load now holds `first` and waits for `last`
                tx.run("MATCH (n:AlliancesData {id: $id}) SET n.status = n.status", id=first).consume()
                tx.rollback()
                outcome["rival"] = "finished"
            except Exception as err:  # the rival may be the deadlock victim
                outcome["rival"] = type(err).__name__ + ":" + getattr(err, "code", "")
                with contextlib.suppress(Exception):
                    tx.rollback()

    t = threading.Thread(target=rival)
    t.start()
    assert locked_last.wait(30)
    with Neo4jStore(neo4j_settings) as store:
        store.load(bundled, batch_size=100_000)
    t.join()
    assert integrity(neo4j_settings) == expected_integrity(bundled)
    # Either the rival was chosen as the victim, or the load was and its retry succeeded.
    assert outcome["rival"] == "finished" or "Deadlock" in outcome["rival"], outcome
