"""Commands a planner acts on: brokers, corridors, communities, suggest, whatif, report.

Each parses options, calls one analysis function and formats its result. JSON
output is ``{"meta": {...}, ...}``; ``meta`` carries the scenario (``as_of``,
``without``) and how many undated relationships and nodes a date filter kept.
"""

from __future__ import annotations

import json
import re

import click

from alliances.commands.common import format_option, source_options

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _check_date(ctx, param, value):
    if value is None:
        return None
    if not _DATE.match(value):
        raise click.BadParameter(f"{value!r} is not a date; write YYYY-MM-DD, e.g. 2021-06-30.")
    import datetime

    try:
        datetime.date.fromisoformat(value)
    except ValueError as err:
        raise click.BadParameter(f"{value!r} is not a real date ({err}).") from err
    return value


def as_of_option(f):
    return click.option(
        "--as-of", "as_of", callback=_check_date, metavar="YYYY-MM-DD",
        help="The network as it stood on this date: dated facts after it are left out; "
             "undated ones are kept and counted in the output.")(f)


def projection_option(f):
    return click.option(
        "--projection", type=click.Choice(["organizations", "full"]), default="organizations",
        show_default=True,
        help="organizations: organisations tied by shared alliances, agreements, activities or a "
             "direct tie; full: the whole partnership graph.")(f)


def _echo(text: str) -> None:
    from alliances.output import write_text

    write_text(text)


def _json(obj) -> None:
    _echo(json.dumps(obj, ensure_ascii=False, indent=2) + "\n")


def meta_note(meta: dict) -> str:
    """One line about the scenario, or '' when there is nothing to say."""
    parts = []
    if meta.get("as_of"):
        parts.append(f"as of {meta['as_of']}: {meta['undated_relationships']} undated relationships and "
                     f"{meta['undated_nodes']} undated nodes kept (not guessed); "
                     f"{meta['removed_nodes']} nodes and {meta['removed_relationships']} relationships "
                     f"dated later left out")
    if meta.get("without") or meta.get("without_ties"):
        gone = list(meta.get("without", [])) + ["~".join(t) for t in meta.get("without_ties", [])]
        parts.append("without " + ", ".join(gone))
    return "; ".join(parts)


def _note(meta: dict, fmt: str) -> None:
    note = meta_note(meta)
    if not note:
        return
    if fmt == "csv":
        click.echo(note, err=True)
    elif fmt == "markdown":
        _echo(f"\n_{note}_\n")
    else:
        _echo(note + "\n")


def _org_view(source, as_of):
    from alliances.analysis.whatif import organisations_view

    return organisations_view(source.graph(), as_of=as_of)


# ---------------------------------------------------------------------------


@click.command("brokers")
@click.option("--top", type=click.IntRange(1), default=None, help="Only the first N brokers.")
@as_of_option
@format_option("table")
@source_options
def brokers_command(top, as_of, fmt, source):
    """Who brokers between regions? Gould–Fernandez roles, Burt's constraint, cut points.

    Runs on the organisations projection with region (zigong, chengdu,
    chongqing, other) as the groups; each undirected tie counts both ways.
    Also prints the region-pair tie matrix, articulation points and bridges.
    """
    from alliances.analysis.brokerage import broker_table, cut_points, region_tie_matrix
    from alliances.output import render_rows

    H, meta = _org_view(source, as_of)
    rows = broker_table(H)
    rows = rows[:top] if top else rows
    matrix = region_tie_matrix(H)
    cuts = cut_points(H)
    if fmt == "json":
        _json({"meta": meta, "tie_matrix": matrix, "brokers": rows, **cuts})
        return
    cols = ["name", "region", "coordinator", "itinerant", "representative", "gatekeeper", "liaison",
            "cross_region", "constraint", "effective_size", "articulation"]
    if fmt == "csv":
        _echo(render_rows(rows, fmt, ["id", *cols, "bridges"]))
    else:
        _echo(render_rows(rows, fmt, cols, title="Brokers (organisations projection)"))
        _echo(render_rows(matrix, fmt, ["region_a", "region_b", "ties", "weight"], title="Region-pair ties"))
        arts = [{"articulation point": a["name"], "region": a["region"]} for a in cuts["articulation_points"]]
        if arts:
            _echo(render_rows(arts, fmt, title="Articulation points"))
        brs = [{"bridge": f"{b['a_name']} ~ {b['b_name']}"} for b in cuts["bridges"]]
        if brs:
            _echo(render_rows(brs, fmt, title="Bridges"))
    _note(meta, fmt)


@click.command("corridors")
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True,
              help="Language of the 'cut by' column.")
@as_of_option
@format_option("table")
@source_options
def corridors_command(lang, as_of, fmt, source):
    """How each pair of regions is connected and which single organisation or tie would cut it.

    For every region pair: the shortest distance between any organisation of
    one and any of the other, the organisations on those shortest connections,
    node- and tie-independent routes, and the single organisations or ties
    whose removal disconnects the two regions.
    """
    from alliances.analysis.brokerage import corridor_cut_text, corridors

    H, meta = _org_view(source, as_of)
    rows = corridors(H)
    if fmt == "json":
        _json({"meta": meta, "corridors": rows})
        return
    from alliances.output import render_rows

    flat = [{
        "regions": f"{r['region_a']}–{r['region_b']}",
        "distance": r["distance"],
        "on_shortest_paths": [n["name"] for n in r["on_shortest_paths"]],
        "node_independent": r["node_independent"],
        "edge_independent": r["edge_independent"],
        "cut_by": corridor_cut_text(r, lang),
    } for r in rows]
    _echo(render_rows(flat, fmt, title="Corridors between regions" if fmt != "csv" else ""))
    _note(meta, fmt)


@click.command("communities")
@click.option("--seed", type=int, default=0, show_default=True, help="Random seed for Louvain.")
@click.option("--resolution", type=click.FloatRange(min=0, min_open=True), default=1.0, show_default=True,
              help="Louvain resolution: above 1 favours smaller communities.")
@projection_option
@as_of_option
@format_option("table")
@source_options
def communities_command(seed, resolution, projection, as_of, fmt, source):
    """Clusters: Louvain communities, their modularity and how each spans regions."""
    from alliances.analysis.centrality import projection as make_projection
    from alliances.analysis.centrality import scenario_graph
    from alliances.analysis.communities import louvain
    from alliances.output import render_rows

    G, meta = scenario_graph(source.graph(), as_of=as_of)
    result = louvain(make_projection(G, projection), seed=seed, resolution=resolution)
    meta.update({"projection": projection})
    if fmt == "json":
        _json({"meta": meta, **result})
        return
    rows = [{"community": c["index"], "size": c["size"], **c["regions"],
             "members": [m["name"] for m in c["members"]]} for c in result["communities"]]
    _echo(render_rows(rows, fmt, title=f"Louvain communities ({projection}), seed {seed}, "
                                       f"modularity {result['modularity']:.4f}" if fmt != "csv" else ""))
    if fmt == "csv":
        click.echo(f"modularity {result['modularity']:.6f}", err=True)
    _note(meta, fmt)


@click.command("suggest")
@click.option("--for", "for_name", metavar="NAME", help="Only this organisation (default: every one).")
@click.option("--top", type=click.IntRange(1), default=5, show_default=True,
              help="Suggestions per organisation.")
@click.option("--by", type=click.Choice(["adamic_adar", "resource_allocation", "common_neighbors"]),
              default="adamic_adar", show_default=True, help="Score to rank by.")
@as_of_option
@format_option("table")
@source_options
def suggest_command(for_name, top, by, as_of, fmt, source):
    """Partner suggestions: organisations in other regions not yet directly tied, with reasons.

    Scored on the full partnership graph, so a shared alliance, agreement or
    activity counts as a common neighbour and is named in the reason.
    """
    from alliances.analysis.centrality import scenario_graph
    from alliances.analysis.suggest import suggest_partners
    from alliances.errors import UsageError
    from alliances.graph import partnership_graph
    from alliances.output import render_rows
    from alliances.resolve import resolve

    G, meta = scenario_graph(source.graph(), as_of=as_of)
    P = partnership_graph(G)
    nid = None
    if for_name:
        nid = resolve(G, for_name)
        if nid not in P or P.nodes[nid].get("label") != "Organization":
            raise UsageError(f"--for {for_name!r} names {nid}, which is not an organisation"
                             f"{' on ' + as_of if as_of else ''}; give an organisation's name or id.")
    rows = suggest_partners(P, for_node=nid, top=top, by=by)
    if fmt == "json":
        _json({"meta": meta, "suggestions": rows})
        return
    if not rows and fmt == "table":
        _echo("No cross-region organisation shares a partner, alliance, agreement or activity yet.\n")
        _note(meta, fmt)
        return
    cols = ["name", "region", "partner_name", "partner_region", "adamic_adar", "resource_allocation",
            "common_neighbors", "reason"]
    _echo(render_rows(rows, fmt, cols, title="Partner suggestions" if fmt != "csv" else ""))
    _note(meta, fmt)


@click.command("whatif")
@click.option("--without", "without", multiple=True, required=True, metavar="NAME|A~B",
              help="An organisation (name or id) or a tie written A~B to take away; repeatable.")
@click.option("--top", type=click.IntRange(1), default=5, show_default=True,
              help="How many top hubs (by betweenness) to compare.")
@as_of_option
@format_option("table")
@source_options
def whatif_command(without, top, as_of, fmt, source):
    """What if an organisation or tie were gone? Corridors, components, brokers and hubs before/after."""
    from alliances.analysis.whatif import parse_without, what_if
    from alliances.errors import UsageError
    from alliances.output import render_rows

    G = source.graph()
    nodes, ties = parse_without(G, without)
    result = what_if(G, without=nodes, without_ties=ties, as_of=as_of, top=top)
    if result["meta"]["missing_ties"]:
        gone = ", ".join("~".join(t) for t in result["meta"]["missing_ties"])
        raise UsageError(f"--without: no tie between {gone}; check with 'alliances path A B'.")
    if fmt == "json":
        _json(result)
        return
    _echo(render_rows(result["corridors"], fmt, title="Corridors before/after" if fmt != "csv" else ""))
    if fmt == "csv":
        return _note(result["meta"], fmt)
    names = lambda items: ", ".join(i["name"] for i in items) or "-"  # noqa: E731
    lc = result["largest_component"]
    summary = [
        {"measure": "largest component", "before": lc["before"], "after": lc["after"]},
        {"measure": "articulation points", "before": names(result["articulation_points"]["gone"]),
         "after": names(result["articulation_points"]["new"])},
        {"measure": "cross-region brokers", "before": names(result["brokers"]["gone"]),
         "after": names(result["brokers"]["new"])},
        {"measure": f"top {top} hubs", "before": names(result["top_hubs"]["before"]),
         "after": names(result["top_hubs"]["after"])},
    ]
    _echo(render_rows(summary, fmt, title="What changes (articulation points and brokers: lost / new)"))
    _note(result["meta"], fmt)


@click.command("report")
@click.option("--out", required=True, type=click.Path(dir_okay=False), metavar="FILE.html|FILE.md",
              help="Where to write the report; .html gives one self-contained page, .md Markdown.")
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True,
              help="Language of headings and labels (names stay as the source gives them).")
@click.option("--seed", type=int, default=0, show_default=True, help="Random seed for Louvain.")
@click.option("--top", type=click.IntRange(1), default=10, show_default=True,
              help="Rows in the hub, broker and suggestion tables.")
@as_of_option
@source_options
def report_command(out, lang, seed, top, as_of, source):
    """One self-contained document: summary, map or region ties, hubs, brokers, corridors,
    communities, suggestions and the provenance of every fact cited."""
    from alliances.analysis.report import build_report, render_html, render_markdown
    from alliances.errors import UsageError
    from alliances.output import write_text

    lower = out.lower()
    if not (lower.endswith(".html") or lower.endswith(".htm") or lower.endswith(".md")):
        raise UsageError(f"--out {out}: the name must end in .html or .md to pick the format.")
    ds = source.dataset()
    report = build_report(ds, as_of=as_of, seed=seed, top=top, lang=lang)
    text = render_markdown(report) if lower.endswith(".md") else render_html(report)
    try:
        write_text(text, out)
    except OSError as err:
        from alliances.errors import RenderError

        raise RenderError(f"--out {out}: cannot write ({err.strerror}); pick a writable folder.") from err
    click.echo(f"Wrote {out}", err=True)
