"""The project's exceptions; the CLI turns each into one clear line.

::

    AlliancesError                 base; ``exit_code`` 1 (runtime) or 2 (usage)
    ├── UsageError                 a bad option or argument (exit 2)
    │   └── NameResolutionError    a name matches no node, or several
    ├── DataError                  a dataset or input file is invalid
    │   └── ValidationError        carries every :class:`Problem` found at once
    ├── StoreError                 the Neo4j store failed
    │   ├── ConnectionFailed       server down, unreachable, hung
    │   ├── AuthenticationFailed   wrong user or password
    │   ├── DatabaseNotFound       unknown database name
    │   └── DatasetConflict        a load would overwrite another dataset's nodes
    └── RenderError                a map, snapshot or report could not be written

Every message says what failed, where (file, row, column or URI) and what to
do next. Driver and OS errors are wrapped with ``raise ... from err``.

Problems with input rows are :class:`Problem` objects: a ``code``, the
location (file, sheet, row, column), ``params``, and texts rendered from
:data:`MESSAGES`, the one table where each code's English and Chinese message
and fix are written side by side. Make them with :func:`problem`; a module
with problems of its own adds its codes to :data:`MESSAGES`.
"""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field as dc_field


class AlliancesError(Exception):
    """Base of every error the CLI reports without a traceback."""

    exit_code = 1


class UsageError(AlliancesError):
    """The user asked for something that cannot be done as asked."""

    exit_code = 2


class NameResolutionError(UsageError):
    """A name matched no node or more than one; ``candidates`` lists them."""

    def __init__(self, message: str, candidates: list[str] | None = None):
        super().__init__(message)
        self.candidates = candidates or []


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input: a code, where it is, and its text in English and Chinese.

    Make one with :func:`problem` (``problem("unknown_kind", file, row, "kind",
    value="xyz")``): the texts come from :data:`MESSAGES`, where
    each code's English and Chinese are written side by side. ``message`` and
    ``fix`` are the English texts; ``message_zh`` and ``fix_zh`` the Chinese.
    A Problem made directly with a message and no code is allowed (text only).
    """

    file: str
    row: int | None  # 1-based line/row as a spreadsheet shows it (header = row 1)
    field: str | None
    message: str
    fix: str = ""
    sheet: str | None = None
    code: str = ""
    params: dict = dc_field(default_factory=dict, compare=False, hash=False)
    message_zh: str = ""
    fix_zh: str = ""

    def location(self) -> str:
        parts = [self.file]
        if self.sheet:
            parts.append(f"sheet {self.sheet}")
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.field:
            parts.append(f"column {self.field}")
        return ", ".join(parts)

    def text(self) -> str:
        """The message in both languages: ``English / 中文``."""
        return f"{self.message} / {self.message_zh}" if self.message_zh else self.message

    def fix_text(self) -> str:
        return f"{self.fix} / {self.fix_zh}" if self.fix and self.fix_zh else self.fix

    def __str__(self) -> str:
        text = f"{self.location()}: {self.text()}"
        if self.fix:
            text += f" — fix: {self.fix_text()}"
        return text

    def as_dict(self) -> dict:
        return {
            "file": self.file,
            "sheet": self.sheet,
            "row": self.row,
            "field": self.field,
            "message": self.message,
            "fix": self.fix,
            "code": self.code,
            "params": dict(self.params),
            "message_zh": self.message_zh,
            "fix_zh": self.fix_zh,
        }


def problem(code: str, file: str, row: int | None = None, field: str | None = None, *,
            sheet: str | None = None, **params) -> Problem:
    """A :class:`Problem` of ``code`` at ``file``/``sheet``/``row``/``field``, its texts filled from ``params``.

    ``suggestions`` (a list of strings), when given and not empty, starts the
    fix with "did you mean …?" in both languages.

    >>> str(problem("no_name", "nodes.csv", 4, "name"))  # doctest: +ELLIPSIS
    'nodes.csv, row 4, column name: no name / 缺少名称 — fix: ...'
    """
    en, zh, fix_en, fix_zh = render(code, params)
    return Problem(file, row, field, en, fix_en, sheet, code, dict(params), zh, fix_zh)


class DataError(AlliancesError):
    """An input file or dataset cannot be used."""


class ValidationError(DataError):
    """A dataset has problems; all of them are in ``problems``."""

    def __init__(self, problems: list[Problem], source: str = ""):
        self.problems = list(problems)
        self.source = source
        n = len(self.problems)
        head = f"{source}: " if source else ""
        lines = [f"{head}{n} problem{'s' if n != 1 else ''} found; nothing was written."]
        lines += [f"  {p}" for p in self.problems]
        super().__init__("\n".join(lines))


class StoreError(AlliancesError):
    """The graph store (Neo4j) failed."""


class DatasetConflict(StoreError):
    """A load's ids collide with another dataset's nodes of different content; ``conflicts`` lists them."""

    def __init__(self, message: str, conflicts: list | None = None):
        super().__init__(message)
        self.conflicts = conflicts or []


class ConnectionFailed(StoreError):
    """The server could not be reached in time."""


class AuthenticationFailed(StoreError):
    """The server refused the credentials."""


class DatabaseNotFound(StoreError):
    """The named database does not exist on the server."""


class RenderError(AlliancesError):
    """An output document could not be produced."""


# ---------------------------------------------------------------------------
# The problem catalogue: code → (English, 中文, fix, 修改办法), each a str.format template.
# One row per code, both languages together, so a reworded message keeps its translation.

MESSAGES: dict[str, tuple[str, str, str, str]] = {
    # files, sheets and headers
    "file_missing": ("file is missing", "缺少文件",
                     "create {name} with columns {columns}", "按模板建立 {name}（列：{columns}）"),
    "file_empty": ("the file is empty", "文件是空的", "add the header row", "添加表头行"),
    "file_unreadable": ("{detail}", "无法读取此文件（编码不对或文件损坏）",
                        "check the file, or pass --encoding", "检查文件，或用 --encoding 指定编码"),
    "broken_quoting": ("broken CSV quoting ({error}) in the row that starts on line {line}",
                       "CSV 引号不完整（从第 {line} 行开始的那一行）",
                       'close every quote; write a quote inside a field as ""',
                       '每个引号都要闭合；字段内的引号写成 ""'),
    "not_xlsx": ("is not an Excel .xlsx workbook (it looks like a text/CSV file)",
                 "不是 Excel .xlsx 工作簿（看起来是文本/CSV 文件）",
                 "save it as .xlsx, or rename it to .csv and import the folder",
                 "另存为 .xlsx，或改名为 .csv 后导入所在文件夹"),
    "bad_xlsx": ("cannot be opened as an .xlsx workbook ({error}); it may be truncated or damaged",
                 "无法作为 .xlsx 工作簿打开，文件可能不完整或已损坏",
                 "save it again from Excel as .xlsx", "请在 Excel 中重新另存为 .xlsx"),
    # workbooks refused before their cells are read (alliances.io.xlsx)
    "xls_renamed": ("is an old Excel 97–2003 .xls workbook saved under an .xlsx name",
                    "是旧版 Excel 97–2003 .xls 工作簿，只是改了扩展名",
                    "open it in Excel or LibreOffice and save it as 'Excel Workbook (*.xlsx)'",
                    "用 Excel 或 WPS 打开，另存为“Excel 工作簿 (*.xlsx)”"),
    "xlsx_encrypted": ("is a password-protected workbook, which cannot be read",
                       "是设置了打开密码的工作簿，无法读取",
                       "open it in Excel, remove the password (File → Info → Protect Workbook) and save a copy",
                       "在 Excel 中打开，取消密码（文件 → 信息 → 保护工作簿）后另存一份"),
    "xlsb_renamed": ("is an Excel binary workbook (.xlsb) saved under an .xlsx name",
                     "是 Excel 二进制工作簿（.xlsb），只是改了扩展名",
                     "save it from Excel as 'Excel Workbook (*.xlsx)'", "在 Excel 中另存为“Excel 工作簿 (*.xlsx)”"),
    "xlsx_doctype": ("holds an XML document type declaration, which no Excel workbook has (a sign of an "
                     "entity-expansion attack); it was not read", "含有 XML 文档类型声明（Excel 不会写入，可能是恶意文件），未读取",
                     "save the data again from Excel as .xlsx", "请在 Excel 中重新另存为 .xlsx"),
    "xlsx_part_too_large": ("{part} unpacks to more than {limit:,} bytes (the limit for one part); it was not read",
                            "{part} 解压后超过 {limit:,} 字节的上限，未读取",
                            "split the data into several workbooks, or import CSV files instead",
                            "把数据拆分到几个工作簿，或改用 CSV 文件导入"),
    "xlsx_cell_too_long": ("{cell} holds more than {limit:,} characters, more than Excel allows in a cell; "
                           "the workbook was not read further", "{cell} 超过 {limit:,} 个字符（Excel 单元格上限），停止读取",
                           "shorten that cell (long texts belong in the source document)", "缩短该单元格内容（长文本放在来源文档中）"),
    "xlsx_too_many_cells": ("holds more than {limit:,} cells with values (the limit for one workbook)",
                            "有内容的单元格超过 {limit:,} 个（单个工作簿的上限）",
                            "split the data into several workbooks, or import CSV files instead",
                            "把数据拆分到几个工作簿，或改用 CSV 文件导入"),
    "xlsx_too_many_merges": ("has more than {limit:,} merged ranges", "合并单元格区域超过 {limit:,} 个",
                             "unmerge the cells (Home → Merge & Center → Unmerge Cells) and save again",
                             "取消合并单元格（开始 → 合并后居中 → 取消单元格合并）后重新保存"),
    "workbook_empty": ("the file is empty", "文件是空的", "save the workbook again from Excel",
                       "请在 Excel 中重新保存工作簿"),
    "unknown_sheet": ("unknown sheet {name!r}", "无法识别的工作表 {name!r}",
                      "name sheets like the template (e.g. '组织 Organization', '关系 Relationships')",
                      "按模板命名工作表（如“组织 Organization”“关系 Relationships”）"),
    "empty_header": ("row 1 (the header) is empty", "第 1 行（表头）是空的",
                     "put the template's header in row 1", "第 1 行填写模板表头"),
    "missing_column": ("required column is missing", "缺少必填列“{zh}”",
                       "add a column named {column!r} (in a workbook also '{zh} {column}')",
                       "添加列“{column}”（工作簿中也可写“{zh} {column}”或“{zh}”）"),
    "unknown_column": ("unknown column {shown}", "未知的列 {shown}",
                       "columns are: {columns}", "可用的列（中文或英文表头均可）：{columns}"),
    "duplicate_column": ("column appears more than once", "列重复", "keep one", "只保留一列"),
    "extra_values": ("{count} more value(s) than the header has columns", "数值个数多于表头列数（多 {count} 个）",
                     "quote fields that contain commas, or remove the extra cells",
                     "含逗号的内容请加引号，或删除多余的单元格"),
    "value_outside_header": ("a value outside the header's columns", "表头之外的列有内容",
                             "remove it or give the column a header", "删除该内容，或为该列添加表头"),
    "nothing_found": ("no {what} found (only headers or example rows)", "没有找到任何{what_zh}（只有表头或示例行）",
                      "fill in at least one {one} row", "至少填写一行{what_zh}"),
    # any cell
    "value_too_long": ("value is {length:,} characters long (limit {limit:,})", "内容过长（{length:,} 个字符，上限 {limit:,}）",
                       "shorten it; long texts belong in the source document", "缩短内容；长文本放在来源文档中"),
    "control_characters": ("contains control characters{at}", "含有不可见的控制字符{at_zh}",
                           "remove invisible characters (often pasted from another program)",
                           "删除从其他程序粘贴来的不可见字符"),
    "hidden_character": ("character {position} is {character}, {kind}{more}",
                         "第 {position} 个字符是{kind_zh} {character}{more_zh}",
                         "delete it: nobody sees it, so two names that differ by it look the same (it often comes "
                         "with text pasted from a web page, a chat or a PDF)",
                         "删除该字符：它看不见，会让两个不同的名称看起来一样（常随网页、聊天记录或 PDF 复制而来）"),
    # ids and names
    "no_id": ("no id", "缺少编号", "give it a stable id (letters, digits, - _ . :)", "填写编号（字母、数字和 - _ . :）"),
    "invalid_id": ("{value!r} is not a valid id", "{value!r} 不是有效的编号",
                   "use letters, digits, - _ . : (at most 200, starting with a letter or digit)",
                   "编号只用字母、数字和 - _ . :（最多 200 个，以字母或数字开头）"),
    "duplicate_id": ("duplicate id {value!r} (first on {first}){names}", "编号 {value!r} 重复（第一次在{first_zh}）{names_zh}",
                     "give each node its own id, or merge the two rows", "每个节点一个编号，或合并两行"),
    "duplicate_source_id": ("duplicate source id {value!r}", "来源编号 {value!r} 重复",
                            "give each source its own id", "每个来源一个编号"),
    "no_title": ("no title", "缺少标题", "give the document's title", "填写文章标题"),
    "no_name": ("no name", "缺少名称", "give the Chinese name as the source writes it", "填写来源中的中文名称"),
    "name_too_long": ("name is {length:,} characters long (limit {limit:,} for names)",
                      "名称过长（{length:,} 个字符，上限 {limit:,}）",
                      "shorten it; put the rest in description", "缩短名称，其余写进说明"),
    # codes
    "no_label": ("no label", "缺少类型", "use one of: {choices}", "填写节点类型：{choices}"),
    "unknown_label": ("unknown label {value!r}", "未知的节点类型 {value!r}",
                      "use one of: {choices}", "从下拉列表选择类型：{choices}"),
    "kind_required": ("an Organization needs a kind", "组织必须填写组织类别",
                      "use one of: {choices}", "从下拉列表选择组织类别：{choices}"),
    "unknown_kind": ("unknown kind {value!r}", "未知的组织类别 {value!r}",
                     "use one of: {choices}", "从下拉列表选择组织类别：{choices}"),
    "kind_not_allowed": ("only an Organization or a Region has a kind (this is a {label})", "只有组织和地区才有类别（这是{label_zh}）",
                         "leave kind empty", "清空组织类别"),
    "credit_code_not_allowed": ("only an Organization has a credit code (this is a {label})",
                                "只有组织才有统一社会信用代码（这是{label_zh}）", "leave credit_code empty",
                                "清空统一社会信用代码"),
    "bad_credit_code": ("{value!r} is not a valid unified social credit code: {why}",
                        "{value!r} 不是有效的统一社会信用代码：{why_zh}",
                        "copy the 18-character code from the business licence, or leave it empty",
                        "从营业执照抄写 18 位代码，或留空"),
    "no_type": ("no type", "缺少关系类型", "use one of: {choices}", "从下拉列表选择关系类型：{choices}"),
    "unknown_type": ("unknown relationship type {value!r}", "未知的关系类型 {value!r}",
                     "use one of: {choices}", "从下拉列表选择关系类型：{choices}"),
    "unknown_qualifier": ("unknown qualifier {value!r}", "未知的限定词 {value!r}",
                          "use one of: {choices}", "使用：{choices}"),
    "not_boolean": ("{value!r} is not true or false", "{value!r} 应为 true 或 false", "write true or false",
                    "写 true 或 false（是/否）"),
    # provenance
    "no_source": ("no source given", "缺少来源",
                  "name a source id from sources.csv (or, in a workbook to import, leave source and paragraphs "
                  "both empty: the row itself is then the provenance)",
                  "填写来源表中的来源编号（导入工作簿时也可把来源和段落都留空，以该行本身作为出处）"),
    "unknown_source": ("unknown source {value!r}", "未知的来源 {value!r}",
                       "use one of: {choices}", "使用来源表中的编号：{choices}"),
    "bad_paragraph": ("{value!r} is not a paragraph number", "{value!r} 不是段落编号",
                      "write paragraph numbers as whole numbers separated by ;", "段落编号写整数，用 ; 分隔"),
    "no_paragraph": ("no paragraph given", "缺少段落编号",
                     "give the paragraph number(s) of the source that state this fact",
                     "填写来源中说明此事的段落编号"),
    "bad_row_ref": ("{value!r} is not a row number", "{value!r} 不是行号", "write the row as a whole number",
                    "行号写整数"),
    # dates and numbers
    "bad_date": ("{value!r} is not a date between 1900 and 2100{reason}", "{value!r} 不是 1900—2100 年间的有效日期{reason_zh}",
                 "write YYYY, YYYY-MM or YYYY-MM-DD (e.g. 2020-12)", "写成 YYYY、YYYY-MM 或 YYYY-MM-DD（如 2020-12）"),
    "not_a_number": ("{value!r} is not a number", "{value!r} 不是数字",
                     "write the number only (e.g. 1200 with qualifier more_than for 1200余)",
                     "只写数字（如“1200余”写 1200，限定写 more_than / 多于）"),
    "ended_before_date": ("ended {value!r} is before the date {date!r} it began", "结束日期 {value!r} 早于开始日期 {date!r}",
                          "check both dates: a fact ends on or after the day it begins, or leave ended empty",
                          "核对两个日期：结束不早于开始；尚未结束则留空"),
    "bad_weight": ("weight {value!r} is not a positive number", "权重 {value!r} 不是正数",
                   "write a number above 0 (e.g. 2 or 0.5), or leave it empty for 1",
                   "填写大于 0 的数（如 2 或 0.5），或留空（即 1）"),
    "bad_count": ("count {value!r} is not a positive whole number", "次数 {value!r} 不是正整数",
                  "write a whole number from 1 up (e.g. 3), or leave it empty for 1",
                  "填写 1 及以上的整数（如 3），或留空（即 1）"),
    "no_value": ("no value", "缺少数值", "write the number", "填写数值"),
    # references
    "region_not_region": ("{value!r} is not the id of a Region node", "{value!r} 不是地区表中的编号",
                          "use the id of a Region row, or leave it empty", "填写地区表中的编号或名称，或留空"),
    "no_endpoint": ("no {column} node", "缺少{column_zh}", "give the id of the {column} node",
                    "填写{column_zh}节点的编号或名称"),
    "no_node": ("no node", "缺少节点", "give the id of the node the figure describes", "填写该数据所描述节点的编号"),
    "unknown_node": ("{value!r} is not a node id in nodes.csv", "{value!r} 不是 nodes.csv 中的节点编号",
                     "add that node, or correct the id", "先添加该节点，或改正编号"),
    "unknown_node_name": ("{value!r} is not the id, name or alias of a node", "{value!r} 不是已有节点的编号、名称或别名",
                          "add that node, or correct the id or name", "先添加该节点，或改正编号/名称"),
    "ambiguous_name": ("{value!r} names several nodes: {candidates}", "{value!r} 对应多个节点：{candidates}",
                       "write the id instead (give the rows ids if they have none), or a name only one row has",
                       "改写为编号（没有编号的行请先填写编号），或写只有一行使用的名称"),
    "refers_to_skipped": ("{value!r} is a node whose row was skipped ({where})", "{value!r} 所在的行已被跳过（{where}）",
                          "correct that row, then import again", "改正那一行后重新导入"),
    # relationships
    "wrong_endpoints": ("{type} cannot go from a {start_label} to a {end_label}", "关系 {type} 不能从{start_zh}指向{end_zh}",
                        "allowed: {allowed}", "允许：{allowed}"),
    "self_loop": ("a relationship from a node to itself", "关系的起点和终点相同", "correct start or end", "改正起点或终点"),
    "duplicate_relationship": ("the same {type} from {start} to {end} is on {first}", "同一关系 {type}（{start} → {end}）已在{first_zh}",
                               "keep one row; put several paragraphs in one row separated by ;",
                               "只保留一行，多个段落用 ; 分隔"),
    # figures
    # the registry (alliances registry import)
    "reg_bad_xlsx": ("cannot be opened as an .xlsx workbook ({error}); it may be damaged or not a workbook",
                     "无法作为 .xlsx 工作簿打开，文件可能已损坏或不是工作簿",
                     "save it again from Excel as .xlsx", "请在 Excel 中重新另存为 .xlsx"),
    "reg_no_sheet": ("no sheet {name!r}", "没有工作表 {name!r}", "use one of: {choices}", "使用：{choices}"),
    "reg_which_sheet": ("{count} sheets ({choices}) and none is plainly the registry",
                        "共 {count} 个工作表（{choices}），无法判断哪个是名录",
                        "pass --sheet NAME", "用 --sheet 指定工作表"),
    "reg_too_many_rows": ("more than {limit:,} rows", "超过 {limit:,} 行", "split the registry into several files",
                          "把名录拆成几个文件"),
    "reg_no_entries": ("no entries (only a header)", "没有任何条目（只有表头）",
                       "add one row per enterprise or social organisation", "每个企业或社会组织填写一行"),
    "reg_code_as_number": ("the credit code is stored as a number, so Excel kept only 15 digits",
                           "统一社会信用代码被存为数字，Excel 只保留 15 位",
                           "format the column as text and type the code again", "把该列设为文本格式后重新输入代码"),
    "reg_doubtful_code": ("credit code {value!r} {why}; kept, matched by name only",
                          "统一社会信用代码 {value!r} {why_zh}；已保留，仅按名称匹配",
                          "copy the 18-character code from the business licence",
                          "从营业执照抄写 18 位统一社会信用代码"),
    "reg_duplicate_code": ("credit code {value} is also on row {other}", "统一社会信用代码 {value} 与第 {other} 行重复",
                           "keep one row per organisation", "每个组织只保留一行"),
    "reg_duplicate_entry": ("the same name and place as row {other} (and no valid credit code to tell them apart)",
                            "与第 {other} 行名称、园区相同（且无有效信用代码可区分）",
                            "keep one row, or correct the credit code", "只保留一行，或改正信用代码"),
    "reg_unknown_kind": ("unknown kind {value!r}", "未知的类别 {value!r}",
                         "write 企业 (enterprise) or 社会组织 (social_organization)", "填写“企业”或“社会组织”"),
    "reg_no_kind": ("no kind", "缺少类别", "write 企业 (enterprise) or 社会组织 (social_organization)",
                    "填写“企业”或“社会组织”"),
    "reg_no_place": ("no park or district", "缺少园区或地区",
                     "use the id, name or alias of a Zone or Region row of the dataset",
                     "填写数据集中园区或地区的编号、名称或别名"),
    "reg_unknown_place": ("{value!r} is not a park (Zone) or district (Region) of the dataset",
                          "{value!r} 不是数据集中的园区或地区",
                          "use the id, name or alias of a Zone or Region row of the dataset",
                          "填写数据集中园区或地区的编号、名称或别名"),
    "reg_ambiguous_place": ("{value!r} names several places: {choices}", "{value!r} 对应多个地区或园区：{choices}",
                            "write the id instead", "改写为编号"),
    "reg_unknown_size": ("unknown size {value!r}", "未知的规模 {value!r}",
                         "write 规上 (above) or 规下 (below), or leave it empty", "填写“规上”或“规下”，或留空"),
    "reg_bad_match": ("{name}: match {value!r} is not the id of an Organization in nodes.csv",
                      "{name}：匹配组织 {value!r} 不是 nodes.csv 中组织的编号",
                      "correct the id, or clear match and run 'alliances registry import' again",
                      "改正编号，或清空后重新运行 alliances registry import"),
    "reg_bad_method": ("{name}: unknown match_method {value!r}", "{name}：未知的匹配方式 {value!r}",
                       "use one of: {choices}", "使用：{choices}"),
    "reg_not_review": ("not a review file (no 'entry' and 'decision' columns)", "不是待核对文件（没有 entry 和 decision 列）",
                       "give the file 'alliances registry import' wrote (registry-review.csv)",
                       "使用 alliances registry import 写出的 registry-review.csv"),
    "reg_unknown_entry": ("{value!r} is not an entry of the dataset's registry", "{value!r} 不是数据集名录中的条目",
                          "keep the entry column as written; import the registry first",
                          "保持 entry 列不变；先导入名录"),
    "reg_bad_decision": ("{value!r} is not the id or name of one Organization", "{value!r} 不是某个组织的编号或名称",
                         "write an id from the candidates column, or none", "填写候选列中的编号，或填 none（无）"),
    "no_key": ("no key", "缺少指标名", "use lower-case letters, digits and _ (e.g. party_members)",
               "用小写字母、数字和 _（如 party_members）"),
    "bad_key": ("{value!r} is not a property name", "{value!r} 不是有效的指标名",
                "use lower-case letters, digits and _ (e.g. party_members)", "用小写字母、数字和 _（如 party_members）"),
    "reserved_key": ("{value!r} is a built-in property", "{value!r} 与内置属性重名", "choose another name", "换一个指标名"),
    "duplicate_figure": ("{node}.{key} is already given on {first}", "{node}.{key} 已在{first_zh}给出", "keep one", "只保留一行"),
}


def render(code: str, params: dict) -> tuple[str, str, str, str]:
    """English message, Chinese message, English fix, Chinese fix of ``code`` with ``params``."""
    en, zh, fix_en, fix_zh = MESSAGES[code]
    values = _Defaults(params)
    out = [t.format_map(values) for t in (en, zh, fix_en, fix_zh)]
    hints = [h for h in params.get("suggestions") or () if h]
    if hints:
        shown = ", ".join(hints)
        out[2] = f"did you mean {shown}? Otherwise {out[2]}"
        out[3] = f"是不是 {shown}？否则{out[3]}"
    return out[0], out[1], out[2], out[3]


class _Defaults(dict):
    """Parameters for a template; an optional one left out reads as empty."""

    def __missing__(self, key):
        return ""
