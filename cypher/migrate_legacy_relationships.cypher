// Migration of a store written before datasets were recorded: relationships and sources without
// datasets are put in dataset $datasets, in batches.
MATCH (x)-[r]->(:AlliancesData)
WHERE r.datasets IS NULL AND (x:AlliancesData)
CALL (r) { SET r.datasets = $datasets } IN TRANSACTIONS OF 10000 ROWS
