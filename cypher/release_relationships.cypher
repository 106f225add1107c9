// Dataset $name lets go of some relationships (start, type, end): it leaves their datasets, and a
// relationship no dataset holds any more is removed.
UNWIND $rows AS row
MATCH (a:AlliancesData {id: row.start})-[r]->(b:AlliancesData {id: row.end})
WHERE type(r) = row.type
SET r.datasets = [d IN r.datasets WHERE d <> $name]
WITH r
WHERE size(r.datasets) = 0
DELETE r
