"""The planner's report: every analysis in one self-contained HTML or Markdown document.

:func:`build_report` gathers plain data (no markup); :func:`render_html` and
:func:`render_markdown` lay it out. Every string that comes from the data is
escaped where it is written (``markupsafe.escape`` for HTML, ``|`` and line
breaks for Markdown cells). The HTML has inline CSS only and makes no
external request.
"""

from __future__ import annotations

from collections import Counter

from markupsafe import Markup, escape

from alliances import model, regions

TEXT = {
    "zh": {
        "title": "跨地区党建联盟网络分析报告",
        "summary": "概况", "nodes_by_label": "节点（按类型）", "orgs_by_region": "组织（按地区）",
        "rels_by_type": "关系（按类型）", "label": "类型", "count": "数量", "region": "地区",
        "type": "关系",
        "map": "地区间联系", "map_note": "组织网络中各地区之间的联系数（共享联盟、协议、活动或直接关系）及其总权重。",
        "region_a": "地区甲", "region_b": "地区乙", "ties": "联系数", "weight": "权重",
        "hubs": "枢纽组织", "hubs_note": "按组织网络中的中介中心性排序；说明列出其联盟、活动、协议和跨地区伙伴。",
        "rank": "名次", "name": "名称", "degree": "度中心性", "betweenness": "中介中心性",
        "pagerank": "PageRank", "region_rank": "地区内名次", "explanation": "说明",
        "brokers": "跨地区中介", "brokers_note": "Gould–Fernandez 中介角色（每条无向联系按双向计）、Burt 约束度与有效规模。",
        "coordinator": "协调者", "itinerant": "顾问", "representative": "代表", "gatekeeper": "守门人",
        "liaison": "联络者", "constraint": "约束度", "effective_size": "有效规模",
        "no_brokers": "没有组织处在两个互不相连的伙伴之间并跨越地区：跨地区的组织彼此都已直接相连。",
        "cut_points": "关键节点与关键联系", "articulation": "割点（移除后网络分裂）", "bridges": "桥（移除后网络分裂的联系）",
        "none": "无",
        "corridors": "地区间通道", "corridor": "通道", "distance": "最短距离", "on_paths": "最短连接上的组织",
        "node_ind": "独立路径（节点）", "edge_ind": "独立路径（联系）", "cut_by": "单独移除即切断",
        "evidence": "依据",
        "corridor_sentence": "{a}与{b}之间最短经 {d} 步相连，经由：{via}。{cut}",
        "cut_sentence": "移除其中任何一个即切断该通道：{names}。",
        "multi_cut_sentence": "{name} 一个组织即可切断多条通道：{corridors}。",
        "nocut_sentence": "没有单一组织或联系能切断该通道：至少 {n} 条独立路径。",
        "disconnected_sentence": "{a}与{b}之间没有连接。",
        "communities": "社群（Louvain）", "communities_note": "随机种子 {seed}，模块度 {q:.4f}。",
        "community": "社群", "size": "规模", "members": "成员",
        "suggestions": "跨地区伙伴建议", "suggestions_note": "位于不同地区、尚未相连（没有共同的联盟、协议或活动，也没有直接关系）而有共同伙伴的组织，每对只列一次，按 Adamic–Adar 指数排序；理由说明双方各自如何与共同伙伴相连。",
        "organisation": "组织", "partner": "建议伙伴", "adamic_adar": "Adamic–Adar",
        "resource_allocation": "资源分配", "common": "共同伙伴", "reason": "理由",
        "no_suggestions": "暂无建议：不同地区之间有共同伙伴的组织都已相连。",
        "provenance": "来源", "provenance_note": "报告引用的每一事实及其出处（来源文件与段落）。",
        "fact": "事实", "source": "来源", "paragraphs": "段落",
        "as_of": "截至 {date}：保留了 {rels} 条未注明日期的关系和 {nodes} 个未注明日期的节点（未作推测），"
                 "排除了 {gone_n} 个节点和 {gone_r} 条日期在其后的关系。",
        "sources": "资料来源",
    },
    "en": {
        "title": "Cross-regional Party-building alliances: network report",
        "summary": "Summary", "nodes_by_label": "Nodes by label", "orgs_by_region": "Organisations by region",
        "rels_by_type": "Relationships by type", "label": "Label", "count": "Count", "region": "Region",
        "type": "Type",
        "map": "Ties between regions", "map_note": "Ties in the organisations network (shared alliances, agreements, activities or a direct tie) between each pair of regions, and their total weight.",
        "region_a": "Region A", "region_b": "Region B", "ties": "Ties", "weight": "Weight",
        "hubs": "Hubs", "hubs_note": "By betweenness in the organisations network; the explanation lists alliances, activities, agreements and partners in other regions.",
        "rank": "Rank", "name": "Name", "degree": "Degree", "betweenness": "Betweenness",
        "pagerank": "PageRank", "region_rank": "Rank in region", "explanation": "Explanation",
        "brokers": "Cross-region brokers", "brokers_note": "Gould–Fernandez brokerage roles (each undirected tie counted both ways), Burt's constraint and effective size.",
        "coordinator": "Coordinator", "itinerant": "Itinerant", "representative": "Representative",
        "gatekeeper": "Gatekeeper", "liaison": "Liaison", "constraint": "Constraint",
        "effective_size": "Effective size",
        "no_brokers": "No organisation sits between two untied partners across regions: the organisations that cross regions are all tied directly to each other.",
        "cut_points": "Cut points and bridges", "articulation": "Articulation points (removal splits the network)",
        "bridges": "Bridges (ties whose removal splits the network)", "none": "none",
        "corridors": "Corridors between regions", "corridor": "Corridor", "distance": "Distance",
        "on_paths": "Organisations on shortest connections", "node_ind": "Node-independent routes",
        "edge_ind": "Tie-independent routes", "cut_by": "Cut by removing", "evidence": "Evidence",
        "corridor_sentence": "{a} and {b} are {d} tie(s) apart at the closest, through: {via}. {cut}",
        "cut_sentence": "Removing any one of these alone would cut this corridor: {names}.",
        "multi_cut_sentence": "{name} alone cuts several corridors: {corridors}.",
        "nocut_sentence": "No single organisation or tie cuts it: at least {n} independent routes.",
        "disconnected_sentence": "{a} and {b} are not connected.",
        "communities": "Communities (Louvain)", "communities_note": "Seed {seed}, modularity {q:.4f}.",
        "community": "Community", "size": "Size", "members": "Members",
        "suggestions": "Cross-region partner suggestions", "suggestions_note": "Pairs of organisations in different regions that are not tied yet (no shared alliance, agreement or activity, no direct relationship) but have partners in common, each pair once, by Adamic–Adar; the reason says how each end is tied to each common partner.",
        "organisation": "Organisation", "partner": "Suggested partner", "adamic_adar": "Adamic–Adar",
        "resource_allocation": "Resource allocation", "common": "Common partners", "reason": "Reason",
        "no_suggestions": "No suggestions: organisations in different regions that have partners in common are already tied.",
        "provenance": "Provenance", "provenance_note": "Every fact the report cites, with its source and paragraphs.",
        "fact": "Fact", "source": "Source", "paragraphs": "Paragraphs",
        "as_of": "As of {date}: {rels} undated relationships and {nodes} undated nodes were kept (not guessed); "
                 "{gone_n} nodes and {gone_r} relationships dated later were left out.",
        "sources": "Sources",
    },
}


def _region(g: str, lang: str, table: dict) -> str:
    """A region group's name as the data gives it (``table``: :func:`alliances.regions.lookup`)."""
    return regions.info(table, g)[lang]


def _label(name: str, lang: str) -> str:
    lab = model.LABELS.get(name)
    return getattr(lab, lang) if lab else name


def _rel_word(t: str, lang: str) -> str:
    r = model.REL_TYPES.get(t)
    return getattr(r, lang) if r else t


class _Citations:
    """Numbered provenance entries, one per node or relationship cited."""

    def __init__(self, G, ds, lang):
        self.G, self.ds, self.lang = G, ds, lang
        self.entries: list[dict] = []
        self._index: dict = {}

    def _add(self, key, fact, d) -> int:
        if key not in self._index:
            src = self.ds.sources.get(d.get("source", ""), {})
            self.entries.append({"n": len(self.entries) + 1, "fact": fact, "source": d.get("source", ""),
                                 "source_title": src.get("title", ""), "paragraphs": list(d.get("paragraphs", [])),
                                 # a row of an imported file: "sheet 组织, row 5"
                                 "row": (f"sheet {d['source_sheet']}, " if d.get("source_sheet") else "")
                                 + f"row {d['source_row']}" if d.get("source_row") else ""})
            self._index[key] = len(self.entries)
        return self._index[key]

    def node(self, nid) -> int:
        d = self.G.nodes[nid]
        fact = f"{d.get('name', nid)} ({_label(d.get('label', ''), self.lang)})"
        return self._add(("node", nid), fact, d)

    def rel(self, d) -> int:
        G = self.G
        fact = f"{G.nodes[d['start']].get('name', d['start'])} —{_rel_word(d['type'], self.lang)}→ " \
               f"{G.nodes[d['end']].get('name', d['end'])}"
        return self._add(("rel", d["start"], d["type"], d["end"]), fact, d)

    def between(self, a, b) -> list[int]:
        """Cite the relationships that tie a and b directly."""
        out = []
        for u, v in ((a, b), (b, a)):
            if self.G.has_edge(u, v):
                for k, d in self.G[u][v].items():
                    if model.is_partnership(k):
                        out.append(self.rel(d))
        return out

    def projected_tie(self, H, a, b) -> list[int]:
        """Cite what makes a projected tie: the direct relationships and both ends' links to each shared hub."""
        refs = self.between(a, b)
        for hub in H[a][b].get("via", []):
            refs += self.between(a, hub) + self.between(b, hub)
        return sorted(set(refs))


def build_report(network, *, as_of: str | None = None, seed: int = 0, top: int = 10, lang: str = "zh") -> dict:
    """Everything the report shows, as plain data with citation numbers.

    Returns a dict with ``lang``, ``meta`` (scenario and undated counts),
    ``summary``, ``tie_matrix``, ``hubs``, ``brokers``, ``cut_points``,
    ``corridors`` (each with a ``sentence``), ``multi_cutters`` (organisations
    whose removal alone cuts more than one corridor), ``communities``,
    ``suggestions`` and ``provenance`` (numbered entries; tables refer to
    them by number in ``refs``). ``network`` is a
    :class:`~alliances.network.Network` or a checked dataset.
    """
    from alliances.analysis.brokerage import broker_table, corridors, cut_points, region_tie_matrix
    from alliances.analysis.centrality import centrality_table, explanation_text, hub_explanation, scenario_graph
    from alliances.analysis.communities import louvain
    from alliances.analysis.suggest import reason_text, suggest_partners
    from alliances.graph import organizations_projection, partnership_graph
    from alliances.network import Network

    T = TEXT[lang]
    net = network if isinstance(network, Network) else Network(network)
    ds, G0 = net.dataset, net.graph
    G, meta = scenario_graph(G0, as_of=as_of)
    H = organizations_projection(G)
    P = partnership_graph(G)
    cite = _Citations(G, ds, lang)
    table = regions.lookup(net.regions)

    labels = Counter(d.get("label") for _, d in G.nodes(data=True))
    orgs = Counter(d.get("region_group", "other") for _, d in G.nodes(data=True) if d.get("label") == "Organization")
    rels = Counter(k for _, _, k in G.edges(keys=True))
    summary = {
        "nodes_by_label": [{"label": _label(k, lang), "count": labels[k]} for k in model.LABELS if labels.get(k)],
        "orgs_by_region": [{"region": _region(g, lang, table), "count": orgs[g]}
                           for g in regions.order(net.regions, orgs) if orgs.get(g)],
        "rels_by_type": [{"type": f"{_rel_word(k, lang)} ({k})", "count": rels[k]} for k in model.REL_TYPES if rels.get(k)],
    }
    matrix = [{**r, "region_a": _region(r["region_a"], lang, table), "region_b": _region(r["region_b"], lang, table)}
              for r in region_tie_matrix(H)]

    hubs = []
    for row in centrality_table(G, projection_name="organizations", by="betweenness", top=top):
        expl = hub_explanation(G, row["id"])
        refs = [cite.node(row["id"])]
        for kind in ("alliances", "activities", "agreements"):
            for item in expl[kind]:
                refs += cite.between(row["id"], item["id"])
        for p in expl["partners_other_regions"]:
            refs += cite.projected_tie(H, row["id"], p["id"])
        hubs.append({**row, "region_name": _region(row["region"], lang, table),
                     "explanation_text": explanation_text(expl, lang), "refs": sorted(set(refs))})

    brokers = [r for r in broker_table(H) if r["total"]][:top]
    for r in brokers:
        r["region_name"] = _region(r["region"], lang, table)
        r["refs"] = [cite.node(r["id"])]
    cuts = cut_points(H)
    for a in cuts["articulation_points"]:
        a["refs"] = [cite.node(a["id"])]
    for b in cuts["bridges"]:
        b["refs"] = cite.projected_tie(H, b["a"], b["b"])

    corr = []
    for r in corridors(H):
        a, b = _region(r["region_a"], lang, table), _region(r["region_b"], lang, table)
        on = r["on_shortest_paths"]
        sep = "、" if lang == "zh" else "; "
        if r["distance"] is None:
            sentence = T["disconnected_sentence"].format(a=a, b=b)
        else:
            if r["cut"] == "none":
                cut = T["nocut_sentence"].format(n=min(r["node_independent"], r["edge_independent"]))
            else:
                names = [c["name"] for c in r["cut_nodes"]] + [f"{t['a_name']}~{t['b_name']}" for t in r["cut_ties"]]
                cut = T["cut_sentence"].format(names=sep.join(names))
            sentence = T["corridor_sentence"].format(a=a, b=b, d=r["distance"],
                                                     via=sep.join(n["name"] for n in on), cut=cut)
        refs = [cite.node(n["id"]) for n in on]
        ids = {n["id"] for n in on}
        for u, v in H.subgraph(ids).edges():
            if H.nodes[u].get("region_group") != H.nodes[v].get("region_group"):
                refs += cite.projected_tie(H, u, v)
        corr.append({**r, "name_a": a, "name_b": b, "sentence": sentence, "refs": sorted(set(refs))})

    cutters: dict[str, list[str]] = {}
    for c in corr:
        for n in c["cut_nodes"]:
            cutters.setdefault(n["id"], []).append(f"{c['name_a']}–{c['name_b']}")
    multi = [{"id": n, "name": G.nodes[n].get("name", n), "corridors": cs,
              "sentence": T["multi_cut_sentence"].format(name=G.nodes[n].get("name", n),
                                                         corridors=("、" if lang == "zh" else "; ").join(cs))}
             for n, cs in sorted(cutters.items()) if len(cs) > 1]

    comm = louvain(H, seed=seed)
    for c in comm["communities"]:
        c["region_counts"] = {_region(g, lang, table): n for g, n in c["regions"].items() if n}

    sugg = suggest_partners(G if as_of else net, top=3, limit=top)
    for s in sugg:
        s["reason"] = reason_text(s, lang)
        s["region_name"], s["partner_region_name"] = _region(s["region"], lang, table), _region(s["partner_region"], lang, table)
        refs = []
        for z in s["reasons"]:
            refs += cite.projected_tie(H, s["id"], z["id"]) + cite.projected_tie(H, s["partner"], z["id"])
        s["refs"] = sorted(set(refs))

    map_html = _map_html(G, lang, ds)

    sources = [{"id": k, "title": v.get("title", ""), "publisher": v.get("publisher", ""),
                "published": v.get("published", "")} for k, v in sorted(ds.sources.items())]
    return {
        "lang": lang, "meta": meta, "seed": seed, "sources": sources, "summary": summary,
        "tie_matrix": matrix, "hubs": hubs, "brokers": brokers, "cut_points": cuts, "corridors": corr,
        "multi_cutters": multi,
        "communities": comm, "suggestions": sugg, "provenance": cite.entries, "map_html": map_html,
    }


def _map_html(G, lang: str, ds) -> str | None:
    """The interactive map's own self-contained page, or ``None`` when the renderer is absent.

    Without :mod:`alliances.render.map` (or if it cannot draw this graph) the
    report shows only the region-pair tie table in the map section.
    """
    try:
        from alliances.render.map import build_map
        from alliances.render.map import render_html as render_map
    except ImportError:
        return None
    from alliances.errors import AlliancesError

    try:
        return render_map(build_map(G, lang=lang, source="; ".join(
            v.get("title", k) for k, v in sorted(ds.sources.items()))))
    except AlliancesError:
        return None


# ---------------------------------------------------------------------------
# Shared table content


def _tables(rep: dict) -> list[tuple[str, str, list[tuple[str, list[str], list[list[str]]]], list[str]]]:
    """Sections as ``(id, heading, [(caption, header, rows)], paragraphs)``, all plain text."""
    lang, T = rep["lang"], TEXT[rep["lang"]]
    refs = lambda r: " ".join(f"[{n}]" for n in r.get("refs", []))  # noqa: E731
    sep = "、" if lang == "zh" else "; "
    out = []
    s = rep["summary"]
    out.append(("summary", T["summary"], [
        (T["nodes_by_label"], [T["label"], T["count"]], [[r["label"], str(r["count"])] for r in s["nodes_by_label"]]),
        (T["orgs_by_region"], [T["region"], T["count"]], [[r["region"], str(r["count"])] for r in s["orgs_by_region"]]),
        (T["rels_by_type"], [T["type"], T["count"]], [[r["type"], str(r["count"])] for r in s["rels_by_type"]]),
    ], [_meta_line(rep)] if rep["meta"].get("as_of") else []))
    out.append(("map", T["map"], [("", [T["region_a"], T["region_b"], T["ties"], T["weight"]],
                                   [[r["region_a"], r["region_b"], str(r["ties"]), str(r["weight"])]
                                    for r in rep["tie_matrix"]])], [T["map_note"]]))
    out.append(("hubs", T["hubs"], [("", [T["rank"], T["name"], T["region"], T["degree"], T["betweenness"],
                                          T["pagerank"], T["region_rank"], T["explanation"], T["evidence"]],
                                     [[str(h["rank"]), h["name"], h["region_name"], f"{h['degree']:.4f}",
                                       f"{h['betweenness']:.4f}", f"{h['pagerank']:.4f}", str(h["region_rank"]),
                                       h["explanation_text"], refs(h)] for h in rep["hubs"]])], [T["hubs_note"]]))
    broker_rows = [[b["name"], b["region_name"], *(str(b[k]) for k in
                    ("coordinator", "itinerant", "representative", "gatekeeper", "liaison")),
                    "" if b["constraint"] is None else f"{b['constraint']:.4f}",
                    "" if b["effective_size"] is None else f"{b['effective_size']:.4f}", refs(b)]
                   for b in rep["brokers"]]
    cross = any(b["cross_region"] for b in rep["brokers"])
    cuts = rep["cut_points"]
    out.append(("brokers", T["brokers"], [
        ("", [T["name"], T["region"], T["coordinator"], T["itinerant"], T["representative"], T["gatekeeper"],
              T["liaison"], T["constraint"], T["effective_size"], T["evidence"]], broker_rows),
        (T["articulation"], [T["name"], T["evidence"]],
         [[a["name"], refs(a)] for a in cuts["articulation_points"]] or [[T["none"], ""]]),
        (T["bridges"], [T["name"], T["evidence"]],
         [[f"{b['a_name']} ~ {b['b_name']}", refs(b)] for b in cuts["bridges"]] or [[T["none"], ""]]),
    ], [T["brokers_note"]] + ([] if cross else [T["no_brokers"]])))
    corr_rows = []
    for c in rep["corridors"]:
        if c["cut"] == "none":
            cut = T["nocut_sentence"].format(n=min(c["node_independent"], c["edge_independent"]))
        elif c["cut"] == "disconnected":
            cut = "—"
        else:
            cut = sep.join([n["name"] for n in c["cut_nodes"]] + [f"{t['a_name']}~{t['b_name']}" for t in c["cut_ties"]])
        corr_rows.append([f"{c['name_a']}–{c['name_b']}", "—" if c["distance"] is None else str(c["distance"]),
                          sep.join(n["name"] for n in c["on_shortest_paths"]), str(c["node_independent"]),
                          str(c["edge_independent"]), cut, refs(c)])
    out.append(("corridors", T["corridors"], [("", [T["corridor"], T["distance"], T["on_paths"], T["node_ind"],
                                                     T["edge_ind"], T["cut_by"], T["evidence"]], corr_rows)],
                [c["sentence"] for c in rep["corridors"]] + [m["sentence"] for m in rep["multi_cutters"]]))
    com = rep["communities"]
    out.append(("communities", T["communities"], [("", [T["community"], T["size"], T["region"], T["members"]], [
        [str(c["index"]), str(c["size"]), sep.join(f"{g} {n}" for g, n in c["region_counts"].items()),
         sep.join(m["name"] for m in c["members"])] for c in com["communities"]])],
        [T["communities_note"].format(seed=rep["seed"], q=com["modularity"])]))
    sug_rows = [[s["name"], s["region_name"], s["partner_name"], s["partner_region_name"], f"{s['adamic_adar']:.4f}",
                 f"{s['resource_allocation']:.4f}", str(s["common_neighbors"]), s["reason"], refs(s)]
                for s in rep["suggestions"]]
    out.append(("suggestions", T["suggestions"], [("", [T["organisation"], T["region"], T["partner"], T["region"],
                                                         T["adamic_adar"], T["resource_allocation"], T["common"],
                                                         T["reason"], T["evidence"]], sug_rows)],
                [T["suggestions_note"]] + ([] if sug_rows else [T["no_suggestions"]])))
    out.append(("provenance", T["provenance"], [("", ["#", T["fact"], T["source"], T["paragraphs"]], [
        [f"[{p['n']}]", p["fact"], f"{p['source_title']} ({p['source']})" if p["source_title"] else p["source"],
         " ".join(f"¶{x}" for x in p["paragraphs"]) or p.get("row", "")] for p in rep["provenance"]])],
        [T["provenance_note"]]))
    return out


def _meta_line(rep: dict) -> str:
    m = rep["meta"]
    return TEXT[rep["lang"]]["as_of"].format(date=m["as_of"], rels=m["undated_relationships"],
                                             nodes=m["undated_nodes"], gone_n=m["removed_nodes"],
                                             gone_r=m["removed_relationships"])


# ---------------------------------------------------------------------------
# HTML

_CSS = """
body{font-family:"Noto Sans CJK SC","Noto Sans SC","PingFang SC","Microsoft YaHei",sans-serif;
margin:2rem auto;max-width:70rem;padding:0 1rem;color:#222;line-height:1.5}
h1{font-size:1.6rem}h2{font-size:1.25rem;border-bottom:2px solid #d62728;padding-bottom:.2rem;margin-top:2rem}
h3{font-size:1.05rem}table{border-collapse:collapse;margin:.5rem 0 1rem;font-size:.9rem;width:100%}
th,td{border:1px solid #ccc;padding:.3rem .5rem;text-align:left;vertical-align:top}
th{background:#f3f3f3}p.note{color:#555;font-size:.9rem}nav a{margin-right:1rem}
"""


def render_html(rep: dict) -> str:
    """The report as one self-contained UTF-8 HTML page (inline CSS, no scripts, no external links)."""
    T = TEXT[rep["lang"]]
    e = escape
    parts = [Markup("<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n"
                    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                    "<title>{}</title>\n<style>{}</style>\n</head>\n<body>\n").format(
        "zh-CN" if rep["lang"] == "zh" else "en", T["title"], Markup(_CSS))]
    parts.append(Markup("<h1>{}</h1>\n").format(T["title"]))
    src = "; ".join(f"{s['title']} ({s['publisher']}, {s['published']})" for s in rep["sources"])
    parts.append(Markup("<p class=\"note\">{}: {}</p>\n").format(T["sources"], src))
    sections = _tables(rep)
    parts.append(Markup("<nav>") + Markup("").join(
        Markup("<a href=\"#{}\">{}</a>").format(sid, head) for sid, head, _, _ in sections) + Markup("</nav>\n"))
    for sid, head, tables, paras in sections:
        parts.append(Markup("<section id=\"{}\">\n<h2>{}</h2>\n").format(sid, head))
        for p in paras:
            parts.append(Markup("<p class=\"note\">{}</p>\n").format(p))
        if sid == "map" and rep.get("map_html"):
            # The map is its own page; srcdoc keeps it inside this one file.
            parts.append(Markup('<iframe title="{}" srcdoc="{}" style="width:100%;height:38rem;'
                                'border:1px solid #ccc" sandbox="allow-scripts"></iframe>\n').format(
                head, rep["map_html"]))
        for caption, header, rows in tables:
            if caption:
                parts.append(Markup("<h3>{}</h3>\n").format(caption))
            parts.append(Markup("<table>\n<thead><tr>") + Markup("").join(
                Markup("<th>{}</th>").format(h) for h in header) + Markup("</tr></thead>\n<tbody>\n"))
            for row in rows:
                parts.append(Markup("<tr>") + Markup("").join(Markup("<td>{}</td>").format(c) for c in row)
                             + Markup("</tr>\n"))
            parts.append(Markup("</tbody>\n</table>\n"))
        parts.append(Markup("</section>\n"))
    parts.append(Markup("</body>\n</html>\n"))
    return str(Markup("").join(e(p) for p in parts))


# ---------------------------------------------------------------------------
# Markdown


def md_text(value) -> str:
    """Markdown text with HTML made inert: ``&``, ``<`` and ``>`` as entities.

    Markdown renderers pass raw HTML through, so a name like
    ``<img src=x onerror=...>`` would run when the report is previewed.
    """
    return str(value).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def md_cell(value) -> str:
    """A Markdown table cell: ``|`` escaped, HTML made inert, line breaks folded to spaces."""
    text = md_text(str(value).replace("\\", "\\\\").replace("|", "\\|"))
    return " ".join(text.splitlines()) if ("\n" in text or "\r" in text) else text


def render_markdown(rep: dict) -> str:
    """The report as Markdown, cells escaped with :func:`md_cell`."""
    T = TEXT[rep["lang"]]
    lines = [f"# {T['title']}", ""]
    lines.append(f"{T['sources']}: " + "; ".join(
        md_text(f"{s['title']} ({s['publisher']}, {s['published']})") for s in rep["sources"]))
    lines.append("")
    for _sid, head, tables, paras in _tables(rep):
        lines += [f"## {head}", ""]
        for p in paras:
            lines += [md_text(" ".join(p.splitlines())), ""]
        for caption, header, rows in tables:
            if caption:
                lines += [f"### {md_text(caption)}", ""]
            lines.append("| " + " | ".join(md_cell(h) for h in header) + " |")
            lines.append("|" + "---|" * len(header))
            lines += ["| " + " | ".join(md_cell(c) for c in row) + " |" for row in rows]
            lines.append("")
    return "\n".join(lines)
