// Registry entries (alliances registry import) in a batch, keyed by id; their own label, so the
// graph's readers never take them for graph nodes. Properties replaced as a whole; the datasets that
// already hold an entry stay listed in its datasets (the dataset tag, as on AlliancesData nodes).
UNWIND $rows AS row
MERGE (e:RegistryEntry {id: row.id})
WITH e, row, coalesce(e.datasets, []) AS held
SET e = row.props
SET e.datasets = held + [d IN row.props.datasets WHERE NOT d IN held]
