// Remove the relationships of the project's nodes, in batches, before the nodes themselves:
// a hub's relationships then never have to fit in one transaction.
MATCH (:AlliancesData)-[r]->()
CALL (r) { DELETE r } IN TRANSACTIONS OF 10000 ROWS
