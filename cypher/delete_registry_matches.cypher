// The matches of these registry entries, before they are written again (a changed match moves).
MATCH (e:RegistryEntry)-[r:REGISTERED_AS]->()
WHERE e.id IN $ids
DELETE r
