"""``alliances generate``: write a synthetic dataset folder for benchmarks and tests."""

from __future__ import annotations

import click


def _count(ctx, param, value):
    """Accept 10000, 10_000, 10k or 1M."""
    text = str(value).strip().lower().replace("_", "").replace(",", "")
    mult = 1
    if text.endswith("k"):
        text, mult = text[:-1], 1_000
    elif text.endswith("m"):
        text, mult = text[:-1], 1_000_000
    try:
        return int(float(text) * mult)
    except (ValueError, OverflowError):  # OverflowError: inf; nan fails int() with ValueError
        raise click.BadParameter(f"{value!r} is not a number of organisations (e.g. 10000, 10k or 1M)") from None


@click.command("generate")
@click.option("--organizations", "n", required=True, callback=_count, metavar="N",
              help="Number of organisations, e.g. 10000, 100k or 1M (about 5 relationships each).")
@click.option("--seed", type=click.IntRange(0), default=0, show_default=True,
              help="Random seed; the same N and seed give byte-identical files.")
@click.option("--out", "out", required=True, type=click.Path(file_okay=False), metavar="DATASET",
              help="Dataset folder to create (written atomically).")
@click.option("--regions", type=click.Choice(["article", "circle"]), default="article", show_default=True,
              help="Places: the bundled article's (Zigong, Chengdu, Chongqing and neighbours) or 'circle': "
                   "fourteen of the Chengdu–Chongqing circle (cities under Sichuan, districts under "
                   "Chongqing and Chengdu).")
@click.option("--force", is_flag=True, help="Replace the folder if it exists and is not empty.")
@click.option("--coverage", is_flag=True,
              help="Also the coverage work (stations, contact points, blocs, instructors, leaders, problems) and a "
                   "registry of the enterprises and social organisations, matched (registry.csv).")
def generate_command(n, seed, out, force, regions, coverage):
    """Write a synthetic network shaped like the real one (regions, zones, committees,
    branches, enterprises, business circles, alliances, agreements, activities)."""
    import time

    from alliances.generate import generate_dataset

    t0 = time.perf_counter()
    counts = generate_dataset(out, n, seed=seed, overwrite=force, regions=regions, coverage=coverage)
    click.echo(f"Wrote {counts['path']}: {counts['nodes']:,} nodes ({n:,} organisations), "
               f"{counts['relationships']:,} relationships in {time.perf_counter() - t0:.1f} s.")
    if coverage:
        c = counts["coverage"]
        click.echo(f"  registry: {c['entries']:,} entries ({c['review']:,} to review, {c['unmatched']:,} not in the "
                   f"graph); coverage work: {c['work_nodes']:,} nodes, {c['work_relationships']:,} relationships.")
