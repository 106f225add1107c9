"""What changed between two dates: the network as of one date against the network as of another.

Each date's network is the one every ``--as-of`` gives (:func:`alliances.graph.dated_after`:
a dated fact counts once its whole period has passed, undated facts always
count). Between the two:

- alliances, agreements and activities that are new (there at the later date,
  not at the earlier) or lapsed (the other way round: their ``ended`` date had
  passed);
- cross-region ties of the organisations projection (two organisations of
  different regions tied, as ``alliances brokers`` counts them), new and lost,
  and the count per region pair;
- hubs (the top N of ``alliances centrality``: projection ``full``, by
  betweenness) and brokers (the top N of ``alliances brokers``: organisations
  projection) that entered or left the top N;
- corridors between two regions (the fewest ties between any organisation of
  one and any of the other, as ``alliances corridors``) that opened, closed,
  lengthened or shortened.

Above the engine threshold the dated parts of a dataset are cut out without
building the whole graph and answered on the arrays
(:meth:`alliances.network.Network.analyses_on_arrays`); below it on networkx,
the reference (both tested equal).
"""

from __future__ import annotations

import datetime
from itertools import combinations

from alliances.network import DEFAULT_PROJECTION, Network, as_network

#: The kinds of fact listed as new or lapsed: label → key in the result.
FACT_KINDS = {"Alliance": "alliances", "Agreement": "agreements", "Activity": "activities"}
NO_REGION = "other"


def period_end(value: str, *, option: str = "date") -> str:
    """The last day ``value`` (YYYY, YYYY-MM or YYYY-MM-DD) can mean; a clear error when it is no date.

    >>> period_end("2020"), period_end("2021-02"), period_end("2021-03-04")
    ('2020-12-31', '2021-02-28', '2021-03-04')
    """
    from alliances.dataset import date_end, date_problem
    from alliances.errors import UsageError

    why = date_problem(value)
    if why is not None:
        raise UsageError(f"{option} {value!r} is not a date{why[0]}; write YYYY, YYYY-MM or YYYY-MM-DD "
                         "(or 2021年3月), e.g. 2021-06.")
    return date_end(value)


def latest_fact_day(network) -> str | None:
    """The last day of the latest dated node or relationship, or ``None`` when nothing is dated."""
    from alliances.dataset import date_end

    net = as_network(network)
    if net.dataset is not None:
        dates = [d.get("date") for d in net.dataset.nodes.values()]
        dates += [r.get("date") for r in net.dataset.relationships]
    else:
        dates = [d.get("date") for _, d in net.graph.nodes(data=True)]
        dates += [d.get("date") for _, _, d in net.graph.edges(data=True)]
    days = [date_end(d) for d in dates if d]
    return max(days) if days else None


def network_as_of(network, day: str) -> tuple[Network, dict]:
    """The network as it stood on ``day`` (YYYY-MM-DD), as a :class:`Network`, and the scenario's meta.

    On a large dataset (:meth:`Network.analyses_on_arrays`) the dated part is
    cut out of the dataset (:meth:`Network.scenario`: nodes keep the whole
    network's region groups), so its array views answer; else the graph is
    filtered (:func:`alliances.analysis.centrality.scenario_graph`). One rule
    (:func:`alliances.graph.dated_after`), the same meta.
    """
    net = as_network(network)
    if net.analyses_on_arrays():
        return net.scenario(day)
    from alliances.analysis.centrality import scenario_graph

    G, meta = scenario_graph(net.graph, as_of=day)
    return Network(graph=G, thresholds=net._thresholds, region_level=net.region_level), meta


def region_distances(H, keys: list[str]) -> dict[tuple[str, str], int | None]:
    """Corridor distance (:func:`alliances.analysis.brokerage.corridor`) of every pair of ``keys`` in ``H``.

    The networkx reference; :func:`alliances.engine.region_distances` is the same on arrays (tested).
    """
    import networkx as nx

    members = {k: [n for n, d in H.nodes(data=True) if d.get("region_group", NO_REGION) == k] for k in keys}
    out = {}
    for i, a in enumerate(keys):
        dist = nx.multi_source_dijkstra_path_length(H, members[a], weight=None) if members[a] else {}
        for b in keys[i + 1:]:
            found = [dist[n] for n in members[b] if n in dist]
            out[(a, b)] = min(found) if found else None
    return out


def top_brokers_arrays(P, groups: dict[str, str], names: dict[str, str], top: int) -> list[dict]:
    """The first ``top`` rows of :func:`alliances.analysis.brokerage.broker_table` (id, name, region,
    role counts) straight from the organisations projection's arrays: the same roles
    (:func:`alliances.engine.brokerage_arrays`) and the same order (cross-region brokerage, then
    total, then id), without the networkx graph or the cut points."""
    import numpy as np

    from alliances import engine
    from alliances.analysis.brokerage import ROLES, broker_order

    codes: dict[str, int] = {}
    g = np.array([codes.setdefault(groups.get(n, NO_REGION), len(codes)) for n in P.ids], dtype=np.int64)
    cols = engine.brokerage_arrays(P, g)
    order, total, cross = broker_order(P.ids, cols, top)
    return [{"id": P.ids[i], "name": names.get(P.ids[i], P.ids[i]), "region": groups.get(P.ids[i], NO_REGION),
             **{r: int(cols[r][i]) for r in ROLES}, "cross_region": int(cross[i]), "total": int(total[i])}
            for i in order.tolist()]


def _state(network, day: str, top: int) -> dict:
    """Everything compared at one date.

    On the arrays (a dataset above the engine threshold) no networkx graph is
    built: hubs from :func:`alliances.analysis.centrality.centrality_table` on
    the dataset, brokers from :func:`top_brokers_arrays`, ties and corridor
    distances from the organisations projection's arrays. Else the reference:
    the graph's organisations projection, ``broker_table``, networkx distances.
    """
    from alliances.analysis.centrality import capped_hubs_named, centrality_table

    net, meta = network_as_of(network, day)
    on_arrays = net.dataset is not None and net.thresholds.on_engine(net.number_of_nodes())
    if on_arrays:
        from alliances import engine

        P = net.projection_arrays("organizations")
        nodes, all_groups = net.nodes, net.region_groups
        ids = P.ids
        groups = {n: all_groups.get(n, NO_REGION) for n in ids}
        names = {n: nodes[n].get("name", n) for n in ids}
        meta["capped_hubs"] = capped_hubs_named(P.capped_hubs, nodes)
        hubs = centrality_table(None, projection_name=DEFAULT_PROJECTION, by="betweenness", top=top, dataset=net)
        brokers = top_brokers_arrays(P, groups, names, top)
        edges = zip(P.u.tolist(), P.v.tolist())
        pairs = ((ids[a], ids[b]) for a, b in edges)
        group_list = [groups[n] for n in ids]

        def distances(keys):
            return engine.region_distances(P, group_list, keys)
        node_items = nodes.items()
    else:
        from alliances.analysis.brokerage import broker_table
        from alliances.graph import organizations_projection

        G = net.graph
        H = organizations_projection(G, max_members=net.thresholds.hub_members)
        meta["capped_hubs"] = capped_hubs_named(H.graph["capped_hubs"], G.nodes)
        if net.dataset is not None:  # the rows of 'alliances centrality' on a dataset
            hubs = centrality_table(None, projection_name=DEFAULT_PROJECTION, by="betweenness", top=top, dataset=net)
        else:
            hubs = centrality_table(G, projection_name=DEFAULT_PROJECTION, by="betweenness", top=top)
        brokers = broker_table(H, top=top)
        groups = {n: d.get("region_group", NO_REGION) for n, d in H.nodes(data=True)}
        names = {n: d.get("name", n) for n, d in H.nodes(data=True)}
        pairs = H.edges()

        def distances(keys):
            return region_distances(H, keys)
        node_items = G.nodes(data=True)
    facts = {key: {} for key in FACT_KINDS.values()}
    for n, d in node_items:
        key = FACT_KINDS.get(d.get("label"))
        if key:
            facts[key][n] = {"id": n, "name": d.get("name", n), "name_en": d.get("name_en", ""),
                             "date": d.get("date", ""), "ended": d.get("ended", "")}
    ties = {}
    for u, v in pairs:
        ga, gb = groups[u], groups[v]
        if ga != gb and ga != NO_REGION and gb != NO_REGION:
            ties[(u, v) if u < v else (v, u)] = True
    return {"day": day, "meta": meta, "groups": groups, "names": names, "distances": distances, "hubs": hubs,
            "brokers": brokers, "facts": facts, "ties": ties, "on_arrays": on_arrays}


def _region_names(table: list[dict], lang: str) -> dict[str, str]:
    from alliances import regions

    look = regions.lookup(table)
    return {k: regions.info(look, k)[lang] for k in list(look) + [NO_REGION]}


def network_changes(
    network,
    *,
    date_from: str,
    date_to: str | None = None,
    top: int = 10,
    lang: str = "zh",
    options: tuple[str, str] = ("--from", "--to"),
) -> dict:
    """What changed between the network as of ``date_from`` and as of ``date_to``.

    Parameters
    ----------
    network : Network or networkx.MultiDiGraph
    date_from, date_to : str
        ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``; a partial date means its last
        day (``2020`` → 2020-12-31), as a dated fact counts. ``date_to``
        defaults to the latest dated fact (today when nothing is dated).
    top : int
        How many hubs and brokers each date's top list holds.
    lang : {"zh", "en"}
        Language of region names.
    options : (str, str)
        How errors name the two dates (the options they came from).

    Returns
    -------
    dict
        ``{"meta", "regions", "alliances", "agreements", "activities",
        "cross_region_ties", "hubs", "brokers", "corridors", "counts"}``
        (documented in docs/analyses.md). Raises
        :class:`alliances.errors.UsageError` for a bad date or ``date_from``
        after ``date_to``.

    Examples
    --------
    >>> from alliances.dataset import read_dataset
    >>> out = network_changes(Network(read_dataset(None)), date_from="2019", date_to="2020")
    >>> [a["name"] for a in out["agreements"]["new"]]
    ['“先锋同行”党建共建合作协议']
    """
    from alliances.errors import UsageError

    net = as_network(network)
    day_from = period_end(date_from, option=options[0])
    if date_to is None:
        day_to = latest_fact_day(net) or datetime.date.today().isoformat()
        if day_from > day_to:
            raise UsageError(f"{options[0]} {date_from} ({day_from}) is after the latest dated fact ({day_to}): "
                             f"nothing can have changed since; give an earlier date or {options[1]}.")
    else:
        day_to = period_end(date_to, option=options[1])
        if day_from > day_to:
            raise UsageError(f"{options[0]} {date_from} ({day_from}) is after {options[1]} {date_to} ({day_to}); "
                             f"give the earlier date to {options[0]}.")
    out = compare_days(net, day_from, day_to, top=top, lang=lang)
    out["meta"].update({"from": date_from, "to": date_to if date_to is not None else day_to,
                        "to_default": date_to is None})
    return out


def compare_days(network, day_before: str, day_after: str, *, top: int = 10, lang: str = "zh") -> dict:
    """:func:`network_changes` between two days (YYYY-MM-DD) in either order, unchecked.

    ``new`` means there on ``day_after`` and not on ``day_before``; with the
    days reversed, what the later date added shows as lapsed or lost, and
    corridors it shortened as lengthened.
    """
    net = as_network(network)
    day_from, day_to = day_before, day_after
    before, after = _state(net, day_from, top), _state(net, day_to, top)
    table = net.regions
    names = _region_names(table, lang)

    def region(n, state):
        key = state["groups"].get(n, NO_REGION)
        return key, names.get(key, key)

    out: dict = {}
    for key in FACT_KINDS.values():
        b, a = before["facts"][key], after["facts"][key]
        out[key] = {"new": [a[n] for n in a if n not in b], "lapsed": [b[n] for n in b if n not in a]}

    def tie_rows(ties, state):
        rows, who = [], state["names"]
        for u, v in sorted(ties):
            (ra, na), (rb, nb) = region(u, state), region(v, state)
            rows.append({"a": u, "a_name": who.get(u, u), "a_region": ra, "a_region_name": na,
                         "b": v, "b_name": who.get(v, v), "b_region": rb, "b_region_name": nb})
        return rows

    new_ties = [t for t in after["ties"] if t not in before["ties"]]
    lost_ties = [t for t in before["ties"] if t not in after["ties"]]
    order = [r["key"] for r in table if r["key"] != NO_REGION]
    rank = {k: i for i, k in enumerate(order)}

    def pair_key(u, v, state):
        ka, kb = region(u, state)[0], region(v, state)[0]
        return (ka, kb) if rank.get(ka, len(rank)) <= rank.get(kb, len(rank)) else (kb, ka)

    counts: dict[tuple[str, str], list[int]] = {}
    for i, state in enumerate((before, after)):
        for u, v in state["ties"]:
            counts.setdefault(pair_key(u, v, state), [0, 0])[i] += 1
    by_pair = [{"region_a": ka, "region_b": kb, "region_a_name": names.get(ka, ka),
                "region_b_name": names.get(kb, kb), "before": c[0], "after": c[1], "change": c[1] - c[0]}
               for (ka, kb), c in sorted(counts.items(), key=lambda kv: (rank.get(kv[0][0], 99), rank.get(kv[0][1], 99)))]
    out["cross_region_ties"] = {"new": tie_rows(new_ties, after), "lost": tie_rows(lost_ties, before),
                                "by_region_pair": by_pair}

    def top_change(rows_b, rows_a, fields):
        ib = {r["id"]: i + 1 for i, r in enumerate(rows_b)}
        ia = {r["id"]: i + 1 for i, r in enumerate(rows_a)}

        def item(r, state, rb, ra):
            key, name = r["region"], names.get(r["region"], r["region"])
            return {"id": r["id"], "name": r["name"], "region": key, "region_name": name,
                    "rank_before": rb, "rank_after": ra, **{f: r[f] for f in fields}}

        return {
            "before": [item(r, before, ib[r["id"]], ia.get(r["id"])) for r in rows_b],
            "after": [item(r, after, ib.get(r["id"]), ia[r["id"]]) for r in rows_a],
            "new": [item(r, after, None, ia[r["id"]]) for r in rows_a if r["id"] not in ib],
            "lost": [item(r, before, ib[r["id"]], None) for r in rows_b if r["id"] not in ia],
        }

    out["hubs"] = top_change(before["hubs"], after["hubs"], ["betweenness", "degree"])
    out["brokers"] = top_change(before["brokers"], after["brokers"], ["cross_region"])

    from alliances.analysis.brokerage import distance_change

    present = set(before["groups"].values()) | set(after["groups"].values())
    keys = [k for k in order if k in present]
    db, da = before["distances"](keys), after["distances"](keys)
    corridor_rows = []
    for a, b in combinations(keys, 2):
        x, y = db[(a, b)], da[(a, b)]
        change = distance_change(x, y)
        corridor_rows.append({"region_a": a, "region_b": b, "region_a_name": names.get(a, a),
                              "region_b_name": names.get(b, b), "before": x, "after": y, "change": change})
    out["corridors"] = corridor_rows

    out["counts"] = {
        **{f"{k}_{w}": len(out[k][w]) for k in FACT_KINDS.values() for w in ("new", "lapsed")},
        "cross_region_ties_new": len(new_ties), "cross_region_ties_lost": len(lost_ties),
        "cross_region_ties_before": len(before["ties"]), "cross_region_ties_after": len(after["ties"]),
        "hubs_new": len(out["hubs"]["new"]), "hubs_lost": len(out["hubs"]["lost"]),
        "brokers_new": len(out["brokers"]["new"]), "brokers_lost": len(out["brokers"]["lost"]),
        **{f"corridors_{c}": sum(r["change"] == c for r in corridor_rows)
           for c in ("opened", "closed", "lengthened", "shortened", "unchanged")},
    }
    meta = {
        "from": day_from, "to": day_to, "from_day": day_from, "to_day": day_to, "to_default": False,
        "top": top, "lang": lang, "hubs": {"projection": DEFAULT_PROJECTION, "by": "betweenness"},
        "brokers": {"projection": "organizations"},
        "backend": "arrays" if after["on_arrays"] else "networkx",
        "before": before["meta"], "after": after["meta"],
    }
    return {"meta": meta, "regions": table, **out}


# ---------------------------------------------------------------------------
# The changes as rows, in words (tables, CSV and the report share them)

WORDS = {
    "zh": {
        "sections": {"alliances": "联盟", "agreements": "共建协议", "activities": "活动",
                     "cross_region_ties": "跨地区联系", "hubs": "枢纽", "brokers": "经纪人", "corridors": "走廊"},
        "changes": {"new": "新增", "lapsed": "失效", "lost": "消失", "opened": "打通", "closed": "中断",
                    "lengthened": "变长", "shortened": "变短"},
        "columns": ("类别", "变化", "对象", "之前", "之后"),
        "rank": "第 {n} 名", "none": "—", "disconnected": "不连通", "hops": "{n} 步",
        "out_of_top": "不在前 {top} 名", "ended": "{date} 结束",
    },
    "en": {
        "sections": {"alliances": "Alliances", "agreements": "Agreements", "activities": "Activities",
                     "cross_region_ties": "Cross-region ties", "hubs": "Hubs", "brokers": "Brokers",
                     "corridors": "Corridors"},
        "changes": {"new": "new", "lapsed": "lapsed", "lost": "lost", "opened": "opened", "closed": "closed",
                    "lengthened": "lengthened", "shortened": "shortened"},
        "columns": ("section", "change", "what", "before", "after"),
        "rank": "#{n}", "none": "—", "disconnected": "not connected", "hops": "{n} tie(s)",
        "out_of_top": "not in top {top}", "ended": "ended {date}",
    },
}
#: Sections in the order they are listed.
SECTIONS = ("alliances", "agreements", "activities", "cross_region_ties", "hubs", "brokers", "corridors")


def change_rows(result: dict, lang: str = "zh") -> list[dict]:
    """Every change of :func:`network_changes` as one row, in the sections' order.

    Each row: ``section`` and ``change`` (codes), ``id`` (a node id, ``A~B``
    for a tie, ``a|b`` region keys for a corridor), ``what`` (names in
    words), ``before`` and ``after`` (in words: ranks, distances, dates).
    Corridors that did not change are left out.
    """
    w = WORDS[lang]
    name_key = "name_en" if lang == "en" else "name"
    top = result["meta"]["top"]
    rows = []

    def rank(n):
        return w["rank"].format(n=n) if n else w["out_of_top"].format(top=top)

    def dist(d):
        return w["disconnected"] if d is None else w["hops"].format(n=d)

    def region(name):
        return f"（{name}）" if lang == "zh" else f" ({name})"

    for section in SECTIONS:
        part = result[section]
        if section in FACT_KINDS.values():
            for change in ("new", "lapsed"):
                for f in part[change]:
                    rows.append({"section": section, "change": change, "id": f["id"],
                                 "what": f.get(name_key) or f["name"],
                                 "before": w["none"] if change == "new" else (f["date"] or w["none"]),
                                 "after": (f["date"] or w["none"]) if change == "new" else
                                 (w["ended"].format(date=f["ended"]) if f["ended"] else w["none"])})
        elif section == "cross_region_ties":
            for change in ("new", "lost"):
                for t in part[change]:
                    rows.append({"section": section, "change": change, "id": f"{t['a']}~{t['b']}",
                                 "what": f"{t['a_name']}{region(t['a_region_name'])} ~ "
                                         f"{t['b_name']}{region(t['b_region_name'])}",
                                 "before": w["none"] if change == "new" else "✓",
                                 "after": "✓" if change == "new" else w["none"]})
        elif section in ("hubs", "brokers"):
            for change in ("new", "lost"):
                for h in part[change]:
                    rows.append({"section": section, "change": change, "id": h["id"],
                                 "what": f"{h['name']}{region(h['region_name'])}",
                                 "before": rank(h["rank_before"]), "after": rank(h["rank_after"])})
        else:
            for c in part:
                if c["change"] != "unchanged":
                    rows.append({"section": section, "change": c["change"], "id": f"{c['region_a']}|{c['region_b']}",
                                 "what": f"{c['region_a_name']}—{c['region_b_name']}",
                                 "before": dist(c["before"]), "after": dist(c["after"])})
    return rows


def rows_in_words(rows: list[dict], lang: str = "zh") -> list[dict]:
    """:func:`change_rows` with section and change in words, keyed by the language's column names."""
    w = WORDS[lang]
    cols = w["columns"]
    return [{cols[0]: w["sections"][r["section"]], cols[1]: w["changes"][r["change"]], cols[2]: r["what"],
             cols[3]: r["before"], cols[4]: r["after"]} for r in rows]
