"""The two coverages (两个覆盖) of a registry, computed from the graph.

For each registry entry matched to an Organization of the graph:

- **organisational coverage**: it has a Party organisation of its own (a
  Party body that is ``BRANCH_OF`` it and of nothing else) or is covered by a
  joint one (a Party body that is ``BRANCH_OF`` it and other organisations);
- **work coverage**: Party work reaches it — a committee ``GUIDES`` or
  ``MANAGES`` it; a guidance station or contact point ``SERVES`` it (or its
  industry bloc) or a contact point is ``HOSTED_BY`` it; an instructor
  ``INSTRUCTS`` it or its bloc; a leader ``CONTACTS`` it.

Entries not matched (not in the graph, or still awaiting the planner's
review) are covered by neither: the registry is the denominator, the graph
the evidence. Dates: an entry counts from the date it was registered, a
coverage from the date of its relationship (or of the Party body); undated
ones are kept in every year of the trend and counted, never guessed.
"""

from __future__ import annotations

from collections import Counter, defaultdict

from alliances import model

PARTY_KINDS = frozenset({"party_committee", "comprehensive_committee", "working_committee",
                         "two_new_committee", "party_branch"})
COMMITTEE_KINDS = frozenset({"party_committee", "comprehensive_committee", "working_committee",
                             "two_new_committee"})
MEANS = ("committee", "station", "contact_point", "instructor", "leader")
MATCHED = ("code", "name", "planner")
DIMENSIONS = ("kind", "place", "industry", "size")
MEANS_TEXT = {
    "committee": {"zh": "党委指导或管理", "en": "committee"},
    "station": {"zh": "党建指导站", "en": "guidance station"},
    "contact_point": {"zh": "党建联系点", "en": "contact point"},
    "instructor": {"zh": "指导员", "en": "instructor"},
    "leader": {"zh": "县级领导联系", "en": "leader's contact"},
}
# computed value of each reported figure (model.COVERAGE_FIGURE_KEYS)
FIGURE_MEASURES = {
    "two_new_orgs_on_provincial_platform": ("registry", "entries"),
    "coverage_nonpublic_enterprises_pct": ("kind", "enterprise"),
    "coverage_social_organizations_pct": ("kind", "social_organization"),
    "enterprise_party_orgs_under_comprehensive_committees": ("work", "managed_party_orgs"),
    "small_micro_guidance_stations": ("work", "stations"),
    "party_building_contact_points": ("work", "contact_points"),
    "party_building_demonstration_sites": ("work", "demonstration_sites"),
    "county_level_leaders_linked": ("work", "leaders"),
    "key_enterprises_linked": ("work", "enterprises_contacted"),
    "industry_blocs": ("work", "blocs"),
    "party_building_instructors": ("work", "party_instructors"),
    "problems_resolved": ("problems", "resolved"),
}


def _earliest(dates: list[str]) -> str:
    """The effective date of a coverage: '' (always) if any fact is undated, else the earliest."""
    return "" if not dates or any(not d for d in dates) else min(dates)


def _later(a: str, b: str) -> str:
    return max(a, b) if a and b else (a or b)


def _pct(part: int, whole: int) -> float | None:
    return round(100.0 * part / whole, 1) if whole else None


def coverage_report(ds, *, lang: str = "zh") -> dict:
    """Coverage of ``ds.registry`` from ``ds``'s graph, as plain data.

    Parameters
    ----------
    ds : alliances.dataset.Dataset
        A checked dataset; its ``registry`` may be empty (then only the work
        in the graph and the reported figures are given).
    lang : {"zh", "en"}
        Language of place names and the words in ``reached_by``.

    Returns
    -------
    dict
        ``meta``, ``totals``, ``groups`` (one row per dimension and value:
        kind, place, industry, size), ``entries`` (each with its coverage),
        ``uncovered`` (neither coverage), ``no_party_organisation``,
        ``not_reached``, ``review`` (entries awaiting a decision), ``trend``
        (per year), ``problems``, ``work`` (counts in the graph) and
        ``reported`` (the dataset's coverage figures beside the computed ones).

    Examples
    --------
    >>> from alliances.dataset import read_dataset
    >>> rep = coverage_report(read_dataset())
    >>> [r["reported"] for r in rep["reported"]][:3]
    [1566, 97.5, 95.8]
    """
    nodes = ds.nodes
    ix = _index(ds)
    party_of, targets, reach = ix["party_of"], ix["targets"], ix["reach"]
    instructors, leaders, contacted, managed = ix["instructors"], ix["leaders"], ix["contacted"], ix["managed"]
    raised_on, resolved_on = ix["raised_on"], ix["resolved_on"]
    work = Counter()
    labels = Counter(n["label"] for n in nodes.values())
    work.update({
        "stations": labels.get("Station", 0), "contact_points": labels.get("ContactPoint", 0),
        "demonstration_sites": labels.get("DemonstrationSite", 0), "blocs": labels.get("IndustryBloc", 0),
        "party_instructors": len(instructors.get("party_instructor", ())),
        "industry_instructors": len(instructors.get("industry_instructor", ())),
        "leaders": len(leaders), "enterprises_contacted": len(contacted), "managed_party_orgs": len(managed),
    })

    # problems raised vs resolved
    problems = [nid for nid, n in nodes.items() if n["label"] == "Problem"]
    by_year: dict[str, Counter] = defaultdict(Counter)
    n_resolved = 0
    for p in problems:
        raised = raised_on.get(p) or nodes[p].get("date", "")
        done = nodes[p].get("status", "") == "resolved" or p in resolved_on
        by_year[raised[:4] or "undated"]["raised"] += 1
        if done:
            n_resolved += 1
            by_year[(resolved_on.get(p, "") or "")[:4] or "undated"]["resolved"] += 1
    prob = {"raised": len(problems), "resolved": n_resolved, "open": len(problems) - n_resolved,
            "by_year": [{"year": y, "raised": c["raised"], "resolved": c["resolved"]}
                        for y, c in sorted(by_year.items(), key=lambda kv: (kv[0] == "undated", kv[0]))]}

    # each entry
    def place_name(pid):
        n = nodes.get(pid, {})
        return (n.get("name_en") or n.get("name") or pid) if lang == "en" else (n.get("name") or pid)

    entries = []
    for e in ds.registry:
        m = e.get("match", "") if e.get("match_method") in MATCHED else ""
        bodies = party_of.get(m, []) if m else []
        own = [b for b, _ in bodies if targets[b] == 1]
        org = "own" if own else ("joint" if bodies else "")
        ways = reach.get(m, []) if m else []
        means = [x for x in MEANS if any(w[0] == x for w in ways)]
        entries.append({
            "id": e["id"], "name": e["name"], "credit_code": e.get("credit_code", ""), "kind": e["kind"],
            "place": e["place"], "place_name": place_name(e["place"]), "industry": e.get("industry", ""),
            "size": e.get("size", ""), "registered": e.get("registered", ""), "match": m,
            "match_method": e.get("match_method", ""), "organisation": org,
            "party_organisations": sorted({b for b, _ in bodies}), "org_date": _earliest([d for _, d in bodies]) if bodies else None,
            "work": means, "reached_by": sorted({w[1] for w in ways}),
            "work_date": _earliest([w[2] for w in ways]) if ways else None,
            "reached_by_text": ("、" if lang == "zh" else ", ").join(MEANS_TEXT[x][lang] for x in means),
        })

    def row(dim, key, items):
        n = len(items)
        own = sum(1 for x in items if x["organisation"] == "own")
        joint = sum(1 for x in items if x["organisation"] == "joint")
        work_n = sum(1 for x in items if x["work"])
        either = sum(1 for x in items if x["organisation"] or x["work"])
        return {"dimension": dim, "key": key, "name": _group_name(dim, key, place_name, lang), "entries": n,
                "matched": sum(1 for x in items if x["match"]),
                "own": own, "joint": joint, "org_covered": own + joint, "org_rate": _pct(own + joint, n),
                "work_covered": work_n, "work_rate": _pct(work_n, n), "covered": either, "covered_rate": _pct(either, n),
                "uncovered": n - either, "review": sum(1 for x in items if x["match_method"] == "review")}

    groups = []
    for dim in DIMENSIONS:
        by: dict[str, list] = defaultdict(list)
        for x in entries:
            by[x[dim] or ""].append(x)
        order = list(model.REGISTRY_KINDS) if dim == "kind" else list(model.REGISTRY_SIZES) + [""] if dim == "size" else None
        keys = sorted(by, key=lambda k: (order.index(k) if order and k in order else 99, k == "", k))
        groups += [row(dim, k, by[k]) for k in keys]
    totals = row("all", "", entries)

    # trend, per year of the dates given
    years = sorted({d[:4] for x in entries for d in (x["registered"], x["org_date"] or "", x["work_date"] or "") if d})
    trend = []
    for y in years:
        end = f"{y}-12-31"
        live = [x for x in entries if not x["registered"] or x["registered"] <= end]
        org_n = sum(1 for x in live if x["org_date"] is not None and x["org_date"] <= end)
        work_n = sum(1 for x in live if x["work_date"] is not None and x["work_date"] <= end)
        trend.append({"year": int(y), "entries": len(live), "org_covered": org_n, "org_rate": _pct(org_n, len(live)),
                      "work_covered": work_n, "work_rate": _pct(work_n, len(live))})

    has_work = any(work[k] for k in ("stations", "contact_points", "demonstration_sites", "blocs",
                                     "party_instructors", "leaders")) or bool(problems)
    reported = _reported(ds, totals, groups, work, prob, bool(entries), has_work)
    uncovered = [x for x in entries if not x["organisation"] and not x["work"]]
    return {
        "meta": {"dataset": ds.path, "registry_entries": len(entries),
                 "matched": sum(1 for x in entries if x["match"]),
                 "methods": dict(Counter(e.get("match_method", "") for e in ds.registry)),
                 "undated_registered": sum(1 for x in entries if not x["registered"]),
                 "undated_coverage": sum(1 for x in entries if x["org_date"] == "" or x["work_date"] == ""),
                 "has_work": has_work},
        "totals": totals, "groups": groups, "entries": entries, "uncovered": uncovered,
        "no_party_organisation": [x for x in entries if not x["organisation"]],
        "not_reached": [x for x in entries if not x["work"]],
        "review": [x for x in entries if x["match_method"] == "review"],
        "trend": trend, "problems": prob, "work": dict(work), "reported": reported,
    }


def _index(ds) -> dict:
    """One pass over the relationships: Party bodies, the work reaching each organisation, problems."""
    nodes, rels = ds.nodes, ds.relationships
    party_of: dict[str, list[tuple[str, str]]] = defaultdict(list)  # org -> (party body, date)
    targets: Counter = Counter()
    reach: dict[str, list[tuple[str, str, str]]] = defaultdict(list)  # org -> (means, via, date)
    bloc_reach: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
    bloc_members: dict[str, list[tuple[str, str]]] = defaultdict(list)
    instructors: dict[str, set[str]] = defaultdict(set)
    leaders, contacted, managed = set(), set(), set()
    raised_on: dict[str, str] = {}
    resolved_on: dict[str, str] = {}

    def kind(nid):
        return nodes[nid].get("kind", "")

    for r in rels:
        t, a, b, date = r["type"], r["start"], r["end"], r.get("date", "")
        la, lb = nodes[a]["label"], nodes[b]["label"]
        if t == "BRANCH_OF" and kind(a) in PARTY_KINDS:
            party_of[b].append((a, date or nodes[a].get("date", "")))
            targets[a] += 1
        elif t in ("GUIDES", "MANAGES") and kind(a) in COMMITTEE_KINDS:
            reach[b].append(("committee", a, date))
            if t == "MANAGES" and kind(a) == "comprehensive_committee" and kind(b) in PARTY_KINDS:
                managed.add(b)
        elif t == "SERVES":
            means = "station" if la == "Station" else "contact_point"
            (bloc_reach[b] if lb == "IndustryBloc" else reach[b]).append((means, a, date))
        elif t == "HOSTED_BY" and la in ("Station", "ContactPoint"):
            reach[b].append(("station" if la == "Station" else "contact_point", a, date))
        elif t in ("IN_BLOC", "LEADS_BLOC"):
            bloc_members[b].append((a, date))
        elif t == "INSTRUCTS":
            (bloc_reach[b] if lb == "IndustryBloc" else reach[b]).append(("instructor", a, date))
            instructors[_role(r.get("role", ""))].add(a)
        elif t == "CONTACTS":
            reach[b].append(("leader", a, date))
            leaders.add(a)
            contacted.add(b)
        elif t == "RAISED":
            raised_on[b] = min(filter(None, (raised_on.get(b, ""), date)), default="")
        elif t == "RESOLVED":
            resolved_on[b] = max(resolved_on.get(b, ""), date)
    for bloc, members in bloc_members.items():
        for org, since in members:
            reach[org] += [(m, via, _later(d, since)) for m, via, d in bloc_reach.get(bloc, ())]
    return {"party_of": party_of, "targets": targets, "reach": reach, "instructors": instructors,
            "leaders": leaders, "contacted": contacted, "managed": managed, "raised_on": raised_on,
            "resolved_on": resolved_on}


def organisation_states(ds) -> dict[str, str]:
    """Each enterprise and social organisation of the graph: ``organisation`` (own or joint Party
    organisation), else ``work`` (reached by Party work), else ``uncovered``. For the coverage map.
    """
    ix = _index(ds)
    out = {}
    for nid, n in ds.nodes.items():
        if n["label"] == "Organization" and n.get("kind") in model.REGISTRY_KINDS:
            out[nid] = ("organisation" if ix["party_of"].get(nid) else
                        "work" if ix["reach"].get(nid) else "uncovered")
    return out


def _role(text: str) -> str:
    for key, words in model.WORK_ROLES.items():
        if text in (key, words["zh"], words["en"]):
            return key
    return text


def _group_name(dim, key, place_name, lang) -> str:
    if dim == "all":
        return "合计" if lang == "zh" else "all"
    if not key:
        return "（未填）" if lang == "zh" else "(not given)"
    if dim == "kind":
        return model.KINDS[key].zh if lang == "zh" else model.KINDS[key].en
    if dim == "size":
        return model.REGISTRY_SIZES[key][lang if lang == "zh" else "en"]
    if dim == "place":
        return place_name(key)
    return key


def _reported(ds, totals, groups, work, prob, has_registry, has_work) -> list[dict]:
    """The dataset's coverage figures beside what the registry and the graph give (None: not modelled)."""
    out = []
    for f in ds.figures:
        if f["key"] not in model.COVERAGE_FIGURE_KEYS:
            continue
        family, name = FIGURE_MEASURES.get(f["key"], (None, None))
        computed = None
        if family == "registry" and has_registry:
            computed = totals["entries"]
        elif family == "kind" and has_registry:
            computed = next((g["org_rate"] for g in groups if g["dimension"] == "kind" and g["key"] == name), None)
        elif family == "work" and has_work:
            computed = work.get(name, 0)
        elif family == "problems" and has_work:
            computed = prob[name]
        out.append({"node": f["node"], "key": f["key"], "label_zh": f.get("label_zh", ""),
                    "label_en": f.get("label_en", ""), "reported": f["value"], "qualifier": f.get("qualifier", "exact"),
                    "unit": f.get("unit", ""), "source": f.get("source", ""), "paragraphs": f.get("paragraphs", []),
                    "computed": computed})
    order = {k: i for i, k in enumerate(model.COVERAGE_FIGURE_KEYS)}
    return sorted(out, key=lambda r: order[r["key"]])
