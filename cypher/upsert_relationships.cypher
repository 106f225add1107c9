// Relationships of one type in a batch, keyed by (start, type, end); properties already merged with what
// other datasets hold, so they are replaced as a whole.
// The datasets that already hold it stay listed (a load running at the same time keeps its claim).
UNWIND $rows AS row
MATCH (a:AlliancesData {id: row.start})
MATCH (b:AlliancesData {id: row.end})
MERGE (a)-[r:{type}]->(b)
WITH r, row, coalesce(r.datasets, []) AS held
SET r = row.props
SET r.datasets = held + [d IN row.props.datasets WHERE NOT d IN held]
