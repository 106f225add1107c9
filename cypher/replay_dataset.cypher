// Replaying an exported script: the dataset's record, loaded now ($props without loaded_at).
MERGE (d:AlliancesDataset {id: $name})
SET d = $props, d.loaded_at = datetime()
