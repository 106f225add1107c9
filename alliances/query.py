"""The questions behind the CLI's query commands, with their documented shapes.

``path_query`` → ``{"from", "to", "via", "paths": [{"hops", "nodes": [...],
"relationships": [...]}]}``; ``show_node`` → a node with its figures and ties;
``search_nodes`` → rows. The ``explain_*`` functions turn them into text.
"""

from __future__ import annotations

from alliances import model
from alliances.dataset import provenance_text
from alliances.resolve import search

NODE_FIELDS = ("id", "name", "name_en", "label", "kind", "region", "region_group")
REL_FIELDS = ("type", "start", "end", "role", "date", "date_note", "status", "source", "paragraphs")


def node_summary(G, nid: str) -> dict:
    d = G.nodes[nid]
    return {f: (nid if f == "id" else d.get(f, "")) for f in NODE_FIELDS}


def rel_summary(rel: dict) -> dict:
    return {f: rel.get(f, "" if f != "paragraphs" else []) for f in REL_FIELDS}


def path_query(source, from_name: str, to_name: str, *, k: int = 1, max_hops=None, via=None) -> dict:
    """Shortest partnership paths between two named nodes, from the chosen source.

    ``source`` is an :class:`alliances.source.GraphSource`; it answers from
    the store that holds the network (:meth:`~alliances.source.GraphSource.paths`).
    """
    G, a, b, raw = source.paths(from_name, to_name, k=k, max_hops=max_hops, via=via)
    paths = [
        {
            "hops": p["hops"],
            "nodes": [node_summary(G, n) for n in p["nodes"]],
            "relationships": [rel_summary(r) for r in p["relationships"]],
        }
        for p in raw
    ]
    return {
        "from": node_summary(G, a),
        "to": node_summary(G, b),
        "via": list(via) if via else list(model.PARTNERSHIP_TYPES),
        "paths": paths,
    }


def _name(node: dict, lang: str) -> str:
    if lang == "en" and node.get("name_en"):
        return node["name_en"]
    return node.get("name") or node["id"]


def _para(rel: dict) -> str:
    paras = rel.get("paragraphs") or []
    src = rel.get("source", "")
    where = ", ".join(f"¶{p}" for p in paras)
    return f"{src} {where}".strip()


def explain_paths(result: dict, lang: str = "zh") -> str:
    """Each path as numbered hops: who did what with whom, when, and where it is stated."""
    a, b = _name(result["from"], lang), _name(result["to"], lang)
    if not result["paths"]:
        return (
            f"No path between {a} and {b} over: {', '.join(result['via'])}.\n"
            "They may still share a city or zone: add --geography to count LOCATED_IN, PART_OF and HELD_IN.\n"
        )
    lines = []
    for i, p in enumerate(result["paths"], start=1):
        lines.append(f"Path {i}: {a} → {b}, {p['hops']} hop{'s' if p['hops'] != 1 else ''}")
        nodes = {n["id"]: n for n in p["nodes"]}
        for j, rel in enumerate(p["relationships"], start=1):
            rt = model.REL_TYPES[rel["type"]]
            verb = rt.zh if lang == "zh" else rt.en
            start, end = nodes[rel["start"]], nodes[rel["end"]]
            extra = [x for x in (rel.get("role"), rel.get("date_note") or rel.get("date"), rel.get("status")) if x]
            detail = f" ({'; '.join(extra)})" if extra else ""
            lines.append(
                f"  {j}. {_name(start, lang)} —{verb}→ {_name(end, lang)}{detail}"
                f"  [{rel['type']}, {_para(rel)}]"
            )
        lines.append("")
    return "\n".join(lines)


def show_node(source, name: str) -> dict:
    """A node with its properties, figures (with provenance) and every tie."""
    net = source.network()
    ds, G = net.dataset, net.graph
    nid = net.resolve(name)
    props = dict(ds.nodes[nid])
    ties = []
    for rel in sorted(ds.relationships, key=lambda r: (r["type"], r["start"], r["end"])):
        if nid in (rel["start"], rel["end"]):
            other = rel["end"] if rel["start"] == nid else rel["start"]
            ties.append({
                "direction": "out" if rel["start"] == nid else "in",
                "other": node_summary(G, other),
                **rel_summary(rel),
                "provenance": provenance_text(rel, ds.sources),
            })
    return {
        "node": {**props, "region_group": G.nodes[nid].get("region_group", "other")},
        "figures": [{**f, "provenance": provenance_text(f, ds.sources)} for f in ds.figures_of(nid)],
        "source": ds.sources.get(props.get("source", ""), {}),
        "provenance": provenance_text(props, ds.sources),
        "ties": ties,
    }


def explain_node(result: dict) -> str:
    n = result["node"]
    lab = model.LABELS[n["label"]]
    lines = [f"{n['name']}  ({n.get('name_en') or '-'})", f"  id: {n['id']}", f"  label: {n['label']} ({lab.zh})"]
    if n.get("kind"):
        k = model.KINDS[n["kind"]]
        lines.append(f"  kind: {n['kind']} ({k.zh}, {k.en})")
    for f in ("region", "date", "date_note", "status", "description"):
        if n.get(f):
            lines.append(f"  {f}: {n[f]}")
    if n.get("region_group"):
        lines.append(f"  region group: {n['region_group']}")
    if n.get("aliases"):
        lines.append(f"  aliases: {'; '.join(n['aliases'])}")
    title = result["source"].get("title", "")
    if n.get("source_row"):
        lines.append(f"  source: {result['provenance']}")
    else:
        lines.append(f"  source: {n.get('source', '')} {title} ¶{', ¶'.join(map(str, n.get('paragraphs', [])))}")
    if result["figures"]:
        lines.append("  figures:")
        for f in result["figures"]:
            q = {"exact": "", "more_than": "more than ", "about": "about ", "nearly": "nearly "}[f["qualifier"]]
            cite = f.get("provenance") if f.get("source_row") else f"{f['source']} ¶{', ¶'.join(map(str, f['paragraphs']))}"
            lines.append(f"    {f['key']} = {q}{f['value']} {f['unit']} — {f['label_zh']} [{cite}]")
    if result["ties"]:
        lines.append(f"  ties ({len(result['ties'])}):")
        for t in result["ties"]:
            arrow = f"—{t['type']}→ " if t["direction"] == "out" else f"←{t['type']}— "
            extra = "; ".join(x for x in (t.get("role"), t.get("date"), t.get("status")) if x)
            lines.append(f"    {arrow}{t['other']['name']} ({t['other']['id']})"
                         f"{' (' + extra + ')' if extra else ''} [{t.get('provenance') or _para(t)}]")
    return "\n".join(lines) + "\n"


def search_nodes(source, text: str, limit: int = 50) -> list[dict]:
    """Nodes whose id, names, aliases or description contain ``text``, exact hits first.

    With Neo4j, Chinese text is looked up in the store's cjk full-text index
    and only the candidates are read (:meth:`alliances.source.GraphSource.search`);
    other text reads the whole network.
    """
    found = source.search(text, limit=limit)
    if found is not None:
        G, ids = found
        return [node_summary(G, n) for n in ids]
    G = source.network().graph
    return [node_summary(G, n) for n in search(G, text, limit=limit)]
