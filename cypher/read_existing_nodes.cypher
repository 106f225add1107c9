// The stored state of some project nodes by id, before a load compares it with the dataset:
// model label ($labels: the model's labels), properties (the datasets that hold it among them).
UNWIND $ids AS id
MATCH (n:AlliancesData {id: id})
RETURN n.id AS id, [l IN labels(n) WHERE l IN $labels] AS labels, properties(n) AS props
