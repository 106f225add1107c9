// Replaying an exported script: relationships of one type {type} from $rows, one string (see
// replay_nodes.cypher). Fields: 0 start, 1 end, 2 role, 3 date (YYYY-MM-DD), 4 date_precision,
// 5 date_note, 6 status, 7 source, 8 paragraphs, 9 datasets, 10 source_sheet, 11 source_row, 12 weight (a FLOAT), 13 count,
// 14 ended (text, as the dataset writes it). Stores what upsert_relationships.cypher
// stores for the same rows.
UNWIND split($rows, $enc.row) AS line
WITH split(line, $enc.field) AS f
WITH f, [i IN [8, 9] | CASE size(f[i]) WHEN 0 THEN [] ELSE split(f[i], $enc.item) END] AS lists
MATCH (a:AlliancesData {id: f[0]})
MATCH (b:AlliancesData {id: f[1]})
MERGE (a)-[r:{type}]->(b)
SET r = {role: nullIf(f[2], $enc.empty), date: CASE size(f[3]) WHEN 0 THEN null ELSE date(f[3]) END,
         date_precision: nullIf(f[4], $enc.empty), date_note: nullIf(f[5], $enc.empty),
         status: nullIf(f[6], $enc.empty), source: nullIf(f[7], $enc.empty),
         paragraphs: CASE size(lists[0]) WHEN 0 THEN null ELSE [p IN lists[0] | toInteger(p)] END,
         datasets: lists[1], source_sheet: nullIf(f[10], $enc.empty),
         source_row: toInteger(nullIf(f[11], $enc.empty)),
         weight: toFloat(nullIf(f[12], $enc.empty)), count: toInteger(nullIf(f[13], $enc.empty)),
         ended: nullIf(f[14], $enc.empty)}
