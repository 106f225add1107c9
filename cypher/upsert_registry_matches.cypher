// Each matched registry entry REGISTERED_AS the Organization it was matched to, with how and how well.
UNWIND $rows AS row
MATCH (e:RegistryEntry {id: row.id})
MATCH (o:AlliancesData {id: row.match})
WHERE o:Organization
MERGE (e)-[r:REGISTERED_AS]->(o)
SET r.method = row.method, r.score = row.score
