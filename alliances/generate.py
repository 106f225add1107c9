"""Synthetic province-scale networks shaped like the bundled Zigong dataset.

:func:`generate_dataset` writes a dataset folder (the same four CSV files and
columns as :mod:`alliances.dataset`) for ``n`` organisations, streaming rows
straight to CSV so a million organisations take seconds, not minutes. The
same ``n`` and ``seed`` always give byte-identical files.

The shape follows the real network (``alliances/data/zigong``):

- regions (Zigong, Chengdu, Chongqing and a few neighbours, nested by
  ``PART_OF``) hold development zones;
- committees (comprehensive, two-new, working) ``MANAGES`` Party branches and
  ``GUIDES`` enterprises; each branch is the ``BRANCH_OF`` one enterprise;
  every organisation is ``LOCATED_IN`` a zone or region;
- business circles are ``GOVERNS``-ed by business-circle Party committees;
- alliances (``FOUNDED`` by committees or regions, ``MEMBER_OF`` by
  organisations of several regions), dated agreements (``PARTY_TO``) and dated
  activities (``ORGANIZED`` / ``PARTICIPATED_IN``, ``HELD_IN`` a region).

Participation is heavy-tailed: every organisation draws an activity weight
from a Pareto distribution, so a few organisations take part in hundreds of
activities while most take part in a handful, as hubs do in the real network.
Hub sizes stay modest (a few to a few dozen members) so the organisations
projection grows linearly with ``n``. About five relationships are written per
organisation. Every node is marked ``synthetic=true`` and cites the one
synthetic source row ``synthetic-<seed>``, paragraph 1.
"""

from __future__ import annotations

import os
from pathlib import Path

from alliances.dataset import COLUMNS, FILES
from alliances.errors import DataError, UsageError

# id, Chinese name, English name, group region (own id = top level), weight
REGIONS = [
    ("sichuan", "四川省", "Sichuan Province", "sichuan", 0.0),
    ("zigong", "自贡市", "Zigong", "zigong", 0.33),
    ("chengdu", "成都市", "Chengdu", "chengdu", 0.25),
    ("chongqing", "重庆市", "Chongqing", "chongqing", 0.22),
    ("rongchang", "重庆荣昌", "Rongchang, Chongqing", "chongqing", 0.05),
    ("yongchuan", "重庆永川", "Yongchuan, Chongqing", "chongqing", 0.04),
    ("neijiang", "内江市", "Neijiang", "neijiang", 0.05),
    ("yibin", "宜宾市", "Yibin", "yibin", 0.03),
    ("luzhou", "泸州市", "Luzhou", "luzhou", 0.03),
]
# regions nested in another (PART_OF)
REGION_PARENTS = {
    "zigong": "sichuan", "chengdu": "sichuan", "neijiang": "sichuan", "yibin": "sichuan",
    "luzhou": "sichuan", "rongchang": "chongqing", "yongchuan": "chongqing",
}
# The Chengdu–Chongqing circle (``--regions circle``): cities of Sichuan under the
# province, districts under Chongqing and under Chengdu; one group per city.
CIRCLE_REGIONS = [
    ("sichuan", "四川省", "Sichuan Province", "sichuan", 0.0),
    ("chengdu", "成都市", "Chengdu", "chengdu", 0.16),
    ("chongqing", "重庆市", "Chongqing", "chongqing", 0.12),
    ("zigong", "自贡市", "Zigong", "zigong", 0.10),
    ("deyang", "德阳市", "Deyang", "deyang", 0.07),
    ("mianyang", "绵阳市", "Mianyang", "mianyang", 0.07),
    ("yibin", "宜宾市", "Yibin", "yibin", 0.06),
    ("luzhou", "泸州市", "Luzhou", "luzhou", 0.06),
    ("neijiang", "内江市", "Neijiang", "neijiang", 0.06),
    ("leshan", "乐山市", "Leshan", "leshan", 0.04),
    ("suining", "遂宁市", "Suining", "suining", 0.04),
    ("yongchuan", "重庆永川", "Yongchuan, Chongqing", "chongqing", 0.05),
    ("rongchang", "重庆荣昌", "Rongchang, Chongqing", "chongqing", 0.05),
    ("dazu", "重庆大足", "Dazu, Chongqing", "chongqing", 0.04),
    ("wuhou", "成都市武侯区", "Wuhou District, Chengdu", "chengdu", 0.08),
]
CIRCLE_PARENTS = {
    **{rid: "sichuan" for rid in ("chengdu", "zigong", "deyang", "mianyang", "yibin", "luzhou",
                                  "neijiang", "leshan", "suining")},
    "yongchuan": "chongqing", "rongchang": "chongqing", "dazu": "chongqing", "wuhou": "chengdu",
}
#: ``--regions``: the article's places and neighbours (default), or the circle's cities.
REGION_SETS = {"article": (REGIONS, REGION_PARENTS), "circle": (CIRCLE_REGIONS, CIRCLE_PARENTS)}


PROVINCES = frozenset({"sichuan"})


def region_kinds(regions, parents) -> dict[str, str]:
    """Each generated Region's level (its ``kind``): the province; a region under it is a
    city, one under a city a district; any other top region (Chongqing) a city."""
    out = {rid: "province" if rid in PROVINCES else "city" for rid, *_ in regions if rid not in parents}
    for rid, *_ in regions:
        if rid in parents:
            out[rid] = "city" if out.get(parents[rid]) == "province" else "district"
    return out


COMMITTEE_KINDS = ("comprehensive_committee", "two_new_committee", "working_committee")
KIND_ZH = {
    "comprehensive_committee": "综合党委",
    "two_new_committee": "两新党委",
    "working_committee": "党工委",
    "party_committee": "商圈党委",
    "enterprise": "企业",
    "party_branch": "企业党支部",
    "social_organization": "社会组织",
    "government_body": "机关",
}
KIND_EN = {
    "comprehensive_committee": "comprehensive Party committee",
    "two_new_committee": "two-new Party committee",
    "working_committee": "Party working committee",
    "party_committee": "business-circle Party committee",
    "enterprise": "enterprise",
    "party_branch": "enterprise Party branch",
    "social_organization": "social organisation",
    "government_body": "government body",
}
MIN_ORGANIZATIONS = 20
MAX_ORGANIZATIONS = 20_000_000
_CHUNK = 200_000


def source_id(seed: int) -> str:
    return f"synthetic-{seed}"


def generate_dataset(
    out: str | os.PathLike,
    n: int,
    *,
    seed: int = 0,
    overwrite: bool = False,
    regions: str = "article",
    coverage: bool = False,
) -> dict:
    """Write a synthetic dataset folder for ``n`` organisations; return counts.

    The folder is written to a temporary sibling and renamed into place, so
    ``out`` is either the complete dataset or untouched.

    Parameters
    ----------
    out : path
        Folder to create (must not exist or be empty unless ``overwrite``).
    n : int
        Number of organisations (at least 20).
    seed : int
        Seed of numpy's random generator; same ``n`` and ``seed``, same bytes.
    overwrite : bool
        Replace an existing non-empty folder.
    regions : str
        ``article``: the bundled article's places and a few neighbours;
        ``circle``: fourteen places of the Chengdu–Chongqing circle (nine
        cities under Sichuan, Chongqing with three districts, a district
        of Chengdu), each Region with its level in ``kind``.
    coverage : bool
        Also the coverage work and a registry (:mod:`alliances.generate_coverage`).

    Returns
    -------
    dict
        ``{"path", "organizations", "nodes", "relationships", "by_label", "by_type"}``.

    Examples
    --------
    >>> import tempfile, os
    >>> d = tempfile.mkdtemp()
    >>> generate_dataset(os.path.join(d, "syn"), 50, seed=1)["organizations"]
    50
    """
    if not MIN_ORGANIZATIONS <= n <= MAX_ORGANIZATIONS:
        raise UsageError(f"--organizations {n}: give between {MIN_ORGANIZATIONS} and {MAX_ORGANIZATIONS:,}.")
    if seed < 0:
        raise UsageError(f"--seed {seed}: give a seed of 0 or more.")
    if regions not in REGION_SETS:
        raise UsageError(f"--regions {regions!r}: give one of {', '.join(REGION_SETS)}.")
    from alliances.files import replace_folder

    counts = {}
    try:
        def fill(tmp: Path) -> None:
            counts.update(_write(tmp, n, seed, *REGION_SETS[regions]))
            arrays = counts.pop("_arrays")
            if coverage:
                from alliances.generate_coverage import write_coverage

                counts["coverage"] = write_coverage(tmp, n, seed, arrays, counts)

        out = replace_folder(out, fill, overwrite=overwrite, what="--out ")
    except UsageError as err:  # an existing folder is a data condition here (exit 1), as it always was
        raise DataError(str(err)) from err
    counts["path"] = str(out)
    return counts


# ---------------------------------------------------------------------------


def _write(folder: Path, n: int, seed: int, REGIONS=REGIONS, REGION_PARENTS=REGION_PARENTS) -> dict:
    import numpy as np

    rng = np.random.default_rng(seed)
    src = source_id(seed)
    tail = f",{src},1"  # source, paragraphs

    region_ids = [r[0] for r in REGIONS]
    region_w = np.array([r[4] for r in REGIONS])
    region_w = region_w / region_w.sum()
    n_regions = len(REGIONS)

    # --- zones, each in a region (never the province)
    n_zones = max(3, n // 2000)
    zone_region = rng.choice(n_regions, size=n_zones, p=region_w)
    zone_region[:3] = [1, 2, 3]  # Zigong, Chengdu and Chongqing always have a zone

    # --- organisations: kinds
    n_comm = max(3, n // 50)
    n_bc = max(1, n // 1000)  # business-circle committees = business circles
    n_branch = int(n * 0.40)
    n_ent = max(n_branch, int(n * 0.50))
    n_other = n - n_comm - n_bc - n_branch - n_ent
    if n_other < 0:
        n_ent += n_other
        n_branch = min(n_branch, n_ent)
        n_other = n - n_comm - n_bc - n_branch - n_ent
    kind_names = [*COMMITTEE_KINDS, "party_committee", "enterprise", "party_branch",
                  "social_organization", "government_body"]
    kinds = np.concatenate([
        np.arange(n_comm) % 3,
        np.full(n_bc, 3),
        np.full(n_ent, 4),
        np.full(n_branch, 5),
        6 + (np.arange(n_other) % 2),
    ]).astype(np.int8)
    perm = rng.permutation(n)
    kinds = kinds[perm]  # organisation i has kind kinds[i]
    org_region = rng.choice(n_regions, size=n, p=region_w)

    committees = np.flatnonzero(kinds <= 2)
    bc_committees = np.flatnonzero(kinds == 3)
    enterprises = np.flatnonzero(kinds == 4)
    branches = np.flatnonzero(kinds == 5)
    # each branch sits in its own enterprise, in the enterprise's region
    branch_ent = rng.permutation(enterprises)[: len(branches)]
    org_region[branches] = org_region[branch_ent]

    # located in: a zone of its region (70 %) or the region itself
    zones_by_region = [np.flatnonzero(zone_region == r) for r in range(n_regions)]
    org_zone = np.full(n, -1, dtype=np.int64)
    in_zone = rng.random(n) < 0.7
    for r in range(n_regions):
        zs = zones_by_region[r]
        idx = np.flatnonzero((org_region == r) & in_zone)
        if len(zs) and len(idx):
            org_zone[idx] = zs[rng.integers(0, len(zs), size=len(idx))]

    # a committee of the same region where there is one, else any
    comm_by_region = [committees[org_region[committees] == r] for r in range(n_regions)]

    def committee_for(members):
        out = committees[rng.integers(0, len(committees), size=len(members))]
        regs = org_region[members]
        for r in range(n_regions):
            cs = comm_by_region[r]
            idx = np.flatnonzero(regs == r)
            if len(cs) and len(idx):
                out[idx] = cs[rng.integers(0, len(cs), size=len(idx))]
        return out

    manager = committee_for(branches)
    guided = enterprises[rng.random(len(enterprises)) < 0.5]
    guide = committee_for(guided)

    # heavy-tailed activity weights (Pareto, shape 1.6) for participation
    weight = rng.pareto(1.6, size=n) + 1.0
    region_pool = []
    for r in range(n_regions):
        members = np.flatnonzero(org_region == r)
        w = weight[members]
        region_pool.append((members, w / w.sum() if len(members) else w))
    global_p = weight / weight.sum()

    def draw(home, size):
        """``size`` organisations per hub: 75 % from its home region, weighted."""
        hub = np.repeat(np.arange(len(home)), size)
        total = len(hub)
        who = rng.choice(n, size=total, p=global_p)
        local = rng.random(total) < 0.75
        hub_region = home[hub]
        for r in range(n_regions):
            members, p = region_pool[r]
            idx = np.flatnonzero(local & (hub_region == r))
            if len(members) and len(idx):
                who[idx] = members[rng.choice(len(members), size=len(idx), p=p)]
        key = np.unique(hub.astype(np.int64) * n + who)  # one tie per hub and member
        return key // n, key % n

    def dates(count, start_year=2015, years=11):
        base = np.datetime64(f"{start_year}-01-01")
        days = rng.integers(0, 365 * years, size=count)
        return np.datetime_as_string(base + days, unit="D")

    # alliances: cross-region membership (home region only biases it)
    n_all = max(2, n // 40)
    all_home = rng.choice(n_regions, size=n_all, p=region_w)
    all_size = 3 + rng.poisson(8, size=n_all)
    mem_hub, mem_org = draw(all_home, all_size)
    n_founders = 1 + (rng.random(n_all) < 0.4)
    f_hub = np.repeat(np.arange(n_all), n_founders)
    f_org = committees[rng.integers(0, len(committees), size=len(f_hub))]
    fk = np.unique(f_hub.astype(np.int64) * n + f_org)
    f_hub, f_org = fk // n, fk % n
    region_founded = np.flatnonzero(rng.random(n_all) < 0.05)
    all_date = dates(n_all)

    # agreements: 2-4 parties, dated
    n_agr = max(1, n // 20)
    agr_home = rng.choice(n_regions, size=n_agr, p=region_w)
    agr_hub, agr_org = draw(agr_home, 2 + rng.integers(0, 3, size=n_agr))
    agr_date = dates(n_agr)

    # activities: one organiser (sometimes an alliance), ~8 participants
    n_act = max(1, n // 4)
    act_home = rng.choice(n_regions, size=n_act, p=region_w)
    act_size = 2 + rng.poisson(6, size=n_act)
    par_hub, par_org = draw(act_home, act_size)
    by_alliance = rng.random(n_act) < 0.1
    organiser = rng.choice(n, size=n_act, p=global_p)
    organiser_alliance = rng.integers(0, n_all, size=n_act)
    act_date = dates(n_act)
    held_in = act_home

    # business circles: one per business-circle committee, member of an alliance
    bc_alliance = rng.integers(0, n_all, size=len(bc_committees))

    # ------------------------------------------------------------------ write
    by_label: dict[str, int] = {}
    by_type: dict[str, int] = {}

    with open(folder / FILES["sources"], "w", encoding="utf-8", newline="") as fh:
        fh.write(",".join(COLUMNS["sources"]) + "\n")
        fh.write(f"{src},合成网络（种子 {seed}，{n} 个组织）,alliances generate,,,"
                 f"\"paragraph 1 stands for the generator's parameters (seed {seed}, {n} organisations)\"\n")
    with open(folder / FILES["figures"], "w", encoding="utf-8", newline="") as fh:
        fh.write(",".join(COLUMNS["figures"]) + "\n")

    org_ids = [f"org-{i}" for i in range(n)]
    zone_ids = [f"zone-{i}" for i in range(n_zones)]
    alliance_ids = [f"alliance-{i}" for i in range(n_all)]
    agreement_ids = [f"agreement-{i}" for i in range(n_agr)]
    activity_ids = [f"activity-{i}" for i in range(n_act)]
    circle_ids = [f"circle-{i}" for i in range(len(bc_committees))]
    node_tail = f",,,,,,{src},1,true\n"  # date, date_note, status, aliases, description

    with open(folder / FILES["nodes"], "w", encoding="utf-8", newline="") as fh:
        fh.write(",".join([*COLUMNS["nodes"], "synthetic"]) + "\n")
        # id,label,name,name_en,kind,region,date,date_note,status,aliases,description,source,paragraphs,synthetic
        levels = region_kinds(REGIONS, REGION_PARENTS)
        for rid, zh, en, group, _ in REGIONS:
            fh.write(f"{rid},Region,{zh},\"{en}\",{levels[rid]},{group}{node_tail}")
        by_label["Region"] = n_regions
        fh.writelines(
            f"{zone_ids[z]},Zone,{REGIONS[r][1]}合成园区{z},Synthetic zone {z},,{region_ids[r]}{node_tail}"
            for z, r in enumerate(zone_region.tolist())
        )
        by_label["Zone"] = n_zones
        kz = [KIND_ZH[k] for k in kind_names]
        ke = [KIND_EN[k] for k in kind_names]
        rz = [r[1] for r in REGIONS]
        for lo in range(0, n, _CHUNK):
            hi = min(n, lo + _CHUNK)
            fh.writelines(
                f"{org_ids[i]},Organization,{rz[r]}合成{kz[k]}{i},Synthetic {ke[k]} {i},{kind_names[k]},"
                f"{region_ids[r]}{node_tail}"
                for i, k, r in zip(range(lo, hi), kinds[lo:hi].tolist(), org_region[lo:hi].tolist())
            )
        by_label["Organization"] = n
        fh.writelines(
            f"{circle_ids[c]},BusinessCircle,{rz[r]}合成商圈{c},Synthetic business circle {c},,"
            f"{region_ids[r]}{node_tail}"
            for c, r in enumerate(org_region[bc_committees].tolist())
        )
        by_label["BusinessCircle"] = len(bc_committees)
        def dated_hubs(label, ids, zh, en, home, date):
            for lo in range(0, len(ids), _CHUNK):
                hi = min(len(ids), lo + _CHUNK)
                fh.writelines(
                    f"{ids[a]},{label},{zh}{a},{en} {a},,{region_ids[r]},{d},,,,,{src},1,true\n"
                    for a, r, d in zip(range(lo, hi), home[lo:hi].tolist(), date[lo:hi].tolist())
                )
            by_label[label] = len(ids)

        dated_hubs("Alliance", alliance_ids, "合成党建联盟", "Synthetic alliance", all_home, all_date)
        dated_hubs("Agreement", agreement_ids, "合成共建协议", "Synthetic agreement", agr_home, agr_date)
        dated_hubs("Activity", activity_ids, "合成联建活动", "Synthetic activity", act_home, act_date)

    with open(folder / FILES["relationships"], "w", encoding="utf-8", newline="") as fh:
        fh.write(",".join(COLUMNS["relationships"]) + "\n")

        def rels(rtype, starts, ends, date=None, role=""):
            # start,type,end,role,date,date_note,status,source,paragraphs
            count = len(starts)
            for lo in range(0, count, _CHUNK):
                hi = min(count, lo + _CHUNK)
                if date is None:
                    fh.writelines(f"{s},{rtype},{e},{role},,,{tail}\n"
                                  for s, e in zip(starts[lo:hi], ends[lo:hi]))
                else:
                    fh.writelines(f"{s},{rtype},{e},{role},{d},,{tail}\n"
                                  for s, e, d in zip(starts[lo:hi], ends[lo:hi], date[lo:hi]))
            by_type[rtype] = by_type.get(rtype, 0) + count

        def ids(table, idx):
            return [table[i] for i in idx.tolist()]

        parents = list(REGION_PARENTS.items())
        rels("PART_OF", [a for a, _ in parents], [b for _, b in parents])
        rels("PART_OF", zone_ids, ids(region_ids, zone_region))
        zoned = org_zone >= 0
        rels("LOCATED_IN", ids(org_ids, np.flatnonzero(zoned)), ids(zone_ids, org_zone[zoned]))
        rels("LOCATED_IN", ids(org_ids, np.flatnonzero(~zoned)), ids(region_ids, org_region[~zoned]))
        rels("LOCATED_IN", circle_ids, ids(region_ids, org_region[bc_committees]))
        rels("BRANCH_OF", ids(org_ids, branches), ids(org_ids, branch_ent))
        rels("MANAGES", ids(org_ids, manager), ids(org_ids, branches))
        rels("GUIDES", ids(org_ids, guide), ids(org_ids, guided))
        rels("GOVERNS", ids(org_ids, bc_committees), circle_ids)
        rels("FOUNDED", ids(org_ids, f_org), ids(alliance_ids, f_hub), role="founder")
        rels("FOUNDED", ids(region_ids, all_home[region_founded]), ids(alliance_ids, region_founded),
             role="founding place")
        rels("MEMBER_OF", ids(org_ids, mem_org), ids(alliance_ids, mem_hub))
        rels("MEMBER_OF", circle_ids, ids(alliance_ids, bc_alliance))
        rels("PARTY_TO", ids(org_ids, agr_org), ids(agreement_ids, agr_hub), agr_date[agr_hub].tolist(),
             role="signatory")
        org_led = np.flatnonzero(~by_alliance)
        all_led = np.flatnonzero(by_alliance)
        rels("ORGANIZED", ids(org_ids, organiser[org_led]), ids(activity_ids, org_led),
             act_date[org_led].tolist())
        rels("ORGANIZED", ids(alliance_ids, organiser_alliance[all_led]), ids(activity_ids, all_led),
             act_date[all_led].tolist())
        rels("PARTICIPATED_IN", ids(org_ids, par_org), ids(activity_ids, par_hub), act_date[par_hub].tolist())
        rels("HELD_IN", activity_ids, ids(region_ids, held_in))

    return {
        "organizations": n,
        "nodes": sum(by_label.values()),
        "relationships": sum(by_type.values()),
        "by_label": by_label,
        "by_type": by_type,
        "seed": seed,
        # for alliances.generate_coverage (popped before the counts are returned)
        "_arrays": {"kinds": kinds, "kind_names": kind_names, "org_region": org_region, "org_zone": org_zone,
                    "zone_region": zone_region, "committees": committees, "branch_ent": branch_ent,
                    "regions": REGIONS},  # the region set the indices above refer to (--regions)
    }
