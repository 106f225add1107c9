// Replaying an exported script: registry entries from $rows, one string (see replay_nodes.cypher), each
// with its REGISTERED_AS match. Fields: 0 id, 1 name, 2 credit_code, 3 kind, 4 place, 5 industry, 6 size,
// 7 registered, 8 match, 9 match_method, 10 match_score, 11 source_file, 12 source_sheet, 13 source_row,
// 14 imported, 15 datasets. Stores what upsert_registry.cypher and upsert_registry_matches.cypher store
// for the same entries (a changed match moves).
UNWIND split($rows, $enc.row) AS line
WITH split(line, $enc.field) AS f
MERGE (e:RegistryEntry {id: f[0]})
SET e = {id: f[0], name: nullIf(f[1], $enc.empty), credit_code: nullIf(f[2], $enc.empty),
         kind: nullIf(f[3], $enc.empty), place: nullIf(f[4], $enc.empty), industry: nullIf(f[5], $enc.empty),
         size: nullIf(f[6], $enc.empty), registered: nullIf(f[7], $enc.empty), match: nullIf(f[8], $enc.empty),
         match_method: nullIf(f[9], $enc.empty), match_score: toInteger(nullIf(f[10], $enc.empty)),
         source_file: nullIf(f[11], $enc.empty), source_sheet: nullIf(f[12], $enc.empty),
         source_row: toInteger(nullIf(f[13], $enc.empty)), imported: nullIf(f[14], $enc.empty),
         datasets: CASE size(f[15]) WHEN 0 THEN [] ELSE split(f[15], $enc.item) END}
WITH e, f
CALL (e, f) {
  OPTIONAL MATCH (e)-[old:REGISTERED_AS]->(o)
  WHERE o.id <> f[8]
  DELETE old
}
WITH e, f
MATCH (o:AlliancesData {id: f[8]})
WHERE o:Organization
MERGE (e)-[r:REGISTERED_AS]->(o)
SET r.method = nullIf(f[9], $enc.empty), r.score = toInteger(nullIf(f[10], $enc.empty))
