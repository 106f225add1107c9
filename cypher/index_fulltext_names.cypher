// Chinese search in the database: a full-text index with the cjk analyzer (CJK text in bigrams, Latin
// words whole, full-width folded) over names, English names, aliases and descriptions of project nodes.
CREATE FULLTEXT INDEX alliances_names IF NOT EXISTS
FOR (n:AlliancesData) ON EACH [n.name, n.name_en, n.aliases, n.description]
OPTIONS {indexConfig: {`fulltext.analyzer`: $analyzer}}
