// The projection read into networkx: every project node with its model label and properties.
MATCH (n:Alliances)
RETURN [l IN labels(n) WHERE l <> 'Alliances'][0] AS label, properties(n) AS props
