// Planner query: the organisations within $hops partnership hops (1 to 6) of one node, nearest first.
// Parameters: id (the node's id), hops (an integer, at most 6).
// In Neo4j Browser: :param id => 'huashang-committee'
//                   :param hops => 2
// Partnership ties only (no regions or zones on the way): one shortest path per organisation,
// found by Neo4j's shortest-path search from the node the id constraint finds.
MATCH (o:AlliancesData {id: $id})
MATCH p = SHORTEST 1 (o)(()-[:GUIDES|MANAGES|BRANCH_OF|GOVERNS|MEMBER_OF|FOUNDED|PARTY_TO|ORGANIZED|PARTICIPATED_IN|PRODUCED|LEADS]-(x)
          WHERE NOT x:Region AND NOT x:Zone){1,6}(other:Organization)
WHERE other <> o AND length(p) <= $hops
RETURN other.id AS id, other.name AS name, other.region AS region, length(p) AS hops
ORDER BY hops, id
