"""Write the CLI reference (docs/cli.md) from the commands' own ``--help``.

Run ``scripts/cli_docs`` (or ``python -m alliances.clidoc docs/cli.md``) after
changing a command or an option; ``tests/test_docs.py`` fails when the
committed file differs from what this writes.
"""

from __future__ import annotations

import sys

import click

HEADER = """# CLI reference

Generated from `alliances --help` by `scripts/cli_docs`; do not edit by hand.
Regenerate it after changing a command or an option (tests/test_docs.py checks it).
"""


WIDTH = 100


def reference() -> str:
    """The whole reference as Markdown: the group's help, then each command's (100 columns)."""
    from alliances.cli import cli

    top = click.Context(cli, info_name="alliances", terminal_width=WIDTH, max_content_width=WIDTH,
                        **cli.context_settings)
    parts = [HEADER, "## alliances\n", "```text", cli.get_help(top), "```\n"]
    for name in cli.list_commands(top):
        cmd = cli.get_command(top, name)
        ctx = click.Context(cmd, info_name=name, parent=top)
        parts += [f"## alliances {name}\n", "```text", cmd.get_help(ctx), "```\n"]
    return "\n".join(parts)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    text = reference()
    if not argv:
        sys.stdout.write(text)
        return 0
    with open(argv[0], "w", encoding="utf-8", newline="\n") as fh:
        fh.write(text)
    print(f"Wrote {argv[0]}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
