// Planner query: organisations tied to one region only — every organisation they work with (directly,
// or through a shared alliance, agreement or activity) is in their own region.
// No parameters.
MATCH (o:Organization)
WHERE o.region IS NOT NULL
CALL (o) {
  MATCH (o)-[:GUIDES|MANAGES|BRANCH_OF]-(p:Organization)
  RETURN p
  UNION
  MATCH (o)-[:MEMBER_OF|FOUNDED|PARTY_TO|ORGANIZED|PARTICIPATED_IN]->(hub)
        <-[:MEMBER_OF|FOUNDED|PARTY_TO|ORGANIZED|PARTICIPATED_IN]-(p:Organization)
  WHERE (hub:Alliance OR hub:Agreement OR hub:Activity) AND p <> o
  RETURN p
}
WITH o, collect(DISTINCT p.region) AS regions, count(DISTINCT p) AS partners
WHERE regions = [o.region]
RETURN o.id AS id, o.name AS name, o.region AS region, partners
ORDER BY region, name
