// Replaying an exported script: nodes of one label {label} from $rows, one string (rows separated by
// $enc.row, fields by $enc.field, list items by $enc.item): a string costs the server nothing to plan,
// where a list of the same rows as map literals costs seconds. The same statement runs for every batch,
// so it is planned once. Fields: 0 id, 1 name, 2 name_en, 3 kind, 4 region, 5 date (YYYY-MM-DD),
// 6 date_precision, 7 date_note, 8 status, 9 aliases, 10 description, 11 synthetic, 12 source,
// 13 paragraphs, 14 figures_json, 15 datasets, 16 figures (key, type, value, ...), 17 exclusive,
// 18 source_sheet, 19 source_row (where an imported row came from), 20 ended (text, as the dataset
// writes it).
// Stores what upsert_nodes.cypher stores for the same rows.
UNWIND split($rows, $enc.row) AS line
WITH split(line, $enc.field) AS f
WITH f, [i IN [9, 13, 15, 16] | CASE size(f[i]) WHEN 0 THEN [] ELSE split(f[i], $enc.item) END] AS lists
MERGE (n:AlliancesData {id: f[0]})
SET n = {id: f[0], name: nullIf(f[1], $enc.empty), name_en: nullIf(f[2], $enc.empty),
         kind: nullIf(f[3], $enc.empty), region: nullIf(f[4], $enc.empty),
         date: CASE size(f[5]) WHEN 0 THEN null ELSE date(f[5]) END, date_precision: nullIf(f[6], $enc.empty),
         date_note: nullIf(f[7], $enc.empty), status: nullIf(f[8], $enc.empty),
         aliases: CASE size(lists[0]) WHEN 0 THEN null ELSE lists[0] END, description: nullIf(f[10], $enc.empty),
         synthetic: CASE f[11] WHEN $enc.yes THEN true ELSE null END, source: nullIf(f[12], $enc.empty),
         paragraphs: CASE size(lists[1]) WHEN 0 THEN null ELSE [p IN lists[1] | toInteger(p)] END,
         figures_json: nullIf(f[14], $enc.empty), datasets: lists[2], source_sheet: nullIf(f[18], $enc.empty),
         source_row: toInteger(nullIf(f[19], $enc.empty)), ended: nullIf(f[20], $enc.empty)}
FOREACH (i IN CASE size(lists[3]) WHEN 0 THEN [] ELSE range(0, size(lists[3]) - 1, 3) END |
  SET n[lists[3][i]] = CASE lists[3][i + 1] WHEN $enc.integer THEN toInteger(lists[3][i + 2])
                                            ELSE toFloat(lists[3][i + 2]) END)
REMOVE n{other_labels}
SET n:{label}
WITH n, f
CALL (n, f) {
  OPTIONAL MATCH (n)-[old:SOURCED_FROM]->(doc:AlliancesSource)
  WHERE f[17] = $enc.yes AND doc.id <> f[12]
  DELETE old
}
WITH n, f
MATCH (s:AlliancesSource {id: f[12]})
MERGE (n)-[c:SOURCED_FROM]->(s)
SET c.paragraphs = n.paragraphs
