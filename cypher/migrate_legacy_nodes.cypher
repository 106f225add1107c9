// Migration of a store written before datasets were recorded: the old project label Alliances becomes
// AlliancesData, and the nodes are put in dataset $datasets (one name), in batches.
MATCH (n:Alliances)
CALL (n) {
  SET n:AlliancesData, n.datasets = coalesce(n.datasets, $datasets)
  REMOVE n:Alliances
} IN TRANSACTIONS OF 10000 ROWS
