"""The Cypher statements in ``cypher/*.cypher``, loaded by name.

Each file holds one statement. Values are always ``$parameters``; the only
text ever filled into a statement is a label or relationship type from the
model's allowlist, a node or path filter chosen here, or an integer.
"""

from __future__ import annotations

import functools
import re
from importlib import resources
from pathlib import Path

from alliances import model

_PLACEHOLDER = re.compile(r"\{(label|other_labels|type|types|node_filter|path_filter|max_hops|limit)\}")


def cypher_dir() -> Path:
    """The installed ``alliances/cypher`` folder, or ``cypher/`` of a source checkout."""
    installed = Path(str(resources.files("alliances"))) / "cypher"
    if installed.is_dir():
        return installed
    checkout = Path(__file__).resolve().parents[2] / "cypher"
    if checkout.is_dir():
        return checkout
    raise FileNotFoundError("the cypher/ folder is missing from this installation; reinstall alliances")


@functools.cache
def statement(name: str) -> str:
    """The statement in ``cypher/NAME.cypher`` without its comment lines."""
    return _body((cypher_dir() / f"{name}.cypher").read_text(encoding="utf-8"))


def _body(text: str) -> str:
    body = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("//"))
    return body.strip().rstrip(";")


def render(name: str, *, label: str | None = None, rel_type: str | None = None,
           types: list[str] | None = None, places: bool = False, max_hops: int | None = None,
           limit: int | None = None) -> str:
    """Fill a statement's placeholders from the allowlist only."""
    return render_text(statement(name), name=name, label=label, rel_type=rel_type, types=types, places=places,
                       max_hops=max_hops, limit=limit)


def render_text(text: str, *, name: str = "statement", label: str | None = None, rel_type: str | None = None,
                types: list[str] | None = None, places: bool = False, max_hops: int | None = None,
                limit: int | None = None) -> str:
    """:func:`render` of a statement's text, e.g. an earlier revision's file for a benchmark."""
    text = _body(text)
    fills = {}
    if label is not None:
        fills["label"] = model.cypher_label(label)
        fills["other_labels"] = "".join(":" + model.cypher_label(other) for other in model.LABELS if other != label)
    if rel_type is not None:
        fills["type"] = model.cypher_type(rel_type)
    if types is not None:
        if not types:
            raise ValueError("no relationship types")
        fills["types"] = "|".join(model.cypher_type(t) for t in types)
    fills["node_filter"] = "" if places else "WHERE NOT y:Region AND NOT y:Zone"
    fills["path_filter"] = "" if places else "WHERE all(n IN nodes(p) WHERE NOT n:Region AND NOT n:Zone)"
    if max_hops is not None:
        fills["max_hops"] = str(int(max_hops))
    if limit is not None:
        fills["limit"] = str(int(limit))

    def sub(m: re.Match) -> str:
        key = m.group(1)
        if key not in fills:
            raise ValueError(f"{name}.cypher needs {{{key}}}")
        return fills[key]

    return _PLACEHOLDER.sub(sub, text)


def schema_statements() -> list[str]:
    """The schema, in order: one ``id`` constraint per store label, name indexes, the full-text index.

    ``id`` is unique across all project data (``AlliancesData``), which is
    what ``MERGE`` seeks on; a second constraint per model label would only
    make every write maintain one more unique index.
    """
    out = [render("constraint_id", label=label) for label in (*model.META_LABELS, model.REGISTRY_LABEL)]
    out += [render("index_name", label=label) for label in model.LABELS]
    out.append(statement("index_fulltext_names").replace("$analyzer", "'cjk'"))
    return out


def schema_text() -> str:
    """The whole schema as one script (``cypher/schema.cypher``), made from the model."""
    lines = [
        "// The alliances graph model in Neo4j: generated from alliances/model.py; a test keeps it in step.",
        "// Every project node carries the label AlliancesData plus one model label; ids are unique across",
        "// the project. Sources are AlliancesSource, loaded datasets AlliancesDataset; each node is linked",
        "// to its source by SOURCED_FROM. Run as-is in Neo4j Browser or cypher-shell (idempotent).",
        "//",
        "// Node labels:",
    ]
    for lab in model.LABELS.values():
        lines.append(f"//   {lab.name:<15} {lab.zh} — {lab.description}")
    lines.append("// Relationship types (start → end), category:")
    for r in model.REL_TYPES.values():
        ends = ", ".join(sorted({f"{a}→{b}" for a, b in r.endpoints}))
        lines.append(f"//   {r.name:<16} {r.zh} ({r.category}): {ends}")
    lines.append("// Node properties: " + ", ".join(p.name for p in model.NODE_PROPS)
                 + ", plus one property per figure and figures_json (the figures' provenance),")
    lines.append("// date_precision (year, month or day: date is a DATE, the period's first day) and datasets.")
    lines.append("// Relationship properties: " + ", ".join(p.name for p in model.REL_PROPS
                                                            if p.name not in ("start", "end", "type"))
                 + ", date_precision, datasets.")
    lines.append(f"// Registry entries: {model.REGISTRY_LABEL} nodes (" + ", ".join(p.name for p in model.REGISTRY_PROPS)
                 + f"), each {model.REGISTRY_MATCH_TYPE} the Organization it was matched to (method, score).")
    lines.append("")
    lines += [text + ";" for text in schema_statements()]
    return "\n".join(lines) + "\n"
