"""The Excel template: sheets, bilingual headers, drop-downs, example rows, instructions."""

from __future__ import annotations

import os

import openpyxl
import pytest
from click.testing import CliRunner

from alliances import model
from alliances.cli import cli
from alliances.io.template import LISTS_SHEET, label_sheet, write_workbook
from tests.conftest import run_cli


@pytest.fixture()
def template(tmp_path):
    path = tmp_path / "t.xlsx"
    result = CliRunner().invoke(cli, ["template", str(path)])
    assert result.exit_code == 0, result.output
    return openpyxl.load_workbook(path)


def test_one_sheet_per_label_and_the_other_tables(template):
    names = template.sheetnames
    for label, lab in model.LABELS.items():
        assert f"{lab.zh} {label}" in names
    for title in ("关系 Relationships", "数据 Figures", "来源 Sources", "说明 Instructions", "节点 Nodes"):
        assert title in names
    assert template[LISTS_SHEET].sheet_state == "hidden"


def test_headers_are_chinese_then_english_from_the_model(template):
    ws = template[label_sheet("Organization")]
    header = [c.value for c in ws[1]]
    # node sheets: every node property but label (the sheet says it)
    assert header == [f"{p.zh} {p.name}" for p in (*model.NODE_PROPS, *model.END_PROPS) if p.name != "label"]
    assert header[:3] == ["编号 id", "名称 name", "英文名 name_en"]
    rel = [c.value for c in template["关系 Relationships"][1]]
    assert rel == [f"{p.zh} {p.name}" for p in (*model.REL_PROPS, *model.TIE_PROPS, *model.END_PROPS)]  # ended last


def _validations(ws):
    return {str(dv.sqref): dv.formula1 for dv in ws.data_validations.dataValidation}


def test_drop_downs_for_kind_region_type_and_label(template):
    org = _validations(template[label_sheet("Organization")])
    header = [c.value for c in template[label_sheet("Organization")][1]]
    kind_col = openpyxl.utils.get_column_letter(header.index("组织类别 kind") + 1)
    region_col = openpyxl.utils.get_column_letter(header.index("地区 region") + 1)
    assert org[f"{kind_col}3:{kind_col}5000"] == f"='{LISTS_SHEET}'!$A$2:$A${len(model.KINDS) + 1}"
    # region: the ids of the Region sheet, a list range
    assert org[f"{region_col}3:{region_col}5000"] == "='地区 Region'!$A$3:$A$5000"
    lists = template[LISTS_SHEET]
    # each choice shows as "中文 (code)" (issue 16), in the model's order
    assert [lists.cell(i, 1).value for i in range(2, len(model.KINDS) + 2)] == [
        f"{k.zh} ({code})" for code, k in model.KINDS.items()]
    assert lists.cell(2, 1).value == "党委 (party_committee)"
    assert [lists.cell(i, 2).value for i in range(2, len(model.REL_TYPES) + 2)] == [
        f"{r.zh} ({code})" for code, r in model.REL_TYPES.items()]
    assert [lists.cell(i, 3).value for i in range(2, len(model.LABELS) + 2)] == [
        f"{lab.zh} ({code})" for code, lab in model.LABELS.items()]
    assert lists.cell(2, 3).value == "地区 (Region)"
    # a Region's kind is its level: the Region sheet offers province, city, district
    region = _validations(template[label_sheet("Region")])
    rheader = [c.value for c in template[label_sheet("Region")][1]]
    rkind = openpyxl.utils.get_column_letter(rheader.index("组织类别 kind") + 1)
    n = len(model.KINDS)
    assert region[f"{rkind}3:{rkind}5000"] == f"='{LISTS_SHEET}'!$A${n + 2}:$A${n + 4}"
    assert [lists.cell(i, 1).value for i in range(n + 2, n + 5)] == ["省 (province)", "市 (city)", "区县 (district)"]
    rel = _validations(template["关系 Relationships"])
    assert rel["B3:B5000"] == f"='{LISTS_SHEET}'!$B$2:$B${len(model.REL_TYPES) + 1}"
    nodes = _validations(template["节点 Nodes"])
    assert nodes["B3:B5000"] == f"='{LISTS_SHEET}'!$C$2:$C${len(model.LABELS) + 1}"


def test_every_table_sheet_has_one_example_row_marked_example(template):
    for ws in template.worksheets:
        if ws.title in ("说明 Instructions", LISTS_SHEET):
            continue
        assert str(ws.cell(2, 1).value).startswith("example-"), ws.title
        assert ws.max_row == 2, ws.title


def test_instructions_in_chinese_and_english(template):
    ws = template["说明 Instructions"]
    text = " ".join(str(c.value) for row in ws.iter_rows() for c in row if c.value)
    assert "example-" in text and "示例" in text
    assert "别名" in text and "aliases" in text
    assert "alliances import" in text


def test_the_empty_template_imports_as_no_data(tmp_path):
    path = tmp_path / "t.xlsx"
    write_workbook(path)
    result = CliRunner().invoke(cli, ["import", str(path), "--out", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert "no nodes found" in result.output and "没有找到任何节点" in result.output
    assert not (tmp_path / "out").exists()


def test_refuses_to_overwrite_and_wants_xlsx(tmp_path):
    path = tmp_path / "t.xlsx"
    path.write_bytes(b"keep")
    r = CliRunner().invoke(cli, ["template", str(path)])
    assert r.exit_code == 2 and "--force" in r.output
    assert path.read_bytes() == b"keep"
    r = CliRunner().invoke(cli, ["template", str(tmp_path / "t.csv")])
    assert r.exit_code == 2 and ".xlsx" in r.output
    r = CliRunner().invoke(cli, ["template", str(path), "--force"])
    assert r.exit_code == 0 and openpyxl.load_workbook(path)


def test_template_as_a_subprocess_under_lang_c(tmp_path):
    env = {"LANG": "C", "LC_ALL": "C"}
    proc = run_cli("template", "t.xlsx", env=env, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert openpyxl.load_workbook(tmp_path / "t.xlsx")[label_sheet("Region")]["B1"].value == "名称 name"
    assert os.path.getsize(tmp_path / "t.xlsx") > 0
