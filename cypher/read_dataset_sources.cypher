// Ids of the sources that dataset $name holds.
MATCH (s:AlliancesSource)
WHERE $name IN s.datasets
RETURN s.id AS id
