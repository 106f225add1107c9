// Some project nodes by id, with their model label and properties.
UNWIND $ids AS id
MATCH (n:Alliances {id: id})
RETURN [l IN labels(n) WHERE l <> 'Alliances'][0] AS label, properties(n) AS props
