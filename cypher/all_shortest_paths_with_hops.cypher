// The first $k shortest partnership paths between two nodes (their node ids) in the tool's path order
// (alliances.order.path_order: by the node ids along the path), undirected, over the allowed types,
// each with every relationship of those types between its consecutive nodes, in one round trip.
// Neo4j's bidirectional shortest-path search (allShortestPaths) checks {path_filter} (keeps regions
// and zones out unless geography was asked for) while it expands; of its paths (up to {limit}) the
// distinct node sequences are ordered here (ids are ASCII: Cypher orders them as Python does) and
// only the first $k are explained: each hop's relationships are matched between two bound nodes (an
// expand-into from the side with fewer relationships). Explaining every shortest path and ordering
// them in the client took twice the server's time at p95 (docs/neo4j.md).
// {types} (the allowlisted relationship types), {max_hops} and {limit} (integers) are filled in by
// the tool; values are parameters.
MATCH (a:AlliancesData {id: $start}), (b:AlliancesData {id: $end})
MATCH p = allShortestPaths((a)-[:{types}*1..{max_hops}]-(b))
{path_filter}
WITH p LIMIT {limit}
WITH DISTINCT nodes(p) AS ns
ORDER BY [n IN ns | n.id]
LIMIT $k
CALL (ns) {
  UNWIND range(0, size(ns) - 2) AS i
  WITH i, ns[i] AS x, ns[i + 1] AS y
  MATCH (x)-[r:{types}]-(y)
  RETURN collect({i: i, start: startNode(r).id, type: type(r), end: endNode(r).id, props: properties(r)}) AS rels
}
RETURN [n IN ns | n.id] AS nodes, rels
