"""Self-contained, offline HTML network maps.

:func:`build_map` turns the graph into a plain *map model* (nodes, edges,
legend, filters, notices — dicts and lists only); :func:`render_html` pours it
into our own template with vis-network inlined; :func:`write_map` writes the
file as UTF-8 whatever the locale. pyvis is used only for its vis-network
options: its templates are not autoescaped, link a CDN and write in the
locale's encoding, and its ``add_node`` is quadratic.

Safety: the data travel as JSON inside ``<script type="application/json">``
with ``<``, ``>``, ``&``, U+2028 and U+2029 escaped, and the page inserts
every data-derived string with ``textContent`` (tooltips are DOM elements),
so a name such as ``<img src=x onerror=alert(1)>`` is shown, never run.
"""

from __future__ import annotations

import datetime
import json
import re
from pathlib import Path

import networkx as nx

from alliances import model, regions
from alliances.order import REL_ORDER as _REL_INDEX
from alliances.errors import RenderError, UsageError

FONT_STACK = '"Microsoft YaHei", "PingFang SC", "Noto Sans CJK SC", "Noto Sans SC", sans-serif'
SIZE_METRICS = ("degree", "betweenness", "pagerank", "eigenvector", "closeness")
COMMUNITY_COLORS = (
    "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#bcbd22",
    "#17becf", "#aec7e8", "#ffbb78", "#98df8a", "#ff9896", "#c5b0d5", "#c49c94", "#f7b6d2",
)
DIM_COLOR = "rgba(190,190,190,0.35)"
GEO_EDGE_COLOR = "#c8c8c8"
PARTNER_EDGE_COLOR = "#6b6b6b"
RECOGNITION_EDGE_COLOR = "#9467bd"
WORK_EDGE_COLOR = "#8c564b"
PATH_COLOR = "#ff7f0e"
FOCUS_COLOR = "#000000"
#: Hover and selection: a black border, never a fill colour that could read as a region.
HOVER_BORDER = "#000000"
VIS_DIR = ("lib", "vis-9.1.2")

TEXT = {
    "zh": {
        "kind": "类型", "org_kind": "组织类别", "region": "地区", "source": "来源", "para": "段落",
        "date": "日期", "role": "角色", "status": "状态", "type": "关系", "members": "包含节点",
        "ties": "伙伴关系", "inside": "内部伙伴关系", "focus": "焦点组织",
        "path_title": "两点之间的最短伙伴路径", "path_from": "起点名称…", "path_to": "终点名称…", "path_go": "查找路径",
        "path_none": "本图中两者之间没有伙伴路径。", "path_hops": "共 {n} 步（与 alliances path 的答案相同）。",
        "path_unknown": "请从列表中选择两个名称。", "search": "搜索名称…", "regions": "地区",
        "labels": "节点类型", "kinds": "组织类别", "generated": "生成于", "data": "数据来源",
        "nodes": "节点", "edges": "关系", "partnership": "伙伴关系（实线）", "geography": "地理关系（虚线、浅色）",
        "recognition": "荣誉", "work": "党建工作（覆盖）", "coverage": "两个覆盖", "path": "最短伙伴路径", "community": "社区", "isolated": "孤立节点",
        "places": "地区与园区", "rest": "其余小群组", "member_regions": "成员所在地区",
        "back": "返回全图", "overview": "全图", "part": "子群", "in_group": "所在群组",
    },
    "en": {
        "kind": "Type", "org_kind": "Organisation kind", "region": "Region", "source": "Source",
        "para": "¶", "date": "Date", "role": "Role", "status": "Status", "type": "Relationship",
        "members": "Nodes inside", "ties": "Partnership ties", "focus": "focal organisation",
        "path_title": "Shortest partnership path", "path_from": "From (a name)…", "path_to": "To (a name)…",
        "path_go": "Find the path", "path_none": "No partnership path between them on this map.",
        "path_hops": "{n} step(s), the answer of alliances path.", "path_unknown": "Pick two names from the list.", "inside": "Ties inside",
        "search": "Search a name…", "regions": "Region", "labels": "Node type",
        "kinds": "Organisation kind", "generated": "generated", "data": "Data",
        "nodes": "nodes", "edges": "relationships", "partnership": "partnership (solid)",
        "geography": "geography (dashed, light)", "recognition": "recognition",
        "work": "coverage work", "coverage": "Coverage", "member_regions": "Members' regions",
        "path": "shortest partnership path", "community": "Community", "isolated": "isolated nodes",
        "places": "regions and zones", "rest": "other small groups",
        "back": "Back to overview", "overview": "Overview", "part": "Part", "in_group": "Group",
    },
}


# ---------------------------------------------------------------------------
# The map model


def build_map(
    network,
    *,
    dataset=None,
    around: str | None = None,
    hops: int = 1,
    path: tuple[str, str] | None = None,
    view: str = "network",
    color: str = "region",
    size_by: str = "degree",
    lang: str = "zh",
    title: str | None = None,
    source: str = "",
    max_nodes: int | None = None,
    hard_cap: int | None = None,
    physics: bool = True,
    generated: str | None = None,
    figures: list[dict] | None = None,
    seed: int = 0,
    coverage: dict[str, str] | None = None,
    drill: bool = True,
) -> dict:
    """The map of a network as plain data, ready for :func:`render_html`.

    ``network`` is a :class:`~alliances.network.Network`, a ``MultiDiGraph``,
    or ``None`` with the checked ``dataset``. ``around``/``path`` take node ids
    (resolve names first). Up to ``max_nodes`` nodes (default
    ``Thresholds.map_physics``) the browser lays the map out with physics;
    above it positions are computed here and physics is off; above
    ``hard_cap`` (default ``Thresholds.map_aggregate``) nodes are aggregated
    (by community of the partnership graph) and a notice says how to drill
    down. ``figures`` (the dataset's figure rows) gives tooltips their
    labels, qualifiers, units and provenance. An aggregated map carries its
    groups' members for the page's drill-down (``model["drill"]``, see
    :func:`_drill`) unless ``drill=False``. Node sizes are
    :func:`alliances.analysis.centrality.centrality_scores` on the map's
    partnership graph (``alliances centrality --projection full``).

    The network's graph is only built when needed: an aggregated map works on
    arrays, a map around one node on its part of the data (at a million
    organisations that is the difference between 9 GB and a few).
    """
    from alliances.network import as_network

    net = as_network(network, dataset)
    limits = net.thresholds
    max_nodes = limits.map_physics if max_nodes is None else max_nodes
    hard_cap = limits.map_aggregate if hard_cap is None else hard_cap
    if color == "coverage" and coverage is None:
        raise UsageError("a coverage map needs each organisation's coverage: pass coverage= "
                         "(alliances.analysis.coverage.organisation_states)")
    if size_by not in SIZE_METRICS:
        raise UsageError(f"unknown --size-by {size_by!r}; use one of {', '.join(SIZE_METRICS)}")
    if max_nodes > hard_cap:
        hard_cap = max_nodes
    t = TEXT[lang]
    notices: list[str] = []
    want_drill = drill
    drill = None
    highlight: tuple[set, set] | None = None
    table = regions.lookup(net.regions)  # the whole network's: colours and order stay on every map of it
    if view == "regions":
        G = net.graph
        nodes, edges, legend_colors = _region_view(G, lang, table)
        heading = title or ("地区联系图" if lang == "zh" else "Regions and their partnership ties")
    else:
        part = net
        if path is not None:
            highlight = _path_highlight(net.graph, *path)
        if around is not None:  # the network decides how to find the surroundings
            ego = net.ego(around, hops, hard_cap=hard_cap)
            if ego.number_of_nodes() > hard_cap:  # never aggregated: the nearest, best-tied nodes kept
                whole = ego.number_of_nodes()
                ego = _nearest(ego, around, hard_cap)
                notices.append(
                    f"{_name(net.nodes[around], around, lang)} 周边 {hops} 步内共有 {whole:,} 个节点，超过上限 "
                    f"{hard_cap:,}：只显示距离最近、联系最多的 {hard_cap:,} 个。用 --hops 1 或 --hard-cap 调整。"
                    if lang == "zh" else
                    f"{whole:,} nodes lie within {hops} step(s) of {_name(net.nodes[around], around, lang)}, more "
                    f"than the limit of {hard_cap:,}: the {hard_cap:,} nearest and best tied are shown. "
                    "Use --hops 1 or --hard-cap to change it.")
            part = as_network(ego)
        if part.number_of_nodes() > hard_cap:
            nodes, edges, legend_colors, note, drill = _aggregate(part, lang, hard_cap, seed, table, want_drill)
            notices.append(note)
        else:
            H = part.graph
            sources = getattr(getattr(net, "dataset", None), "sources", None)  # file and date of imported rows
            nodes, edges, legend_colors = _network(H, lang, color, size_by, highlight, seed, figures, sources,
                                                   coverage, table)
            n = _partnership_size(H)
            if size_by == "betweenness" and limits.on_engine(n) and not limits.exact_at(n):
                notices.append(
                    "介数为抽样估计（KADABRA，误差不超过 0.05 的概率为 90%，seed=0），"
                    "与 alliances centrality --projection full 相同。" if lang == "zh"
                    else "Betweenness is estimated (KADABRA: within 0.05 with probability 0.9, seed 0), "
                         "as alliances centrality --projection full estimates it."
                )
        heading = title or _default_heading(part.nodes if path is None else net.nodes, around, path, lang)
    if around is not None and view != "regions":
        for node in nodes:
            if node["id"] == around:  # the focal organisation: marked, labelled large, selected on open
                node["focus"] = True
                node["border"] = FOCUS_COLOR
                node["size"] = max(node["size"], 40)
    _label_sizes(nodes)
    precomputed = len(nodes) > max_nodes or not physics
    if len(nodes) > max_nodes:
        pos = _positions(nodes, edges, seed)
        for node in nodes:
            node["x"], node["y"] = pos[node["id"]]
        notices.append(
            f"共 {len(nodes):,} 个节点，超过 {max_nodes:,}：位置已预先计算，物理模拟关闭。"
            "用 --around 名称 --hops N 查看局部，或用左侧筛选隐藏部分节点。"
            if lang == "zh" else
            f"{len(nodes):,} nodes, more than {max_nodes:,}: positions were precomputed and physics "
            "is off. Use --around NAME --hops N for a local map, or the filters to hide nodes."
        )
    elif not physics:
        # drawn as laid out here: the page skips vis-network's stabilisation (and its own
        # Kamada-Kawai pass), which is most of the time a small map takes to open
        pos = _compact_positions(nodes, edges) if len(nodes) <= limits.map_preseed else _positions(nodes, edges, seed)
        for node in nodes:
            node["x"], node["y"] = pos[node["id"]]
    elif len(nodes) > limits.map_preseed:
        # a precomputed start lets the browser's physics only refine (few iterations)
        pos = _positions(nodes, edges, seed)
        for node in nodes:
            node["x"], node["y"] = pos[node["id"]]
    caption = (
        f"{t['data']}: {safe_source(source) or '-'} · {t['generated']} "
        f"{generated or datetime.date.today().isoformat()} · {len(nodes):,} {t['nodes']}, "
        f"{len(edges):,} {t['edges']}"
    )
    return {
        "meta": {
            "title": heading,
            "caption": caption,
            "lang": lang,
            "notices": notices,
            "physics": not precomputed,
            "large": len(nodes) > max_nodes,
            "font": FONT_STACK,
            "text": {k: t[k] for k in ("search", "regions", "labels", "kinds", "type", "path_title", "path_from",
                                       "path_to", "path_go", "path_none", "path_hops", "path_unknown", "back",
                                       "overview", "part", "ties", "members", "region", "kind", "in_group")}
            | {"edges": t["type"], "colors": t["community"] if color == "community" and view != "regions"
               else t["coverage"] if color == "coverage" and view != "regions" else t["regions"]},
        },
        "nodes": nodes,
        "edges": edges,
        "drill": drill,
        "legend": _legend(nodes, edges, legend_colors, lang, highlight is not None),
        "filters": _filters(nodes, lang, table),
        "options": vis_options(physics=not precomputed, large=len(nodes) > max_nodes, n=len(nodes), edges=len(edges)),
    }


def safe_source(text: str) -> str:
    """The data source without credentials (``neo4j://user:pw@host`` → ``neo4j://host``)."""
    return re.sub(r"(\b[a-z][a-z0-9+.\-]*://)[^/@\s]*@", r"\1", text or "", flags=re.I)


def _default_heading(nodes, around, path, lang) -> str:
    def name(nid):
        return _name(nodes[nid], nid, lang)

    if path:
        return (f"{name(path[0])} → {name(path[1])}：伙伴路径" if lang == "zh"
                else f"{name(path[0])} → {name(path[1])}: partnership path")
    if around:
        return f"{name(around)} 周边网络" if lang == "zh" else f"Network around {name(around)}"
    return "党建联盟网络图" if lang == "zh" else "Party-building alliance network"


def _name(d: dict, nid: str, lang: str) -> str:
    if lang == "en" and d.get("name_en"):
        return d["name_en"]
    return d.get("name") or nid


def _nearest(G, centre, cap: int):
    """The subgraph of the ``cap`` nodes nearest ``centre`` in partnership steps (either
    way), ties broken by more ties first, then id: the focus and its closest partners
    stay; places reached only by geography come last."""
    from collections import deque

    dist = {centre: 0}
    queue = deque([centre])
    while queue:
        x = queue.popleft()
        steps = [(y, k) for _, y, k in G.out_edges(x, keys=True)] + [(y, k) for y, _, k in G.in_edges(x, keys=True)]
        for y, k in steps:
            if y not in dist and model.is_partnership(k):
                dist[y] = dist[x] + 1
                queue.append(y)
    far = len(G) + 1
    keep = sorted(G, key=lambda n: (dist.get(n, far), -G.degree(n), str(n)))[:cap]
    return G.subgraph(keep).copy()


def _label_sizes(nodes) -> None:
    """Label font sizes by importance (node size), so that at low zoom vis-network's
    ``drawThreshold`` hides the small labels first and the big ones do not overprint."""
    if not nodes:
        return
    top = max(n["size"] for n in nodes) or 1
    for n in nodes:
        n["font"] = 22 if n.get("focus") else round(9 + 9 * (n["size"] / top), 1)


def _path_highlight(G, a, b) -> tuple[set, set]:
    from alliances.paths import find_paths

    paths = find_paths(G, a, b)
    if not paths:
        raise RenderError(
            f"no partnership path between {a} and {b}. Fix: check the names with 'alliances path', "
            "or draw the map without --path."
        )
    p = paths[0]
    steps = {(r["start"], r["end"], r["type"]) for r in p["relationships"]}
    return set(p["nodes"]), steps


def _partnership_size(H) -> int:
    return sum(1 for _, d in H.nodes(data=True) if d.get("label") not in model.GEOGRAPHIC_LABELS)


def _sizes(H: nx.MultiDiGraph, size_by: str, seed: int) -> dict:
    """Node score by the chosen centrality on the partnership graph, scaled 0..1.

    The scores are those of ``alliances centrality --projection full`` (one
    function, one choice of backend), so a map sized by a measure agrees
    with the table.
    """
    from alliances.analysis.centrality import centrality_scores
    from alliances.graph import projection

    P = projection(H, "full")
    scores = {v: s[size_by] for v, s in centrality_scores(P, seed=seed, metrics=(size_by,)).items()}
    top = max(scores.values(), default=0.0) or 1.0
    return {v: abs(s) / top for v, s in scores.items()}


def _communities(H: nx.MultiDiGraph, seed: int) -> dict:
    from alliances.analysis.communities import partition
    from alliances.graph import partnership_graph

    P = partnership_graph(H)
    comms = partition(P, seed=seed) if P.number_of_nodes() else []
    comms = sorted(comms, key=lambda c: (-len(c), min(c)))
    return {v: i for i, c in enumerate(comms) for v in c}


def _tip_provenance(d: dict, t: dict, sources=None) -> list:
    src = d.get("source", "")
    paras = d.get("paragraphs") or []
    if not src:
        return []
    if d.get("source_row"):  # a row of an imported file: file, sheet, row, import date
        from alliances.dataset import provenance_text

        return [[t["source"], provenance_text(d, sources or {})]]
    title = ((sources or {}).get(src) or {}).get("title") or src  # a source by its title, not its code
    return [[t["source"], f"{title} ¶{';'.join(str(p) for p in paras)}" if paras else title]]


def _node_tip(nid: str, d: dict, G, lang: str, sources=None, table: dict | None = None) -> list:
    t = TEXT[lang]
    label = model.LABELS.get(d.get("label", ""))
    rows = [["", _name(d, nid, lang)]]
    other = d.get("name_en") if lang == "zh" else d.get("name")
    if other and other != rows[0][1]:
        rows.append(["", other])
    if label:
        rows.append([t["kind"], label.zh if lang == "zh" else label.en])
    kind = model.KINDS.get(d.get("kind", ""))
    if kind:
        rows.append([t["org_kind"], kind.zh if lang == "zh" else kind.en])
    group = regions.info(table if table is not None else regions.lookup(regions.table_of(G)),
                         d.get("region_group", regions.NO_REGION))
    region = d.get("region", "")
    region_name = _name(G.nodes[region], region, lang) if region in G else ""
    if region_name == group[lang]:
        region_name = ""
    rows.append([t["region"], " · ".join(x for x in (group[lang], region_name) if x)])
    if d.get("date"):
        rows.append([t["date"], d.get("date_note") or d["date"]])
    if d.get("description") and (lang == "en") == (not _has_cjk(d["description"])):
        rows.append(["", d["description"]])  # descriptions are in one language: shown on that map only
    for key, fig in (d.get("_figures") or {}).items():
        rows.append([key, fig] if not isinstance(fig, dict) else _figure_row(fig, lang))
    rows += _tip_provenance(d, t, sources)
    return rows


def _has_cjk(text: str) -> bool:
    """Whether a text is mostly Chinese (more CJK characters than Latin letters)."""
    text = str(text)
    cjk = sum(1 for ch in text if "\u3400" <= ch <= "\u9fff")
    latin = sum(1 for ch in text if ch.isascii() and ch.isalpha())
    return cjk > latin


def _edge_tip(rel: dict, lang: str, sources=None, ends=None) -> list:
    t = TEXT[lang]
    rt = model.REL_TYPES[rel["type"]]
    rows = [["", f"{ends[0]} → {ends[1]}"]] if ends else []
    rows.append([t["type"], rt.zh if lang == "zh" else rt.en])
    for key, word in (("role", model.role_text), ("status", model.status_text)):
        if rel.get(key):
            rows.append([t[key], word(rel[key], lang)])
    if rel.get("date") or rel.get("date_note"):
        rows.append([t["date"], " ".join(x for x in (rel.get("date"), rel.get("date_note")) if x)])
    return rows + _tip_provenance(rel, t, sources)


QUALIFIER_WORDS = {"zh": {"more_than": "{}余", "about": "约{}", "nearly": "近{}"},
                   "en": {"more_than": "more than {}", "about": "about {}", "nearly": "nearly {}"}}


def _figure_row(fig: dict, lang: str) -> list:
    label = (fig.get("label_zh") if lang == "zh" else fig.get("label_en")) or fig["key"]
    value = QUALIFIER_WORDS[lang].get(fig.get("qualifier", ""), "{}").format(f"{fig['value']:,}")
    unit = fig.get("unit", "")
    unit = {"percent": "%"}.get(unit, f" {unit}" if unit and lang == "en" else "")
    para = ";".join(str(p) for p in fig.get("paragraphs") or [])
    src = f" ({fig.get('source', '')} ¶{para})" if fig.get("source") else ""
    return [label, f"{value}{unit}{src}"]


def _figures(G, figures=None) -> dict:
    """Per node: the dataset's figure rows when given, else the numeric attributes that
    build_graph folded in (keys not in the model)."""
    if figures is not None:
        out: dict = {}
        for fig in figures:
            out.setdefault(fig["node"], {})[fig["key"]] = fig
        return out
    known = {p.name for p in model.NODE_PROPS} | {"region_group", "synthetic"}
    out = {}
    for nid, d in G.nodes(data=True):
        figs = {k: v for k, v in d.items() if k not in known and isinstance(v, (int, float))}
        if figs:
            out[nid] = figs
    return out


def _network(H, lang, color, size_by, highlight, seed, figures=None, sources=None, coverage=None, table=None):
    table = table if table is not None else regions.lookup(regions.table_of(H))
    sizes = _sizes(H, size_by, seed)
    from alliances.graph import partnership_graph

    groups_of = {n: d.get("region_group", regions.NO_REGION) for n, d in H.nodes(data=True)}
    members = regions.member_groups(partnership_graph(H), groups_of)
    comm = _communities(H, seed) if color == "community" else {}
    figs = _figures(H, figures)
    path_nodes, path_steps = highlight or (set(), set())
    nodes = []
    for nid, d in H.nodes(data=True):
        label = model.LABELS.get(d.get("label", ""), model.LABELS["Organization"])
        group = groups_of[nid]
        if color == "community":
            c = comm.get(nid)
            col = COMMUNITY_COLORS[c % len(COMMUNITY_COLORS)] if c is not None else "#7f7f7f"
        elif color == "coverage":
            col = COVERAGE_COLORS[coverage.get(nid, "other")]
        else:
            col = regions.info(table, group)["color"]
        dim = bool(highlight) and nid not in path_nodes
        tip = _node_tip(nid, {**d, "_figures": figs.get(nid)}, H, lang, sources, table)
        if members.get(nid):
            tip.append([TEXT[lang]["member_regions"], "、".join(regions.info(table, g)[lang] for g in members[nid])])
        node = {
            "id": nid,
            "label": _name(d, nid, lang),
            "shape": label.shape,
            "color": DIM_COLOR if dim else col,
            "size": round(10 + 30 * sizes.get(nid, 0.0), 2),
            "group": group,
            # the regions the filters show it under: its own, else its members' (an alliance)
            "groups": members.get(nid) or [group],
            "type": label.name,
            "kind": d.get("kind", ""),
            "tip": tip,
            "names": [x for x in (d.get("name"), d.get("name_en"), *d.get("aliases", [])) if x],
            # pinyin and initials, so the search box finds 盐市口 by yanshikou or ysk offline
            "py": _pinyin_keys(d.get("name"), *d.get("aliases", [])),
        }
        if highlight and nid in path_nodes:
            node["border"] = PATH_COLOR
        if dim:
            node["dim"] = True
        nodes.append(node)
    edges = []
    for i, (u, v, k, d) in enumerate(H.edges(keys=True, data=True)):
        edges.append(_edge(i, u, v, {**d, "type": k}, lang, highlight, path_steps, sources,
                           ends=(_name(H.nodes[u], u, lang), _name(H.nodes[v], v, lang))))
    legend = (
        [{"name": f"{TEXT[lang]['community']} {c + 1}", "color": COMMUNITY_COLORS[c % len(COMMUNITY_COLORS)]}
         for c in sorted(set(comm.values()))[:12]]
        if color == "community" else
        [{"name": COVERAGE_NAMES[k][lang], "color": COVERAGE_COLORS[k]} for k in COVERAGE_COLORS]
        if color == "coverage" else _region_legend(table, {n["group"] for n in nodes}, lang)
    )
    return nodes, edges, legend


def _pinyin_keys(*names) -> list[str]:
    from alliances.pinyin import keys

    return list(dict.fromkeys(k for name in names if name for k in keys(name)))


def _edge(i, u, v, rel, lang, highlight=None, path_steps=(), sources=None, ends=None):
    rt = model.REL_TYPES.get(rel["type"])
    cat = rt.category if rt else model.PARTNERSHIP
    col = {model.GEOGRAPHY: GEO_EDGE_COLOR, model.RECOGNITION: RECOGNITION_EDGE_COLOR,
           model.WORK: WORK_EDGE_COLOR}.get(cat, PARTNER_EDGE_COLOR)
    edge = {
        "id": f"e{i}",
        "from": u,
        "to": v,
        "dashes": bool(rt and rt.dashes),
        "color": col,
        "width": 1 if cat == model.GEOGRAPHY else 2,
        "cat": cat,
        "tip": _edge_tip(rel, lang, sources, ends) if rt else [],
        "order": _REL_INDEX.get(rel["type"], 99),
        "word": (rt.zh if lang == "zh" else rt.en) if rt else rel["type"],
    }
    if highlight:
        on = (u, v, rel["type"]) in path_steps or (v, u, rel["type"]) in path_steps
        edge["color"] = PATH_COLOR if on else DIM_COLOR
        edge["width"] = 5 if on else 1
    return edge


def _region_legend(table: dict, keys, lang) -> list[dict]:
    """One swatch per region group coloured on the map, in the network's order, named from the data."""
    return [{"key": k, "name": regions.info(table, k)[lang], "color": regions.info(table, k)["color"]}
            for k in regions.order(list(table.values()), keys)]


# --color coverage: enterprises and social organisations by their coverage (alliances.analysis.coverage)
COVERAGE_COLORS = {"organisation": "#2ca02c", "work": "#ff7f0e", "uncovered": "#d62728", "other": "#c7c7c7"}
COVERAGE_NAMES = {
    "organisation": {"zh": "有党组织", "en": "has a Party organisation"},
    "work": {"zh": "党的工作覆盖", "en": "reached by Party work"},
    "uncovered": {"zh": "未覆盖", "en": "uncovered"},
    "other": {"zh": "其他节点", "en": "other nodes"},
}


def _place_of(G) -> dict:
    """Each non-place node's place: the zone it is located in, else its region; ``None`` for none."""
    places = {n for n, d in G.nodes(data=True) if d.get("label") in model.GEOGRAPHIC_LABELS}
    out = {}
    for n, d in G.nodes(data=True):
        if n in places:
            continue
        zone = next((b for _, b, k in G.out_edges(n, keys=True)
                     if k == "LOCATED_IN" and G.nodes[b].get("label") == "Zone"), None)
        region = d.get("region") if d.get("region") in places else None
        region = region or next((b for _, b, k in G.out_edges(n, keys=True)
                                 if k in ("LOCATED_IN", "HELD_IN") and b in places), None)
        out[n] = zone or region
    return out


def _region_view(G, lang, table=None):
    """Regions and zones as nodes; edge weight = partnership ties between what is in them.

    An alliance, agreement or activity placed nowhere belongs to the places of
    its members (:func:`alliances.regions.member_groups`): each such node
    shared by two places is one tie between them, so ties between cities are
    drawn between the cities. Only what has no placed partner at all is shown
    as a node of its own ("no place given").
    """
    from alliances.graph import partnership_graph

    t = TEXT[lang]
    table = table if table is not None else regions.lookup(regions.table_of(G))
    P = partnership_graph(G)
    place = _place_of(G)
    unplaced = regions.NO_REGION
    keyed = {n: (p if p is not None else unplaced) for n, p in place.items()}
    shared = regions.member_groups(P, keyed)
    nowhere = "no-place"
    members: dict[str, int] = {}
    for n, p in place.items():
        if p is None and shared.get(n):
            continue  # counted with the places of its members
        p = p if p is not None else nowhere
        members[p] = members.get(p, 0) + 1
    ties: dict[tuple, int] = {}
    inside: dict[str, int] = {}
    for u, v, d in P.edges(data=True):
        pu, pv = place.get(u), place.get(v)
        if pu is None or pv is None:
            continue
        if pu == pv:
            inside[pu] = inside.get(pu, 0) + len(d["rels"])
        else:
            key = tuple(sorted((pu, pv)))
            ties[key] = ties.get(key, 0) + len(d["rels"])
    for n, ps in shared.items():
        if len(ps) == 1:
            inside[ps[0]] = inside.get(ps[0], 0) + 1
        for i, a in enumerate(ps):
            for b in ps[i + 1:]:
                ties[(a, b)] = ties.get((a, b), 0) + 1
    ids = [n for n, d in G.nodes(data=True) if d.get("label") in model.GEOGRAPHIC_LABELS]
    if members.get(nowhere):
        ids.append(nowhere)
    top = max(members.values(), default=1)
    nodes = []
    for nid in ids:
        d = G.nodes[nid] if nid in G else {"label": "Region", "region_group": unplaced,
                                           "name": "未标地区", "name_en": "No place given"}
        group = d.get("region_group", unplaced)
        tip = _node_tip(nid, d, G, lang, table=table) if nid in G else [["", _name(d, nid, lang)]]
        tip += [[t["members"], str(members.get(nid, 0))], [t["inside"], str(inside.get(nid, 0))]]
        nodes.append({
            "id": nid, "label": f"{_name(d, nid, lang)} ({members.get(nid, 0)})",
            "shape": model.LABELS[d.get("label", "Region")].shape,
            "color": regions.info(table, group)["color"],
            "size": round(12 + 30 * members.get(nid, 0) / top, 2), "group": group, "groups": [group],
            "type": d.get("label", "Region"), "kind": "", "tip": tip,
            "names": [x for x in (d.get("name"), d.get("name_en")) if x], "py": _pinyin_keys(d.get("name")),
        })
    edges = []
    for i, ((a, b), w) in enumerate(sorted(ties.items())):
        edges.append({"id": f"t{i}", "from": a, "to": b, "dashes": False, "color": PARTNER_EDGE_COLOR,
                      "width": round(1 + 2 * w ** 0.5, 2), "cat": model.PARTNERSHIP, "label": str(w), "undirected": True,
                      "tip": [[t["ties"], str(w)]]})
    for u, v, k, d in G.edges(keys=True, data=True):
        if k == "PART_OF":
            edges.append(_edge(f"g{len(edges)}", u, v, {**d, "type": k}, lang,
                               ends=(_name(G.nodes[u], u, lang), _name(G.nodes[v], v, lang))))
    return nodes, edges, _region_legend(table, {n["group"] for n in nodes}, lang)


def _aggregate(net, lang, hard_cap, seed, table=None, drill=True):
    """Communities of the partnership graph as nodes, ties between them as weighted edges.

    Works on the network's int32 arrays (without building its graph when it
    is not built): the communities are those of ``alliances communities
    --projection full`` with the same seed; hubs are the members with most
    partnership ties.
    """
    import numpy as np

    from alliances import engine
    from alliances.analysis.communities import partition_arrays

    t = TEXT[lang]
    A, attrs, rg_of = net.arrays, net.nodes, net.region_groups
    table = table if table is not None else regions.lookup(net.regions)
    n = len(A.ids)
    region_keys = regions.order(list(table.values()), set(table) | set(rg_of.values()))
    rg_code = {k: i for i, k in enumerate(region_keys)}
    rg = np.fromiter((rg_code[rg_of[i]] for i in A.ids), dtype=np.int64, count=n)
    rank = engine.id_rank(A.ids)

    P, where = engine.partnership_arrays(A)
    degree = np.zeros(n, dtype=np.int64)
    degree[where] = np.bincount(P.u, minlength=P.n) + np.bincount(P.v, minlength=P.n)
    # communities numbered by size, then by their smallest id (as `alliances communities`)
    label = partition_arrays(P, seed=seed) if P.n else np.zeros(0, dtype=np.int64)
    _, label = np.unique(label, return_inverse=True)
    k = int(label.max()) + 1 if P.n else 0
    size = np.bincount(label, minlength=k)
    first = np.full(k, n, dtype=np.int64)
    np.minimum.at(first, label, rank[where])
    number = np.empty(k, dtype=np.int64)
    number[np.lexsort((first, -size))] = np.arange(k)

    # one code per group: community c, isolated by region, the rest, places
    big = max(hard_cap - 10, 0)
    iso, rest, places = big, big + len(region_keys), big + len(region_keys) + 1
    code = np.full(n, places, dtype=np.int64)
    c = number[label]
    code[where] = np.where(size[label] == 1, iso + rg[where], np.where(c < big, c, rest))

    def key(g):
        if g < big:
            return f"c{g}"
        if g < rest:
            return f"isolated-{region_keys[g - iso]}"
        return "rest" if g == rest else "places"

    counts = np.bincount(code, minlength=places + 1)
    by_region = np.bincount(code * len(region_keys) + rg, minlength=(places + 1) * len(region_keys))
    by_region = by_region.reshape(places + 1, len(region_keys))
    hub_order = np.lexsort((rank, -degree, code))
    sorted_codes = code[hub_order]
    starts = np.searchsorted(sorted_codes, np.arange(places + 1))
    present = [g for g in range(places + 1) if counts[g]]
    top = max(counts[g] for g in present)
    nodes = []
    for g in sorted(present, key=lambda g: (-counts[g], key(g))):
        groups = {region_keys[i]: int(v) for i, v in enumerate(by_region[g]) if v}
        major = max(groups, key=lambda r: (groups[r], r))
        hubs = [A.ids[i] for i in hub_order[starts[g]:starts[g] + min(3, counts[g])]]
        hub_names = "、".join(_name(attrs[m], m, lang) for m in hubs)
        if g < big:
            name = f"{t['community']} {g + 1}: {_name(attrs[hubs[0]], hubs[0], lang)} …"
        elif g < rest:
            name = f"{t['isolated']} · {regions.info(table, major)[lang]}"
        else:
            name = t["places"] if g == places else t["rest"]
        nodes.append({
            "id": key(g), "label": f"{name} ({counts[g]:,})", "shape": "dot",
            "color": regions.info(table, major)["color"],
            "size": round(10 + 40 * (counts[g] / top) ** 0.5, 2), "group": major,
            "groups": sorted(groups), "type": "Group",
            "kind": "", "names": [name],
            "tip": [["", name], [t["members"], f"{counts[g]:,}"], ["", hub_names],
                    [t["region"], ", ".join(f"{regions.info(table, r)[lang]} {v}"
                                            for r, v in sorted(groups.items()))]],
        })
    a, b = code[A.src], code[A.dst]
    cross = a != b
    pairs, weights = np.unique(np.minimum(a[cross], b[cross]) * (places + 1) + np.maximum(a[cross], b[cross]),
                               return_counts=True)
    ties = sorted((tuple(sorted((key(int(p) // (places + 1)), key(int(p) % (places + 1))))), int(w))
                  for p, w in zip(pairs, weights))
    edges = [{"id": f"a{i}", "from": x, "to": y, "dashes": False, "color": PARTNER_EDGE_COLOR,
              "width": round(min(12, 1 + w ** 0.5), 2), "cat": model.PARTNERSHIP, "undirected": True,
              "tip": [[t["ties"], f"{w:,}"]]}
             for i, ((x, y), w) in enumerate(ties)]
    click = ("点击一个社区即可在页面中展开其成员（有“返回全图”），搜索框也能找到社区中的组织。另可："
             if lang == "zh" else "Click a community to open its members in the page (with a way back); the "
             "search box finds organisations inside communities. Also: ") if drill else (
        "查看细节：" if lang == "zh" else "To drill down use ")
    note = (
        f"本图有 {n:,} 个节点，超过上限 {hard_cap:,}，已按伙伴关系社区（Louvain，seed={seed}，"
        f"同 alliances communities --projection full）聚合为 "
        f"{len(nodes):,} 个群组；每个圆点是一个社区，大小表示节点数，连线粗细表示社区之间的关系数。"
        f"{click}用 --around 名称 --hops N 画某个组织周边，用 --data 选取较小的数据，"
        "或提高 --max-nodes / --hard-cap（大图可能很慢）。"
        if lang == "zh" else
        f"This map has {n:,} nodes, more than the limit of {hard_cap:,}, so it was aggregated into "
        f"{len(nodes):,} groups by partnership community (Louvain, seed {seed}, as alliances communities "
        "--projection full): each dot is a community "
        f"sized by its number of nodes; edge width counts the ties between communities. {click}"
        "--around NAME --hops N, a smaller --data folder, or raise --max-nodes / --hard-cap "
        "(large maps can be slow)."
    )
    drill = _drill(A, attrs, code, [key(g) for g in range(places + 1)], {x["id"]: x for x in nodes}, degree,
                   rank, rg, region_keys, table, lang, seed) if drill else None
    return nodes, edges, _region_legend(table, {x["group"] for x in nodes}, lang), note, drill


def _front_code(words: list[str]) -> list:
    """``[shared, rest, shared, rest, ...]``: each word as the length (UTF-16 units, as a page's
    strings count) it shares with the word before and the rest; sorted names shrink a lot."""
    out: list = []
    prev = ""
    for w in words:
        k = 0
        for a, b in zip(prev, w):
            if a != b:
                break
            k += 1
        out += [len(w[:k].encode("utf-16-le")) // 2, w[k:]]
        prev = w
    return out


def _drill(A, attrs, code, keys, overview, degree, rank, rg, region_keys, table, lang, seed) -> dict:
    """The members of every group of an aggregated map, compact enough to ship in the page.

    Each overview group opens (in the page) onto its members, laid out here, with the ties among
    them; a group of more than ``Thresholds.map_drill`` opens onto its own sub-communities
    (Louvain on its part of the partnership graph, same seed), or onto parts of that size when
    it does not split. Per group: member ids and names front-coded in name order, region, type
    and degree codes, integer positions, and each member's ties to later members as index gaps.
    Returns ``{"groups": {...}, "regions": [...], "colors": [...], "types": [...], "py": {...}}``.
    """
    import numpy as np

    from alliances import engine, pinyin
    from alliances.analysis.communities import partition_arrays
    from alliances.network import thresholds
    from alliances.render.layout import force_layout_arrays, spread_discs

    cap = max(thresholds().map_drill, 2)
    t = TEXT[lang]
    n = len(A.ids)
    names = [_name(attrs[i], i, lang) for i in A.ids]
    label_names = list(model.LABELS)
    # every tie once (either direction, any type), for the members' ties inside a group
    lo, hi = np.minimum(A.src, A.dst).astype(np.int64), np.maximum(A.src, A.dst).astype(np.int64)
    keep = (lo != hi) & (code[lo] == code[hi])
    pairs = engine.distinct(lo[keep] * n + hi[keep])
    pu, pv = pairs // n, pairs % n
    pair_code = code[pu]
    by_code = np.argsort(pair_code, kind="stable")
    pair_starts = np.searchsorted(pair_code[by_code], np.arange(len(keys) + 1))
    member_order = np.argsort(code, kind="stable")
    member_starts = np.searchsorted(code[member_order], np.arange(len(keys) + 1))
    local = np.full(n, -1, dtype=np.int64)
    groups: dict[str, dict] = {}
    chars: set[str] = set()

    def ties_within(members, eu, ev):
        local[members] = np.arange(len(members))
        a, b = local[eu], local[ev]
        inside = (a >= 0) & (b >= 0)
        a, b = a[inside], b[inside]
        local[members] = -1
        return np.minimum(a, b), np.maximum(a, b)

    def leaf(gid, members, eu, ev):
        order = sorted(range(len(members)), key=lambda i: (names[members[i]], str(A.ids[members[i]])))
        members = members[order]
        a, b = ties_within(members, eu, ev)
        pos = force_layout_arrays(len(members), np.stack([a, b], axis=1), iterations=30, sample=64, seed=seed)
        gaps: list[int] = []  # per member: its number of later neighbours, then the gaps between them
        if len(a):
            o = np.lexsort((b, a))
            a, b = a[o], b[o]
        starts = np.searchsorted(a, np.arange(len(members) + 1))
        for i in range(len(members)):
            nb = b[starts[i]:starts[i + 1]]
            gaps.append(len(nb))
            if len(nb):
                gaps += np.diff(np.concatenate(([i], nb))).tolist()
        member_names = [names[m] for m in members]
        for nm in member_names:
            chars.update(nm)
        groups[gid].update({
            "ids": _front_code([str(A.ids[m]) for m in members]), "names": _front_code(member_names),
            "rg": rg[members].tolist(), "ty": A.labels[members].astype(np.int64).tolist(),
            "dg": degree[members].tolist(), "xy": np.rint(pos).astype(np.int64).ravel().tolist(), "adj": gaps,
        })

    def split(gid, members, eu, ev, depth):
        groups[gid]["n"] = len(members)
        groups[gid]["rg0"] = int(np.bincount(rg[members]).argmax())  # the region most members are in
        if len(members) <= cap or depth > 6:
            return leaf(gid, members, eu, ev)
        a, b = ties_within(members, eu, ev)
        parts = None
        if len(a) and len(members) > 1:
            P = engine.Projection([A.ids[m] for m in members], a.astype(np.int32), b.astype(np.int32),
                                  np.ones(len(a)))
            found = partition_arrays(P, seed=seed)
            _, found = np.unique(found, return_inverse=True)
            if found.max() > 0:
                parts = found
        if parts is None:  # no split to be found: parts of `cap` in name order
            order = sorted(range(len(members)), key=lambda i: (names[members[i]], str(A.ids[members[i]])))
            parts = np.empty(len(members), dtype=np.int64)
            parts[order] = np.arange(len(members)) // cap
        k = int(parts.max()) + 1
        size = np.bincount(parts, minlength=k)
        first = np.full(k, n, dtype=np.int64)
        np.minimum.at(first, parts, rank[members])
        number = np.empty(k, dtype=np.int64)
        number[np.lexsort((first, -size))] = np.arange(k)
        parts = number[parts]
        if k > 60:  # the smallest parts together, so the level stays readable
            parts = np.minimum(parts, 59)
            k = 60
        kids, kid_nodes = [], []
        for c in range(k):
            sub = members[parts == c]
            kid = f"{gid}.{c + 1}"
            hub = sub[np.lexsort((rank[sub], -degree[sub]))[0]]
            groups[kid] = {"name": f"{t['part']} {c + 1}: {names[hub]} …", "parent": gid}
            kids.append(kid)
            kid_nodes.append(sub)
        cu, cv = parts[a], parts[b]
        cross = cu != cv
        cp, cw = np.unique(np.minimum(cu[cross], cv[cross]) * k + np.maximum(cu[cross], cv[cross]),
                           return_counts=True)
        pos = force_layout_arrays(k, np.stack([cp // k, cp % k], axis=1), seed=seed, scale=600.0)
        # the page draws a part with radius 10 + 40 sqrt(size / largest): keep them (and a label's
        # room) apart, so parts do not cover each other
        kid_size = np.bincount(parts, minlength=k)
        pos = spread_discs(pos, 10 + 40 * np.sqrt(kid_size / kid_size.max()) + 45)
        groups[gid].update({"kids": kids, "xy": np.rint(pos).astype(np.int64).ravel().tolist(),
                            "ties": np.stack([cp // k, cp % k, cw], axis=1).ravel().tolist()})
        for kid, sub in zip(kids, kid_nodes):
            split(kid, sub, eu, ev, depth + 1)

    for g, gid in enumerate(keys):
        if gid not in overview:
            continue
        members = member_order[member_starts[g]:member_starts[g + 1]]
        ours = by_code[pair_starts[g]:pair_starts[g + 1]]
        groups[gid] = {"name": overview[gid]["label"], "parent": None}
        split(gid, members, pu[ours], pv[ours], 0)
    return {
        "groups": groups,
        "regions": list(region_keys),
        "colors": [regions.info(table, r)["color"] for r in region_keys],
        "region_names": [regions.info(table, r)[lang] for r in region_keys],
        "types": [model.LABELS[x].zh if lang == "zh" else model.LABELS[x].en for x in label_names],
        "type_keys": label_names,
        "shapes": [model.LABELS[x].shape for x in label_names],
        # each character's readings, for the page's pinyin search (the rule of alliances.pinyin.matches)
        "py": {ch: ",".join(pinyin.readings(ch)) for ch in sorted(chars) if pinyin.has_hanzi(ch)},
    }


def _positions(nodes, edges, seed):
    from alliances.render.layout import sampled_force_layout

    L = nx.Graph()
    L.add_nodes_from(n["id"] for n in nodes)
    L.add_edges_from((e["from"], e["to"]) for e in edges)
    return sampled_force_layout(L, seed=seed)


#: shapes vis-network draws with the label inside, sized to it (the page's LABEL_INSIDE)
_LABEL_INSIDE = frozenset({"box", "database", "ellipse", "circle", "text"})


def _compact_positions(nodes, edges):
    """:func:`~alliances.render.layout.compact_layout` with each node's disc: its drawn size,
    or half its label's width for a shape drawn around the label, and room for the label
    under a dot (labels wrap at 140 px; the page hides the ones that still meet)."""
    from alliances.render.layout import compact_layout

    L = nx.Graph()
    L.add_nodes_from(n["id"] for n in nodes)
    L.add_edges_from((e["from"], e["to"]) for e in edges)
    radius = {}
    for n in nodes:
        if n["shape"] in _LABEL_INSIDE:
            radius[n["id"]] = min(80.0, 6.0 * len(n["label"])) + 8
        else:
            radius[n["id"]] = float(n["size"]) + 22
    return compact_layout(L, radius=radius)


def _legend(nodes, edges, colors, lang, path):
    t = TEXT[lang]
    types = sorted({n["type"] for n in nodes}, key=lambda x: list(model.LABELS).index(x)
                   if x in model.LABELS else 99)
    shapes = [{"name": (model.LABELS[x].zh if lang == "zh" else model.LABELS[x].en), "shape": model.LABELS[x].shape}
              for x in types if x in model.LABELS]
    cats = {e.get("cat") for e in edges}
    lines = []
    if model.PARTNERSHIP in cats:
        lines.append({"name": t["partnership"], "color": PARTNER_EDGE_COLOR, "dashes": False})
    if model.GEOGRAPHY in cats:
        lines.append({"name": t["geography"], "color": GEO_EDGE_COLOR, "dashes": True})
    if model.RECOGNITION in cats:
        lines.append({"name": t["recognition"], "color": RECOGNITION_EDGE_COLOR, "dashes": False})
    if model.WORK in cats:
        lines.append({"name": t["work"], "color": WORK_EDGE_COLOR, "dashes": False})
    if path:
        lines.append({"name": t["path"], "color": PATH_COLOR, "dashes": False})
    return {"colors": colors, "shapes": shapes, "lines": lines}


def _filters(nodes, lang, table):
    groups = regions.order(list(table.values()), {g for n in nodes for g in n.get("groups", [n["group"]])})
    types = sorted({n["type"] for n in nodes})
    kinds = sorted({n["kind"] for n in nodes if n["kind"]})

    def word(table, key):
        item = table.get(key)
        return (item.zh if lang == "zh" else item.en) if item else key

    return {
        "group": [{"key": g, "name": regions.info(table, g)[lang]} for g in groups],
        "type": [{"key": x, "name": word(model.LABELS, x)} for x in types],
        "kind": [{"key": k, "name": word(model.KINDS, k)} for k in kinds],
    }


def vis_options(*, physics: bool, large: bool, n: int, edges: int = 0) -> dict:
    """vis-network options, taken from pyvis's defaults and adjusted for the map size."""
    from pyvis.network import Network

    from alliances.network import thresholds

    limits = thresholds()
    net = Network(directed=True)
    net.toggle_physics(physics)
    options = json.loads(net.options.to_json())
    options["physics"].update({
        "enabled": physics,
        "solver": "barnesHut" if n > 200 else "forceAtlas2Based",
        "stabilization": {"enabled": physics, "iterations": 400 if n <= limits.map_preseed else 100,
                          "updateInterval": 25, "fit": True},
    })
    options["physics"]["forceAtlas2Based"] = {"avoidOverlap": 0.6, "springLength": 120}
    options["physics"]["barnesHut"] = {"avoidOverlap": 0.2}
    # dynamic smoothing adds a physics body per edge: only for small maps
    if large or n > limits.map_smooth_nodes or edges > limits.map_smooth_edges:
        options["edges"]["smooth"] = {"enabled": False}
    elif edges > 150:
        options["edges"]["smooth"] = {"enabled": True, "type": "continuous"}
    else:
        options["edges"]["smooth"] = {"enabled": True, "type": "dynamic"}
    options["edges"]["color"] = {"inherit": False}
    options["edges"]["arrows"] = {"to": {"enabled": True, "scaleFactor": 0.5}}
    options["interaction"].update({"hover": True, "tooltipDelay": 150, "hideEdgesOnDrag": large,
                                   "hideEdgesOnZoom": large})
    options["nodes"] = {"font": {"face": FONT_STACK, "size": 14}, "borderWidth": 1,
                        # labels drawn smaller than this are hidden: on a crowded map only the
                        # larger (more important) labels show until the user zooms in
                        "scaling": {"label": {"drawThreshold": 6 if n <= limits.map_preseed else 10,
                                              # zoomed in, text stops growing: labels hidden for
                                              # overlapping (see the page's thinLabels) come back
                                              "maxVisible": 16}}}
    options["layout"] = {"improvedLayout": n <= 150, "randomSeed": 0}
    return options


# ---------------------------------------------------------------------------
# HTML


def script_json(obj) -> str:
    """JSON safe inside a ``<script>`` element: no ``<``, ``>``, ``&`` or line separators."""
    text = json.dumps(obj, ensure_ascii=False, separators=(",", ":"))
    for raw, esc in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"),
                     ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(raw, esc)
    return text


def _vis_assets() -> tuple[str, str]:
    import pyvis

    base = Path(pyvis.__file__).parent
    for root in (base / "templates", base):
        folder = root.joinpath(*VIS_DIR)
        js, css = folder / "vis-network.min.js", folder / "vis-network.css"
        if js.is_file() and css.is_file():
            break
    else:
        raise RenderError(f"vis-network is missing from the installed pyvis ({base}). "
                          "Fix: reinstall it with 'pip install --force-reinstall pyvis==0.3.2'.")
    js_text = js.read_bytes().decode("utf-8")
    css_text = css.read_bytes().decode("utf-8")
    # the source map is not shipped; a devtools fetch of it would be a request to another file
    js_text = re.sub(r"//# sourceMappingURL=\S+\s*$", "", js_text)
    css_text = re.sub(r"/\*# sourceMappingURL=\S+\s*\*/", "", css_text)
    if re.search(r"</script|<!--", js_text, re.I) or re.search(r"</style", css_text, re.I):
        raise RenderError(f"{js}: cannot be inlined safely (contains a closing tag).")
    return js_text, css_text


def render_html(m: dict) -> str:
    """The map model as one self-contained HTML page (UTF-8, no external requests)."""
    from jinja2 import Environment, PackageLoader, select_autoescape

    env = Environment(loader=PackageLoader("alliances.render", "templates"),
                      autoescape=select_autoescape(default=True, default_for_string=True))
    js, css = _vis_assets()
    from markupsafe import Markup

    return env.get_template("map.html").render(
        title=m["meta"]["title"],
        lang="zh-CN" if m["meta"]["lang"] == "zh" else "en",
        font=Markup(FONT_STACK),
        vis_js=Markup(js),
        vis_css=Markup(css),
        data=Markup(script_json(m)),
        path_color=PATH_COLOR,
    )


def write_map(path, m: dict) -> Path:
    """Write the page atomically as UTF-8 bytes, whatever the locale."""
    from alliances.files import atomic_write_text

    return atomic_write_text(path, render_html(m))


CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")


def find_chromium() -> str | None:
    import shutil

    for c in CHROMIUM_CANDIDATES:
        if Path(c).is_file():
            return c
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


def check_png_target(png_path) -> None:
    """Fail early, before any work, when the snapshot's folder does not exist."""
    if not Path(png_path).parent.is_dir():
        raise RenderError(f"{png_path}: folder {Path(png_path).parent} does not exist. "
                          "Fix: create it or choose another path.")


def snapshot_png(html_path, png_path, *, width: int = 1400, height: int = 900, timeout_s: float = 120) -> Path:
    """A PNG of the drawn map, through local headless Chromium (no network)."""
    from alliances.render.browser import open_page

    check_png_target(png_path)
    chromium = find_chromium()
    if chromium is None:
        raise RenderError("--png needs a local Chromium and none was found. "
                          "Fix: apt-get install chromium (or drop --png).")
    try:
        with open_page(html_path, executable=chromium, width=width, height=height) as page:
            page.wait_for_function("window.alliancesReady === true", timeout=timeout_s * 1000)
            page.screenshot(path=str(png_path))
    except ImportError as err:
        raise RenderError("--png needs the playwright package. Fix: pip install 'alliances[browser]'.") from err
    return Path(png_path)
