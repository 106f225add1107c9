"""A dataset as ``neo4j-admin database import full`` files: the bulk first load of an empty database.

``alliances export --format neo4j-import --out DIR`` writes, with typed
headers, exactly the labels, properties and relationships that
:meth:`alliances.store.neo4j.Neo4jStore.load` stores for the same dataset
(``AlliancesData`` plus the model label, ``DATE`` dates with their
precision, ``LIST<INTEGER>`` paragraphs, figures as numbers, ``datasets``,
the sources, each node's ``SOURCED_FROM`` link, the registry entries tagged with
the dataset and their ``REGISTERED_AS`` matches (when the dataset has a
registry) and the dataset's record)::

    sources.csv                   id:ID(Source), …, :LABEL
    nodes_<Label>[_<n>].csv       id:ID(Data), name, …, date:date, paragraphs:long[], <figures>, :LABEL
    relationships_<TYPE>.csv      :START_ID(Data), :END_ID(Data), role, …, :TYPE
    sourced_from.csv              :START_ID(Data), :END_ID(Source), paragraphs:long[], :TYPE
    registry.csv                  id:ID(Registry), name, …, match_score:long, datasets:string[], :LABEL
    registered_as.csv             :START_ID(Registry), :END_ID(Data), method, score:long, :TYPE
    datasets.csv                  id:ID(Dataset), source, loaded_at:datetime, nodes:long, …, :LABEL
    neo4j-admin.args              the options for neo4j-admin (one per line)
    schema.cypher                 the schema ``alliances load`` creates, one statement per ``;`` line,
                                  for ``cypher-shell -f`` after the import (``scripts/neo4j import``
                                  runs it inside the local server right after its import)

Nodes of one label go in one file per set of figure keys and types, so a
figure that is an integer on one node and a decimal on another keeps its
type on each. Then ``neo4j-admin database import full DATABASE
@DIR/neo4j-admin.args`` (run from DIR), start the server and create the
schema (``alliances load --schema-only``); ``scripts/neo4j import DATASET``
does all of it for the local server.
"""

from __future__ import annotations

import csv
import datetime as _dt
import json
import re
from collections import Counter
import os
import shutil
import tempfile
from pathlib import Path

from alliances import model
from alliances.errors import UsageError
from alliances.store.rows import figures_by_node, node_row, record_source, source_props, to_date

NODE_COLUMNS = [("name", ""), ("name_en", ""), ("kind", ""), ("credit_code", ""), ("region", ""), ("date", "date"),
                ("date_precision", ""), ("date_note", ""), ("status", ""), ("aliases", "string[]"),
                ("description", ""), ("synthetic", "boolean"), ("source", ""), ("paragraphs", "long[]"),
                ("figures_json", ""), ("datasets", "string[]"), ("source_sheet", ""), ("source_row", "long"),
                ("ended", "")]
REL_COLUMNS = [("role", ""), ("date", "date"), ("date_precision", ""), ("date_note", ""), ("status", ""),
               ("source", ""), ("paragraphs", "long[]"), ("datasets", "string[]"), ("source_sheet", ""),
               ("source_row", "long"), ("weight", "double"), ("count", "long"), ("ended", "")]
SOURCE_COLUMNS = [("title", ""), ("publisher", ""), ("published", "date"), ("published_precision", ""),
                  ("file", ""), ("paragraph_numbering", ""), ("datasets", "string[]"), ("imported", "date"),
                  ("imported_precision", "")]
REGISTRY_COLUMNS = [("name", ""), ("credit_code", ""), ("kind", ""), ("place", ""), ("industry", ""), ("size", ""),
                    ("registered", ""), ("match", ""), ("match_method", ""), ("match_score", "long"),
                    ("source_file", ""), ("source_sheet", ""), ("source_row", "long"), ("imported", ""),
                    ("datasets", "string[]")]
DATASET_COLUMNS = [("source", ""), ("loaded_at", "datetime"), ("nodes", "long"), ("relationships", "long"),
                   ("figures", "long"), ("sources", "long"), ("labels_json", ""), ("types_json", "")]
ARRAY_DELIMITER = ";"  # list items never hold it: the dataset splits aliases on ; and ；


def _header(columns) -> list[str]:
    return [f"{name}:{kind}" if kind else name for name, kind in columns]


def _cell(value) -> str:
    if value is None or value == "" or value == []:
        return ""
    if value is True:
        return "true"
    if isinstance(value, (list, tuple)):
        return ARRAY_DELIMITER.join(str(v) for v in value)
    if isinstance(value, _dt.datetime):
        return value.isoformat()
    if isinstance(value, _dt.date):
        return value.isoformat()
    if isinstance(value, float):
        return repr(value)
    return str(value)


def _number_kind(value) -> str:
    return "long" if isinstance(value, int) and not isinstance(value, bool) else "double"


def _write(path: Path, header: list[str], rows) -> None:
    with open(path, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)


_QUOTED = re.compile(r'[,"\r\n]')


def _quoted(cells: list[str]) -> list[str]:
    """A column's cells as the csv module writes them (quoted only where a cell holds , " or a line
    break), so whole lines can be joined at C speed."""
    if not any(_QUOTED.search(c) for c in set(cells)):
        return cells
    return ['"' + c.replace('"', '""') + '"' if _QUOTED.search(c) else c for c in cells]


def _write_columns(path: Path, header: list[str], columns: list[list[str]]) -> None:
    """A CSV file of ``columns`` (cells, already text), byte for byte what :func:`_write` writes."""
    with open(path, "w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerow(header)
        if columns and columns[0]:
            fh.write("\n".join(map(",".join, zip(*map(_quoted, columns)))))
            fh.write("\n")


def _rel_columns(ds) -> dict[str, list]:
    """Every relationship's ``start``, ``end``, ``type`` and stored keys, one list per key (``None``
    where a row has none): read from the snapshot's columns when ``ds`` is one, without a dict per row."""
    keys = ["start", "end", "type", *dict.fromkeys(k for k, _ in REL_COLUMNS if k not in ("date_precision",
                                                                                           "datasets"))]
    snap = getattr(ds, "_snap", None) if "relationships" not in vars(ds) else None
    if snap is not None:
        table = snap.tables["relationships"]
        n = len(table)
        return {k: table.columns[k].all() if k in table.columns else [None] * n for k in keys}
    rels = ds.relationships
    return {k: [r.get(k) for r in rels] for k in keys}


def _cells_of(values: list, convert=None) -> list[str]:
    """The cells of one column: each distinct value converted once (``_cell`` by default)."""
    convert = convert or _cell
    memo: dict = {}
    out = []
    append = out.append
    for v in values:
        if type(v) is str and convert is _cell:
            append(v)  # a string is its own cell ("" stays empty)
            continue
        key = (type(v), v)  # 1, 1.0 and True are equal keys: keep their types apart
        try:
            c = memo[key]
        except KeyError:
            c = memo[key] = convert(v)
        except TypeError:  # a list: not hashable, its items are
            key = (list, tuple(v))
            c = memo.get(key)
            if c is None:
                c = memo[key] = convert(v)
        append(c)
    return out


def _rel_cells(columns: dict[str, list], name: str) -> list[list[str]]:
    """The cells of :data:`REL_COLUMNS` (with start and end first) as :func:`alliances.store.rows.rel_props`
    gives the values: the date as a ``date`` with its precision, the weight always a float."""
    n = len(columns["type"])
    dated = {}
    for text in set(columns["date"]):
        dated[text] = to_date(text) if text else (None, None)
    out = [_cells_of(columns["start"]), _cells_of(columns["end"])]
    for key, _ in REL_COLUMNS:
        if key == "date":
            out.append(_cells_of(columns["date"], lambda t: _cell(dated[t][0])))
        elif key == "date_precision":
            out.append(_cells_of(columns["date"], lambda t: _cell(dated[t][1])))
        elif key == "datasets":
            out.append([name] * n)
        elif key == "weight":
            out.append(_cells_of(columns["weight"], lambda w: "" if w in (None, "") else _cell(float(w))))
        else:
            out.append(_cells_of(columns[key]))
    return out


def _pick(cells: list, idx: list[int]) -> list:
    return cells if len(idx) == len(cells) else [cells[i] for i in idx]


def write_import_files(ds, out: str | os.PathLike, *, name: str | None = None, overwrite: bool = False) -> Path:
    """Write the import folder for ``ds`` as dataset ``name`` (all files or none); returns the folder."""
    from alliances.store.cypher import schema_text
    from alliances.store.neo4j import dataset_name

    out = Path(out)
    if out.exists() and (not out.is_dir() or any(out.iterdir())) and not overwrite:
        raise UsageError(f"{out}: exists and is not an empty folder. Fix: choose another name, or pass --force.")
    name = name or dataset_name(ds)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    try:
        args = _write_all(ds, tmp, name)
        (tmp / "neo4j-admin.args").write_text("\n".join(args) + "\n", encoding="utf-8")
        (tmp / "schema.cypher").write_text(schema_text(), encoding="utf-8")  # as cypher/schema.cypher
        if out.exists():
            shutil.rmtree(out) if out.is_dir() else out.unlink()
        tmp.rename(out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return out


def _write_all(ds, folder: Path, name: str) -> list[str]:
    data, source, dataset = model.PROJECT_LABEL, model.SOURCE_LABEL, model.DATASET_LABEL
    args = ["--id-type=string", f"--array-delimiter={ARRAY_DELIMITER}", "--multiline-fields=true",
            "--ignore-empty-strings=true", "--overwrite-destination=true"]

    # sources
    sources = [{"id": sid, **source_props(s), "datasets": [name]} for sid, s in ds.sources.items()]
    _write(folder / "sources.csv", ["id:ID(Source)", *_header(SOURCE_COLUMNS), ":LABEL"],
           ([s["id"], *(_cell(s.get(k)) for k, _ in SOURCE_COLUMNS), source] for s in sources))
    args.append("--nodes=sources.csv")

    # nodes: one file per label and set of figure keys (with their types)
    figures = figures_by_node(ds)
    fixed = {"id", *(k for k, _ in NODE_COLUMNS)}
    groups: dict[tuple, list[dict]] = {}
    for nid, node in ds.nodes.items():
        props = node_row(ds, nid, figures)["props"]
        props["datasets"] = [name]
        sig = tuple(sorted((k, _number_kind(v)) for k, v in props.items() if k not in fixed))
        groups.setdefault((node["label"], sig), []).append(props)
    seen: dict[str, int] = {}
    for (label, sig), rows in groups.items():
        n = seen[label] = seen.get(label, 0) + 1
        file = f"nodes_{model.cypher_label(label)}{'' if n == 1 else f'_{n}'}.csv"
        columns = NODE_COLUMNS + list(sig)
        _write_columns(folder / file, ["id:ID(Data)", *_header(columns), ":LABEL"],
                       [[p["id"] for p in rows], *(_cells_of([p.get(k) for p in rows]) for k, _ in columns),
                        [f"{data};{label}"] * len(rows)])
        args.append(f"--nodes={file}")

    # relationships by type, written column by column (at 100k organisations: 502k rows, the bulk
    # of the files; a dict and a cell call per row and property took 45 s, columns take a few)
    columns = _rel_columns(ds)
    cells = _rel_cells(columns, name)
    by_type: dict[str, list[int]] = {}
    for i, rtype in enumerate(columns["type"]):
        by_type.setdefault(rtype, []).append(i)
    header = [":START_ID(Data)", ":END_ID(Data)", *_header(REL_COLUMNS), ":TYPE"]
    for rtype, idx in by_type.items():
        file = f"relationships_{model.cypher_type(rtype)}.csv"
        _write_columns(folder / file, header, [*(_pick(c, idx) for c in cells), [rtype] * len(idx)])
        args.append(f"--relationships={file}")

    # provenance links, as upsert_nodes.cypher makes them
    linked = [(nid, node) for nid, node in ds.nodes.items() if node.get("source") in ds.sources]
    _write_columns(folder / "sourced_from.csv", [":START_ID(Data)", ":END_ID(Source)", "paragraphs:long[]", ":TYPE"],
                   [[nid for nid, _ in linked], [node["source"] for _, node in linked],
                    _cells_of([node.get("paragraphs") for _, node in linked]), [model.SOURCED_FROM] * len(linked)])
    args.append("--relationships=sourced_from.csv")

    # registry entries, tagged with the dataset, and their matches, as upsert_registry*.cypher write them
    if ds.registry:
        from alliances.store.neo4j import registry_row

        entries = [registry_row(e, name)["props"] for e in ds.registry]
        _write(folder / "registry.csv", ["id:ID(Registry)", *_header(REGISTRY_COLUMNS), ":LABEL"],
               ([p["id"], *(_cell(p.get(k)) for k, _ in REGISTRY_COLUMNS), model.REGISTRY_LABEL] for p in entries))
        args.append("--nodes=registry.csv")
        orgs = {nid for nid, node in ds.nodes.items() if node["label"] == "Organization"}
        _write(folder / "registered_as.csv", [":START_ID(Registry)", ":END_ID(Data)", "method", "score:long", ":TYPE"],
               ([p["id"], p["match"], _cell(p.get("match_method")), _cell(p.get("match_score")),
                 model.REGISTRY_MATCH_TYPE] for p in entries if p.get("match") in orgs))
        args.append("--relationships=registered_as.csv")

    # the dataset's record
    labels = dict(Counter(node["label"] for node in ds.nodes.values()))
    types = dict(Counter(columns["type"]))  # as ds.counts(), without a dict per relationship
    record = {"source": record_source(ds), "loaded_at": _dt.datetime.now(_dt.timezone.utc).replace(microsecond=0),
              "nodes": len(ds.nodes), "relationships": len(columns["type"]), "figures": len(ds.figures),
              "sources": len(ds.sources), "labels_json": json.dumps(labels, sort_keys=True),
              "types_json": json.dumps(types, sort_keys=True)}
    _write(folder / "datasets.csv", ["id:ID(Dataset)", *_header(DATASET_COLUMNS), ":LABEL"],
           [[name, *(_cell(record[k]) for k, _ in DATASET_COLUMNS), dataset]])
    args.append("--nodes=datasets.csv")
    return args
