// Relationship counts per type among the project's data.
MATCH (:Alliances)-[r]->(:Alliances)
RETURN type(r) AS type, count(*) AS count
ORDER BY type
