// Replaying an exported script: sources from $rows, one string (see replay_nodes.cypher). Fields: 0 id,
// 1 title, 2 publisher, 3 published (YYYY-MM-DD), 4 published_precision, 5 file, 6 paragraph_numbering,
// 7 datasets, 8 imported (YYYY-MM-DD), 9 imported_precision. Stores what upsert_sources.cypher stores for the same rows.
UNWIND split($rows, $enc.row) AS line
WITH split(line, $enc.field) AS f
MERGE (s:AlliancesSource {id: f[0]})
SET s = {id: f[0], title: nullIf(f[1], $enc.empty), publisher: nullIf(f[2], $enc.empty),
         published: CASE size(f[3]) WHEN 0 THEN null ELSE date(f[3]) END,
         published_precision: nullIf(f[4], $enc.empty), file: nullIf(f[5], $enc.empty),
         paragraph_numbering: nullIf(f[6], $enc.empty),
         datasets: CASE size(f[7]) WHEN 0 THEN [] ELSE split(f[7], $enc.item) END,
         imported: CASE size(f[8]) WHEN 0 THEN null ELSE date(f[8]) END,
         imported_precision: nullIf(f[9], $enc.empty)}
