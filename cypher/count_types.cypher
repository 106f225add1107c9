// Relationship counts per type among the project's data.
MATCH (:AlliancesData)-[r]->(:AlliancesData)
RETURN type(r) AS type, count(*) AS count
ORDER BY type
