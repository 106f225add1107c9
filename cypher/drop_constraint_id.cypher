// Drop an id constraint the store no longer uses ({label} comes only from the model's allowlist).
DROP CONSTRAINT {label}_id_unique IF EXISTS
