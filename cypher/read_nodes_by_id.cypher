// Some project nodes by id, with their model label ($labels: the model's labels) and properties.
UNWIND $ids AS id
MATCH (n:AlliancesData {id: id})
RETURN [l IN labels(n) WHERE l IN $labels][0] AS label, properties(n) AS props
