// Relationships of one type in a batch, keyed by (start, type, end); properties already merged with what
// other datasets hold, so they are replaced as a whole.
UNWIND $rows AS row
MATCH (a:AlliancesData {id: row.start})
MATCH (b:AlliancesData {id: row.end})
MERGE (a)-[r:{type}]->(b)
SET r = row.props
