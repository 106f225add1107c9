// Migration of a store written before datasets were recorded: sources without datasets.
MATCH (s:AlliancesSource)
WHERE s.datasets IS NULL
SET s.datasets = $datasets
