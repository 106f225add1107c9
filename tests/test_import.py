"""Importing workbooks and CSVs the way planners save them.

The expected datasets below are worked out by hand from the rows written in
each test: the rules are those of ``alliances/normalize.py`` (documented in
docs/dataset-format.md, "Data in and out").
"""

from __future__ import annotations

import csv
import datetime
import hashlib
import io
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from alliances.cli import cli
from alliances.io.importer import import_source
from alliances.io.template import label_sheet, write_workbook
from tests.conftest import run_cli

CORPUS = Path(__file__).parent / "corpus" / "import"

SOURCES = [{"id": "s1", "title": "测试文章", "publisher": "自贡网", "published": "2022-03"}]
NODES = [
    {"id": "zigong", "label": "Region", "name": "自贡市", "name_en": "Zigong", "aliases": "自贡",
     "source": "s1", "paragraphs": "1"},
    {"id": "chengdu", "label": "Region", "name": "成都市", "aliases": "成都", "source": "s1", "paragraphs": "1"},
    {"id": "hs", "label": "Organization", "name": "自贡华商商圈党委", "kind": "party_committee",
     "region": "zigong", "aliases": "华商商圈党委", "date": "2019-05", "source": "s1", "paragraphs": "2;3"},
    # no id: derived from label + name; region given by name
    {"id": "", "label": "Organization", "name": "成都盐市口商圈综合党委", "kind": "comprehensive_committee",
     "region": "成都市", "source": "s1", "paragraphs": "3"},
    {"id": "al", "label": "Alliance", "name": "自贡华商、成都盐市口商圈党建联盟", "date": "2020",
     "source": "s1", "paragraphs": "3"},
]
RELS = [
    {"start": "华商商圈党委", "type": "MEMBER_OF", "end": "al", "source": "s1", "paragraphs": "3"},  # by alias
    {"start": "成都盐市口商圈综合党委", "type": "MEMBER_OF", "end": "al", "role": "发起方",
     "source": "s1", "paragraphs": "3"},  # by name
    {"start": "hs", "type": "LOCATED_IN", "end": "zigong", "source": "s1", "paragraphs": "2"},
]
FIGS = [{"node": "hs", "key": "party_members", "value": "120", "qualifier": "more_than", "unit": "members",
         "label_zh": "党员", "source": "s1", "paragraphs": "2"}]

# The id rule: "org-" + the first 10 hex digits of sha1 of the (NFKC) name.
YSK = "org-" + hashlib.sha1("成都盐市口商圈综合党委".encode()).hexdigest()[:10]


def check_expected(ds):
    assert set(ds.nodes) == {"zigong", "chengdu", "hs", YSK, "al"}
    assert ds.nodes[YSK]["region"] == "chengdu"
    assert ds.nodes[YSK]["kind"] == "comprehensive_committee"
    assert ds.nodes["hs"]["aliases"] == ["华商商圈党委"]
    assert ds.nodes["hs"]["paragraphs"] == [2, 3]
    assert ds.nodes["al"]["date"] == "2020"
    assert [(r["start"], r["type"], r["end"]) for r in ds.relationships] == [
        ("hs", "MEMBER_OF", "al"), (YSK, "MEMBER_OF", "al"), ("hs", "LOCATED_IN", "zigong")]
    assert ds.relationships[1]["role"] == "发起方"
    assert ds.figures[0]["value"] == 120 and ds.figures[0]["qualifier"] == "more_than"
    assert ds.sources["s1"]["title"] == "测试文章"


# ---------------------------------------------------------------------------
# Builders


def header_map(ws) -> dict[str, int]:
    """prop name → column number, from the template's "中文 english" header."""
    return {str(c.value).split(" ")[-1]: c.column for c in ws[1] if c.value}


def put(ws, row: int, values: dict) -> None:
    cols = header_map(ws)
    for k, v in values.items():
        if k in cols:
            ws.cell(row, cols[k], v)


def fill_template(path: Path, nodes=NODES, rels=RELS, figs=FIGS, sources=SOURCES) -> Path:
    write_workbook(path)
    wb = openpyxl.load_workbook(path)
    nxt: dict[str, int] = {}
    for n in nodes:
        title = label_sheet(n["label"])
        r = nxt.get(title, 3)
        put(wb[title], r, {k: v for k, v in n.items() if k != "label"})
        nxt[title] = r + 1
    for title, rows in (("关系 Relationships", rels), ("数据 Figures", figs), ("来源 Sources", sources)):
        for i, row in enumerate(rows, start=3):
            put(wb[title], i, row)
    wb.save(path)
    return path


def write_csv(path: Path, rows: list[dict], columns: list[str], encoding: str = "utf-8") -> Path:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(columns)
    for r in rows:
        w.writerow([r.get(c, "") for c in columns])
    path.write_bytes(buf.getvalue().encode(encoding))
    return path


NODE_COLS = ["id", "label", "name", "name_en", "kind", "region", "date", "aliases", "source", "paragraphs"]
REL_COLS = ["start", "type", "end", "role", "source", "paragraphs"]
FIG_COLS = ["node", "key", "value", "qualifier", "unit", "label_zh", "source", "paragraphs"]
SRC_COLS = ["id", "title", "publisher", "published"]


def csv_folder(folder: Path, encoding: str = "utf-8", nodes=NODES, rels=RELS, figs=FIGS, sources=SOURCES) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    write_csv(folder / "sources.csv", sources, SRC_COLS, encoding)
    write_csv(folder / "nodes.csv", nodes, NODE_COLS, encoding)
    write_csv(folder / "relationships.csv", rels, REL_COLS, encoding)
    write_csv(folder / "figures.csv", figs, FIG_COLS, encoding)
    return folder


def same(a, b):
    assert a.nodes == b.nodes
    assert a.relationships == b.relationships
    assert a.figures == b.figures
    assert a.sources == b.sources


# ---------------------------------------------------------------------------
# Clean imports


def test_filled_template_with_chinese_rows_imports_cleanly(tmp_path):
    book = fill_template(tmp_path / "book.xlsx")
    out = tmp_path / "ds"
    result = CliRunner().invoke(cli, ["import", str(book), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "Wrote" in result.output and "5 nodes, 3 relationships, 1 figures, 1 sources" in result.output
    from alliances.dataset import read_dataset

    check_expected(read_dataset(out))


@pytest.mark.parametrize("encoding", ["gb18030", "gbk", "utf-8-sig", "utf-8"])
def test_same_rows_as_csv_import_identically(tmp_path, encoding):
    from_book = import_source([fill_template(tmp_path / "book.xlsx")]).dataset
    from_csv = import_source([csv_folder(tmp_path / "csv", encoding)]).dataset
    check_expected(from_csv)
    same(from_book, from_csv)


def test_gbk_bytes_really_are_not_utf8(tmp_path):
    folder = csv_folder(tmp_path / "csv", "gbk")
    data = (folder / "nodes.csv").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    assert "自贡市".encode("gbk") in data


def test_nodes_relationships_pair_with_sources_beside(tmp_path):
    folder = csv_folder(tmp_path / "csv", "gb18030")
    (folder / "nodes.csv").rename(folder / "机构.csv")
    (folder / "relationships.csv").rename(folder / "联系.csv")
    ds = import_source([folder / "机构.csv", folder / "联系.csv"]).dataset
    check_expected(ds)


def test_per_label_csv_files_like_the_sheets(tmp_path):
    folder = tmp_path / "labels"
    folder.mkdir()
    by_label: dict[str, list] = {}
    for n in NODES:
        by_label.setdefault(n["label"], []).append(n)
    for label, rows in by_label.items():
        cols = [c for c in NODE_COLS if c != "label"]
        # headers written the template's way: "中文 english"
        from alliances import model

        zh = {p.name: p.zh for p in model.NODE_PROPS}
        buf = io.StringIO()
        w = csv.writer(buf)
        w.writerow([f"{zh[c]} {c}" for c in cols])
        for r in rows:
            w.writerow([r.get(c, "") for c in cols])
        (folder / f"{model.LABELS[label].zh} {label}.csv").write_bytes(buf.getvalue().encode("gb18030"))
    write_csv(folder / "关系.csv", RELS, REL_COLS, "utf-8-sig")
    write_csv(folder / "数据.csv", FIGS, FIG_COLS)
    write_csv(folder / "来源.csv", SOURCES, SRC_COLS)
    check_expected(import_source([folder]).dataset)


def test_excel_quirks_dates_serials_merged_text_numbers_spaces(tmp_path):
    path = tmp_path / "quirks.xlsx"
    write_workbook(path)
    wb = openpyxl.load_workbook(path)
    org = wb[label_sheet("Organization")]
    put(org, 3, {"id": "ｈｓ ", "name": " 自贡华商商圈党委\u3000", "kind": " party_committee\u3000",
                 "date": datetime.datetime(2019, 5, 1), "paragraphs": 2, "source": "s1",
                 "name_en": "Huashang （Zigong）"})
    put(org, 4, {"id": "weipeng", "name": "威鹏电缆(自贡)党支部", "kind": "party_branch",
                 "date": 44621, "paragraphs": "２；３"})
    put(org, 5, {"id": "haichuan", "name": "海川实业", "kind": "enterprise", "date": "2022/3/5",
                 "paragraphs": 4.0})
    cols = header_map(org)
    # source merged down over rows 3–5: only the top cell holds a value
    org.merge_cells(start_row=3, start_column=cols["source"], end_row=5, end_column=cols["source"])
    al = wb[label_sheet("Alliance")]
    put(al, 3, {"id": "al", "name": "党建联盟", "date": 2020, "source": "s1", "paragraphs": "3"})
    figs = wb["数据 Figures"]
    put(figs, 3, {"node": "hs", "key": "party_members", "value": "1,200", "source": "s1", "paragraphs": "2"})
    src = wb["来源 Sources"]
    put(src, 3, {"id": "s1", "title": "测试", "published": datetime.date(2022, 3, 1)})
    wb.save(path)

    ds = import_source([path]).dataset
    hs = ds.nodes["hs"]  # full-width id and spaces cleaned
    assert hs["name"] == "自贡华商商圈党委"
    assert hs["kind"] == "party_committee"
    assert hs["date"] == "2019-05-01"  # a date cell
    assert hs["name_en"] == "Huashang (Zigong)"  # English names: half-width brackets
    assert hs["paragraphs"] == [2]  # a number cell
    wp = ds.nodes["weipeng"]
    # serial 44621: 44562 is 2022-01-01, + 59 days (31 Jan + 28 Feb) = 2022-03-01
    assert wp["date"] == "2022-03-01"
    assert wp["name"] == "威鹏电缆（自贡）党支部"  # Chinese names: full-width brackets
    assert wp["paragraphs"] == [2, 3]  # full-width digits and semicolon
    assert ds.nodes["haichuan"]["date"] == "2022-03-05"
    assert ds.nodes["haichuan"]["paragraphs"] == [4]
    assert {n["source"] for n in ds.nodes.values()} == {"s1"}  # merged cell filled down
    assert ds.nodes["al"]["date"] == "2020"  # a whole number 1900–2100 in a date column is a year
    assert ds.figures[0]["value"] == 1200
    assert ds.sources["s1"]["published"] == "2022-03-01"


def test_merged_cells_fill_right(tmp_path):
    path = tmp_path / "m.xlsx"
    write_workbook(path)
    wb = openpyxl.load_workbook(path)
    reg = wb[label_sheet("Region")]
    cols = header_map(reg)
    put(reg, 3, {"id": "zigong", "name": "自贡市", "source": "s1", "paragraphs": "1"})
    # name and name_en merged across: both get 自贡市
    reg.merge_cells(start_row=3, start_column=cols["name"], end_row=3, end_column=cols["name_en"])
    put(wb["来源 Sources"], 3, {"id": "s1", "title": "t"})
    wb.save(path)
    ds = import_source([path]).dataset
    assert ds.nodes["zigong"]["name"] == "自贡市" and ds.nodes["zigong"]["name_en"] == "自贡市"


# ---------------------------------------------------------------------------
# Probable duplicates: warned about, never merged, never doubled silently


def test_city_prefix_duplicates_are_reported_not_merged(tmp_path):
    nodes = NODES + [
        {"id": "hs-short", "label": "Organization", "name": "华商商圈党委 ", "kind": "party_committee",
         "source": "s1", "paragraphs": "2"},
        {"id": "b1", "label": "Organization", "name": "ＡＢＣ党支部", "kind": "party_branch",
         "source": "s1", "paragraphs": "2"},
        {"id": "b2", "label": "Organization", "name": "ABC党支部", "kind": "party_branch",
         "source": "s1", "paragraphs": "2"},
    ]
    nodes[2] = dict(nodes[2], aliases="")  # the long row no longer lists the short name
    rels = [dict(RELS[0], start="hs")] + RELS[1:]
    folder = csv_folder(tmp_path / "csv", nodes=nodes, rels=rels)
    result = CliRunner().invoke(cli, ["import", str(folder), "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    warnings = [line for line in result.output.splitlines() if line.startswith("Warning: probable duplicate")]
    assert len(warnings) == 2
    hs_warn = next(w for w in warnings if "华商" in w)
    # both rows named with their place, and the fix
    assert "'自贡华商商圈党委'" in hs_warn and "row 4" in hs_warn
    assert "'华商商圈党委'" in hs_warn and "row 7" in hs_warn
    assert "merge the rows" in hs_warn and "aliases" in hs_warn and "别名" in hs_warn
    abc = next(w for w in warnings if "ABC" in w)
    assert "row 8" in abc and "row 9" in abc
    from alliances.dataset import read_dataset

    ds = read_dataset(tmp_path / "out")
    assert {"hs", "hs-short", "b1", "b2"} <= set(ds.nodes)  # kept, not merged
    assert ds.nodes["b1"]["name"] == "ABC党支部"  # full-width letters made half-width


def test_two_rows_without_ids_and_the_same_name_are_a_duplicate_id(tmp_path):
    nodes = NODES + [dict(NODES[3])]  # the id-less row twice
    folder = csv_folder(tmp_path / "csv", nodes=nodes)
    result = CliRunner().invoke(cli, ["import", str(folder), "--out", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert f"nodes.csv, row 7, column id: duplicate id '{YSK}' (first on row 5)" in result.output
    assert not (tmp_path / "out").exists()


# ---------------------------------------------------------------------------
# --skip-invalid


def test_skip_invalid_writes_the_valid_rows_and_a_report(tmp_path):
    nodes = [dict(n) for n in NODES]
    nodes[3]["kind"] = "xyz"  # row 5: the id-less organisation
    folder = csv_folder(tmp_path / "csv", nodes=nodes)
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["import", str(folder), "--out", str(out), "--skip-invalid"])
    assert result.exit_code == 0, result.output
    from alliances.dataset import read_dataset

    ds = read_dataset(out)
    assert YSK not in ds.nodes and len(ds.nodes) == 4
    # its membership can no longer point anywhere, so it is skipped too
    assert [(r["start"], r["end"]) for r in ds.relationships] == [("hs", "al"), ("hs", "zigong")]
    with open(out / "skipped.csv", encoding="utf-8") as fh:
        report = list(csv.DictReader(fh))
    assert [(Path(r["file"]).name, r["row"], r["column"]) for r in report] == [
        ("nodes.csv", "5", "kind"), ("relationships.csv", "3", "start")]
    assert "unknown kind 'xyz'" in report[0]["message"] and "未知的组织类别" in report[0]["message"]


# ---------------------------------------------------------------------------
# The broken-file corpus: every error at once, located, bilingual, nothing written


def _nodes_with(row: int, **changes):
    nodes = [dict(n) for n in NODES]
    nodes[row - 2].update(changes)
    return nodes


def _rels_with(row: int, **changes):
    rels = [dict(r) for r in RELS]
    rels[row - 2].update(changes)
    return rels


def _folder(**kw):
    return lambda tmp: csv_folder(tmp / "src", **kw)


def _raw(name: str, data: bytes, **kw):
    def build(tmp):
        folder = csv_folder(tmp / "src", **kw)
        (folder / name).write_bytes(data)
        return folder
    return build


def _corpus(name):
    return lambda tmp: CORPUS / name


def _book(change):
    def build(tmp):
        path = fill_template(tmp / "book.xlsx")
        wb = openpyxl.load_workbook(path)
        change(wb)
        wb.save(path)
        return path
    return build


def _rename_sheet(wb):
    wb["数据 Figures"].title = "备注"


def _org_kind(wb):
    put(wb[label_sheet("Organization")], 4, {"kind": "xyz"})


def _bad_date_cell(wb):
    put(wb[label_sheet("Alliance")], 3, {"date": "2022年13月"})


def _missing_name_col(wb):
    ws = wb[label_sheet("Region")]
    ws.delete_cols(header_map(ws)["name"])


def _gbk_forced(tmp):
    return csv_folder(tmp / "src", "gbk")


CASES = [
    # (case id, builder, extra args, expected substrings)
    ("unknown-kind", _folder(nodes=_nodes_with(5, kind="xyz")), [],
     ["nodes.csv, row 5, column kind: unknown kind 'xyz' / 未知的组织类别 'xyz'"]),
    ("unknown-label", _folder(nodes=_nodes_with(6, label="Foo")), [],
     ["nodes.csv, row 6, column label: unknown label 'Foo' / 未知的节点类型"]),
    ("unknown-type", _folder(rels=_rels_with(2, type="LIKES")), [],
     ["relationships.csv, row 2, column type: unknown relationship type 'LIKES' / 未知的关系类型"]),
    ("dangling-reference", _folder(rels=_rels_with(3, start="nobody")), [],
     ["relationships.csv, row 3, column start: 'nobody' is not the id, name or alias of a node"]),
    ("duplicate-id", _folder(nodes=_nodes_with(6, id="hs")), [],
     ["nodes.csv, row 6, column id: duplicate id 'hs' (first on row 4) / 编号 'hs' 重复"]),
    ("bad-date", _folder(nodes=_nodes_with(4, date="2022-13-01")), [],
     ["nodes.csv, row 4, column date: '2022-13-01' is not a date"]),
    ("bad-paragraph", _folder(rels=_rels_with(4, paragraphs="x")), [],
     ["relationships.csv, row 4, column paragraphs: 'x' is not a paragraph number / 'x' 不是段落编号"]),
    ("missing-required-column", _raw("nodes.csv", "id,label,kind,source,paragraphs\nzigong,Region,,s1,1\n".encode()),
     [], ["nodes.csv, row 1, column name: required column is missing / 缺少必填列“名称”"]),
    ("unknown-column", _raw("sources.csv", "id,title,colour\ns1,t,red\n".encode()), [],
     ["sources.csv, row 1, column colour: unknown column 'colour' / 未知的列"]),
    ("header-only", _raw("nodes.csv", ",".join(NODE_COLS).encode() + b"\n"), [],
     ["no nodes found (only headers or example rows) / 没有找到任何节点"]),
    ("empty-csv", _raw("nodes.csv", b""), [], ["nodes.csv: the file is empty / 文件是空的"]),
    ("wrong-endpoints", _folder(rels=_rels_with(4, end="al")), [],
     ["relationships.csv, row 4, column type: LOCATED_IN cannot go from a Organization to a Alliance"]),
    ("unknown-source", _folder(nodes=_nodes_with(2, source="s9")), [],
     ["nodes.csv, row 2, column source: unknown source 's9' / 未知的来源 's9'"]),
    ("organization-without-kind", _folder(nodes=_nodes_with(4, kind="")), [],
     ["nodes.csv, row 4, column kind: an Organization needs a kind / 组织必须填写组织类别"]),
    ("kind-on-alliance", _folder(nodes=_nodes_with(6, kind="enterprise")), [],
     ["nodes.csv, row 6, column kind: only an Organization or a Region has a kind (this is a Alliance)"]),
    ("duplicate-relationship", _folder(rels=RELS + [RELS[2]]), [],
     ["relationships.csv, row 5, column type: the same LOCATED_IN from hs to zigong is on row 4"]),
    ("region-not-a-region", _folder(nodes=_nodes_with(5, region="al")), [],
     ["nodes.csv, row 5, column region: 'al' is not the id of a Region node / 'al' 不是地区表中的编号"]),
    ("broken-quoting", _raw("sources.csv", 'id,title\ns1,"unclosed\n'.encode()), [],
     ["sources.csv", "broken CSV quoting"]),
    ("wrong-encoding-forced", _gbk_forced, ["--encoding", "utf-8"], ["cannot be read as utf-8"]),
    ("extra-values", _raw("sources.csv", "id,title\ns1,t,extra\n".encode()), [],
     ["sources.csv, row 2: 1 more value(s) than the header has columns / 数值个数多于表头列数"]),
    ("ambiguous-name", _folder(nodes=_nodes_with(6, aliases="华商商圈党委")), [],
     ["relationships.csv, row 2, column start: '华商商圈党委' names several nodes: al, hs"]),
    ("invalid-id", _folder(nodes=_nodes_with(6, id="a b")), [],
     ["nodes.csv, row 6, column id: 'a b' is not a valid id"]),
    ("no-paragraph", _folder(nodes=_nodes_with(2, paragraphs="")), [],
     ["nodes.csv, row 2, column paragraphs: no paragraph given / 缺少段落编号"]),
    ("figure-not-a-number", _folder(figs=[dict(FIGS[0], value="abc")]), [],
     ["figures.csv, row 2, column value: 'abc' is not a number / 'abc' 不是数字"]),
    ("figure-unknown-qualifier", _folder(figs=[dict(FIGS[0], qualifier="roughly")]), [],
     ["figures.csv, row 2, column qualifier: unknown qualifier 'roughly'"]),
    ("self-loop", _folder(rels=_rels_with(2, type="GUIDES", start="hs", end="hs")), [],
     ["relationships.csv, row 2, column end: a relationship from a node to itself"]),
    ("no-sources", _raw("sources.csv", b"id,title\n"), [],
     ["no sources found (only headers or example rows) / 没有找到任何来源"]),
    ("truncated-xlsx", _corpus("truncated.xlsx"), [],
     ["truncated.xlsx: cannot be opened as an .xlsx workbook", "无法作为 .xlsx 工作簿打开"]),
    ("xlsx-that-is-csv", _corpus("really-a-csv.xlsx"), [],
     ["really-a-csv.xlsx: is not an Excel .xlsx workbook (it looks like a text/CSV file)"]),
    ("empty-xlsx", _corpus("empty.xlsx"), [], ["empty.xlsx: the file is empty / 文件是空的"]),
    ("xlsx-unknown-kind", _book(_org_kind), [],
     ["book.xlsx, sheet 组织 Organization, row 4, column kind: unknown kind 'xyz' / 未知的组织类别"]),
    ("xlsx-unknown-sheet", _book(_rename_sheet), [],
     ["book.xlsx, sheet 备注: unknown sheet '备注' / 无法识别的工作表"]),
    ("xlsx-bad-date-text", _book(_bad_date_cell), [],
     ["book.xlsx, sheet 联盟 Alliance, row 3, column date: '2022-13' is not a date"]),
    ("xlsx-missing-required-column", _book(_missing_name_col), [],
     ["book.xlsx, sheet 地区 Region, row 1, column name: required column is missing"]),
    ("single-csv", lambda tmp: csv_folder(tmp / "src") / "nodes.csv", [],
     ["a single CSV is not a dataset"]),
    ("no-such-path", lambda tmp: tmp / "missing.xlsx", [], ["no such file or folder"]),
]


def test_the_corpus_has_at_least_25_cases():
    assert len(CASES) >= 25
    assert len({c[0] for c in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_broken_input_is_reported_and_nothing_written(tmp_path, case):
    _, build, extra, expected = case
    src = build(tmp_path)
    out = tmp_path / "out"
    before = sorted(p.name for p in tmp_path.iterdir())
    result = CliRunner().invoke(cli, ["import", str(src), "--out", str(out), *extra])
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert isinstance(result.exception, SystemExit)  # a clean exit, not an uncaught error
    for text in expected:
        assert text in result.output, f"{text!r} not in:\n{result.output}"
    assert not out.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == before  # no temporary folder left either


def test_every_error_at_once(tmp_path):
    nodes = _nodes_with(5, kind="xyz")
    nodes[4]["label"] = "Foo"
    folder = csv_folder(tmp_path / "src", nodes=nodes, rels=_rels_with(4, type="LIKES"))
    result = CliRunner().invoke(cli, ["import", str(folder), "--out", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert "problems found; nothing was written" in result.output
    assert "row 5, column kind" in result.output
    assert "row 6, column label" in result.output
    assert "row 4, column type" in result.output


def test_import_as_a_subprocess_under_lang_c(tmp_path):
    folder = csv_folder(tmp_path / "src", "gb18030")
    proc = run_cli("import", str(folder), "--out", str(tmp_path / "ds"), env={"LANG": "C", "LC_ALL": "C"})
    assert proc.returncode == 0, proc.stderr.decode()
    from alliances.dataset import read_dataset

    check_expected(read_dataset(tmp_path / "ds"))
    bad = csv_folder(tmp_path / "bad", nodes=_nodes_with(5, kind="xyz"))
    proc = run_cli("import", str(bad), "--out", str(tmp_path / "ds2"), env={"LANG": "C", "LC_ALL": "C"})
    assert proc.returncode == 1
    err = proc.stderr.decode("utf-8", "replace")
    assert "row 5, column kind: unknown kind 'xyz'" in err and "Traceback" not in err
    assert not (tmp_path / "ds2").exists()


def test_import_needs_a_destination(tmp_path):
    result = CliRunner().invoke(cli, ["import", str(csv_folder(tmp_path / "src"))])
    assert result.exit_code == 2 and "--out" in result.output


@pytest.mark.neo4j
def test_import_straight_into_neo4j(tmp_path, neo4j_env, neo4j_driver, neo4j_database, clean_neo4j):
    folder = csv_folder(tmp_path / "src", "gb18030")
    result = CliRunner().invoke(cli, ["import", str(folder), "--neo4j"], env=neo4j_env)
    assert result.exit_code == 0, result.output
    assert "Loaded into Neo4j" in result.output
    rows, _, _ = neo4j_driver.execute_query(
        "MATCH (n:AlliancesData) RETURN n.id AS id, n.region AS region", database_=neo4j_database)
    got = {r["id"]: r["region"] for r in rows}
    assert set(got) == {"zigong", "chengdu", "hs", YSK, "al"}
    assert got[YSK] == "chengdu"
    rows, _, _ = neo4j_driver.execute_query(
        "MATCH (a:AlliancesData)-[r]->(b:AlliancesData) RETURN a.id AS s, type(r) AS t, b.id AS e", database_=neo4j_database)
    assert sorted((r["s"], r["t"], r["e"]) for r in rows) == sorted(
        [("hs", "MEMBER_OF", "al"), (YSK, "MEMBER_OF", "al"), ("hs", "LOCATED_IN", "zigong")])


@pytest.mark.parametrize("cell, date, expected", [
    ("  自贡市海川实业有限公司\u3000", False, "自贡市海川实业有限公司"),
    (44256, True, "2021-03-01"),  # an Excel date serial in a date column
    (2021, True, "2021"),  # a year, not a serial
    ("２０２１年３月", True, "2021-03"),
    (4.0, False, "4"),
    (datetime.datetime(2021, 3, 5, 12, 0), True, "2021-03-05"),
])
def test_the_registry_cleans_cells_with_the_importers_rules(cell, date, expected):
    from alliances.normalize import cell_text
    from alliances.registry.records import _text

    assert _text(cell, date=date) == expected == cell_text(cell, "date" if date else "")
