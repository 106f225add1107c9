// Relationships leaving some project nodes that another dataset than $name also holds:
// a load compares them with its own rows.
UNWIND $ids AS id
MATCH (a:AlliancesData {id: id})-[r]->(b:AlliancesData)
WHERE any(d IN coalesce(r.datasets, []) WHERE d <> $name)
RETURN a.id AS start, type(r) AS type, b.id AS end, properties(r) AS props
