// The state of the store's full-text index ($name): no row when it does not exist, else ONLINE,
// POPULATING or FAILED (search falls back to the name table unless it is ONLINE).
SHOW FULLTEXT INDEXES YIELD name, state WHERE name = $name
RETURN state
