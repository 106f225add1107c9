// Name lookups for one label; {label} comes only from the model's allowlist.
CREATE INDEX {label}_name IF NOT EXISTS FOR (n:{label}) ON (n.name)
