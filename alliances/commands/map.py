"""``alliances map``: write an interactive, self-contained HTML map."""

from __future__ import annotations

import click

from alliances.commands.common import source_options
from alliances.network import THRESHOLDS


@click.command("map")
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False), metavar="FILE.html",
              help="The HTML file to write (one self-contained file; opens offline).")
@click.option("--around", metavar="NAME", help="Only the network within --hops partnership steps of NAME.")
@click.option("--hops", type=click.IntRange(0), default=1, show_default=True, help="Steps for --around.")
@click.option("--path", "path", nargs=2, metavar="FROM TO",
              help="Emphasise the shortest partnership path from FROM to TO; dim the rest.")
@click.option("--view", type=click.Choice(["network", "regions"]), default="network", show_default=True,
              help="network: every node; regions: regions and zones, tied by the partnerships between "
                   "what is in them.")
@click.option("--color", "color", type=click.Choice(["region", "community", "coverage"]), default="region",
              show_default=True, help="Colour nodes by region group, by partnership community (Louvain), or "
                                      "enterprises by coverage (Party organisation / Party work / uncovered).")
@click.option("--size-by", type=click.Choice(["degree", "betweenness", "pagerank", "eigenvector", "closeness"]),
              default="degree", show_default=True, help="Node size by this centrality, as 'alliances centrality --projection full' computes it.")
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True,
              help="Labels in Chinese (zh) or English names (en).")
@click.option("--title", help="Title shown on the page (default: describes the map).")
@click.option("--max-nodes", type=click.IntRange(1), default=THRESHOLDS.map_physics, show_default=True,
              help="Soft cap: above it positions are precomputed and physics is off.")
@click.option("--hard-cap", type=click.IntRange(1), default=THRESHOLDS.map_aggregate, show_default=True,
              help="Above this many nodes the map is aggregated by community.")
@click.option("--png", type=click.Path(dir_okay=False), metavar="FILE.png",
              help="Also save a snapshot, drawn by a local Chromium.")
@click.option("--physics/--no-physics", default=True, show_default=True,
              help="Let the browser lay the map out (then stop); --no-physics uses precomputed positions.")
@source_options
def map_command(out, around, hops, path, view, color, size_by, lang, title, max_nodes, hard_cap, png,
                physics, source):
    """Write an interactive, self-contained HTML map of the network.

    The file has no external requests: open it anywhere, offline. Search,
    region/kind filters, a legend and tooltips with provenance are built in.
    """
    from alliances.render.map import build_map, check_png_target, snapshot_png, write_map

    if png:
        check_png_target(png)

    around, title = _text(around), _text(title)
    path = tuple(_text(p) for p in path) if path else None
    net = source.network()  # the map asks it for the graph, its arrays or a part, as it needs
    around_id = net.resolve(around) if around else None
    path_ids = (net.resolve(path[0]), net.resolve(path[1])) if path else None
    coverage = None
    if color == "coverage":
        from alliances.analysis.coverage import organisation_states

        coverage = organisation_states(net.dataset)
    m = build_map(net, around=around_id, hops=hops, path=path_ids, view=view, color=color, size_by=size_by,
                  lang=lang, title=title, source=source.describe(), max_nodes=max_nodes, hard_cap=hard_cap,
                  physics=physics, figures=net.dataset.figures, coverage=coverage)
    written = write_map(out, m)
    click.echo(f"Wrote {written} ({len(m['nodes']):,} nodes, {len(m['edges']):,} edges).")
    for note in m["meta"]["notices"]:
        click.echo(f"Note: {note}")
    if png:
        click.echo(f"Wrote {snapshot_png(written, png)}.")


def _text(value):
    """Undo the surrogate escapes Python uses for argv bytes it could not decode (C/ASCII locale):
    such bytes are almost always UTF-8 typed into a terminal whose locale is not set."""
    if value is None:
        return None
    import sys

    try:
        value.encode("utf-8")
        return value
    except UnicodeEncodeError:
        raw = value.encode(sys.getfilesystemencoding(), "surrogateescape")
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError:
            return raw.decode("utf-8", "replace")
