// Every shortest partnership path between two nodes (their node ids), up to {limit}, undirected, over
// the allowed types, each with every relationship of those types between its consecutive nodes: one
// round trip where a search and a query per path took two (the tool picks the first path in its path
// order and explains each hop by the first of its relationships in the model's order).
// Neo4j's bidirectional shortest-path search (allShortestPaths) checks {path_filter} (keeps regions
// and zones out unless geography was asked for) while it expands; each hop's relationships are
// matched between two bound nodes (an expand-into from the side with fewer relationships).
// {types} (the allowlisted relationship types), {max_hops} and {limit} (integers) are filled in by
// the tool; values are parameters.
MATCH (a:AlliancesData {id: $start}), (b:AlliancesData {id: $end})
MATCH p = allShortestPaths((a)-[:{types}*1..{max_hops}]-(b))
{path_filter}
WITH p LIMIT {limit}
WITH nodes(p) AS ns
CALL (ns) {
  UNWIND range(0, size(ns) - 2) AS i
  WITH i, ns[i] AS x, ns[i + 1] AS y
  MATCH (x)-[r:{types}]-(y)
  RETURN collect({i: i, start: startNode(r).id, type: type(r), end: endNode(r).id, props: properties(r)}) AS rels
}
RETURN [n IN ns | n.id] AS nodes, rels
