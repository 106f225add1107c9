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
