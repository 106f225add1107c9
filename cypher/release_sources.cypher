// Dataset $name lets go of some sources; a source no dataset holds any more is removed.
UNWIND $rows AS id
MATCH (s:AlliancesSource {id: id})
SET s.datasets = [d IN coalesce(s.datasets, []) WHERE d <> $name]
WITH s
WHERE size(s.datasets) = 0
DETACH DELETE s
