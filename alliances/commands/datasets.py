"""`alliances datasets`: what a Neo4j database holds, dataset by dataset."""

from __future__ import annotations

import click

from alliances.commands.common import neo4j_options, neo4j_settings


@click.command("datasets")
@click.option("--neo4j", "use_neo4j", is_flag=True,
              help="List the datasets loaded into Neo4j (settings from --uri etc. or NEO4J_*).")
@click.option("--drop", metavar="NAME", help="Remove dataset NAME (what other datasets also hold stays).")
@click.option("--yes", is_flag=True, help="Do not ask before --drop removes data.")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True,
              help="Output format.")
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", show_default=True,
              help="Language of the table's headers (a store holds many datasets: Chinese unless asked).")
@neo4j_options
def datasets_command(use_neo4j, drop, yes, fmt, lang, uri, user, database, password_file):
    """List the datasets loaded into Neo4j: name, source, counts, load time.

    Every node, relationship and source in the store records the dataset(s)
    that hold it (property datasets); `alliances load --dataset NAME` adds or
    reloads one, --drop NAME removes one.
    """
    import json

    from alliances.errors import UsageError
    from alliances.store.neo4j import Neo4jStore

    if not (use_neo4j or uri):
        raise UsageError("datasets lists what a Neo4j database holds. Fix: add --neo4j (and --uri or NEO4J_URI).")
    settings = neo4j_settings(uri, user, database, password_file)
    with Neo4jStore(settings) as store:
        if drop:
            known = {d["name"] for d in store.datasets()}
            if drop not in known:
                raise UsageError(f"no dataset {drop!r} in {settings.uri} database {settings.database}. "
                                 f"Fix: use one of: {', '.join(sorted(known)) or '(none loaded)'}.")
            if not yes and not click.confirm(f"Remove dataset {drop!r} from {settings.uri} database "
                                             f"{settings.database}?", err=True):
                raise click.Abort()
            gone = store.drop_dataset(drop)
            registry = f", {gone['registry']} registry entries" if gone["registry"] else ""
            click.echo(f"Removed dataset {drop!r}: let go of {gone['nodes']} nodes, {gone['relationships']} "
                       f"relationships{registry} and {gone['sources']} sources (those other datasets hold stay).")
            return
        rows = store.datasets()
    if fmt == "json":
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    if not rows:
        click.echo(f"No datasets in {settings.uri} database {settings.database}. Load one with 'alliances load'.")
        return
    from alliances.output import render_rows

    click.echo(render_rows(rows, "table", ["name", "source", "nodes", "relationships", "figures", "sources",
                                           "loaded_at"], lang=lang), nl=False)
