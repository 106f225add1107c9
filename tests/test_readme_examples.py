"""The README's examples are real output: each ``$ alliances …`` line of a console block,
run as a user would (a subprocess under ``LANG=C``), prints exactly the lines shown under it.

Commands that write a file (``--out``) show no output in the README; for them the file must
be written and the exit code be 0.
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def examples() -> list[tuple[str, str]]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    out = []
    for block in re.findall(r"```console\n(.*?)```", text, flags=re.S):
        command, lines = None, []
        for line in block.splitlines():
            if line.startswith("$ "):
                if command:
                    out.append((command, "\n".join(lines).strip("\n")))
                command, lines = line[2:], []
            else:
                lines.append(line)
        if command:
            out.append((command, "\n".join(lines).strip("\n")))
    return out


EXAMPLES = examples()


def test_the_readme_has_examples():
    assert len(EXAMPLES) >= 6
    assert all(c.startswith("alliances ") for c, _ in EXAMPLES)


@pytest.mark.parametrize("command,expected", EXAMPLES, ids=[c for c, _ in EXAMPLES])
def test_readme_example_prints_what_the_readme_shows(command, expected, tmp_path):
    args = shlex.split(command)[1:]
    env = {**os.environ, "LANG": "C", "LC_ALL": "C", "COLUMNS": "120", "PYTHONPATH": str(ROOT)}
    run = subprocess.run([sys.executable, "-m", "alliances", *args], capture_output=True, text=True,
                         encoding="utf-8", env=env, cwd=tmp_path, timeout=300)
    assert run.returncode == 0, run.stderr
    if "--out" in args:
        assert (tmp_path / args[args.index("--out") + 1]).stat().st_size > 0
        assert not expected
        return
    got = "\n".join(line.rstrip() for line in run.stdout.strip("\n").splitlines())
    want = "\n".join(line.rstrip() for line in expected.splitlines())
    assert got == want, f"README.md shows other output for `{command}`; update it to:\n{run.stdout}"
