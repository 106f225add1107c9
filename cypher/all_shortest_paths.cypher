// Every shortest partnership path between two nodes (their node ids), up to {limit}, undirected, over the allowed types.
// The tool picks the first in its path order among them. {types} (the allowlisted relationship types),
// {node_filter} (keeps regions and zones out unless geography was asked for), {max_hops} and {limit}
// (integers) are filled in by the tool; values are parameters.
MATCH p = ALL SHORTEST (a:Alliances {id: $start})
          ((x)-[:{types}]-(y) {node_filter}){1,{max_hops}}
          (b:Alliances {id: $end})
RETURN [n IN nodes(p) | n.id] AS nodes
LIMIT {limit}
