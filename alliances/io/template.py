"""The Excel workbook planners fill in, and its header scheme.

Scheme (read back by :mod:`alliances.io.importer`):

- one sheet per node label, named ``"<中文> <Label>"`` (``组织 Organization``),
  whose rows are nodes of that label (no label column needed); a ``节点 Nodes``
  sheet takes nodes of any label with a ``类型 label`` column; then
  ``关系 Relationships``, ``数据 Figures``, ``来源 Sources``;
- row 1 is the header, each cell ``"<中文> <english>"`` (``名称 name``); a
  header cell may also be the Chinese or the English name alone;
- row 2 is an example row: its first column starts with ``example-`` and the
  importer skips every such row;
- ``说明 Instructions`` explains this in Chinese and English; ``_lists`` (hidden)
  holds the drop-down lists.
"""

from __future__ import annotations

import os
from pathlib import Path

from alliances import model

NODES_SHEET = "节点 Nodes"
SHEETS_OTHER = {
    "relationships": "关系 Relationships",
    "figures": "数据 Figures",
    "sources": "来源 Sources",
}
INSTRUCTIONS_SHEET = "说明 Instructions"
LISTS_SHEET = "_lists"
EXAMPLE_PREFIX = "example-"
MAX_ROWS = 5000  # rows covered by the drop-downs


# Excel refuses what the importer would refuse (the importer checks again: a typed value
# can bypass a validation, e.g. by pasting)
TIE_CHECKS = {
    "weight": {"type": "decimal", "operator": "greaterThan", "formula1": "0",
               "error": "权重须为正数，如 1、2.5。 weight: a positive number, e.g. 1 or 2.5."},
    "count": {"type": "whole", "operator": "greaterThanOrEqual", "formula1": "1",
              "error": "次数须为正整数，如 1、3。 count: a positive whole number, e.g. 1 or 3."},
}


def label_sheet(label: str) -> str:
    return f"{model.LABELS[label].zh} {label}"


def props_for(kind: str, label_column: bool = True, provenance: bool = False) -> list[model.Prop]:
    """The columns of a ``kind`` sheet; ``provenance`` adds where imported facts came from."""
    if kind == "nodes":
        props = [p for p in model.NODE_PROPS if label_column or p.name != "label"] + list(model.END_PROPS)
    else:
        props = list({"relationships": model.REL_PROPS + model.TIE_PROPS + model.END_PROPS,
                      "figures": model.FIGURE_PROPS, "sources": model.SOURCE_PROPS}[kind])
    if kind == "sources":
        return props if provenance else [p for p in props if p.name != "imported"]
    return props + list(model.PROVENANCE_PROPS) if provenance else props


def header_text(prop: model.Prop) -> str:
    return f"{prop.zh} {prop.name}"


def _example(kind: str, label: str | None) -> dict:
    if kind == "sources":
        return {"id": "example-source", "title": "示例：来源文章标题 (example: article title)",
                "publisher": "示例 example", "published": "2022-03"}
    if kind == "relationships":
        return {"start": "example-org", "type": model.choice_text("type", "MEMBER_OF"), "end": "example-alliance",
                "source": "example-source", "paragraphs": "1", "weight": "1", "count": "1"}
    if kind == "figures":
        return {"node": "example-org", "key": "party_members", "value": "120", "qualifier": model.choice_text("qualifier", "more_than"),
                "unit": "members", "label_zh": "党员人数", "label_en": "Party members",
                "source": "example-source", "paragraphs": "1"}
    label = label or "Organization"
    row = {"id": f"example-{label.lower()}", "label": label,
           "name": f"示例{model.LABELS[label].zh}（example {model.LABELS[label].en.lower()}）",
           "region": "example-region" if label != "Region" else "",
           "source": "example-source", "paragraphs": "1;2"}
    if label == "Organization":
        row["kind"] = model.choice_text("kind", "party_committee")
        row["aliases"] = "简称一;简称二"
    return row


INSTRUCTIONS = [
    ("如何填写", "How to fill in"),
    ("每种节点一张表（地区、园区、组织……），每行一个节点；关系、数据、来源各一张表。",
     "One sheet per node label (Region, Zone, Organization, …), one node per row; "
     "one sheet each for relationships, figures and sources."),
    ("第 1 行是表头（“中文 english”），不要修改；第 2 行是示例，编号以 example- 开头，导入时跳过。",
     "Row 1 is the header (\"中文 english\"), keep it; row 2 is an example whose id starts "
     "with example- and is skipped on import."),
    ("编号可以留空：会根据类型和名称生成稳定编号；关系的起点/终点可以写编号、名称或别名。",
     "Ids may be left empty: a stable id is made from label and name; a relationship's "
     "start/end may be an id, a name or an alias."),
    ("别名、段落用分号 ; 分隔。日期写 YYYY、YYYY-MM 或 YYYY-MM-DD（Excel 日期单元格也可以）。",
     "Separate aliases and paragraphs with ;. Dates are YYYY, YYYY-MM or YYYY-MM-DD "
     "(Excel date cells work too)."),
    ("组织类别、地区、关系类型、类型列有下拉列表（显示“中文 (code)”）；也可以直接写中文名、英文名或代码。地区填地区表中的编号或名称。",
     "kind, region, relationship type and label have drop-down lists (shown as \"中文 (code)\"); "
     "the Chinese name, the English name or the code may also be typed. region takes an id or a "
     "name from the Region sheet."),
    ("来源和段落可以都留空：该行本身（文件、工作表、行号和导入日期）即为出处。",
     "source and paragraphs may both be left empty: the row itself (file, sheet, row and the "
     "import date) is then the provenance."),
    ("关系的权重（正数，默认 1）和次数（正整数，默认 1）可以留空；关系在分析中的强度为 权重 × 次数。",
     "A relationship's weight (a positive number, default 1) and count (a positive whole number, "
     "default 1) may be left empty; the tie's strength in the analyses is weight x count."),
    ("同一组织带不带城市前缀（如“华商商圈党委”与“自贡华商商圈党委”）只写一行，短名写进别名。",
     "Write one row per organisation: a name with and without a city prefix is one "
     "organisation; put the short name in aliases."),
    ("导入：alliances import 本文件.xlsx --out 数据文件夹", "Import: alliances import this.xlsx --out FOLDER"),
]


def _as_text(cell) -> None:
    """A data cell as a string cell, never a formula; quote-prefixed when it looks like one.

    openpyxl makes any string starting with ``=`` a formula, and Excel would run it
    (``=HYPERLINK(...)`` fetching a URL); the quote prefix keeps it text when edited.
    """
    from alliances.cells import needs_guard, xlsx_escape

    if isinstance(cell.value, str) and cell.value:
        guard = needs_guard(cell.value)
        cell.value = xlsx_escape(cell.value)
        cell.data_type = "s"
        if guard:
            cell.quotePrefix = True


def write_workbook(path: str | os.PathLike, ds=None) -> Path:
    """Write the template (empty, or filled with ``ds``) to ``path`` atomically."""
    import io

    from openpyxl import Workbook
    from openpyxl.cell.cell import Cell
    from openpyxl.styles import Font, PatternFill
    from openpyxl.worksheet.datavalidation import DataValidation

    from alliances.dataset import _fmt
    from alliances.files import atomic_write_bytes

    wb = Workbook()
    ins = wb.active
    ins.title = INSTRUCTIONS_SHEET
    ins.append(["中文", "English"])
    for zh, en in INSTRUCTIONS:
        ins.append([zh, en])
    ins.column_dimensions["A"].width = 70
    ins.column_dimensions["B"].width = 90
    ins["A1"].font = ins["B1"].font = Font(bold=True)

    lists = wb.create_sheet(LISTS_SHEET)
    # the drop-downs show "中文 (code)"; the importer reads that form, the code or either name
    columns = {f: [model.choice_text(f, c) for c in model.code_names(f)]
               for f in ("kind", "type", "label", "qualifier")}
    ranges = {}
    for j, (name, values) in enumerate(columns.items(), start=1):
        letter = chr(ord("A") + j - 1)
        lists.cell(1, j, name)
        for i, v in enumerate(values, start=2):
            lists.cell(i, j, v)
        ranges[name] = f"'{LISTS_SHEET}'!${letter}$2:${letter}${len(values) + 1}"
    # the kind list holds organisation kinds, then a Region's levels: each sheet offers its own
    n_org = len(model.KINDS)
    kind_ranges = {"all": ranges["kind"], "Organization": f"'{LISTS_SHEET}'!$A$2:$A${n_org + 1}",
                   "Region": f"'{LISTS_SHEET}'!$A${n_org + 2}:$A${len(columns['kind']) + 1}"}
    ranges["kind"] = kind_ranges["Organization"]
    lists.sheet_state = "hidden"
    region_range = f"'{label_sheet('Region')}'!$A$3:$A${MAX_ROWS}"

    head_font, head_fill = Font(bold=True), PatternFill("solid", fgColor="DDEBF7")
    ex_font = Font(italic=True, color="808080")

    def sheet(title, kind, props, rows, example):
        ws = wb.create_sheet(title)
        ws.append([header_text(p) for p in props])
        for c in ws[1]:
            c.font, c.fill = head_font, head_fill
        ws.append([example.get(p.name, "") for p in props])
        for c in ws[2]:
            c.font = ex_font
        for row in rows:  # cells made here, not looked up after append (ws.max_row is O(cells) a call)
            cells = [Cell(ws, value=_fmt(row.get(p.name, ""))) for p in props]
            for c in cells:
                _as_text(c)
            ws.append(cells)
        for j, p in enumerate(props, start=1):
            letter = ws.cell(1, j).column_letter
            ws.column_dimensions[letter].width = max(12, min(40, len(header_text(p)) + 6))
            formula = None
            if p.name == "kind":
                formula = "=" + (kind_ranges["Region"] if title == label_sheet("Region")
                                 else kind_ranges["all"] if title == NODES_SHEET else ranges["kind"])
            elif p.name in ("label", "qualifier") or (kind == "relationships" and p.name == "type"):
                formula = "=" + ranges[p.name]
            elif kind == "nodes" and p.name == "region":
                formula = "=" + region_range
            if formula:
                dv = DataValidation(type="list", formula1=formula, allow_blank=True, showErrorMessage=False)
                dv.add(f"{letter}3:{letter}{MAX_ROWS}")
                ws.add_data_validation(dv)
            elif kind == "relationships" and p.name in TIE_CHECKS:
                dv = DataValidation(allow_blank=True, showErrorMessage=True, errorTitle=header_text(p),
                                    **TIE_CHECKS[p.name])
                dv.add(f"{letter}3:{letter}{MAX_ROWS}")
                ws.add_data_validation(dv)
        ws.freeze_panes = "A3"

    # a filled-in workbook keeps where imported facts came from, so it imports back unchanged
    prov = ds is not None and any(f.get("source_row") for f in (*ds.nodes.values(), *ds.relationships,
                                                                *ds.figures))
    nodes_by_label: dict[str, list] = {lab: [] for lab in model.LABELS}
    if ds is not None:
        for node in ds.nodes.values():
            nodes_by_label[node["label"]].append(node)
    for label in model.LABELS:
        sheet(label_sheet(label), "nodes", props_for("nodes", False, prov), nodes_by_label[label],
              _example("nodes", label))
    sheet(SHEETS_OTHER["relationships"], "relationships", props_for("relationships", provenance=prov),
          ds.relationships if ds else [], _example("relationships", None))
    sheet(SHEETS_OTHER["figures"], "figures", props_for("figures", provenance=prov), ds.figures if ds else [],
          _example("figures", None))
    sheet(SHEETS_OTHER["sources"], "sources", props_for("sources", provenance=prov),
          list(ds.sources.values()) if ds else [], _example("sources", None))
    sheet(NODES_SHEET, "nodes", props_for("nodes", True), [], _example("nodes", "Organization"))
    wb.calculation.fullCalcOnLoad = False  # the workbook holds no formulas to recalculate
    buf = io.BytesIO()
    wb.save(buf)
    return atomic_write_bytes(path, buf.getvalue())
