// Relationships of one type {type} (from the model's allowlist) leaving some project nodes.
UNWIND $ids AS id
MATCH (a:AlliancesData {id: id})-[r:{type}]->(b:AlliancesData)
RETURN a.id AS start, type(r) AS type, b.id AS end, properties(r) AS props
