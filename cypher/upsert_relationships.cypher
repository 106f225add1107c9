// Relationships of one type in a batch, keyed by (start, type, end).
UNWIND $rows AS row
MATCH (a:Alliances {id: row.start})
MATCH (b:Alliances {id: row.end})
MERGE (a)-[r:{type}]->(b)
SET r = row.props
