// The projection read into networkx: every project node with its model label and properties, one record
// per model label with its columns as lists (far fewer records for the driver to decode).
MATCH (n:AlliancesData)
WITH [l IN labels(n) WHERE l IN $labels][0] AS label, n
RETURN label, collect(properties(n)) AS props
