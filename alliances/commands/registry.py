"""``alliances registry import|review`` and ``alliances coverage``."""

from __future__ import annotations

import click

from alliances.commands.common import format_option, lang_option, source_options


@click.group("registry")
def registry_group():
    """The registry of enterprises and social organisations kept with a dataset (registry.csv)."""


@registry_group.command("import")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--data", required=True, type=click.Path(file_okay=False), metavar="FOLDER",
              help="Dataset folder that keeps the registry (registry.csv is written into it).")
@click.option("--sheet", help="Sheet of a workbook (default: the only sheet, or the one named 名录/registry).")
@click.option("--encoding", help="Force the CSV encoding (default: detect UTF-8, UTF-8 with BOM, GB18030/GBK).")
@click.option("--review", "review", type=click.Path(dir_okay=False), metavar="FILE",
              help="Where to write uncertain matches (.csv or .xlsx; default FOLDER/registry-review.csv).")
def registry_import_command(file, data, sheet, encoding, review):
    """Import FILE (.xlsx or .csv: name, 统一社会信用代码, 类别, 园区, 行业, 规模, 登记日期) as the registry.

    Each entry is matched to an organisation of the graph: by credit code,
    then by name (city prefixes, full/half width and legal forms ignored).
    Matches that are not certain go to the review file: write an organisation
    id (or none) in its decision column and run 'alliances registry review'.
    Every problem is listed at once; nothing is written while any remains.
    """
    from alliances.registry.imports import import_registry

    result = import_registry(data, file, sheet=sheet, encoding=encoding, review=review)
    for w in result.warnings:
        click.echo(f"Warning: {w}", err=True)
    _summary(result)


@registry_group.command("review")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--data", required=True, type=click.Path(file_okay=False), metavar="FOLDER",
              help="Dataset folder that keeps the registry.")
@click.option("--encoding", help="Force the CSV encoding (default: detect).")
def registry_review_command(file, data, encoding):
    """Apply the decisions written in review FILE (an organisation id, or none) to the registry."""
    from alliances.registry.imports import review_registry

    _summary(review_registry(data, file, encoding=encoding))


def _summary(result) -> None:
    c = result.counts
    click.echo(f"Wrote {result.registry_path}: {result.entries:,} entries; matched by code {c['code']:,}, "
               f"by name {c['name']:,}, by the planner {c['planner']:,}; not in the graph {c['unmatched'] + c['none']:,}; "
               f"to review {c['review']:,}.")
    if result.review_rows:
        click.echo(f"Review {result.review_rows:,} uncertain match(es) in {result.review_path}: write an "
                   "organisation id or none in 'decision', then run: alliances registry review "
                   f"{result.review_path} --data {result.registry_path.parent}")


@click.command("coverage")
@click.option("--by", "by", type=click.Choice(["all", "kind", "place", "industry", "size"]), default="all",
              show_default=True, help="Which breakdown to print (JSON always has all).")
@click.option("--list", "list_", type=click.Choice(["uncovered", "no-party-organisation", "not-reached", "review",
                                                   "entries", "none"]),
              default=None,
              help="Which entries to list after the rates (default uncovered; with --format csv the list "
                   "replaces the rates).")
@lang_option(what="names and headers")
@format_option("table")
@source_options
def coverage_command(by, list_, lang, fmt, source):
    """Organisational and work coverage of the registry, by kind, park, industry and size.

    Organisational: the entry has its own Party organisation or a joint one.
    Work: a committee, guidance station, contact point, instructor or leader
    reaches it. Also the uncovered entries, the trend per year and problems
    raised vs resolved, with the dataset's reported figures beside them.
    """
    from alliances.analysis.coverage import coverage_report
    from alliances.render.coverage import coverage_text

    if lang is None:
        from alliances.chars import language_of

        ds = source.dataset()
        lang = language_of([d.get("name") for d in ds.nodes.values() if d.get("label") == "Organization"]
                           or [d.get("name") for d in ds.nodes.values()])
    rep = coverage_report(source.dataset(), lang=lang)
    from alliances.output import write_text

    if fmt == "json":
        import json

        write_text(json.dumps(rep, ensure_ascii=False, indent=2) + "\n")
        return
    write_text(coverage_text(rep, fmt, by=by, listing=list_, lang=lang))
