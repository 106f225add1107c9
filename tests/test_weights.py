"""Weighted ties (``weight`` and ``count`` on relationships): the check, the projections on both
backends, and strength / PageRank / Louvain against networkx on Les Misérables."""

from __future__ import annotations

import csv

import networkx as nx
import pytest
from click.testing import CliRunner

from alliances import engine, network
from alliances.analysis.centrality import centrality_report, centrality_scores
from alliances.analysis.communities import communities_report, louvain
from alliances.cli import cli
from alliances.dataset import read_dataset
from alliances.errors import ValidationError
from alliances.graph import projection
from alliances.network import Network
from alliances.store import rows

SOURCE = "id,title,publisher,published,file,paragraphs\ns1,测试来源,,,,\n"
NODE_HEAD = "id,label,name,name_en,kind,region,date,date_note,status,aliases,description,source,paragraphs\n"
REL_HEAD = ["start", "type", "end", "role", "date", "date_note", "status", "source", "paragraphs"]


def _write(folder, nodes: list[tuple[str, str, str]], rels: list[dict]):
    """A dataset folder: ``nodes`` as (id, label, name), ``rels`` as dicts (weight/count optional)."""
    folder.mkdir()
    (folder / "sources.csv").write_text(SOURCE, encoding="utf-8")
    kinds = {"Organization": "enterprise", "Alliance": ""}
    (folder / "nodes.csv").write_text(NODE_HEAD + "".join(
        f"{nid},{label},{name},,{kinds[label]},,,,,,,s1,1\n" for nid, label, name in nodes), encoding="utf-8")
    cols = REL_HEAD + [c for c in ("weight", "count") if any(c in r for r in rels)]
    with open(folder / "relationships.csv", "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(cols)
        for r in rels:
            w.writerow([{"source": "s1", "paragraphs": "1"}.get(c, "") if c not in r else r[c] for c in cols])
    return folder


def _engine(monkeypatch, backend):
    if backend == "engine":  # Les Misérables has 77 nodes: lower the threshold (docs/architecture.md)
        monkeypatch.setattr(network, "THRESHOLDS", network.THRESHOLDS.with_(engine=50))


@pytest.fixture(scope="module")
def lesmis(tmp_path_factory):
    """networkx's weighted Les Misérables as a dataset: one GUIDES tie per edge, its weight on it
    (an even weight w written as weight w/2, count 2, so both columns are read)."""
    G = nx.les_miserables_graph()
    ids = {name: f"c{i}" for i, name in enumerate(G)}
    rels = []
    for u, v, w in G.edges(data="weight"):
        r = {"start": ids[u], "type": "GUIDES", "end": ids[v]}
        if w % 2 == 0:
            r.update(weight=str(w // 2) if w % 4 == 0 else f"{w / 2:.1f}", count="2")
        else:
            r["weight"] = str(w)
        rels.append(r)
    folder = _write(tmp_path_factory.mktemp("lesmis") / "lesmis",
                    [(i, "Organization", name) for name, i in ids.items()], rels)
    H = nx.relabel_nodes(G, ids)
    return folder, H


@pytest.mark.parametrize("backend", ["networkx", "engine"])
@pytest.mark.parametrize("projection_name", ["organizations", "full"])
def test_strength_and_pagerank_match_networkx(lesmis, monkeypatch, backend, projection_name):
    folder, H = lesmis
    _engine(monkeypatch, backend)
    strength = dict(H.degree(weight="weight"))
    # the networkx backend is nx.pagerank itself; the engine iterates to 1e-15, so it meets
    # networkx's PageRank iterated to convergence (networkx stops at tol=1e-6 x n by default)
    pagerank = nx.pagerank(H, weight="weight") if backend == "networkx" else \
        nx.pagerank(H, weight="weight", tol=1e-12)
    net = Network(read_dataset(folder))
    from_arrays = centrality_report(net, projection_name=projection_name)["rows"]  # the dataset's arrays
    from_graph = centrality_report(net, projection_name=projection_name, explain=True)["rows"]  # its graph
    for table in (from_arrays, from_graph):
        assert len(table) == 77
        for row in table:
            assert row["weighted_degree"] == pytest.approx(strength[row["id"]], abs=1e-9)
            assert row["pagerank"] == pytest.approx(pagerank[row["id"]], abs=6e-7)  # rows round to 6 places
    valjean = next(r for r in from_arrays if r["name"] == "Valjean")
    assert valjean["weighted_degree"] == 158  # sum of Valjean's weights in networkx's graph


@pytest.mark.parametrize("backend", ["networkx", "engine"])
def test_scores_of_the_projection_equal_scores_of_networkx_graph(lesmis, monkeypatch, backend):
    folder, H = lesmis
    _engine(monkeypatch, backend)
    P = projection(Network(read_dataset(folder)).graph, "organizations")
    ours, ref = centrality_scores(P), centrality_scores(H)
    for n in H:
        assert ours[n]["weighted_degree"] == ref[n]["weighted_degree"]
        assert ours[n]["pagerank"] == pytest.approx(ref[n]["pagerank"], abs=1e-12)


@pytest.mark.parametrize("backend", ["networkx", "engine"])
def test_weighted_louvain(lesmis, monkeypatch, backend):
    folder, H = lesmis
    _engine(monkeypatch, backend)
    meta, result = communities_report(Network(read_dataset(folder)), projection="full")
    parts = [{m["id"] for m in c["members"]} for c in result["communities"]]
    # the modularity reported is networkx's, with the weights, of this very partition
    assert result["modularity"] == pytest.approx(nx.community.modularity(H, parts, weight="weight"), abs=1e-12)
    # the same partition as our Louvain on networkx's own weighted graph
    assert result["membership"] == louvain(H)["membership"]
    # and as good as networkx's weighted Louvain (a heuristic: comparable, not identical)
    ref = nx.community.louvain_communities(H, weight="weight", seed=0)
    assert result["modularity"] >= nx.community.modularity(H, ref, weight="weight") - 0.02
    unweighted = nx.community.modularity(H, parts, weight=None)
    assert result["modularity"] != pytest.approx(unweighted)  # the weights were used


@pytest.fixture()
def hub(tmp_path):
    # a, b, c members of alliance X: a with weight 3, b with weight 2 (and FOUNDED X, weight 4:
    # its value at X is the larger, 4), c unweighted (1); a GUIDES b with weight 0.5, count 3.
    nodes = [("a", "Organization", "甲"), ("b", "Organization", "乙"), ("c", "Organization", "丙"),
             ("x", "Alliance", "联盟")]
    rels = [{"start": "a", "type": "MEMBER_OF", "end": "x", "weight": "3"},
            {"start": "b", "type": "MEMBER_OF", "end": "x", "weight": "2"},
            {"start": "b", "type": "FOUNDED", "end": "x", "weight": "4"},
            {"start": "c", "type": "MEMBER_OF", "end": "x"},
            {"start": "a", "type": "GUIDES", "end": "b", "weight": "0.5", "count": "3"}]
    return _write(tmp_path / "hub", nodes, rels)


def test_projection_by_hand_on_both_backends(hub):
    # organisations: a–b = min(3, 4) via x + 0.5 x 3 direct = 4.5; a–c = min(3, 1) = 1; b–c = min(4, 1) = 1
    # full: a–x 3, b–x 2 + 4 = 6, c–x 1, a–b 1.5
    ds = read_dataset(hub)
    assert [r.get("weight") for r in ds.relationships] == [3, 2, 4, None, 0.5]
    assert ds.relationships[4]["count"] == 3
    net = Network(ds)
    want = {"organizations": {("a", "b"): 4.5, ("a", "c"): 1, ("b", "c"): 1},
            "full": {("a", "x"): 3, ("b", "x"): 6, ("c", "x"): 1, ("a", "b"): 1.5}}
    for name, expected in want.items():
        G = projection(net.graph, name)
        assert {tuple(sorted(e)): w for *e, w in G.edges(data="weight")} == expected
        P = net.projection_arrays(name)
        assert {tuple(sorted((P.ids[u], P.ids[v]))): w for u, v, w in
                zip(P.u.tolist(), P.v.tolist(), P.weight.tolist())} == expected
    A = engine.read_arrays(hub)  # the benchmarks' fast reader reads the two columns too
    assert A.weight.tolist() == [3, 2, 4, 1, 1.5]


def test_unweighted_data_counts_ties_as_before(tmp_path):
    nodes = [("a", "Organization", "甲"), ("b", "Organization", "乙"), ("x", "Alliance", "联盟")]
    rels = [{"start": "a", "type": "MEMBER_OF", "end": "x"}, {"start": "b", "type": "MEMBER_OF", "end": "x"},
            {"start": "a", "type": "GUIDES", "end": "b"}, {"start": "a", "type": "MANAGES", "end": "b"}]
    net = Network(read_dataset(_write(tmp_path / "plain", nodes, rels)))
    G = projection(net.graph, "organizations")
    assert G["a"]["b"]["weight"] == 3 and type(G["a"]["b"]["weight"]) is int
    assert net.arrays.weight is None and net.projection_arrays("organizations").weight.tolist() == [3.0]


@pytest.mark.parametrize("column,value,code", [
    ("weight", "0", "bad_weight"), ("weight", "-2", "bad_weight"), ("weight", "heavy", "bad_weight"),
    ("weight", "nan", "bad_weight"), ("count", "2.5", "bad_count"), ("count", "0", "bad_count"),
    ("count", "three", "bad_count")])
def test_a_bad_weight_or_count_is_a_located_problem(tmp_path, column, value, code):
    nodes = [("a", "Organization", "甲"), ("b", "Organization", "乙")]
    folder = _write(tmp_path / "bad", nodes, [{"start": "a", "type": "GUIDES", "end": "b", column: value}])
    with pytest.raises(ValidationError) as err:
        read_dataset(folder)
    [p] = err.value.problems
    assert (p.code, p.file.endswith("relationships.csv"), p.row, p.field) == (code, True, 2, column)
    assert repr(value) in p.message and p.fix and p.message_zh
    res = CliRunner().invoke(cli, ["validate", str(folder)])
    assert res.exit_code == 1 and "Traceback" not in res.output
    assert f"relationships.csv" in res.output and column in res.output and value in res.output


def test_weights_survive_writing_and_the_store_rows(hub, tmp_path):
    from alliances.dataset import write_dataset

    ds = read_dataset(hub)
    again = read_dataset(write_dataset(ds, tmp_path / "copy"))
    assert again.relationships == ds.relationships
    props = rows.rel_props(ds.relationships[4])
    assert props["weight"] == 0.5 and props["count"] == 3
    assert "weight" not in rows.rel_props(ds.relationships[3])
    back = rows.rel_from("a", "GUIDES", "b", props)
    assert back == ds.relationships[4]


@pytest.mark.neo4j
def test_weights_are_relationship_properties_in_neo4j(hub, clean_neo4j, neo4j_settings, neo4j_driver,
                                                      neo4j_database):
    from alliances.store.neo4j import Neo4jStore

    ds = read_dataset(hub)
    with Neo4jStore(neo4j_settings) as store:
        store.load(ds)
        back = store.read_dataset()
    key = lambda r: (r["start"], r["type"], r["end"])  # noqa: E731
    assert sorted(back.relationships, key=key) == sorted(ds.relationships, key=key)
    with neo4j_driver.session(database=neo4j_database) as s:
        got = s.run("MATCH (a {id: 'a'})-[r:GUIDES]->(b {id: 'b'}) RETURN r.weight AS w, r.count AS c").single()
    assert (got["w"], got["c"]) == (0.5, 3)
    # the same organisations projection from Neo4j as from the folder
    assert {tuple(sorted(e)): w for *e, w in projection(Network(back).graph).edges(data="weight")} == \
        {("a", "b"): 4.5, ("a", "c"): 1, ("b", "c"): 1}


# ---------------------------------------------------------------------------
# Weights in the planner's workbook, the template, the exports and Neo4j


def _rel_sheet(wb):
    return wb["关系 Relationships"]


def test_the_template_offers_weight_and_count_with_a_positive_number_check(tmp_path):
    import openpyxl

    from alliances.io.template import write_workbook

    ws = _rel_sheet(openpyxl.load_workbook(write_workbook(tmp_path / "t.xlsx")))
    header = [c.value for c in ws[1]]
    assert "权重 weight" in header and "次数 count" in header
    letters = {v.split(" ")[-1]: ws.cell(1, j).column_letter for j, v in enumerate(header, start=1)}
    checks = {str(d.sqref): (d.type, d.operator, d.formula1, d.showErrorMessage)
              for d in ws.data_validations.dataValidation}
    assert checks[f"{letters['weight']}3:{letters['weight']}5000"] == ("decimal", "greaterThan", "0", True)
    assert checks[f"{letters['count']}3:{letters['count']}5000"] == ("whole", "greaterThanOrEqual", "1", True)


def _weighted_book(tmp_path, weights):
    """The hub network typed into a template: ``weights`` are (weight, count) cells per relationship."""
    import openpyxl

    from alliances.io.template import label_sheet, write_workbook

    path = write_workbook(tmp_path / "w.xlsx")
    wb = openpyxl.load_workbook(path)
    col = {str(c.value).split(" ")[-1]: c.column for c in _rel_sheet(wb)[1]}
    orgs = wb[label_sheet("Organization")]
    ocol = {str(c.value).split(" ")[-1]: c.column for c in orgs[1]}
    for i, (nid, name) in enumerate([("a", "甲公司"), ("b", "乙公司"), ("c", "丙公司")], start=3):
        orgs.cell(i, ocol["id"], nid), orgs.cell(i, ocol["name"], name), orgs.cell(i, ocol["kind"], "企业")
    al = wb[label_sheet("Alliance")]
    acol = {str(c.value).split(" ")[-1]: c.column for c in al[1]}
    al.cell(3, acol["id"], "x"), al.cell(3, acol["name"], "甲乙丙联盟")
    rels = [("甲公司", "成员", "x"), ("乙公司", "成员", "x"), ("丙公司", "成员", "x"), ("a", "指导", "b")]
    ws = _rel_sheet(wb)
    for i, ((start, rtype, end), (w, c)) in enumerate(zip(rels, weights), start=3):
        ws.cell(i, col["start"], start), ws.cell(i, col["type"], rtype), ws.cell(i, col["end"], end)
        ws.cell(i, col["weight"], w), ws.cell(i, col["count"], c)
    wb.save(path)
    return path


def test_a_workbook_with_weight_and_count_imports_them(tmp_path):
    from alliances.io.importer import import_source

    path = _weighted_book(tmp_path, [(3, None), ("2", 2), (None, None), (0.5, 3)])  # numbers and text cells
    ds = import_source([path]).dataset
    got = {(r["start"], r["type"], r["end"]): (r.get("weight"), r.get("count")) for r in ds.relationships}
    assert got == {("a", "MEMBER_OF", "x"): (3, None), ("b", "MEMBER_OF", "x"): (2, 2),
                   ("c", "MEMBER_OF", "x"): (None, None), ("a", "GUIDES", "b"): (0.5, 3)}
    # organisations: a–b = min(3, 4) + 0.5 x 3 = 4.5; a–c = min(3, 1); b–c = min(4, 1)
    G = projection(Network(ds).graph, "organizations")
    assert {tuple(sorted(e)): w for *e, w in G.edges(data="weight")} == {("a", "b"): 4.5, ("a", "c"): 1,
                                                                         ("b", "c"): 1}


def test_chinese_headers_weight_and_count_in_a_csv_import(tmp_path):
    from alliances.io.importer import import_source

    folder = tmp_path / "csv"
    folder.mkdir()
    (folder / "nodes.csv").write_text("编号,类型,名称,组织类别\na,组织,甲公司,企业\nb,组织,乙公司,企业\n", encoding="utf-8-sig")
    (folder / "relationships.csv").write_text("起点,关系,终点,权重,次数\n甲公司,指导,乙公司,2.5,4\n",
                                              encoding="gb18030")
    ds = import_source([folder]).dataset
    [rel] = ds.relationships
    assert (rel["weight"], rel["count"]) == (2.5, 4)


@pytest.mark.parametrize("weight,count,field", [(-1, None, "weight"), ("重", None, "weight"), (1, 0.5, "count"),
                                                (1, 0, "count")])
def test_a_bad_weight_in_a_workbook_names_sheet_row_and_column(tmp_path, weight, count, field):
    from alliances.io.importer import import_source

    path = _weighted_book(tmp_path, [(1, 1), (1, 1), (1, 1), (weight, count)])
    with pytest.raises(ValidationError) as err:
        import_source([path])
    [p] = err.value.problems
    assert (p.field, p.row, p.sheet, p.file) == (field, 6, "关系 Relationships", str(path))
    res = CliRunner().invoke(cli, ["import", str(path), "--out", str(tmp_path / "out")])
    assert res.exit_code == 1 and "Traceback" not in res.output and field in res.output
    assert not (tmp_path / "out").exists()


def test_exports_carry_weight_and_count(hub, tmp_path):
    from alliances.store.admin_import import write_import_files
    from alliances.store.cypher_export import cypher_script

    ds = read_dataset(hub)
    out = write_import_files(ds, tmp_path / "imp")
    with open(out / "relationships_GUIDES.csv", encoding="utf-8") as fh:
        head, row = list(csv.reader(fh))
    assert "weight:double" in head and "count:long" in head
    assert (row[head.index("weight:double")], row[head.index("count:long")]) == ("0.5", "3")
    with open(out / "relationships_MEMBER_OF.csv", encoding="utf-8") as fh:
        member = list(csv.reader(fh))
    assert [r[member[0].index("weight:double")] for r in member[1:]] == ["3.0", "2.0", ""]
    script = cypher_script(ds)
    assert "weight: toFloat(" in script and "count: toInteger(" in script
    # the GUIDES row ends with its weight and count fields, then its (empty) ended date
    assert "\\u001f0.5\\u001f3\\u001f'" in script


@pytest.mark.neo4j
def test_a_weighted_dataset_round_trips_through_load_cypher_shell_and_back(hub, tmp_path, clean_neo4j,
                                                                           neo4j_env, neo4j_driver, neo4j_database):
    """`alliances load`, then the same projection read back with --neo4j; the Cypher script replayed
    by cypher-shell stores exactly what load stores (weights as FLOAT, counts as INTEGER)."""
    from tests.conftest import wipe
    from tests.neo4j_dump import dump
    from tests.test_export import cypher_shell

    res = CliRunner().invoke(cli, ["load", str(hub)], env=neo4j_env)
    assert res.exit_code == 0, res.output
    rows_, _, _ = neo4j_driver.execute_query(
        "MATCH (a)-[r]->(b) WHERE r.weight IS NOT NULL RETURN a.id AS s, b.id AS e, valueType(r.weight) AS t, "
        "r.weight AS w, r.count AS c ORDER BY s, e, w", database_=neo4j_database)
    assert [(r["s"], r["e"], r["t"], r["w"], r["c"]) for r in rows_] == [
        ("a", "b", "FLOAT NOT NULL", 0.5, 3), ("a", "x", "FLOAT NOT NULL", 3.0, None),
        ("b", "x", "FLOAT NOT NULL", 2.0, None), ("b", "x", "FLOAT NOT NULL", 4.0, None)]
    for projection_name in ("organizations", "full"):
        args = ["centrality", "--by", "weighted_degree", "--projection", projection_name, "--format", "json"]
        import json

        from_folder = json.loads(CliRunner().invoke(cli, [*args, "--data", str(hub)]).output)
        res = CliRunner().invoke(cli, [*args, "--neo4j"], env=neo4j_env)
        assert res.exit_code == 0, res.output
        from_store = json.loads(res.output)
        strength = lambda out: {r["id"]: r["weighted_degree"] for r in out}  # noqa: E731
        assert strength(from_store) == strength(from_folder)
    assert {k: strength(from_folder)[k] for k in "abc"} == {"a": 4.5, "b": 7.5, "c": 1.0}  # full: a 3+1.5, b 6+1.5
    loaded = dump(neo4j_driver, neo4j_database)
    wipe(neo4j_driver, neo4j_database)
    script = tmp_path / "w.cypher"
    res = CliRunner().invoke(cli, ["export", "--format", "cypher", "--data", str(hub), "--out", str(script)])
    assert res.exit_code == 0, res.output
    cypher_shell("-d", neo4j_database, "-f", str(script))
    assert dump(neo4j_driver, neo4j_database) == loaded
