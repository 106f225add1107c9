// The names of some constraints that exist (used to find a store written by an older version).
SHOW CONSTRAINTS YIELD name
WHERE name IN $names
RETURN name
