// Every relationship of the allowed {types} between consecutive nodes of a path given as ids, either direction.
UNWIND range(0, size($ids) - 2) AS i
MATCH (a:AlliancesData {id: $ids[i]})-[r:{types}]-(b:AlliancesData {id: $ids[i + 1]})
RETURN i, startNode(r).id AS start, type(r) AS type, endNode(r).id AS end, properties(r) AS props
