// The stored sources of some ids, before a load compares them with the dataset.
UNWIND $ids AS id
MATCH (s:AlliancesSource {id: id})
RETURN s.id AS id, properties(s) AS props
