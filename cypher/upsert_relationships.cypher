// Relationships of one type in a batch, keyed by (start, type, end) (MERGE: a loader racing on the same
// ends never makes a second one); properties already merged with what other datasets hold, so they are
// replaced as a whole. A new relationship gets them in one SET, with no read before it. One that exists
// gets the same properties, and the datasets that already hold it stay listed (a load running at the
// same time keeps its claim): the map names every property the store gives a relationship (a test keeps
// it in step with the model), so a cleared field disappears as with SET r = row.props.
UNWIND $rows AS row
MATCH (a:AlliancesData {id: row.start})
MATCH (b:AlliancesData {id: row.end})
MERGE (a)-[r:{type}]->(b)
ON CREATE SET r = row.props
ON MATCH SET r = {role: row.props.role, date: row.props.date, date_precision: row.props.date_precision,
  date_note: row.props.date_note, status: row.props.status, source: row.props.source,
  paragraphs: row.props.paragraphs, source_sheet: row.props.source_sheet, source_row: row.props.source_row,
  weight: row.props.weight, count: row.props.count, ended: row.props.ended,
  datasets: coalesce(r.datasets, []) + [d IN row.props.datasets WHERE NOT d IN coalesce(r.datasets, [])]}
