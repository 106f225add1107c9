// Nodes of one label in a batch; every node also carries the project label AlliancesData and is linked
// to the document it comes from (SOURCED_FROM, with the paragraphs). The tool has already merged each
// row with what other datasets hold, so a node's properties are replaced as a whole: a changed row
// updates and a cleared field disappears. {other_labels} (the model's other labels) are removed, so a
// node corrected from one label to another keeps only the new one. A row that is the dataset's alone
// (row.exclusive) drops its links to other documents.
// The datasets that already hold it stay listed (a load running at the same time keeps its claim).
UNWIND $rows AS row
MERGE (n:AlliancesData {id: row.id})
WITH n, row, coalesce(n.datasets, []) AS held
SET n = row.props
SET n.datasets = held + [d IN row.props.datasets WHERE NOT d IN held]
REMOVE n{other_labels}
SET n:{label}
WITH n, row
CALL (n, row) {
  OPTIONAL MATCH (n)-[old:SOURCED_FROM]->(doc:AlliancesSource)
  WHERE row.exclusive AND doc.id <> row.props.source
  DELETE old
}
WITH n, row
MATCH (s:AlliancesSource {id: row.props.source})
MERGE (n)-[c:SOURCED_FROM]->(s)
SET c.paragraphs = row.props.paragraphs
