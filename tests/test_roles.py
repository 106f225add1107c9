"""Relationship roles and statuses print in the output's language (model.ROLE_NAMES, STATUS_NAMES)."""

from __future__ import annotations

import csv
import json
import re

from alliances import model
from alliances.dataset import bundled_path
from alliances.render.map import build_map
from tests.conftest import ROOT, run_cli

FACTS = json.loads((ROOT / "tests" / "fixtures" / "article_facts.json").read_text(encoding="utf-8"))
LATIN = re.compile(r"[A-Za-z]")


def _bundled_roles() -> dict[str, str]:
    with open(bundled_path() / "relationships.csv", encoding="utf-8-sig", newline="") as fh:
        return {f"{r['start']}|{r['type']}|{r['end']}": r["role"] for r in csv.DictReader(fh) if r["role"]}


def test_every_bundled_role_has_the_articles_chinese_word():
    roles = _bundled_roles()
    want = {k: v for k, v in FACTS["roles"].items() if not k.startswith("_")}
    assert set(roles) == set(want)  # the fixture lists every role the bundled data give
    for key, role in roles.items():
        assert model.role_text(role, "zh") == want[key]["zh"], key
        assert model.role_text(role, "en") == role  # the data's English, unchanged


def test_roles_are_read_in_either_language_and_unknown_ones_kept_as_written():
    assert model.role_text("董事长", "en") == "chair of the board"
    assert model.role_text("  Chair of the Board ", "zh") == "董事长"  # case and spaces do not matter
    assert model.role_text("党建指导员", "en") == "Party-building instructor"  # model.WORK_ROLES
    assert model.role_text("party_instructor", "zh") == "党建指导员"
    assert model.role_text("founder", "zh") == "发起方" and model.role_text("signatory", "zh") == "签约方"
    assert model.role_text("timekeeper", "zh") == "timekeeper"
    assert model.role_text("联络员", "en") == "联络员"
    assert model.role_text("", "zh") == "" and model.role_text(None, "en") == ""


def test_each_chinese_role_names_one_role():
    seen = {}
    for code, (zh, en, others) in model.ROLE_NAMES.items():
        for name in (code, zh, en, *others):
            assert seen.setdefault(model.fold(name), code) == code, name


def test_statuses_print_in_the_language():
    assert model.status_text("planned", "zh") == "计划"
    assert model.status_text("计划中", "en") == "planned"
    assert model.status_text("on hold", "zh") == "on hold"


def test_path_under_lang_zh_prints_chinese_roles_and_statuses():
    proc = run_cli("path", "自贡华商商圈党委", "重庆解放碑商圈党委", "--k", "2", "--lang", "zh",
                   env={"LANG": "C", "LC_ALL": "C"})
    assert proc.returncode == 0, proc.stderr.decode("utf-8", "replace")
    text = proc.stdout.decode("utf-8")
    assert "(共同邀请、联合开展)" in text and "(受邀联合开展)" in text
    assert "(共同谋划; 计划)" in text and "(合作方; 计划)" in text
    qualifiers = re.findall(r"\(([^()]*)\)  \[", text)
    assert len(qualifiers) == 4 and not any(LATIN.search(q) for q in qualifiers), qualifiers


def test_path_under_lang_en_keeps_the_english_roles():
    proc = run_cli("path", "自贡华商商圈党委", "重庆解放碑商圈党委", "--k", "2", "--lang", "en",
                   env={"LANG": "C", "LC_ALL": "C"})
    text = proc.stdout.decode("utf-8")
    assert "(co-host and inviter)" in text and "(invited partner)" in text and "(co-planner; planned)" in text


def test_show_prints_its_ties_roles_in_chinese():
    proc = run_cli("show", "陈桂芳", "--lang", "zh", env={"LANG": "C", "LC_ALL": "C"})
    text = proc.stdout.decode("utf-8")
    assert "(董事长)" in text and "(党支部书记)" in text and "chair of the board" not in text


def test_the_chinese_maps_edge_tooltips_give_roles_in_chinese(bundled):
    roles = _bundled_roles()
    for lang in ("zh", "en"):
        m = build_map(None, dataset=bundled, lang=lang)
        word = "角色" if lang == "zh" else "Role"
        shown = [value for e in m["edges"] for key, value in e["tip"] if key == word]
        assert len(shown) == len(roles)  # every role is on its edge's tooltip
        if lang == "zh":
            assert not any(LATIN.search(v) for v in shown), shown
            assert "共同邀请、联合开展" in shown and "董事长" in shown
        else:
            assert sorted(shown) == sorted(roles.values())
