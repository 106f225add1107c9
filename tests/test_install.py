"""What `pip install .` brings is what the package imports (an import that only a test extra
provides works on the developer's machine and fails with a traceback on a planner's)."""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# imported only inside a try/except that falls back, or for --png (the error names the extra)
OPTIONAL = {"igraph": "fast", "playwright": "browser"}
DISTRIBUTION = {"charset_normalizer": "charset-normalizer"}


def _imports() -> set[str]:
    found = set()
    for path in (ROOT / "alliances").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                found |= {a.name.split(".")[0] for a in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                found.add(node.module.split(".")[0])
    return {m for m in found if m not in sys.stdlib_module_names and m != "alliances"}


def _names(requirements) -> set[str]:
    return {re.split(r"[<>=!~ \[;]", r, maxsplit=1)[0].lower() for r in requirements}


def test_every_import_is_a_declared_dependency():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    required = _names(project["dependencies"])
    for module in sorted(_imports()):
        dist = DISTRIBUTION.get(module, module).lower()
        if module in OPTIONAL:
            assert dist in _names(project["optional-dependencies"][OPTIONAL[module]]), module
        else:
            assert dist in required, f"alliances imports {module} but pyproject.toml does not require {dist}"
