// Nodes of one label that the load's check found in no dataset (a first load): created, not merged,
// each with the project label AlliancesData and linked to the document it comes from (SOURCED_FROM,
// with the paragraphs), exactly as upsert_nodes.cypher leaves a new node. No read before the writes,
// so no Eager in the plan. If another loader created one of these ids in the meantime, the id
// constraint fails the batch and the loader runs it again with upsert_nodes.cypher.
UNWIND $rows AS row
CREATE (n:AlliancesData:{label})
SET n = row.props
WITH n, row
MATCH (s:AlliancesSource {id: row.props.source})
CREATE (n)-[:SOURCED_FROM {paragraphs: row.props.paragraphs}]->(s)
