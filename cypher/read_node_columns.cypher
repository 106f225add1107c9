// The nodes read out for --neo4j analyses, in bulk: one record per model label whose columns are
// lists, one value per node in one order, instead of one map per node. A property the node does
// not have comes back as [] (a value the store never writes for these keys: empty lists and
// strings are left out when it writes). The keys are those alliances.store.rows.node_from reads.
// $labels: the model's labels (a node's model label is found by name, never by position).
MATCH (n:AlliancesData)
WITH [l IN labels(n) WHERE l IN $labels][0] AS label, n
RETURN label, collect(n.id) AS id,
       collect(coalesce(n.name, [])) AS name, collect(coalesce(n.name_en, [])) AS name_en,
       collect(coalesce(n.kind, [])) AS kind, collect(coalesce(n.credit_code, [])) AS credit_code,
       collect(coalesce(n.region, [])) AS region, collect(coalesce(n.date, [])) AS date,
       collect(coalesce(n.date_precision, [])) AS date_precision, collect(coalesce(n.date_note, [])) AS date_note,
       collect(coalesce(n.status, [])) AS status, collect(coalesce(n.aliases, [])) AS aliases,
       collect(coalesce(n.description, [])) AS description, collect(coalesce(n.synthetic, [])) AS synthetic,
       collect(coalesce(n.source, [])) AS source, collect(coalesce(n.paragraphs, [])) AS paragraphs,
       collect(coalesce(n.ended, [])) AS ended, collect(coalesce(n.source_sheet, [])) AS source_sheet,
       collect(coalesce(n.source_row, [])) AS source_row, collect(coalesce(n.figures_json, [])) AS figures_json
