"""What commands share: where the network comes from, --as-of, --projection, --format, output.

Each option is defined here once, so every command spells, checks and
documents it the same way. The library types behind them live in the
library: :class:`alliances.settings.Neo4jSettings`,
:class:`alliances.source.GraphSource`.
"""

from __future__ import annotations

import functools
import os
import re

import click

from alliances.model import REGION_KINDS
from alliances.network import DEFAULT_PROJECTION, PROJECTIONS
from alliances.output import FORMATS
from alliances.settings import DEFAULT_DATABASE, DEFAULT_URI, DEFAULT_USER, Neo4jSettings
from alliances.source import GraphSource

__all__ = ["GraphSource", "Neo4jSettings", "as_of_option", "lang_option", "cache_folder", "cache_options", "check_date", "check_period", "echo", "echo_json",
           "format_option", "meta_note", "neo4j_options", "neo4j_settings", "projection_option",
           "source_options"]


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
    uri, uri_user, uri_password = split_credentials(uri or env.get("NEO4J_URI") or DEFAULT_URI)
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
        user=user or env.get("NEO4J_USERNAME") or env.get("NEO4J_USER") or uri_user or DEFAULT_USER,
        password=password,
        database=database or env.get("NEO4J_DATABASE") or DEFAULT_DATABASE,
    )


def neo4j_options(f):
    """--uri, --user, --database, --password-file (flags override NEO4J_* variables)."""
    f = click.option("--password-file", type=click.Path(dir_okay=False),
                     help="File holding the Neo4j password (else NEO4J_PASSWORD, NEO4J_PASSWORD_FILE or a prompt).")(f)
    f = click.option("--database", help="Neo4j database (else NEO4J_DATABASE, default neo4j).")(f)
    f = click.option("--user", help="Neo4j user (else NEO4J_USERNAME, default neo4j).")(f)
    f = click.option("--uri", help="Neo4j URI, e.g. neo4j://host:7687 or neo4j+s://xxx.databases.neo4j.io (else NEO4J_URI).")(f)
    return f


def cache_folder(path=None, no_cache=False, *, env=None) -> str | None:
    """Where dataset snapshots go: ``--cache-dir``, then ALLIANCES_CACHE_DIR, then the user's
    cache folder (platformdirs); ``None`` with ``--no-cache``."""
    if no_cache:
        return None
    env = os.environ if env is None else env
    if path or env.get("ALLIANCES_CACHE_DIR"):
        return path or env["ALLIANCES_CACHE_DIR"]
    import platformdirs

    return platformdirs.user_cache_dir("alliances", appauthor=False)


def cache_options(f):
    """--cache-dir DIR and --no-cache (where the checked dataset's snapshot is kept)."""
    f = click.option("--no-cache", is_flag=True,
                     help="Read and check the CSVs every time: neither load nor write a snapshot.")(f)
    f = click.option("--cache-dir", type=click.Path(file_okay=False), metavar="DIR",
                     help="Folder for snapshots of checked datasets, reused while the CSVs are unchanged "
                          "(else ALLIANCES_CACHE_DIR, else the user's cache folder).")(f)
    return f


def source_options(f):
    """--data PATH or --neo4j (with connection options) and the snapshot cache; passes ``source``."""

    @cache_options
    @neo4j_options
    @click.option("--region-level", type=click.Choice(list(REGION_KINDS)), default="city", show_default=True,
                  help="Level of the dataset's Region hierarchy (PART_OF) that groups organisations into regions.")
    @click.option("--neo4j", "use_neo4j", is_flag=True,
                  help="Read the graph from Neo4j instead of a dataset folder (settings from --uri etc. or NEO4J_*).")
    @click.option("--data", type=click.Path(), metavar="PATH",
                  help="Dataset folder to read (default: the bundled Zigong–Chengdu–Chongqing dataset).")
    @functools.wraps(f)
    def wrapper(*args, data, use_neo4j, uri, user, database, password_file, cache_dir, no_cache, region_level,
                **kwargs):
        use = use_neo4j or bool(uri)
        settings = neo4j_settings(uri, user, database, password_file) if use else None
        if use and data:
            raise click.UsageError("give either --data or --neo4j, not both")
        return f(*args, source=GraphSource(data, use, settings, region_level=region_level,
                                           cache_dir=cache_folder(cache_dir, no_cache)), **kwargs)

    return wrapper


def format_option(default="table", choices=FORMATS):
    return click.option("--format", "fmt", type=click.Choice(choices), default=default, show_default=True,
                        help="Output format.")


_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def check_date(ctx, param, value):
    """``--as-of``: a real YYYY-MM-DD date, or ``None``."""
    if value is None:
        return None
    if not _DATE.match(value):
        raise click.BadParameter(f"{value!r} is not a date; write YYYY-MM-DD, e.g. 2021-06-30.")
    import datetime

    try:
        datetime.date.fromisoformat(value)
    except ValueError as err:
        raise click.BadParameter(f"{value!r} is not a real date ({err}).") from err
    return value


def as_of_option(f):
    """``--as-of YYYY-MM-DD``: the network as it stood on a date."""
    return click.option(
        "--as-of", "as_of", callback=check_date, metavar="YYYY-MM-DD",
        help="The network as it stood on this date: dated facts after it are left out; "
             "undated ones are kept, never guessed, and counted (in the JSON meta, else in a note).")(f)


def check_period(ctx, param, value):
    """``--from`` / ``--to`` / ``--since``: YYYY, YYYY-MM or YYYY-MM-DD (also 2021年3月, 2021.3), or ``None``.

    Written as the dataset writes dates; the value is returned in that form
    (the analysis reads a partial date as its last day, as a dated fact counts).
    """
    if value is None:
        return None
    from alliances.dataset import date_problem
    from alliances.normalize import cell_text

    from alliances.errors import UsageError

    text = cell_text(value, "date")
    year = re.fullmatch(r"(\d{4})\s*年", text)
    text = year.group(1) if year else text
    why = date_problem(text)
    if why is not None:  # one line, exit 2 (the CLI shows the project's own errors so)
        raise UsageError(f"{param.opts[0]} {value!r} is not a date{why[0]}; write YYYY, YYYY-MM or "
                         "YYYY-MM-DD (or 2021年3月), e.g. 2021-06.")
    return text


def lang_option(f=None, *, what: str = "headers and labels"):
    """``--lang zh|en``: the language of a command's terminal output; by default the data's
    (``Network.language``: Chinese when at least half of the organisation names are)."""
    def deco(g):
        return click.option(
            "--lang", type=click.Choice(["zh", "en"]), default=None,
            help=f"Language of {what} (default: zh when at least half of the organisation names in the "
                 "data are Chinese, else en).")(g)

    return deco(f) if f is not None else deco


def projection_option(f):
    """``--projection``: which graph the measure runs on (one default for every command)."""
    return click.option(
        "--projection", type=click.Choice(sorted(PROJECTIONS, key=lambda p: p != DEFAULT_PROJECTION)),
        default=DEFAULT_PROJECTION, show_default=True,
        help="full: the whole partnership graph (organisations, alliances, agreements, activities, "
             "...; no regions or zones); organizations: organisations tied once per shared alliance, "
             "agreement, activity or direct tie.")(f)


def echo(text: str) -> None:
    """Write ``text`` to stdout as UTF-8, whatever the locale."""
    from alliances.output import write_text

    write_text(text)


def echo_json(obj) -> None:
    import json

    echo(json.dumps(obj, ensure_ascii=False, indent=2) + "\n")


def meta_note(meta: dict) -> str:
    """One line about the scenario, or '' when there is nothing to say."""
    parts = []
    if meta.get("as_of"):
        parts.append(f"as of {meta['as_of']}: {meta['undated_relationships']} undated relationships and "
                     f"{meta['undated_nodes']} undated nodes kept (not guessed); "
                     f"{meta['removed_nodes']} nodes and {meta['removed_relationships']} relationships "
                     f"dated later (or ended by then) left out")
    for hub in meta.get("capped_hubs") or []:
        parts.append(f"{hub['name']} ({hub['id']}) has {hub['members']:,} member organisations, more than the "
                     f"organisations projection ties pairwise: its members are not tied through it here "
                     f"(with --projection full it is one node)")
    if meta.get("without") or meta.get("without_ties"):
        gone = list(meta.get("without", [])) + ["~".join(t) for t in meta.get("without_ties", [])]
        parts.append("without " + ", ".join(gone))
    return "; ".join(parts)


class FiniteFloat(click.FloatRange):
    """A float range that also refuses NaN and infinity (``float('nan')`` passes every comparison)."""

    name = "float range"  # as click shows FloatRange: the reference stays as it was

    def convert(self, value, param, ctx):
        import math

        number = float_or_fail(self, value, param, ctx)
        if math.isnan(number) or math.isinf(number):
            self.fail(f"{value!r} is not a finite number; give one like 1.0 or 0.5.", param, ctx)
        return super().convert(number, param, ctx)


def float_or_fail(kind: click.ParamType, value, param, ctx) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        kind.fail(f"{value!r} is not a number.", param, ctx)
