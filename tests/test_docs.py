"""Help is documentation: every command and option has help, docs/cli.md is --help, and the
README is a front door (about 200 lines) that shows every command and links to docs/."""

from __future__ import annotations

import importlib
import re
from pathlib import Path

import click
import pytest

from alliances.cli import LAZY_COMMANDS, cli

ROOT = Path(__file__).resolve().parent.parent
STALE = ("docs/cli.md is stale: a command or an option changed. Regenerate it with scripts/cli_docs "
         "and commit docs/cli.md (see docs/architecture.md, 'CLI reference').")


def _all_commands():
    ctx = click.Context(cli)
    return [(name, cli.get_command(ctx, name)) for name in cli.list_commands(ctx)]


def test_cli_reference_is_generated_from_help_and_up_to_date():
    from alliances.clidoc import reference

    committed = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    assert committed == reference(), STALE


def test_every_command_and_option_has_help_and_is_in_the_cli_reference():
    doc = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    for name, cmd in _all_commands():
        assert cmd.help, f"{name} has no help"
        assert f"## alliances {name}\n" in doc, f"docs/cli.md has no section for 'alliances {name}'. {STALE}"
        section = doc.split(f"## alliances {name}\n", 1)[1].split("\n## ", 1)[0]
        for param in cmd.params:
            if param.param_type_name != "option":
                continue
            if not getattr(param, "help", None):
                pytest.fail(f"alliances {name} {param.opts} has no help")
            assert any(opt in section for opt in param.opts), f"docs/cli.md: {name} {param.opts}. {STALE}"


def test_the_readme_is_short_and_shows_every_command():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert len(readme.splitlines()) <= 200, "README.md is the front door: move reference to docs/"
    for name, _ in _all_commands():
        assert re.search(rf"alliances {re.escape(name)}\b", readme), f"README does not show 'alliances {name}'"
    for page in ("cli", "model", "dataset-format", "neo4j", "maps", "analyses", "security", "performance",
                 "architecture"):
        assert f"docs/{page}.md" in readme and (ROOT / "docs" / f"{page}.md").is_file(), page


def test_every_relative_link_in_the_documentation_resolves():
    for doc in [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]:
        for target in re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", doc.read_text(encoding="utf-8")):
            if "://" in target:
                continue
            assert (doc.parent / target).exists(), f"{doc.relative_to(ROOT)} links to missing {target}"


@pytest.mark.parametrize("name", sorted(LAZY_COMMANDS))
def test_lazy_command_help_is_the_commands_own(name):
    target, short = LAZY_COMMANDS[name]
    module, attr = target.split(":")
    cmd = getattr(importlib.import_module(module), attr)
    assert cmd.name == name
    assert short == cmd.get_short_help_str(limit=1000), (
        f"cli.py LAZY_COMMANDS[{name!r}] differs from the command's own help: copy "
        f"{cmd.get_short_help_str(limit=1000)!r} there")
