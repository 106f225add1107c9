"""Commands that ask the network a question: path, centrality, show, search, validate.

Each parses options, calls one library function and formats its result.
"""

from __future__ import annotations

import sys

import click

from alliances.commands.common import (as_of_option, cache_folder, cache_options, echo, echo_json,
                                       format_option, lang_option, meta_note, projection_option, source_options)


# ---------------------------------------------------------------------------
# path


@click.command("path")
@click.argument("from_name", metavar="FROM", required=False)
@click.argument("to_name", metavar="TO", required=False)
@click.option("--k", "k", type=click.IntRange(1, 100), default=1, show_default=True,
              help="How many alternative paths (shortest first).")
@click.option("--max-hops", type=click.IntRange(1, 50), default=None, help="Longest path to report.")
@click.option("--via", multiple=True, metavar="TYPE",
              help="Only these relationship types (repeatable), e.g. --via MEMBER_OF; "
                   "geography (LOCATED_IN, PART_OF) counts only when named here.")
@click.option("--geography", is_flag=True,
              help="Also count geography (LOCATED_IN, PART_OF, HELD_IN): sharing a city or zone becomes a hop.")
@click.option("--pairs", "pairs_file", type=click.Path(dir_okay=False), metavar="FILE.csv",
              help="Many questions at once: a CSV with columns from,to (or 起点,终点), one pair a row; "
                   "one answer per row (the network is read once).")
@click.option("--from", "from_option", metavar="NAME", help="With --to-region: where to start (instead of FROM).")
@click.option("--to-region", metavar="REGION",
              help="The organisations of this city, district or zone (and all it contains) nearest to FROM.")
@click.option("--top", type=click.IntRange(1), default=10, show_default=True,
              help="With --to-region: at most this many of the nearest organisations.")
@click.option("--weighted", is_flag=True,
              help="Strong ties are short: a hop's length is 1 / (sum of weight x count of its relationships); "
                   "the path with the smallest total length (Dijkstra), each hop's weight shown.")
@lang_option(what="names and relationship words in text output")
@format_option("text", ["text", "json", "csv"])
@source_options
def path_command(from_name, to_name, k, max_hops, via, geography, pairs_file, from_option, to_region, top,
                 weighted, lang, fmt, source):
    """How is FROM connected to TO? Shortest partnership paths, hop by hop.

    FROM and TO are an id, a name, an English name, an alias or a unique part
    of a name. `--pairs FILE.csv` answers many pairs in one run; `--from NAME
    --to-region REGION` finds the nearest organisations of a region.
    """
    from alliances import query

    via = _check_types(via)
    if lang is None:
        lang = "zh" if source.use_neo4j else source.network().language
    if geography:
        from alliances.model import GEOGRAPHY, PARTNERSHIP_TYPES, REL_TYPES

        geo = [t for t, r in REL_TYPES.items() if r.category == GEOGRAPHY]
        via = list(dict.fromkeys([*(via or PARTNERSHIP_TYPES), *geo]))
    if pairs_file:
        if from_name or to_name or from_option or to_region:
            raise click.UsageError("--pairs reads every question from its file: give no FROM, TO, --from or --to-region")
        if k != 1:
            raise click.UsageError("--pairs answers one shortest path per row: leave out --k")
        pairs = query.read_pairs(pairs_file)
        answers = query.path_pairs(source, pairs, max_hops=max_hops, via=via, path_name=pairs_file,
                                   weighted=weighted)
        if fmt == "json":
            echo_json(answers)
        elif fmt == "csv":
            from alliances.output import render_rows

            echo(render_rows(query.pair_rows(answers, lang), "csv",
                             query.PAIR_ROW_COLUMNS + (["length"] if weighted else [])))
        else:
            row = "第 {} 行：\n" if lang == "zh" else "Row {}:\n"
            click.echo("".join(row.format(a["row"]) + query.explain_paths(a, lang=lang) for a in answers), nl=False)
        return
    if to_region and weighted:
        raise click.UsageError("--to-region finds the nearest organisations by hops: leave out --weighted "
                               "(or ask 'alliances path FROM TO --weighted' for each)")
    if to_region:
        start = from_option or from_name
        if not start or (from_option and from_name) or to_name:
            raise click.UsageError("--to-region needs one start: FROM or --from NAME, and no TO")
        result = query.nearest_in_region(source, start, to_region, limit=top, via=via)
        if fmt == "json":
            echo_json(result)
        elif fmt == "csv":
            from alliances.output import render_rows

            answers = [{"row": i, "from": result["from"], "to": p["nodes"][-1], "paths": [p]}
                       for i, p in enumerate(result["paths"], start=1)]
            echo(render_rows(query.pair_rows(answers, lang), "csv", query.PAIR_ROW_COLUMNS))
        else:
            click.echo(query.explain_nearest(result, lang=lang), nl=False)
        return
    if from_option:
        raise click.UsageError("--from goes with --to-region; for one pair write: alliances path FROM TO")
    if not from_name or not to_name:
        raise click.UsageError("give FROM and TO (or --pairs FILE.csv, or --from NAME --to-region REGION)")
    if fmt == "csv":
        raise click.UsageError("--format csv is for --pairs and --to-region; use text or json for one pair")
    result = query.path_query(source, from_name, to_name, k=k, max_hops=max_hops, via=via, weighted=weighted)
    if fmt == "json":
        echo_json(result)
    else:
        click.echo(query.explain_paths(result, lang=lang), nl=False)


def _check_types(via):
    """--via values as codes: the code itself, or its Chinese or English name (成员, "member of").

    A code in another case (``member_of``) is refused, as the Cypher allowlist refuses it,
    with the code as a suggestion.
    """
    from alliances.model import REL_TYPES, find_code

    codes = []
    for t in via:
        code = find_code("type", t)
        if code is not None and t != code and t.strip().casefold() == code.casefold():
            code = None
        codes.append(code)
    bad = [t for t, c in zip(via, codes) if c is None]
    if bad:
        hints = [find_code("type", t) for t in bad]
        hint = f" (did you mean {', '.join(h for h in hints if h)}?)" if any(hints) else ""
        raise click.BadParameter(
            f"unknown relationship type(s) {', '.join(bad)}{hint}; use: {', '.join(REL_TYPES)}", param_hint="--via"
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
@lang_option
@format_option("table")
@source_options
def centrality_command(by, top, projection, as_of, without, explain, lang, fmt, source):
    """Who are the hubs? Degree, betweenness, closeness, eigenvector and PageRank per organisation.

    The table shows rank, name, region, kind, every measure and the rank
    within the region; CSV, JSON and Markdown add the id.
    """
    from alliances.analysis.centrality import centrality_report
    from alliances.output import HEADERS, localize, render_rows

    net = source.network()  # the analysis picks graph or arrays
    lang = lang or net.language
    result = centrality_report(net, projection_name=projection, by=by, top=top, as_of=as_of,
                               without=[net.resolve(w) for w in without], explain=explain)
    rows = result["rows"]
    cols = ["rank", "id", "name", "region", "kind", "degree", "weighted_degree", "betweenness",
            "closeness", "harmonic", "eigenvector", "pagerank", "region_rank"]
    if fmt == "table":  # every measure the docs list; no id (the name says it)
        cols = ["rank", "name", "region", "kind", "degree", "weighted_degree", "betweenness", "closeness",
                "harmonic", "eigenvector", "pagerank", "region_rank"]
    if explain:
        cols.append("explanation_text")
    if fmt != "json":
        rows = localize(rows, lang, region_name=net.region_name, codes=fmt != "csv")
    if lang == "zh":
        proj_zh = {"full": "full 投影：伙伴关系全图", "organizations": "组织投影"}.get(projection, f"{projection} 投影")
        measure = HEADERS.get(by, (by,))[0]
        measure = measure if not measure.isascii() else f" {measure} "  # 按 PageRank 排序, 按中介中心性排序
        title = f"中心性（{proj_zh}），按{measure}排序"
    else:
        title = f"Centrality ({projection}), by {by}"
    echo(render_rows(rows, fmt, cols if fmt != "json" else None, title=title, lang=lang))
    if meta_note(result["meta"]):
        click.echo(meta_note(result["meta"]), err=True)


# ---------------------------------------------------------------------------
# show / search / validate


@click.command("show")
@click.argument("name")
@lang_option(what="field names and region names")
@format_option("text", ["text", "json"])
@source_options
def show_command(name, lang, fmt, source):
    """A node: its properties, figures, provenance and ties."""
    from alliances import query

    lang = lang or source.network().language
    result = query.show_node(source, name, lang=lang)
    if fmt == "json":
        echo_json(result)
    else:
        click.echo(query.explain_node(result, lang=lang), nl=False)


@click.command("search")
@click.argument("text")
@click.option("--limit", type=click.IntRange(1), default=50, show_default=True, help="Most results.")
@lang_option
@format_option("table")
@source_options
def search_command(text, limit, lang, fmt, source):
    """Find nodes whose id, name, English name, alias or description contains TEXT."""
    from alliances import query
    from alliances.output import localize, render_rows

    from alliances.chars import language_of

    rows = query.search_nodes(source, text, limit=limit, lang=lang or "auto")
    if lang is None:  # the data's language, as search_nodes chose it for the region names
        lang = language_of([r["name"] for r in rows]) if source.use_neo4j else source.network().language
    if not rows and fmt == "table":
        click.echo(f"没有与 {text!r} 匹配的节点。" if lang == "zh" else f"No node matches {text!r}.")
        return
    if fmt != "json":
        rows = localize([{**r, "region": r.pop("region_name") or r["region"]} for r in rows], lang,
                        codes=fmt != "csv")
    echo(render_rows(rows, fmt, ["id", "label", "name", "name_en", "region", "kind"] if fmt != "json" else None,
                     lang=lang))


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
    from alliances.chars import lookalike_warnings

    labels, types = ds.counts()
    warnings = lookalike_warnings(ds.nodes)  # probable duplicates: said, never merged
    if fmt == "json":
        echo_json({"valid": True, "nodes": labels, "relationships": types, "figures": len(ds.figures),
                   **({"warnings": warnings} if warnings else {})})
        return
    for w in warnings:
        click.echo(f"Warning: {w}", err=True)
    click.echo(f"OK: {ds.path}: {len(ds.nodes)} nodes, {len(ds.relationships)} relationships, "
               f"{len(ds.figures)} figures.")
    click.echo("  nodes: " + ", ".join(f"{k} {v}" for k, v in sorted(labels.items())))
    click.echo("  relationships: " + ", ".join(f"{k} {v}" for k, v in sorted(types.items())))
