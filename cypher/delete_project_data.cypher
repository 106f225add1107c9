// Remove every dataset (nodes labelled AlliancesData, the sources and the dataset records), in batches.
MATCH (n) WHERE n:AlliancesData OR n:AlliancesSource OR n:AlliancesDataset
CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS
