"""The registry of a city's or park's enterprises and social organisations.

::

    creditcode   the unified social credit code (GB 32100-2015): normalise, check, make
    records      registry rows: reading CSV/xlsx, checking each row, registry.csv in a dataset
    match        registry entries to the graph's organisations: code first, then names

The registry is kept in the dataset folder as ``registry.csv`` and loaded
into Neo4j with the dataset; :mod:`alliances.analysis.coverage` computes the
two coverages from it and the graph.
"""
