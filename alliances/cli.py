"""The ``alliances`` command line: the group and the registry of commands.

The commands live in :mod:`alliances.commands` (one module per family); each
parses options, calls the library, formats the result. This module lists them
(:data:`LAZY_COMMANDS`, imported only when one runs, so ``alliances --help``
is instant) and turns the project's own errors (:mod:`alliances.errors`) into
one clear message and exit code.
"""

from __future__ import annotations

import importlib
import sys

import click

from alliances import __version__
from alliances.errors import AlliancesError

# name -> ("module:attribute", one-line help shown by `alliances --help`). The help is the
# command's own short help (tests/test_docs.py checks they are equal): change both together.
LAZY_COMMANDS: dict[str, tuple[str, str]] = {
    "path": ("alliances.commands.query:path_command",
             'How is FROM connected to TO? Shortest partnership paths, hop by hop.'),
    "centrality": ("alliances.commands.query:centrality_command",
                   'Who are the hubs? Degree, betweenness, closeness, eigenvector and PageRank per organisation.'),
    "show": ("alliances.commands.query:show_command",
             'A node: its properties, figures, provenance and ties.'),
    "search": ("alliances.commands.query:search_command",
               'Find nodes whose id, name, English name, alias or description contains TEXT.'),
    "validate": ("alliances.commands.query:validate_command",
                 'Check a dataset folder (default: the bundled one) and list every problem at once.'),
    "map": ("alliances.commands.map:map_command",
            'Write an interactive, self-contained HTML map of the network.'),
    "template": ("alliances.commands.io:template_command",
                 'Write an Excel workbook to fill in: one sheet per node label, relationships, figures, sources.'),
    "import": ("alliances.commands.io:import_command",
               'Bring in SOURCES: an .xlsx workbook, a folder of CSVs, or NODES.csv RELATIONSHIPS.csv.'),
    "export": ("alliances.commands.io:export_command",
               'Write the graph for Gephi, Neo4j, Excel or other tools.'),
    "generate": ("alliances.commands.generate:generate_command",
                 'Write a synthetic network shaped like the real one (regions, zones, committees, branches, enterprises, business circles, alliances, agreements, activities).'),
    "load": ("alliances.commands.load:load_command",
             'Load a dataset folder (default: the bundled one) into Neo4j as one dataset of record.'),
    "datasets": ("alliances.commands.datasets:datasets_command",
                 'List the datasets loaded into Neo4j: name, source, counts, load time.'),
    "changes": ("alliances.commands.changes:changes_command",
                'What changed between two dates: alliances, agreements, activities, ties, hubs, brokers, corridors.'),
    "brokers": ("alliances.commands.analyses:brokers_command",
                "Who brokers between regions? Gould–Fernandez roles, Burt's constraint, cut points."),
    "corridors": ("alliances.commands.analyses:corridors_command",
                  'How each pair of regions is connected and which single organisation or tie would cut it.'),
    "communities": ("alliances.commands.analyses:communities_command",
                    'Clusters: Louvain communities, their modularity and how each spans regions.'),
    "suggest": ("alliances.commands.analyses:suggest_command",
                'Partner suggestions: organisations in other regions not yet tied, with reasons.'),
    "whatif": ("alliances.commands.analyses:whatif_command",
               'What if an organisation or tie were gone? Corridors, components, brokers and hubs before/after.'),
    "report": ("alliances.commands.analyses:report_command",
               'One self-contained document: summary, map or region ties, hubs, brokers, corridors, communities, suggestions and the provenance of every fact cited.'),
    "registry": ("alliances.commands.registry:registry_group",
                 'The registry of enterprises and social organisations kept with a dataset (registry.csv).'),
    "coverage": ("alliances.commands.registry:coverage_command",
                 'Organisational and work coverage of the registry, by kind, park, industry and size.'),
}


class AlliancesGroup(click.Group):
    """A group that imports command modules lazily and reports our errors cleanly."""

    def list_commands(self, ctx):
        return sorted([*super().list_commands(ctx), *LAZY_COMMANDS])

    def get_command(self, ctx, name):
        if name in LAZY_COMMANDS:
            target, _ = LAZY_COMMANDS[name]
            module, attr = target.split(":")
            return getattr(importlib.import_module(module), attr)
        return super().get_command(ctx, name)

    def format_commands(self, ctx, formatter):
        rows = []
        for name in self.list_commands(ctx):
            if name in LAZY_COMMANDS:
                rows.append((name, LAZY_COMMANDS[name][1]))
            else:
                cmd = super().get_command(ctx, name)
                if cmd is not None and not cmd.hidden:
                    rows.append((name, cmd.get_short_help_str(limit=formatter.width - 6)))
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except AlliancesError as err:
            raise _ReportedError(err) from err


class _ReportedError(click.ClickException):
    def __init__(self, err: AlliancesError):
        from alliances.redact import redact

        super().__init__(redact(str(err)))
        self.exit_code = err.exit_code

    def show(self, file=None):
        click.echo(f"Error: {self.format_message()}", err=True)


@click.group(cls=AlliancesGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="alliances")
def cli():
    """Cross-regional Party-building alliances as a graph.

    Ask how two organisations are connected (path), draw the network (map)
    and find its hubs and brokers (centrality). Every command reads the bundled
    Zigong–Chengdu–Chongqing dataset unless given --data PATH or --neo4j.
    """


def main() -> None:
    """Entry point: UTF-8-safe streams under any locale, then the click group.

    ``ALLIANCES_FAST_THRESHOLD`` (nodes) moves the engine threshold
    (:class:`alliances.network.Thresholds`), for benchmarks and comparisons.
    """
    import os

    for stream in (sys.stdout, sys.stderr):
        enc = (getattr(stream, "encoding", "") or "").lower().replace("-", "")
        if enc != "utf8" and hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="replace")
    fast = os.environ.get("ALLIANCES_FAST_THRESHOLD")
    if fast:
        from alliances import network

        if not fast.isdigit():
            click.echo(f"Error: ALLIANCES_FAST_THRESHOLD={fast!r} is not a number of nodes; "
                       "unset it or give e.g. 2000.", err=True)
            sys.exit(2)
        network.THRESHOLDS = network.THRESHOLDS.with_(engine=int(fast))
    cli(prog_name="alliances")


if __name__ == "__main__":
    main()
