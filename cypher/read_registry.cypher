// Every registry entry, in id order, for the same coverage as the dataset folder's registry.csv.
MATCH (e:RegistryEntry)
RETURN properties(e) AS props
ORDER BY e.id
