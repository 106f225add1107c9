// Node counts per model label among the project's data ($labels: the model's labels).
MATCH (n:AlliancesData)
UNWIND [l IN labels(n) WHERE l IN $labels] AS label
RETURN label, count(*) AS count
ORDER BY label
