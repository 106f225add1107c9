// Candidates for what a planner typed, from the full-text index (the tool then applies its own
// matching rules to them): $query is a Lucene query, $labels the model's labels.
CALL db.index.fulltext.queryNodes('alliances_names', $query) YIELD node
RETURN node.id AS id, [l IN labels(node) WHERE l IN $labels][0] AS label, node.name AS name,
       node.name_en AS name_en, node.region AS region, node.aliases AS aliases, node.description AS description
