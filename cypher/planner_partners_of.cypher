// Planner query: everything one organisation works with, by relationship, with provenance.
// In Neo4j Browser: :param name => '自贡华商商圈党委'
MATCH (o:Organization)
WHERE o.name = $name OR o.id = $name OR $name IN coalesce(o.aliases, [])
MATCH (o)-[r]-(other:Alliances)
WHERE NOT other:Region AND NOT other:Zone
RETURN o.name AS organisation, type(r) AS tie, labels(other)[1] AS with_label, other.name AS with_name,
       r.paragraphs AS paragraphs
ORDER BY tie, with_name
