// Remove the project's own data (nodes labelled Alliances and the sources), in batches.
MATCH (n) WHERE n:Alliances OR n:AlliancesSource
CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS
