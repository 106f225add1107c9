"""The ``alliances`` command line: a thin layer over the library.

Each command parses options, calls the library, formats the result and turns
the project's own errors (:mod:`alliances.errors`) into one clear message and
exit code. Heavy modules are imported only inside the command that needs them,
and commands outside this file are imported only when they run.
"""

from __future__ import annotations

import importlib
import sys

import click

from alliances import __version__
from alliances.commands.common import format_option, source_options
from alliances.errors import AlliancesError

# name -> ("module:attribute", one-line help shown by `alliances --help`)
LAZY_COMMANDS: dict[str, tuple[str, str]] = {
    "map": ("alliances.commands.map:map_command", "Write an interactive, self-contained HTML map."),
    "template": ("alliances.commands.io:template_command", "Write an Excel workbook (template) to fill in."),
    "import": ("alliances.commands.io:import_command", "Import an .xlsx workbook or CSVs into a dataset folder or Neo4j."),
    "export": ("alliances.commands.io:export_command", "Export as GraphML, GEXF, JSON, CSV, .xlsx or a Cypher script."),
    "generate": ("alliances.commands.generate:generate_command", "Write a synthetic dataset of N organisations (benchmarks)."),
    "load": ("alliances.commands.load:load_command", "Load a dataset into Neo4j (validated, batched, idempotent)."),
    "datasets": ("alliances.commands.datasets:datasets_command", "List (or drop) the datasets loaded into Neo4j."),
    "brokers": ("alliances.commands.analyses:brokers_command", "Cross-region brokers: Gould–Fernandez roles, constraint, cut points."),
    "corridors": ("alliances.commands.analyses:corridors_command", "How region pairs connect and which organisation or tie would cut them."),
    "communities": ("alliances.commands.analyses:communities_command", "Louvain communities, modularity and their regions."),
    "suggest": ("alliances.commands.analyses:suggest_command", "Partner suggestions in other regions, with reasons."),
    "whatif": ("alliances.commands.analyses:whatif_command", "What changes without an organisation or a tie (A~B)."),
    "report": ("alliances.commands.analyses:report_command", "Write one self-contained HTML or Markdown report."),
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
        super().__init__(str(err))
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


# ---------------------------------------------------------------------------
# path


@cli.command()
@click.argument("from_name", metavar="FROM")
@click.argument("to_name", metavar="TO")
@click.option("--k", "k", type=click.IntRange(1, 100), default=1, show_default=True,
              help="How many alternative paths (shortest first).")
@click.option("--max-hops", type=click.IntRange(1, 50), default=None, help="Longest path to report.")
@click.option("--via", multiple=True, metavar="TYPE",
              help="Only these relationship types (repeatable), e.g. --via MEMBER_OF; "
                   "geography (LOCATED_IN, PART_OF) counts only when named here.")
@click.option("--geography", is_flag=True,
              help="Also count geography (LOCATED_IN, PART_OF, HELD_IN): sharing a city or zone becomes a hop.")
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True,
              help="Language of names and relationship words in text output.")
@format_option("text", ["text", "json"])
@source_options
def path(from_name, to_name, k, max_hops, via, geography, lang, fmt, source):
    """How is FROM connected to TO? Shortest partnership paths, hop by hop.

    FROM and TO are an id, a name, an English name, an alias or a unique part
    of a name.
    """
    from alliances import query

    via = _check_types(via)
    if geography:
        from alliances.model import GEOGRAPHY, PARTNERSHIP_TYPES, REL_TYPES

        geo = [t for t, r in REL_TYPES.items() if r.category == GEOGRAPHY]
        via = list(dict.fromkeys([*(via or PARTNERSHIP_TYPES), *geo]))
    result = query.path_query(source, from_name, to_name, k=k, max_hops=max_hops, via=via)
    if fmt == "json":
        _echo_json(result)
    else:
        click.echo(query.explain_paths(result, lang=lang), nl=False)


def _check_types(via):
    from alliances.model import REL_TYPES

    bad = [t for t in via if t not in REL_TYPES]
    if bad:
        raise click.BadParameter(
            f"unknown relationship type(s) {', '.join(bad)}; use: {', '.join(REL_TYPES)}", param_hint="--via"
        )
    return list(via) or None


# ---------------------------------------------------------------------------
# centrality


@cli.command()
@click.option("--by", type=click.Choice(["degree", "weighted_degree", "betweenness", "closeness",
                                         "harmonic", "eigenvector", "pagerank"]),
              default="betweenness", show_default=True, help="Metric to rank by.")
@click.option("--top", type=click.IntRange(1), default=None, help="Only the first N rows.")
@click.option("--projection", type=click.Choice(["full", "organizations"]), default="full",
              show_default=True,
              help="full: the whole partnership graph (organisations, alliances, agreements, activities, "
                   "...; no regions or zones); organizations: organisations tied once per shared alliance, "
                   "agreement, activity or direct tie.")
@click.option("--as-of", "as_of", metavar="YYYY-MM-DD",
              help="The network as it stood on this date (undated facts kept and counted on stderr).")
@click.option("--without", multiple=True, metavar="NAME",
              help="Leave out an organisation (name or id); repeatable.")
@click.option("--explain", is_flag=True,
              help="Add each hub's alliances, activities, agreements and partners in other regions.")
@format_option("table")
@source_options
def centrality(by, top, projection, as_of, without, explain, fmt, source):
    """Who are the hubs? Degree, betweenness, closeness, eigenvector and PageRank per organisation."""
    from alliances.analysis.centrality import centrality_report
    from alliances.commands.analyses import _check_date, meta_note
    from alliances.output import render_rows
    from alliances.resolve import resolve

    as_of = _check_date(None, None, as_of)
    # the whole network needs no graph: the projection is built from the dataset's arrays
    G = source.graph() if as_of or without or explain else None
    result = centrality_report(G, projection_name=projection, by=by, top=top, as_of=as_of,
                               without=[resolve(G, w) for w in without], explain=explain,
                               dataset=source.dataset())
    rows = result["rows"]
    cols = ["rank", "id", "name", "region", "kind", "degree", "weighted_degree", "betweenness",
            "closeness", "harmonic", "eigenvector", "pagerank", "region_rank"]
    if fmt == "table":
        cols = ["rank", "name", "region", "kind", "degree", "betweenness", "closeness", "eigenvector",
                "pagerank", "region_rank"]
    if explain:
        cols.append("explanation_text")
    _echo(render_rows(rows, fmt, cols if fmt != "json" else None, title=f"Centrality ({projection}), by {by}"))
    if meta_note(result["meta"]):
        click.echo(meta_note(result["meta"]), err=True)


# ---------------------------------------------------------------------------
# show / search / validate


@cli.command()
@click.argument("name")
@format_option("text", ["text", "json"])
@source_options
def show(name, fmt, source):
    """A node: its properties, figures, provenance and ties."""
    from alliances import query

    result = query.show_node(source, name)
    if fmt == "json":
        _echo_json(result)
    else:
        click.echo(query.explain_node(result), nl=False)


@cli.command()
@click.argument("text")
@click.option("--limit", type=click.IntRange(1), default=50, show_default=True, help="Most results.")
@format_option("table")
@source_options
def search(text, limit, fmt, source):
    """Find nodes whose id, name, English name, alias or description contains TEXT."""
    from alliances import query
    from alliances.output import render_rows

    rows = query.search_nodes(source, text, limit=limit)
    if not rows and fmt == "table":
        click.echo(f"No node matches {text!r}.")
        return
    _echo(render_rows(rows, fmt, ["id", "label", "name", "name_en", "region", "kind"] if fmt != "json" else None))


@cli.command()
@click.argument("path", type=click.Path(), required=False)
@click.option("--encoding", help="Force the CSV encoding (default: detect UTF-8, UTF-8 with BOM, GB18030/GBK).")
@format_option("text", ["text", "json"])
def validate(path, encoding, fmt):
    """Check a dataset folder (default: the bundled one) and list every problem at once."""
    from alliances.dataset import read_dataset
    from alliances.errors import ValidationError

    try:
        ds = read_dataset(path, encoding=encoding)
    except ValidationError as err:
        if fmt == "json":
            _echo_json({"valid": False, "problems": [p.as_dict() for p in err.problems]})
            sys.exit(1)
        raise
    labels, types = ds.counts()
    if fmt == "json":
        _echo_json({"valid": True, "nodes": labels, "relationships": types, "figures": len(ds.figures)})
        return
    click.echo(f"OK: {ds.path}: {len(ds.nodes)} nodes, {len(ds.relationships)} relationships, "
               f"{len(ds.figures)} figures.")
    click.echo("  nodes: " + ", ".join(f"{k} {v}" for k, v in sorted(labels.items())))
    click.echo("  relationships: " + ", ".join(f"{k} {v}" for k, v in sorted(types.items())))


# ---------------------------------------------------------------------------


def _echo(text: str) -> None:
    from alliances.output import write_text

    write_text(text)


def _echo_json(obj) -> None:
    import json

    _echo(json.dumps(obj, ensure_ascii=False, indent=2) + "\n")


def main() -> None:
    """Entry point: UTF-8-safe streams under any locale, then the click group."""
    for stream in (sys.stdout, sys.stderr):
        enc = (getattr(stream, "encoding", "") or "").lower().replace("-", "")
        if enc != "utf8" and hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="replace")
    cli(prog_name="alliances")


if __name__ == "__main__":
    main()
