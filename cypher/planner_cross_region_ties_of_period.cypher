// Planner query: cross-region ties of a period — organisations of different regions that took part
// in the same agreement, activity or alliance dated within [$from, $to].
// Parameters: from, to (dates as 'YYYY-MM-DD'); labels (the model's labels, which the tool passes). A fact dated only to a year or month counts from the
// first day of its period (date_precision says which).
// In Neo4j Browser: :param from => '2020-01-01'
//                   :param to => '2021-12-31'
MATCH (a:Organization)-[ra:MEMBER_OF|FOUNDED|PARTY_TO|ORGANIZED|PARTICIPATED_IN]->(hub)
      <-[rb:MEMBER_OF|FOUNDED|PARTY_TO|ORGANIZED|PARTICIPATED_IN]-(b:Organization)
WHERE a.region < b.region AND (hub:Alliance OR hub:Agreement OR hub:Activity)
WITH a, b, hub, coalesce(hub.date, ra.date, rb.date) AS date
WHERE date >= date($from) AND date <= date($to)
RETURN a.region AS region_a, a.name AS organisation_a, b.region AS region_b, b.name AS organisation_b,
       hub.name AS shared, [l IN labels(hub) WHERE l IN $labels][0] AS kind,
       date
ORDER BY date, region_a, region_b, organisation_a, organisation_b
