// Planner query: organisations of different regions that share an alliance, agreement or activity.
// No parameters.
MATCH (a:Organization)-[:MEMBER_OF|FOUNDED|PARTY_TO|ORGANIZED|PARTICIPATED_IN]->(hub)
      <-[:MEMBER_OF|FOUNDED|PARTY_TO|ORGANIZED|PARTICIPATED_IN]-(b:Organization)
WHERE a.region < b.region AND (hub:Alliance OR hub:Agreement OR hub:Activity)
WITH a, b, hub
ORDER BY hub.name
RETURN a.region AS region_a, a.name AS organisation_a, b.region AS region_b, b.name AS organisation_b,
       collect(DISTINCT hub.name) AS shared
ORDER BY region_a, region_b, organisation_a, organisation_b
