// Nodes of one label in a batch; every node also carries the project label Alliances.
// A node's properties are replaced as a whole, so a changed row updates and a cleared field disappears.
UNWIND $rows AS row
MERGE (n:Alliances {id: row.id})
SET n = row.props
SET n:{label}
