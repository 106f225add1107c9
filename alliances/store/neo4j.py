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
from alliances.dataset import Dataset
from alliances.errors import AuthenticationFailed, ConnectionFailed, DatabaseNotFound, StoreError
from alliances.redact import redact
from alliances.store.cypher import render

NODE_KEYS = [p.name for p in model.NODE_PROPS if p.name != "label"]
REL_KEYS = [p.name for p in model.REL_PROPS if p.name not in ("start", "type", "end")]
# where an imported fact came from (source_sheet, source_row): stored only on facts that have them
PROVENANCE_KEYS = [p.name for p in model.PROVENANCE_PROPS]
LIST_KEYS = {"aliases", "paragraphs"}
DEFAULT_BATCH = 10_000

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


def node_row(ds: Dataset, nid: str, figures: dict[str, list[dict]]) -> dict:
    node = ds.nodes[nid]
    props = {k: node[k] for k in (*NODE_KEYS, *PROVENANCE_KEYS) if node.get(k) not in (None, "", [])}
    figs = figures.get(nid, [])
    for f in figs:
        props[f["key"]] = f["value"]
    if figs:
        props["figures_json"] = json.dumps(figs, ensure_ascii=False, sort_keys=True)
    return {"id": nid, "props": props}


REGISTRY_KEYS = [p.name for p in model.REGISTRY_PROPS if p.name != "id"]


def registry_row(entry: dict) -> dict:
    """A registry entry as stored: its model properties (empty ones left out) with provenance."""
    return {"id": entry["id"], "props": {"id": entry["id"], **{k: entry[k] for k in REGISTRY_KEYS
                                                              if entry.get(k) not in (None, "")}}}


def registry_entry(props) -> dict:
    """A stored registry entry back as :mod:`alliances.registry.records` reads it from registry.csv."""
    from alliances.registry import creditcode

    props = dict(props)
    e = {k: props.get(k, "") for k in ("id", *REGISTRY_KEYS)}
    for k in ("match_score", "source_row"):
        e[k] = props.get(k)
    e["code_ok"] = bool(e["credit_code"]) and creditcode.problem(e["credit_code"]) is None
    return e


def rel_row(rel: dict) -> dict:
    return {
        "start": rel["start"],
        "end": rel["end"],
        "props": {k: rel[k] for k in (*REL_KEYS, *PROVENANCE_KEYS) if rel.get(k) not in (None, "", [])},
    }


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

    def _write_batch(self, text: str, rows: list):
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
                        summary = tx.run(text, {"rows": rows}).consume()
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
        """Uniqueness of ``id`` per label and name indexes, idempotently."""
        import neo4j.exceptions as ne

        statements = [render("constraint_id", label=lab)
                      for lab in (*model.META_LABELS, *model.LABELS, model.REGISTRY_LABEL)]
        statements += [render("index_name", label=lab) for lab in model.LABELS]
        for text in statements:
            try:
                self._query(text)
            except StoreError as err:
                cause = err.__cause__
                # Another loader created the same rule a moment earlier.
                if isinstance(cause, ne.ClientError) and "AlreadyExists" in (cause.code or ""):
                    continue
                raise

    def load(self, ds: Dataset, *, batch_size: int = DEFAULT_BATCH,
             progress: Callable[[int], None] | None = None) -> LoadReport:
        """Merge ``ds`` into the database in batched ``UNWIND`` statements.

        Idempotent: nodes are merged on ``id``, relationships on
        ``(start, type, end)``, and properties replaced, so loading the same
        dataset twice changes nothing and a changed row updates.
        """
        self.ensure_schema()
        report = LoadReport()

        def run(text, rows, count_nodes=True):
            try:
                summary = self._write_batch(text, rows)
            except _BatchTooLarge as err:
                if len(rows) == 1:
                    raise StoreError(
                        f"{self._wrap(err.cause)} — one row is too large for the server's transaction "
                        "memory. Fix: raise db.memory.transaction.max (or the heap) on the server."
                    ) from err.cause
                # The server's transaction memory is smaller than this batch needs: halve it.
                report.batches_split += 1
                half = len(rows) // 2
                run(text, rows[:half], count_nodes)
                run(text, rows[half:], count_nodes)
                return
            c = summary.counters
            report.nodes_created += c.nodes_created if count_nodes else 0
            report.relationships_created += c.relationships_created
            report.properties_set += c.properties_set
            report.rows += len(rows)
            if progress:
                progress(len(rows))

        sources = [{k: (v if not isinstance(v, list) else list(v)) for k, v in s.items() if v not in ("", None)}
                   for s in ds.sources.values()]
        if sources:
            run(render("upsert_sources"), sources, count_nodes=False)
        figures: dict[str, list[dict]] = {}
        for f in ds.figures:
            figures.setdefault(f["node"], []).append(f)
        by_label: dict[str, list[str]] = {}
        for nid, node in ds.nodes.items():
            by_label.setdefault(node["label"], []).append(nid)
        for label, ids in by_label.items():
            text = render("upsert_nodes", label=label)
            for chunk in _batches(ids, batch_size):
                run(text, [node_row(ds, nid, figures) for nid in chunk])
        by_type: dict[str, list[dict]] = {}
        for rel in ds.relationships:
            by_type.setdefault(rel["type"], []).append(rel)
        for rtype, rels in by_type.items():
            text = render("upsert_relationships", rel_type=rtype)
            for chunk in _batches(rels, batch_size):
                run(text, [rel_row(r) for r in chunk])
        if ds.registry:
            rows = [registry_row(e) for e in ds.registry]
            for chunk in _batches(rows, batch_size):
                run(render("upsert_registry"), chunk)
                self._query(render("delete_registry_matches"), {"ids": [r["id"] for r in chunk]})
                matched = [{"id": r["id"], "match": r["props"]["match"], "method": r["props"]["match_method"],
                            "score": r["props"].get("match_score")} for r in chunk if r["props"].get("match")]
                if matched:
                    run(render("upsert_registry_matches"), matched)
        report.labels, report.types = self.counts()
        return report

    def delete_project_data(self) -> None:
        """Remove every node labelled ``Alliances`` and the sources; nothing else."""
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
        labels = {r["label"]: r["count"] for r in self._query(render("count_labels"), read=True).records}
        types = {r["type"]: r["count"] for r in self._query(render("count_types"), read=True).records}
        return labels, types

    # -- reading ------------------------------------------------------------

    def read_dataset(self) -> Dataset:
        """The project's graph as a :class:`Dataset`, for the same analyses as the embedded store."""
        ds = Dataset(path=f"{self.settings.uri} database {self.settings.database}")
        for rec in self._query(render("read_sources"), read=True).records:
            props = dict(rec["props"])
            ds.sources[props["id"]] = props
        for rec in self._query(render("read_nodes"), read=True).records:
            _add_node(ds, rec["label"], rec["props"])
        for rec in self._query(render("read_relationships"), read=True).records:
            ds.relationships.append(_rel_from(rec["start"], rec["type"], rec["end"], rec["props"]))
        ds.relationships.sort(key=lambda r: (r["start"], r["type"], r["end"]))
        ds.registry = [registry_entry(rec["props"]) for rec in self._query(render("read_registry"), read=True).records]
        return ds

    def name_table(self) -> list[dict]:
        """``id``, ``label``, ``name``, ``name_en``, ``region`` and ``aliases`` of every project node.

        Enough to resolve what a planner types (:func:`alliances.resolve.resolve`)
        with the embedded default's rules, without reading the whole graph.
        """
        return [{"id": r["id"], "label": r["label"], "name": r["name"] or "", "name_en": r["name_en"] or "",
                 "region": r["region"] or "", "aliases": list(r["aliases"] or [])}
                for r in self._query(render("read_names"), read=True).records]

    def read_nodes(self, ids) -> Dataset:
        """Some nodes by id, plus the ``PART_OF`` ties that leave them, as a :class:`Dataset`.

        Given the nodes of a few paths and every ``Region``, ``build_graph`` of
        the result gives those nodes the same attributes (region group
        included) as the whole graph does.
        """
        ds = Dataset(path=f"{self.settings.uri} database {self.settings.database}")
        ids = sorted(set(ids))
        for rec in self._query(render("read_nodes_by_id"), {"ids": ids}, read=True).records:
            _add_node(ds, rec["label"], rec["props"])
        for rec in self._query(render("read_relationships_from", rel_type="PART_OF"), {"ids": ids},
                               read=True).records:
            if rec["end"] in ds.nodes:
                ds.relationships.append(_rel_from(rec["start"], rec["type"], rec["end"], rec["props"]))
        return ds

    def paths(self, start: str, end: str, *, k: int = 1, max_hops: int | None = None,
              via: list[str] | None = None) -> list[dict]:
        """Shortest partnership paths found by Neo4j, as :func:`alliances.paths.find_paths` gives them.

        Every shortest path comes from ``allShortestPaths`` (Neo4j's
        bidirectional search); only when there are fewer than ``k`` of them
        does ``SHORTEST k`` look for longer ones (it counts walks that may
        repeat a node and parallel relationships separately: we ask for more
        and keep simple paths). Each hop is the first relationship in the
        model's order. Equally short paths rank in
        :func:`alliances.order.path_order`, exactly when there are at most
        ``TIE_CAP`` shortest paths between the two.
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

        # Every shortest path (up to a cap; the first k in path order win, as embedded).
        found = simple_paths(render("all_shortest_paths", types=types, places=bool(via), max_hops=hops,
                                    limit=TIE_CAP))
        if found and len(found) < k:
            # Longer alternatives too: SHORTEST k counts walks that repeat nodes, so ask for more
            # and keep the simple ones.
            found = simple_paths(render("shortest_paths", types=types, places=bool(via), max_hops=hops,
                                        limit=4 * k + 8))
        found.sort(key=path_order)
        hop_text = render("hop_relationships", types=types)
        out = []
        for nodes in found[:k]:
            # each hop explained by the first of its parallel relationships in the model's order
            best: dict[int, dict] = {}
            for r in self._query(hop_text, {"ids": list(nodes)}, read=True).records:
                rel = _rel_from(r["start"], r["type"], r["end"], r["props"])
                if r["i"] not in best or edge_sort_key(rel) < edge_sort_key(best[r["i"]]):
                    best[r["i"]] = rel
            out.append({"hops": len(nodes) - 1, "nodes": list(nodes),
                        "relationships": [best[i] for i in range(len(nodes) - 1)]})
        return out


def _add_node(ds: Dataset, label: str, props) -> None:
    """A node read from Neo4j into ``ds`` as :func:`alliances.dataset.read_dataset` has it."""
    props = dict(props)
    nid = props["id"]
    node = {k: props.get(k, [] if k in LIST_KEYS else "") for k in NODE_KEYS}
    node["aliases"] = list(node["aliases"])
    node["paragraphs"] = [int(p) for p in node["paragraphs"]]
    node["label"] = label
    if props.get("synthetic"):
        node["synthetic"] = True
    else:
        node.pop("synthetic", None)
    if not node.get("credit_code"):
        node.pop("credit_code", None)
    ds.nodes[nid] = {k: node[k] for k in ["id", "label", *NODE_KEYS[1:]] if k in node}
    for k in PROVENANCE_KEYS:
        if k in props:
            ds.nodes[nid][k] = props[k]
    if props.get("figures_json"):
        ds.figures.extend(json.loads(props["figures_json"]))


def _rel_from(start: str, rtype: str, end: str, props) -> dict:
    props = dict(props)
    rel = {"start": start, "type": rtype, "end": end}
    for k in REL_KEYS:
        rel[k] = props.get(k, [] if k in LIST_KEYS else "")
    rel["paragraphs"] = [int(p) for p in rel["paragraphs"]]
    for k in PROVENANCE_KEYS:
        if k in props:
            rel[k] = props[k]
    return rel
