// Registry entries (alliances registry import) in a batch, keyed by id; their own label, so the
// graph's readers never take them for graph nodes. Properties replaced as a whole.
UNWIND $rows AS row
MERGE (e:RegistryEntry {id: row.id})
SET e = row.props
