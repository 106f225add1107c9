// Sources of provenance, one row per document.
UNWIND $rows AS row
MERGE (s:AlliancesSource {id: row.id})
SET s = row
