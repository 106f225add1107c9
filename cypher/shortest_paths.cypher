// Up to {limit} shortest partnership paths between two nodes (their node ids), undirected, over the allowed types.
// {types} (the allowlisted relationship types), {node_filter} (keeps regions and zones out unless
// geography was asked for) {max_hops} and {limit} (integers) are filled in by the tool; values are parameters.
MATCH p = SHORTEST {limit} (a:AlliancesData {id: $start})
          ((x)-[:{types}]-(y) {node_filter}){1,{max_hops}}
          (b:AlliancesData {id: $end})
RETURN [n IN nodes(p) | n.id] AS nodes
