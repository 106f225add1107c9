"""The coverage work and a registry for a generated network (``alliances generate --coverage``).

Added to the files :mod:`alliances.generate` wrote, in proportions like the
article's (¶7, ¶23, scaled to the network): one guidance station per 4,000
organisations, one contact point per 300, one demonstration site per 6,000,
one industry bloc per 10,000 (each led by an enterprise, with eight
Party-building instructors each paired with an industry instructor), one
county-level leader per 6,000 contacting seven above-scale enterprises, one
problem per 500 (70 % resolved). Then a registry of every enterprise and
social organisation plus 10 % not in the graph, written as a planner's file
(``registry-input.csv``) and imported with :func:`alliances.registry.imports.import_registry`:
0.2 % of the codes fail their check, 1 % of the names carry a legal form or
full-width digits (matched by name), 0.5 % an added 筹建处 (sent to review).
Same ``n`` and ``seed``, same files.
"""

from __future__ import annotations

from pathlib import Path

from alliances.registry import creditcode

DIVISION = {"sichuan": "510000", "zigong": "510300", "chengdu": "510100", "chongqing": "500000",
            "rongchang": "500153", "yongchuan": "500118", "neijiang": "511000", "yibin": "511500",
            "luzhou": "510500"}
INDUSTRIES = ("装备制造", "新材料", "节能环保", "电子信息", "商贸物流", "食品", "化工", "生物医药", "建筑")
_FULL = str.maketrans("0123456789", "０１２３４５６７８９")


def write_coverage(folder: Path, n: int, seed: int, arrays: dict, counts: dict) -> dict:
    import numpy as np

    from alliances.generate import REGIONS, source_id

    rng = np.random.default_rng([seed, 20])
    src = source_id(seed)
    kinds, names = arrays["kinds"], arrays["kind_names"]
    org_region, org_zone, zone_region = arrays["org_region"], arrays["org_zone"], arrays["zone_region"]
    committees = arrays["committees"]
    ent_code, soc_code = names.index("enterprise"), names.index("social_organization")
    enterprises = np.flatnonzero(kinds == ent_code)
    socials = np.flatnonzero(kinds == soc_code)
    REGIONS = arrays.get("regions", REGIONS)  # noqa: N806  (the set --regions chose)
    region_ids = [r[0] for r in REGIONS]
    above = rng.random(n) < 0.3

    def dates(count, start=2019, years=4):
        base = np.datetime64(f"{start}-01-01")
        return np.datetime_as_string(base + rng.integers(0, 365 * years, size=count), unit="D").tolist()

    def pick(pool, size):
        return pool[rng.integers(0, len(pool), size=size)]

    nodes, rels = [], []
    tail = f",{src},1"

    def node(nid, label, name, r):
        nodes.append(f"{nid},{label},{name},,,{region_ids[r]},,,,,,{src},1,true\n")

    def rel(a, t, b, role="", date=""):
        rels.append(f"{a},{t},{b},{role},{date},,{tail}\n")

    n_st, n_cp, n_site = max(1, n // 4000), max(1, n // 300), max(1, n // 6000)
    n_bloc, n_ldr, n_prob = max(1, n // 10_000), max(1, n // 6000), max(1, n // 500)
    for s in range(n_st):
        host = int(pick(enterprises, 1)[0])
        node(f"station-{s}", "Station", f"合成党建指导站{s}", int(org_region[host]))
        rel(f"station-{s}", "HOSTED_BY", f"org-{host}")
        for e, d in zip(np.unique(pick(enterprises, 20)).tolist(), dates(20)):
            rel(f"station-{s}", "SERVES", f"org-{e}", date=d)
    for c in range(n_cp):
        host = int(pick(enterprises, 1)[0])
        node(f"contact-{c}", "ContactPoint", f"合成党建联系点{c}", int(org_region[host]))
        d = dates(1)[0]
        rel(f"contact-{c}", "HOSTED_BY", f"org-{host}", date=d)
        for e in np.unique(pick(enterprises, 4)).tolist():
            rel(f"contact-{c}", "SERVES", f"org-{e}", date=d)
    for s in range(n_site):
        host = int(pick(enterprises, 1)[0])
        node(f"site-{s}", "DemonstrationSite", f"合成党建示范点{s}", int(org_region[host]))
        rel(f"site-{s}", "HOSTED_BY", f"org-{host}")
    n_person = 0
    for b in range(n_bloc):
        members = np.unique(pick(enterprises, 30))
        lead = int(members[0])
        node(f"bloc-{b}", "IndustryBloc", f"{INDUSTRIES[b % len(INDUSTRIES)]}行业联体{b}", int(org_region[lead]))
        rel(f"org-{lead}", "LEADS_BLOC", f"bloc-{b}")
        for e in members[1:].tolist():
            rel(f"org-{e}", "IN_BLOC", f"bloc-{b}")
        for k, d in zip(range(8), dates(8)):
            p, q = f"instructor-{b}-{k}", f"industry-instructor-{b}-{k}"
            node(p, "Person", f"合成党建指导员{b}-{k}", int(org_region[lead]))
            node(q, "Person", f"合成行业指导员{b}-{k}", int(org_region[lead]))
            rel(p, "INSTRUCTS", f"bloc-{b}", "党建指导员", d)
            rel(q, "INSTRUCTS", f"bloc-{b}", "行业指导员", d)
            rel(p, "PAIRED_WITH", q)
            n_person += 2
    big = enterprises[above[enterprises]] if above[enterprises].any() else enterprises
    for g in range(n_ldr):
        node(f"leader-{g}", "Person", f"合成县级领导{g}", 1)
        for e, d in zip(np.unique(pick(big, 7)).tolist(), dates(7)):
            rel(f"leader-{g}", "CONTACTS", f"org-{e}", "县级领导", d)
        n_person += 1
    raised = dates(n_prob, 2019, 3)
    done = (rng.random(n_prob) < 0.7).tolist()
    for p, (e, d) in enumerate(zip(pick(enterprises, n_prob).tolist(), raised)):
        status = "resolved" if done[p] else "open"
        nodes.append(f"problem-{p},Problem,合成企业诉求{p},,,{region_ids[int(org_region[e])]},{d},,{status},,,{src},1,true\n")
        rel(f"org-{e}", "RAISED", f"problem-{p}", date=d)
        if done[p]:
            later = str(np.datetime64(d) + int(rng.integers(10, 200)))
            rel(f"org-{committees[p % len(committees)]}", "RESOLVED", f"problem-{p}", date=later)
    with open(folder / "nodes.csv", "a", encoding="utf-8", newline="") as fh:
        fh.writelines(nodes)
    with open(folder / "relationships.csv", "a", encoding="utf-8", newline="") as fh:
        fh.writelines(rels)

    # the registry, as a planner's file
    from alliances.cells import csv_line

    entries = np.concatenate([enterprises, socials])
    entries.sort()
    lines = [csv_line(["名称", "统一社会信用代码", "类别", "园区或地区", "行业", "规模", "登记日期"], guarded=False)]
    variant = rng.random(len(entries))
    registered = dates(len(entries) + n // 10, 2000, 25)
    rz = [r[1] for r in REGIONS]
    for j, i in enumerate(entries.tolist()):
        k = int(kinds[i])
        r = int(org_region[i])
        name = f"{rz[r]}合成{'企业' if k == ent_code else '社会组织'}{i}"
        code = creditcode.make("91" if k == ent_code else "51", DIVISION[region_ids[r]], f"MA{i:07d}")
        v = variant[j]
        if v < 0.002:
            code = code[:17] + ("0" if code[17] != "0" else "1")
        elif v < 0.007:
            name += "有限公司"
        elif v < 0.012:
            name = name.translate(_FULL)
        elif v < 0.017:
            name += "筹建处"
        place = f"zone-{org_zone[i]}" if org_zone[i] >= 0 else region_ids[r]
        lines.append(csv_line([name, code, "企业" if k == ent_code else "社会组织", place,
                               INDUSTRIES[i % len(INDUSTRIES)], "规上" if above[i] else "规下", registered[j]]))
    n_zones = len(zone_region)
    for x in range(n // 10):
        z = int(rng.integers(0, n_zones))
        code = creditcode.make("91", DIVISION[region_ids[int(zone_region[z])]], f"MB{x:07d}")
        lines.append(csv_line([f"新登记{INDUSTRIES[x % len(INDUSTRIES)]}单位{x}号", code, "企业", f"zone-{z}",
                               INDUSTRIES[x % len(INDUSTRIES)], "规下", registered[len(entries) + x]]))
    source = folder / "registry-input.csv"
    source.write_text("".join(lines), encoding="utf-8")

    from alliances.registry.imports import import_registry

    # a fixed import date: the same n and seed give the same bytes on any day
    result = import_registry(folder, source, review=str(folder / "registry-review.csv"), imported="2025-01-01")
    return {"entries": result.entries, "review": result.counts["review"], "unmatched": result.counts["unmatched"],
            "work_nodes": len(nodes), "work_relationships": len(rels)}
