"""Outputs are written next to the target and swapped in whole; nothing else is touched.

A folder is replaced only when it is a dataset folder, never through a link,
never the current folder; files and folders that are replaced keep their modes.
"""

from __future__ import annotations

import os
import stat

import pytest
from click.testing import CliRunner

from alliances import files
from alliances.cli import cli
from alliances.dataset import read_dataset, write_dataset
from alliances.errors import UsageError


def run(*args):
    return CliRunner().invoke(cli, list(args))


@pytest.fixture
def here(tmp_path, monkeypatch, bundled):
    monkeypatch.chdir(tmp_path)
    write_dataset(bundled, tmp_path / "small")
    return tmp_path


def tree(root):
    """Every path under ``root`` with its bytes (files) or None (folders, links as their target)."""
    out = {}
    for dirpath, dirnames, filenames in os.walk(root):
        for d in dirnames:
            p = os.path.join(dirpath, d)
            out[os.path.relpath(p, root)] = ("link", os.readlink(p)) if os.path.islink(p) else None
        for f in filenames:
            p = os.path.join(dirpath, f)
            out[os.path.relpath(p, root)] = ("link", os.readlink(p)) if os.path.islink(p) else open(p, "rb").read()
    return out


@pytest.mark.parametrize("sibling", [".e.old", ".e.new-x", "e.bak", ".e.old-1", "e~", ".e"])
@pytest.mark.parametrize("force", [False, True])
def test_siblings_of_the_target_are_never_touched(here, sibling, force):
    (here / sibling).mkdir()
    (here / sibling / "backup.txt").write_text("keep me", encoding="utf-8")
    if force:
        assert run("import", "small", "--out", "e").exit_code == 0
    before = {k: v for k, v in tree(here).items() if k != "e" and not k.startswith("e" + os.sep)}
    result = run("import", "small", "--out", "e", *(["--force"] if force else []))
    assert result.exit_code == 0, result.output
    after = {k: v for k, v in tree(here).items() if k != "e" and not k.startswith("e" + os.sep)}
    assert after == before
    assert sorted(os.listdir(here / "e")) == ["figures.csv", "nodes.csv", "relationships.csv", "sources.csv"]


@pytest.mark.parametrize("content", [
    {"thesis.docx": b"x"},
    {"sub/": None},
    {"sub/nodes.csv": b"x"},
    {".git/": None},
    {"nodes.csv": b"id\n", "notes.txt": b"mine"},
    {"nodes.csv/": None},            # a folder named like a table
    {"nodes.csv.bak": b"x"},
    {"README.md": b"# mine"},
])
@pytest.mark.parametrize("command", ["import", "export"])
def test_a_folder_that_is_not_a_dataset_is_never_replaced(here, content, command):
    proj = here / "proj"
    proj.mkdir()
    for name, data in content.items():
        if name.endswith("/"):
            (proj / name).mkdir(parents=True)
        else:
            (proj / name).parent.mkdir(parents=True, exist_ok=True)
            (proj / name).write_bytes(data)
    before = tree(proj)
    args = ["import", "small", "--out", "proj", "--force"] if command == "import" else \
        ["export", "--data", "small", "--format", "csv", "--out", "proj", "--force"]
    result = run(*args)
    assert result.exit_code == 2, result.output
    assert "is not a dataset folder" in result.output and "nothing was changed" in result.output
    assert "Traceback" not in result.output
    assert tree(proj) == before
    assert sorted(os.listdir(here)) == ["proj", "small"]  # no temporary folder left beside it


def test_a_link_inside_the_folder_makes_it_no_dataset(here, tmp_path_factory):
    outside = tmp_path_factory.mktemp("outside")
    (outside / "precious.txt").write_text("x", encoding="utf-8")
    write_dataset(read_dataset(here / "small"), here / "d")
    (here / "d" / "figures.csv").unlink()
    os.symlink(outside / "precious.txt", here / "d" / "figures.csv")
    result = run("import", "small", "--out", "d", "--force")
    assert result.exit_code == 2 and "is not a dataset folder" in result.output
    assert (outside / "precious.txt").read_text(encoding="utf-8") == "x"


@pytest.mark.parametrize("target", ["small", "missing", "file.txt"])
@pytest.mark.parametrize("command", ["import", "export-csv", "export-json", "template"])
def test_a_symlinked_out_is_refused_with_a_clear_line(here, target, command):
    (here / "file.txt").write_text("mine", encoding="utf-8")
    os.symlink(target, here / "link")
    before = tree(here)
    args = {"import": ["import", "small", "--out", "link", "--force"],
            "export-csv": ["export", "--format", "csv", "--out", "link", "--force"],
            "export-json": ["export", "--format", "json", "--out", "link", "--force"],
            "template": ["template", "link", "--force"]}[command]
    result = run(*args)
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    if command != "template":
        assert "is a symbolic link" in result.output
    assert tree(here) == before


def test_a_symlinked_workbook_name_is_refused(here):
    (here / "real.xlsx").write_bytes(b"mine")
    os.symlink("real.xlsx", here / "t.xlsx")
    result = run("template", "t.xlsx", "--force")
    assert result.exit_code == 2 and "is a symbolic link" in result.output
    assert (here / "real.xlsx").read_bytes() == b"mine"


@pytest.mark.parametrize("out", [".", "./", "..", "CWD", "CWD/../CWD_NAME"])
def test_the_current_folder_or_one_that_holds_it_is_refused(here, out):
    cwd = here / "small"
    os.chdir(cwd)
    out = out.replace("CWD_NAME", cwd.name).replace("CWD", str(cwd))
    before = tree(here)
    for args in (["import", ".", "--out", out, "--force"], ["export", "--format", "csv", "--out", out, "--force"]):
        result = run(*args)
        assert result.exit_code == 2, result.output
        assert "current folder" in result.output and "Traceback" not in result.output
    assert tree(here) == before


@pytest.mark.parametrize("fmt", ["csv"])
def test_export_csv_onto_a_file_is_a_clear_line(here, fmt):
    (here / "FILE").write_text("mine", encoding="utf-8")
    for force in ([], ["--force"]):
        result = run("export", "--format", fmt, "--out", "FILE", *force)
        assert result.exit_code == 2 and "is a file, not a folder" in result.output
        result = run("import", "small", "--out", "FILE", *force)
        assert result.exit_code == 2 and "is a file, not a folder" in result.output
    assert (here / "FILE").read_text(encoding="utf-8") == "mine"


@pytest.mark.parametrize("fmt", ["json", "graphml", "gexf", "cypher", "xlsx"])
def test_a_file_export_onto_a_folder_is_a_clear_line(here, fmt):
    result = run("export", "--format", fmt, "--out", "small", "--force")
    assert result.exit_code == 2 and "is a folder" in result.output
    assert read_dataset(here / "small").nodes


@pytest.mark.parametrize("mode", [0o600, 0o640, 0o444, 0o755])
@pytest.mark.parametrize("fmt", ["json", "xlsx", "cypher"])
def test_a_replaced_file_keeps_its_mode(here, mode, fmt):
    f = here / f"out.{fmt}"
    f.write_text("old", encoding="utf-8")
    os.chmod(f, mode)
    result = run("export", "--format", fmt, "--out", str(f), "--force")
    assert result.exit_code == 0, result.output
    assert stat.S_IMODE(f.stat().st_mode) == mode
    assert f.read_bytes() != b"old"


def test_a_new_file_gets_the_umask_mode(here):
    old = os.umask(0o027)
    try:
        assert run("export", "--format", "json", "--out", "new.json").exit_code == 0
    finally:
        os.umask(old)
    assert stat.S_IMODE((here / "new.json").stat().st_mode) == 0o640


@pytest.mark.parametrize("exchange", [True, False])
def test_a_replaced_dataset_folder_keeps_its_modes(here, monkeypatch, exchange):
    if not exchange:
        monkeypatch.setattr(files, "_exchange", lambda a, b: False)
    assert run("import", "small", "--out", "e").exit_code == 0
    os.chmod(here / "e" / "nodes.csv", 0o600)
    os.chmod(here / "e" / "sources.csv", 0o640)
    os.chmod(here / "e", 0o750)
    (here / "e" / "skipped.csv").write_text("old report", encoding="utf-8")
    result = run("import", "small", "--out", "e", "--force")
    assert result.exit_code == 0, result.output
    modes = {p.name: stat.S_IMODE(p.stat().st_mode) for p in (here / "e").iterdir()}
    assert modes["nodes.csv"] == 0o600 and modes["sources.csv"] == 0o640
    assert stat.S_IMODE((here / "e").stat().st_mode) == 0o750
    assert "skipped.csv" not in modes  # the new dataset has no skip report: the old one went with its folder
    assert sorted(os.listdir(here)) == ["e", "small"]


@pytest.mark.parametrize("exchange", [True, False])
def test_a_failure_while_filling_leaves_the_old_folder_as_it_was(here, exchange, monkeypatch):
    if not exchange:
        monkeypatch.setattr(files, "_exchange", lambda a, b: False)
    before = tree(here / "small")

    def fill(tmp):
        (tmp / "nodes.csv").write_text("half", encoding="utf-8")
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        files.replace_folder(here / "small", fill, overwrite=True)
    assert tree(here / "small") == before
    assert sorted(os.listdir(here)) == ["small"]


def test_check_folder_target_allows_new_empty_and_dataset_folders(here):
    (here / "empty").mkdir()
    for out in ("new", "empty", "deep/er/new"):
        assert files.check_folder_target(out, overwrite=False) == here.joinpath(out).relative_to(here)
    assert files.check_folder_target("small", overwrite=True)
    (here / "small" / ".DS_Store").write_bytes(b"")
    assert files.check_folder_target("small", overwrite=True)
    with pytest.raises(UsageError, match="not empty"):
        files.check_folder_target("small", overwrite=False)


def test_generate_keeps_siblings_too(here):
    (here / ".g.old").mkdir()
    (here / ".g.old" / "x").write_text("keep", encoding="utf-8")
    for force in ([], ["--force"]):
        result = run("generate", "--organizations", "50", "--out", "g", *force)
        assert result.exit_code == 0, result.output
    assert (here / ".g.old" / "x").read_text(encoding="utf-8") == "keep"
    result = run("generate", "--organizations", "50", "--out", "small", "--force")  # a dataset folder: replaced
    assert result.exit_code == 0, result.output
