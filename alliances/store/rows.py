"""What the store writes for a dataset's rows, and how a row meets what another dataset holds.

Pure functions (no driver): the Neo4j store, the Cypher export and the
``neo4j-admin`` import files all build their rows here, so the three write the
same labels, properties and types.

Types in Neo4j
--------------
``date``       a ``DATE``: the first day of the period the dataset gives
               (``2020`` → 2020-01-01), with ``date_precision`` ``year``,
               ``month`` or ``day``; the source's wording stays in ``date_note``.
``paragraphs`` always ``LIST<INTEGER>`` (a source's rule for numbering its
               paragraphs is ``paragraph_numbering``, a string).
``datasets``   ``LIST<STRING>``: the datasets that hold the node, relationship
               or source.
"""

from __future__ import annotations

import datetime as _dt
import json
from collections.abc import Iterable

from alliances import model

NODE_KEYS = [p.name for p in model.NODE_PROPS if p.name != "label"]
REL_KEYS = [p.name for p in model.REL_PROPS if p.name not in ("start", "type", "end")]
SOURCE_KEYS = [p.name for p in model.SOURCE_PROPS]
# where an imported fact came from (source_sheet, source_row): stored only on facts that have them
PROVENANCE_KEYS = [p.name for p in model.PROVENANCE_PROPS]
# a tie's weight and count (numbers): stored only on relationships that have them, weight always
# as a FLOAT and count as an INTEGER (one type per property, as Cypher readers and GDS expect)
TIE_KEYS = [p.name for p in model.TIE_PROPS]
END_KEYS = [p.name for p in model.END_PROPS]  # kept as written (YYYY, YYYY-MM or YYYY-MM-DD)
LIST_KEYS = {"aliases", "paragraphs"}
PRECISIONS = {1: "year", 2: "month", 3: "day"}
BOOKKEEPING = {"datasets"}  # never content: which datasets hold a fact
#: Property keys the store adds to the model's own.
STORE_KEYS = frozenset({"datasets", "date_precision", "published_precision", "imported_precision",
                        "paragraph_numbering"})


# ---------------------------------------------------------------------------
# Dates


def to_date(text: str) -> tuple[_dt.date, str]:
    """``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` → (first day of the period, precision)."""
    parts = [int(p) for p in text.split("-")]
    return _dt.date(parts[0], *(parts[1:] + [1, 1])[:2]), PRECISIONS[len(parts)]


def date_text(value, precision: str | None) -> str:
    """A stored DATE (driver or Python date) and its precision → the dataset's text."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        return value
    text = f"{value.year:04d}-{value.month:02d}-{value.day:02d}"
    return text[:{"year": 4, "month": 7}.get(precision or "day", 10)]


def native(value):
    """A value read from Neo4j as the rows here hold it (driver dates → ``datetime.date``)."""
    if hasattr(value, "to_native"):
        return value.to_native()
    if isinstance(value, list):
        return [native(v) for v in value]
    return value


# ---------------------------------------------------------------------------
# Rows


def _dated(props: dict, key: str = "date") -> dict:
    if props.get(key):
        props[key], props[f"{key}_precision"] = to_date(props[key])
    return props


def figures_by_node(ds) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = {}
    for f in ds.figures:
        out.setdefault(f["node"], []).append(f)
    return out


def node_props(ds, nid: str, figures: dict[str, list[dict]]) -> dict:
    """The properties the store gives node ``nid`` (figures folded in, typed)."""
    node = ds.nodes[nid]
    props = {k: node[k] for k in (*NODE_KEYS, *END_KEYS, *PROVENANCE_KEYS) if node.get(k) not in (None, "", [])}
    figs = figures.get(nid, [])
    for f in figs:
        props[f["key"]] = f["value"]
    if figs:
        props["figures_json"] = json.dumps(figs, ensure_ascii=False, sort_keys=True)
    return _dated(props)


def node_row(ds, nid: str, figures: dict[str, list[dict]]) -> dict:
    return {"id": nid, "props": node_props(ds, nid, figures)}


def rel_props(rel: dict) -> dict:
    props = _dated({k: rel[k] for k in (*REL_KEYS, *TIE_KEYS, *END_KEYS, *PROVENANCE_KEYS)
                    if rel.get(k) not in (None, "", [])})
    if "weight" in props:  # one type per property in the store: weight FLOAT, count INTEGER
        props["weight"] = float(props["weight"])
    return props


def rel_row(rel: dict) -> dict:
    return {"start": rel["start"], "end": rel["end"], "props": rel_props(rel)}


SOURCE_DATE_KEYS = [p.name for p in model.SOURCE_PROPS if p.kind == "date"]  # published, imported


def source_props(src: dict) -> dict:
    props = {k: v for k, v in src.items() if k in SOURCE_KEYS and v not in ("", None)}
    if "paragraphs" in props:
        props["paragraph_numbering"] = str(props.pop("paragraphs"))
    for key in SOURCE_DATE_KEYS:
        _dated(props, key)
    return props


def record_source(ds) -> str:
    """Where a dataset was loaded from, for its record: an absolute path for a local folder or file."""
    import os
    from pathlib import Path

    path = str(ds.path or "")
    return str(Path(path).resolve()) if path and os.path.exists(path) else path


# ---------------------------------------------------------------------------
# Read back into a dataset's shape


def node_from(label: str, props: dict) -> tuple[dict, list[dict]]:
    """A stored node → (the dataset's node dict, its figures)."""
    props = dict(props)
    node = {k: props.get(k, [] if k in LIST_KEYS else "") for k in NODE_KEYS}
    node["aliases"] = list(node["aliases"])
    node["paragraphs"] = [int(p) for p in node["paragraphs"]]
    node["date"] = date_text(node["date"], props.get("date_precision"))
    node["label"] = label
    if props.get("synthetic"):
        node["synthetic"] = True
    else:
        node.pop("synthetic", None)
    if not node.get("credit_code"):
        node.pop("credit_code", None)
    node = {k: node[k] for k in ["id", "label", *NODE_KEYS[1:]] if k in node}
    for k in (*END_KEYS, *PROVENANCE_KEYS):
        if k in props:
            node[k] = props[k]
    figures = json.loads(props["figures_json"]) if props.get("figures_json") else []
    return node, figures


def rel_from(start: str, rtype: str, end: str, props) -> dict:
    props = dict(props)
    rel = {"start": start, "type": rtype, "end": end}
    for k in REL_KEYS:
        rel[k] = props.get(k, [] if k in LIST_KEYS else "")
    rel["paragraphs"] = [int(p) for p in rel["paragraphs"]]
    rel["date"] = date_text(rel["date"], props.get("date_precision"))
    for k in (*PROVENANCE_KEYS, *TIE_KEYS, *END_KEYS):
        if k in props:
            rel[k] = props[k]
    if isinstance(rel.get("weight"), float) and rel["weight"].is_integer():
        rel["weight"] = int(rel["weight"])  # as the dataset reads a whole number (3, not 3.0)
    return rel


def source_from(props) -> dict:
    """A stored source → the dataset's source dict (optional columns only where given)."""
    from alliances.dataset import COLUMNS

    props = dict(props)
    out = {k: props.get(k, "") for k in SOURCE_KEYS if k in COLUMNS["sources"] or k in props}
    out["paragraphs"] = props.get("paragraph_numbering", "")
    for key in SOURCE_DATE_KEYS:
        if key in out:
            out[key] = date_text(props.get(key), props.get(f"{key}_precision"))
    return out


# ---------------------------------------------------------------------------
# Two datasets, one id


def differences(old: dict, new: dict) -> list[tuple[str, object, object]]:
    """``(key, stored, new)`` for each property whose value differs (absent counts as different)."""
    out = []
    for key in sorted(set(old) | set(new)):
        if key in BOOKKEEPING:
            continue
        a, b = native(old.get(key)), new.get(key)
        if a != b:
            out.append((key, a, b))
    return out


def _union(first: Iterable, second: Iterable) -> list:
    return list(dict.fromkeys([*first, *second]))


def merge(old: dict, new: dict, prefer: str) -> dict:
    """Property by property: ``prefer`` ``new`` (update) or ``old`` (keep) wins where both give a value.

    Nothing either side gives is lost: the other side's properties stay,
    aliases are the union, figures the union by key (their provenance in
    ``figures_json`` follows the winner). ``source`` and ``paragraphs`` go
    together with the winner; the loser's stays linked through ``SOURCED_FROM``.
    """
    old = {k: native(v) for k, v in old.items()}
    win, lose = (new, old) if prefer == "new" else (old, new)
    out = {**lose, **win}
    for key in ("source", "paragraphs"):
        if key in win or key in lose:
            out[key] = win[key] if key in win else lose[key]
    if "date" in win or "date" in lose:
        side = win if "date" in win else lose
        out["date"] = side["date"]
        if "date_precision" in side:
            out["date_precision"] = side["date_precision"]
    if win.get("aliases") or lose.get("aliases"):
        out["aliases"] = _union(win.get("aliases", []), lose.get("aliases", []))
    if win.get("figures_json") or lose.get("figures_json"):
        figs = {f["key"]: f for f in json.loads(lose.get("figures_json") or "[]")}
        figs.update({f["key"]: f for f in json.loads(win.get("figures_json") or "[]")})
        out["figures_json"] = json.dumps(sorted(figs.values(), key=lambda f: f["key"]),
                                         ensure_ascii=False, sort_keys=True)
    out["datasets"] = _union(old.get("datasets", []), new.get("datasets", []))
    return out


def describe_value(value) -> str:
    if value is None:
        return "(none)"
    if isinstance(value, _dt.date):
        return value.isoformat()
    text = json.dumps(value, ensure_ascii=False) if not isinstance(value, str) else repr(value)
    return text if len(text) <= 60 else text[:57] + "…"
