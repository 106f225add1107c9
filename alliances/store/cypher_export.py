"""A dataset as a Cypher script that cypher-shell replays as fast as ``alliances load`` writes.

The script is parameterised: each batch is a ``:param rows => '…'`` line
followed by the one ``UNWIND`` statement of its label or type (from
``cypher/replay_*.cypher``). A batch's rows travel as *one string* (rows,
fields and list items separated by control characters a dataset never holds):
Neo4j parses a string literal in microseconds but plans a list of map
literals in seconds (measured: 500 rows 5–9 s, 5,000 rows 75 s, against
0.15 s as a string), and the statement text never changes, so the server
plans it once. The result is what :meth:`Neo4jStore.load` stores for the same
dataset into a database that does not hold it yet: the same labels,
properties, types (``DATE``, ``LIST<INTEGER>``), ``SOURCED_FROM`` links,
registry entries (``RegistryEntry``, tagged with the dataset, each ``REGISTERED_AS``
its Organization) and dataset record.

Every statement or command ends with ``;`` at the end of a line or is a
one-line ``:param``; string literals never hold a raw line break
(:func:`split_cypher`, :func:`script_steps`).
"""

from __future__ import annotations

import math

from alliances import model
from alliances.store.cypher import render, schema_statements
from alliances.store.rows import figures_by_node, node_row, record_source, rel_row, source_props

ROW, FIELD, ITEM = "\x1e", "\x1f", "\x1d"  # record, unit and group separators
ENC = {"row": ROW, "field": FIELD, "item": ITEM, "empty": "", "yes": "true", "integer": "i"}
BATCH = 5_000

NODE_FIELDS = ("id", "name", "name_en", "kind", "region", "date", "date_precision", "date_note", "status",
               "aliases", "description", "synthetic", "source", "paragraphs", "figures_json", "datasets",
               "source_sheet", "source_row", "ended")
REL_FIELDS = ("role", "date", "date_precision", "date_note", "status", "source", "paragraphs", "datasets",
              "source_sheet", "source_row", "weight", "count", "ended")
REGISTRY_FIELDS = ("id", "name", "credit_code", "kind", "place", "industry", "size", "registered", "match",
                   "match_method", "match_score", "source_file", "source_sheet", "source_row", "imported", "datasets")
SOURCE_FIELDS = ("id", "title", "publisher", "published", "published_precision", "file", "paragraph_numbering",
                 "datasets", "imported", "imported_precision")


def _atom(value) -> str:
    text = value.isoformat() if hasattr(value, "isoformat") else ("true" if value is True else str(value))
    if ROW in text or FIELD in text or ITEM in text:  # a checked dataset never has control characters
        raise ValueError(f"a value holds a separator character: {text!r}")
    return text


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        return ITEM.join(_atom(v) for v in value)
    return _atom(value)


def encode_node(row: dict, exclusive: bool = True) -> str:
    props = row["props"]
    fields = [(_text(props.get(k))) for k in NODE_FIELDS[:16]]
    figures = []
    for key, value in props.items():
        if key in NODE_FIELDS:
            continue
        figures += [key, "i" if isinstance(value, int) and not isinstance(value, bool) else "f", repr(value)]
    fields.append(ITEM.join(_atom(x) for x in figures))
    fields.append("true" if exclusive else "")
    fields += [_text(props.get(k)) for k in NODE_FIELDS[16:]]  # where an imported row came from; ended
    return FIELD.join(fields)


def encode_rel(row: dict) -> str:
    props = row["props"]
    return FIELD.join([_atom(row["start"]), _atom(row["end"]), *((_text(props.get(k))) for k in REL_FIELDS)])


def encode_source(props: dict) -> str:
    return FIELD.join((_text(props.get(k))) for k in SOURCE_FIELDS)


def encode_registry(props: dict) -> str:
    return FIELD.join((_text(props.get(k))) for k in REGISTRY_FIELDS)


def cypher_literal(value) -> str:
    """``value`` as a Cypher literal: strings single-quoted with escapes, lists, maps."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            raise ValueError("NaN and infinity have no Cypher literal")
        return repr(value)
    if isinstance(value, str):
        out = []
        for ch in value:
            o = ord(ch)
            if ch == "\\":
                out.append("\\\\")
            elif ch == "'":
                out.append("\\'")
            elif ch == "\n":
                out.append("\\n")
            elif ch == "\r":
                out.append("\\r")
            elif ch == "\t":
                out.append("\\t")
            elif o < 0x20 or o == 0x7F or 0x2028 <= o <= 0x2029 or 0xD800 <= o <= 0xDFFF:
                out.append(f"\\u{o:04x}")
            else:
                out.append(ch)
        return "'" + "".join(out) + "'"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(cypher_literal(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_key(k)}: {cypher_literal(v)}" for k, v in value.items()) + "}"
    raise TypeError(f"no Cypher literal for {type(value).__name__}")


def _key(name: str) -> str:
    return "`" + str(name).replace("`", "``") + "`"


def _param(name: str, value) -> str:
    return f":param {name} => {cypher_literal(value)}"


def _batches(name: str, statement: str, encoded: list[str]) -> list[str]:
    out = []
    for i in range(0, len(encoded), BATCH):
        out.append(_param("rows", ROW.join(encoded[i:i + BATCH])))
        out.append(statement + ";")
    return out


def cypher_script(ds, name: str | None = None) -> str:
    """A parameterised Cypher script recreating ``ds`` as dataset ``name`` (see the module docstring)."""
    import json

    from alliances.store.neo4j import dataset_name, registry_row

    name = name or dataset_name(ds)
    parts = [
        f"// alliances: dataset {name} as a Cypher script for Neo4j 5 (cypher-shell -f FILE).",
        "// Schema first, then batches: a ':param rows' line (the rows as one string) and the UNWIND",
        "// statement that writes them. Idempotent: run it twice, same graph.",
        "",
    ]
    parts += [text + ";" for text in schema_statements()]
    parts.append("CALL db.awaitIndexes(300);")
    parts.append(_param("enc", ENC))
    parts.append(_param("name", name))
    sources = [{"id": sid, **source_props(s), "datasets": [name]} for sid, s in ds.sources.items()]
    parts += _batches("sources", render("replay_sources"), [encode_source(s) for s in sources])
    figures = figures_by_node(ds)
    by_label: dict[str, list[str]] = {}
    for nid, node in ds.nodes.items():
        row = node_row(ds, nid, figures)
        row["props"]["datasets"] = [name]
        by_label.setdefault(node["label"], []).append(encode_node(row))
    for label, rows in by_label.items():
        parts += _batches(label, render("replay_nodes", label=model.cypher_label(label)), rows)
    by_type: dict[str, list[str]] = {}
    for rel in ds.relationships:
        row = rel_row(rel)
        row["props"]["datasets"] = [name]
        by_type.setdefault(rel["type"], []).append(encode_rel(row))
    for rtype, rows in by_type.items():
        parts += _batches(rtype, render("replay_relationships", rel_type=model.cypher_type(rtype)), rows)
    # registry entries (with the dataset tag) after the Organizations they are REGISTERED_AS
    registry = [encode_registry(registry_row(e, name)["props"]) for e in ds.registry]
    parts += _batches("registry", render("replay_registry"), registry)
    labels, types = ds.counts()
    parts.append(_param("props", {
        "id": name, "source": record_source(ds), "nodes": len(ds.nodes), "relationships": len(ds.relationships),
        "figures": len(ds.figures), "sources": len(ds.sources), "labels_json": json.dumps(labels, sort_keys=True),
        "types_json": json.dumps(types, sort_keys=True)}))
    parts.append(render("replay_dataset") + ";")
    return "\n".join(parts) + "\n"


def script_steps(text: str) -> list[tuple[str, str]]:
    """The steps of a script from :func:`cypher_script`: ``("param", "name => expr")`` or ``("cypher", statement)``."""
    out, cur = [], []
    for line in text.splitlines():
        if not cur and (not line.strip() or line.lstrip().startswith("//")):
            continue
        if not cur and line.startswith(":param "):
            out.append(("param", line[len(":param "):]))
            continue
        cur.append(line)
        if line.rstrip().endswith(";"):
            out.append(("cypher", "\n".join(cur).rstrip()[:-1]))
            cur = []
    if any(x.strip() for x in cur):
        out.append(("cypher", "\n".join(cur)))
    return out


def split_cypher(text: str) -> list[str]:
    """The Cypher statements of a script (its ``:param`` lines left out)."""
    return [s for kind, s in script_steps(text) if kind == "cypher"]
