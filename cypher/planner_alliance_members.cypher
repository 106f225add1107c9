// Planner query: each alliance with its founders and members and their regions.
// No parameters.
MATCH (al:Alliance)
OPTIONAL MATCH (m)-[r:MEMBER_OF|FOUNDED]->(al)
WITH al, m, r
ORDER BY type(r), m.name
RETURN al.name AS alliance, collect({name: m.name, tie: type(r), region: m.region}) AS members
ORDER BY alliance
