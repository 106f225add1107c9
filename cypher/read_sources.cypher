// Sources of provenance.
MATCH (s:AlliancesSource)
RETURN properties(s) AS props
