// The projection read into networkx: every relationship between project nodes.
MATCH (a:Alliances)-[r]->(b:Alliances)
RETURN a.id AS start, type(r) AS type, b.id AS end, properties(r) AS props
