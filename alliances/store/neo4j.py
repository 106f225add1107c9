"""Neo4j as the shared system of record.

All queries go through the official driver's managed transactions
(``execute_query``; load batches in explicit transactions with the driver's
retry rule, so that a batch too large for the server's transaction memory is
split instead of retried):
transient errors and leader switches are retried, with the
database named every time; reads are routed as reads, so ``neo4j://`` URIs of
a cluster or Aura work unchanged. Statements come from ``cypher/``.
Driver errors become :mod:`alliances.errors` exceptions that name the URI and
the fix — never the password.
"""

from __future__ import annotations

import json
import logging
import random
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from alliances import model
from alliances.dataset import ID_RE, Dataset, paused_gc
from alliances.errors import (AuthenticationFailed, ConnectionFailed, DatabaseNotFound, DatasetConflict, StoreError,
                              UsageError)
from alliances.redact import redact
from alliances.store.cypher import render, schema_statements
from alliances.store.rows import (END_KEYS, NODE_KEYS, PROVENANCE_KEYS, differences, describe_value, figures_by_node,
                                  merge, node_from, node_row, record_source, rel_from, rel_row, source_from,
                                  source_props)

__all__ = ["Neo4jStore", "LoadReport", "node_row", "rel_row", "dataset_name", "ON_CONFLICT"]

DEFAULT_BATCH = 10_000
READ_BATCH = 10_000
ON_CONFLICT = ("fail", "keep", "update")
#: The dataset name given to data a store held before datasets were recorded.
LEGACY_DATASET = "unnamed"
SCHEMES = ("neo4j", "neo4j+s", "neo4j+ssc", "bolt", "bolt+s", "bolt+ssc")
MODEL_LABELS = list(model.LABELS)
FULLTEXT_INDEX = "alliances_names"  # the name cypher/index_fulltext_names.cypher gives the cjk index
#: Property keys of an AlliancesDataset record.
DATASET_KEYS = frozenset({"id", "source", "loaded_at", "nodes", "relationships", "figures", "sources",
                          "labels_json", "types_json"})

# The driver logs each transient-error retry as a warning; with no logging set up,
# Python would print those raw to the planner's terminal. Applications that
# configure logging still receive them.
logging.getLogger("neo4j").addHandler(logging.NullHandler())


@dataclass
class LoadReport:
    nodes_created: int = 0
    relationships_created: int = 0
    properties_set: int = 0
    labels: dict[str, int] = field(default_factory=dict)
    types: dict[str, int] = field(default_factory=dict)
    rows: int = 0
    batches_split: int = 0  # batches halved to fit the server's transaction memory
    dataset: str = ""
    merged: int = 0  # nodes, relationships and sources another dataset also holds
    nodes_removed: int = 0  # let go of by this dataset on a reload (deleted if no dataset holds them)
    relationships_removed: int = 0

    def as_dict(self) -> dict:
        return dict(self.__dict__)


class _BatchTooLarge(Exception):
    """The server refused a batch for its transaction memory limit; a smaller batch may pass."""

    def __init__(self, cause: Exception):
        super().__init__(str(cause))
        self.cause = cause


def _out_of_transaction_memory(err: Exception) -> bool:
    """The server's transaction memory limit was hit (retrying the same size will not help)."""
    code = getattr(err, "code", "") or ""
    return code.endswith(".MemoryPoolOutOfMemoryError")


def _batches(rows: list, size: int) -> Iterable[list]:
    for i in range(0, len(rows), size):
        yield rows[i:i + size]


def dataset_name(ds: Dataset) -> str:
    """The default name of a dataset in the store: its folder's (or file's) name."""
    from pathlib import PurePath

    stem = PurePath(str(ds.path or "dataset")).stem or "dataset"
    name = "".join(ch if (ch.isascii() and (ch.isalnum() or ch in "_.:-")) else "-" for ch in stem).strip("-.")
    return name if name and ID_RE.match(name) else "dataset"


def check_dataset_name(name: str) -> str:
    if not ID_RE.match(name or ""):
        raise UsageError(f"{name!r} is not a valid dataset name. Fix: use letters, digits, - _ . : "
                         "(starting with a letter or digit).")
    return name


@dataclass
class _Plan:
    """What one load writes, worked out (and checked for conflicts) before anything is written."""

    name: str
    sources: list[dict]
    nodes: dict[str, list[dict]]  # label -> rows
    rels: dict[str, list[dict]]  # type -> rows
    release_nodes: list[str]
    release_rels: list[dict]
    release_sources: list[str]
    conflicts: list[dict]
    merged: int
REGISTRY_KEYS = [p.name for p in model.REGISTRY_PROPS if p.name != "id"]


def registry_row(entry: dict, name: str | None = None) -> dict:
    """A registry entry as stored: its model properties (empty ones left out) with provenance, and
    ``datasets`` (``[name]``: the dataset tag) when a dataset name is given."""
    props = {"id": entry["id"], **{k: entry[k] for k in REGISTRY_KEYS if entry.get(k) not in (None, "")}}
    if name is not None:
        props["datasets"] = [name]
    return {"id": entry["id"], "props": props}


def registry_entry(props) -> dict:
    """A stored registry entry back as :mod:`alliances.registry.records` reads it from registry.csv."""
    from alliances.registry import creditcode

    props = dict(props)
    e = {k: props.get(k, "") for k in ("id", *REGISTRY_KEYS)}
    for k in ("match_score", "source_row"):
        e[k] = props.get(k)
    e["code_ok"] = bool(e["credit_code"]) and creditcode.problem(e["credit_code"]) is None
    return e




class Neo4jStore:
    """A connection to one database of one Neo4j server or cluster."""

    def __init__(self, settings, *, connection_timeout: float = 4.0, retry_time: float = 15.0):
        # A server that accepts but never answers costs two timeouts (connect + handshake):
        # 2 x 4 s keeps "no answer" under 10 s.
        self.settings = settings
        self.connection_timeout = connection_timeout
        self.retry_time = retry_time
        self.driver = None

    # -- connection -------------------------------------------------------

    def __enter__(self) -> "Neo4jStore":
        self.open()
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def open(self) -> None:
        import neo4j
        from neo4j import GraphDatabase

        s = self.settings
        scheme = s.uri.split("://", 1)[0].lower() if "://" in s.uri else ""
        if scheme not in SCHEMES:
            shown = redact_uri(s.uri)
            raise UsageError(
                f"--uri {shown}: " + (f"{scheme}:// is not a Neo4j scheme" if scheme else "no scheme")
                + ". Fix: use bolt://host:7687 or neo4j://host:7687 (plain), neo4j+s://… or bolt+s://… (TLS, "
                "e.g. Aura); Neo4j's HTTP port (7474) is not what the driver speaks."
            )
        try:
            self.driver = GraphDatabase.driver(
                s.uri,
                auth=(s.user, s.password),
                connection_timeout=self.connection_timeout,
                connection_acquisition_timeout=self.connection_timeout * 2,
                max_transaction_retry_time=self.retry_time,
                user_agent="alliances",
            )
        except (ValueError, neo4j.exceptions.ConfigurationError) as err:
            raise ConnectionFailed(redact(
                f"{s.uri}: not a Neo4j URI ({err}). Fix: use neo4j://host:7687, bolt://host:7687 "
                "or neo4j+s://… for Aura.", [s.password]
            )) from err
        import neo4j.exceptions as ne

        try:
            try:
                self.driver.verify_connectivity()
            except (ne.Neo4jError, ne.DriverError, OSError, ValueError) as err:  # ValueError: an unresolvable address
                raise self._wrap(err) from err
            # Touch the database so an unknown name fails here, once, clearly.
            self._query("RETURN 1 AS ok", read=True)
        except BaseException:
            self.close()
            raise

    def close(self) -> None:
        if self.driver is not None:
            self.driver.close()
            self.driver = None

    def _wrap(self, err: Exception) -> Exception:
        import neo4j.exceptions as ne

        s = self.settings
        where = f"Neo4j at {s.uri} (database {s.database!r}, user {s.user!r})"
        code = getattr(err, "code", "") or ""
        if "AuthenticationRateLimit" in code:
            return AuthenticationFailed(
                f"{where} refused the login: too many wrong passwords in a row, so the user is locked "
                "for a few seconds. Fix: correct the password (NEO4J_PASSWORD, NEO4J_PASSWORD_FILE or "
                "--password-file), then try again."
            )
        if isinstance(err, ne.AuthError):
            return AuthenticationFailed(
                f"{where} refused the credentials. Fix: check NEO4J_USERNAME and the password "
                "(NEO4J_PASSWORD, NEO4J_PASSWORD_FILE or --password-file)."
            )
        if "DatabaseNotFound" in code or "database does not exist" in str(err).lower():
            return DatabaseNotFound(
                f"{where}: the database does not exist. Fix: create it (CREATE DATABASE, Enterprise/Aura) "
                "or set --database / NEO4J_DATABASE to an existing one (Community has only 'neo4j')."
            )
        tls = self.settings.uri.split("://", 1)[0].endswith(("+s", "+ssc"))
        text = _chain_text(err).lower()
        if isinstance(err, (ne.ServiceUnavailable, OSError)) and tls and any(
                w in text for w in ("ssl", "tls", "certificate", "wrong version number", "handshake")):
            plain = self.settings.uri.replace("+ssc://", "://").replace("+s://", "://")
            return ConnectionFailed(
                f"{where}: the TLS handshake failed — this URI asks for an encrypted connection but the "
                f"server answered without TLS on that port. Fix (client side): use {plain} for a server "
                "without encryption; or (server side) turn on TLS for Bolt (server.bolt.tls_level) with a "
                "certificate, and keep the +s URI."
            )
        if isinstance(err, (ne.ServiceUnavailable, ne.SessionExpired, OSError, TimeoutError)) and not tls and \
                "connection reset" in text:
            return ConnectionFailed(
                f"{where}: the server closed the connection during the handshake — it may require TLS. "
                "Fix (client side): use neo4j+s:// or bolt+s:// (neo4j+ssc:// for a self-signed certificate); "
                "or (server side) allow unencrypted Bolt (server.bolt.tls_level=OPTIONAL)."
            )
        if isinstance(err, (ne.ServiceUnavailable, ne.SessionExpired, OSError, TimeoutError)):
            return ConnectionFailed(
                f"cannot reach {where}: {type(err).__name__}. Fix: start the server "
                "(scripts/neo4j start for the local one) or correct --uri / NEO4J_URI."
            )
        if isinstance(err, ne.Neo4jError):
            return StoreError(redact(f"{where}: {code or type(err).__name__}: {err.message or err}", [s.password]))
        return StoreError(redact(f"{where}: {type(err).__name__}: {err}", [s.password]))

    def _query(self, text: str, params: dict | None = None, *, read: bool = False):
        import neo4j
        import neo4j.exceptions as ne

        if self.driver is None:
            self.open()
        try:
            return self.driver.execute_query(
                text,
                params or {},
                database_=self.settings.database,
                routing_=neo4j.RoutingControl.READ if read else neo4j.RoutingControl.WRITE,
            )
        except (ne.Neo4jError, ne.DriverError, OSError) as err:
            raise self._wrap(err) from err

    def _write_batch(self, text: str, rows: list, params: dict | None = None):
        """One ``UNWIND`` batch in its own write transaction; returns its summary.

        The driver's managed transactions retry every transient error, and the
        transaction-memory limit is one (often raised only at commit): the same
        batch would hit it on every retry until the retry time ran out. So this
        runs an explicit transaction with the driver's own retry rule
        (``is_retryable``) and backoff, except that the memory limit is raised
        at once as ``_BatchTooLarge`` for the caller to split the batch. The
        session shares ``execute_query``'s bookmarks, so reads that follow see
        the write on a cluster too.
        """
        import neo4j.exceptions as ne

        if self.driver is None:
            self.open()
        deadline = time.monotonic() + self.retry_time
        delay = 1.0
        while True:
            try:
                with self.driver.session(database=self.settings.database,
                                         bookmark_manager=self.driver.execute_query_bookmark_manager) as session:
                    with session.begin_transaction() as tx:
                        summary = tx.run(text, {**(params or {}), "rows": rows}).consume()
                        tx.commit()
                        return summary
            except (ne.Neo4jError, ne.DriverError) as err:
                if _out_of_transaction_memory(err):
                    raise _BatchTooLarge(err) from err
                if not err.is_retryable() or time.monotonic() + delay > deadline:
                    raise self._wrap(err) from err
            except OSError as err:
                raise self._wrap(err) from err
            time.sleep(delay * random.uniform(0.8, 1.2))
            delay *= 2

    # -- schema and loading -------------------------------------------------

    def ensure_schema(self) -> None:
        """One ``id`` constraint per store label, name indexes, the cjk full-text index, idempotently.

        A store written by an older version (project label ``Alliances``) is
        migrated first: its nodes become ``AlliancesData`` in dataset
        ``unnamed``, and its per-label id constraints are dropped.
        """
        import neo4j.exceptions as ne

        self.migrate_legacy()
        statements = [(text, {"analyzer": "cjk"} if "$analyzer" in text else {}) for text in schema_statements()]
        try:
            # every rule in one transaction: one commit instead of twenty (17.9 s -> 2 s after a bulk
            # import of 10k organisations on the loaded machine)
            self._write_all(statements)
        except StoreError:
            # e.g. another loader created one of the rules a moment earlier: one rule at a time
            for text, params in statements:
                try:
                    self._query(text, params)
                except StoreError as err:
                    cause = err.__cause__
                    # Another loader created the same rule a moment earlier.
                    if isinstance(cause, ne.ClientError) and "AlreadyExists" in (cause.code or ""):
                        continue
                    raise
        self._query("CALL db.awaitIndexes(300)")

    def _write_all(self, statements: list[tuple[str, dict]]) -> None:
        """Run ``(text, params)`` statements in one managed write transaction."""
        import neo4j.exceptions as ne

        if self.driver is None:
            self.open()

        def work(tx):
            for text, params in statements:
                tx.run(text, params).consume()

        try:
            with self.driver.session(database=self.settings.database,
                                     bookmark_manager=self.driver.execute_query_bookmark_manager) as session:
                session.execute_write(work)
        except (ne.Neo4jError, ne.DriverError, OSError) as err:
            raise self._wrap(err) from err

    def legacy_store(self) -> bool:
        """Was this database written by a version before datasets (project label ``Alliances``)?"""
        names = [f"{model.LEGACY_PROJECT_LABEL}_id_unique"]
        return bool(self._query(render("show_constraints"), {"names": names}, read=True).records)

    def migrate_legacy(self) -> bool:
        """Relabel an older store's nodes (``Alliances`` → ``AlliancesData``); True if there was one."""
        if not self.legacy_store():
            return False
        import neo4j.exceptions as ne

        params = {"datasets": [LEGACY_DATASET]}
        try:
            with self.driver.session(database=self.settings.database) as session:
                for name in ("migrate_legacy_nodes", "migrate_legacy_relationships", "migrate_legacy_sources"):
                    session.run(render(name), params).consume()
        except (ne.Neo4jError, ne.DriverError, OSError) as err:
            raise self._wrap(err) from err
        labels, types = self.counts()
        self._query(render("upsert_dataset"), {"name": LEGACY_DATASET, "props": {
            "id": LEGACY_DATASET, "source": "loaded before datasets were recorded",
            "loaded_at": _now(), "nodes": sum(labels.values()), "relationships": sum(types.values()),
            "labels_json": json.dumps(labels, sort_keys=True), "types_json": json.dumps(types, sort_keys=True)}})
        for label in (model.LEGACY_PROJECT_LABEL, *model.LABELS):
            self._query(render("drop_constraint_id", label=label))
        return True

    def _read_batched(self, name: str, ids: list, extra: dict | None = None, **fills) -> list:
        out = []
        text = render(name, **fills)
        for chunk in _batches(ids, READ_BATCH):
            out += self._query(text, {**(extra or {}), "ids": chunk, "labels": MODEL_LABELS}, read=True).records
        return out

    def plan(self, ds: Dataset, name: str, on_conflict: str = "fail") -> _Plan:
        """Work out a load of ``ds`` as dataset ``name`` against what the store holds; writes nothing.

        A node, relationship or source that only ``name`` holds (or nobody)
        is written as the dataset gives it. One another dataset holds too is
        compared property by property: any difference is a conflict, and
        under ``on_conflict='fail'`` the plan lists them; ``update`` lets the
        new values win and ``keep`` the stored ones, with nothing either side
        gives lost (:func:`alliances.store.rows.merge`). A fact ``name``
        already holds, whose stored values the new ones would not change (as
        after a load with ``update``), is no conflict: a reload of the same
        content is a no-op.
        """
        if on_conflict not in ON_CONFLICT:
            raise UsageError(f"--on-conflict {on_conflict}: use one of {', '.join(ON_CONFLICT)}.")
        prefer = "old" if on_conflict == "keep" else "new"
        conflicts: list[dict] = []
        merged = 0

        def others(props) -> list[str]:
            return [d for d in (props.get("datasets") or []) if d != name]

        def changes(old: dict, new: dict) -> list:
            """What loading ``new`` over the shared ``old`` would change (empty: nothing to decide).

            Where this dataset already holds the fact (merged with ``update`` before), only what its
            values would change counts: the other datasets' own properties are no difference.
            """
            if name in (old.get("datasets") or []):
                return differences(old, merge(old, new, "new"))
            return differences(old, new)

        # sources
        stored = {r["id"]: dict(r["props"]) for r in self._read_batched("read_existing_sources", list(ds.sources))}
        sources = []
        for sid, src in ds.sources.items():
            props = {**source_props(src), "datasets": [name]}
            old = stored.get(sid)
            if old is not None and others(old):
                diff = changes(old, props)
                if diff:
                    conflicts.append({"kind": "source", "id": sid, "held_by": others(old), "differences": diff})
                props = merge(old, props, prefer)
                merged += 1
            sources.append({"id": sid, "props": props})

        # nodes
        figures = figures_by_node(ds)
        ids = list(ds.nodes)
        existing = {r["id"]: (list(r["labels"]), dict(r["props"]))
                    for r in self._read_batched("read_existing_nodes", ids)}
        shared: set[str] = set()
        nodes: dict[str, list[dict]] = {}
        for nid in ids:
            label = ds.nodes[nid]["label"]
            row = node_row(ds, nid, figures)
            row["props"]["datasets"] = [name]
            row["exclusive"] = True
            if nid in existing and others(existing[nid][1]):
                old_labels, old = existing[nid]
                diff = changes(old, row["props"])
                old_label = old_labels[0] if old_labels else ""
                if old_label != label:
                    diff.insert(0, ("label", old_label, label))
                if diff:
                    conflicts.append({"kind": "node", "id": nid, "label": old_label or label,
                                      "held_by": others(old), "differences": diff})
                row["props"] = merge(old, row["props"], prefer)
                row["exclusive"] = False
                if prefer == "old" and old_label in model.LABELS:
                    label = old_label
                shared.add(nid)
                merged += 1
            nodes.setdefault(label, []).append(row)

        # relationships: only those leaving a shared node can be held by another dataset too
        held = {(r["start"], r["type"], r["end"]): dict(r["props"])
                for r in self._read_batched("read_shared_relationships", sorted(shared), {"name": name})}
        rels: dict[str, list[dict]] = {}
        for rel in ds.relationships:
            row = rel_row(rel)
            row["props"]["datasets"] = [name]
            key = (rel["start"], rel["type"], rel["end"])
            if key in held:
                old = held[key]
                diff = changes(old, row["props"])
                if diff:
                    conflicts.append({"kind": "relationship", "id": "{}-{}->{}".format(*key),
                                      "held_by": others(old), "differences": diff})
                row["props"] = merge(old, row["props"], prefer)
                merged += 1
            rels.setdefault(rel["type"], []).append(row)

        # what this dataset held before and no longer has
        before_nodes = [r["id"] for r in self._query(render("read_dataset_nodes"), {"name": name}, read=True).records]
        release_nodes = [nid for nid in before_nodes if nid not in ds.nodes]
        keys = {(r["start"], r["type"], r["end"]) for r in ds.relationships}
        release_rels = [{"start": r["start"], "type": r["type"], "end": r["end"]}
                        for r in self._query(render("read_dataset_relationships"), {"name": name}, read=True).records
                        if (r["start"], r["type"], r["end"]) not in keys]
        release_sources = [r["id"] for r in self._query(render("read_dataset_sources"), {"name": name},
                                                        read=True).records if r["id"] not in ds.sources]
        return _Plan(name, sources, nodes, rels, release_nodes, release_rels, release_sources, conflicts, merged)

    def conflict_error(self, plan: _Plan, shown: int = 20) -> DatasetConflict:
        s = self.settings
        lines = []
        for c in plan.conflicts[:shown]:
            what = f"{c['kind']} {c['id']}" + (f" ({c['label']})" if c.get("label") else "")
            diffs = "; ".join(f"{k} {describe_value(a)} → {describe_value(b)}" for k, a, b in c["differences"][:6])
            more = f"; … {len(c['differences']) - 6} more" if len(c["differences"]) > 6 else ""
            lines.append(f"  {what}, held by {', '.join(c['held_by'])}: {diffs}{more}")
        if len(plan.conflicts) > shown:
            lines.append(f"  … and {len(plan.conflicts) - shown} more")
        return DatasetConflict(
            f"dataset {plan.name!r} reuses {len(plan.conflicts)} id(s) that another dataset in "
            f"{redact_uri(s.uri)} database {s.database} holds with different content; nothing was written:\n"
            + "\n".join(lines) + "\nFix: --on-conflict update (the new values win, nothing else is lost), "
            "--on-conflict keep (the stored values win, gaps are filled), or give this dataset its own ids.",
            plan.conflicts)

    def load(self, ds: Dataset, *, name: str | None = None, source: str | None = None,
             on_conflict: str = "fail", replace: bool = False, batch_size: int = DEFAULT_BATCH,
             progress: Callable[[int], None] | None = None) -> LoadReport:
        """Make dataset ``name`` (default: the folder's name) in the store equal ``ds``.

        Checked first, written only if nothing conflicts (see :meth:`plan`):
        sources, nodes by label and relationships by type in batched
        ``UNWIND`` statements merged on ``id`` (relationships on ``(start,
        type, end)``); then what the dataset held before and no longer has is
        let go of (removed where no other dataset holds it). Loading the same
        dataset twice changes nothing; a changed row updates; ``replace``
        removes the dataset first.
        """
        name = check_dataset_name(name or dataset_name(ds))
        self.ensure_schema()
        plan = self.plan(ds, name, on_conflict)
        if plan.conflicts and on_conflict == "fail":
            raise self.conflict_error(plan)
        report = LoadReport(dataset=name, merged=plan.merged)
        if replace:
            self.drop_dataset(name)
            plan.release_nodes, plan.release_rels, plan.release_sources = [], [], []

        def run(text, rows, kind, params=None):
            try:
                summary = self._write_batch(text, rows, params)
            except _BatchTooLarge as err:
                if len(rows) == 1:
                    raise StoreError(
                        f"{self._wrap(err.cause)} — one row is too large for the server's transaction "
                        "memory. Fix: raise db.memory.transaction.max (or the heap) on the server."
                    ) from err.cause
                # The server's transaction memory is smaller than this batch needs: halve it.
                report.batches_split += 1
                half = len(rows) // 2
                run(text, rows[:half], kind, params)
                run(text, rows[half:], kind, params)
                return
            c = summary.counters
            report.nodes_created += c.nodes_created if kind == "nodes" else 0
            # the SOURCED_FROM links made with the nodes are provenance, not the dataset's relationships
            report.relationships_created += c.relationships_created if kind == "relationships" else 0
            report.properties_set += c.properties_set
            report.rows += len(rows)
            if progress:
                progress(len(rows))

        if plan.sources:
            run(render("upsert_sources"), plan.sources, "sources")
        for label, rows in plan.nodes.items():
            text = render("upsert_nodes", label=label)
            for chunk in _batches(rows, batch_size):
                run(text, chunk, "nodes")
        for rtype, rows in plan.rels.items():
            text = render("upsert_relationships", rel_type=rtype)
            for chunk in _batches(rows, batch_size):
                run(text, chunk, "relationships")
        params = {"name": name}
        for chunk in _batches(plan.release_rels, batch_size):
            summary = self._write_batch(render("release_relationships"), chunk, params)
            report.relationships_removed += summary.counters.relationships_deleted
        for chunk in _batches(plan.release_nodes, batch_size):
            self._write_batch(render("release_nodes"), chunk, params)
            report.nodes_removed += len(chunk)
        for chunk in _batches(plan.release_sources, batch_size):
            self._write_batch(render("release_sources"), chunk, params)
        labels, types = ds.counts()
        self._query(render("upsert_dataset"), {"name": name, "props": {
            "id": name, "source": source or record_source(ds), "loaded_at": _now(),
            "nodes": len(ds.nodes), "relationships": len(ds.relationships), "figures": len(ds.figures),
            "sources": len(ds.sources), "labels_json": json.dumps(labels, sort_keys=True),
            "types_json": json.dumps(types, sort_keys=True)}})
        before = [r["id"] for r in self._query(render("read_dataset_registry"), params, read=True).records]
        keep = {e["id"] for e in ds.registry}
        for chunk in _batches([rid for rid in before if rid not in keep], batch_size):
            self._write_batch(render("release_registry"), chunk, params)
        if ds.registry:
            rows = [registry_row(e, name) for e in ds.registry]
            for chunk in _batches(rows, batch_size):
                run(render("upsert_registry"), chunk, "registry")
                self._query(render("delete_registry_matches"), {"ids": [r["id"] for r in chunk]})
                matched = [{"id": r["id"], "match": r["props"]["match"], "method": r["props"]["match_method"],
                            "score": r["props"].get("match_score")} for r in chunk if r["props"].get("match")]
                if matched:
                    run(render("upsert_registry_matches"), matched, "registry")
        report.labels, report.types = self.counts()
        return report

    def drop_dataset(self, name: str) -> dict:
        """Let go of everything dataset ``name`` holds (removed where no other dataset holds it)."""
        params = {"name": name}
        rels = [dict(r) for r in self._query(render("read_dataset_relationships"), params, read=True).records]
        nodes = [r["id"] for r in self._query(render("read_dataset_nodes"), params, read=True).records]
        sources = [r["id"] for r in self._query(render("read_dataset_sources"), params, read=True).records]
        for chunk in _batches(rels, DEFAULT_BATCH):
            self._write_batch(render("release_relationships"), chunk, params)
        for chunk in _batches(nodes, DEFAULT_BATCH):
            self._write_batch(render("release_nodes"), chunk, params)
        for chunk in _batches(sources, DEFAULT_BATCH):
            self._write_batch(render("release_sources"), chunk, params)
        registry = [r["id"] for r in self._query(render("read_dataset_registry"), params, read=True).records]
        for chunk in _batches(registry, DEFAULT_BATCH):
            self._write_batch(render("release_registry"), chunk, params)
        self._query(render("delete_dataset_record"), params)
        return {"nodes": len(nodes), "relationships": len(rels), "sources": len(sources), "registry": len(registry)}

    def datasets(self) -> list[dict]:
        """The loaded datasets: name, source, counts, load time (UTC, ISO 8601)."""
        out = []
        for rec in self._query(render("read_datasets"), read=True).records:
            p = dict(rec["props"])
            loaded = p.get("loaded_at")
            out.append({
                "name": p.get("id", ""), "source": p.get("source", ""),
                "nodes": p.get("nodes", 0), "relationships": p.get("relationships", 0),
                "figures": p.get("figures", 0), "sources": p.get("sources", 0),
                "loaded_at": loaded.to_native().isoformat(timespec="seconds") if hasattr(loaded, "to_native")
                else str(loaded or ""),
                "labels": json.loads(p.get("labels_json") or "{}"),
                "types": json.loads(p.get("types_json") or "{}"),
            })
        return out

    def delete_project_data(self) -> None:
        """Remove every dataset (nodes labelled ``AlliancesData``, sources, records); nothing else."""
        import neo4j.exceptions as ne

        if self.driver is None:
            self.open()
        try:
            with self.driver.session(database=self.settings.database) as session:
                # Implicit (auto-commit) transactions: CALL ... IN TRANSACTIONS needs them.
                # Relationships first, so deleting a hub never holds all its ties at once.
                session.run(render("delete_project_relationships")).consume()
                session.run(render("delete_project_data")).consume()
        except (ne.Neo4jError, ne.DriverError, OSError) as err:
            raise self._wrap(err) from err

    def counts(self) -> tuple[dict[str, int], dict[str, int]]:
        labels = {r["label"]: r["count"] for r in self._query(render("count_labels"), {"labels": MODEL_LABELS},
                                                              read=True).records}
        types = {r["type"]: r["count"] for r in self._query(render("count_types"), read=True).records}
        return labels, types

    # -- reading ------------------------------------------------------------

    def read_dataset(self) -> Dataset:
        """The project's graph as a :class:`Dataset`, for the same analyses as the embedded store.

        Read in bulk, as columns: one record per model label whose columns
        are lists (``read_node_columns``), and the structure (one record per
        relationship type: start ids, end ids, tie values) made straight into
        the engine's arrays (:meth:`StoreDataset.graph_arrays`), with no map
        per node or relationship. The relationships' other properties (dates,
        roles, provenance) are read the first time an analysis asks for
        ``relationships`` (:class:`StoreDataset`): the centrality report on
        the arrays never does.
        """
        import numpy as np

        with paused_gc():
            sources = {}
            for rec in self._query(render("read_sources"), read=True).records:
                src = source_from(rec["props"])
                sources[src["id"]] = src
            nodes: dict[str, dict] = {}
            figures: list[dict] = []
            for rec in self._query(render("read_node_columns"), {"labels": MODEL_LABELS}, read=True).records:
                label = rec["label"]
                columns = [(key, rec[key]) for key in NODE_COLUMNS]
                for i, nid in enumerate(rec["id"]):
                    props = {"id": nid}
                    for key, column in columns:
                        value = column[i]
                        if value != []:  # [] stands for a property the node does not have
                            props[key] = value
                    node, figs = node_from(label, props)
                    nodes[node["id"]] = node
                    figures.extend(figs)
            if not nodes and self.legacy_store():
                raise StoreError(
                    f"{self.settings.uri} database {self.settings.database} holds data of an older alliances "
                    "(project label Alliances). Fix: run 'alliances load' once (it migrates the store in place), "
                    "then try again.")
            ids = list(nodes)
            index = {nid: i for i, nid in enumerate(ids)}
            src, dst, types, ties = [], [], [], []
            tied = 0
            for rec in self._query(render("read_relationship_columns"), {"types": list(model.REL_TYPES)},
                                   read=True).records:
                src.append(np.fromiter(map(index.__getitem__, rec["starts"]), dtype=np.int32,
                                       count=len(rec["starts"])))
                dst.append(np.fromiter(map(index.__getitem__, rec["ends"]), dtype=np.int32, count=len(rec["ends"])))
                types.append(np.full(len(rec["starts"]), TYPE_CODES[rec["type"]], dtype=np.int8))
                ties.append(np.asarray(rec["ties"], dtype=np.float64))
                tied += rec["tied"]
            src_a, dst_a, types_a, ties_a = (np.concatenate(c) if c else np.zeros(0, dtype=d) for c, d in
                                             ((src, np.int32), (dst, np.int32), (types, np.int8), (ties, np.float64)))
            # the relationships' order is (start, type, end), as the dataset's when read whole
            rank = np.empty(len(ids), dtype=np.int64)
            rank[sorted(range(len(ids)), key=ids.__getitem__)] = np.arange(len(ids))
            by_name = np.empty(len(model.REL_TYPES), dtype=np.int64)
            by_name[[TYPE_CODES[t] for t in sorted(model.REL_TYPES)]] = np.arange(len(model.REL_TYPES))
            order = np.lexsort((rank[dst_a], by_name[types_a], rank[src_a]))
            labels = np.fromiter((LABEL_CODES[d["label"]] for d in nodes.values()), dtype=np.int8, count=len(ids))
            arrays = (ids, labels, src_a[order], dst_a[order], types_a[order], ties_a[order] if tied else None)
            registry = [registry_entry(rec["props"]) for rec in self._query(render("read_registry"),
                                                                            read=True).records]
        return StoreDataset._of(self.settings, path=f"{self.settings.uri} database {self.settings.database}",
                                nodes=nodes, figures=figures, sources=sources, registry=registry, arrays=arrays)

    def read_relationships(self) -> list[dict]:
        """Every relationship of the model between project nodes, with its properties, in the
        order ``(start, type, end)`` (:class:`StoreDataset` reads them when first asked)."""
        rels: list[dict] = []
        with paused_gc():
            for rec in self._query(render("read_relationships"), {"types": list(model.REL_TYPES)},
                                   read=True).records:
                rtype = rec["type"]
                rels.extend(rel_from(a, rtype, b, p) for a, b, p in zip(rec["starts"], rec["ends"], rec["props"]))
            rels.sort(key=lambda r: (r["start"], r["type"], r["end"]))
        return rels

    def name_table(self) -> list[dict]:
        """``id``, ``label``, ``name``, ``name_en``, ``region`` and ``aliases`` of every project node.

        Enough to resolve what a planner types (:func:`alliances.resolve.resolve`)
        with the embedded default's rules, without reading the whole graph.
        """
        return [{"id": r["id"], "label": r["label"], "name": r["name"] or "", "name_en": r["name_en"] or "",
                 "region": r["region"] or "", "aliases": list(r["aliases"] or [])}
                for r in self._query(render("read_names"), {"labels": MODEL_LABELS}, read=True).records]

    def search_names(self, text: str) -> list[dict] | None:
        """Candidates for ``text`` from the cjk full-text index, or None when the index cannot decide.

        The index keeps CJK text in overlapping bigrams, so a phrase query of
        two or more CJK characters finds every node whose name, English name,
        alias or description contains them; the caller applies its own rules
        to the candidates. Text with Latin letters, digits or a single CJK
        character (partial words the index does not hold) returns None: the
        caller then reads the name table.
        """
        from alliances.resolve import normalize

        q = normalize(text)
        if len(q) < 2 or not all(_is_cjk(ch) for ch in q):
            return None
        try:
            records = self._query(render("search_names"), {"query": lucene_phrase(q),
                                                            "labels": MODEL_LABELS}, read=True).records
        except StoreError as err:
            # the index may still be populating right after a bulk import (its query waits 30 s for it,
            # then fails), or be missing from a store whose schema someone changed: the name table
            # decides instead (the same answer, read in full)
            if getattr(err.__cause__, "code", "") == "Neo.ClientError.Procedure.ProcedureCallFailed" and \
                    not self.fulltext_online():
                return None
            raise
        return [{"id": r["id"], "label": r["label"], "name": r["name"] or "", "name_en": r["name_en"] or "",
                 "region": r["region"] or "", "aliases": list(r["aliases"] or []),
                 "description": r["description"] or ""} for r in records]

    def fulltext_online(self) -> bool:
        """Whether the store's cjk full-text index exists and is online."""
        records = self._query(render("fulltext_index_state"), {"name": FULLTEXT_INDEX}, read=True).records
        return bool(records) and records[0]["state"] == "ONLINE"

    def ids_of(self, label: str) -> list[str]:
        """Ids of the project nodes of one model label."""
        return [r["id"] for r in self._query(render("read_ids_of_label", label=label), read=True).records]

    def planner(self, query: str, params: dict | None = None) -> list[dict]:
        """Run ``cypher/planner_QUERY.cypher`` with its documented parameters; rows as dicts.

        ``labels`` (the model's labels) and, from ``name``, ``query`` (its
        full-text phrase) are filled in; dates come back as ``datetime.date``.
        """
        from alliances.store.rows import native

        params = {"labels": MODEL_LABELS, **(params or {})}
        if "name" in params and "query" not in params:
            params["query"] = lucene_phrase(params["name"])
        records = self._query(render(f"planner_{query}"), params, read=True).records
        return [{k: native(v) for k, v in r.items()} for r in records]

    def name_candidates(self, text: str) -> list[dict]:
        """The rows :func:`alliances.resolve.resolve` needs to decide ``text``, the index's where it can."""
        hits = self.search_names(text)
        if hits is None:
            return self.name_table()
        by_id = {h["id"]: h for h in hits}
        for r in self._query(render("read_nodes_by_id"), {"ids": [text], "labels": MODEL_LABELS},
                             read=True).records:
            p = r["props"]
            by_id.setdefault(p["id"], {"id": p["id"], "label": r["label"], "name": p.get("name", ""),
                                       "name_en": p.get("name_en", ""), "region": p.get("region", ""),
                                       "aliases": list(p.get("aliases", []))})
        return list(by_id.values())

    def read_nodes(self, ids) -> Dataset:
        """Some nodes by id, plus the ``PART_OF`` ties that leave them, as a :class:`Dataset`.

        Given the nodes of a few paths and every ``Region``, ``build_graph`` of
        the result gives those nodes the same attributes (region group
        included) as the whole graph does.
        """
        ds = Dataset(path=f"{self.settings.uri} database {self.settings.database}")
        ids = sorted(set(ids))
        for rec in self._query(render("read_nodes_by_id"), {"ids": ids, "labels": MODEL_LABELS}, read=True).records:
            node, figures = node_from(rec["label"], rec["props"])
            ds.nodes[node["id"]] = node
            ds.figures.extend(figures)
        for rec in self._query(render("read_relationships_from", rel_type="PART_OF"), {"ids": ids},
                               read=True).records:
            if rec["end"] in ds.nodes:
                ds.relationships.append(rel_from(rec["start"], rec["type"], rec["end"], rec["props"]))
        return ds

    def paths(self, start: str, end: str, *, k: int = 1, max_hops: int | None = None,
              via: list[str] | None = None) -> list[dict]:
        """Shortest partnership paths found by Neo4j, as :func:`alliances.paths.find_paths` gives them.

        Every shortest path comes from ``allShortestPaths`` (Neo4j's
        bidirectional search); the server orders them in
        :func:`alliances.order.path_order` and explains only the first ``k``.
        Only when there are fewer than ``k`` of them does ``SHORTEST k`` look
        for longer ones (it counts walks that may repeat a node and parallel
        relationships separately: we ask for more and keep simple paths).
        Each hop is the first relationship in the model's order. The answer
        is the embedded one exactly when there are at most ``TIE_CAP``
        shortest paths between the two, counting separately paths that differ
        only by parallel relationships (the cap is applied before the node
        sequences are made distinct).
        """
        from alliances.order import TIE_CAP, edge_sort_key, path_order

        if start == end:
            return [{"hops": 0, "nodes": [start], "relationships": []}]

        types = list(via) if via else list(model.PARTNERSHIP_TYPES)
        hops = max_hops or 50

        def simple_paths(text: str) -> list[tuple]:
            records = self._query(text, {"start": start, "end": end}, read=True).records
            paths = dict.fromkeys(tuple(rec["nodes"]) for rec in records)  # distinct, in order
            return [nodes for nodes in paths if len(set(nodes)) == len(nodes)]

        def explained(nodes, hops) -> dict:
            # each hop explained by the first of its parallel relationships in the model's order
            rels = [min((rel_from(r["start"], r["type"], r["end"], r["props"]) for r in hop), key=edge_sort_key)
                    for hop in hops]
            return {"hops": len(nodes) - 1, "nodes": list(nodes), "relationships": rels}

        # The first k shortest paths in path order (of up to TIE_CAP), each with its hops'
        # relationships, in one round trip.
        records = self._query(render("all_shortest_paths_with_hops", types=types, places=bool(via), max_hops=hops,
                                     limit=TIE_CAP), {"start": start, "end": end, "k": k}, read=True).records
        shortest: dict[tuple, list] = {}
        for rec in records:
            nodes = tuple(rec["nodes"])
            by_hop: list[list] = [[] for _ in range(len(nodes) - 1)]
            for r in rec["rels"]:
                by_hop[r["i"]].append(r)
            shortest[nodes] = by_hop
        if len(shortest) >= k or not shortest:
            # ordered again here: rows after a subquery keep the server's order in practice, not by rule
            return [explained(nodes, shortest[nodes]) for nodes in sorted(shortest, key=path_order)]
        # Longer alternatives too: SHORTEST k counts walks that repeat nodes, so ask for more
        # and keep the simple ones.
        found = simple_paths(render("shortest_paths", types=types, places=bool(via), max_hops=hops,
                                    limit=4 * k + 8))
        found.sort(key=path_order)
        hop_text = render("hop_relationships", types=types)
        out = []
        for nodes in found[:k]:
            by_hop: dict[int, list] = {i: [] for i in range(len(nodes) - 1)}
            for r in self._query(hop_text, {"ids": list(nodes)}, read=True).records:
                by_hop[r["i"]].append(r)
            out.append(explained(nodes, [by_hop[i] for i in range(len(nodes) - 1)]))
        return out


#: Label and type codes of the engine's arrays (alliances.engine: the model's order).
LABEL_CODES = {name: i for i, name in enumerate(model.LABELS)}
TYPE_CODES = {name: i for i, name in enumerate(model.REL_TYPES)}
#: The node properties read back (``read_node_columns.cypher`` returns one column of each).
NODE_COLUMNS = (*(k for k in NODE_KEYS if k != "id"), "date_precision", *END_KEYS, *PROVENANCE_KEYS, "figures_json")


class StoreDataset(Dataset):
    """A dataset read from Neo4j in bulk: nodes and the engine's arrays at once, the relationships'
    properties when first asked.

    ``nodes``, ``figures``, ``sources`` and ``registry`` are read with the
    dataset; :meth:`graph_arrays` and :meth:`region_groups` come from the
    structure read as columns. ``relationships`` (every property, in the
    arrays' order) is read from the store the first time it is used, on a
    connection of its own; if the store changed in between (another
    ``load``), that read stops with a :class:`~alliances.errors.StoreError`
    instead of answering from two different graphs.
    """

    @classmethod
    def _of(cls, settings, *, path: str, nodes: dict, figures: list, sources: dict, registry: list,
            arrays: tuple) -> "StoreDataset":
        ds = cls.__new__(cls)
        ds.__dict__.update(path=path, nodes=nodes, figures=figures, sources=sources, registry=registry,
                           _settings=settings, _arrays=arrays)
        return ds

    def __getattr__(self, name: str):
        # only ``relationships`` is not in the instance dict until it is first read
        if name != "relationships":
            raise AttributeError(name)
        import numpy as np

        with Neo4jStore(self.__dict__["_settings"]) as store:
            rels = store.read_relationships()
        ids, _, src, dst, types, _ = self.__dict__["_arrays"]
        index = {nid: i for i, nid in enumerate(ids)}
        same = len(rels) == len(src) and all(
            r["start"] in index and r["end"] in index for r in rels) and bool(
            np.array_equal(np.fromiter((index[r["start"]] for r in rels), dtype=np.int64, count=len(rels)), src)
            and np.array_equal(np.fromiter((index[r["end"]] for r in rels), dtype=np.int64, count=len(rels)), dst)
            and np.array_equal(np.fromiter((TYPE_CODES[r["type"]] for r in rels), dtype=np.int64,
                                           count=len(rels)), types))
        if not same:
            raise StoreError(
                f"{self.path}: the graph changed while it was being read (another load or drop ran in "
                "between). Fix: run the command again.")
        self.__dict__["relationships"] = rels
        return rels

    def __repr__(self) -> str:  # the dataclass's would read every relationship
        return f"StoreDataset({self.path}: {len(self.nodes):,} nodes, {len(self._arrays[2]):,} relationships)"

    def graph_arrays(self) -> tuple:
        """``(ids, labels, src, dst, types, weight)`` of :class:`alliances.engine.GraphArrays`."""
        return self.__dict__["_arrays"]

    def region_groups(self, level: str):
        """Each node's region group at ``level``, from the ``PART_OF`` ties of the arrays."""
        from alliances import regions

        ids, _, src, dst, types, _ = self.__dict__["_arrays"]
        part_of: dict[str, list[str]] = {}
        for a, b in zip(src[types == TYPE_CODES["PART_OF"]].tolist(), dst[types == TYPE_CODES["PART_OF"]].tolist()):
            part_of.setdefault(ids[a], []).append(ids[b])
        return regions.group_nodes(self.nodes, lambda rid: part_of.get(rid, ()), level)


def redact_uri(uri: str) -> str:
    """``uri`` without a password in it (``user:secret@host`` → ``user:***@host``)."""
    return redact(uri)


def lucene_phrase(text: str) -> str:
    """``text`` as one Lucene phrase query (quoted, its special characters escaped)."""
    escaped = "".join("\\" + ch if ch in '\\"' else ch for ch in text)
    return f'"{escaped}"'


def _chain_text(err: BaseException, depth: int = 0) -> str:
    """The messages of an error, its causes and (for a routing failure) its sub-errors, for matching."""
    if err is None or depth > 8:
        return ""
    parts = [f"{type(err).__name__}: {err}"]
    for sub in getattr(err, "exceptions", ()) or ():
        parts.append(_chain_text(sub, depth + 1))
    nxt = err.__cause__ or err.__context__
    if nxt is not None:
        parts.append(_chain_text(nxt, depth + 1))
    return " | ".join(parts)


def _now():
    import datetime

    return datetime.datetime.now(datetime.timezone.utc)


def _is_cjk(ch: str) -> bool:
    o = ord(ch)
    return 0x3400 <= o <= 0x9FFF or 0xF900 <= o <= 0xFAFF or 0x20000 <= o <= 0x3134F
