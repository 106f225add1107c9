"""Writing the graph for other tools: Gephi, Neo4j, spreadsheets, scripts.

============  ==============================================================
``graphml``   GraphML (networkx writer) on a copy whose attributes are
              string-safe: lists joined with ``;``, one type per attribute
``gexf``      GEXF 1.2 written by hand: node ``label`` = Chinese name (what
              Gephi shows), the model label is the attribute ``node_label``;
              edge ``label`` = relationship type; every attribute declared
              with its type; node colour by region group
``json``      ``networkx.node_link_data`` of the MultiDiGraph: ``{"directed",
              "multigraph", "graph", "nodes": [{"id", ...}], "links":
              [{"start", "end", "key", "type", "source", ...}]}``: a link's
              endpoints are ``start``/``end`` (as in relationships.csv),
              because ``source`` is the provenance document; lists stay
              lists. Read back with ``node_link_graph(data, edges="links",
              source="start", target="end")``
``csv``       the native dataset folder (:func:`alliances.dataset.write_dataset`)
``xlsx``      the template workbook, filled
``cypher``    a script for any Neo4j 5 (cypher-shell): the schema, then
              batches of a ``:param rows`` line and one ``UNWIND`` statement
              (:mod:`alliances.store.cypher_export`); replays at the speed
              of ``alliances load``
``neo4j-import`` a folder of ``neo4j-admin database import full`` files
              with typed headers (:mod:`alliances.store.admin_import`)
============  ==============================================================
"""

from __future__ import annotations

import io
import json
import os
from pathlib import Path
from xml.sax.saxutils import quoteattr

from alliances import model
from alliances.errors import UsageError
from alliances.files import atomic_write_bytes, atomic_write_text

FORMATS = ("graphml", "gexf", "json", "csv", "xlsx", "cypher", "neo4j-import")
GEXF_NS = "http://www.gexf.net/1.2draft"
GEXF_VIZ = "http://www.gexf.net/1.2draft/viz"


# ---------------------------------------------------------------------------
# String-safe attributes


def _flat(value):
    if isinstance(value, (list, tuple)):
        return ";".join(str(v) for v in value)
    if value is None:
        return ""
    return value


def _kind_of(values) -> str:
    if all(isinstance(v, bool) for v in values):
        return "boolean"
    if all(isinstance(v, int) and not isinstance(v, bool) for v in values):
        return "long"
    if all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values):
        return "double"
    return "string"


def _cast(value, kind):
    if kind == "double":
        return float(value)
    if kind == "string":
        return str(value)
    return value


def flat_graph(G):
    """A copy of ``G`` whose attributes are strings, numbers or booleans, one type per key.

    Returns the copy and ``(node_types, edge_types)``: attribute name → type
    (``string``, ``long``, ``double``, ``boolean``).
    """
    H = G.copy()
    H.graph.clear()  # the region table is the tool's own; node attributes carry each region group
    node_types, edge_types = {}, {}
    for items, types in ((lambda: H.nodes(data=True), node_types),
                         (lambda: ((u, d) for u, v, k, d in H.edges(keys=True, data=True)), edge_types)):
        values: dict[str, list] = {}
        for _, d in items():
            for k in list(d):
                d[k] = _flat(d[k])
                values.setdefault(k, []).append(d[k])
        for k, vals in values.items():
            types[k] = _kind_of(vals)
        for _, d in items():
            for k in d:
                d[k] = _cast(d[k], types[k])
    return H, node_types, edge_types


# ---------------------------------------------------------------------------
# GraphML, GEXF, JSON


def graphml_bytes(G) -> bytes:
    import networkx as nx

    H, _, _ = flat_graph(G)
    buf = io.BytesIO()
    nx.write_graphml(H, buf, encoding="utf-8", prettyprint=True)
    return buf.getvalue()


def _hex_rgb(color: str) -> tuple[int, int, int]:
    color = color.lstrip("#")
    return int(color[0:2], 16), int(color[2:4], 16), int(color[4:6], 16)


def gexf_bytes(G) -> bytes:
    """GEXF 1.2 for Gephi; see the module table for the attribute names."""
    from alliances import regions

    table = regions.lookup(regions.table_of(G))
    H, node_types, edge_types = flat_graph(G)
    for _, d in H.nodes(data=True):
        if "label" in d:
            d["node_label"] = d.pop("label")
    if "label" in node_types:
        node_types["node_label"] = node_types.pop("label")
    gexf_type = {"string": "string", "long": "long", "double": "double", "boolean": "boolean"}
    node_ids = {k: str(i) for i, k in enumerate(node_types)}
    edge_ids = {k: str(i) for i, k in enumerate(edge_types)}

    def val(v) -> str:
        if isinstance(v, bool):
            return "true" if v else "false"
        return repr(v) if isinstance(v, float) else str(v)

    out = ['<?xml version="1.0" encoding="UTF-8"?>',
           f'<gexf xmlns="{GEXF_NS}" xmlns:viz="{GEXF_VIZ}" version="1.2">',
           "  <meta><creator>alliances</creator>"
           "<description>Cross-regional Party-building alliances</description></meta>",
           '  <graph defaultedgetype="directed" mode="static">']
    for cls, types, ids in (("node", node_types, node_ids), ("edge", edge_types, edge_ids)):
        out.append(f'    <attributes class="{cls}" mode="static">')
        for k, t in types.items():
            out.append(f'      <attribute id="{ids[k]}" title={quoteattr(k)} type="{gexf_type[t]}"/>')
        out.append("    </attributes>")
    out.append("    <nodes>")
    for n, d in H.nodes(data=True):
        out.append(f"      <node id={quoteattr(str(n))} label={quoteattr(str(d.get('name', n)))}>")
        out.append("        <attvalues>")
        for k, v in d.items():
            out.append(f'          <attvalue for="{node_ids[k]}" value={quoteattr(val(v))}/>')
        out.append("        </attvalues>")
        r, g, b = _hex_rgb(regions.info(table, d.get("region_group", regions.NO_REGION))["color"])
        out.append(f'        <viz:color r="{r}" g="{g}" b="{b}"/>')
        out.append("      </node>")
    out.append("    </nodes>")
    out.append("    <edges>")
    for i, (u, v, k, d) in enumerate(H.edges(keys=True, data=True)):
        out.append(f'      <edge id="{i}" source={quoteattr(str(u))} target={quoteattr(str(v))} '
                   f"label={quoteattr(str(k))}>")
        out.append("        <attvalues>")
        for key, value in d.items():
            out.append(f'          <attvalue for="{edge_ids[key]}" value={quoteattr(val(value))}/>')
        out.append("        </attvalues>")
        out.append("      </edge>")
    out += ["    </edges>", "  </graph>", "</gexf>", ""]
    return "\n".join(out).encode("utf-8")


def node_link(G) -> dict:
    import networkx as nx

    # "source" is our provenance field, so endpoints go under start/end (no clash).
    data = nx.node_link_data(G, edges="links", source="start", target="end")
    data["graph"] = {}  # the region table is the tool's own; node attributes carry each region group
    return data


# ---------------------------------------------------------------------------
# Cypher


from alliances.store.cypher_export import cypher_literal  # noqa: E402,F401  (re-exported)


def cypher_script(ds) -> str:
    """A parameterised Cypher script recreating ``ds`` as ``alliances load`` stores it
    (:func:`alliances.store.cypher_export.cypher_script`)."""
    from alliances.store.cypher_export import cypher_script as script

    return script(ds)


def split_cypher(text: str) -> list[str]:
    """The Cypher statements of a script from :func:`cypher_script` (its ``:param`` lines left out)."""
    from alliances.store.cypher_export import split_cypher as split

    return split(text)


# ---------------------------------------------------------------------------


def export(ds, fmt: str, out: str | os.PathLike, *, overwrite: bool = False) -> Path:
    """Write ``ds`` to ``out`` in ``fmt`` (one of :data:`FORMATS`)."""
    out = Path(out)
    if fmt not in FORMATS:
        raise UsageError(f"unknown format {fmt!r}. Fix: use one of {', '.join(FORMATS)}.")
    if fmt == "csv":
        from alliances.dataset import write_dataset

        return write_dataset(ds, out, overwrite=overwrite)
    if fmt == "neo4j-import":
        from alliances.store.admin_import import write_import_files

        return write_import_files(ds, out, overwrite=overwrite)
    if out.exists() and not overwrite and not out.is_symlink() and not out.is_dir():
        raise UsageError(f"{out}: exists. Fix: choose another name, or pass --force.")
    if fmt == "xlsx":
        from alliances.io.template import write_workbook

        return write_workbook(out, ds)
    if fmt == "cypher":
        return atomic_write_text(out, cypher_script(ds))
    from alliances.graph import build_graph

    G = build_graph(ds)
    if fmt == "graphml":
        return atomic_write_bytes(out, graphml_bytes(G))
    if fmt == "gexf":
        return atomic_write_bytes(out, gexf_bytes(G))
    return atomic_write_text(out, json.dumps(node_link(G), ensure_ascii=False, indent=2) + "\n")
