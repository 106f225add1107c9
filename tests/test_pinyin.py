"""Search as people type: pinyin, initials and a mix of both (alliances/pinyin.py)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from click.testing import CliRunner

from alliances import pinyin
from alliances.cli import cli
from tests.test_map import _node, _rel, make_dataset, map_data

YSK = "成都盐市口商圈综合党委"


@pytest.mark.parametrize("typed", ["yanshikou", "YanShiKou", "yan shi kou", "ysk", "yansk", "yshik",
                                   "cdysksqzhdw", "chengduyanshikou", "zonghedangwei", "dangw"])
def test_a_name_is_found_by_its_pinyin_its_initials_or_a_mix(typed):
    assert pinyin.matches(YSK, pinyin.typed(typed))


@pytest.mark.parametrize("typed", ["yanshikuo", "kouyan", "yskx", "dangzong", "chengdux"])
def test_what_the_name_does_not_spell_does_not_match(typed):
    # a run of characters in order: no skipping, no reordering, nothing after the end
    assert not pinyin.matches(YSK, pinyin.typed(typed))


def test_every_reading_of_a_polyphone_counts():
    # 重 reads chong (重庆) or zhong; 长 chang or zhang; 行 xing or hang
    assert pinyin.matches("重庆解放碑商圈党委", "chongqing") and pinyin.matches("重庆解放碑商圈党委", "zhongqing")
    assert pinyin.matches("长江银行党支部", "changjiangyinhang") and pinyin.matches("长江银行党支部", "cjyh")


def test_typed_is_pinyin_only_when_it_is_letters_and_digits():
    assert pinyin.typed("Yan Shi'kou") == "yanshikou"
    assert pinyin.typed("盐市口") is None and pinyin.typed("y") is None and pinyin.typed("a-b c") == "abc"


def test_keys_for_the_page_are_phrase_readings():
    assert pinyin.keys(YSK) == ["chengduyanshikoushangquanzonghedangwei", "cdysksqzhdw"]
    assert pinyin.keys("重庆荣昌") == ["chongqingrongchang", "cqrc"]  # 重庆 as a phrase: chong, not zhong
    assert pinyin.keys("Huashang") == []  # nothing to add to a name typed in letters already


def _search(*args):
    result = CliRunner().invoke(cli, ["search", *args, "--format", "json", "--no-cache"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return [row["id"] for row in json.loads(result.output)]


def test_search_yanshikou_finds_the_yanshikou_committee_in_the_bundled_network():
    assert "yanshikou-committee" in _search("yanshikou")
    # initials only: nothing in the English names spells ysk
    assert _search("ysk") == ["huashang-yanshikou-alliance", "yanshikou-circle", "yanshikou-committee"]
    # 华商 is part of 自贡华商商圈党委: found as written
    assert "huashang-committee" in _search("华商")


def test_search_by_pinyin_where_no_english_name_helps(tmp_path):
    nodes = [_node("r1", "Region", "成都市", kind="", name_en=""),
             _node("o1", name=YSK, name_en="", region="r1"),
             _node("o2", name="自贡华商商圈党委", name_en="", aliases=["华商商圈党委"], region="r1"),
             _node("o3", name="重庆解放碑商圈党委", name_en="", region="r1")]
    data = make_dataset(tmp_path / "d", nodes, [_rel("o1", "MANAGES", "o2")])
    assert _search("yanshikou", "--data", data) == ["o1"]
    assert _search("ysk", "--data", data) == ["o1"]
    assert _search("hssq", "--data", data) == ["o2"]
    assert _search("jiefangbei", "--data", data) == ["o3"]
    # exact and written hits come before pinyin hits
    assert _search("shangquan", "--data", data) == ["o1", "o2", "o3"]


def test_search_by_pinyin_under_lang_c_as_a_subprocess():
    env = {**os.environ, "LANG": "C", "LC_ALL": "C", "PYTHONIOENCODING": ""}
    out = subprocess.run([sys.executable, "-m", "alliances", "search", "ysk", "--no-cache"],
                         capture_output=True, env=env, timeout=300)
    assert out.returncode == 0, out.stderr
    assert YSK in out.stdout.decode("utf-8")


def test_the_map_carries_pinyin_keys_for_its_search_box(tmp_path):
    out = tmp_path / "m.html"
    result = CliRunner().invoke(cli, ["map", "--out", str(out), "--no-cache"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    nodes = {n["id"]: n for n in map_data(out.read_text("utf-8"))["nodes"]}
    assert nodes["yanshikou-committee"]["py"][:2] == pinyin.keys(YSK)  # then its aliases' keys
    assert "zghssqdw" in nodes["huashang-committee"]["py"]  # 自贡华商商圈党委's initials


@pytest.mark.browser
def test_the_map_search_box_finds_names_by_pinyin_in_chromium(tmp_path):
    from tests.browser import console_errors, open_local

    out = tmp_path / "m.html"
    assert CliRunner().invoke(cli, ["map", "--out", str(out), "--no-cache"]).exit_code == 0
    with open_local(out) as page:
        page.wait_for_function("window.alliancesReady === true", timeout=120_000)
        for typed in ("yanshikou", "ysk", "Yan Shi Kou"):
            page.fill("#search", typed)
            assert YSK in page.locator("#search-results li").all_inner_texts(), typed
        page.fill("#search", "huashang")  # also its English name
        assert "自贡华商商圈党委" in page.locator("#search-results li").all_inner_texts()
        page.fill("#search", "zghssqdw")
        assert "自贡华商商圈党委" in page.locator("#search-results li").all_inner_texts()
        page.locator("#search-results li", has_text="自贡华商商圈党委").first.click()
        assert page.evaluate("alliancesNetwork.getSelectedNodes()") == ["huashang-committee"]
        assert page.blocked == [] and console_errors(page) == [] and page.errors == []
