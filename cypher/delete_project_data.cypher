// Remove every dataset (nodes labelled AlliancesData, the sources, the dataset records and the registry),
// in batches.
MATCH (n) WHERE n:AlliancesData OR n:AlliancesSource OR n:AlliancesDataset OR n:RegistryEntry
CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS
