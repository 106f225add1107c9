"""alliances: cross-regional Party-building alliances as a graph.

Partnership paths, offline HTML maps and hub/broker reports over the
Zigong–Chengdu–Chongqing network, on an embedded store or Neo4j.
"""

__version__ = "0.1.0"
