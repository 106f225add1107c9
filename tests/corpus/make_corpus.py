"""Write the malformed-dataset corpus under ``tests/corpus/bad/``.

Each case is a folder ``bad/<case>/`` holding

* ``dataset`` — the input: a dataset folder (usually), a plain file where a
  folder is expected, or absent (a path that does not exist);
* ``expected.txt`` — one substring per line that ``alliances validate`` and
  ``alliances load`` must print (file, row and column as the message names
  them, and what is wrong).

Every case starts from one small valid dataset (``BASE``, checked by
``tests/test_bad_input.py``) and breaks exactly one thing, so the expected
message follows from the change. Run ``python tests/corpus/make_corpus.py`` to
regenerate; the output is deterministic and committed.
"""

from __future__ import annotations

import copy
import csv
import io
import random
import shutil
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "bad"

# A small valid dataset. Rows are numbered as a spreadsheet shows them: the
# header is row 1, so the first data row is row 2.
BASE: dict[str, list[list[str]]] = {
    "sources": [
        ["id", "title", "publisher", "published", "file", "paragraphs"],
        ["s1", "测试来源 Test source", "Publisher", "2022-03", "", ""],  # row 2
    ],
    "nodes": [
        ["id", "label", "name", "name_en", "kind", "region", "date", "date_note", "status", "aliases",
         "description", "source", "paragraphs"],
        ["zigong", "Region", "自贡市", "Zigong", "", "", "", "", "", "自贡", "City", "s1", "1"],  # row 2
        ["chengdu", "Region", "成都市", "Chengdu", "", "", "", "", "", "成都", "City", "s1", "1"],  # row 3
        ["org-a", "Organization", "甲党委", "Org A", "party_committee", "zigong", "2020", "", "", "",
         "A committee", "s1", "2"],  # row 4
        ["org-b", "Organization", "乙企业", "Org B", "enterprise", "chengdu", "2019-06", "", "", "乙",
         "An enterprise", "s1", "2;3"],  # row 5
        ["alliance-1", "Alliance", "联盟", "Alliance One", "", "zigong", "2021-05-01", "", "", "",
         "An alliance", "s1", "3"],  # row 6
    ],
    "relationships": [
        ["start", "type", "end", "role", "date", "date_note", "status", "source", "paragraphs"],
        ["org-a", "LOCATED_IN", "zigong", "", "", "", "", "s1", "2"],  # row 2
        ["org-b", "LOCATED_IN", "chengdu", "", "", "", "", "s1", "2"],  # row 3
        ["org-a", "MEMBER_OF", "alliance-1", "secretary", "2021", "", "", "s1", "3"],  # row 4
        ["org-b", "MEMBER_OF", "alliance-1", "", "", "", "", "s1", "3"],  # row 5
        ["org-a", "FOUNDED", "alliance-1", "", "2021-05", "", "", "s1", "3"],  # row 6
    ],
    "figures": [
        ["node", "key", "value", "qualifier", "unit", "label_zh", "label_en", "source", "paragraphs"],
        ["org-a", "party_members", "120", "more_than", "members", "党员", "party members", "s1", "2"],  # row 2
        ["org-b", "employees", "3,500", "exact", "people", "职工", "employees", "s1", "3"],  # row 3
    ],
}
FILES = {"sources": "sources.csv", "nodes": "nodes.csv", "relationships": "relationships.csv",
         "figures": "figures.csv"}
COL = {kind: {name: i for i, name in enumerate(rows[0])} for kind, rows in BASE.items()}

CASES: dict[str, tuple] = {}  # name -> (builder, expected substrings)


def csv_bytes(rows: list[list[str]]) -> bytes:
    buf = io.StringIO(newline="")
    csv.writer(buf, lineterminator="\n").writerows(rows)
    return buf.getvalue().encode("utf-8")


def write_tables(folder: Path, tables: dict, raw: dict | None = None) -> None:
    folder.mkdir(parents=True)
    for kind, rows in tables.items():
        if rows is None:
            continue
        (folder / FILES[kind]).write_bytes(csv_bytes(rows))
    for fname, data in (raw or {}).items():
        target = folder / fname
        if data is None:
            target.unlink(missing_ok=True)
        elif isinstance(data, Path):  # a directory where a file should be
            target.unlink(missing_ok=True)
            target.mkdir()
            (target / "README").write_text("a folder, not a CSV file\n", encoding="utf-8")
        else:
            target.write_bytes(data)


def case(name: str, *expected: str):
    """Register a case built from BASE by ``fn(tables) -> raw-file overrides``."""

    def deco(fn):
        CASES[name] = (fn, expected)
        return fn

    return deco


def cell(kind: str, row: int, column: str, value: str):
    """A case changing one cell: ``row`` as a spreadsheet shows it."""

    def fn(t):
        t[kind][row - 1][COL[kind][column]] = value

    return fn


def simple(name, kind, row, column, value, *expected):
    CASES[name] = (cell(kind, row, column, value), expected)


def rows_of(kind, t):
    return t[kind]


# ---------------------------------------------------------------------------
# Folder and file structure

for kind in ("sources", "nodes", "relationships"):
    CASES[f"missing_{kind}_file"] = (
        (lambda k: lambda t: t.__setitem__(k, None))(kind),
        (f"{FILES[kind]}: file is missing", f"create {FILES[kind]} with columns"),
    )
CASES["dataset_is_a_file"] = ("FILE", ("is a file, not a dataset folder",))
CASES["no_such_folder"] = ("ABSENT", ("no such folder",))
CASES["empty_folder"] = ("EMPTY", ("sources.csv: file is missing", "nodes.csv: file is missing",
                                   "relationships.csv: file is missing"))
CASES["nodes_csv_is_a_folder"] = (lambda t: {"nodes.csv": Path("dir")}, ("nodes.csv: cannot be read",))
for kind in ("sources", "nodes", "relationships", "figures"):
    CASES[f"{kind}_empty_file"] = ((lambda k: lambda t: {FILES[k]: b""})(kind),
                                   (f"{FILES[kind]}: the file is empty",))
CASES["nodes_whitespace_only"] = (lambda t: {"nodes.csv": b" \n\r\n\t \n"}, ("nodes.csv: the file is empty",))
CASES["nodes_only_a_bom"] = (lambda t: {"nodes.csv": b"\xef\xbb\xbf"}, ("nodes.csv: the file is empty",))
CASES["sources_header_only"] = (
    lambda t: t.__setitem__("sources", t["sources"][:1]),
    ("nodes.csv, row 2, column source: unknown source 's1'", "(sources.csv is empty)"),
)
CASES["nodes_header_only"] = (
    lambda t: t.__setitem__("nodes", t["nodes"][:1]),
    ("relationships.csv, row 2, column start: 'org-a' is not a node id in nodes.csv",
     "figures.csv, row 2, column node: 'org-a' is not a node id in nodes.csv"),
)


def _xlsx_bytes() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, text in (("[Content_Types].xml", "<Types/>"), ("xl/workbook.xml", "<workbook/>")):
            info = zipfile.ZipInfo(name, date_time=(2022, 3, 1, 0, 0, 0))
            z.writestr(info, text)
    return buf.getvalue()


CASES["workbook_saved_as_nodes_csv"] = (lambda t: {"nodes.csv": _xlsx_bytes()},
                                        ("nodes.csv: contains NUL bytes",))
CASES["random_binary_nodes_csv"] = (
    lambda t: {"nodes.csv": random.Random(7).randbytes(4000).replace(b"\x00", b"\x01")},
    ("nodes.csv: the text encoding could not be recognised",),
)

# ---------------------------------------------------------------------------
# CSV quoting and shape


def _replace_line(kind, line_no, text):
    def fn(t):
        lines = csv_bytes(t[kind]).decode("utf-8").split("\n")
        lines[line_no - 1] = text
        return {FILES[kind]: "\n".join(lines).encode("utf-8")}

    return fn


CASES["nodes_unclosed_quote"] = (
    _replace_line("nodes", 4, 'org-a,Organization,"甲党委,Org A,party_committee,zigong,2020,,,,x,s1,2'),
    ("nodes.csv, row 4: broken CSV quoting (unexpected end of data) in the row that starts on line 4",),
)
CASES["nodes_text_after_closing_quote"] = (
    _replace_line("nodes", 4, 'org-a,Organization,"甲党委"x,Org A,party_committee,zigong,2020,,,,x,s1,2'),
    ("nodes.csv, row 4: broken CSV quoting", "expected after"),
)
CASES["relationships_unclosed_quote"] = (
    _replace_line("relationships", 3, 'org-b,LOCATED_IN,chengdu,"the role,,,,s1,2'),
    ("relationships.csv, row 3: broken CSV quoting (unexpected end of data)",),
)
CASES["sources_text_after_closing_quote"] = (
    _replace_line("sources", 2, 's1,"Title"Extra,Publisher,2022-03,,'),
    ("sources.csv, row 2: broken CSV quoting",),
)
CASES["figures_unclosed_quote"] = (
    _replace_line("figures", 3, 'org-b,employees,"3500,exact,people,职工,employees,s1,3'),
    ("figures.csv, row 3: broken CSV quoting",),
)
CASES["nodes_unquoted_comma_extra_cells"] = (
    _replace_line("nodes", 5, "org-b,Organization,乙企业,Org B,enterprise,chengdu,2019-06,,,乙,An enterprise, "
                  "with a comma,s1,2;3"),
    ("nodes.csv, row 5: 1 more value(s) than the header has columns",),
)
CASES["relationships_extra_cells"] = (
    _replace_line("relationships", 2, "org-a,LOCATED_IN,zigong,,,,,s1,2,extra,more"),
    ("relationships.csv, row 2: 2 more value(s) than the header has columns",),
)
CASES["nodes_short_row"] = (
    _replace_line("nodes", 6, "alliance-1,Alliance"),
    ("nodes.csv, row 6, column name: no name", "nodes.csv, row 6, column source: no source given",
     "nodes.csv, row 6, column paragraphs: no paragraph given"),
)
CASES["relationships_short_row"] = (
    _replace_line("relationships", 4, "org-a,MEMBER_OF"),
    ("relationships.csv, row 4, column end: no end node",),
)
CASES["nodes_semicolon_separated"] = (
    lambda t: {"nodes.csv": csv_bytes(t["nodes"]).replace(b",", b";")},
    ("nodes.csv, row 1, column id: required column is missing",),
)
CASES["nodes_tab_separated"] = (
    lambda t: {"nodes.csv": csv_bytes(t["nodes"]).replace(b",", b"\t")},
    ("nodes.csv, row 1, column label: required column is missing",),
)

# ---------------------------------------------------------------------------
# Columns: missing, unknown, duplicate

for kind, column in (("nodes", "name"), ("nodes", "id"), ("nodes", "source"), ("relationships", "type"),
                     ("relationships", "end"), ("sources", "title"), ("figures", "value"), ("figures", "key")):
    def _drop(t, kind=kind, column=column):
        i = COL[kind][column]
        t[kind] = [r[:i] + r[i + 1:] for r in t[kind]]

    CASES[f"{kind}_missing_column_{column}"] = (
        _drop, (f"{FILES[kind]}, row 1, column {column}: required column is missing",))

for kind, column in (("nodes", "colour"), ("relationships", "thickness"), ("sources", "url"), ("figures", "year")):
    def _add(t, kind=kind, column=column):
        t[kind] = [r + ([column] if i == 0 else ["x"]) for i, r in enumerate(t[kind])]

    CASES[f"{kind}_unknown_column_{column}"] = (
        _add, (f"{FILES[kind]}, row 1, column {column}: unknown column", "columns are: "))


def _blank_header(t):
    t["nodes"] = [r + ([""] if i == 0 else ["x"]) for i, r in enumerate(t["nodes"])]


CASES["nodes_blank_header_cell"] = (_blank_header, ("nodes.csv, row 1, column (blank): unknown column",))
CASES["nodes_header_upper_case"] = (
    lambda t: t["nodes"].__setitem__(0, [c.upper() for c in t["nodes"][0]]),
    ("nodes.csv, row 1, column id: required column is missing", "nodes.csv, row 1, column ID: unknown column"),
)
for kind, column in (("nodes", "name"), ("relationships", "type"), ("figures", "value"), ("sources", "id")):
    def _dup(t, kind=kind, column=column):
        i = COL[kind][column]
        t[kind] = [r + [r[i]] for r in t[kind]]

    CASES[f"{kind}_duplicate_column_{column}"] = (
        _dup, (f"{FILES[kind]}, row 1, column {column}: column appears more than once",))

# ---------------------------------------------------------------------------
# Required values missing

simple("node_no_id", "nodes", 4, "id", "", "nodes.csv, row 4, column id: no id")
simple("node_no_label", "nodes", 4, "label", "", "nodes.csv, row 4, column label: no label")
simple("node_no_name", "nodes", 5, "name", "", "nodes.csv, row 5, column name: no name")
simple("node_name_only_spaces", "nodes", 5, "name", "   \u3000 ", "nodes.csv, row 5, column name: no name")
simple("node_no_source", "nodes", 2, "source", "", "nodes.csv, row 2, column source: no source given")
simple("organization_no_kind", "nodes", 4, "kind", "",
       "nodes.csv, row 4, column kind: an Organization needs a kind")
simple("relationship_no_start", "relationships", 3, "start", "",
       "relationships.csv, row 3, column start: no start node")
simple("relationship_no_end", "relationships", 3, "end", "", "relationships.csv, row 3, column end: no end node")
simple("relationship_no_type", "relationships", 4, "type", "", "relationships.csv, row 4, column type: no type")
simple("relationship_no_source", "relationships", 5, "source", "",
       "relationships.csv, row 5, column source: no source given")
simple("source_no_id", "sources", 2, "id", "", "sources.csv, row 2, column id: no id")
simple("source_no_title", "sources", 2, "title", "", "sources.csv, row 2, column title: no title")
simple("figure_no_node", "figures", 2, "node", "", "figures.csv, row 2, column node: no node")
simple("figure_no_key", "figures", 2, "key", "", "figures.csv, row 2, column key: no key")
simple("figure_no_value", "figures", 3, "value", "", "figures.csv, row 3, column value: no value")

# ---------------------------------------------------------------------------
# Dangling references and duplicates

simple("relationship_dangling_start", "relationships", 4, "start", "org-z",
       "relationships.csv, row 4, column start: 'org-z' is not a node id in nodes.csv")
simple("relationship_dangling_end", "relationships", 5, "end", "alliance-9",
       "relationships.csv, row 5, column end: 'alliance-9' is not a node id in nodes.csv")
simple("relationship_end_case_differs", "relationships", 5, "end", "Alliance-1",
       "relationships.csv, row 5, column end: 'Alliance-1' is not a node id in nodes.csv")
simple("node_unknown_source", "nodes", 3, "source", "s9", "nodes.csv, row 3, column source: unknown source 's9'")
simple("relationship_unknown_source", "relationships", 2, "source", "S1",
       "relationships.csv, row 2, column source: unknown source 'S1'")
simple("figure_unknown_source", "figures", 2, "source", "s2", "figures.csv, row 2, column source: unknown source 's2'")
simple("figure_dangling_node", "figures", 3, "node", "org-q",
       "figures.csv, row 3, column node: 'org-q' is not a node id in nodes.csv")
simple("node_region_dangling", "nodes", 4, "region", "neijiang",
       "nodes.csv, row 4, column region: 'neijiang' is not the id of a Region node")
simple("node_region_not_a_region", "nodes", 5, "region", "org-a",
       "nodes.csv, row 5, column region: 'org-a' is not the id of a Region node")
simple("node_duplicate_id", "nodes", 5, "id", "org-a",
       "nodes.csv, row 5, column id: duplicate id 'org-a' (first on row 4)")


def _dup_row(kind, row):
    def fn(t):
        t[kind].append(list(t[kind][row - 1]))

    return fn


CASES["node_duplicate_row"] = (_dup_row("nodes", 3), ("nodes.csv, row 7, column id: duplicate id 'chengdu' "
                                                      "(first on row 3)",))
CASES["source_duplicate_id"] = (_dup_row("sources", 2), ("sources.csv, row 3, column id: duplicate source id 's1'",))
CASES["relationship_duplicate_row"] = (
    _dup_row("relationships", 4),
    ("relationships.csv, row 7, column type: the same MEMBER_OF from org-a to alliance-1 is on row 4",))
CASES["figure_duplicate_key"] = (
    _dup_row("figures", 2), ("figures.csv, row 4, column key: org-a.party_members is already given on row 2",))

# ---------------------------------------------------------------------------
# Invalid ids, labels, kinds and types (including Cypher-looking text)

for name, value in (("space", "org a"), ("quote", "org'a"), ("backtick", "org`a"), ("leading_dash", "-org"),
                    ("chinese", "自贡党委"), ("too_long", "a" * 201), ("cypher", "x}) DETACH DELETE n //"),
                    ("brace", "org{a}"), ("slash", "org/a"), ("del_char", "org\x7fa")):
    simple(f"node_id_{name}", "nodes", 6, "id", value, f"nodes.csv, row 6, column id: {value!r} is not a valid id")
simple("source_id_invalid", "sources", 2, "id", "s 1", "sources.csv, row 2, column id: 's 1' is not a valid id")
simple("node_unknown_label", "nodes", 4, "label", "City", "nodes.csv, row 4, column label: unknown label 'City'")
simple("node_label_lower_case", "nodes", 2, "label", "region",
       "nodes.csv, row 2, column label: unknown label 'region'")
simple("node_label_project_label", "nodes", 2, "label", "Alliances",
       "nodes.csv, row 2, column label: unknown label 'Alliances'")
simple("node_label_cypher", "nodes", 6, "label", "Alliance) DETACH DELETE n //",
       "nodes.csv, row 6, column label: unknown label 'Alliance) DETACH DELETE n //'")
simple("node_unknown_kind", "nodes", 5, "kind", "company", "nodes.csv, row 5, column kind: unknown kind 'company'")
# a Region's kind is its level (province, city, district), not an organisation kind
simple("node_kind_on_region", "nodes", 2, "kind", "enterprise",
       "nodes.csv, row 2, column kind: unknown kind 'enterprise'")
simple("relationship_unknown_type", "relationships", 4, "type", "LIKES",
       "relationships.csv, row 4, column type: unknown relationship type 'LIKES'")
simple("relationship_type_lower_case", "relationships", 4, "type", "member_of",
       "relationships.csv, row 4, column type: unknown relationship type 'member_of'")
simple("relationship_type_cypher", "relationships", 4, "type", "MEMBER_OF]->(x) DETACH DELETE x //",
       "relationships.csv, row 4, column type: unknown relationship type 'MEMBER_OF]->(x) DETACH DELETE x //'")
simple("relationship_wrong_endpoints", "relationships", 2, "start", "chengdu",
       "relationships.csv, row 2, column type: LOCATED_IN cannot go from a Region to a Region")
simple("relationship_self_loop", "relationships", 2, "end", "org-a",
       "relationships.csv, row 2, column end: a relationship from a node to itself")
simple("synthetic_not_boolean", "nodes", 2, "status", "", "")  # placeholder replaced below
del CASES["synthetic_not_boolean"]


def _synthetic(t):
    t["nodes"] = [r + (["synthetic"] if i == 0 else ["maybe" if i == 3 else ""]) for i, r in enumerate(t["nodes"])]


CASES["node_synthetic_not_boolean"] = (_synthetic,
                                       ("nodes.csv, row 4, column synthetic: 'maybe' is not true or false",))

# ---------------------------------------------------------------------------
# Figures: wrong types

for name, value in (("word", "many"), ("nan", "nan"), ("inf", "inf"), ("percent_sign", "97.5%"),
                    ("chinese_number", "三千"), ("yu_suffix", "1200余")):
    simple(f"figure_value_{name}", "figures", 2, "value", value,
           f"figures.csv, row 2, column value: {value!r} is not a number")
simple("figure_key_capitals", "figures", 2, "key", "PartyMembers",
       "figures.csv, row 2, column key: 'PartyMembers' is not a property name")
simple("figure_key_cypher", "figures", 2, "key", "x` = 1 //",
       "figures.csv, row 2, column key: 'x` = 1 //' is not a property name")
simple("figure_key_reserved", "figures", 2, "key", "name", "figures.csv, row 2, column key: 'name' is a built-in property")
simple("figure_unknown_qualifier", "figures", 2, "qualifier", "roughly",
       "figures.csv, row 2, column qualifier: unknown qualifier 'roughly'")

# ---------------------------------------------------------------------------
# Paragraphs

for name, value in (("word", "abc"), ("zero", "0"), ("negative", "-1"), ("decimal", "1.5"),
                    ("superscript", "\u00b2"), ("arabic_indic", "\u0663"), ("fullwidth", "\uff13")):
    simple(f"node_paragraphs_{name}", "nodes", 5, "paragraphs", value,
           f"nodes.csv, row 5, column paragraphs: {value!r} is not a paragraph number")
simple("node_paragraphs_empty", "nodes", 4, "paragraphs", "", "nodes.csv, row 4, column paragraphs: no paragraph given")
simple("node_paragraphs_only_separators", "nodes", 4, "paragraphs", ";；;",
       "nodes.csv, row 4, column paragraphs: no paragraph given")
simple("relationship_paragraphs_bad", "relationships", 3, "paragraphs", "2;x",
       "relationships.csv, row 3, column paragraphs: 'x' is not a paragraph number")
simple("figure_paragraphs_bad", "figures", 3, "paragraphs", "p3",
       "figures.csv, row 3, column paragraphs: 'p3' is not a paragraph number")

# ---------------------------------------------------------------------------
# Dates out of range or malformed

for name, value in (("before_1900", "1899"), ("after_2100", "2101"), ("month_13", "2020-13"),
                    ("feb_30", "2020-02-30"), ("slashes", "2020/01/01"), ("no_dashes", "20200101"),
                    ("short_parts", "2021-2-3"), ("year_zero", "0000"), ("fullwidth_digits", "２０２０"),
                    ("word", "去年"), ("month_00", "2020-00")):
    simple(f"node_date_{name}", "nodes", 4, "date", value,
           f"nodes.csv, row 4, column date: {value!r} is not a date between 1900 and 2100")
simple("relationship_date_bad", "relationships", 4, "date", "2021-02-29",
       "relationships.csv, row 4, column date: '2021-02-29' is not a date between 1900 and 2100")

# ---------------------------------------------------------------------------
# Huge fields and control characters

simple("node_name_10001_chars", "nodes", 4, "name", "党" * 10_001,
       "nodes.csv, row 4, column name: value is 10,001 characters long (limit 10,000)")
simple("node_name_1001_chars", "nodes", 5, "name", "乙" * 1_001,
       "nodes.csv, row 5, column name: name is 1,001 characters long (limit 1,000 for names)")
simple("node_description_200000_chars", "nodes", 5, "description", "x" * 200_000,
       "nodes.csv, row 5, column description: value is 200,000 characters long (limit 10,000)")
simple("relationship_role_multiline_huge", "relationships", 4, "role", ("line\n" * 2_500),
       "relationships.csv, row 4, column role: value is 12,499 characters long (limit 10,000)")
simple("figure_label_huge", "figures", 2, "label_en", "y" * 10_500,
       "figures.csv, row 2, column label_en: value is 10,500 characters long (limit 10,000)")
for name, value in (("bell", "甲\x07党委"), ("ansi_escape", "\x1b[31mred\x1b[0m"), ("nul", "a\x00b"),
                    ("vertical_tab", "a\x0bb"), ("backspace", "abc\x08\x08\x08xyz"), ("del", "a\x7fb")):
    simple(f"node_name_control_{name}", "nodes", 4, "name", value,
           "nodes.csv, row 4, column name: contains control characters")
simple("relationship_role_control", "relationships", 4, "role", "secre\x1btary",
       "relationships.csv, row 4, column role: contains control characters")
simple("source_title_control", "sources", 2, "title", "Ti\x0ctle", "sources.csv, row 2, column title: contains control characters")
for name, value, at in (("c1_csi", "甲\x9b31m党委", 2), ("c1_osc", "a\x9d0;x\x9cb", 2), ("c1_next_line", "甲\x85乙", 2)):
    simple(f"node_name_control_{name}", "nodes", 4, "name", value,
           f"nodes.csv, row 4, column name: contains control characters (U+{ord(value[at - 1]):04X}",
           f"at character {at}")

# Characters nobody sees: two names that differ by one look the same (refused with the position)
for name, value, at in (("zero_width_space", "甲\u200b党委", 2), ("zero_width_joiner", "甲党\u200d委", 3),
                        ("soft_hyphen", "甲\u00ad党委", 2), ("word_joiner", "甲\u2060党委", 2),
                        ("bom_inside", "甲\ufeff党委", 2), ("variation_selector", "甲党\ufe0f委", 3),
                        ("tag_characters", "甲\U000e0041\U000e0042党委", 2), ("hangul_filler", "甲\u3164党委", 2)):
    simple(f"node_name_invisible_{name}", "nodes", 4, "name", value,
           f"nodes.csv, row 4, column name: character {at} is U+{ord(value[at - 1]):04X}", "an invisible character")
for name, value, at in (("rlo", "\u202e委党甲", 1), ("lro", "甲\u202d党委", 2), ("rli", "甲\u2067党委\u2069", 2),
                        ("rlm", "甲党委\u200f", 4)):
    simple(f"node_name_bidi_{name}", "nodes", 4, "name", value,
           f"nodes.csv, row 4, column name: character {at} is U+{ord(value[at - 1]):04X}", "a bidirectional control")
simple("relationship_role_bidi", "relationships", 4, "role", "sec\u202eyrat",
       "relationships.csv, row 4, column role: character 4 is U+202E RIGHT-TO-LEFT OVERRIDE")
simple("source_title_zero_width", "sources", 2, "title", "测试\u200b来源",
       "sources.csv, row 2, column title: character 3 is U+200B ZERO WIDTH SPACE")

# ---------------------------------------------------------------------------
# Encodings


def _encoded(kind, encoding, mutate=None, prefix=b""):
    def fn(t):
        if mutate:
            mutate(t)
        text = csv_bytes(t[kind]).decode("utf-8")
        return {FILES[kind]: prefix + text.encode(encoding)}

    return fn


def _latin1_names(t):
    # A Western-European Excel file: every name in Latin-1, none in Chinese.
    for i, row in enumerate(t["nodes"][1:], start=1):
        row[COL["nodes"]["name"]] = f"Société {i}, Café"
        row[COL["nodes"]["aliases"]] = ""
    t["nodes"][3][COL["nodes"]["description"]] = "Zürich, Genève"


CASES["nodes_latin1"] = (_encoded("nodes", "latin-1", _latin1_names),
                         ("nodes.csv: the text encoding could not be recognised", "--encoding"))
CASES["nodes_cp1252_quotes"] = (
    lambda t: {"nodes.csv": csv_bytes(t["nodes"]).replace("甲党委".encode(), b"\x93quoted\x94, \x85")},
    ("nodes.csv:", "invalid UTF-8"),
)
CASES["nodes_utf8_one_bad_byte"] = (
    lambda t: {"nodes.csv": csv_bytes(t["nodes"]).replace("乙企业".encode(), "乙".encode() + b"\xff" + "企业".encode())},
    ("nodes.csv: line 5: invalid UTF-8 (byte",),
)
CASES["nodes_utf8_truncated_character"] = (
    lambda t: {"nodes.csv": csv_bytes(t["nodes"]).rstrip(b"\n") + "联".encode()[:2]},
    ("nodes.csv: line 6: invalid UTF-8",),
)
CASES["nodes_utf8_bom_then_latin1"] = (
    lambda t: {"nodes.csv": b"\xef\xbb\xbf" + csv_bytes(t["nodes"]).replace("甲党委".encode(), "Café".encode("latin-1"))},
    ("nodes.csv: starts with a utf-8-sig mark but is not valid utf-8-sig",),
)
CASES["nodes_utf16_bom_odd_length"] = (
    lambda t: {"nodes.csv": b"\xff\xfe" + csv_bytes(t["nodes"]).decode().encode("utf-16-le") + b"x"},
    ("nodes.csv: starts with a utf-16 mark but is not valid utf-16",),
)
CASES["nodes_utf16_no_bom_odd_length"] = (
    lambda t: {"nodes.csv": csv_bytes(t["nodes"]).decode().encode("utf-16-le")[:-1]},
    ("nodes.csv: contains NUL bytes",),
)
CASES["nodes_utf32_no_bom"] = (
    lambda t: {"nodes.csv": csv_bytes(t["nodes"]).decode().encode("utf-32-le")},
    ("nodes.csv: contains NUL bytes",),
)
CASES["relationships_gb18030_with_error"] = (
    _encoded("relationships", "gb18030", cell("relationships", 4, "type", "成员")),
    ("relationships.csv, row 4, column type: unknown relationship type '成员'",),
)
CASES["nodes_utf16_no_bom_with_error"] = (
    _encoded("nodes", "utf-16-le", cell("nodes", 5, "date", "二〇一九年")),
    ("nodes.csv, row 5, column date: '二〇一九年' is not a date",),
)

# ---------------------------------------------------------------------------
# Several problems at once: every one is reported


def _many(t):
    cell("nodes", 4, "date", "2020-13")(t)
    cell("relationships", 5, "end", "nowhere")(t)
    cell("figures", 2, "value", "lots")(t)
    cell("sources", 2, "title", "")(t)


CASES["many_problems_in_every_file"] = (_many, (
    "4 problems found; nothing was written.",
    "nodes.csv, row 4, column date: '2020-13' is not a date",
    "relationships.csv, row 5, column end: 'nowhere' is not a node id",
    "figures.csv, row 2, column value: 'lots' is not a number",
    "sources.csv, row 2, column title: no title",
))


# ---------------------------------------------------------------------------
# Workbooks for `alliances import` (file ``workbook.xlsx`` instead of ``dataset``)

_XLSX_PARTS = {
    "[Content_Types].xml": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>'),
    "_rels/.rels": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        'officeDocument" Target="xl/workbook.xml"/></Relationships>'),
    "xl/workbook.xml": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        '<sheets><sheet name="Organization" sheetId="1" r:id="rId1"/></sheets></workbook>'),
    "xl/_rels/workbook.xml.rels": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        'worksheet" Target="worksheets/sheet1.xml"/></Relationships>'),
    "xl/worksheets/sheet1.xml": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        + "".join(f'<row r="{r}"><c r="A{r}" t="inlineStr"><is><t>{a}</t></is></c>'
                  f'<c r="B{r}" t="inlineStr"><is><t>{b}</t></is></c></row>'
                  for r, (a, b) in enumerate([("编号 id", "名称 name")] + [(f"org-{i}", f"组织{i}") for i in range(400)],
                                             start=1))
        + "</sheetData></worksheet>"),
}


def xlsx_bytes(drop: str | None = None, broken: str | None = None) -> bytes:
    """A small deterministic workbook; ``drop`` leaves a part out, ``broken`` cuts a part's XML short."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in _XLSX_PARTS.items():
            if name == drop:
                continue
            if name == broken:
                text = text[: len(text) // 2]
            z.writestr(zipfile.ZipInfo(name, date_time=(2022, 3, 1, 0, 0, 0)), text)
    return buf.getvalue()


def _flipped(data: bytes) -> bytes:
    b = bytearray(data)
    for i in range(len(b) // 3, len(b) // 3 + 64):
        b[i] ^= 0xFF
    return bytes(b)


XLSX_CASES = {
    "xlsx_truncated_half": (lambda: xlsx_bytes()[: len(xlsx_bytes()) // 2],
                            ("workbook.xlsx: cannot be opened as an .xlsx workbook", "truncated or damaged")),
    "xlsx_truncated_to_header": (lambda: xlsx_bytes()[:30], ("workbook.xlsx: cannot be opened as an .xlsx workbook",)),
    "xlsx_empty_file": (lambda: b"", ("workbook.xlsx: the file is empty",)),
    "xlsx_is_a_csv": (lambda: csv_bytes(BASE["nodes"]), ("workbook.xlsx: is not an Excel .xlsx workbook",)),
    "xlsx_without_content_types": (lambda: xlsx_bytes(drop="[Content_Types].xml"),
                                   ("workbook.xlsx: cannot be opened as an .xlsx workbook",)),
    "xlsx_bytes_damaged": (lambda: _flipped(xlsx_bytes()), ("workbook.xlsx: cannot be opened as an .xlsx workbook",)),
    "xlsx_sheet_xml_cut_short": (lambda: xlsx_bytes(broken="xl/worksheets/sheet1.xml"),
                                 ("workbook.xlsx: cannot be opened as an .xlsx workbook",)),
}


# Hostile workbooks: each is small on disk and would cost a grid-building reader
# gigabytes, or hides what it holds. ``hostile_xlsx`` writes a workbook whose
# sheets are given as XML text or as an iterable of byte chunks (streamed, so a
# sheet of a million rows is never built in memory here either).

_NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
_RNS = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
HEADER_ROW = ('<row r="1"><c r="A1" t="inlineStr"><is><t>编号 id</t></is></c>'
              '<c r="B1" t="inlineStr"><is><t>名称 name</t></is></c></row>')


def sheet_xml(body: str, tail: str = "", head: str = "") -> str:
    return f'<?xml version="1.0" encoding="UTF-8"?><worksheet {_NS}>{head}<sheetData>{body}</sheetData>{tail}</worksheet>'


def hostile_xlsx(sheets, shared: list[str] | None = None, styles: bool = False, prolog: str = "") -> bytes:
    """A workbook of ``sheets``: ``(name, xml text or iterable of bytes, state)`` each."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        def put(name, data):
            info = zipfile.ZipInfo(name, date_time=(2022, 3, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            with z.open(info, "w", force_zip64=True) as fh:
                for chunk in ([data] if isinstance(data, (str, bytes)) else data):
                    fh.write(chunk.encode("utf-8") if isinstance(chunk, str) else chunk)

        put("[Content_Types].xml", '<?xml version="1.0" encoding="UTF-8"?><Types '
            'xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" '
            'ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" '
            'ContentType="application/xml"/></Types>')
        put("_rels/.rels", '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
            f'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="{_REL}officeDocument" '
            'Target="xl/workbook.xml"/></Relationships>')
        entries = "".join(f'<sheet name="{n}" sheetId="{i}" r:id="rId{i}"{f" state={chr(34)}{st}{chr(34)}" if st else ""}/>'
                          for i, (n, _, st) in enumerate(sheets, start=1))
        put("xl/workbook.xml",
            f'<?xml version="1.0" encoding="UTF-8"?>{prolog}<workbook {_NS} {_RNS}><sheets>{entries}</sheets></workbook>')
        rels = "".join(f'<Relationship Id="rId{i}" Type="{_REL}worksheet" Target="worksheets/sheet{i}.xml"/>'
                       for i in range(1, len(sheets) + 1))
        if shared is not None:
            rels += f'<Relationship Id="rIdS" Type="{_REL}sharedStrings" Target="sharedStrings.xml"/>'
        if styles:
            rels += f'<Relationship Id="rIdT" Type="{_REL}styles" Target="styles.xml"/>'
        put("xl/_rels/workbook.xml.rels", '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://'
            f'schemas.openxmlformats.org/package/2006/relationships">{rels}</Relationships>')
        if shared is not None:
            put("xl/sharedStrings.xml", f'<?xml version="1.0" encoding="UTF-8"?><sst {_NS}>'
                + "".join(f"<si><t>{t}</t></si>" for t in shared) + "</sst>")
        if styles:
            put("xl/styles.xml", f'<?xml version="1.0" encoding="UTF-8"?><styleSheet {_NS}><cellXfs count="2">'
                '<xf numFmtId="0"/><xf numFmtId="0" applyFill="1"/></cellXfs></styleSheet>')
        for i, (_, xml, _) in enumerate(sheets, start=1):
            put(f"xl/worksheets/sheet{i}.xml", xml)
    return buf.getvalue()


def org_rows(n: int = 3, start: int = 2) -> str:
    return "".join(f'<row r="{r}"><c r="A{r}" t="inlineStr"><is><t>org-{r}</t></is></c>'
                   f'<c r="B{r}" t="inlineStr"><is><t>组织{r}</t></is></c></row>' for r in range(start, start + n))


def _long_inline(chars: int) -> str:
    return sheet_xml(HEADER_ROW + f'<row r="2"><c r="A2" t="inlineStr"><is><t>org-2</t></is></c>'
                     f'<c r="B2" t="inlineStr"><is><t>{"长" * chars}</t></is></c></row>')


_LAUGHS = ('<!DOCTYPE lolz [<!ENTITY lol "lol">' + "".join(
    f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">' for i in range(1, 10)) + "]>")

HOSTILE_XLSX_CASES = {
    "xlsx_cell_over_excel_limit": (lambda: hostile_xlsx([("组织 Organization", _long_inline(32_768), "")]),
                                   ("workbook.xlsx, sheet 组织 Organization", "cell B2 holds more than 32,767 characters")),
    "xlsx_huge_inline_string": (lambda: hostile_xlsx([("组织 Organization", _long_inline(8_000_000), "")]),
                                ("cell B2 holds more than 32,767 characters",)),
    "xlsx_huge_shared_string": (lambda: hostile_xlsx([("组织 Organization", sheet_xml(
        HEADER_ROW + '<row r="2"><c r="A2" t="s"><v>0</v></c></row>'), "")], shared=["串" * 2_000_000]),
                                ("shared string 1 holds more than 32,767 characters",)),
    "xlsx_billion_laughs": (lambda: hostile_xlsx([("组织 Organization", sheet_xml(HEADER_ROW), "")], prolog=_LAUGHS),
                            ("holds an XML document type declaration",)),
    "xlsx_billion_laughs_in_sheet": (lambda: hostile_xlsx([("组织 Organization", '<?xml version="1.0"?>' + _LAUGHS
                                     + f"<worksheet {_NS}><sheetData>{HEADER_ROW}<row r=\"2\"><c r=\"A2\" "
                                     "t=\"inlineStr\"><is><t>&lol9;</t></is></c></row></sheetData></worksheet>", "")]),
                                     ("holds an XML document type declaration",)),
    "xlsx_external_entity": (lambda: hostile_xlsx([("组织 Organization", '<?xml version="1.0"?><!DOCTYPE x '
                             '[<!ENTITY e SYSTEM "file:///etc/passwd">]>' + f"<worksheet {_NS}><sheetData>{HEADER_ROW}"
                             '<row r="2"><c r="A2" t="inlineStr"><is><t>&e;</t></is></c></row></sheetData></worksheet>',
                             "")]), ("holds an XML document type declaration",)),
    "xls_renamed_xlsx": (lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504) + b"Workbook".ljust(4096, b"\0"),
                         ("is an old Excel 97–2003 .xls workbook", "save it as 'Excel Workbook (*.xlsx)'")),
    "xlsx_password_protected": (lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)
                                + "EncryptedPackage".encode("utf-16-le").ljust(4096, b"\0"),
                                ("is a password-protected workbook",)),
    "xlsx_missing_shared_string": (lambda: hostile_xlsx([("组织 Organization", sheet_xml(
        HEADER_ROW + '<row r="2"><c r="A2" t="s"><v>7</v></c></row>'), "")], shared=["x"]),
                                   ("cell A2 names shared string '7', which does not exist",)),
    "xlsx_cell_outside_the_grid": (lambda: hostile_xlsx([("组织 Organization", sheet_xml(
        HEADER_ROW + '<row r="2"><c r="XFE2" t="inlineStr"><is><t>x</t></is></c></row>'), "")]),
                                   ("outside Excel's grid",)),
    "xlsx_row_outside_the_grid": (lambda: hostile_xlsx([("组织 Organization", sheet_xml(
        HEADER_ROW + '<row r="1048577"><c r="A1048577" t="inlineStr"><is><t>x</t></is></c></row>'), "")]),
                                  ("outside Excel's grid",)),
}


# ---------------------------------------------------------------------------


def build(out: Path = OUT) -> list[str]:
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    names = []
    for name, (builder, expected) in CASES.items():
        folder = out / name
        folder.mkdir()
        target = folder / "dataset"
        if builder == "FILE":
            target.write_bytes(csv_bytes(BASE["nodes"]))
        elif builder == "ABSENT":
            pass
        elif builder == "EMPTY":
            target.mkdir()
            (target / ".keep").write_text("", encoding="utf-8")
        else:
            tables = copy.deepcopy(BASE)
            raw = builder(tables)
            write_tables(target, tables, raw)
        (folder / "expected.txt").write_text("\n".join(expected) + "\n", encoding="utf-8")
        names.append(name)
    for name, (make, expected) in {**XLSX_CASES, **HOSTILE_XLSX_CASES}.items():
        folder = out / name
        folder.mkdir()
        (folder / "workbook.xlsx").write_bytes(make())
        (folder / "expected.txt").write_text("\n".join(expected) + "\n", encoding="utf-8")
        names.append(name)
    return names


def write_base(out: Path) -> Path:
    """The valid base dataset, for tests that check it is valid."""
    write_tables(out, copy.deepcopy(BASE))
    return out


if __name__ == "__main__":
    made = build()
    print(f"{len(made)} cases written to {OUT}")
