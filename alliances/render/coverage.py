"""Coverage as text (table, CSV, Markdown), as a report section, and as an inline SVG chart.

Everything here lays out :func:`alliances.analysis.coverage.coverage_report`'s
plain data; nothing is computed again. The chart is plain SVG (no script),
escaped, so it prints and opens offline.
"""

from __future__ import annotations

from markupsafe import Markup, escape

TEXT = {
    "zh": {
        "section": "两个覆盖", "rates": "覆盖率", "dimension": "维度", "group": "分组", "entries": "条目",
        "matched": "已匹配", "org_covered": "组织覆盖", "own": "单独建党组织", "joint": "联合党组织", "org_rate": "组织覆盖率%",
        "work_covered": "工作覆盖", "work_rate": "工作覆盖率%", "covered_rate": "两个覆盖合计%", "uncovered": "未覆盖",
        "review": "待核对", "kind": "类别", "place": "园区/地区", "industry": "行业", "size": "规模", "all": "合计",
        "name": "名称", "credit_code": "统一社会信用代码", "reached_by": "覆盖方式", "match": "图中组织",
        "organisation": "党组织", "year": "年份", "raised": "反映", "resolved": "解决", "open": "未解决",
        "trend": "覆盖趋势（按年末）", "problems": "企业反映问题", "reported": "报道数字与计算值",
        "figure": "指标", "reported_value": "报道值", "computed": "计算值", "paragraphs": "段落",
        "work": "覆盖工作（图中）", "count": "数量",
        "list_uncovered": "两个覆盖均未覆盖的条目", "list_no-party-organisation": "没有党组织的条目",
        "list_not-reached": "党的工作未覆盖的条目", "list_review": "待核对匹配的条目", "list_entries": "全部条目",
        "no_registry": "此数据集没有名录（registry.csv）：只列出报道数字和图中的覆盖工作。导入名录：alliances registry import 文件 --data 数据文件夹",
        "not_modelled": "—",
        "note": "组织覆盖：有单独或联合党组织（BRANCH_OF）；工作覆盖：党委指导或管理、党建指导站或联系点服务、指导员、县级领导联系。未匹配到图中组织（或待核对）的条目不计为覆盖。",
        "own_word": "单独", "joint_word": "联合",
        "work_keys": {"stations": "党建指导站", "contact_points": "党建联系点", "demonstration_sites": "党建示范点",
                      "blocs": "行业联体", "party_instructors": "党建指导员", "industry_instructors": "行业指导员",
                      "leaders": "联系企业的领导", "enterprises_contacted": "领导联系的企业",
                      "managed_party_orgs": "综合党委直接管理的党组织"},
        "chart": "组织覆盖率与工作覆盖率（按园区/地区）",
    },
    "en": {
        "section": "Coverage", "rates": "Coverage rates", "dimension": "Dimension", "group": "Group",
        "entries": "Entries", "matched": "Matched", "org_covered": "Org. covered", "own": "Own Party org.", "joint": "Joint Party org.",
        "org_rate": "Org. coverage %", "work_covered": "Work covered", "work_rate": "Work coverage %",
        "covered_rate": "Either %", "uncovered": "Uncovered", "review": "To review", "kind": "kind",
        "place": "park/district", "industry": "industry", "size": "size", "all": "all", "name": "Name",
        "credit_code": "Credit code", "reached_by": "Reached by", "match": "In the graph",
        "organisation": "Party org.", "year": "Year", "raised": "Raised", "resolved": "Resolved", "open": "Open",
        "trend": "Trend (year end)", "problems": "Problems raised by enterprises",
        "reported": "Reported figures and computed values", "figure": "Figure", "reported_value": "Reported",
        "computed": "Computed", "paragraphs": "Paragraphs", "work": "Coverage work (in the graph)", "count": "Count",
        "list_uncovered": "Entries covered neither way", "list_no-party-organisation": "Entries without a Party organisation",
        "list_not-reached": "Entries Party work does not reach", "list_review": "Entries awaiting review",
        "list_entries": "All entries",
        "no_registry": "This dataset has no registry (registry.csv): only the reported figures and the coverage work in the graph are shown. Import one: alliances registry import FILE --data FOLDER",
        "not_modelled": "—",
        "note": "Organisational coverage: an own or joint Party organisation (BRANCH_OF); work coverage: a committee guiding or managing it, a guidance station or contact point serving it, an instructor or a leader's contact. Entries not matched to the graph (or awaiting review) count as uncovered.",
        "own_word": "own", "joint_word": "joint",
        "work_keys": {"stations": "guidance stations", "contact_points": "contact points",
                      "demonstration_sites": "demonstration sites", "blocs": "industry blocs",
                      "party_instructors": "Party-building instructors", "industry_instructors": "industry instructors",
                      "leaders": "leaders contacting enterprises", "enterprises_contacted": "enterprises contacted",
                      "managed_party_orgs": "Party orgs managed by comprehensive committees"},
        "chart": "Organisational and work coverage by park/district",
    },
}
LISTS = {"uncovered": "uncovered", "no-party-organisation": "no_party_organisation", "not-reached": "not_reached",
         "review": "review", "entries": "entries"}


def _num(v) -> str:
    if v is None:
        return "—"
    if isinstance(v, float):
        return f"{v:.1f}"
    return f"{v:,}" if isinstance(v, int) and abs(v) >= 10_000 else str(v)


def tables(rep: dict, lang: str, *, by: str = "all", listing: str | None = "uncovered",
           limit: int | None = None) -> list[tuple[str, list[str], list[list[str]]]]:
    """``(caption, header, rows)`` of every table, plain text."""
    T = TEXT[lang]
    out = []
    if rep["meta"]["registry_entries"]:
        rows = [rep["totals"]] + [g for g in rep["groups"] if by in ("all", g["dimension"])]
        out.append((T["rates"], [T["dimension"], T["group"], T["entries"], T["matched"], T["own"], T["joint"],
                                 T["org_rate"], T["work_covered"], T["work_rate"], T["covered_rate"], T["uncovered"],
                                 T["review"]],
                    [[T.get(g["dimension"], g["dimension"]), g["name"], _num(g["entries"]), _num(g["matched"]),
                      _num(g["own"]), _num(g["joint"]), _num(g["org_rate"]), _num(g["work_covered"]),
                      _num(g["work_rate"]), _num(g["covered_rate"]), _num(g["uncovered"]), _num(g["review"])]
                     for g in rows]))
        if rep["trend"]:
            out.append((T["trend"], [T["year"], T["entries"], T["org_covered"], T["org_rate"],
                                     T["work_covered"], T["work_rate"]],
                        [[str(t["year"]), _num(t["entries"]), _num(t["org_covered"]), _num(t["org_rate"]),
                          _num(t["work_covered"]), _num(t["work_rate"])] for t in rep["trend"]]))
    p = rep["problems"]
    if p["raised"]:
        out.append((T["problems"], [T["year"], T["raised"], T["resolved"]],
                    [[y["year"], _num(y["raised"]), _num(y["resolved"])] for y in p["by_year"]]
                    + [[T["all"], _num(p["raised"]), f"{_num(p['resolved'])} ({T['open']} {_num(p['open'])})"]]))
    if rep["meta"]["has_work"]:
        out.append((T["work"], [T["figure"], T["count"]],
                    [[T["work_keys"][k], _num(v)] for k, v in rep["work"].items() if k in T["work_keys"]]))
    if rep["reported"]:
        out.append((T["reported"], [T["figure"], T["reported_value"], T["computed"], T["paragraphs"]],
                    [[r["label_zh"] if lang == "zh" else r["label_en"], _qualified(r, lang), _num(r["computed"]),
                      " ".join(f"¶{x}" for x in r["paragraphs"])] for r in rep["reported"]]))
    if listing and listing != "none" and rep["meta"]["registry_entries"]:
        items = rep[LISTS[listing]]
        shown = items[:limit] if limit else items
        rows = [[x["name"], x["credit_code"], x["place_name"], x["industry"], _kind(x, lang),
                 {"own": T["own_word"], "joint": T["joint_word"]}.get(x["organisation"], ""), x["reached_by_text"],
                 x["match"]] for x in shown]
        if limit and len(items) > limit:
            rows.append([f"… +{len(items) - limit:,}", "", "", "", "", "", "", ""])
        out.append((f"{T['list_' + listing]} ({len(items):,})",
                    [T["name"], T["credit_code"], T["place"], T["industry"], T["kind"], T["organisation"],
                     T["reached_by"], T["match"]], rows))
    return out


def _kind(x, lang):
    from alliances import model

    k = model.KINDS.get(x["kind"])
    return (k.zh if lang == "zh" else k.en) if k else x["kind"]


def _qualified(r, lang) -> str:
    v = _num(r["reported"])
    q = r["qualifier"]
    if q == "more_than":
        return v + ("余" if lang == "zh" else "+")
    if q in ("about", "nearly"):
        return ("近" if lang == "zh" else "~") + v
    return v


def coverage_text(rep: dict, fmt: str, *, by: str = "all", listing: str | None = None, lang: str = "zh") -> str:
    """``alliances coverage`` output as a terminal table, CSV or Markdown."""
    from alliances.output import render_rows

    T = TEXT[lang]
    if fmt == "csv":
        if listing:
            items = rep[LISTS[listing]] if listing != "none" else []
            cols = ["id", "name", "credit_code", "kind", "place", "place_name", "industry", "size", "registered",
                    "match", "match_method", "organisation", "work", "reached_by"]
            return render_rows([{**x, "work": ";".join(x["work"]), "reached_by": ";".join(x["reached_by"])}
                                for x in items], "csv", cols)
        rows = [rep["totals"]] + [g for g in rep["groups"] if by in ("all", g["dimension"])]
        return render_rows(rows, "csv", ["dimension", "key", "name", "entries", "matched", "own", "joint",
                                         "org_covered", "org_rate", "work_covered", "work_rate", "covered",
                                         "covered_rate", "uncovered", "review"])
    parts = []
    if not rep["meta"]["registry_entries"]:
        parts.append(T["no_registry"] + "\n")
    for caption, header, rows in tables(rep, lang, by=by, listing=listing or "uncovered"):
        parts.append(render_rows([dict(zip(header, r)) for r in rows], fmt, header, title=caption))
    if rep["meta"]["registry_entries"]:
        parts.append(("\n" if fmt == "markdown" else "") + T["note"] + "\n")
    return "\n".join(parts)


# ---------------------------------------------------------------------------
# Report section


def report_section(rep: dict, lang: str, *, top: int = 20) -> tuple[str, list, list[str]]:
    """``(heading, tables, paragraphs)`` for the planner's report (bounded lists)."""
    T = TEXT[lang]
    paras = [T["note"]] if rep["meta"]["registry_entries"] else [T["no_registry"]]
    return T["section"], tables(rep, lang, by="place", listing="uncovered", limit=top), paras


def svg_chart(rep: dict, lang: str, *, top: int = 12) -> Markup | None:
    """Horizontal bars: organisational and work coverage per park/district (inline SVG, no script)."""
    T = TEXT[lang]
    rows = [g for g in rep["groups"] if g["dimension"] == "place"]
    rows = sorted(rows, key=lambda g: (-g["entries"], g["key"]))[:top]
    if not rows:
        return None
    bar_w, left, row_h = 320, 190, 34
    height = 40 + row_h * len(rows) + 30
    width = left + bar_w + 90
    parts = [Markup('<svg xmlns="http://www.w3.org/2000/svg" role="img" class="coverage-chart" '
                    'width="{}" height="{}" viewBox="0 0 {} {}" font-size="12">').format(width, height, width, height),
             Markup("<title>{}</title>").format(T["chart"]),
             Markup('<text x="0" y="16" font-weight="bold">{}</text>').format(T["chart"])]
    for i, g in enumerate(rows):
        y = 32 + i * row_h
        name = g["name"] if len(g["name"]) <= 14 else g["name"][:13] + "…"
        parts.append(Markup('<text x="{}" y="{}" text-anchor="end">{}</text>').format(left - 8, y + 14, name))
        for j, (key, color) in enumerate((("org_rate", "#d62728"), ("work_rate", "#1f77b4"))):
            v = g[key] or 0.0
            parts.append(Markup('<rect class="bar-{}" data-value="{}" x="{}" y="{}" width="{}" height="12" '
                                'fill="{}"><title>{} {}: {}%</title></rect>').format(
                key, v, left, y + j * 13, round(bar_w * v / 100.0, 1), color, g["name"], T[key], v))
            parts.append(Markup('<text x="{}" y="{}">{}%</text>').format(
                left + round(bar_w * v / 100.0, 1) + 4, y + j * 13 + 10, f"{v:.1f}"))
    ly = height - 14
    parts.append(Markup('<rect x="{}" y="{}" width="12" height="10" fill="#d62728"/>'
                        '<text x="{}" y="{}">{}</text>').format(left, ly - 9, left + 16, ly, T["org_rate"]))
    parts.append(Markup('<rect x="{}" y="{}" width="12" height="10" fill="#1f77b4"/>'
                        '<text x="{}" y="{}">{}</text>').format(left + 150, ly - 9, left + 166, ly, T["work_rate"]))
    parts.append(Markup("</svg>"))
    return Markup("").join(escape(p) for p in parts)
