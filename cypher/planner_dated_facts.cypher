// Planner query: the dated ties (agreements, awards, ...) in time order, with provenance.
MATCH (a:Alliances)-[r]->(b:Alliances)
WHERE r.date IS NOT NULL
RETURN r.date AS date, a.name AS from_name, type(r) AS tie, b.name AS to_name, r.paragraphs AS paragraphs
ORDER BY date
