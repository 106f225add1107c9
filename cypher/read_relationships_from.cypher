// Relationships of one type {type} (from the model's allowlist) leaving some project nodes.
UNWIND $ids AS id
MATCH (a:Alliances {id: id})-[r:{type}]->(b:Alliances)
RETURN a.id AS start, type(r) AS type, b.id AS end, properties(r) AS props
