// Remove the record of dataset $name (after its nodes and relationships were let go).
MATCH (d:AlliancesDataset {id: $name})
DELETE d
