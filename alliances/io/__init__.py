"""Data in and out the way planners work.

- :mod:`alliances.io.template` writes an Excel workbook to fill in;
- :mod:`alliances.io.importer` reads a workbook, a folder of CSVs or a
  nodes/relationships pair (UTF-8, UTF-8 with BOM, GB18030/GBK) into a
  checked :class:`~alliances.dataset.Dataset`;
- :mod:`alliances.normalize` (one layer down, shared with the registry) cleans cells the way Excel leaves them;
- :mod:`alliances.io.export` writes GraphML, GEXF, node-link JSON, CSV,
  ``.xlsx`` and a Cypher script.
"""
