"""`alliances load`: validate a dataset, then make it one dataset of record in Neo4j."""

from __future__ import annotations

import click

from alliances.commands.common import cache_folder, cache_options, neo4j_options, neo4j_settings


@click.command("load")
@click.argument("path", type=click.Path(), required=False)
@click.option("--dataset", "name", metavar="NAME",
              help="Name of the dataset in the store (default: the folder's name, e.g. zigong for the bundled one).")
@click.option("--on-conflict", type=click.Choice(["fail", "keep", "update"]), default="fail", show_default=True,
              help="When an id another dataset holds has different content: fail (list the conflicts, write "
                   "nothing), keep (stored values win, gaps filled) or update (new values win, nothing else lost).")
@click.option("--replace", is_flag=True, help="Remove this dataset (not the others) from the store first.")
@click.option("--yes", is_flag=True, help="Do not ask before --replace removes data.")
@click.option("--schema-only", is_flag=True,
              help="Only create the constraints and indexes (e.g. after a neo4j-admin import), load nothing.")
@click.option("--batch-size", type=click.IntRange(1, 1_000_000), default=10_000, show_default=True,
              help="Rows per UNWIND transaction.")
@click.option("--encoding", help="Force the CSV encoding (default: detect).")
@click.option("--progress/--no-progress", default=True, show_default=True, help="Show a progress bar on stderr.")
@cache_options
@neo4j_options
def load_command(path, name, on_conflict, replace, yes, schema_only, batch_size, encoding, progress, uri, user,
                 database, password_file, cache_dir, no_cache):
    """Load a dataset folder (default: the bundled one) into Neo4j as one dataset of record.

    The dataset is validated first; nothing is written if it has a problem, or
    if one of its ids is held by another dataset with different content (the
    conflicts are listed; see --on-conflict). A reload makes the store equal
    the dataset: changed rows update, a changed label replaces the old one,
    and what the dataset no longer has is removed (unless another dataset
    holds it). List what is loaded with `alliances datasets --neo4j`.
    Settings: --uri etc., else NEO4J_URI, NEO4J_USERNAME, NEO4J_PASSWORD (or
    NEO4J_PASSWORD_FILE), NEO4J_DATABASE.
    """
    from alliances.store.neo4j import Neo4jStore, check_dataset_name, dataset_name

    settings = neo4j_settings(uri, user, database, password_file)
    if schema_only:
        with Neo4jStore(settings) as store:
            store.ensure_schema()
        click.echo(f"Schema (constraints, name and full-text indexes) in place in {settings.uri} "
                   f"database {settings.database}.")
        return
    from alliances.snapshot import read_checked

    if name:
        check_dataset_name(name)
    # the checked snapshot when the CSVs are unchanged (as every reading command): no second check
    ds = read_checked(path, cache_dir=cache_folder(cache_dir, no_cache), encoding=encoding)
    name = name or dataset_name(ds)
    total = len(ds.nodes) + len(ds.relationships) + len(ds.sources)
    with Neo4jStore(settings) as store:
        if replace and not yes and not click.confirm(
            f"Replace dataset {name!r} in {settings.uri} database {settings.database}?", err=True
        ):
            raise click.Abort()
        kwargs = {"name": name, "on_conflict": on_conflict, "replace": replace, "batch_size": batch_size}
        if progress:
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

            with Progress(TextColumn("loading"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                          console=Console(stderr=True), transient=False) as bar:
                task = bar.add_task("load", total=total)
                report = store.load(ds, progress=lambda n: bar.advance(task, n), **kwargs)
        else:
            report = store.load(ds, **kwargs)
    click.echo(f"Loaded {ds.path} as dataset {name!r} into {settings.uri} database {settings.database}: "
               f"{report.nodes_created} nodes and {report.relationships_created} relationships created, "
               f"{report.properties_set} properties set.")
    if report.merged:
        click.echo(f"Merged with other datasets ({on_conflict}): {report.merged} shared nodes, relationships "
                   "or sources.")
    if report.nodes_removed or report.relationships_removed:
        click.echo(f"No longer in the dataset: {report.nodes_removed} nodes and "
                   f"{report.relationships_removed} relationships let go of (removed unless another dataset "
                   "holds them).")
    if report.batches_split:
        click.echo(f"Note: {report.batches_split} batches were too large for the server's transaction memory "
                   f"and were split; a smaller --batch-size (now {batch_size}) avoids the retries.", err=True)
    click.echo("Nodes in the database: " + ", ".join(f"{k} {v}" for k, v in sorted(report.labels.items())))
    click.echo("Relationships in the database: "
               + ", ".join(f"{k} {v}" for k, v in sorted(report.types.items())))
