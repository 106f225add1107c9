"""Options shared by commands: where the graph comes from, output format."""

from __future__ import annotations

import functools
import os
from dataclasses import dataclass, field

import click

from alliances.output import FORMATS


@dataclass
class Neo4jSettings:
    """Connection settings; the password is never printed (see ``__repr__``)."""

    uri: str = "neo4j://localhost:7687"
    user: str = "neo4j"
    password: str = field(default="", repr=False)
    database: str = "neo4j"

    def __post_init__(self) -> None:
        # A password written into the URI is moved out of it, so no message can show it.
        from alliances.redact import split_credentials

        clean, user, password = split_credentials(self.uri)
        if clean != self.uri:
            self.uri = clean
            if user and self.user in ("", "neo4j"):
                self.user = user
            if password and not self.password:
                self.password = password

    def __repr__(self) -> str:  # never show the password
        return f"Neo4jSettings(uri={self.uri!r}, user={self.user!r}, database={self.database!r})"


def read_password_file(path: str) -> str:
    from alliances.errors import UsageError

    try:
        with open(path, encoding="utf-8") as fh:
            return fh.read().strip()
    except OSError as err:
        raise UsageError(f"--password-file {path}: cannot be read ({err.strerror}).") from err


def neo4j_settings(uri=None, user=None, database=None, password_file=None, *, env=None, prompt=True) -> Neo4jSettings:
    """Flags first, then NEO4J_URI / NEO4J_USERNAME / NEO4J_PASSWORD / NEO4J_DATABASE.

    The password comes from ``--password-file``, ``NEO4J_PASSWORD``,
    ``NEO4J_PASSWORD_FILE``, a ``user:password@`` in the URI or, on a
    terminal, a prompt — never from argv. Credentials in the URI are taken
    out of it (:func:`alliances.redact.split_credentials`): the settings keep
    the clean URI only.
    """
    from alliances.redact import split_credentials

    env = os.environ if env is None else env
    uri, uri_user, uri_password = split_credentials(uri or env.get("NEO4J_URI") or "neo4j://localhost:7687")
    password = ""
    if password_file:
        password = read_password_file(password_file)
    elif env.get("NEO4J_PASSWORD"):
        password = env["NEO4J_PASSWORD"]
    elif env.get("NEO4J_PASSWORD_FILE"):
        password = read_password_file(env["NEO4J_PASSWORD_FILE"])
    elif uri_password:
        password = uri_password
    elif prompt and click.get_text_stream("stdin").isatty():
        password = click.prompt("Neo4j password", hide_input=True)
    return Neo4jSettings(
        uri=uri,
        user=user or env.get("NEO4J_USERNAME") or env.get("NEO4J_USER") or uri_user or "neo4j",
        password=password,
        database=database or env.get("NEO4J_DATABASE") or "neo4j",
    )


@dataclass
class GraphSource:
    """Where a command reads the graph: a dataset folder (default: bundled) or Neo4j."""

    data: str | None = None
    use_neo4j: bool = False
    settings: Neo4jSettings | None = None
    _dataset: object = None

    def dataset(self):
        if self._dataset is None:
            if self.use_neo4j:
                from alliances.store.neo4j import Neo4jStore

                with Neo4jStore(self.settings) as store:
                    self._dataset = store.read_dataset()
            else:
                from alliances.dataset import read_dataset

                self._dataset = read_dataset(self.data)
        return self._dataset

    def graph(self):
        from alliances.graph import build_graph

        return build_graph(self.dataset())

    def describe(self) -> str:
        if self.use_neo4j:
            return f"Neo4j {self.settings.uri} database {self.settings.database}"
        return self.data or "bundled dataset"


def neo4j_options(f):
    """--uri, --user, --database, --password-file (flags override NEO4J_* variables)."""
    f = click.option("--password-file", type=click.Path(dir_okay=False),
                     help="File holding the Neo4j password (else NEO4J_PASSWORD, NEO4J_PASSWORD_FILE or a prompt).")(f)
    f = click.option("--database", help="Neo4j database (else NEO4J_DATABASE, default neo4j).")(f)
    f = click.option("--user", help="Neo4j user (else NEO4J_USERNAME, default neo4j).")(f)
    f = click.option("--uri", help="Neo4j URI, e.g. neo4j://host:7687 or neo4j+s://xxx.databases.neo4j.io (else NEO4J_URI).")(f)
    return f


def source_options(f):
    """--data PATH or --neo4j (with connection options); passes ``source``."""

    @neo4j_options
    @click.option("--neo4j", "use_neo4j", is_flag=True,
                  help="Read the graph from Neo4j instead of a dataset folder (settings from --uri etc. or NEO4J_*).")
    @click.option("--data", type=click.Path(), metavar="PATH",
                  help="Dataset folder to read (default: the bundled Zigong–Chengdu–Chongqing dataset).")
    @functools.wraps(f)
    def wrapper(*args, data, use_neo4j, uri, user, database, password_file, **kwargs):
        use = use_neo4j or bool(uri)
        settings = neo4j_settings(uri, user, database, password_file) if use else None
        if use and data:
            raise click.UsageError("give either --data or --neo4j, not both")
        return f(*args, source=GraphSource(data, use, settings), **kwargs)

    return wrapper


def format_option(default="table", choices=FORMATS):
    return click.option("--format", "fmt", type=click.Choice(choices), default=default, show_default=True,
                        help="Output format.")
