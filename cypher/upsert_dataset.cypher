// The record of one loaded dataset: name, where it was loaded from, counts, load time.
MERGE (d:AlliancesDataset {id: $name})
SET d = $props
