// Planner query: everything one organisation works with, by relationship, with provenance.
// Parameters: name (its id, exact name or one of its aliases); query (the same as a full-text phrase,
// which the tool builds: name in double quotes, Lucene's special characters escaped); labels (the
// model's labels, which the tool passes).
// In Neo4j Browser: :param name => '华商商圈党委'
//                   :param query => '"华商商圈党委"'
//                   :param labels => ['Region', 'Zone', 'Organization', 'BusinessCircle', 'Alliance',
//                                     'Agreement', 'Activity', 'Project', 'Person', 'Award']
// The organisation is found through indexes only: the id constraint, the name index and the cjk
// full-text index (aliases); the other side's model label is found by name, never by position.
CALL (*) {
  MATCH (o:AlliancesData {id: $name}) WHERE o:Organization RETURN o
  UNION
  MATCH (o:Organization {name: $name}) RETURN o
  UNION
  CALL db.index.fulltext.queryNodes('alliances_names', $query) YIELD node
  WITH node AS o WHERE o:Organization AND $name IN o.aliases
  RETURN o
}
MATCH (o)-[r]-(other:AlliancesData)
WHERE NOT other:Region AND NOT other:Zone
RETURN o.name AS organisation, type(r) AS tie, [l IN labels(other) WHERE l IN $labels][0] AS with_label,
       other.name AS with_name, r.paragraphs AS paragraphs
ORDER BY tie, with_name
