"""Every cypher/planner_*.cypher on the live server, with its documented parameters and rows worked out by hand.

The network (regions r1 甲市 and r2 乙市)::

    o1 甲市一号党委 (r1, alias 一号) —GUIDES→ o2 甲市二号企业 (r1)
    o1 —FOUNDED→ al1 甲乙联盟 ←MEMBER_OF— o3 乙市三号党委 (r2)
    o1 —PARTY_TO (2020)→ ag1 共建协议 (2020) ←PARTY_TO (2020)— o4 乙市四号企业 (r2)
    o3 —MANAGES→ o4;  o6 乙市六号支部 (r2) —BRANCH_OF→ o4
    al1 —ORGANIZED→ act1 联谊活动 (2021-05) ←PARTICIPATED_IN— o2, o3
    o2, o7 甲市七号企业 (r1) —MEMBER_OF→ al2 沉寂联盟 —ORGANIZED→ act2 旧活动 (2018)
    o4 —MEMBER_OF→ al3 无活动联盟 (no activity);  o5 甲市五号孤立 (r1), no ties
"""

from __future__ import annotations

import datetime as dt
import re

import pytest

from alliances import model
from alliances.dataset import read_dataset
from alliances.store.cypher import cypher_dir, render
from alliances.store.neo4j import Neo4jStore

pytestmark = pytest.mark.neo4j

D = dt.date


@pytest.fixture(scope="module")
def planner_store(tmp_path_factory, neo4j_settings, neo4j_driver, neo4j_database):
    from tests.conftest import wipe
    from tests.test_map import _node, _rel, make_dataset

    def org(nid, name, region, **kw):
        return _node(nid, "Organization", name, region=region, **kw)

    nodes = [
        _node("r1", "Region", "甲市", kind=""), _node("r2", "Region", "乙市", kind=""),
        org("o1", "甲市一号党委", "r1", aliases=["一号"]), org("o2", "甲市二号企业", "r1"),
        org("o3", "乙市三号党委", "r2"), org("o4", "乙市四号企业", "r2"), org("o5", "甲市五号孤立", "r1"),
        org("o6", "乙市六号支部", "r2"), org("o7", "甲市七号企业", "r1"),
        _node("al1", "Alliance", "甲乙联盟", kind=""), _node("al2", "Alliance", "沉寂联盟", kind=""),
        _node("al3", "Alliance", "无活动联盟", kind=""),
        _node("ag1", "Agreement", "共建协议", kind="", date="2020", date_note="2020年"),
        _node("act1", "Activity", "联谊活动", kind="", date="2021-05"),
        _node("act2", "Activity", "旧活动", kind="", date="2018"),
    ]
    rels = [
        _rel("o1", "GUIDES", "o2"), _rel("o1", "FOUNDED", "al1"), _rel("o3", "MEMBER_OF", "al1"),
        _rel("o1", "PARTY_TO", "ag1", date="2020", date_note="2020年"),
        _rel("o4", "PARTY_TO", "ag1", date="2020", date_note="2020年"),
        _rel("o3", "MANAGES", "o4"), _rel("o6", "BRANCH_OF", "o4"),
        _rel("al1", "ORGANIZED", "act1"), _rel("o2", "PARTICIPATED_IN", "act1"), _rel("o3", "PARTICIPATED_IN", "act1"),
        _rel("o2", "MEMBER_OF", "al2"), _rel("o7", "MEMBER_OF", "al2"), _rel("al2", "ORGANIZED", "act2"),
        _rel("o4", "MEMBER_OF", "al3"),
        *[_rel(o, "LOCATED_IN", r) for o, r in (("o1", "r1"), ("o2", "r1"), ("o3", "r2"), ("o4", "r2"))],
    ]
    folder = make_dataset(tmp_path_factory.mktemp("planner") / "planner", nodes, rels)
    wipe(neo4j_driver, neo4j_database)
    with Neo4jStore(neo4j_settings) as store:
        store.load(read_dataset(folder))
        yield store


CASES = {
    "partners_of": [
        ({"name": "一号"}, [  # found by its alias, through the full-text index
            {"organisation": "甲市一号党委", "tie": "FOUNDED", "with_label": "Alliance", "with_name": "甲乙联盟",
             "paragraphs": [2]},
            {"organisation": "甲市一号党委", "tie": "GUIDES", "with_label": "Organization", "with_name": "甲市二号企业",
             "paragraphs": [2]},
            {"organisation": "甲市一号党委", "tie": "PARTY_TO", "with_label": "Agreement", "with_name": "共建协议",
             "paragraphs": [2]},
        ]),
        ({"name": "乙市六号支部"}, [  # by its exact name
            {"organisation": "乙市六号支部", "tie": "BRANCH_OF", "with_label": "Organization",
             "with_name": "乙市四号企业", "paragraphs": [2]}]),
        ({"name": "o5"}, []),  # by id; no ties
    ],
    "alliance_members": [
        ({}, [
            {"alliance": "无活动联盟", "members": [{"name": "乙市四号企业", "tie": "MEMBER_OF", "region": "r2"}]},
            {"alliance": "沉寂联盟", "members": [{"name": "甲市七号企业", "tie": "MEMBER_OF", "region": "r1"},
                                             {"name": "甲市二号企业", "tie": "MEMBER_OF", "region": "r1"}]},
            {"alliance": "甲乙联盟", "members": [{"name": "甲市一号党委", "tie": "FOUNDED", "region": "r1"},
                                             {"name": "乙市三号党委", "tie": "MEMBER_OF", "region": "r2"}]},
        ]),
    ],
    "cross_region_ties": [
        ({}, [
            {"region_a": "r1", "organisation_a": "甲市一号党委", "region_b": "r2", "organisation_b": "乙市三号党委",
             "shared": ["甲乙联盟"]},
            {"region_a": "r1", "organisation_a": "甲市一号党委", "region_b": "r2", "organisation_b": "乙市四号企业",
             "shared": ["共建协议"]},
            {"region_a": "r1", "organisation_a": "甲市二号企业", "region_b": "r2", "organisation_b": "乙市三号党委",
             "shared": ["联谊活动"]},
        ]),
    ],
    "dated_facts": [
        ({}, [  # 乙 (U+4E59) sorts before 甲 (U+7532)
            {"date": D(2020, 1, 1), "precision": "year", "wording": "2020年", "from_name": "乙市四号企业",
             "tie": "PARTY_TO", "to_name": "共建协议", "paragraphs": [2]},
            {"date": D(2020, 1, 1), "precision": "year", "wording": "2020年", "from_name": "甲市一号党委",
             "tie": "PARTY_TO", "to_name": "共建协议", "paragraphs": [2]},
        ]),
    ],
    "partners_within": [
        ({"id": "o1", "hops": 1}, [{"id": "o2", "name": "甲市二号企业", "region": "r1", "hops": 1}]),
        ({"id": "o1", "hops": 2}, [{"id": "o2", "name": "甲市二号企业", "region": "r1", "hops": 1},
                                   {"id": "o3", "name": "乙市三号党委", "region": "r2", "hops": 2},
                                   {"id": "o4", "name": "乙市四号企业", "region": "r2", "hops": 2}]),
        ({"id": "o1", "hops": 3}, [{"id": "o2", "name": "甲市二号企业", "region": "r1", "hops": 1},
                                   {"id": "o3", "name": "乙市三号党委", "region": "r2", "hops": 2},
                                   {"id": "o4", "name": "乙市四号企业", "region": "r2", "hops": 2},
                                   {"id": "o6", "name": "乙市六号支部", "region": "r2", "hops": 3},
                                   {"id": "o7", "name": "甲市七号企业", "region": "r1", "hops": 3}]),
        ({"id": "o5", "hops": 6}, []),
    ],
    "cross_region_ties_of_period": [
        ({"from": "2021-01-01", "to": "2021-12-31"}, [
            {"region_a": "r1", "organisation_a": "甲市二号企业", "region_b": "r2", "organisation_b": "乙市三号党委",
             "shared": "联谊活动", "kind": "Activity", "date": D(2021, 5, 1)}]),
        ({"from": "2020-01-01", "to": "2020-12-31"}, [
            {"region_a": "r1", "organisation_a": "甲市一号党委", "region_b": "r2", "organisation_b": "乙市四号企业",
             "shared": "共建协议", "kind": "Agreement", "date": D(2020, 1, 1)}]),
        ({"from": "2022-01-01", "to": "2030-12-31"}, []),
    ],
    "dormant_alliances": [
        ({"since": "2020-01-01"}, [
            {"id": "al3", "alliance": "无活动联盟", "last_activity": None},
            {"id": "al2", "alliance": "沉寂联盟", "last_activity": D(2018, 1, 1)}]),
        ({"since": "2022-01-01"}, [
            {"id": "al3", "alliance": "无活动联盟", "last_activity": None},
            {"id": "al2", "alliance": "沉寂联盟", "last_activity": D(2018, 1, 1)},
            {"id": "al1", "alliance": "甲乙联盟", "last_activity": D(2021, 5, 1)}]),
    ],
    "single_region_organisations": [
        ({}, [{"id": "o7", "name": "甲市七号企业", "region": "r1", "partners": 1},
              {"id": "o6", "name": "乙市六号支部", "region": "r2", "partners": 1}]),
    ],
}


def test_every_planner_query_has_a_case():
    files = sorted(p.stem.removeprefix("planner_") for p in cypher_dir().glob("planner_*.cypher"))
    assert files == sorted(CASES)
    assert len(files) >= 8


@pytest.mark.parametrize("name, params, expected",
                         [(n, p, e) for n, cases in CASES.items() for p, e in cases],
                         ids=[f"{n}-{i}" for n, cases in CASES.items() for i in range(len(cases))])
def test_planner_query_gives_the_rows_worked_out_by_hand(planner_store, name, params, expected):
    assert planner_store.planner(name, params) == expected


@pytest.mark.parametrize("path", sorted(cypher_dir().glob("planner_*.cypher")), ids=lambda p: p.stem)
def test_planner_queries_document_their_parameters_and_use_no_positional_label(path):
    text = path.read_text(encoding="utf-8")
    body = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("//"))
    assert not re.search(r"labels\([^)]*\)\s*\[", body), "a positional label depends on label creation order"
    comments = "\n".join(line for line in text.splitlines() if line.lstrip().startswith("//"))
    for param in set(re.findall(r"\$([a-z_]+)", body)) - {"labels", "query"}:
        assert f":param {param} =>" in comments, (path.name, param)
    if "Parameters" not in comments:
        assert "No parameters" in comments


def test_planner_partnership_types_are_the_models():
    body = render("planner_partners_within")
    [types] = re.findall(r"\[:([A-Z_|]+)\]", body)
    assert set(types.split("|")) == set(model.PARTNERSHIP_TYPES)


def test_partners_of_finds_the_organisation_through_indexes(planner_store):
    plan = planner_store._query("EXPLAIN " + render("planner_partners_of"),
                                {"name": "一号", "query": '"一号"', "labels": list(model.LABELS)}, read=True)
    operators = set()

    def walk(p):
        operators.add(p["operatorType"].split("@")[0])
        for child in p.get("children", []):
            walk(child)

    walk(plan.summary.plan)
    assert "NodeUniqueIndexSeek" in operators or "NodeIndexSeek" in operators
    assert "ProcedureCall" in operators  # db.index.fulltext.queryNodes
    assert not any(op in operators for op in ("NodeByLabelScan", "AllNodesScan"))
