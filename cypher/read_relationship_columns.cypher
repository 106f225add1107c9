// The graph's structure read out for --neo4j analyses, in bulk: one record per relationship type
// with columns (start ids, end ids, each relationship's tie value weight x count, each 1 when
// absent) and how many relationships carry a weight or a count; the engine's arrays are made from
// these without a map per relationship (their other properties are read only when an analysis
// asks for them: read_relationships.cypher). $types: the model's relationship types (anything
// else a database holds between project nodes is not the model's and is not read).
MATCH (a:AlliancesData)-[r]->(b:AlliancesData)
WHERE type(r) IN $types
WITH type(r) AS type, a.id AS start, b.id AS end, r
RETURN type, collect(start) AS starts, collect(end) AS ends,
       collect(coalesce(r.weight, 1.0) * coalesce(r.count, 1)) AS ties,
       count(r.weight) + count(r.count) AS tied
