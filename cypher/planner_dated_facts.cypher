// Planner query: the dated ties (agreements, awards, ...) in time order, with provenance.
// No parameters. date is a DATE (the first day of the period), date_precision says year, month or day,
// date_note keeps the source's wording.
MATCH (a:AlliancesData)-[r]->(b:AlliancesData)
WHERE r.date IS NOT NULL
RETURN r.date AS date, r.date_precision AS precision, r.date_note AS wording, a.name AS from_name,
       type(r) AS tie, b.name AS to_name, r.paragraphs AS paragraphs
ORDER BY date, from_name, tie, to_name
