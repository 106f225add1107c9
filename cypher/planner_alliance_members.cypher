// Planner query: each alliance with its founders and members and their regions.
MATCH (al:Alliance)
OPTIONAL MATCH (m)-[r:MEMBER_OF|FOUNDED]->(al)
RETURN al.name AS alliance, collect({name: m.name, tie: type(r), region: m.region}) AS members
ORDER BY alliance
