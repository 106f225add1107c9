"""`alliances load`: validate a dataset, then merge it into Neo4j in batches."""

from __future__ import annotations

import click

from alliances.commands.common import neo4j_options, neo4j_settings


@click.command("load")
@click.argument("path", type=click.Path(), required=False)
@click.option("--replace", is_flag=True, help="Remove the project's own data (nodes labelled Alliances) first.")
@click.option("--yes", is_flag=True, help="Do not ask before --replace removes data.")
@click.option("--batch-size", type=click.IntRange(1, 1_000_000), default=10_000, show_default=True,
              help="Rows per UNWIND transaction.")
@click.option("--encoding", help="Force the CSV encoding (default: detect).")
@click.option("--progress/--no-progress", default=True, show_default=True, help="Show a progress bar on stderr.")
@neo4j_options
def load_command(path, replace, yes, batch_size, encoding, progress, uri, user, database, password_file):
    """Load a dataset folder (default: the bundled one) into Neo4j.

    The dataset is validated first; nothing is written if it has a problem.
    Loading is idempotent: a second load of the same data changes nothing, and
    changed rows update. Settings: --uri etc., else NEO4J_URI, NEO4J_USERNAME,
    NEO4J_PASSWORD (or NEO4J_PASSWORD_FILE), NEO4J_DATABASE.
    """
    from alliances.dataset import read_dataset
    from alliances.store.neo4j import Neo4jStore

    ds = read_dataset(path, encoding=encoding)
    settings = neo4j_settings(uri, user, database, password_file)
    total = len(ds.nodes) + len(ds.relationships) + len(ds.sources)
    with Neo4jStore(settings) as store:
        if replace:
            if not yes and not click.confirm(
                f"Remove all alliances data from {settings.uri} database {settings.database}?", err=True
            ):
                raise click.Abort()
            store.delete_project_data()
        if progress:
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

            with Progress(TextColumn("loading"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                          console=Console(stderr=True), transient=False) as bar:
                task = bar.add_task("load", total=total)
                report = store.load(ds, batch_size=batch_size, progress=lambda n: bar.advance(task, n))
        else:
            report = store.load(ds, batch_size=batch_size)
    click.echo(f"Loaded {ds.path} into {settings.uri} database {settings.database}: "
               f"{report.nodes_created} nodes and {report.relationships_created} relationships created, "
               f"{report.properties_set} properties set.")
    if report.batches_split:
        click.echo(f"Note: {report.batches_split} batches were too large for the server's transaction memory "
                   f"and were split; a smaller --batch-size (now {batch_size}) avoids the retries.", err=True)
    click.echo("Nodes in the database: " + ", ".join(f"{k} {v}" for k, v in sorted(report.labels.items())))
    click.echo("Relationships in the database: "
               + ", ".join(f"{k} {v}" for k, v in sorted(report.types.items())))
