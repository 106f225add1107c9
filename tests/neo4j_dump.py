"""A full, canonical dump of a Neo4j database, to compare two ways of writing the same data."""

from __future__ import annotations


def _value(v):
    if hasattr(v, "iso_format"):
        return f"{type(v).__name__}:{v.iso_format()}"
    if isinstance(v, list):
        return [_value(x) for x in v]
    return v


def dump(driver, database: str, *, skip_props=("loaded_at",)) -> dict:
    """Every node (labels, properties, with their types) and relationship (ends by id, type, properties).

    Values keep their type: a DATE is ``Date:2020-01-01``, an integer stays an int, a float a float.
    ``skip_props`` leaves out values that differ by nature between two loads (the load time).
    """
    nodes, _, _ = driver.execute_query(
        "MATCH (n) RETURN labels(n) AS labels, properties(n) AS props, "
        "[k IN keys(n) | [k, valueType(n[k])]] AS types", database_=database)
    rels, _, _ = driver.execute_query(
        "MATCH (a)-[r]->(b) RETURN a.id AS start, labels(a) AS sl, type(r) AS type, b.id AS end, labels(b) AS el, "
        "properties(r) AS props, [k IN keys(r) | [k, valueType(r[k])]] AS types", database_=database)
    out_nodes = sorted(
        (sorted(r["labels"]), sorted((k, _value(v)) for k, v in r["props"].items() if k not in skip_props),
         sorted(tuple(t) for t in r["types"] if t[0] not in skip_props))
        for r in nodes)
    out_rels = sorted(
        (r["start"], sorted(r["sl"]), r["type"], r["end"], sorted(r["el"]),
         sorted((k, _value(v)) for k, v in r["props"].items()), sorted(tuple(t) for t in r["types"]))
        for r in rels)
    return {"nodes": out_nodes, "relationships": out_rels}


def with_ends_and_ties(ds) -> None:
    """Give a generated dataset ``ended`` dates (all three precisions) and tie weights and counts, in place.

    Two nodes and three relationships end; relationships get an integer weight (stored as a FLOAT),
    a decimal weight and a count, so an export that drops or retypes one of them fails a full dump.
    """
    orgs = sorted(n for n, d in ds.nodes.items() if d["label"] == "Organization")
    alliances = sorted(n for n, d in ds.nodes.items() if d["label"] == "Alliance")
    for nid, ended in ((orgs[-1], "2024"), ((alliances or orgs)[0], "2024-06")):
        ds.nodes[nid]["date"], ds.nodes[nid]["ended"] = "2020", ended
    rels = ds.relationships
    for rel, extra in zip(rels[:3], ({"ended": "2025-03-31", "weight": 3, "count": 4},
                                     {"ended": "2023", "weight": 2.5},
                                     {"ended": "2024-11", "count": 2})):
        rel["date"] = "2020"
        rel.update(extra)


def ends_and_ties(driver, database: str) -> dict:
    """How many nodes and relationships carry ``ended``, ``weight``, ``count``, with their stored types."""
    nodes, _, _ = driver.execute_query(
        "MATCH (n:AlliancesData) WHERE n.ended IS NOT NULL RETURN n.ended AS v, valueType(n.ended) AS t ORDER BY v",
        database_=database)
    rels, _, _ = driver.execute_query(
        "MATCH ()-[r]->() WHERE r.ended IS NOT NULL OR r.weight IS NOT NULL OR r.count IS NOT NULL "
        "RETURN r.ended AS ended, r.weight AS weight, r.count AS count, valueType(r.weight) AS wt ORDER BY ended",
        database_=database)
    return {"nodes": [(r["v"], r["t"]) for r in nodes],
            "relationships": [(r["ended"], r["weight"], r["count"], r["wt"]) for r in rels]}


#: What :func:`ends_and_ties` reads back after :func:`with_ends_and_ties` (worked out by hand).
ENDS_AND_TIES = {"nodes": [("2024", "STRING NOT NULL"), ("2024-06", "STRING NOT NULL")],
                 "relationships": [("2023", 2.5, None, "FLOAT NOT NULL"), ("2024-11", None, 2, "NULL"),
                                   ("2025-03-31", 3.0, 4, "FLOAT NOT NULL")]}


def with_registry(folder) -> list[dict]:
    """Import a small registry into dataset ``folder`` as a planner does (``registry import``); its entries.

    Two rows name enterprises of the dataset (matched by name, score 100), one is an enterprise the
    graph does not hold (unmatched), one a social organisation with a registration date.
    """
    from pathlib import Path

    from alliances.dataset import read_dataset
    from alliances.registry.imports import import_registry

    ds = read_dataset(folder)
    enterprises = [n for n, d in ds.nodes.items() if d["label"] == "Organization" and d.get("region")
                   and "企业" in d["name"] and "党" not in d["name"]]
    orgs = sorted(enterprises, key=lambda n: (len(n), n))[:2]  # org-0 before org-10
    rows = [("名称", "类别", "园区或地区", "行业", "规模", "登记日期")]
    rows += [(ds.nodes[n]["name"], "企业", ds.nodes[n]["region"], "制造业", "规上", "2019-05") for n in orgs]
    place = ds.nodes[orgs[0]]["region"]
    rows += [("不在图中的某某科技有限公司", "企业", place, "", "规下", ""),
             ("某某行业协会", "社会组织", place, "", "", "2018")]
    src = Path(folder).parent / "名录.csv"
    src.write_text("".join(",".join(r) + "\n" for r in rows), encoding="utf-8")
    import_registry(folder, src, imported="2026-11-30")
    return read_dataset(folder).registry


def registry_in_store(driver, database: str) -> list[tuple]:
    """Every registry entry: (id, its dataset tag, the Organization it is REGISTERED_AS or None, score type)."""
    records, _, _ = driver.execute_query(
        "MATCH (e:RegistryEntry) OPTIONAL MATCH (e)-[r:REGISTERED_AS]->(o:Organization) "
        "RETURN e.id AS id, e.datasets AS datasets, o.id AS match, valueType(e.match_score) AS score ORDER BY id",
        database_=database)
    return [(r["id"], r["datasets"], r["match"], r["score"]) for r in records]
