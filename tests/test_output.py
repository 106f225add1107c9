"""Terminal output in the user's language (alliances/output.py): `--lang zh|en` on every command
that prints a table, Chinese by default on Chinese data, region names instead of ids, and tables
that never break a name across lines (checked under LANG=C at COLUMNS=60 as a real subprocess)."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from alliances import model
from alliances.chars import language_of
from alliances.cli import cli
from alliances.output import HEADERS, header, localize, render_rows, units, wrap
from tests.conftest import run_cli

CIRCLE = str(Path(__file__).parent / "fixtures" / "circle")
WIDE = {"COLUMNS": "220"}

# Each table command on the bundled data, with headers of its table in Chinese and in English.
TABLE_COMMANDS = {
    "centrality": (["centrality", "--top", "3"], ["排名", "名称", "地区", "中介中心性", "地区内排名"],
                   ["rank", "name", "region", "betweenness", "rank in region"]),
    "brokers": (["brokers", "--top", "3"], ["名称", "协调者", "关节点", "地区甲", "联系数"],
                ["name", "coordinator", "articulation point", "region A", "ties"]),
    "corridors": (["corridors"], ["地区对", "距离", "最短路径上的组织", "切断者"],
                  ["regions", "distance", "on shortest paths", "cut by"]),
    "communities": (["communities"], ["社区", "规模", "成员", "自贡", "成都"],
                    ["community", "size", "members", "Zigong", "Chengdu"]),
    "suggest": (["suggest", "--top", "2", "--data", CIRCLE], ["名称", "建议伙伴", "伙伴地区", "理由"],
                ["name", "suggested partner", "partner's region", "reason"]),
    "whatif": (["whatif", "--without", "自贡华商商圈党委"], ["地区甲", "变化", "指标", "最大连通部分"],
               ["region A", "change", "measure", "largest component"]),
    "search": (["search", "商圈"], ["编号", "类型", "名称", "英文名", "地区", "类别"],
               ["id", "label", "name", "English name", "region", "kind"]),
    "coverage": (["coverage"], ["指标", "报道值", "计算值"], ["Figure", "Reported", "Computed"]),
    "changes": (["changes", "--from", "2019", "--to", "2023"], ["变化", "新增"], ["What changed", "new"]),
}


def _header_line(out: str) -> str:
    """The lines of a box table's header rows (between ┏ and ┡)."""
    return "\n".join(line for line in out.splitlines() if line.startswith("┃"))


@pytest.mark.parametrize("name", sorted(TABLE_COMMANDS))
def test_headers_in_chinese_by_default_and_english_with_lang_en(name):
    args, zh, en = TABLE_COMMANDS[name]
    res = CliRunner().invoke(cli, args, env=WIDE)
    assert res.exit_code == 0, res.output
    assert all(w in res.output for w in zh), (name, res.output)
    assert _header_line(res.output), res.output  # a box table, wide enough at 220 columns
    res_en = CliRunner().invoke(cli, [*args, "--lang", "en"], env=WIDE)
    assert res_en.exit_code == 0, res_en.output
    assert all(w in res_en.output for w in en), (name, res_en.output)
    heads = _header_line(res_en.output)
    assert not re.search(r"[\u4e00-\u9fff]", heads), (name, heads)  # no Chinese header in English


def test_every_table_command_of_the_cli_reference_takes_lang():
    reference = (Path(__file__).parents[1] / "docs" / "cli.md").read_text(encoding="utf-8")
    for name in [*TABLE_COMMANDS, "path", "datasets", "show"]:
        section = reference.split(f"## alliances {name}\n", 1)[1].split("\n## ", 1)[0]
        assert "--lang [zh|en]" in section, name


def test_the_default_language_follows_the_data(tmp_path):
    assert language_of(["自贡华商商圈党委", "Acme"]) == "zh" and language_of(["Acme", "Globex", "华商"]) == "en"
    assert language_of([]) == "zh"
    # the same network with English names only: English headers by default
    from alliances.dataset import read_dataset, write_dataset

    ds = read_dataset()
    for d in ds.nodes.values():
        d["name"] = d.get("name_en") or d["id"]
    folder = write_dataset(ds, tmp_path / "en")
    res = CliRunner().invoke(cli, ["centrality", "--top", "2", "--data", str(folder), "--no-cache"], env=WIDE)
    assert res.exit_code == 0, res.output
    assert "rank" in _header_line(res.output) and "排名" not in res.output
    assert "Zigong" in res.output  # region names in English too


# ---------------------------------------------------------------------------
# Region names, not ids


def test_brokers_and_corridors_name_regions_on_the_bundled_data():
    out = CliRunner().invoke(cli, ["brokers"], env=WIDE).output
    assert "│ 自贡 " in out and "zigong" not in out and "chengdu" not in out
    matrix = [line for line in out.splitlines() if line.startswith("│ 成都 ")]
    assert matrix and "重庆" in matrix[0]
    rows = list(csv.DictReader(io.StringIO(CliRunner().invoke(cli, ["brokers", "--format", "csv"]).output)))
    assert {(r["region_id"], r["region"]) for r in rows} == {("zigong", "自贡"), ("chengdu", "成都"),
                                                              ("chongqing", "重庆")}
    corridors = CliRunner().invoke(cli, ["corridors", "--format", "csv"]).output
    assert [r["regions"] for r in csv.DictReader(io.StringIO(corridors))] == ["自贡–成都", "自贡–重庆", "成都–重庆"]
    md = CliRunner().invoke(cli, ["corridors", "--format", "markdown", "--lang", "en"]).output
    assert "| Zigong–Chongqing |" in md and "zigong" not in md


def test_json_keeps_ids_and_adds_names():
    data = json.loads(CliRunner().invoke(cli, ["brokers", "--format", "json"]).output)
    assert {(b["region"], b["region_name"]) for b in data["brokers"]} == {("zigong", "自贡"), ("chengdu", "成都"),
                                                                         ("chongqing", "重庆")}
    assert {(t["region_a"], t["region_a_name"], t["region_b"], t["region_b_name"]) for t in data["tie_matrix"]} >= {
        ("chengdu", "成都", "chongqing", "重庆"), ("chongqing", "重庆", "zigong", "自贡")}
    data = json.loads(CliRunner().invoke(cli, ["corridors", "--format", "json", "--lang", "en"]).output)
    assert [(c["region_a"], c["region_a_name"], c["region_b_name"]) for c in data["corridors"]] == [
        ("zigong", "Zigong", "Chengdu"), ("zigong", "Zigong", "Chongqing"), ("chengdu", "Chengdu", "Chongqing")]


def test_the_eight_city_fixture_names_every_city():
    out = CliRunner().invoke(cli, ["corridors", "--format", "csv", "--data", CIRCLE, "--no-cache"]).output
    pairs = [r["regions"] for r in csv.DictReader(io.StringIO(out))]
    assert len(pairs) == 36 and "绵阳市–自贡" in pairs and "泸州市–宜宾市" in pairs
    assert not any(re.search(r"[a-z]", p) for p in pairs)  # no region id left
    brokers = CliRunner().invoke(cli, ["brokers", "--format", "csv", "--data", CIRCLE, "--no-cache"]).output
    got = {r["id"]: r["region"] for r in csv.DictReader(io.StringIO(brokers))}
    assert got["wh1"] == "成都" and got["rc1"] == "重庆" and got["my1"] == "绵阳市" and got["sc1"] == "四川"
    en = CliRunner().invoke(cli, ["brokers", "--data", CIRCLE, "--no-cache", "--lang", "en"], env=WIDE).output
    assert "Mianyang" in en and "Luzhou" in en and "mianyang" not in en


def test_show_names_its_fields_and_regions_in_the_users_language():
    zh = CliRunner().invoke(cli, ["show", "中兴耐磨公司党支部"]).output
    assert "  编号: zhongxing-branch" in zh and "  地区: 自贡 (zigong)" in zh and "  来源: zigong-2022" in zh
    en = CliRunner().invoke(cli, ["show", "中兴耐磨公司党支部", "--lang", "en"]).output
    assert "  id: zhongxing-branch" in en and "  region: Zigong (zigong)" in en and "  source: zigong-2022" in en
    data = json.loads(CliRunner().invoke(cli, ["show", "中兴耐磨公司党支部", "--format", "json"]).output)
    assert (data["node"]["region"], data["node"]["region_name"], data["node"]["region_group_name"]) == (
        "zigong", "自贡", "自贡")


def test_centrality_and_search_show_region_and_kind_names():
    out = CliRunner().invoke(cli, ["centrality", "--top", "3"], env=WIDE).output
    assert "│ 自贡华商商圈党委 " in out and "│ 自贡 " in out and "│ 党委 " in out and "party_committee" not in out
    en = CliRunner().invoke(cli, ["search", "yanshikou", "--lang", "en"], env=WIDE).output
    assert "Chengdu" in en and "Organisation" in en and "comprehensive" in en and "chengdu " not in en
    # CSV keeps the codes a re-import reads, with the region's name
    rows = list(csv.DictReader(io.StringIO(CliRunner().invoke(cli, ["centrality", "--format", "csv"]).output)))
    assert rows[0]["kind"] == "party_committee" and rows[0]["region"] == "自贡"


# ---------------------------------------------------------------------------
# Tables that never split a name


def _known_words() -> set[str]:
    from alliances.dataset import read_dataset
    from alliances.network import Network

    ds = read_dataset()
    net = Network(ds)
    words = set()
    for d in ds.nodes.values():
        words |= {d.get("name", ""), d.get("name_en", ""), *(d.get("aliases") or [])}
    words |= {net.region_name(r["key"], lang) for r in net.regions for lang in ("zh", "en")}
    words |= {v for pair in HEADERS.values() for v in pair}
    words |= {getattr(x, a) for t in (model.KINDS, model.LABELS) for x in t.values() for a in ("zh", "en")}
    return {w for w in words if w}


def _fragments(out: str, names: set[str]) -> list[str]:
    """Tokens that are a piece of a name but no whole word we print: a name broken across lines."""
    known = _known_words()
    bad = []
    for line in out.splitlines():
        for token in re.split(r"[\s│┃┏┓┗┛┡┩━─┳┻╇╈┼┬┴└┘┌┐]+", line):
            token = token.rstrip(";：:")
            if len(token) < 2 or token in known or not re.search(r"[\u4e00-\u9fff]", token):
                continue
            if any(n != token and (n.startswith(token) or n.endswith(token)) for n in names):
                bad.append(token)
    return bad


NARROW_COMMANDS = [["brokers"], ["corridors"], ["communities"], ["suggest"], ["centrality"],
                   ["whatif", "--without", "自贡华商商圈党委"], ["search", "商圈"],
                   ["path", "--from", "陈桂芳", "--to-region", "成都"]]


@pytest.mark.parametrize("args", NARROW_COMMANDS, ids=lambda a: a[0])
def test_no_name_is_split_across_lines_at_60_columns_under_lang_c(args):
    from alliances.dataset import read_dataset

    names = {d["name"] for d in read_dataset().nodes.values() if len(d["name"]) >= 4}
    proc = run_cli(*args, env={"LANG": "C", "LC_ALL": "C", "COLUMNS": "60"})
    assert proc.returncode == 0, proc.stderr.decode("utf-8", "replace")
    out = proc.stdout.decode("utf-8")
    assert out.strip()
    assert _fragments(out, names) == [], out
    assert max(len(line) for line in out.splitlines()) <= 60 or args[0] == "path"


def test_the_check_would_catch_a_folded_name():
    """The old layout (rich folding cells) split names; the check above sees it."""
    import io as _io

    from rich.console import Console
    from rich.table import Table

    t = Table()
    t.add_column("名称", overflow="fold", max_width=12)
    t.add_row("新地佩尔阀门公司党支部")
    buf = _io.StringIO()
    Console(file=buf, width=40, color_system=None).print(t)
    assert _fragments(buf.getvalue(), {"新地佩尔阀门公司党支部"})


# ---------------------------------------------------------------------------
# The pieces


def test_wrap_breaks_between_words_only():
    assert units("甲公司; 乙公司 x") == [("甲公司;", False), ("乙公司", True), ("x", True)]
    assert units("共同伙伴 甲（乙：同在联盟丙；丁：直接合作）") == [
        ("共同伙伴", False), ("甲（乙：", True), ("同在联盟丙；", False), ("丁：", False), ("直接合作）", False)]
    assert wrap("自贡华商商圈党委; 成都盐市口商圈综合党委", 20) == ["自贡华商商圈党委;", "成都盐市口商圈综合党委"]
    assert wrap("自贡华商、成都盐市口商圈党建联盟", 10) == ["自贡华商、成都盐市口商圈党建联盟"]  # one name, whole


def test_records_layout_when_columns_cannot_fit(monkeypatch):
    monkeypatch.setenv("COLUMNS", "40")
    rows = [{"name": "自贡中兴耐磨新材料有限公司", "region": "自贡", "members": ["甲", "乙"]}]
    out = render_rows(rows, "table", ["name", "region", "members"], title="T", lang="zh")
    assert "名称 : 自贡中兴耐磨新材料有限公司" in out and "地区 : 自贡" in out and "成员 : 甲; 乙" in out
    monkeypatch.setenv("COLUMNS", "120")
    wide = render_rows(rows, "table", ["name", "region", "members"], lang="en")
    assert "┃ name " in wide and "│ 自贡中兴耐磨新材料有限公司 │" in wide


def test_localize_names_codes_and_keeps_csv_codes():
    names = {"zigong": {"zh": "自贡", "en": "Zigong"}}
    rn = lambda key, lang: names.get(key, {}).get(lang, key)  # noqa: E731
    row = {"region": "zigong", "kind": "party_committee", "label": "Organization", "articulation": True,
           "change": "broken"}
    assert localize([row], "zh", region_name=rn) == [{"region": "自贡", "kind": "党委", "label": "组织",
                                                      "articulation": "是", "change": "中断"}]
    assert localize([row], "en", region_name=rn)[0]["articulation"] == "yes"
    assert localize([row], "zh", region_name=rn, codes=False) == [{**row, "region": "自贡"}]
    assert header("cross_region", "zh") == "跨地区中介" and header("cross_region", None) == "cross_region"
    assert header("自贡", "en") == "自贡"  # a column named from the data stays as it is


def test_markdown_and_csv_escaping_survive_localized_headers():
    rows = [{"name": "=HYPERLINK(\"http://x\")", "reason": "a|b"}]
    md = render_rows(rows, "markdown", ["name", "reason"], lang="zh")
    assert md.splitlines()[0] == "| 名称 | 理由 |" and "a\\|b" in md
    out = render_rows(rows, "csv", ["name", "reason"], lang="zh")
    assert out.splitlines()[0] == "name,reason" and "'=HYPERLINK" in out


def test_long_name_lists_are_bounded_in_tables_and_markdown_but_not_in_csv():
    from alliances.output import LIST_SHOWN, render_rows

    names = [f"组织{i}" for i in range(25)]
    rows = [{"regions": "自贡–成都", "on_shortest_paths": names}]
    md = render_rows(rows, "markdown", lang="zh")
    assert "组织9 等 25 个" in md and "组织10" not in md
    en = render_rows(rows, "markdown", lang="en")
    assert f"组织9 and {25 - LIST_SHOWN} more" in en and "组织10" not in en
    table = render_rows(rows, "table", lang="zh")
    assert "等 25 个" in table and "组织10" not in table
    csv_text = render_rows(rows, "csv")
    assert all(n in csv_text for n in names)
    assert "等" not in csv_text
