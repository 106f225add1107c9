// Remove the project's own data (nodes labelled Alliances, the sources and the registry), in batches.
MATCH (n) WHERE n:Alliances OR n:AlliancesSource OR n:RegistryEntry
CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS
