"""``alliances changes``: what changed between two dates (alliances.analysis.changes)."""

from __future__ import annotations

import click

from alliances.commands.common import check_period, echo, echo_json, format_option, lang_option, source_options


@click.command("changes")
@click.option("--from", "date_from", required=True, callback=check_period, metavar="DATE",
              help="The earlier date: YYYY, YYYY-MM or YYYY-MM-DD (also 2021年3月); a year or month "
                   "means its last day, as a dated fact counts once its whole period has passed.")
@click.option("--to", "date_to", callback=check_period, metavar="DATE",
              help="The later date, written the same way (default: the latest dated fact, else today).")
@click.option("--top", type=click.IntRange(1), default=10, show_default=True,
              help="How many hubs (as 'alliances centrality') and brokers (as 'alliances brokers') "
                   "each date's top list holds.")
@click.option("--rows", "max_rows", type=click.IntRange(1), default=50, show_default=True,
              help="Changes listed per section in table and markdown output; the rest are counted "
                   "(csv and json list every change).")
@lang_option(what="headings, change words and region names (names stay as the source gives them)")
@format_option("table")
@source_options
def changes_command(date_from, date_to, top, max_rows, lang, fmt, source):
    """What changed between two dates: alliances, agreements, activities, ties, hubs, brokers, corridors.

    Compares the network as of --from with the network as of --to (each as
    --as-of gives it): new and lapsed alliances, agreements and activities;
    new and lost cross-region ties; hubs and brokers that entered or left the
    top --top; corridors between regions that opened, closed, lengthened or
    shortened. Undated facts count at both dates.
    """
    from alliances.analysis.changes import WORDS, change_rows, network_changes, rows_in_words
    from alliances.output import render_rows

    lang = lang or source.network().language
    result = network_changes(source.network(), date_from=date_from, date_to=date_to, top=top, lang=lang)
    if fmt == "json":
        echo_json(result)
        return
    rows = change_rows(result, lang)
    if fmt == "csv":
        echo(render_rows(rows, fmt, ["section", "change", "id", "what", "before", "after"]))
        return
    m, w = result["meta"], WORDS[lang]
    to = m["to"] if not m["to_default"] else ("最新日期" if lang == "zh" else "latest dated fact")
    if lang == "zh":
        head = f"变化：{m['from']}（{m['from_day']}）→ {to}（{m['to_day']}）"
        none = "两个日期之间没有变化。"
    else:
        head = f"What changed: {m['from']} ({m['from_day']}) → {to} ({m['to_day']})"
        none = "Nothing changed between the two dates."
    echo((f"## {head}\n\n" if fmt == "markdown" else head + "\n"))
    if not rows:
        echo(none + "\n")
    for section in dict.fromkeys(r["section"] for r in rows):
        every = [r for r in rows if r["section"] == section]
        echo(render_rows(rows_in_words(every[:max_rows], lang), fmt, title=w["sections"][section], lang=lang))
        if len(every) > max_rows:
            more = len(every) - max_rows
            note = (f"另有 {more:,} 项未列出（共 {len(every):,} 项）；--rows N 列出更多，--format csv 或 json 列出全部。"
                    if lang == "zh" else
                    f"And {more:,} more ({len(every):,} in all); --rows N shows more, --format csv or json lists every one.")
            echo((f"_{note}_\n\n" if fmt == "markdown" else note + "\n"))
    pairs = [p for p in result["cross_region_ties"]["by_region_pair"] if p["change"]]
    if pairs:
        cols = ("地区", "之前", "之后", "变化") if lang == "zh" else ("regions", "before", "after", "change")
        flat = [{cols[0]: f"{p['region_a_name']}—{p['region_b_name']}", cols[1]: p["before"],
                 cols[2]: p["after"], cols[3]: f"{p['change']:+d}"} for p in pairs]
        echo(render_rows(flat, fmt, title="跨地区联系（按地区对）" if lang == "zh" else "Cross-region ties by region pair"))
