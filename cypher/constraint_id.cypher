// Uniqueness of `id` for one label; {label} comes only from the model's allowlist.
CREATE CONSTRAINT {label}_id_unique IF NOT EXISTS FOR (n:{label}) REQUIRE n.id IS UNIQUE
