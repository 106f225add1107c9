// The loaded datasets, by name.
MATCH (d:AlliancesDataset)
RETURN properties(d) AS props
ORDER BY d.id
