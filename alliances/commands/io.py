"""``alliances template``, ``alliances import`` and ``alliances export``."""

from __future__ import annotations

import click

from alliances.commands.common import neo4j_options, neo4j_settings, source_options

EXPORT_FORMATS = ("graphml", "gexf", "json", "csv", "xlsx", "cypher", "neo4j-import")


@click.command("template")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--force", is_flag=True, help="Overwrite FILE if it exists.")
def template_command(file, force):
    """Write an Excel workbook to fill in: one sheet per node label, relationships, figures, sources.

    Headers are "中文 english" (e.g. 名称 name); row 2 of each sheet is an
    example (id starting with example-) that import skips. Read it back with
    `alliances import FILE --out FOLDER`.
    """
    from pathlib import Path

    from alliances.errors import UsageError
    from alliances.io.template import write_workbook

    path = Path(file)
    if path.suffix.lower() != ".xlsx":
        raise UsageError(f"{file}: the template is an Excel workbook. Fix: name it with .xlsx.")
    if path.exists() and not force and not path.is_symlink() and not path.is_dir():
        raise UsageError(f"{file}: exists. Fix: choose another name, or pass --force.")
    write_workbook(path)
    click.echo(f"Wrote {file}.")


@click.command("import")
@click.argument("sources", nargs=-1, required=True, type=click.Path())
@click.option("--out", type=click.Path(), help="Dataset folder to write (must not exist unless --force; --force replaces only a dataset folder).")
@click.option("--neo4j", "use_neo4j", is_flag=True,
              help="Load the imported dataset into Neo4j (settings from --uri etc. or NEO4J_*).")
@neo4j_options
@click.option("--encoding", help="Force the CSV encoding (default: detect UTF-8, UTF-8 with BOM, GB18030/GBK).")
@click.option("--skip-invalid", is_flag=True,
              help="Write the valid rows and list the skipped ones in skipped.csv inside the --out folder.")
@click.option("--force", is_flag=True, help="Replace the --out folder if it exists.")
def import_command(sources, out, use_neo4j, uri, user, database, password_file, encoding, skip_invalid, force):
    """Bring in SOURCES: an .xlsx workbook, a folder of CSVs, or NODES.csv RELATIONSHIPS.csv.

    Every problem is listed at once with its file, sheet, row and column, in
    English and Chinese; nothing is written while any remains (exit 1).
    Probable duplicates (a name with and without a city prefix) are warned
    about, never merged.
    """
    from pathlib import Path

    from alliances.errors import UsageError
    from alliances.files import check_folder_target
    from alliances.io.importer import import_source, skipped_csv

    if not out and not (use_neo4j or uri):
        raise UsageError("say where to put the data. Fix: add --out FOLDER, or --neo4j.")
    if out:  # refused before any work: a link, the current folder, a file, a folder that is no dataset
        check_folder_target(out, overwrite=force, what="--out ")
    from alliances.chars import lookalike_warnings

    result = import_source(list(sources), encoding=encoding, skip_invalid=skip_invalid)
    ds = result.dataset
    for w in [*result.warnings, *lookalike_warnings(ds.nodes)]:
        click.echo(f"Warning: {w}", err=True)
    if out:
        from alliances.dataset import write_dataset

        extra = {"skipped.csv": skipped_csv(result.skipped)} if result.skipped else None
        write_dataset(ds, out, overwrite=force, extra=extra)  # the skip report lands with the dataset
        if result.skipped:
            click.echo(f"Skipped {len(result.skipped)} problem row(s); see {Path(out) / 'skipped.csv'}.", err=True)
        click.echo(f"Wrote {out}: {len(ds.nodes)} nodes, {len(ds.relationships)} relationships, "
                   f"{len(ds.figures)} figures, {len(ds.sources)} sources.")
    if use_neo4j or uri:
        from alliances.store.neo4j import Neo4jStore

        settings = neo4j_settings(uri, user, database, password_file)
        with Neo4jStore(settings) as store:
            report = store.load(ds)
        click.echo(f"Loaded into Neo4j {settings.uri} database {settings.database}: "
                   f"{report.nodes_created} nodes and {report.relationships_created} relationships created.")


@click.command("export")
@click.option("--format", "fmt", type=click.Choice(EXPORT_FORMATS), required=True,
              help="graphml/gexf (Gephi), json (node-link), csv (dataset folder), xlsx (template), "
                   "cypher (script for Neo4j 5, cypher-shell), neo4j-import (files for neo4j-admin database import).")
@click.option("--out", type=click.Path(), required=True, help="File to write (a folder for csv and neo4j-import).")
@click.option("--force", is_flag=True, help="Overwrite --out if it exists.")
@click.option("--no-new-snapshot", is_flag=True,
              help="Use a valid snapshot of the dataset but write none when the CSVs must be checked "
                   "(a one-off export: scripts/neo4j import uses it).")
@source_options
def export_command(fmt, out, force, no_new_snapshot, source):
    """Write the graph for Gephi, Neo4j, Excel or other tools."""
    from alliances.io.export import export

    source.snapshot_write = not no_new_snapshot
    path = export(source.dataset(), fmt, out, overwrite=force)
    click.echo(f"Wrote {path} ({fmt}).")
