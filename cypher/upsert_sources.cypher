// Sources of provenance, one row per document (already merged with what other datasets hold).
// The datasets that already hold it stay listed (a load running at the same time keeps its claim).
UNWIND $rows AS row
MERGE (s:AlliancesSource {id: row.id})
WITH s, row, coalesce(s.datasets, []) AS held
SET s = row.props
SET s.datasets = held + [d IN row.props.datasets WHERE NOT d IN held]
