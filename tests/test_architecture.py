"""The layers point down, and each decision lives in one place (docs/architecture.md).

cli → commands → (io | render | analysis) → network/graph core → store/dataset → model/errors.
Every import is read with ``ast`` — at module level and inside functions — so a
lazy import cannot slip past.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PKG = ROOT / "alliances"

HEAVY = ("networkx", "numpy", "scipy", "networkit", "neo4j", "igraph")


def _modules(*parts: str) -> list[Path]:
    base = PKG.joinpath(*parts)
    return sorted(base.rglob("*.py")) if base.is_dir() else [base.with_suffix(".py")]


def _imports(path: Path) -> list[tuple[int, str]]:
    """Every module ``path`` imports (absolute names), with its line number."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = ".".join(path.relative_to(ROOT).with_suffix("").parts[:-1])
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: resolve against the package
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join([*base, *(node.module.split(".") if node.module else [])])
            else:
                module = node.module or ""
            found.append((node.lineno, module))
            # `from alliances import engine` imports alliances.engine
            found += [(node.lineno, f"{module}.{alias.name}") for alias in node.names]
    return found


def _violations(paths, forbidden) -> list[str]:
    out = []
    for path in paths:
        for line, module in _imports(path):
            if any(module == f or module.startswith(f + ".") for f in forbidden):
                out.append(f"{path.relative_to(ROOT)}:{line} imports {module}")
    return out


def test_the_import_reader_sees_function_level_and_from_imports(tmp_path):
    probe = PKG / "commands" / "_probe_for_test.py"
    try:
        probe.write_text("def f():\n    from alliances import render\n    import numpy as np\n", encoding="utf-8")
        assert _violations([probe], ("numpy",)) == [f"{probe.relative_to(ROOT)}:3 imports numpy"]
        assert _violations([probe], ("alliances.render",)) == [
            f"{probe.relative_to(ROOT)}:2 imports alliances.render"]
    finally:
        probe.unlink()


def test_analysis_never_imports_render():
    assert _violations(_modules("analysis"), ("alliances.render",)) == []


def test_store_imports_neither_analysis_nor_render_nor_the_path_and_graph_modules():
    forbidden = ("alliances.analysis", "alliances.render", "alliances.paths", "alliances.graph",
                 "alliances.commands", "alliances.cli")
    assert _violations(_modules("store"), forbidden) == []


@pytest.mark.parametrize("part", [("cli",), ("commands",)])
def test_cli_and_commands_import_no_graph_library_or_driver(part):
    assert _violations(_modules(*part), HEAVY) == []


def test_cli_imports_no_private_helper_of_a_command_module():
    bad = []
    for path in _modules("cli"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("alliances.commands"):
                bad += [f"{node.module}.{a.name}" for a in node.names if a.name.startswith("_")]
    assert bad == []


def test_the_core_points_down():
    """engine, network, graph, paths, order, source, settings: no analysis, render, io or CLI."""
    core = [PKG / f"{name}.py" for name in ("engine", "network", "graph", "paths", "order", "settings",
                                            "source", "query", "resolve", "dataset", "model", "errors")]
    forbidden = ("alliances.analysis", "alliances.render", "alliances.io", "alliances.commands", "alliances.cli")
    assert _violations(core, forbidden) == []


def test_model_and_errors_import_nothing_of_the_package_above_them():
    allowed = {"alliances", "alliances.model", "alliances.errors"}
    bad = [f"{p.name}: {m}" for p in (PKG / "model.py", PKG / "errors.py") for _, m in _imports(p)
           if m.startswith("alliances") and m not in allowed and not m.startswith("alliances.errors.")
           and not m.startswith("alliances.model.")]
    assert bad == []


def test_nothing_is_filed_under_analysis_but_analysis_families():
    """The array engine is a backend, not an analysis family; the report is rendering."""
    assert not (PKG / "analysis" / "engine.py").exists()
    assert not (PKG / "analysis" / "report.py").exists()
    assert (PKG / "engine.py").exists() and (PKG / "render" / "report.py").exists()


# ---------------------------------------------------------------------------
# Each threshold defined once

THRESHOLD_VALUES = {2_000, 5_000, 300, 500, 800, 1_500, 50_000, 250}


def _numbers(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and type(node.value) is int and node.value in THRESHOLD_VALUES:
            yield node.lineno, node.value


def test_each_size_threshold_is_defined_once_in_network_thresholds():
    """2,000, 5,000, 300, 500, 800, 1,500, 50,000 nodes and 250 hub members appear as literals only in
    :class:`alliances.network.Thresholds`; everything else reads them from there."""
    from alliances.network import THRESHOLDS, Thresholds

    # equal numbers that are not graph-size thresholds, with the reason
    not_thresholds = {
        ("alliances/generate.py", 2_000),  # synthetic data: one zone per 2,000 organisations
        ("alliances/store/cypher_export.py", 5_000),  # rows per :param batch in a Cypher script
        ("alliances/io/template.py", 5_000),  # workbook rows covered by drop-downs
        ("alliances/generate_coverage.py", 300),  # synthetic data: one contact point per 300 organisations
        ("alliances/generate_coverage.py", 500),  # synthetic data: one problem per 500 organisations
        ("alliances/generate_coverage.py", 2_000),  # the year registry dates start from
        ("alliances/registry/match.py", 5_000),  # name candidates scored per registry entry
    }
    outside = [(p.relative_to(ROOT).as_posix(), value, line)
               for p in sorted(PKG.rglob("*.py")) if p != PKG / "network.py"
               for line, value in _numbers(p)]
    found = [o for o in outside if o[:2] not in not_thresholds]
    assert found == [], (f"{found}: a graph-size threshold belongs in alliances.network.Thresholds "
                         "(read it through network.thresholds()); a number that only happens to be "
                         "equal goes into not_thresholds above, with the reason")
    fields = Thresholds.__dataclass_fields__
    assert [value for _, value in _numbers(PKG / "network.py")] == [f.default for f in fields.values()]
    assert (THRESHOLDS.engine, THRESHOLDS.exact, THRESHOLDS.path_arrays) == (2_000, 5_000, 50_000)
    assert THRESHOLDS.hub_members == 250
    assert (THRESHOLDS.map_physics, THRESHOLDS.map_aggregate, THRESHOLDS.map_preseed) == (2_000, 5_000, 300)
    assert (THRESHOLDS.map_smooth_nodes, THRESHOLDS.map_smooth_edges) == (500, 1_500)
    assert THRESHOLDS.map_drill == 800


def test_the_map_command_defaults_are_the_thresholds():
    from alliances.commands.map import map_command
    from alliances.network import THRESHOLDS

    defaults = {p.name: p.default for p in map_command.params}
    assert defaults["max_nodes"] == THRESHOLDS.map_physics
    assert defaults["hard_cap"] == THRESHOLDS.map_aggregate


def test_one_projection_default_and_one_as_of_option_across_commands():
    import click

    from alliances.cli import cli
    from alliances.network import DEFAULT_PROJECTION

    ctx = click.Context(cli)
    projection, as_of = {}, {}
    for name in cli.list_commands(ctx):
        for p in cli.get_command(ctx, name).params:
            if p.name == "projection":
                projection[name] = p.default
            if p.name == "as_of":
                as_of[name] = (p.help, p.callback)
    assert {"centrality", "communities"} <= set(projection)
    assert set(projection.values()) == {DEFAULT_PROJECTION}
    assert {"centrality", "brokers", "report"} <= set(as_of) and len(set(as_of.values())) == 1


def test_hub_labels_and_orders_live_in_one_core_module():
    from alliances import engine, graph, order, paths

    assert not hasattr(engine, "HUB_LABELS") or engine.HUB_LABELS is order.HUB_LABELS
    assert paths.path_order is order.path_order and paths.TIE_CAP is order.TIE_CAP
    assert graph.edge_sort_key is order.edge_sort_key
    defined = [p.relative_to(ROOT).as_posix() for p in sorted(PKG.rglob("*.py"))
               for node in ast.walk(ast.parse(p.read_text(encoding="utf-8")))
               if isinstance(node, (ast.FunctionDef, ast.Assign))
               and (getattr(node, "name", None) in ("path_order", "edge_sort_key")
                    or any(getattr(t, "id", None) in ("HUB_LABELS", "SHARED_LABELS", "TIE_CAP", "REL_ORDER")
                           for t in getattr(node, "targets", [])))]
    assert set(defined) == {"alliances/order.py"}, defined


# ---------------------------------------------------------------------------
# Every import points down (or sideways within a layer)

#: Layer of each top-level module or package of alliances (higher may import lower).
#: A module not listed counts as a feature module (layer 4, beside analysis): list it here
#: if it belongs lower, so the test keeps it from importing upwards.
LAYERS = {
    "cli": 6, "__main__": 6, "clidoc": 6,
    "commands": 5,
    "io": 4, "render": 4, "analysis": 4, "generate": 4, "output": 4,
    "network": 3, "source": 3, "graph": 3, "engine": 3, "paths": 3, "query": 3,
    "store": 2, "dataset": 2, "snapshot": 2, "resolve": 2,  # snapshot: a cache of checked datasets
    "adjacency": 2,  # the partnership CSR (numpy only): the snapshot stores it, paths search it
    "registry": 2,  # the registry: read, checked and kept with the dataset
    "model": 1, "errors": 1, "settings": 1, "order": 1, "files": 1, "cells": 1, "redact": 1, "chars": 1,
    "regions": 1, "pinyin": 1,  # region groups from the data: model only; pinyin keys: pypinyin only
    "normalize": 1,  # cleaning cells: the importer and the registry reader share it
}
FEATURE = 4


def _layer(module: str) -> int | None:
    parts = module.split(".")
    if parts[0] != "alliances" or len(parts) < 2 or parts[1] in ("__init__", "__version__"):
        return None
    return LAYERS.get(parts[1], FEATURE)


def test_every_import_points_down_or_sideways():
    up = []
    for path in sorted(PKG.rglob("*.py")):
        own = _layer(".".join(path.relative_to(ROOT).with_suffix("").parts))
        if own is None:
            continue
        for line, module in _imports(path):
            other = _layer(module)
            if other is not None and other > own:
                up.append(f"{path.relative_to(ROOT)}:{line} (layer {own}) imports {module} (layer {other})")
    assert up == [], ("imports that point up (see docs/architecture.md); a new module that belongs "
                      "lower goes into LAYERS in tests/test_architecture.py:\n" + "\n".join(up))
