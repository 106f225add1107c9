// Ids of the registry entries that dataset $name holds (a reload lets go of those it no longer has).
MATCH (e:RegistryEntry)
WHERE $name IN e.datasets
RETURN e.id AS id
