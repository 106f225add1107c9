// Every relationship of the model between project nodes with its properties, one record per type
// with its columns as lists (start ids, end ids, properties). $types: the model's relationship
// types (anything else a database holds between project nodes is not read).
MATCH (a:AlliancesData)-[r]->(b:AlliancesData)
WHERE type(r) IN $types
WITH type(r) AS type, a.id AS start, b.id AS end, properties(r) AS props
RETURN type, collect(start) AS starts, collect(end) AS ends, collect(props) AS props
