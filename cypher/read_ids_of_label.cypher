// Ids of the project nodes of one model label {label} (from the allowlist).
MATCH (n:{label})
WHERE n:AlliancesData
RETURN n.id AS id
