// The projection read into networkx: every relationship between project nodes, one record per type
// with its columns as lists (start ids, end ids, properties).
MATCH (a:AlliancesData)-[r]->(b:AlliancesData)
WITH type(r) AS type, a.id AS start, b.id AS end, properties(r) AS props
RETURN type, collect(start) AS starts, collect(end) AS ends, collect(props) AS props
