// Node counts per model label among the project's data.
MATCH (n:Alliances)
UNWIND [l IN labels(n) WHERE l <> 'Alliances'] AS label
RETURN label, count(*) AS count
ORDER BY label
