// Dataset $name lets go of some nodes: it leaves their datasets, and a node no dataset holds any more
// is removed with its relationships.
UNWIND $rows AS id
MATCH (n:AlliancesData {id: id})
SET n.datasets = [d IN n.datasets WHERE d <> $name]
WITH n
WHERE size(n.datasets) = 0
DETACH DELETE n
