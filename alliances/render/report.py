"""The planner's report: every analysis in one self-contained HTML or Markdown document.

:func:`build_report` gathers plain data (no markup); :func:`render_html` and
:func:`render_markdown` lay it out. Every string that comes from the data is
escaped where it is written (``markupsafe.escape`` for HTML, :func:`alliances.output.md_text`
for Markdown: no live HTML, image or link). The HTML has inline CSS only and makes no
external request.
"""

from __future__ import annotations

from collections import Counter

from markupsafe import Markup, escape

from alliances.output import md_cell, md_text  # noqa: F401  (md_cell is part of this module's API)

from alliances import model, regions

TEXT = {
    "zh": {
        "title": "跨地区党建联盟网络分析报告",
        "summary": "概况", "nodes_by_label": "节点（按类型）", "orgs_by_region": "组织（按地区）",
        "rels_by_type": "关系（按类型）", "label": "类型", "count": "数量", "region": "地区",
        "type": "关系",
        "map": "地区间联系", "map_note": "组织网络中各地区之间的联系数（共享联盟、协议、活动或直接关系）及其总权重。",
        "region_a": "地区甲", "region_b": "地区乙", "ties": "联系数", "weight": "权重",
        "hubs": "枢纽组织", "hubs_note": "按中介中心性排序；说明列出其联盟、活动、协议和跨地区伙伴。",
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
                 "排除了 {gone_n} 个节点和 {gone_r} 条日期在其后（或届时已结束）的关系。",
        "sources": "资料来源",
        "changes": "变化", "changes_what": "对象", "changes_section": "类别", "changes_change": "变化",
        "changes_before": "之前", "changes_after": "之后",
        "changes_note": "比较 {from_day} 与 {to_day} 两个日期的网络（各按 --as-of 的规则：有日期的事实在其整个时段过后才计入，未注明日期的两边都计入）。"
                        "枢纽为 alliances centrality 的前 {top} 名（full 投影，按中介中心性），中介为 alliances brokers 的前 {top} 名（组织投影）。",
        "changes_none": "两个日期之间没有变化。",
    },
    "en": {
        "title": "Cross-regional Party-building alliances: network report",
        "summary": "Summary", "nodes_by_label": "Nodes by label", "orgs_by_region": "Organisations by region",
        "rels_by_type": "Relationships by type", "label": "Label", "count": "Count", "region": "Region",
        "type": "Type",
        "map": "Ties between regions", "map_note": "Ties in the organisations network (shared alliances, agreements, activities or a direct tie) between each pair of regions, and their total weight.",
        "region_a": "Region A", "region_b": "Region B", "ties": "Ties", "weight": "Weight",
        "hubs": "Hubs", "hubs_note": "By betweenness; the explanation lists alliances, activities, agreements and partners in other regions.",
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
                 "{gone_n} nodes and {gone_r} relationships dated later (or ended by then) were left out.",
        "sources": "Sources",
        "changes": "What changed", "changes_what": "What", "changes_section": "Section", "changes_change": "Change",
        "changes_before": "Before", "changes_after": "After",
        "changes_note": "The network on {from_day} against the network on {to_day} (each as --as-of gives it: a dated fact counts once its whole period has passed, undated facts count on both). "
                        "Hubs are the top {top} of alliances centrality (full projection, by betweenness), brokers the top {top} of alliances brokers (organisations projection).",
        "changes_none": "Nothing changed between the two dates.",
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


#: Names listed in one sentence or cell before "and N more".
NAMES_SHOWN = 8


def _names(names: list[str], lang: str, n: int = NAMES_SHOWN) -> str:
    """Up to ``n`` names joined, then "等 N 个" / "and N more"."""
    sep = "、" if lang == "zh" else "; "
    shown = sep.join(str(x) for x in names[:n])
    more = len(names) - n
    if more > 0:
        shown += f" 等 {len(names):,} 个" if lang == "zh" else f" and {more:,} more"
    return shown


def build_report(network, *, as_of: str | None = None, seed: int = 0, top: int = 10, lang: str = "zh",
                 since: str | None = None, progress=None, full_tables: bool = True) -> dict:
    """Everything the report shows, as plain data with citation numbers.

    Returns a dict with ``lang``, ``meta`` (scenario and undated counts),
    ``summary``, ``tie_matrix``, ``hubs``, ``brokers``, ``cut_points``,
    ``corridors`` (each with a ``sentence``), ``multi_cutters`` (organisations
    whose removal alone cuts more than one corridor), ``communities``,
    ``suggestions`` and ``provenance`` (numbered entries; tables refer to
    them by number in ``refs``). ``network`` is a
    :class:`~alliances.network.Network` or a checked dataset.

    Every section is bounded: ``top`` rows (hubs, brokers, cut points,
    communities, suggestions) and :data:`NAMES_SHOWN` names per cell, with
    the number left out (``*_total``); the whole tables are in ``full``
    (for ``--tables``). Hubs are ``alliances centrality`` on
    :data:`alliances.network.DEFAULT_PROJECTION` by betweenness, the same
    rows. ``words`` is the plain-words summary, ``growth`` the dated facts
    per period. ``since`` (YYYY, YYYY-MM or YYYY-MM-DD) adds ``changes``
    (:func:`changes_section`: what changed from then to ``as_of`` or the
    latest dated fact), also told in the summary. ``progress(stage)`` is
    called before each stage. With ``full_tables=False`` (no ``--tables``) the
    suggestions' ``full`` table holds only the rows shown (their total is still counted).

    Above the engine threshold (:meth:`~alliances.network.Network.analyses_on_arrays`)
    no graph is built: the analyses run on the projection's arrays
    (:meth:`~alliances.network.Network.view`; ``as_of`` cuts the dataset first,
    :func:`alliances.graph.dataset_as_of`) and what the page cites is read from
    the dataset; the result equals the graph's (tested).
    """
    from alliances.analysis.brokerage import broker_table, corridors, cut_points, region_tie_matrix
    from alliances.analysis.centrality import centrality_report, explanation_text, hub_explanation, scenario_graph
    from alliances.analysis.communities import louvain
    from alliances.analysis.suggest import reason_text, suggest_partners
    from alliances.graph import organizations_projection
    from alliances.network import DEFAULT_PROJECTION, Network, thresholds

    step = progress or (lambda stage: None)
    T = TEXT[lang]
    net = network if isinstance(network, Network) else Network(network)
    step("graph")
    ds = net.dataset
    on_arrays = net.analyses_on_arrays()
    if on_arrays:
        # a large network: every analysis on the arrays (as of a date: on the dataset cut to
        # it), and what the page cites read straight from the dataset (no MultiDiGraph)
        if as_of:
            scene, meta = net.scenario(as_of)
        else:
            scene, meta = net, {"as_of": None, "without": [], "without_ties": [], "undated_relationships": 0,
                                "undated_nodes": 0, "removed_nodes": 0, "removed_relationships": 0}
        V = scene.view("organizations")
        G, H = _DatasetGraph(scene), _ProjectionLookup(scene, V)
        src = scene
    else:
        G, meta = scenario_graph(net.graph, as_of=as_of)
        H = organizations_projection(G, max_members=thresholds().hub_members) if as_of else net.organisations
        V = H
        src = G if as_of else net
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
              for r in region_tie_matrix(V)]

    step("hubs")
    hub_rows = centrality_report(src, projection_name=DEFAULT_PROJECTION, by="betweenness",
                                 as_of=None if on_arrays else as_of)["rows"]
    hubs = []
    for row in hub_rows[:top]:
        expl = hub_explanation(G, row["id"], projection_graph=H)
        refs = [cite.node(row["id"])]
        for kind in ("alliances", "activities", "agreements"):
            for item in expl[kind][:NAMES_SHOWN]:  # the items the text names are the ones cited
                refs += cite.between(row["id"], item["id"])
        for p in expl["partners_other_regions"][:NAMES_SHOWN]:
            refs += cite.projected_tie(H, row["id"], p["id"])
        hubs.append({**row, "region_name": _region(row["region"], lang, table),
                     "explanation_text": explanation_text(expl, lang, limit=NAMES_SHOWN), "refs": sorted(set(refs))})

    step("brokers")
    broker_rows = [r for r in broker_table(V) if r["total"]]
    brokers = [dict(r) for r in broker_rows[:top]]
    for r in brokers:
        r["region_name"] = _region(r["region"], lang, table)
        r["refs"] = [cite.node(r["id"])]
    cuts_all = cut_points(V)
    cuts = {"articulation_points": cuts_all["articulation_points"][:top], "bridges": cuts_all["bridges"][:top],
            "articulation_total": len(cuts_all["articulation_points"]), "bridges_total": len(cuts_all["bridges"])}
    for a in cuts["articulation_points"]:
        a["refs"] = [cite.node(a["id"])]
    for b in cuts["bridges"]:
        b["refs"] = cite.projected_tie(H, b["a"], b["b"])

    step("corridors")
    corr = []
    corridor_rows = corridors(V)
    for r in corridor_rows:
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
                cut = T["cut_sentence"].format(names=_names(names, lang))
            sentence = T["corridor_sentence"].format(a=a, b=b, d=r["distance"],
                                                     via=_names([n["name"] for n in on], lang), cut=cut)
        refs = [cite.node(n["id"]) for n in on[:NAMES_SHOWN]]
        ids = {n["id"] for n in on[:NAMES_SHOWN]}
        for u, v in sorted(tuple(sorted(e)) for e in H.subgraph(ids).edges()):  # one order on either backend
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

    step("communities")
    comm_all = louvain(V, seed=seed)
    for c in comm_all["communities"]:
        c["region_counts"] = {_region(g, lang, table): n for g, n in c["regions"].items() if n}
    comm = {**comm_all, "communities": comm_all["communities"][:top], "total": len(comm_all["communities"])}
    comm.pop("membership", None)

    step("suggestions")
    if full_tables:
        sugg_all = suggest_partners(src, top=3)
        sugg_total = len(sugg_all)
    else:  # only the rows shown, and how many there are (each row's reasons cost a look-up)
        counted: dict = {}
        sugg_all = suggest_partners(src, top=3, limit=top, info=counted)
        sugg_total = counted.get("total", len(sugg_all))
    sugg = [dict(x) for x in sugg_all[:top]]
    for s in sugg:
        s["reason"] = reason_text(s, lang)
        s["region_name"], s["partner_region_name"] = _region(s["region"], lang, table), _region(s["partner_region"], lang, table)
        refs = []
        for z in s["reasons"]:
            refs += cite.projected_tie(H, s["id"], z["id"]) + cite.projected_tie(H, s["partner"], z["id"])
        s["refs"] = sorted(set(refs))

    step("map")
    map_html = _map_html(src, lang, ds)
    changes = None
    if since:
        step("changes")
        changes = changes_section(net, since, until=as_of, top=top, lang=lang)
    step("summary")
    growth = dated_growth(G, lang)
    n_orgs = sum(orgs.values())
    cross = sum(r["ties"] for r in region_tie_matrix(V) if r["region_a"] != r["region_b"])
    words = _summary_words(lang, n_orgs=n_orgs, n_regions=len(orgs), cross=cross, hubs=hubs, brokers=brokers,
                           corridors=corr, multi=multi, growth=growth,
                           since=changes["sentence"] if changes else None)
    coverage = None
    if ds.registry or any(f["key"] in model.COVERAGE_FIGURE_KEYS for f in ds.figures) or any(
            n["label"] in model.WORK_LABELS for n in ds.nodes.values()):
        from alliances.analysis.coverage import coverage_report

        coverage = coverage_report(ds, lang=lang)

    sources = [{"id": k, "title": v.get("title", ""), "publisher": v.get("publisher", ""),
                "published": v.get("published", "")} for k, v in sorted(ds.sources.items())]
    return {
        "lang": lang, "meta": meta, "seed": seed, "sources": sources, "summary": summary,
        "regions": net.regions,  # the dataset's region groups: names and palette colours
        "tie_matrix": matrix, "hubs": hubs, "brokers": brokers, "cut_points": cuts, "corridors": corr,
        "multi_cutters": multi, "changes": changes,
        "communities": comm, "suggestions": sugg, "provenance": cite.entries, "map_html": map_html,
        "coverage": coverage,
        "projection": DEFAULT_PROJECTION, "words": words, "growth": growth,
        "totals": {"hubs": len(hub_rows), "brokers": len(broker_rows), "suggestions": sugg_total,
                   "communities": len(comm_all["communities"])},
        "full": {"hubs": hub_rows, "brokers": broker_rows, "corridors": corridor_rows,
                 "communities": comm_all["communities"], "suggestions": sugg_all,
                 "articulation_points": cuts_all["articulation_points"], "bridges": cuts_all["bridges"],
                 **({"changes": changes["all_rows"]} if changes else {})},
    }


def changes_section(network, since: str, *, until: str | None = None, top: int = 10, lang: str = "zh") -> dict:
    """The "变化 / What changed" section: :func:`alliances.analysis.changes.network_changes`, bounded.

    From ``since`` to ``until`` (default: the latest dated fact). ``rows``
    holds at most ``top`` changes of each kind (``total`` counts them all;
    ``all_rows`` has every one, for ``--tables``); ``sentence`` tells the
    counts in words for the summary.
    """
    from alliances.analysis.changes import change_rows, network_changes

    result = network_changes(network, date_from=since, date_to=until, top=top, lang=lang,
                             options=("--since", "--as-of"))
    rows = change_rows(result, lang)
    shown, seen = [], Counter()
    for r in rows:
        seen[r["section"]] += 1
        if seen[r["section"]] <= top:
            shown.append(r)
    return {"meta": result["meta"], "counts": result["counts"], "rows": shown, "total": len(rows),
            "all_rows": rows, "sentence": changes_sentence(result, lang)}


def changes_sentence(result: dict, lang: str = "zh") -> str:
    """The changes' counts in one sentence (only what changed)."""
    c, m, zh = result["counts"], result["meta"], lang == "zh"
    top = m["top"]
    parts = []
    words = ((("alliances_new", "新增联盟 {n} 个", "new alliances {n}"),
              ("agreements_new", "新签共建协议 {n} 项", "new agreements {n}"),
              ("activities_new", "新增活动 {n} 场", "new activities {n}"),
              ("alliances_lapsed", "失效联盟 {n} 个", "lapsed alliances {n}"),
              ("agreements_lapsed", "失效协议 {n} 项", "lapsed agreements {n}"),
              ("activities_lapsed", "失效活动 {n} 场", "lapsed activities {n}")),
             (("cross_region_ties_new", "跨地区联系新增 {n} 对", "new cross-region ties {n}"),
              ("cross_region_ties_lost", "减少 {n} 对", "lost {n}")),
             (("corridors_opened", "地区间通道打通 {n} 条", "corridors opened {n}"),
              ("corridors_shortened", "变短 {n} 条", "shortened {n}"),
              ("corridors_lengthened", "变长 {n} 条", "lengthened {n}"),
              ("corridors_closed", "中断 {n} 条", "closed {n}")),
             (("hubs_new", "新进前 " + str(top) + " 名的枢纽 {n} 个", "new hubs in the top " + str(top) + " {n}"),
              ("brokers_new", "中介 {n} 个", "new brokers {n}")))
    for group in words:
        bits = [(z if zh else e).format(n=f"{c[k]:,}") for k, z, e in group if c.get(k)]
        if bits:
            parts.append(("、" if zh else ", ").join(bits))
    since = f"{m['from']}（{m['from_day']}）" if zh else f"{m['from']} ({m['from_day']})"
    if not parts:
        return (f"自 {since}至 {m['to_day']}，网络没有变化。" if zh else
                f"Between {since} and {m['to_day']} nothing changed.")
    return (f"自 {since}至 {m['to_day']}：" + "；".join(parts) + "。" if zh else
            f"From {since} to {m['to_day']}: " + "; ".join(parts) + ".")


GROWTH_LABELS = ("Alliance", "Agreement", "Activity", "Project")


def _period(date: str, quarterly: bool) -> str:
    year = date[:4]
    if not quarterly:
        return year
    month = int(date[5:7]) if len(date) >= 7 else 12  # a year alone counts from its end
    return f"{year}Q{(month - 1) // 3 + 1}"


def dated_growth(G, lang: str = "zh") -> dict:
    """Dated alliances, agreements, activities and projects, and dated relationships, per period.

    Per year, or per quarter when the dates span three years or less. A date
    given as a year alone counts from its end (Q4), as ``--as-of`` counts it.
    Returns ``{"periods", "series": [{"label", "name", "counts"}], "undated", "quarterly"}``.
    """
    facts: list[tuple[str, str]] = []
    undated = 0
    for _, d in G.nodes(data=True):
        if d.get("label") in GROWTH_LABELS:
            if d.get("date"):
                facts.append((d["label"], str(d["date"])))
            else:
                undated += 1
    for _, _, k, d in G.edges(keys=True, data=True):
        if d.get("date") and model.is_partnership(k):
            facts.append(("relationship", str(d["date"])))
    if not facts:
        return {"periods": [], "series": [], "undated": undated, "quarterly": False}
    years = sorted({int(date[:4]) for _, date in facts})
    quarterly = years[-1] - years[0] < 3
    if quarterly:
        periods = [f"{y}Q{q}" for y in range(years[0], years[-1] + 1) for q in range(1, 5)]
    else:
        periods = [str(y) for y in range(years[0], years[-1] + 1)]
    used = {_period(date, quarterly) for _, date in facts}
    while periods and periods[0] not in used:  # trim empty quarters at the ends
        periods.pop(0)
    while periods and periods[-1] not in used:
        periods.pop()
    where = {p: i for i, p in enumerate(periods)}
    series = []
    for label in (*GROWTH_LABELS, "relationship"):
        counts = [0] * len(periods)
        for lab, date in facts:
            if lab == label:
                counts[where[_period(date, quarterly)]] += 1
        if any(counts):
            name = (_label(label, lang) if label != "relationship"
                    else ("有日期的伙伴关系" if lang == "zh" else "dated partnership ties"))
            series.append({"label": label, "name": name, "counts": counts})
    return {"periods": periods, "series": series, "undated": undated, "quarterly": quarterly}


def _summary_words(lang, *, n_orgs, n_regions, cross, hubs, brokers, corridors, multi, growth, since) -> list[str]:
    """The report's opening paragraphs, in plain words."""
    zh = lang == "zh"
    out = []
    out.append(f"网络共有 {n_orgs:,} 个组织，分布在 {n_regions} 个地区；不同地区的组织之间有 {cross:,} 对联系"
               "（共享联盟、协议、活动或直接关系）。" if zh else
               f"The network has {n_orgs:,} organisations in {n_regions} regions, with {cross:,} tied pairs across "
               "regions (a shared alliance, agreement or activity, or a direct tie).")
    if multi:
        m = multi[0]
        out.append(f"{m['name']} 一个组织即可切断 {len(m['corridors'])} 条地区间通道（{_names(m['corridors'], lang)}）："
                   "这些通道都系于它一身。" if zh else
                   f"{m['name']} alone holds {len(m['corridors'])} corridors between regions "
                   f"({_names(m['corridors'], lang)}): removing it cuts them all.")
    else:
        single = [c for c in corridors if c["cut"] == "node" and len(c["cut_nodes"]) == 1]
        if single:
            c = single[0]
            out.append(f"{c['name_a']}–{c['name_b']} 通道系于 {c['cut_nodes'][0]['name']} 一个组织。" if zh else
                       f"The {c['name_a']}–{c['name_b']} corridor hangs on one organisation, "
                       f"{c['cut_nodes'][0]['name']}.")
        elif corridors:
            out.append("没有一条地区间通道只系于一个组织。" if zh else
                       "No corridor between regions hangs on a single organisation.")
    if hubs:
        def why(h):
            bits = h["explanation_text"].split("；" if zh else " | ")
            return bits[0] if bits and bits[0] else ""
        names = [f"{h['name']}（{why(h)}）" if zh and why(h) else (f"{h['name']} ({why(h)})" if why(h) else h["name"])
                 for h in hubs[:3]]
        out.append(("按中介中心性，枢纽组织前列为：" if zh else "The leading hubs, by betweenness: ")
                   + ("；".join(names) if zh else "; ".join(names)) + ("。" if zh else "."))
    cross_brokers = [b for b in brokers if b.get("cross_region")]
    if cross_brokers:
        b = cross_brokers[0]
        out.append(f"跨地区中介首推 {b['name']}：在不同地区互不相连的伙伴之间居中 {b['cross_region']:,} 次"
                   f"（其中联络者 {b['liaison']:,} 次，即两端都不在本地区）。" if zh else
                   f"The leading broker across regions is {b['name']}: it sits between untied partners of "
                   f"other regions {b['cross_region']:,} times ({b['liaison']:,} as a liaison, both ends elsewhere).")
    elif brokers:
        out.append("没有跨地区中介：跨地区的组织彼此都已直接相连。" if zh else
                   "No broker across regions: the organisations that cross regions are all tied to each other.")
    if growth["periods"]:
        last = growth["periods"][-1]
        parts = [f"{s['name']} {s['counts'][-1]:,}" for s in growth["series"] if s["counts"][-1]]
        if parts:
            out.append(f"最近一期（{last}）新增：{'、'.join(parts)}。" if zh else
                       f"Most recent period ({last}): new {', '.join(parts)}.")
    if since:
        out.append(since)
    return out


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
        # an overview only: the members for drilling down stay in `alliances map` (report size);
        # laid out here, drawn without physics: the page opens without waiting on a stabilisation
        return render_map(build_map(G, lang=lang, drill=False, physics=False, source="; ".join(
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
    ], list(rep.get("words", [])) + ([_meta_line(rep)] if rep["meta"].get("as_of") else [])))
    if rep.get("changes"):
        out.append(_changes_table(rep))
    out.append(("map", T["map"], [("", [T["region_a"], T["region_b"], T["ties"], T["weight"]],
                                   [[r["region_a"], r["region_b"], str(r["ties"]), str(r["weight"])]
                                    for r in rep["tie_matrix"]])], [T["map_note"]]))
    out.append(("hubs", T["hubs"], [("", [T["rank"], T["name"], T["region"], T["degree"], T["betweenness"],
                                          T["pagerank"], T["region_rank"], T["explanation"], T["evidence"]],
                                     [[str(h["rank"]), h["name"], h["region_name"], f"{h['degree']:.4f}",
                                       f"{h['betweenness']:.4f}", f"{h['pagerank']:.4f}", str(h["region_rank"]),
                                       h["explanation_text"], refs(h)] for h in rep["hubs"]])],
                [T["hubs_note"], _hub_def(rep)] + _more(rep, "hubs", len(rep["hubs"]))))
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
    ], [T["brokers_note"]] + ([] if cross else [T["no_brokers"]]) + _more(rep, "brokers", len(rep["brokers"]))
        + _more_cuts(rep)))
    corr_rows = []
    for c in rep["corridors"]:
        if c["cut"] == "none":
            cut = T["nocut_sentence"].format(n=min(c["node_independent"], c["edge_independent"]))
        elif c["cut"] == "disconnected":
            cut = "—"
        else:
            cut = _names([n["name"] for n in c["cut_nodes"]] + [f"{t['a_name']}~{t['b_name']}" for t in c["cut_ties"]],
                         lang)
        corr_rows.append([f"{c['name_a']}–{c['name_b']}", "—" if c["distance"] is None else str(c["distance"]),
                          _names([n["name"] for n in c["on_shortest_paths"]], lang), str(c["node_independent"]),
                          str(c["edge_independent"]), cut, refs(c)])
    out.append(("corridors", T["corridors"], [("", [T["corridor"], T["distance"], T["on_paths"], T["node_ind"],
                                                     T["edge_ind"], T["cut_by"], T["evidence"]], corr_rows)],
                [c["sentence"] for c in rep["corridors"]] + [m["sentence"] for m in rep["multi_cutters"]]))
    com = rep["communities"]
    out.append(("communities", T["communities"], [("", [T["community"], T["size"], T["region"], T["members"]], [
        [str(c["index"]), str(c["size"]), sep.join(f"{g} {n}" for g, n in c["region_counts"].items()),
         _names([m["name"] for m in c["members"]], lang)] for c in com["communities"]])],
        [T["communities_note"].format(seed=rep["seed"], q=com["modularity"])]
        + _more(rep, "communities", len(com["communities"]))))
    sug_rows = [[s["name"], s["region_name"], s["partner_name"], s["partner_region_name"], f"{s['adamic_adar']:.4f}",
                 f"{s['resource_allocation']:.4f}", str(s["common_neighbors"]), s["reason"], refs(s)]
                for s in rep["suggestions"]]
    out.append(("suggestions", T["suggestions"], [("", [T["organisation"], T["region"], T["partner"], T["region"],
                                                         T["adamic_adar"], T["resource_allocation"], T["common"],
                                                         T["reason"], T["evidence"]], sug_rows)],
                [T["suggestions_note"]] + ([] if sug_rows else [T["no_suggestions"]])
                + _more(rep, "suggestions", len(sug_rows))))
    if rep.get("coverage"):
        from alliances.render.coverage import report_section

        head, cov_tables, cov_paras = report_section(rep["coverage"], lang)
        out.append(("coverage", head, cov_tables, cov_paras))
    out.append(("provenance", T["provenance"], [("", ["#", T["fact"], T["source"], T["paragraphs"]], [
        [f"[{p['n']}]", p["fact"], f"{p['source_title']} ({p['source']})" if p["source_title"] else p["source"],
         " ".join(f"¶{x}" for x in p["paragraphs"]) or p.get("row", "")] for p in rep["provenance"]])],
        [T["provenance_note"]]))
    return out


def _changes_table(rep: dict):
    """The "变化 / What changed" section as ``(id, heading, tables, paragraphs)``."""
    from alliances.analysis.changes import WORDS

    lang, T, ch = rep["lang"], TEXT[rep["lang"]], rep["changes"]
    w = WORDS[lang]
    rows = [[w["sections"][r["section"]], w["changes"][r["change"]], r["what"], str(r["before"]), str(r["after"])]
            for r in ch["rows"]]
    m = ch["meta"]
    paras = [ch["sentence"], T["changes_note"].format(from_day=m["from_day"], to_day=m["to_day"], top=m["top"])]
    if not rows:
        paras.append(T["changes_none"])
    more = ch["total"] - len(ch["rows"])
    if more > 0:
        paras.append(f"另有 {more:,} 项变化未列出（共 {ch['total']:,} 项）；用 --tables 目录 写出全表。" if lang == "zh"
                     else f"And {more:,} more changes ({ch['total']:,} in all); --tables DIR writes every row.")
    head = [T["changes_section"], T["changes_change"], T["changes_what"], T["changes_before"], T["changes_after"]]
    return ("changes", T["changes"], [("", head, rows)], paras)


def _more(rep: dict, key: str, shown: int) -> list[str]:
    """``["… and M more (--tables DIR writes them all)"]`` when a section was cut."""
    total = rep.get("totals", {}).get(key, shown)
    if total <= shown:
        return []
    return [f"另有 {total - shown:,} 行未列出（共 {total:,} 行）；用 --tables 目录 写出全表。" if rep["lang"] == "zh"
            else f"And {total - shown:,} more rows ({total:,} in all); --tables DIR writes every row."]


def _more_cuts(rep: dict) -> list[str]:
    c, zh = rep["cut_points"], rep["lang"] == "zh"
    out = []
    for key, shown, word in (("articulation_total", len(c["articulation_points"]), ("割点", "articulation points")),
                             ("bridges_total", len(c["bridges"]), ("桥", "bridges"))):
        total = c.get(key, shown)
        if total > shown:
            out.append(f"{word[0]}共 {total:,} 个，列出前 {shown:,} 个。" if zh else
                       f"{total:,} {word[1]} in all; the first {shown:,} are listed.")
    return out


def _hub_def(rep: dict) -> str:
    proj = rep.get("projection", "full")
    return (f"枢纽的定义与 alliances centrality 相同：{proj} 投影（伙伴关系全图，联盟、协议、活动也是节点）上的中介中心性，"
            "名次一致。" if rep["lang"] == "zh" else
            f"A hub here is what alliances centrality ranks first: betweenness on the {proj} projection "
            "(the whole partnership graph, alliances, agreements and activities as nodes); the ranks are the same.")


def _source_text(s: dict) -> str:
    """A source as "title (publisher, published)", leaving out what the source does not give."""
    extra = ", ".join(v for v in (s["publisher"], s["published"]) if v)
    return f"{s['title']} ({extra})" if extra else s["title"]


def _meta_line(rep: dict) -> str:
    m = rep["meta"]
    return TEXT[rep["lang"]]["as_of"].format(date=m["as_of"], rels=m["undated_relationships"],
                                             nodes=m["undated_nodes"], gone_n=m["removed_nodes"],
                                             gone_r=m["removed_relationships"])


# ---------------------------------------------------------------------------
# HTML

# Long tables out of view are not laid out until scrolled to (content-visibility on a box
# around each): at 20k the provenance table alone (1,100 rows) took the browser a second of
# layout before the page settled. Headings stay outside the box, and print lays out all.
_CSS = """
body{font-family:"Noto Sans CJK SC","Noto Sans SC","PingFang SC","Microsoft YaHei",sans-serif;
margin:2rem auto;max-width:70rem;padding:0 1rem;color:#222;line-height:1.5}
h1{font-size:1.6rem}h2{font-size:1.25rem;border-bottom:2px solid #d62728;padding-bottom:.2rem;margin-top:2rem}
h3{font-size:1.05rem}table{border-collapse:collapse;margin:.5rem 0 1rem;font-size:.9rem;width:100%}
th,td{border:1px solid #ccc;padding:.3rem .5rem;text-align:left;vertical-align:top}
th{background:#f3f3f3}p.note{color:#555;font-size:.9rem}nav a{margin-right:1rem}
figure{margin:.5rem 0 1rem}svg.chart{max-width:100%;height:auto}
div.rows{content-visibility:auto}
@media print{body{max-width:none;margin:0}iframe{display:none}nav{display:none}div.rows{content-visibility:visible}
section{break-inside:auto}figure,tr{break-inside:avoid}h2{break-after:avoid}}
"""


#: tables longer than this are laid out by the browser only when scrolled to (``div.rows``)
LONG_TABLE = 40


def render_html(rep: dict) -> str:
    """The report as one self-contained UTF-8 HTML page (inline CSS, no scripts, no external links)."""
    T = TEXT[rep["lang"]]
    e = escape
    parts = [Markup("<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n"
                    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                    "<title>{}</title>\n<style>{}</style>\n</head>\n<body>\n").format(
        "zh-CN" if rep["lang"] == "zh" else "en", T["title"], Markup(_CSS))]
    parts.append(Markup("<h1>{}</h1>\n").format(T["title"]))
    src = "; ".join(_source_text(s) for s in rep["sources"])
    parts.append(Markup("<p class=\"note\">{}: {}</p>\n").format(T["sources"], src))
    sections = _tables(rep)
    parts.append(Markup("<nav>") + Markup("").join(
        Markup("<a href=\"#{}\">{}</a>").format(sid, head) for sid, head, _, _ in sections) + Markup("</nav>\n"))
    for sid, head, tables, paras in sections:
        parts.append(Markup("<section id=\"{}\">\n<h2>{}</h2>\n").format(sid, head))
        for p in paras:
            parts.append(Markup("<p class=\"note\">{}</p>\n").format(p))
        for chart in _charts(rep, sid):
            parts.append(Markup("<figure>{}</figure>\n").format(chart))
        if sid == "map" and rep.get("map_html"):
            # The map is its own page; srcdoc keeps it inside this one file.
            parts.append(Markup('<iframe title="{}" srcdoc="{}" style="width:100%;height:38rem;'
                                'border:1px solid #ccc" sandbox="allow-scripts"></iframe>\n').format(
                head, rep["map_html"]))
        if sid == "coverage":
            from alliances.render.coverage import svg_chart

            chart = svg_chart(rep["coverage"], rep["lang"])
            if chart:
                parts.append(Markup("<figure>{}</figure>\n").format(chart))
        for caption, header, rows in tables:
            if caption:
                parts.append(Markup("<h3>{}</h3>\n").format(caption))
            long = len(rows) > LONG_TABLE
            if long:  # until laid out, its height is guessed at 3rem a row (about two lines)
                parts.append(Markup('<div class="rows" style="contain-intrinsic-size:auto {}rem">\n').format(
                    3 * len(rows)))
            parts.append(Markup("<table>\n<thead><tr>") + Markup("").join(
                Markup("<th>{}</th>").format(h) for h in header) + Markup("</tr></thead>\n<tbody>\n"))
            for row in rows:
                parts.append(Markup("<tr>") + Markup("").join(Markup("<td>{}</td>").format(c) for c in row)
                             + Markup("</tr>\n"))
            parts.append(Markup("</tbody>\n</table>\n"))
            if long:
                parts.append(Markup("</div>\n"))
        parts.append(Markup("</section>\n"))
    parts.append(Markup("</body>\n</html>\n"))
    return str(Markup("").join(e(p) for p in parts))


def write_pdf(html_path, pdf_path, *, timeout_s: float = 240):
    """Print the report page to PDF through the local headless Chromium (A4, backgrounds on,
    so the charts' colours, labels and legends print as drawn). Nothing is fetched."""
    from pathlib import Path

    from alliances.errors import RenderError
    from alliances.render.browser import open_page
    from alliances.render.map import find_chromium

    chromium = find_chromium()
    if chromium is None:
        raise RenderError("--pdf needs a local Chromium and none was found. "
                          "Fix: apt-get install chromium (or drop --pdf).")
    target = Path(pdf_path)
    if not target.parent.is_dir():
        raise RenderError(f"--pdf {pdf_path}: folder {target.parent} does not exist. Fix: create it first.")
    tmp = target.with_name(f".{target.name}.part")
    try:
        with open_page(html_path, executable=chromium) as page:
            page.wait_for_load_state("load", timeout=timeout_s * 1000)
            page.emulate_media(media="print")
            page.pdf(path=str(tmp), format="A4", print_background=True,
                     margin={"top": "12mm", "bottom": "12mm", "left": "10mm", "right": "10mm"})
        tmp.replace(target)
    except ImportError as err:
        raise RenderError("--pdf needs the playwright package. Fix: pip install 'alliances[browser]'.") from err
    finally:
        if tmp.exists():
            tmp.unlink()
    return target


TABLE_FILES = ("hubs", "brokers", "corridors", "communities", "suggestions", "articulation_points", "bridges")


def _flat(value) -> str:
    if isinstance(value, dict):
        return "; ".join(f"{k} {v}" for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return "; ".join(_flat(v.get("name", v.get("id", "")) if isinstance(v, dict) else v) for v in value)
    return "" if value is None else str(value)


def write_tables(rep: dict, folder) -> list:
    """Every row of every table, one CSV per table (UTF-8 with BOM, for Excel), in ``folder``.

    The folder must be new or empty (nothing of the user's is overwritten);
    each file is written atomically. Returns the paths written. CSV cells are
    guarded against formulas (:mod:`alliances.cells`).
    """
    import os
    from pathlib import Path

    from alliances.cells import csv_line
    from alliances.errors import UsageError
    from alliances.files import atomic_write_text

    out = Path(folder)
    if out.exists() and (not out.is_dir() or any(os.scandir(out))):
        raise UsageError(f"--tables {out}: {'is a file' if not out.is_dir() else 'folder exists and is not empty'}. "
                         "Fix: give a new folder name; nothing was written.")
    full = dict(rep["full"])
    full["tie_matrix"] = rep["tie_matrix"]
    written = []
    for name in (*TABLE_FILES, "tie_matrix", *(["changes"] if "changes" in full else [])):
        rows = full.get(name) or []
        cols: list[str] = []
        for r in rows:
            cols += [k for k in r if k not in cols and k not in ("reasons", "refs", "membership")]
        text = "\ufeff" + csv_line(cols, guarded=False) + "".join(csv_line([_flat(r.get(c)) for c in cols])
                                                               for r in rows)
        out.mkdir(parents=True, exist_ok=True)
        written.append(atomic_write_text(out / f"{name}.csv", text))
    return written


def _charts(rep: dict, sid: str) -> list:
    """The inline SVG charts of one section (see :mod:`alliances.render.charts`)."""
    from alliances.render import charts

    lang, zh = rep["lang"], rep["lang"] == "zh"
    out = []
    if sid == "summary" and rep.get("growth", {}).get("periods"):
        g = rep["growth"]
        palette = ("#4e79a7", "#f28e2b", "#59a14f", "#b07aa1", "#76b7b2")
        note = (f"另有 {g['undated']:,} 个联盟、协议、活动或项目未注明日期，未计入。" if zh else
                f"{g['undated']:,} alliances, agreements, activities or projects are undated and not counted.") \
            if g["undated"] else ""
        out.append(charts.growth(g["periods"], [(x["name"], palette[k % len(palette)], x["counts"])
                                                for k, x in enumerate(g["series"])],
                                 title=("累计增长（按季度）" if g["quarterly"] else "累计增长（按年）") if zh else
                                 ("Growth over time, cumulative (per quarter)" if g["quarterly"]
                                  else "Growth over time, cumulative (per year)"), note=note))
    if sid == "map" and rep.get("tie_matrix"):
        names = []
        for r in rep["tie_matrix"]:
            for k in ("region_a", "region_b"):
                if r[k] not in names:
                    names.append(r[k])
        idx = {n: i for i, n in enumerate(names)}
        values = {(min(idx[r["region_a"]], idx[r["region_b"]]), max(idx[r["region_a"]], idx[r["region_b"]])): r["ties"]
                  for r in rep["tie_matrix"]}
        out.append(charts.heat_map(names, values, title="地区间联系数" if zh else "Ties between regions"))
    if sid == "hubs" and rep["hubs"]:
        out.append(charts.bars([(h["name"], h["betweenness"]) for h in rep["hubs"]],
                               title="枢纽组织：中介中心性" if zh else "Hubs: betweenness"))
    if sid == "brokers" and rep["brokers"]:
        out.append(charts.bars([(b["name"], b["total"]) for b in rep["brokers"]], color=charts.BAR_2,
                               title="跨地区中介：居中次数（Gould–Fernandez）" if zh
                               else "Brokers: times in between (Gould–Fernandez)"))
    if sid == "communities" and rep["communities"]["communities"]:
        colors = {r[lang]: (r[lang], r["color"]) for r in rep["regions"]}
        items = [(f"{'社群' if zh else 'Community'} {c['index']}", c["region_counts"])
                 for c in rep["communities"]["communities"]]
        out.append(charts.stacked(items, colors, title="社群的地区构成" if zh else "Communities by region"))
    return out


# ---------------------------------------------------------------------------
# Markdown


def render_markdown(rep: dict) -> str:
    """The report as Markdown, cells escaped with :func:`md_cell`."""
    T = TEXT[rep["lang"]]
    lines = [f"# {T['title']}", ""]
    lines.append(f"{T['sources']}: " + "; ".join(
        md_text(_source_text(s)) for s in rep["sources"]))
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


class _Nodes:
    """``G.nodes`` of :class:`_DatasetGraph`: a node's dataset attributes with its region group."""

    def __init__(self, net):
        self.ds, self.groups = net.dataset, net.region_groups

    def __getitem__(self, nid) -> dict:
        return {**self.ds.nodes[nid], "region_group": self.groups.get(nid, "other")}

    def __contains__(self, nid) -> bool:
        return nid in self.ds.nodes

    def __call__(self, data: bool = False):
        if not data:
            return iter(self.ds.nodes)
        return ((n, self[n]) for n in self.ds.nodes)


class _DatasetGraph:
    """What the report reads of the ``MultiDiGraph``, answered from the dataset (large networks).

    ``nodes[id]``, ``nodes(data=True)``, ``has_edge``, ``G[u][v]`` (type → relationship),
    ``out_edges(n, keys=True)`` and ``edges(keys=True, data=True)``, as
    :func:`alliances.graph.build_graph` gives them (one edge per relationship, keyed by type).
    """

    def __init__(self, net):
        self.ds = net.dataset
        self.nodes = _Nodes(net)
        self._out: dict = {}
        for r in self.ds.relationships:
            self._out.setdefault(r["start"], {}).setdefault(r["end"], {})[r["type"]] = r

    def number_of_nodes(self) -> int:
        return len(self.ds.nodes)

    def has_edge(self, u, v) -> bool:
        return v in self._out.get(u, {})

    def __getitem__(self, u) -> dict:
        return self._out.get(u, {})

    def out_edges(self, nid, keys: bool = False):
        return [(nid, v, k) for v, ks in self._out.get(nid, {}).items() for k in ks]

    def edges(self, keys: bool = False, data: bool = False):
        rels = self.ds.relationships
        if data:
            return ((r["start"], r["end"], r["type"], r) if keys else (r["start"], r["end"], r) for r in rels)
        return ((r["start"], r["end"], r["type"]) if keys else (r["start"], r["end"]) for r in rels)


class _ProjectionLookup:
    """What the report reads of the organisations projection, from its arrays and the dataset.

    ``id in H``, ``H.neighbors(id)``, ``H.nodes[id]["region_group"]``, ``H[a][b]["via"]``
    (the shared alliances, agreements and activities, in dataset order, capped hubs left
    out, as :func:`alliances.graph.organizations_projection` lists them) and
    ``H.subgraph(ids).edges()``.
    """

    def __init__(self, net, V):
        from alliances.order import HUB_LABELS

        self.V, self.adj, self.csr = V, net.adjacency, V.csr
        self.index = {nid: i for i, nid in enumerate(V.P.ids)}
        self.nodes = {nid: {"region_group": g} for nid, g in zip(V.P.ids, V.groups)}
        self.position = {nid: i for i, nid in enumerate(net.dataset.nodes)}
        capped = {h["id"] for h in V.P.capped_hubs}
        self.hub = {n for n, d in net.dataset.nodes.items() if d["label"] in HUB_LABELS and n not in capped}

    def __contains__(self, nid) -> bool:
        return nid in self.index

    def neighbors(self, nid):
        ids = self.V.P.ids
        return [ids[j] for j in self.csr.neighbours(self.index[nid]).tolist()]

    def _hubs(self, nid) -> set:
        return {h for h in self.adj[nid] if h in self.hub} if nid in self.adj else set()

    def __getitem__(self, a):
        lookup = self

        class _Row:
            def __getitem__(self, b):
                via = sorted(lookup._hubs(a) & lookup._hubs(b), key=lookup.position.__getitem__)
                return {"via": via}

        return _Row()

    def subgraph(self, ids):
        keep = [self.index[n] for n in ids if n in self.index]
        inside = set(keep)
        P = self.V.P
        pairs = [(P.ids[x], P.ids[y]) for x in keep for y in self.csr.neighbours(x).tolist() if y in inside and x < y]

        class _Sub:
            def edges(self):
                return pairs

        return _Sub()
