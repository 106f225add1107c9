"""Commands a planner acts on: brokers, corridors, communities, suggest, whatif, report.

Each parses options, calls one analysis function and formats its result. JSON
output is ``{"meta": {...}, ...}``; ``meta`` carries the scenario (``as_of``,
``without``) and how many undated relationships and nodes a date filter kept.
"""

from __future__ import annotations

import click

from alliances.commands.common import (FiniteFloat, as_of_option, check_period, echo, echo_json, format_option,
                                       lang_option, meta_note, projection_option, source_options)


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


#: Titles of the terminal and Markdown tables, (Chinese, English).
TITLES = {
    "brokers": ("跨地区中介（组织投影）", "Brokers (organisations projection)"),
    "matrix": ("地区之间的联系", "Region-pair ties"), "articulation": ("关节点", "Articulation points"),
    "bridges": ("桥（唯一的联系）", "Bridges"), "corridors": ("地区之间的走廊", "Corridors between regions"),
    "communities": ("Louvain 社区（{projection}），种子 {seed}，模块度 {modularity:.4f}",
                    "Louvain communities ({projection}), seed {seed}, modularity {modularity:.4f}"),
    "suggest": ("伙伴建议", "Partner suggestions"),
    "whatif_corridors": ("走廊：之前 / 之后", "Corridors before/after"),
    "whatif": ("变化（关节点与中介：失去 / 新增）", "What changes (articulation points and brokers: lost / new)"),
}


def _title(key: str, lang: str, **kw) -> str:
    return TITLES[key][0 if lang == "zh" else 1].format(**kw)


def _named(rows: list[dict], net, lang: str, fields=("region",)) -> list[dict]:
    """JSON rows with ``<field>_name`` beside each region id field (ids stay)."""
    return [{**r, **{f"{f}_name": net.region_name(r[f], lang) for f in fields if f in r}} for r in rows]


# ---------------------------------------------------------------------------


@click.command("brokers")
@click.option("--top", type=click.IntRange(1), default=None, help="Only the first N brokers.")
@lang_option
@as_of_option
@format_option("table")
@source_options
def brokers_command(top, lang, as_of, fmt, source):
    """Who brokers between regions? Gould–Fernandez roles, Burt's constraint, cut points.

    Runs on the organisations projection with the dataset's regions as the
    groups (its Region hierarchy at --region-level; "other" for none); each
    undirected tie counts both ways. Also prints the region-pair tie matrix,
    articulation points and bridges. Regions are shown by name (JSON: ids,
    with a *_name beside each).
    """
    from alliances.analysis.brokerage import broker_table, cut_points, region_tie_matrix
    from alliances.output import localize, render_rows

    net = source.network()
    lang = lang or net.language
    H, meta = _org_view(source, as_of)
    rows = broker_table(H, top=top)  # only the rows shown are made
    matrix = region_tie_matrix(H)
    cuts = cut_points(H)
    if fmt == "json":
        cuts = {**cuts, "articulation_points": _named(cuts["articulation_points"], net, lang)}
        echo_json({"meta": meta, "regions": _regions(source), "tie_matrix": _named(matrix, net, lang, ("region_a", "region_b")),
                   "brokers": _named(rows, net, lang), **cuts})
        return
    cols = ["name", "region", "coordinator", "itinerant", "representative", "gatekeeper", "liaison",
            "cross_region", "constraint", "effective_size", "articulation"]
    if fmt == "csv":
        rows = localize([{**r, "region_id": r["region"]} for r in rows], lang, region_name=net.region_name, codes=False)
        echo(render_rows(rows, fmt, ["id", *cols, "region_id", "bridges"]))
    else:
        show = lambda rs: localize(rs, lang, region_name=net.region_name)  # noqa: E731
        echo(render_rows(show(rows), fmt, cols, title=_title("brokers", lang), lang=lang))
        echo(render_rows(show(matrix), fmt, ["region_a", "region_b", "ties", "weight"], title=_title("matrix", lang),
                         lang=lang))
        arts = [{"articulation_point": a["name"], "region": a["region"]} for a in cuts["articulation_points"]]
        if arts:
            echo(render_rows(show(arts), fmt, title=_title("articulation", lang), lang=lang))
        brs = [{"bridge": f"{b['a_name']} ~ {b['b_name']}"} for b in cuts["bridges"]]
        if brs:
            echo(render_rows(brs, fmt, title=_title("bridges", lang), lang=lang))
    _note(meta, fmt)


@click.command("corridors")
@lang_option(what="headers, region names and the 'cut by' column")
@as_of_option
@format_option("table")
@source_options
def corridors_command(lang, as_of, fmt, source):
    """How each pair of regions is connected and which single organisation or tie would cut it.

    For every region pair: the shortest distance between any organisation of
    one and any of the other, the organisations on those shortest connections,
    node- and tie-independent routes, and the single organisations or ties
    whose removal disconnects the two regions. Regions are shown by name (JSON:
    ids, with region_a_name and region_b_name).
    """
    from alliances.analysis.brokerage import corridor_cut_text, corridors

    net = source.network()
    lang = lang or net.language
    H, meta = _org_view(source, as_of)
    rows = corridors(H)
    if fmt == "json":
        echo_json({"meta": meta, "regions": _regions(source), "corridors": _named(rows, net, lang, ("region_a", "region_b"))})
        return
    from alliances.output import render_rows

    flat = [{
        "regions": f"{net.region_name(r['region_a'], lang)}–{net.region_name(r['region_b'], lang)}",
        "distance": r["distance"],
        "on_shortest_paths": [n["name"] for n in r["on_shortest_paths"]],
        "node_independent": r["node_independent"],
        "edge_independent": r["edge_independent"],
        # names as a list (one per line break), the analysis's words when nothing or everything cuts it
        "cut_by": ([c["name"] for c in r["cut_nodes"]] + [f"{t['a_name']} ~ {t['b_name']}" for t in r["cut_ties"]]
                   if r["cut"] not in ("disconnected", "none") else corridor_cut_text(r, lang)),
    } for r in rows]
    echo(render_rows(flat, fmt, title=_title("corridors", lang) if fmt != "csv" else "", lang=lang))
    _note(meta, fmt)


@click.command("communities")
@click.option("--seed", type=int, default=0, show_default=True, help="Random seed for Louvain.")
@click.option("--resolution", type=FiniteFloat(min=0, min_open=True), default=1.0, show_default=True,
              help="Louvain resolution: above 1 favours smaller communities.")
@projection_option
@lang_option
@as_of_option
@format_option("table")
@source_options
def communities_command(seed, resolution, projection, lang, as_of, fmt, source):
    """Clusters: Louvain communities, their modularity and how each spans regions.

    One row per community: its size, its members in each region (a column
    per region, named from the data) and the members' names.
    """
    from alliances.analysis.communities import communities_report
    from alliances.output import render_rows

    net = source.network()
    lang = lang or net.language
    meta, result = communities_report(net, projection=projection, as_of=as_of, seed=seed,
                                      resolution=resolution)
    if fmt == "json":
        echo_json({"meta": meta, **result})
        return
    rows = [{"community": c["index"], "size": c["size"], **{net.region_name(k, lang): v for k, v in c["regions"].items()},
             "members": [m["name"] for m in c["members"]]} for c in result["communities"]]
    title = _title("communities", lang, projection=projection, seed=seed, modularity=result["modularity"])
    echo(render_rows(rows, fmt, title=title if fmt != "csv" else "", lang=lang))
    if fmt == "csv":
        click.echo(f"modularity {result['modularity']:.6f}", err=True)
    _note(meta, fmt)


#: Suggestions a table or Markdown lists for the whole network unless --rows says otherwise.
SUGGEST_ROWS = 50


@click.command("suggest")
@click.option("--for", "for_name", metavar="NAME", help="Only this organisation (default: every one).")
@click.option("--top", type=click.IntRange(1), default=5, show_default=True,
              help="Suggestions per organisation.")
@click.option("--by", type=click.Choice(["adamic_adar", "resource_allocation", "common_neighbors"]),
              default="adamic_adar", show_default=True, help="Score to rank by.")
@click.option("--rows", "max_rows", type=click.IntRange(1), default=None,
              help="At most this many suggestions, best first; the rest are counted (default: 50 in "
                   "table and markdown output for the whole network; csv and json list every pair).")
@lang_option(what="headers, region names and the reason column")
@as_of_option
@format_option("table")
@source_options
def suggest_command(for_name, top, by, max_rows, lang, as_of, fmt, source):
    """Partner suggestions: organisations in other regions not yet tied, with reasons.

    A pair that already shares an alliance, agreement or activity, or has a
    direct partnership relationship, is never suggested. Pairs in different
    regions with partners in common are scored (Adamic–Adar by default), each
    pair once, best first; the reason says how each end is tied to each
    common partner.
    """
    from alliances.analysis.suggest import suggest_report
    from alliances.output import localize, render_rows

    net = source.network()
    lang = lang or net.language
    if max_rows is None and fmt in ("table", "markdown") and not for_name:
        max_rows = SUGGEST_ROWS  # a terminal is read, not searched: the best first, the rest counted
    meta, rows = suggest_report(net, for_name=for_name, top=top, by=by, as_of=as_of, lang=lang,
                                limit=max_rows)
    if fmt == "json":
        echo_json({"meta": meta, "suggestions": _named(rows, net, lang, ("region", "partner_region"))})
        return
    if not rows and fmt == "table":
        echo("暂无建议：不同地区之间有共同伙伴的组织都已相连。\n" if lang == "zh" else
             "No suggestions: organisations in different regions with partners in common are already tied.\n")
        _note(meta, fmt)
        return
    cols = ["name", "region", "partner_name", "partner_region", "adamic_adar", "resource_allocation",
            "common_neighbors", "reason"]
    rows = localize(rows, lang, region_name=net.region_name, codes=fmt != "csv")
    echo(render_rows(rows, fmt, cols, title=_title("suggest", lang) if fmt != "csv" else "", lang=lang))
    more = meta.get("total", len(rows)) - len(rows)
    if more > 0:
        note = (f"另有 {more:,} 条建议未列出（共 {meta['total']:,} 条）；--rows N 列出更多，--format csv 或 json 列出全部。"
                if lang == "zh" else
                f"And {more:,} more suggestions ({meta['total']:,} in all); --rows N shows more, "
                f"--format csv or json lists every one.")
        if fmt == "csv":
            click.echo(note, err=True)
        else:
            echo(f"_{note}_\n" if fmt == "markdown" else note + "\n")
    _note(meta, fmt)


WHATIF_MEASURES = {"largest component": "最大连通部分", "articulation points": "关节点",
                   "cross-region brokers": "跨地区中介", "top {top} hubs": "前 {top} 个枢纽"}


@click.command("whatif")
@click.option("--without", "without", multiple=True, required=True, metavar="NAME|A~B",
              help="An organisation (name or id) or a tie written A~B to take away; repeatable.")
@click.option("--top", type=click.IntRange(1), default=5, show_default=True,
              help="How many top hubs (by betweenness) to compare.")
@lang_option
@as_of_option
@format_option("table")
@source_options
def whatif_command(without, top, lang, as_of, fmt, source):
    """What if an organisation or tie were gone? Corridors, components, brokers and hubs before/after."""
    from alliances.analysis.whatif import parse_without, what_if
    from alliances.errors import UsageError
    from alliances.output import localize, render_rows

    net = source.network()
    lang = lang or net.language
    nodes, ties = parse_without(net, without)
    result = what_if(net, without=nodes, without_ties=ties, as_of=as_of, top=top)
    if result["meta"]["missing_ties"]:
        gone = ", ".join("~".join(t) for t in result["meta"]["missing_ties"])
        raise UsageError(f"--without: no tie between {gone}; check with 'alliances path A B'.")
    if fmt == "json":
        echo_json({**result, "corridors": _named(result["corridors"], net, lang, ("region_a", "region_b"))})
        return
    corridor_rows = localize(result["corridors"], lang, region_name=net.region_name, codes=fmt != "csv")
    echo(render_rows(corridor_rows, fmt, title=_title("whatif_corridors", lang) if fmt != "csv" else "", lang=lang))
    if fmt == "csv":
        return _note(result["meta"], fmt)
    names = lambda items: "; ".join(i["name"] for i in items) or "-"  # noqa: E731
    word = lambda m: (WHATIF_MEASURES[m] if lang == "zh" else m).format(top=top)  # noqa: E731
    lc = result["largest_component"]
    summary = [
        {"measure": word("largest component"), "before": lc["before"], "after": lc["after"]},
        {"measure": word("articulation points"), "before": names(result["articulation_points"]["gone"]),
         "after": names(result["articulation_points"]["new"])},
        {"measure": word("cross-region brokers"), "before": names(result["brokers"]["gone"]),
         "after": names(result["brokers"]["new"])},
        {"measure": word("top {top} hubs"), "before": names(result["top_hubs"]["before"]),
         "after": names(result["top_hubs"]["after"])},
    ]
    echo(render_rows(summary, fmt, title=_title("whatif", lang), lang=lang))
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
