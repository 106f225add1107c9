"""What-if: taking organisations or ties away, on the bundled network and small datasets."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from alliances.analysis.whatif import organisations_view, parse_without, what_if
from alliances.cli import cli
from alliances.errors import NameResolutionError, UsageError
from tests.conftest import run_cli


def test_without_huashang_breaks_both_zigong_corridors(bundled_graph):
    # huashang-committee is Zigong's only organisation tied outside Zigong
    # (see tests/test_brokerage.py), so without it both Zigong corridors break;
    # Chengdu–Chongqing keeps its direct tie (shared mv-shoot and three-place-activity).
    res = what_if(bundled_graph, without=["huashang-committee"])
    rows = {(r["region_a"], r["region_b"]): r for r in res["corridors"]}
    assert rows[("zigong", "chengdu")]["change"] == "broken"
    assert rows[("zigong", "chengdu")]["before"] == 1 and rows[("zigong", "chengdu")]["after"] is None
    assert rows[("zigong", "chongqing")]["change"] == "broken"
    assert rows[("chengdu", "chongqing")]["change"] == "unchanged"
    # Largest component: before, three components of 3 (the committees'
    # triangle, xindipeier trio, zhongxing trio); after, the trios remain: 3.
    assert res["largest_component"] == {"before": 3, "after": 3}
    # Top 5 by betweenness, then degree, then id. Before: xindipeier-branch and
    # zhongxing (betweenness > 0), then degree 2/14 for the three committees.
    # After (14 organisations once huashang is gone): the two, then every
    # organisation with one tie (degree 1/13) by id: haichuan, haichuan-branch,
    # jiefangbei-committee. So huashang and yanshikou leave the top 5.
    assert [h["id"] for h in res["top_hubs"]["before"]][:2] == ["xindipeier-branch", "zhongxing"]
    assert {h["id"] for h in res["top_hubs"]["left"]} == {"huashang-committee", "yanshikou-committee"}
    assert [h["id"] for h in res["top_hubs"]["entered"]] == ["haichuan", "haichuan-branch"]


def test_without_the_direct_tie_lengthens_the_corridor(bundled_graph):
    # Cut the projected tie huashang~yanshikou: Zigong reaches Chengdu via
    # jiefangbei (huashang–jiefangbei–yanshikou): distance 1 → 2.
    res = what_if(bundled_graph, without_ties=[("huashang-committee", "yanshikou-committee")])
    rows = {(r["region_a"], r["region_b"]): r for r in res["corridors"]}
    assert (rows[("zigong", "chengdu")]["before"], rows[("zigong", "chengdu")]["after"]) == (1, 2)
    assert rows[("zigong", "chengdu")]["change"] == "lengthened"
    # jiefangbei now brokers an open two-path huashang→jiefangbei→yanshikou
    # (zigong, chongqing, chengdu: liaison) and becomes an articulation point.
    assert [b["id"] for b in res["brokers"]["new"]] == ["jiefangbei-committee"]
    assert [a["id"] for a in res["articulation_points"]["new"]] == ["jiefangbei-committee"]


def test_tie_removal_also_drops_shared_hubs(bundled_graph):
    H, meta = organisations_view(bundled_graph, without_ties=[("huashang-committee", "yanshikou-committee")])
    assert not H.has_edge("huashang-committee", "yanshikou-committee") and meta["missing_ties"] == []


def test_parse_without_names_and_ties(bundled_graph):
    nodes, ties = parse_without(bundled_graph, ["自贡华商商圈党委", "盐市口商圈综合党委~重庆解放碑商圈党委"])
    assert nodes == ["huashang-committee"]
    assert ties == [("yanshikou-committee", "jiefangbei-committee")]
    with pytest.raises(UsageError):
        parse_without(bundled_graph, ["a~"])
    with pytest.raises(NameResolutionError):
        parse_without(bundled_graph, ["华商"])  # four nodes match


def test_cli_whatif_json_and_missing_tie():
    runner = CliRunner()
    res = runner.invoke(cli, ["whatif", "--without", "huashang-committee", "--format", "json"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.output)
    assert data["removed"] == [{"id": "huashang-committee", "name": "自贡华商商圈党委"}]
    bad = runner.invoke(cli, ["whatif", "--without", "weipeng~zhongxing"])
    assert bad.exit_code == 2 and "no tie between weipeng~zhongxing" in bad.output


def test_whatif_as_subprocess_under_c_locale():
    proc = run_cli("whatif", "--without", "自贡华商商圈党委", "--format", "markdown", env={"LANG": "C", "LC_ALL": "C"})
    assert proc.returncode == 0, proc.stderr.decode("utf-8", "replace")
    out = proc.stdout.decode("utf-8")
    # region names, not ids, in the data's language (Chinese), the change word too
    assert "| 地区甲 | 地区乙 | 之前 | 之后 | 变化 |" in out
    assert "| 自贡 | 成都 | 1 |  | 中断 |" in out and "zigong" not in out
    assert "without huashang-committee" in out
    en = run_cli("whatif", "--without", "自贡华商商圈党委", "--format", "markdown", "--lang", "en",
                 env={"LANG": "C", "LC_ALL": "C"}).stdout.decode("utf-8")
    assert "| region A | region B | before | after | change |" in en and "| Zigong | Chengdu | 1 |  | broken |" in en


def test_without_a_regions_only_organisation(bundled_graph):
    # yanshikou-committee is Chengdu's only organisation: without it both
    # Chengdu corridors break (the region is empty); Zigong–Chongqing keeps
    # its direct huashang–jiefangbei tie (distance 1, unchanged).
    res = what_if(bundled_graph, without=["yanshikou-committee"])
    rows = {(r["region_a"], r["region_b"]): r["change"] for r in res["corridors"]}
    assert rows == {("zigong", "chengdu"): "broken", ("zigong", "chongqing"): "unchanged",
                    ("chengdu", "chongqing"): "broken"}
