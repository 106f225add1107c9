// What a planner may type for each project node (id, names, aliases), to resolve names without reading the whole graph.
// $labels: the model's labels (a node's model label is found by name, never by position).
MATCH (n:AlliancesData)
RETURN n.id AS id, [l IN labels(n) WHERE l IN $labels][0] AS label,
       n.name AS name, n.name_en AS name_en, n.region AS region, n.aliases AS aliases
