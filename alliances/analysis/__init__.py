"""Analyses, one module per family: centrality, brokerage, communities, suggestions."""
