// Ids of the project nodes that dataset $name holds (a reload removes those it no longer has).
MATCH (n:AlliancesData)
WHERE $name IN n.datasets
RETURN n.id AS id
