"""Validation on records: one set of checks for CSV folders and imports, coded bilingual problems.

Every expected value below is worked out by hand from the rows the test
writes: row numbers count the header as row 1; ids without a row are
``<prefix>-`` + 10 hex digits of sha1 of the name (``alliances.normalize``).
"""

from __future__ import annotations

import datetime
import hashlib
import json
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from alliances import model
from alliances.cli import cli
from alliances.dataset import Record, RecordChecker, read_dataset
from alliances.errors import MESSAGES, ValidationError
from alliances.io.importer import import_source, import_source_id
from tests.test_import import NODES, RELS, csv_folder

TODAY = datetime.date.today().isoformat()


def sha_id(prefix: str, name: str) -> str:
    return f"{prefix}-" + hashlib.sha1(name.encode()).hexdigest()[:10]


def workbook(path: Path, sheets: dict[str, list[list]]) -> Path:
    """A workbook of our own (not the template): sheet → rows, row 1 the header."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for title, rows in sheets.items():
        ws = wb.create_sheet(title)
        for row in rows:
            ws.append(row)
    wb.save(path)
    return path


def problems_of(call) -> list:
    with pytest.raises(ValidationError) as info:
        call()
    return info.value.problems


def located(problems) -> list[tuple]:
    return [(Path(p.file).name, p.sheet, p.row, p.field, p.code) for p in problems]


# ---------------------------------------------------------------------------
# Chinese in, as it comes out


CHINESE_BOOK = {
    "来源": [["编号", "标题", "发布", "发布日期"],
             ["s1", "测试文章", "自贡网", "2022年3月"]],
    "节点": [["编号", "类型", "名称", "组织类别", "地区", "日期", "别名", "来源", "段落"],
             ["zigong", "地区", "自贡市", "", "", "", "自贡", "s1", "1"],
             ["hs", "组织", "自贡华商商圈党委", "党委", "自贡", "2019年5月", "", "s1", "2；3"],
             ["", "组织", "成都盐市口商圈综合党委", "综合党委", "", "", "", "s1", "3"],
             ["wp", "组织", "威鹏电缆党支部", "党支部 (party_branch)", "自贡市", "", "", "s1", "2"],
             ["wp-ent", "组织", "威鹏电缆", "企业", "", "", "", "s1", "2"],
             ["al", "联盟", "党建联盟", "", "", "2020", "", "s1", "3"],
             ["circle", "商圈", "华商商圈", "", "", "", "", "s1", "2"]],
    "关系": [["起点", "关系", "终点", "角色", "状态", "来源", "段落"],
             ["自贡华商商圈党委", "成员", "al", "", "", "s1", "3"],
             ["成都盐市口商圈综合党委", "成员 (MEMBER_OF)", "al", "发起方", "", "s1", "3"],
             ["wp", "所属企业", "wp-ent", "", "", "s1", "2"],
             ["hs", "指导", "wp", "", "计划", "s1", "2"],
             ["hs", "统领", "华商商圈", "", "", "s1", "2"],
             ["hs", "位于", "自贡", "", "", "s1", "2"]],
    "数据": [["节点", "指标", "数值", "限定", "单位", "中文说明", "来源", "段落"],
             ["hs", "party_members", "120", "余", "名", "党员", "s1", "2"],
             ["al", "members", "3", "确数", "", "成员单位", "s1", "3"]],
}
YSK = sha_id("org", "成都盐市口商圈综合党委")


def test_a_workbook_in_chinese_only_imports_cleanly(tmp_path):
    book = workbook(tmp_path / "中文.xlsx", CHINESE_BOOK)
    out = tmp_path / "ds"
    result = CliRunner().invoke(cli, ["import", str(book), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "Warning" not in result.output
    ds = read_dataset(out)
    assert {n: (d["label"], d["kind"]) for n, d in ds.nodes.items()} == {
        "zigong": ("Region", ""), "hs": ("Organization", "party_committee"),
        YSK: ("Organization", "comprehensive_committee"), "wp": ("Organization", "party_branch"),
        "wp-ent": ("Organization", "enterprise"), "al": ("Alliance", ""), "circle": ("BusinessCircle", "")}
    assert ds.nodes["hs"]["region"] == "zigong" and ds.nodes["wp"]["region"] == "zigong"  # alias and name
    assert ds.nodes["hs"]["date"] == "2019-05" and ds.nodes["hs"]["paragraphs"] == [2, 3]
    assert [(r["start"], r["type"], r["end"]) for r in ds.relationships] == [
        ("hs", "MEMBER_OF", "al"), (YSK, "MEMBER_OF", "al"), ("wp", "BRANCH_OF", "wp-ent"),
        ("hs", "GUIDES", "wp"), ("hs", "GOVERNS", "circle"), ("hs", "LOCATED_IN", "zigong")]
    assert ds.relationships[3]["status"] == "planned"  # 计划
    assert [(f["node"], f["value"], f["qualifier"]) for f in ds.figures] == [
        ("hs", 120, "more_than"), ("al", 3, "exact")]
    assert ds.sources["s1"]["published"] == "2022-03"


@pytest.mark.parametrize(("field", "written", "code"), [
    ("label", "地区", "Region"), ("label", "组织", "Organization"), ("label", "organisation", "Organization"),
    ("label", "Business circle", "BusinessCircle"), ("label", "组织 (Organization)", "Organization"),
    ("kind", "党委", "party_committee"), ("kind", "党支部", "party_branch"), ("kind", "PARTY BRANCH", "party_branch"),
    ("kind", "ｐａｒｔｙ＿ｂｒａｎｃｈ", "party_branch"), ("kind", "两新党委 (two_new_committee)", "two_new_committee"),
    ("type", "指导", "GUIDES"), ("type", "所属企业", "BRANCH_OF"), ("type", "member of", "MEMBER_OF"),
    ("type", "member_of", "MEMBER_OF"), ("qualifier", "余", "more_than"), ("qualifier", "将近", "nearly"),
    ("qualifier", "about", "about"), ("status", "计划", "planned"),
])
def test_every_code_is_accepted_by_its_printed_names(field, written, code):
    assert model.find_code(field, written) == code


def test_a_name_and_a_different_code_in_brackets_is_not_guessed():
    assert model.find_code("label", "地区 (Zone)") is None
    assert model.find_code("kind", "not a kind") is None


def test_no_two_codes_share_a_name():
    for fld in model.CODED_FIELDS:
        seen: dict[str, str] = {}
        for code, (zh, en, others) in model.code_names(fld).items():
            for name in (code, zh, en, *others):
                assert seen.setdefault(model.fold(name), code) == code, (fld, name)


# ---------------------------------------------------------------------------
# Provenance without busywork


NO_SOURCE_BOOK = {
    "地区": [["名称", "别名"], ["自贡市", "自贡"]],
    "组织": [["名称", "组织类别", "地区"], ["甲党委", "党委", "自贡"], ["乙党支部", "党支部", "自贡市"]],
    "关系": [["起点", "关系", "终点", "日期"], ["甲党委", "指导", "乙党支部", "2021年12月"]],
    "数据": [["节点", "指标", "数值"], ["甲党委", "party_members", "45"]],
}
JIA, YI, ZG = sha_id("org", "甲党委"), sha_id("org", "乙党支部"), sha_id("region", "自贡市")


def test_rows_without_source_cite_their_file_sheet_and_row(tmp_path):
    book = workbook(tmp_path / "台账.xlsx", NO_SOURCE_BOOK)
    ds = import_source([book], today="2026-11-30").dataset
    sid = import_source_id(str(book))
    assert sid == sha_id("import", "台账.xlsx")
    assert ds.sources == {sid: {"id": sid, "title": "台账.xlsx", "publisher": "", "published": "",
                                "file": "台账.xlsx", "paragraphs": "", "imported": "2026-11-30"}}
    assert {n: (d["source"], d["source_sheet"], d["source_row"], d["paragraphs"]) for n, d in ds.nodes.items()} == {
        ZG: (sid, "地区", 2, []), JIA: (sid, "组织", 2, []), YI: (sid, "组织", 3, [])}
    [rel] = ds.relationships
    assert (rel["start"], rel["type"], rel["end"], rel["source_sheet"], rel["source_row"]) == (
        JIA, "GUIDES", YI, "关系", 2)
    assert (ds.figures[0]["source_sheet"], ds.figures[0]["source_row"]) == ("数据", 2)


def test_provenance_is_shown_by_show_and_kept_by_the_dataset_folder(tmp_path):
    book = workbook(tmp_path / "台账.xlsx", NO_SOURCE_BOOK)
    out = tmp_path / "ds"
    runner = CliRunner()
    assert runner.invoke(cli, ["import", str(book), "--out", str(out)]).exit_code == 0
    assert "source_sheet" in (out / "nodes.csv").read_text(encoding="utf-8").splitlines()[0]
    shown = runner.invoke(cli, ["show", "甲党委", "--data", str(out), "--lang", "en"])
    assert shown.exit_code == 0, shown.output
    assert f"  source: 台账.xlsx, sheet 组织, row 2 (imported {TODAY})" in shown.output
    assert f"—GUIDES→ 乙党支部 ({YI}) (2021-12) [台账.xlsx, sheet 关系, row 2 (imported {TODAY})]" in shown.output
    assert f"party_members = 45  —  [台账.xlsx, sheet 数据, row 2 (imported {TODAY})]" in shown.output
    doc = json.loads(runner.invoke(cli, ["show", "乙党支部", "--data", str(out), "--format", "json"]).output)
    assert doc["provenance"] == f"台账.xlsx, sheet 组织, row 3 (imported {TODAY})"
    assert doc["node"]["source_row"] == 3 and doc["source"]["file"] == "台账.xlsx"
    assert doc["ties"][0]["provenance"] == f"台账.xlsx, sheet 关系, row 2 (imported {TODAY})"


def test_csv_rows_without_source_cite_folder_and_file(tmp_path):
    folder = tmp_path / "台账"
    folder.mkdir()
    (folder / "nodes.csv").write_text("label,name,kind\nOrganization,甲党委,党委\n", encoding="gb18030")
    (folder / "relationships.csv").write_text("start,type,end\n", encoding="utf-8")
    ds = import_source([folder], today="2026-11-30").dataset
    node = ds.nodes[JIA]
    assert (node["source_sheet"], node["source_row"]) == ("", 2)
    assert ds.sources[node["source"]]["file"] == "台账/nodes.csv"


def test_a_cited_document_still_needs_its_paragraphs_and_paragraphs_need_a_source(tmp_path):
    book = workbook(tmp_path / "b.xlsx", {
        "来源": [["编号", "标题"], ["s1", "文章"]],
        "组织": [["名称", "组织类别", "来源", "段落"], ["甲党委", "党委", "s1", ""], ["乙党支部", "党支部", "", "3"]],
    })
    got = problems_of(lambda: import_source([book]))
    assert located(got) == [("b.xlsx", "组织", 2, "paragraphs", "no_paragraph"),
                            ("b.xlsx", "组织", 3, "source", "no_source")]


def test_the_bundled_dataset_still_cites_paragraphs(bundled):
    assert all(n["source"] == "zigong-2022" and n["paragraphs"] and "source_row" not in n
               for n in bundled.nodes.values())


@pytest.mark.neo4j
def test_provenance_is_kept_in_neo4j(tmp_path, neo4j_env, neo4j_driver, neo4j_database, clean_neo4j):
    book = workbook(tmp_path / "台账.xlsx", NO_SOURCE_BOOK)
    result = CliRunner().invoke(cli, ["import", str(book), "--neo4j"], env=neo4j_env)
    assert result.exit_code == 0, result.output
    rows, _, _ = neo4j_driver.execute_query(
        "MATCH (n:AlliancesData {id: $id}) MATCH (s:AlliancesSource {id: n.source}) "
        "RETURN n.source_sheet AS sheet, n.source_row AS row, s.file AS file, toString(s.imported) AS imported",
        {"id": YI}, database_=neo4j_database)
    assert [dict(r) for r in rows] == [{"sheet": "组织", "row": 3, "file": "台账.xlsx", "imported": TODAY}]
    rows, _, _ = neo4j_driver.execute_query(
        "MATCH (:AlliancesData)-[r:GUIDES]->(:AlliancesData) RETURN r.source_sheet AS sheet, r.source_row AS row",
        database_=neo4j_database)
    assert [dict(r) for r in rows] == [{"sheet": "关系", "row": 2}]
    shown = CliRunner().invoke(cli, ["show", "乙党支部", "--neo4j", "--lang", "en"], env=neo4j_env)
    assert f"source: 台账.xlsx, sheet 组织, row 3 (imported {TODAY})" in shown.output, shown.output


# ---------------------------------------------------------------------------
# Errors a planner can act on


def test_a_node_that_failed_is_not_reported_again_where_it_is_used(tmp_path):
    # row 2: label Foo; it is named as a start (by name), a figure's node and (by id) an end
    book = workbook(tmp_path / "b.xlsx", {
        "节点": [["编号", "类型", "名称", "组织类别"],
                 ["", "Foo", "甲党委", ""], ["b", "组织", "乙党支部", "党支部"], ["c", "组织", "丙", "xyz"]],
        "关系": [["起点", "关系", "终点"], ["甲党委", "指导", "b"], ["b", "管理", "c"], ["", "指导", "b"]],
        "数据": [["节点", "指标", "数值"], ["甲党委", "members", "3"]],
    })
    got = problems_of(lambda: import_source([book]))
    assert located(got) == [
        ("b.xlsx", "节点", 2, "label", "unknown_label"),
        ("b.xlsx", "节点", 4, "kind", "unknown_kind"),
        ("b.xlsx", "关系", 4, "start", "no_endpoint"),  # a real one: nothing was written there
    ]
    assert str(got[2]).endswith("column start: no start node / 缺少起点 — fix: give the id of the start node / "
                                "填写起点节点的编号或名称")


def test_a_broken_file_is_one_problem_not_one_per_reference(tmp_path):
    folder = csv_folder(tmp_path / "src")
    (folder / "nodes.csv").write_text('id,label,name,source,paragraphs\nzigong,Region,"自贡\n', encoding="utf-8")
    got = problems_of(lambda: read_dataset(folder))
    assert [p.code for p in got] == ["broken_quoting"]
    # and a source with a bad id, cited by every node: only the source row is wrong
    folder = csv_folder(tmp_path / "src2", sources=[{"id": "s 1", "title": "t"}],
                        nodes=[dict(n, source="s 1") for n in NODES], rels=[dict(r, source="s 1") for r in RELS],
                        figs=[])
    got = problems_of(lambda: import_source([folder]))
    assert located(got) == [("sources.csv", None, 2, "id", "invalid_id")]


@pytest.mark.parametrize(("cell", "expected"), [
    ("2021年13月", "'2021-13' is not a date between 1900 and 2100: month 13 does not exist (written '2021年13月')"),
    ("2021-00", "'2021-00' is not a date between 1900 and 2100: month 0 does not exist"),
    ("2021-02-29", "'2021-02-29' is not a date between 1900 and 2100: 2021-02 has no day 29"),
    ("2020年4月31日", "'2020-04-31' is not a date between 1900 and 2100: 2020-04 has no day 31"),
    ("1899", "'1899' is not a date between 1900 and 2100: the year 1899 is outside 1900–2100"),
    ("2021-2-3", "'2021-2-3' is not a date between 1900 and 2100: write month and day with two digits"),
])
def test_a_wrong_date_says_what_is_wrong_with_it(tmp_path, cell, expected):
    book = workbook(tmp_path / "b.xlsx", {"组织": [["名称", "组织类别", "日期"], ["甲党委", "党委", cell]]})
    [p] = problems_of(lambda: import_source([book]))
    assert (p.row, p.field, p.code) == (2, "date", "bad_date")
    assert p.message.startswith(expected), p.message
    assert "日期" in p.message_zh


def test_month_13_is_named_by_validate_too():
    doc = json.loads(CliRunner().invoke(cli, ["validate", str(Path(__file__).parent / "corpus" / "bad" /
                                                               "node_date_month_13" / "dataset"),
                                              "--format", "json"]).output)
    [p] = doc["problems"]
    assert p["message"] == "'2020-13' is not a date between 1900 and 2100: month 13 does not exist"
    assert p["message_zh"] == "'2020-13' 不是 1900—2100 年间的有效日期（没有 13 月）"
    assert p["code"] == "bad_date" and p["params"]["value"] == "2020-13"


@pytest.mark.parametrize(("field", "cell", "hint"), [
    ("组织类别", "party_comittee", "did you mean party_committee (党委)"),
    ("组织类别", "党支", "did you mean party_branch (党支部)"),
    ("类型", "Organisaton", "did you mean Organization (组织)"),
    ("类型", "商团", "did you mean BusinessCircle (商圈)"),
])
def test_did_you_mean_for_a_mistyped_code(tmp_path, field, cell, hint):
    header = ["名称", "类型", "组织类别"]
    row = ["甲党委", "组织", "党委"]
    row[header.index(field)] = cell
    book = workbook(tmp_path / "b.xlsx", {"节点": [header, row]})
    got = problems_of(lambda: import_source([book]))
    assert got[0].fix.startswith(hint), got[0].fix  # the best candidate first
    assert got[0].fix_zh.startswith("是不是 ")


@pytest.mark.parametrize(("end", "hint"), [
    ("乙党支部支部", "did you mean 乙党支部?"),
    ("乙党之部", "did you mean 乙党支部?"),
    ("Yi Party Brnch", "did you mean Yi Party Branch?"),
])
def test_did_you_mean_for_a_mistyped_name(tmp_path, end, hint):
    book = workbook(tmp_path / "b.xlsx", {
        "组织": [["名称", "英文名", "组织类别"], ["甲党委", "", "党委"], ["乙党支部", "Yi Party Branch", "党支部"]],
        "关系": [["起点", "关系", "终点"], ["甲党委", "指导", end]],
    })
    [p] = problems_of(lambda: import_source([book]))
    assert (p.sheet, p.row, p.field, p.code) == ("关系", 2, "end", "unknown_node_name")
    assert p.fix.startswith(hint), p.fix


def test_did_you_mean_in_a_dataset_folder_and_on_the_command_line(tmp_path):
    rels = [dict(RELS[2], start="HS", type="located_in")]
    folder = csv_folder(tmp_path / "src", nodes=[n for n in NODES if n["id"]], rels=rels)
    got = problems_of(lambda: read_dataset(folder))
    assert [(p.field, p.code) for p in got] == [("start", "unknown_node"), ("type", "unknown_type")]
    assert got[0].fix.startswith("did you mean hs?") and got[1].fix.startswith("did you mean LOCATED_IN (位于)?")
    result = CliRunner().invoke(cli, ["show", "自贡华商商圈党支部"])
    assert result.exit_code == 2 and "Did you mean 自贡华商商圈党委" in result.output


def test_unknown_column_suggests_the_right_header(tmp_path):
    book = workbook(tmp_path / "b.xlsx", {"组织": [["名称", "组织类别", "nmae_en"], ["甲党委", "党委", "x"]]})
    [p] = problems_of(lambda: import_source([book]))
    assert (p.row, p.field, p.code) == (1, "nmae_en", "unknown_column")
    assert p.fix.startswith("did you mean name_en?")


def test_duplicate_and_ambiguity_messages_name_rows_not_generated_ids(tmp_path):
    book = workbook(tmp_path / "b.xlsx", {
        "组织": [["名称", "组织类别", "别名"], ["甲党委", "党委", "党委"], ["乙党委", "党委", "党委"],
                 ["甲党委", "党委", ""]],
        "关系": [["起点", "关系", "终点"], ["党委", "指导", "乙党委"], ["甲党委", "指导", "乙党委"],
                 ["甲党委", "指导", "乙党委"]],
    })
    got = problems_of(lambda: import_source([book]))
    by_code = {p.code: p for p in got}
    assert located(got) == [("b.xlsx", "关系", 2, "start", "ambiguous_name"),
                            ("b.xlsx", "组织", 4, "id", "duplicate_id"),
                            ("b.xlsx", "关系", 4, "type", "duplicate_relationship")]
    where = {JIA: f"甲党委 ({tmp_path / 'b.xlsx'}, sheet 组织, row 2)",
             sha_id("org", "乙党委"): f"乙党委 ({tmp_path / 'b.xlsx'}, sheet 组织, row 3)"}
    assert by_code["ambiguous_name"].message == (  # in id order, each shown by its name and row
        "'党委' names several nodes: " + ", ".join(where[k] for k in sorted(where)))
    assert by_code["duplicate_id"].message == (
        f"duplicate id '{JIA}' (first on row 2): both rows are '甲党委' Organization with no id "
        "(the id is made from label and name)")
    assert by_code["duplicate_relationship"].message == "the same GUIDES from 甲党委 to 乙党委 is on row 3"


def test_ids_in_another_case_are_the_same_id_on_import(tmp_path):
    rels = [dict(RELS[0], start="HS", end="AL"), dict(RELS[2], start="Hs", end="ZIGONG")]
    ds = import_source([csv_folder(tmp_path / "src", rels=rels)]).dataset
    assert [(r["start"], r["end"]) for r in ds.relationships] == [("hs", "al"), ("hs", "zigong")]
    result = CliRunner().invoke(cli, ["show", "HUASHANG-COMMITTEE", "--format", "json"])
    assert json.loads(result.output)["node"]["id"] == "huashang-committee"


# ---------------------------------------------------------------------------
# One set of checks: validate and import agree


BAD_NODES = [dict(NODES[0]), dict(NODES[1], paragraphs="x"), dict(NODES[2], kind="xyz", date="2021-13"),
             dict(NODES[4]), dict(NODES[4], name="重复")]
BAD_RELS = [dict(RELS[2], start="zigong", type="MEMBER_OF", end="al"),
            dict(RELS[2], start="al", type="PRODUCED", end="al"),
            dict(RELS[2], start="zigong", type="FOUNDED", end="al", source="s9"),
            dict(RELS[2], start="hs", type="MEMBER_OF", end="al")]


def _bad_folder(tmp_path: Path) -> Path:
    return csv_folder(tmp_path / "src", nodes=BAD_NODES, rels=BAD_RELS, figs=[])


def test_validate_and_import_report_the_same_problems_for_the_same_rows(tmp_path):
    folder = _bad_folder(tmp_path)
    result = CliRunner().invoke(cli, ["validate", str(folder), "--format", "json"])
    assert result.exit_code == 1
    from_validate = [(Path(p["file"]).name, p["row"], p["field"], p["code"], p["message"], p["message_zh"])
                     for p in json.loads(result.output)["problems"]]
    from_import = [(Path(p.file).name, p.row, p.field, p.code, p.message, p.message_zh)
                   for p in problems_of(lambda: import_source([folder]))]
    assert from_validate == from_import
    assert [(f, r, c, code) for f, r, c, code, _, _ in from_validate] == [
        ("nodes.csv", 3, "paragraphs", "bad_paragraph"),
        ("nodes.csv", 4, "kind", "unknown_kind"),
        ("nodes.csv", 4, "date", "bad_date"),
        ("nodes.csv", 6, "id", "duplicate_id"),
        ("relationships.csv", 2, "type", "wrong_endpoints"),  # MEMBER_OF from a Region
        ("relationships.csv", 3, "type", "wrong_endpoints"),  # PRODUCED goes to a Project
        ("relationships.csv", 3, "end", "self_loop"),
        ("relationships.csv", 4, "source", "unknown_source"),
    ]  # row 5 names hs, whose own row (4) failed: not reported again


def test_a_workbook_of_the_same_rows_gives_the_same_problems(tmp_path):
    from tests.test_import import NODE_COLS, REL_COLS, SRC_COLS, SOURCES

    def sheet(rows, cols):
        return [cols] + [[r.get(c, "") for c in cols] for r in rows]

    book = workbook(tmp_path / "same.xlsx", {"来源 Sources": sheet(SOURCES, SRC_COLS),
                                             "节点 Nodes": sheet(BAD_NODES, NODE_COLS),
                                             "关系 Relationships": sheet(BAD_RELS, REL_COLS)})
    from_book = [(p.row, p.field, p.code, p.message) for p in problems_of(lambda: import_source([book]))]
    from_csv = [(p.row, p.field, p.code, p.message)
                for p in problems_of(lambda: import_source([_bad_folder(tmp_path)]))]
    assert from_book == from_csv and len(from_book) == 8


def test_every_problem_code_has_both_languages():
    for code, texts in MESSAGES.items():
        assert len(texts) == 4 and all(texts), code
        assert any("\u4e00" <= ch <= "\u9fff" for ch in texts[1]), code


# ---------------------------------------------------------------------------
# The problem list is never rescanned


class _NoScans(list):
    """A problem list that fails the test if anything reads it back while checking."""

    def __iter__(self):
        raise AssertionError("the problem list was scanned")

    def __contains__(self, item):
        raise AssertionError("the problem list was scanned")

    index = count = __contains__


def test_checks_never_scan_the_problem_list():
    chk = RecordChecker()
    chk.problems = _NoScans()
    chk.check(Record("sources", {"id": "s1", "title": "t"}, "sources.csv", 2))
    n = 2_000
    for i in range(n):  # every row: empty paragraphs, or a wrong one and an empty one
        paras = "" if i % 2 else "x;;"
        chk.check(Record("nodes", {"id": f"n{i}", "label": "Region", "name": f"地{i}", "source": "s1",
                                   "paragraphs": paras}, "nodes.csv", i + 2))
    chk.finish()
    codes = [p.code for p in list.__iter__(chk.problems)]
    assert codes.count("no_paragraph") == n // 2 and codes.count("bad_paragraph") == n // 2
    assert len(codes) == n


def test_map_tooltips_and_the_report_cite_the_imported_row(tmp_path):
    from alliances.render.map import build_map
    from alliances.render.report import build_report

    ds = import_source([workbook(tmp_path / "台账.xlsx", NO_SOURCE_BOOK)], today="2026-11-30").dataset
    m = build_map(None, dataset=ds, lang="en")
    tips = {n["id"]: n["tip"] for n in m["nodes"]}
    assert ["Source", "台账.xlsx, sheet 组织, row 3 (imported 2026-11-30)"] in tips[YI]
    [guides] = [e for e in m["edges"] if e["from"] == JIA and e["to"] == YI]
    assert ["Source", "台账.xlsx, sheet 关系, row 2 (imported 2026-11-30)"] in guides["tip"]
    rep = build_report(ds, lang="en")
    rows = {p["fact"]: p for p in rep["provenance"]}
    assert any(p["source_title"] == "台账.xlsx" and p["row"].startswith("sheet ") for p in rows.values())


@pytest.mark.parametrize("via", ["成员", "member of", "MEMBER_OF", "成员 (MEMBER_OF)"])
def test_path_via_takes_a_type_by_its_printed_names(via):
    result = CliRunner().invoke(cli, ["path", "huashang-committee", "yanshikou-committee", "--via", via,
                                      "--format", "json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.output)
    assert doc["via"] == ["MEMBER_OF"]
    assert {r["type"] for p in doc["paths"] for r in p["relationships"]} == {"MEMBER_OF"}


def test_validate_checks_a_workbook_as_import_does(tmp_path):
    good = workbook(tmp_path / "good.xlsx", NO_SOURCE_BOOK)
    result = CliRunner().invoke(cli, ["validate", str(good)])
    assert result.exit_code == 0, result.output
    assert "3 nodes, 1 relationships, 1 figures" in result.output
    bad = workbook(tmp_path / "bad.xlsx", {"组织": [["名称", "组织类别", "日期"], ["甲党委", "xyz", "2021年13月"]]})
    result = CliRunner().invoke(cli, ["validate", str(bad), "--format", "json"])
    assert result.exit_code == 1
    from_validate = [(p["sheet"], p["row"], p["field"], p["code"], p["message"])
                     for p in json.loads(result.output)["problems"]]
    from_import = [(p.sheet, p.row, p.field, p.code, p.message) for p in problems_of(lambda: import_source([bad]))]
    assert from_validate == from_import and [c for _, _, _, c, _ in from_validate] == ["unknown_kind", "bad_date"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.xlsx", "good.xlsx"]  # nothing written


def test_other_modules_add_field_checks_with_their_own_codes(tmp_path, monkeypatch):
    from alliances import dataset, errors

    def check_code(chk, rec, value):
        if len(value) != 18:
            chk.add("bad_credit_code", rec, "credit_code", value=value)
            return None
        return value.upper()

    monkeypatch.setitem(dataset.FIELD_CHECKS, ("nodes", "credit_code"), check_code)
    monkeypatch.setitem(errors.MESSAGES, "bad_credit_code", ("{value!r} is not 18 characters", "{value!r} 不是 18 位",
                                                             "copy it from the licence", "从营业执照抄写"))
    chk = RecordChecker()
    chk.check(Record("sources", {"id": "s1", "title": "t"}, "sources.csv", 2))
    for i, code in enumerate(["91510300ma62abcd1x", "123"]):
        chk.check(Record("nodes", {"id": f"o{i}", "label": "Organization", "name": f"企业{i}", "kind": "enterprise",
                                   "credit_code": code, "source": "s1", "paragraphs": "1"}, "nodes.csv", i + 2))
    [p] = chk.finish()
    assert (p.row, p.field, p.code, p.message_zh) == (3, "credit_code", "bad_credit_code", "'123' 不是 18 位")
    assert chk.dataset.nodes["o0"]["credit_code"] == "91510300MA62ABCD1X" and "o1" not in chk.dataset.nodes


def test_an_imported_dataset_goes_out_to_a_workbook_and_back_unchanged(tmp_path):
    from alliances.io.template import write_workbook

    ds = import_source([workbook(tmp_path / "台账.xlsx", NO_SOURCE_BOOK)], today="2026-11-30").dataset
    again = import_source([write_workbook(tmp_path / "export.xlsx", ds)], today="2026-12-25").dataset
    assert again.nodes == ds.nodes and again.relationships == ds.relationships
    assert again.figures == ds.figures and again.sources == ds.sources  # still imported 2026-11-30
