"""Commands that ask the network a question: path, centrality, show, search, validate.

Each parses options, calls one library function and formats its result.
"""

from __future__ import annotations

import sys

import click

from alliances.commands.common import (as_of_option, cache_folder, cache_options, echo, echo_json,
                                       format_option, meta_note, projection_option, source_options)


# ---------------------------------------------------------------------------
# path


@click.command("path")
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
def path_command(from_name, to_name, k, max_hops, via, geography, lang, fmt, source):
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
        echo_json(result)
    else:
        click.echo(query.explain_paths(result, lang=lang), nl=False)


def _check_types(via):
    """--via values as codes: a code, or its Chinese or English name (成员, "member of")."""
    from alliances.model import REL_TYPES, find_code

    codes = [find_code("type", t) for t in via]
    bad = [t for t, c in zip(via, codes) if c is None]
    if bad:
        raise click.BadParameter(
            f"unknown relationship type(s) {', '.join(bad)}; use: {', '.join(REL_TYPES)}", param_hint="--via"
        )
    return list(dict.fromkeys(codes)) or None


# ---------------------------------------------------------------------------
# centrality


@click.command("centrality")
@click.option("--by", type=click.Choice(["degree", "weighted_degree", "betweenness", "closeness",
                                         "harmonic", "eigenvector", "pagerank"]),
              default="betweenness", show_default=True, help="Metric to rank by.")
@click.option("--top", type=click.IntRange(1), default=None, help="Only the first N rows.")
@projection_option
@as_of_option
@click.option("--without", multiple=True, metavar="NAME",
              help="Leave out an organisation (name or id); repeatable.")
@click.option("--explain", is_flag=True,
              help="Add each hub's alliances, activities, agreements and partners in other regions.")
@format_option("table")
@source_options
def centrality_command(by, top, projection, as_of, without, explain, fmt, source):
    """Who are the hubs? Degree, betweenness, closeness, eigenvector and PageRank per organisation."""
    from alliances.analysis.centrality import centrality_report
    from alliances.output import render_rows

    net = source.network()  # the analysis picks graph or arrays
    result = centrality_report(net, projection_name=projection, by=by, top=top, as_of=as_of,
                               without=[net.resolve(w) for w in without], explain=explain)
    rows = result["rows"]
    cols = ["rank", "id", "name", "region", "kind", "degree", "weighted_degree", "betweenness",
            "closeness", "harmonic", "eigenvector", "pagerank", "region_rank"]
    if fmt == "table":
        cols = ["rank", "name", "region", "kind", "degree", "betweenness", "closeness", "eigenvector",
                "pagerank", "region_rank"]
    if explain:
        cols.append("explanation_text")
    echo(render_rows(rows, fmt, cols if fmt != "json" else None, title=f"Centrality ({projection}), by {by}"))
    if meta_note(result["meta"]):
        click.echo(meta_note(result["meta"]), err=True)


# ---------------------------------------------------------------------------
# show / search / validate


@click.command("show")
@click.argument("name")
@format_option("text", ["text", "json"])
@source_options
def show_command(name, fmt, source):
    """A node: its properties, figures, provenance and ties."""
    from alliances import query

    result = query.show_node(source, name)
    if fmt == "json":
        echo_json(result)
    else:
        click.echo(query.explain_node(result), nl=False)


@click.command("search")
@click.argument("text")
@click.option("--limit", type=click.IntRange(1), default=50, show_default=True, help="Most results.")
@format_option("table")
@source_options
def search_command(text, limit, fmt, source):
    """Find nodes whose id, name, English name, alias or description contains TEXT."""
    from alliances import query
    from alliances.output import render_rows

    rows = query.search_nodes(source, text, limit=limit)
    if not rows and fmt == "table":
        click.echo(f"No node matches {text!r}.")
        return
    echo(render_rows(rows, fmt, ["id", "label", "name", "name_en", "region", "kind"] if fmt != "json" else None))


@click.command("validate")
@click.argument("path", type=click.Path(), required=False)
@click.option("--encoding", help="Force the CSV encoding (default: detect UTF-8, UTF-8 with BOM, GB18030/GBK).")
@format_option("text", ["text", "json"])
@cache_options
def validate_command(path, encoding, fmt, cache_dir, no_cache):
    """Check a dataset folder (default: the bundled one) and list every problem at once.

    PATH may also be an .xlsx workbook: it gets the checks `alliances import`
    runs (the same problems for the same rows), and nothing is written.
    Every row is checked each time; a valid folder's snapshot is written to
    the cache so later commands on it start without re-reading the CSVs.
    """
    from pathlib import Path

    from alliances.errors import ValidationError
    from alliances.snapshot import read_checked

    try:
        if path and Path(path).suffix.lower() in (".xlsx", ".xlsm") and not Path(path).is_dir():
            from alliances.io.importer import import_source

            ds = import_source([path], encoding=encoding).dataset
        else:
            ds = read_checked(path, cache_dir=cache_folder(cache_dir, no_cache), encoding=encoding, refresh=True)
    except ValidationError as err:
        if fmt == "json":
            echo_json({"valid": False, "problems": [p.as_dict() for p in err.problems]})
            sys.exit(1)
        raise
    labels, types = ds.counts()
    if fmt == "json":
        echo_json({"valid": True, "nodes": labels, "relationships": types, "figures": len(ds.figures)})
        return
    click.echo(f"OK: {ds.path}: {len(ds.nodes)} nodes, {len(ds.relationships)} relationships, "
               f"{len(ds.figures)} figures.")
    click.echo("  nodes: " + ", ".join(f"{k} {v}" for k, v in sorted(labels.items())))
    click.echo("  relationships: " + ", ".join(f"{k} {v}" for k, v in sorted(types.items())))
