// Planner query: alliances without activity since a date — no activity they organised or took part
// in is dated on or after $since; with the date of their last activity (null if none is known).
// Parameters: since (a date as 'YYYY-MM-DD').
// In Neo4j Browser: :param since => '2021-01-01'
MATCH (al:Alliance)
OPTIONAL MATCH (al)-[r:ORGANIZED|PARTICIPATED_IN]->(act:Activity)
WITH al, max(coalesce(act.date, r.date)) AS last_activity
WHERE last_activity IS NULL OR last_activity < date($since)
RETURN al.id AS id, al.name AS alliance, last_activity
ORDER BY alliance
