// Every shortest partnership path between two nodes (their node ids), up to {limit}, undirected, over the allowed types.
// The tool picks the first in its path order among them. Neo4j's bidirectional shortest-path search
// (allShortestPaths) checks {path_filter} (keeps regions and zones out unless geography was asked for)
// while it expands, so a far or unreachable pair costs milliseconds, not a walk of the whole graph.
// {types} (the allowlisted relationship types), {max_hops} and {limit} (integers) are filled in by
// the tool; values are parameters.
MATCH (a:AlliancesData {id: $start}), (b:AlliancesData {id: $end})
MATCH p = allShortestPaths((a)-[:{types}*1..{max_hops}]-(b))
{path_filter}
RETURN [n IN nodes(p) | n.id] AS nodes
LIMIT {limit}
