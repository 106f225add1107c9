"""The bundled dataset is faithful to the article; validation reports every problem at once."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from alliances import model
from alliances.dataset import read_dataset, write_dataset
from alliances.errors import ValidationError
from alliances.resolve import normalize

# What the tests need from the source article and its glossary, as facts kept in the
# repository (entity names, paragraph numbers, names as the article writes them; never
# the article's sentences): a clone with nothing beside it runs these tests too.
FACTS = json.loads((Path(__file__).resolve().parent / "fixtures" / "article_facts.json").read_text("utf-8"))

# Each row of the glossary's "Named in the article" table, keyed by the first
# Chinese run of its entity cell, and the dataset nodes that stand for it.
EXPECTED_ENTITIES = {
    "自贡市委组织部": ["zg-org-dept"],
    "四川威鹏电缆制造股份有限公司党支部": ["weipeng-branch"],
    "自贡华商商圈党委": ["huashang-committee"],
    "自贡市海川实业有限公司党支部": ["haichuan-branch"],
    "自贡高新技术产业开发区": ["zg-hitech-zone"],
    "新地佩尔阀门公司": ["xindipeier", "xindipeier-branch", "xindipeier-vanguard"],
    "高新技术产业开发区两新党委": ["zone-two-new-committee"],
    "高新区党工委": ["zone-working-committee"],
    "成都盐市口商圈综合党委": ["yanshikou-committee"],
    "先锋同行": ["xianfeng-agreement"],
    "成渝地区双城经济圈国家高新区党建联盟": ["cc-hitech-alliance"],
    "重庆荣昌": ["rongchang", "chengdu", "exchange-visits", "hsr-power-project"],
    "重庆解放碑商圈党委": ["jiefangbei-committee", "mv-shoot"],
    "三地": ["three-place-activity"],
    "自贡中兴耐磨新材料有限公司": ["zhongxing", "zhongxing-branch", "chen-guifang", "sichuan-advanced-2019"],
}


def glossary_rows():
    return [(row["key"], row["entity"], set(row["paragraphs"])) for row in FACTS["glossary_entities"]]


def test_every_glossary_entity_is_in_the_dataset_with_its_paragraph(bundled):
    rows = glossary_rows()
    assert len(rows) == 15
    assert {k for k, _, _ in rows} == set(EXPECTED_ENTITIES)
    for key, cell, paras in rows:
        ids = EXPECTED_ENTITIES[key]
        first = bundled.nodes[ids[0]]
        names = [normalize(first["name"])] + [normalize(a) for a in first["aliases"]]
        assert any(normalize(key) in n for n in names), (cell, first["name"])
        for nid in ids:
            node = bundled.nodes[nid]
            assert node["source"] == "zigong-2022"
            assert node["paragraphs"], nid
        # the first node is cited in at least one paragraph the glossary gives
        assert set(first["paragraphs"]) & paras, (cell, first["paragraphs"], paras)


def test_every_node_and_relationship_cites_a_paragraph_that_mentions_it(bundled):
    assert FACTS["paragraph_count"] == 24
    for rel in bundled.relationships:
        assert rel["paragraphs"] and all(1 <= p <= 24 for p in rel["paragraphs"]), rel
    for nid, node in bundled.nodes.items():
        assert node["paragraphs"] and all(1 <= p <= 24 for p in node["paragraphs"]), nid


FIGURES = {  # (node, value, qualifier, paragraph) read off the article by hand
    ("zigong", 1566, "exact", 4), ("zigong", 97.5, "exact", 4), ("zigong", 95.8, "exact", 4),
    ("zigong", 277, "exact", 7), ("zigong", 1669, "exact", 7), ("zigong", 23, "exact", 7),
    ("zigong", 301, "exact", 7), ("zigong", 15, "exact", 7),
    ("zg-hitech-zone", 1200, "more_than", 10), ("zg-hitech-zone", 80, "nearly", 10),
    ("zg-hitech-zone", 15, "exact", 23), ("zg-hitech-zone", 106, "exact", 23),
    ("zg-hitech-zone", 9, "exact", 23), ("zg-hitech-zone", 72, "exact", 23),
    ("zg-hitech-zone", 192, "exact", 23),
    ("zhongxing", 150, "more_than", 20), ("zhongxing", 100_000_000, "nearly", 20),
    ("cc-hitech-alliance", 10, "more_than", 16), ("cc-hitech-alliance", 3, "exact", 16),
    ("xindipeier-vanguard", 3, "exact", 8),
}


def test_every_figure_of_the_article_is_a_property_of_the_node_it_describes(bundled):
    got = {(f["node"], f["value"], f["qualifier"], f["paragraphs"][0]) for f in bundled.figures}
    assert got == FIGURES


def test_dates_the_article_gives(bundled):
    assert bundled.nodes["xianfeng-agreement"]["date"] == "2020"
    assert bundled.nodes["xianfeng-agreement"]["date_note"] == "2020年末"
    received = [r for r in bundled.relationships if r["type"] == "RECEIVED"]
    assert [(r["start"], r["end"], r["date"]) for r in received] == [
        ("zhongxing-branch", "sichuan-advanced-2019", "2019")]


def test_no_invented_organisations(bundled):
    # Every organisation's Chinese name or one of its aliases appears in the article
    # (自贡市委组织部 is 市委组织部 there, the glossary's fuller name).
    named = set(FACTS["names_in_article"])  # every organisation name the article writes
    derived = {"xindipeier-branch", "xindipeier-vanguard", "weipeng", "haichuan"}  # named inside a longer name
    for nid, node in bundled.nodes.items():
        if node["label"] == "Organization" and nid not in derived:
            assert any(n in named for n in [node["name"], *node["aliases"]]), node["name"]


def test_relationships_respect_the_model(bundled):
    for rel in bundled.relationships:
        pair = (bundled.nodes[rel["start"]]["label"], bundled.nodes[rel["end"]]["label"])
        assert pair in model.REL_TYPES[rel["type"]].endpoints


# ---------------------------------------------------------------------------
# Validation


def _broken(tmp_path, bundled) -> Path:
    out = write_dataset(bundled, tmp_path / "ds")
    nodes = (out / "nodes.csv").read_text(encoding="utf-8").splitlines()
    header = nodes[0].split(",")
    assert header[:3] == ["id", "label", "name"]
    nodes.append("bad id!,Organisation,,x,wizard,nowhere,20-20,,,,,zigong-2022,seven")
    nodes.append("zigong,Region,重复,,,,,,,,,zigong-2022,4")
    (out / "nodes.csv").write_text("\n".join(nodes) + "\n", encoding="utf-8")
    rels = (out / "relationships.csv").read_text(encoding="utf-8").splitlines()
    rels.append("huashang-committee,LIKES,ghost,,,,,nosource,")
    rels.append("zigong,MEMBER_OF,huashang-committee,,,,,zigong-2022,7")
    (out / "relationships.csv").write_text("\n".join(rels) + "\n", encoding="utf-8")
    return out


def test_validation_reports_every_problem_with_file_row_and_column(tmp_path, bundled):
    out = _broken(tmp_path, bundled)
    n_nodes = len(bundled.nodes) + 1  # header is row 1
    with pytest.raises(ValidationError) as info:
        read_dataset(out)
    found = {(Path(p.file).name, p.row, p.field) for p in info.value.problems}
    bad_row, dup_row = n_nodes + 1, n_nodes + 2
    rel_row = len(bundled.relationships) + 2
    expected = {
        ("nodes.csv", bad_row, "id"), ("nodes.csv", bad_row, "label"), ("nodes.csv", bad_row, "name"),
        ("nodes.csv", bad_row, "kind"), ("nodes.csv", bad_row, "date"), ("nodes.csv", bad_row, "paragraphs"),
        ("nodes.csv", dup_row, "id"),
        ("relationships.csv", rel_row, "end"), ("relationships.csv", rel_row, "type"),
        ("relationships.csv", rel_row, "source"), ("relationships.csv", rel_row, "paragraphs"),
        ("relationships.csv", rel_row + 1, "type"),
    }
    assert expected <= found, expected - found
    text = str(info.value)
    assert "nothing was written" in text and "fix:" in text


def test_missing_files_and_columns_are_reported(tmp_path, bundled):
    out = write_dataset(bundled, tmp_path / "ds")
    (out / "relationships.csv").unlink()
    lines = (out / "nodes.csv").read_text(encoding="utf-8").splitlines()
    lines[0] = lines[0].replace("label,", "")
    (out / "nodes.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(ValidationError) as info:
        read_dataset(out)
    found = {(Path(p.file).name, p.field) for p in info.value.problems}
    assert ("relationships.csv", None) in found
    assert ("nodes.csv", "label") in found


def test_round_trip_write_then_read_is_identical(tmp_path, bundled):
    again = read_dataset(write_dataset(bundled, tmp_path / "copy"))
    assert again.nodes == bundled.nodes
    assert again.relationships == bundled.relationships
    assert again.figures == bundled.figures
    assert again.sources == bundled.sources


def test_gb18030_and_bom_csv_read_the_same(tmp_path, bundled):
    src = write_dataset(bundled, tmp_path / "utf8")
    for enc in ("gb18030", "utf-8-sig"):
        dst = tmp_path / enc
        shutil.copytree(src, dst)
        for f in dst.glob("*.csv"):
            f.write_bytes(f.read_text(encoding="utf-8").encode(enc))
        assert read_dataset(dst).nodes == bundled.nodes


def test_rows_are_read_lazily_but_a_late_broken_quote_rejects_the_whole_file(tmp_path):
    from alliances.dataset import iter_csv_rows, read_csv_rows

    f = tmp_path / "rows.csv"
    f.write_text('id,name\na,甲\n\n b ,"乙, 丙"\n', encoding="utf-8")
    header, rows = iter_csv_rows(f)
    assert header == ["id", "name"]
    assert iter(rows) is rows  # an iterator, not a list held in memory
    assert list(rows) == [(2, {"id": "a", "name": "甲"}), (4, {"id": " b ", "name": "乙, 丙"})]
    assert read_csv_rows(f) == (header, [(2, {"id": "a", "name": "甲"}), (4, {"id": " b ", "name": "乙, 丙"})])
    # the quote opened on line 3 never closes: one problem for the file, found before any row is given out
    f.write_text('id,name\na,甲\nb,"乙\nc,丙\n', encoding="utf-8")
    with pytest.raises(ValidationError) as err:
        iter_csv_rows(f)
    [problem] = err.value.problems
    assert problem.row == 3 and "broken CSV quoting" in problem.message and "line 3" in problem.message


def test_relationships_share_the_node_id_strings(bundled):
    # a million relationships must not hold a million copies of their endpoints' ids
    for rel in bundled.relationships:
        assert rel["start"] is bundled.nodes[rel["start"]]["id"] and rel["end"] is bundled.nodes[rel["end"]]["id"]
