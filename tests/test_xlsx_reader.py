"""Workbooks are read with bounded memory, and hidden content is named, not imported silently.

The hostile workbooks are small on disk; a reader that builds the sheet's grid
needs gigabytes for them. Each import here runs as a real subprocess whose peak
memory (``ru_maxrss`` of the child) must stay under a fixed bound — a bound on
memory, not on time.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from alliances.cli import cli
from alliances.dataset import read_dataset, write_dataset
from alliances.io import xlsx
from alliances.io.importer import import_source

ROOT = Path(__file__).resolve().parents[1]
spec = importlib.util.spec_from_file_location("make_corpus", ROOT / "tests" / "corpus" / "make_corpus.py")
mc = importlib.util.module_from_spec(spec)
spec.loader.exec_module(mc)

SOURCES = ('<row r="1"><c r="A1" t="inlineStr"><is><t>编号 id</t></is></c><c r="B1" t="inlineStr"><is><t>标题 title'
           '</t></is></c></row><row r="2"><c r="A2" t="inlineStr"><is><t>s1</t></is></c><c r="B2" t="inlineStr">'
           '<is><t>来源</t></is></c></row>')
ORG_HEADER = ('<row r="1">' + "".join(f'<c r="{c}1" t="inlineStr"><is><t>{h}</t></is></c>' for c, h in zip(
    "ABCDE", ["编号 id", "名称 name", "组织类别 kind", "来源 source", "段落 paragraphs"])) + "</row>")


def org_row(r: int, hidden: bool = False, name: str | None = None) -> str:
    vals = [f"org-{r}", name or f"组织{r}", "enterprise", "s1", "1"]
    return (f'<row r="{r}"{" hidden=" + chr(34) + "1" + chr(34) if hidden else ""}>' + "".join(
        f'<c r="{c}{r}" t="inlineStr"><is><t>{v}</t></is></c>' for c, v in zip("ABCDE", vals)) + "</row>")


def book(org_sheet, *extra, styles=False) -> bytes:
    return mc.hostile_xlsx([("来源 Sources", mc.sheet_xml(SOURCES), ""), ("组织 Organization", org_sheet, ""),
                            *extra], styles=styles)


# A fresh intermediate process: its RUSAGE_CHILDREN peak is the import's alone (the test
# process's own figure is the largest of every child it ever ran, earlier tests' included).
_PEAK = ("import resource, subprocess, sys\n"
         "done = subprocess.run(sys.argv[1:])\n"
         "sys.stderr.buffer.write(b'\\n@peak-kb=%d\\n' % resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
         "sys.exit(done.returncode)\n")


def run_import(tmp_path, data: bytes, *args):
    wb = tmp_path / "in.xlsx"
    wb.write_bytes(data)
    done = subprocess.run([sys.executable, "-c", _PEAK, sys.executable, "-m", "alliances", "import", str(wb),
                           "--out", str(tmp_path / "out"), *args], capture_output=True, timeout=900,
                          env={"LANG": "C", "LC_ALL": "C", "PATH": "/usr/bin:/bin"})
    stderr, _, peak = done.stderr.rpartition(b"\n@peak-kb=")
    done = subprocess.CompletedProcess(done.args, done.returncode, done.stdout, stderr)
    return done, int(peak) / 1024


BOUND_MB = 400  # the interpreter with pandas-free imports is ~100 MB; a grid of any of these is gigabytes


def _styled_rows(n):
    yield mc.sheet_xml("", "").split("<sheetData>")[0] + "<sheetData>" + ORG_HEADER + org_row(2)
    chunk = []
    for r in range(3, n + 1):
        chunk.append(f'<row r="{r}" s="1" customFormat="1"><c r="A{r}" s="1"/></row>')
        if len(chunk) == 20_000:
            yield "".join(chunk)
            chunk = []
    yield "".join(chunk) + "</sheetData></worksheet>"


@pytest.mark.parametrize("case", ["styled_cell_at_XFD1048576", "merge_to_XFD1048576", "styled_empty_rows",
                                  "dimension_claims_the_whole_grid", "many_columns_declared"])
def test_hostile_grids_import_with_bounded_memory(tmp_path, case):
    body = ORG_HEADER + org_row(2) + org_row(3)
    org = {
        "styled_cell_at_XFD1048576": mc.sheet_xml(body + '<row r="1048576"><c r="XFD1048576" s="1"/></row>'),
        "merge_to_XFD1048576": mc.sheet_xml(body, '<mergeCells count="2"><mergeCell ref="N5:XFD1048576"/>'
                                                  '<mergeCell ref="A3:XFD1048576"/></mergeCells>'),
        "styled_empty_rows": _styled_rows(1_048_576),
        "dimension_claims_the_whole_grid": mc.sheet_xml(body, head='<dimension ref="A1:XFD1048576"/>'),
        "many_columns_declared": mc.sheet_xml(body, head='<cols><col min="1" max="16384" width="9" style="1"/></cols>'),
    }[case]
    data = book(org, styles=True)
    assert len(data) < 10_000_000
    done, peak = run_import(tmp_path, data)
    assert done.returncode == 0, done.stderr.decode()
    assert peak < BOUND_MB, f"{case}: {peak:.0f} MB"
    ds = read_dataset(tmp_path / "out")
    orgs = sorted(n["id"] for n in ds.nodes.values())
    # a merge's value fills only the cells up to the last row and column that hold values
    assert orgs == (["org-2"] if case == "styled_empty_rows" else ["org-2", "org-3"])


@pytest.mark.parametrize("case", ["xlsx_huge_inline_string", "xlsx_huge_shared_string", "xlsx_billion_laughs_in_sheet"])
def test_hostile_strings_are_refused_with_bounded_memory(tmp_path, case):
    data = (ROOT / "tests" / "corpus" / "bad" / case / "workbook.xlsx").read_bytes()
    done, peak = run_import(tmp_path, data)
    assert done.returncode == 1 and b"Traceback" not in done.stderr
    assert peak < BOUND_MB
    assert not (tmp_path / "out").exists()


def test_a_string_of_hundreds_of_megabytes_is_refused_while_it_is_read(tmp_path):
    """The 2 GB-string workbook of the issue, at 300 MB: refused after the first 32,767 characters' worth."""
    def sheet():
        yield mc.sheet_xml("").split("<sheetData>")[0] + "<sheetData>" + ORG_HEADER
        yield '<row r="2"><c r="A2" t="inlineStr"><is><t>'
        block = "长" * (1 << 20)
        for _ in range(100):  # 100 Mi characters = 300 MB of UTF-8
            yield block
        yield "</t></is></c></row></sheetData></worksheet>"

    data = book(sheet())
    assert len(data) < 2_000_000
    done, peak = run_import(tmp_path, data)
    assert done.returncode == 1 and b"cell A2 holds more than 32,767 characters" in done.stderr
    assert peak < BOUND_MB


def test_limits_are_checked_on_what_is_read_not_what_the_zip_declares(tmp_path, monkeypatch):
    data = book(mc.sheet_xml(ORG_HEADER + "".join(org_row(r) for r in range(2, 200))))
    (tmp_path / "w.xlsx").write_bytes(data)
    monkeypatch.setattr(xlsx, "MAX_SHEET_BYTES", 2_000)
    with pytest.raises(xlsx.WorkbookRefused) as err:
        xlsx.read_workbook(tmp_path / "w.xlsx")
    assert err.value.code == "xlsx_part_too_large"
    monkeypatch.setattr(xlsx, "MAX_SHEET_BYTES", 1 << 30)
    monkeypatch.setattr(xlsx, "MAX_CELLS", 100)
    with pytest.raises(xlsx.WorkbookRefused) as err:
        xlsx.read_workbook(tmp_path / "w.xlsx")
    assert err.value.code == "xlsx_too_many_cells"


@pytest.mark.parametrize("state", ["hidden", "veryHidden"])
def test_hidden_sheets_are_not_imported_and_named(tmp_path, state):
    data = book(mc.sheet_xml(ORG_HEADER + org_row(2)),
                ("组织 Organization 2", mc.sheet_xml(ORG_HEADER + org_row(7, name="藏起来的组织")), state))
    result = CliRunner().invoke(cli, ["import", str(_write(tmp_path, data)), "--out", str(tmp_path / "o")])
    assert result.exit_code == 0, result.output
    assert "sheet '组织 Organization 2' is hidden and was not imported" in result.output
    assert ("very hidden" in result.output) == (state == "veryHidden")
    assert "藏起来的组织" not in {n["name"] for n in read_dataset(tmp_path / "o").nodes.values()}


def test_hidden_rows_are_not_imported_and_named_hidden_columns_are_named(tmp_path):
    org = mc.sheet_xml(ORG_HEADER + org_row(2) + org_row(3, hidden=True) + org_row(4, hidden=True) + org_row(5)
                       + org_row(9, hidden=True), head='<cols><col min="2" max="2" hidden="1"/></cols>')
    result = CliRunner().invoke(cli, ["import", str(_write(tmp_path, book(org))), "--out", str(tmp_path / "o")])
    assert result.exit_code == 0, result.output
    assert "rows 3–4, 9 are hidden or filtered out in Excel and not imported" in result.output
    assert "column(s) B hidden in Excel were imported" in result.output
    assert sorted(read_dataset(tmp_path / "o").nodes) == ["org-2", "org-5"]


def test_the_template_hidden_lists_sheet_gives_no_warning(tmp_path):
    res = CliRunner().invoke(cli, ["export", "--format", "xlsx", "--out", str(tmp_path / "b.xlsx")])
    assert res.exit_code == 0
    result = CliRunner().invoke(cli, ["import", str(tmp_path / "b.xlsx"), "--out", str(tmp_path / "o")])
    assert result.exit_code == 0 and "Warning" not in result.output


def _write(tmp_path, data):
    p = tmp_path / "w.xlsx"
    p.write_bytes(data)
    return p


def test_values_dates_booleans_phonetics_and_escapes(tmp_path):
    styles = ('<?xml version="1.0"?><styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
              '<numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy&quot;年&quot;m&quot;月&quot;"/></numFmts>'
              '<cellXfs count="4"><xf numFmtId="0"/><xf numFmtId="14"/><xf numFmtId="164"/><xf numFmtId="31"/></cellXfs>'
              "</styleSheet>")
    sheet = mc.sheet_xml(
        '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" s="1"><v>44621</v></c><c r="C1" s="2"><v>44652</v></c>'
        '<c r="D1" s="3"><v>44682</v></c><c r="E1" t="b"><v>1</v></c><c r="F1"><v>4.0</v></c>'
        '<c r="G1" t="inlineStr"><is><r><t>a_x000D_b</t></r><r><t xml:space="preserve"> c</t></r></is></c>'
        '<c r="H1" t="str"><f>A1</f><v>=1+1</v></c><c r="I1"><f>1/0</f></c>\n  <c r="J1" t="inlineStr">\n'
        '<is>\n<t>x</t>\n</is>\n</c></row>')
    p = tmp_path / "v.xlsx"
    data = mc.hostile_xlsx([("Organization", sheet, "")], shared=["自贡<rPh><t>zi gong</t></rPh>"])
    with zipfile.ZipFile(p, "w") as z, zipfile.ZipFile(__import__("io").BytesIO(data)) as src:
        for n in src.namelist():
            if n != "xl/_rels/workbook.xml.rels":
                z.writestr(n, src.read(n))
        z.writestr("xl/styles.xml", styles)
        rels = src.read("xl/_rels/workbook.xml.rels").decode().replace(
            "</Relationships>", '<Relationship Id="rIdT" Type="http://schemas.openxmlformats.org/officeDocument/'
                                '2006/relationships/styles" Target="styles.xml"/></Relationships>')
        z.writestr("xl/_rels/workbook.xml.rels", rels)
    import datetime as dt

    wb = xlsx.read_workbook(p)
    (r, values), = wb.sheets[0].grid()
    assert r == 1
    assert values == ["自贡", dt.datetime(2022, 3, 1), dt.datetime(2022, 4, 1), dt.datetime(2022, 5, 1), True, 4.0,
                      "a\rb c", "=1+1", None, "x"]


@pytest.fixture
def payload_folder(tmp_path, bundled):
    import copy

    from tests.payloads import FORMULA

    ds = copy.deepcopy(bundled)
    for node, p in zip(ds.nodes.values(), FORMULA):
        node["name"] = node["name_en"] = node["description"] = p
        node["aliases"] = []
    return write_dataset(ds, tmp_path / "src")


def test_exported_workbook_has_no_formula_and_imports_back_identically(tmp_path, payload_folder):
    src = payload_folder
    runner = CliRunner()
    res = runner.invoke(cli, ["export", "--data", str(src), "--format", "xlsx", "--out", str(tmp_path / "x.xlsx")])
    assert res.exit_code == 0, res.output
    with zipfile.ZipFile(tmp_path / "x.xlsx") as z:
        for name in z.namelist():
            if name.startswith("xl/worksheets/"):
                text = z.read(name).decode("utf-8")
                assert "<f>" not in text and "<f " not in text, name
        assert 'fullCalcOnLoad="1"' not in z.read("xl/workbook.xml").decode("utf-8")
    from_xlsx = import_source([tmp_path / "x.xlsx"]).dataset
    from_csv = import_source([src]).dataset
    assert from_xlsx.nodes == from_csv.nodes
    assert from_xlsx.relationships == from_csv.relationships
    assert from_xlsx.figures == from_csv.figures and from_xlsx.sources == from_csv.sources
    names = {n["name"] for n in from_xlsx.nodes.values()}
    assert {"=1+1", "a\rb", "a\r\nb", "'=1+1", "''=1+1", "=1+1\r=2+2"} <= names


def test_openpyxl_reads_our_workbook_as_text_cells(tmp_path, payload_folder):
    """A second reader (openpyxl, as Excel would) sees strings, not formulas."""
    from openpyxl import load_workbook

    CliRunner().invoke(cli, ["export", "--data", str(payload_folder), "--format", "xlsx", "--out", str(tmp_path / "x.xlsx")])
    wb = load_workbook(tmp_path / "x.xlsx")
    kinds = {c.data_type for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value is not None}
    assert "f" not in kinds
    cells = [c for ws in wb.worksheets for row in ws.iter_rows(min_row=3) for c in row
             if isinstance(c.value, str) and c.value.startswith("=")]
    assert cells and all(c.quotePrefix for c in cells)
