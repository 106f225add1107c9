"""The questions behind the CLI's query commands, with their documented shapes.

``path_query`` → ``{"from", "to", "via", "paths": [{"hops", "nodes": [...],
"relationships": [...]}]}``; ``show_node`` → a node with its figures and ties;
``search_nodes`` → rows. The ``explain_*`` functions turn them into text.
"""

from __future__ import annotations

from alliances import model
from alliances.dataset import provenance_text

NODE_FIELDS = ("id", "name", "name_en", "label", "kind", "region", "region_group")
REL_FIELDS = ("type", "start", "end", "role", "date", "date_note", "status", "source", "paragraphs")


def node_summary(G, nid: str) -> dict:
    d = G.nodes[nid]
    return {f: (nid if f == "id" else d.get(f, "")) for f in NODE_FIELDS}


def rel_summary(rel: dict) -> dict:
    return {f: rel.get(f, "" if f != "paragraphs" else []) for f in REL_FIELDS}


def path_query(source, from_name: str, to_name: str, *, k: int = 1, max_hops=None, via=None,
               weighted: bool = False) -> dict:
    """Shortest partnership paths between two named nodes, from the chosen source.

    ``source`` is an :class:`alliances.source.GraphSource`; it answers from
    the store that holds the network (:meth:`~alliances.source.GraphSource.paths`).
    ``weighted``: a hop's length is 1 / its strength (:func:`alliances.paths.find_weighted_paths`);
    each path then also has ``length`` and ``weights`` (each hop's strength), and the answer
    ``"weighted": true``.
    """
    G, a, b, raw = source.paths(from_name, to_name, k=k, max_hops=max_hops, via=via, weighted=weighted)
    paths = []
    for p in raw:
        paths.append({
            "hops": p["hops"],
            "nodes": [node_summary(G, n) for n in p["nodes"]],
            "relationships": [rel_summary(r) for r in p["relationships"]],
            **({"length": p["length"], "weights": p["strengths"]} if weighted else {}),
        })
    return {
        "from": node_summary(G, a),
        "to": node_summary(G, b),
        "via": list(via) if via else list(model.PARTNERSHIP_TYPES),
        **({"weighted": True} if weighted else {}),
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
        if lang == "zh":
            return (f"{a} 与 {b} 之间没有经过这些关系的路径：{', '.join(result['via'])}。\n"
                    "它们仍可能同在一个城市或园区：加 --geography 把 LOCATED_IN、PART_OF 和 HELD_IN 也算作一跳。\n")
        return (
            f"No path between {a} and {b} over: {', '.join(result['via'])}.\n"
            "They may still share a city or zone: add --geography to count LOCATED_IN, PART_OF and HELD_IN.\n"
        )
    lines = []
    for i, p in enumerate(result["paths"], start=1):
        length = (f", length {_number(p['length'])} (1/weight per hop)" if lang == "en" else
                  f"，长度 {_number(p['length'])}（每跳 1/权重）") if "length" in p else ""
        lines.append(f"路径 {i}：{a} → {b}，{p['hops']} 跳{length}" if lang == "zh" else
                     f"Path {i}: {a} → {b}, {p['hops']} hop{'s' if p['hops'] != 1 else ''}{length}")
        nodes = {n["id"]: n for n in p["nodes"]}
        weights = p.get("weights") or [None] * len(p["relationships"])
        for j, (rel, weight) in enumerate(zip(p["relationships"], weights), start=1):
            rt = model.REL_TYPES[rel["type"]]
            verb = rt.zh if lang == "zh" else rt.en
            start, end = nodes[rel["start"]], nodes[rel["end"]]
            extra = [x for x in (model.role_text(rel.get("role"), lang), rel.get("date_note") or rel.get("date"),
                                 model.status_text(rel.get("status"), lang)) if x]
            detail = f" ({'; '.join(extra)})" if extra else ""
            tie = "" if weight is None else (f", weight {_number(weight)}" if lang == "en" else f"，权重 {_number(weight)}")
            lines.append(
                f"  {j}. {_name(start, lang)} —{verb}→ {_name(end, lang)}{detail}"
                f"  [{rel['type']}, {_para(rel)}{tie}]"
            )
        lines.append("")
    return "\n".join(lines)


def _number(x: float) -> str:
    """2 → "2", 0.5 → "0.5", 1/3 → "0.3333"."""
    return f"{x:.4f}".rstrip("0").rstrip(".")


def show_node(source, name: str, *, lang: str | None = None) -> dict:
    """A node with its properties, figures (with provenance) and every tie.

    Read from the dataset's rows and the region groups: the whole graph is
    never built for it (the same answer as from the graph, tested). The node
    also has ``region_name`` and ``region_group_name`` in ``lang`` (default:
    the data's language).
    """
    net = source.network()
    ds, groups = net.dataset, net.region_groups
    nodes = _Nodes(net)
    nid = net.resolve(name)
    props = dict(ds.node(nid))
    mine = ds.ties_of(nid)
    ties = []
    for rel in sorted(mine, key=lambda r: (r["type"], r["start"], r["end"])):
        other = rel["end"] if rel["start"] == nid else rel["start"]
        ties.append({
            "direction": "out" if rel["start"] == nid else "in",
            "other": _summary(nodes, groups, other),
            **rel_summary(rel),
            "provenance": provenance_text(rel, ds.sources),
        })
    lang = lang or net.language
    group = groups.get(nid, "other")
    names = {"region_name": net.region_name(props["region"], lang)} if props.get("region") else {}
    return {
        "node": {**props, "region_group": group, **names, "region_group_name": net.region_name(group, lang)},
        "figures": [{**f, "provenance": provenance_text(f, ds.sources)} for f in ds.figures_of(nid)],
        "source": ds.sources.get(props.get("source", ""), {}),
        "provenance": provenance_text(props, ds.sources),
        "ties": ties,
    }


class _Nodes:
    """``nodes[nid]`` of a network, one node at a time (a snapshot decodes only those asked for)."""

    def __init__(self, net):
        self.node = net.node

    def __getitem__(self, nid):
        return self.node(nid)


def _summary(nodes, groups, nid: str) -> dict:
    """:func:`node_summary` from node attributes and region groups (no graph)."""
    d = nodes[nid]
    return {f: (nid if f == "id" else groups.get(nid, "other") if f == "region_group" else d.get(f, ""))
            for f in NODE_FIELDS}


#: The field names of ``show``'s text, (English, Chinese).
SHOW_WORDS = {"id": ("id", "编号"), "label": ("label", "类型"), "kind": ("kind", "类别"), "region": ("region", "地区"),
              "date": ("date", "日期"), "date_note": ("date_note", "日期说明"), "status": ("status", "状态"),
              "description": ("description", "说明"), "region group": ("region group", "地区组"),
              "aliases": ("aliases", "别名"), "source": ("source", "来源"), "figures": ("figures", "数据"),
              "ties": ("ties", "联系")}


def explain_node(result: dict, lang: str = "en") -> str:
    """``show``'s text: the node's fields (named in ``lang``), its figures and ties with provenance;
    regions by name, the id beside it."""
    w = {k: v[1 if lang == "zh" else 0] for k, v in SHOW_WORDS.items()}
    n = result["node"]
    lab = model.LABELS[n["label"]]
    lines = [f"{n['name']}  ({n.get('name_en') or '-'})", f"  {w['id']}: {n['id']}",
             f"  {w['label']}: {n['label']} ({lab.zh})"]
    if n.get("kind"):
        k = model.KINDS[n["kind"]]
        lines.append(f"  {w['kind']}: {n['kind']} ({k.zh}, {k.en})")
    for f in ("region", "date", "date_note", "status", "description"):
        if n.get(f):
            shown = (f"{n['region_name']} ({n[f]})" if f == "region" and n.get("region_name") else
                     model.status_text(n[f], lang) if f == "status" else n[f])
            lines.append(f"  {w[f]}: {shown}")
    if n.get("region_group"):
        group = n.get("region_group_name")
        lines.append(f"  {w['region group']}: {group} ({n['region_group']})" if group else
                     f"  {w['region group']}: {n['region_group']}")
    if n.get("aliases"):
        lines.append(f"  {w['aliases']}: {'; '.join(n['aliases'])}")
    title = result["source"].get("title", "")
    if n.get("source_row"):
        lines.append(f"  {w['source']}: {result['provenance']}")
    else:
        lines.append(f"  {w['source']}: {n.get('source', '')} {title} ¶{', ¶'.join(map(str, n.get('paragraphs', [])))}")
    if result["figures"]:
        lines.append(f"  {w['figures']}:")
        for f in result["figures"]:
            q = {"exact": "", "more_than": "more than ", "about": "about ", "nearly": "nearly "}[f["qualifier"]]
            cite = f.get("provenance") if f.get("source_row") else f"{f['source']} ¶{', ¶'.join(map(str, f['paragraphs']))}"
            lines.append(f"    {f['key']} = {q}{f['value']} {f['unit']} — {f['label_zh']} [{cite}]")
    if result["ties"]:
        lines.append(f"  {w['ties']} ({len(result['ties'])}):")
        for t in result["ties"]:
            arrow = f"—{t['type']}→ " if t["direction"] == "out" else f"←{t['type']}— "
            extra = "; ".join(x for x in (model.role_text(t.get("role"), lang), t.get("date"),
                                          model.status_text(t.get("status"), lang)) if x)
            lines.append(f"    {arrow}{t['other']['name']} ({t['other']['id']})"
                         f"{' (' + extra + ')' if extra else ''} [{t.get('provenance') or _para(t)}]")
    return "\n".join(lines) + "\n"


def search_nodes(source, text: str, limit: int = 50, *, lang: str | None = None) -> list[dict]:
    """Rows of the nodes :func:`alliances.resolve.search` finds, from the dataset's nodes (no graph).

    With Neo4j, Chinese text is looked up in the store's cjk full-text index and only the
    candidates are read (:meth:`alliances.source.GraphSource.search`). With ``lang``, each row
    also has ``region_name``: its region's name in that language (``"auto"``: the data's).
    """
    from alliances.chars import language_of
    from alliances.network import Network

    found = source.search(text, limit=limit)
    if found is not None:
        G, ids = found
        rows, net = [node_summary(G, n) for n in ids], Network(graph=G)
        auto = language_of([r["name"] for r in rows])
    else:
        net = source.network()
        rows = [_summary(_Nodes(net), net.region_groups, n) for n in net.search(text, limit=limit)]
        auto = net.language
    if lang:
        lang = auto if lang == "auto" else lang
        rows = [{**r, "region_name": net.region_name(r["region"], lang) if r.get("region") else ""} for r in rows]
    return rows


# ---------------------------------------------------------------------------
# Batch questions: many pairs in one read, the nearest organisations of a region


PAIR_COLUMNS = (("from", "起点"), ("to", "终点"))


def read_pairs(path) -> list[tuple[int, str, str]]:
    """``(row, from, to)`` of a CSV of pairs (UTF-8, BOM or GB18030 from Excel).

    The header names the columns ``from`` and ``to`` (or 起点 and 终点); a file
    without such a header is read as two columns. Empty cells are left for
    :func:`path_pairs` to report with the names that match nothing.
    """
    from pathlib import Path

    from alliances.dataset import read_csv_rows
    from alliances.errors import Problem as problem_text
    from alliances.errors import ValidationError

    path = Path(path)
    header, rows = read_csv_rows(path)
    names = {h.strip().casefold(): h for h in header}
    cols = []
    for en, zh in PAIR_COLUMNS:
        col = names.get(en) or names.get(zh)
        cols.append(col)
    if None in cols:
        if len(header) < 2:
            raise ValidationError([problem_text(str(path), 1, None,
                                                "needs two columns, from and to",
                                                "write a header 'from,to' and one pair a row")], str(path))
        # no header: the first two columns, the header line being the first pair
        rows = [(1, dict(zip(header, header)))] + rows
        cols = header[:2]
    out = [(r, (d.get(cols[0]) or "").strip(), (d.get(cols[1]) or "").strip()) for r, d in rows]
    if not out:
        raise ValidationError([problem_text(str(path), 2, None, "holds no pairs",
                                            "add one row per pair under the header 'from,to'")], str(path))
    return out


def path_pairs(source, pairs, *, max_hops=None, via=None, path_name: str = "", weighted: bool = False) -> list[dict]:
    """One :func:`path_query` answer per pair, the network read once.

    Every name is resolved first; names that match nothing (or several
    nodes) are raised together, each with its file, row and column.
    """
    from alliances.errors import NameResolutionError, ValidationError
    from alliances.errors import Problem as problem_text

    from alliances.resolve import Resolver

    net = source.network() if not source.use_neo4j else None
    resolver = Resolver(net.names) if net is not None else None
    problems, ids = [], []
    for r, a, b in pairs:
        ids.append([a, b])
        for value, col in ((a, "from"), (b, "to")):
            if not value:
                problems.append(problem_text(path_name, r, col, "is empty",
                                             "give a name or id of a node, or delete the row"))
            elif net is not None:
                try:
                    ids[-1][0 if col == "from" else 1] = resolver(value)
                except NameResolutionError as err:
                    problems.append(problem_text(path_name, r, col, str(err).split(" Fix:")[0].rstrip("."),
                                                 "check the spelling, or list names with 'alliances search'"))
    if problems:
        raise ValidationError(problems, path_name)
    return [{"row": r, **path_query(source, a, b, k=1, max_hops=max_hops, via=via, weighted=weighted)}
            for (r, _, _), (a, b) in zip(pairs, ids)]


PAIR_ROW_COLUMNS = ["row", "from_id", "from", "to_id", "to", "hops", "path", "relationships"]


def pair_rows(answers: list[dict], lang: str = "zh") -> list[dict]:
    """Flat rows of :func:`path_pairs` answers, for CSV and tables."""
    rows = []
    for ans in answers:
        p = ans["paths"][0] if ans["paths"] else None
        rows.append({
            "row": ans["row"],
            "from_id": ans["from"]["id"], "from": _name(ans["from"], lang),
            "to_id": ans["to"]["id"], "to": _name(ans["to"], lang),
            "hops": p["hops"] if p else "",
            "path": " → ".join(_name(n, lang) for n in p["nodes"]) if p else "",
            "relationships": " ".join(rel["type"] for rel in p["relationships"]) if p else "",
            **({"length": p["length"] if p else ""} if ans.get("weighted") else {}),
        })
    return rows


def nearest_in_region(source, from_name: str, region: str, *, limit: int = 10, via=None) -> dict:
    """The organisations of ``region`` (a region or zone, by name or id, and all it
    contains) closest to ``from_name`` over partnership ties, each with its path.

    ``{"from", "region", "hops", "paths": [...]}`` (shapes as :func:`path_query`);
    ``hops`` is ``None`` and ``paths`` empty when none is reachable.
    """
    from alliances.errors import UsageError
    from alliances.paths import nearest_of

    net = source.network()
    a = net.resolve(from_name)
    rid = net.resolve(region)
    nodes = net.nodes
    if nodes[rid].get("label") not in model.GEOGRAPHIC_LABELS:
        raise UsageError(f"--to-region {region!r} names {nodes[rid].get('name', rid)} ({rid}, "
                         f"{nodes[rid].get('label')}), not a region or zone. Fix: give a city, district or zone.")
    inside = _within(net, rid)
    targets = [n for n, d in nodes.items() if d.get("label") == "Organization" and d.get("region") in inside]
    if net.paths_on_arrays(k=1, via=via):
        P = net.adjacency_for(via)
    else:
        from alliances.graph import partnership_graph

        P = partnership_graph(net.graph, via)
    hops, found = nearest_of(P, a, targets, limit=limit)
    paths = []
    for b in found:
        ans = path_query(source, a, b, k=1, via=via)
        paths.extend(ans["paths"])
    groups = net.region_groups
    summary = {f: (rid if f == "id" else groups.get(rid, "other") if f == "region_group" else nodes[rid].get(f, ""))
               for f in NODE_FIELDS}
    start = {f: (a if f == "id" else groups.get(a, "other") if f == "region_group" else nodes[a].get(f, ""))
             for f in NODE_FIELDS}
    return {"from": start, "region": summary, "organisations_in_region": len(targets), "hops": hops,
            "via": list(via) if via else list(model.PARTNERSHIP_TYPES), "paths": paths}


def _within(net, rid: str) -> set:
    """``rid`` and every region or zone inside it (by ``region`` or ``PART_OF``)."""
    nodes = net.nodes
    children: dict[str, set] = {}
    for n, d in nodes.items():
        if d.get("label") in model.GEOGRAPHIC_LABELS and d.get("region") and d["region"] != n:
            children.setdefault(d["region"], set()).add(n)
    if net.dataset is not None:
        for rel in net.dataset.relationships:
            if rel["type"] == "PART_OF":
                children.setdefault(rel["end"], set()).add(rel["start"])
    out, todo = {rid}, [rid]
    while todo:
        for c in children.get(todo.pop(), ()):
            if c not in out:
                out.add(c)
                todo.append(c)
    return out


def explain_nearest(result: dict, lang: str = "zh") -> str:
    a, r = _name(result["from"], lang), _name(result["region"], lang)
    n = result["organisations_in_region"]
    if result["hops"] is None:
        if lang == "zh":
            return f"从 {a} 经过这些关系到不了 {r} 的任何组织（共 {n} 个）：{', '.join(result['via'])}。\n"
        return (f"No organisation of {r} ({n} there) is reachable from {a} "
                f"over: {', '.join(result['via'])}.\n")
    if lang == "zh":
        head = f"{r} 离 {a} 最近的组织：{len(result['paths'])} 个，{result['hops']} 跳（{r} 共 {n} 个）。\n\n"
    else:
        head = (f"Nearest organisations of {r} to {a}: {len(result['paths'])} at {result['hops']} "
                f"hop{'s' if result['hops'] != 1 else ''} (of {n} there).\n\n")
    first = "路径 1：" if lang == "zh" else "Path 1:"
    return head + "".join(explain_paths({"from": result["from"], "to": p["nodes"][-1], "via": result["via"],
                                         "paths": [p]}, lang=lang).replace(
                              first, f"路径 {i}：" if lang == "zh" else f"Path {i}:", 1)
                          for i, p in enumerate(result["paths"], start=1))
