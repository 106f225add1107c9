// Keys of the relationships that dataset $name holds (a reload removes those it no longer has).
MATCH (a:AlliancesData)-[r]->(b:AlliancesData)
WHERE $name IN r.datasets
RETURN a.id AS start, type(r) AS type, b.id AS end
