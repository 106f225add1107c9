// Sources of provenance, one row per document (already merged with what other datasets hold).
UNWIND $rows AS row
MERGE (s:AlliancesSource {id: row.id})
SET s = row.props
