// Dataset $name lets go of some registry entries: it leaves their datasets, and an entry no dataset
// holds any more is removed with its REGISTERED_AS match.
UNWIND $rows AS id
MATCH (e:RegistryEntry {id: id})
SET e.datasets = [d IN e.datasets WHERE d <> $name]
WITH e
WHERE size(e.datasets) = 0
DETACH DELETE e
