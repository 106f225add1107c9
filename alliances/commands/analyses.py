"""Commands a planner acts on: brokers, corridors, communities, suggest, whatif, report.

Each parses options, calls one analysis function and formats its result. JSON
output is ``{"meta": {...}, ...}``; ``meta`` carries the scenario (``as_of``,
``without``) and how many undated relationships and nodes a date filter kept.
"""

from __future__ import annotations

import click

from alliances.commands.common import (FiniteFloat, as_of_option, check_period, echo, echo_json, format_option, meta_note,
                                       projection_option, source_options)


def _note(meta: dict, fmt: str) -> None:
    note = meta_note(meta)
    if not note:
        return
    if fmt == "csv":
        click.echo(note, err=True)
    elif fmt == "markdown":
        from alliances.output import md_text

        echo(f"\n_{md_text(note)}_\n")
    else:
        echo(note + "\n")


def _org_view(source, as_of):
    from alliances.analysis.whatif import organisations_view

    return organisations_view(source.network(), as_of=as_of)


def _regions(source) -> list[dict]:
    """The region groups (key, names, colour, organisations), so JSON readers can name each ``region``."""
    return source.network().regions


# ---------------------------------------------------------------------------


@click.command("brokers")
@click.option("--top", type=click.IntRange(1), default=None, help="Only the first N brokers.")
@as_of_option
@format_option("table")
@source_options
def brokers_command(top, as_of, fmt, source):
    """Who brokers between regions? Gould–Fernandez roles, Burt's constraint, cut points.

    Runs on the organisations projection with the dataset's regions as the
    groups (its Region hierarchy at --region-level; "other" for none); each
    undirected tie counts both ways. Also prints the region-pair tie matrix,
    articulation points and bridges.
    """
    from alliances.analysis.brokerage import broker_table, cut_points, region_tie_matrix
    from alliances.output import render_rows

    H, meta = _org_view(source, as_of)
    rows = broker_table(H)
    rows = rows[:top] if top else rows
    matrix = region_tie_matrix(H)
    cuts = cut_points(H)
    if fmt == "json":
        echo_json({"meta": meta, "regions": _regions(source), "tie_matrix": matrix, "brokers": rows, **cuts})
        return
    cols = ["name", "region", "coordinator", "itinerant", "representative", "gatekeeper", "liaison",
            "cross_region", "constraint", "effective_size", "articulation"]
    if fmt == "csv":
        echo(render_rows(rows, fmt, ["id", *cols, "bridges"]))
    else:
        echo(render_rows(rows, fmt, cols, title="Brokers (organisations projection)"))
        echo(render_rows(matrix, fmt, ["region_a", "region_b", "ties", "weight"], title="Region-pair ties"))
        arts = [{"articulation point": a["name"], "region": a["region"]} for a in cuts["articulation_points"]]
        if arts:
            echo(render_rows(arts, fmt, title="Articulation points"))
        brs = [{"bridge": f"{b['a_name']} ~ {b['b_name']}"} for b in cuts["bridges"]]
        if brs:
            echo(render_rows(brs, fmt, title="Bridges"))
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
        echo_json({"meta": meta, "regions": _regions(source), "corridors": rows})
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
    echo(render_rows(flat, fmt, title="Corridors between regions" if fmt != "csv" else ""))
    _note(meta, fmt)


@click.command("communities")
@click.option("--seed", type=int, default=0, show_default=True, help="Random seed for Louvain.")
@click.option("--resolution", type=FiniteFloat(min=0, min_open=True), default=1.0, show_default=True,
              help="Louvain resolution: above 1 favours smaller communities.")
@projection_option
@as_of_option
@format_option("table")
@source_options
def communities_command(seed, resolution, projection, as_of, fmt, source):
    """Clusters: Louvain communities, their modularity and how each spans regions."""
    from alliances.analysis.communities import communities_report
    from alliances.output import render_rows

    meta, result = communities_report(source.network(), projection=projection, as_of=as_of, seed=seed,
                                      resolution=resolution)
    if fmt == "json":
        echo_json({"meta": meta, **result})
        return
    rows = [{"community": c["index"], "size": c["size"], **c["regions"],
             "members": [m["name"] for m in c["members"]]} for c in result["communities"]]
    echo(render_rows(rows, fmt, title=f"Louvain communities ({projection}), seed {seed}, "
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
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True,
              help="Language of the reason column.")
@as_of_option
@format_option("table")
@source_options
def suggest_command(for_name, top, by, lang, as_of, fmt, source):
    """Partner suggestions: organisations in other regions not yet tied, with reasons.

    A pair that already shares an alliance, agreement or activity, or has a
    direct partnership relationship, is never suggested. Pairs in different
    regions with partners in common are scored (Adamic–Adar by default), each
    pair once, best first; the reason says how each end is tied to each
    common partner.
    """
    from alliances.analysis.suggest import suggest_report
    from alliances.output import render_rows

    meta, rows = suggest_report(source.network(), for_name=for_name, top=top, by=by, as_of=as_of, lang=lang)
    if fmt == "json":
        echo_json({"meta": meta, "suggestions": rows})
        return
    if not rows and fmt == "table":
        echo("暂无建议：不同地区之间有共同伙伴的组织都已相连。\n" if lang == "zh" else
             "No suggestions: organisations in different regions with partners in common are already tied.\n")
        _note(meta, fmt)
        return
    cols = ["name", "region", "partner_name", "partner_region", "adamic_adar", "resource_allocation",
            "common_neighbors", "reason"]
    echo(render_rows(rows, fmt, cols, title="Partner suggestions" if fmt != "csv" else ""))
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

    net = source.network()
    nodes, ties = parse_without(net, without)
    result = what_if(net, without=nodes, without_ties=ties, as_of=as_of, top=top)
    if result["meta"]["missing_ties"]:
        gone = ", ".join("~".join(t) for t in result["meta"]["missing_ties"])
        raise UsageError(f"--without: no tie between {gone}; check with 'alliances path A B'.")
    if fmt == "json":
        echo_json(result)
        return
    echo(render_rows(result["corridors"], fmt, title="Corridors before/after" if fmt != "csv" else ""))
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
    echo(render_rows(summary, fmt, title="What changes (articulation points and brokers: lost / new)"))
    _note(result["meta"], fmt)


@click.command("report")
@click.option("--out", required=True, type=click.Path(dir_okay=False), metavar="FILE.html|FILE.md",
              help="Where to write the report; .html gives one self-contained page, .md Markdown.")
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True,
              help="Language of headings and labels (names stay as the source gives them).")
@click.option("--seed", type=int, default=0, show_default=True, help="Random seed for Louvain.")
@click.option("--top", type=click.IntRange(1), default=10, show_default=True,
              help="Rows in each table (hubs, brokers, cut points, communities, suggestions); the rest are counted.")
@click.option("--tables", "tables", type=click.Path(file_okay=False), metavar="DIR", default=None,
              help="Also write every row of every table as CSV files into this new folder.")
@click.option("--pdf", "pdf", type=click.Path(dir_okay=False), metavar="FILE.pdf", default=None,
              help="Also print the HTML report to PDF through the local Chromium (charts and legends kept).")
@click.option("--since", "since", callback=check_period, metavar="DATE", default=None,
              help="Add a 'What changed' section (as 'alliances changes --from DATE'): from this date "
                   "(YYYY, YYYY-MM or YYYY-MM-DD) to --as-of or the latest dated fact; told in the summary too.")
@as_of_option
@source_options
def report_command(out, lang, seed, top, tables, pdf, since, as_of, source):
    """One self-contained document: summary, map or region ties, hubs, brokers, corridors,
    communities, suggestions and the provenance of every fact cited.

    Opens with a summary in plain words; the HTML has inline SVG charts (ties
    between regions, hubs, brokers, growth over time, communities by region).
    Every table is cut to --top rows with the number left out; --tables DIR
    writes them whole. Hubs are the rows of 'alliances centrality' (same
    projection, same ranks).
    """
    import sys

    from alliances.errors import UsageError
    from alliances.output import write_text
    from alliances.render.report import build_report, render_html, render_markdown, write_pdf, write_tables

    lower = out.lower()
    if not (lower.endswith(".html") or lower.endswith(".htm") or lower.endswith(".md")):
        raise UsageError(f"--out {out}: the name must end in .html or .md to pick the format.")
    if pdf and not (lower.endswith(".html") or lower.endswith(".htm")):
        raise UsageError(f"--pdf {pdf}: the PDF is printed from the HTML report; use --out FILE.html.")
    if pdf and not pdf.lower().endswith(".pdf"):
        raise UsageError(f"--pdf {pdf}: the name must end in .pdf.")
    if tables:
        from pathlib import Path

        t = Path(tables)
        if t.exists() and (not t.is_dir() or any(t.iterdir())):
            raise UsageError(f"--tables {tables}: {'is a file' if not t.is_dir() else 'folder exists and is not empty'}. "
                             "Fix: give a new folder name; nothing was written.")
    stages = ("graph", "hubs", "brokers", "corridors", "communities", "suggestions", "map",
              *(["changes"] if since else []), "summary")
    if sys.stderr.isatty():
        from rich.console import Console
        from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

        with Progress(TextColumn("report: {task.description}"), BarColumn(), TimeElapsedColumn(),
                      console=Console(stderr=True), transient=True) as bar:
            task = bar.add_task("reading", total=len(stages))
            seen = []

            def step(stage):
                if seen:
                    bar.advance(task)
                seen.append(stage)
                bar.update(task, description=stage)

            net = source.network()
            report = build_report(net, as_of=as_of, seed=seed, top=top, lang=lang, since=since, progress=step,
                                  full_tables=bool(tables))
    else:
        report = build_report(source.network(), as_of=as_of, seed=seed, top=top, lang=lang, since=since,
                              full_tables=bool(tables))
    text = render_markdown(report) if lower.endswith(".md") else render_html(report)
    try:
        write_text(text, out)
    except OSError as err:
        from alliances.errors import RenderError

        raise RenderError(f"--out {out}: cannot write ({err.strerror}); pick a writable folder.") from err
    click.echo(f"Wrote {out}", err=True)
    if tables:
        written = write_tables(report, tables)
        click.echo(f"Wrote {len(written)} tables into {tables}", err=True)
    if pdf:
        write_pdf(out, pdf)
        click.echo(f"Wrote {pdf}", err=True)
