"""Batch questions: `path --pairs FILE.csv` and `path --from NAME --to-region R`."""

from __future__ import annotations

import csv
import io
import json
import random

import networkx as nx
import pytest
from click.testing import CliRunner

from alliances import network, query
from alliances.cli import cli
from alliances.dataset import read_dataset
from alliances.errors import NameResolutionError
from alliances.generate import generate_dataset
from alliances.graph import build_graph, partnership_graph
from alliances.network import Network
from alliances.resolve import Resolver, resolve
from alliances.source import GraphSource


def invoke(*args):
    return CliRunner().invoke(cli, [*args, "--no-cache"])


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    out = tmp_path_factory.mktemp("gen") / "ds"
    generate_dataset(out, 300, seed=4)
    return out


def write(path, text, encoding="utf-8"):
    path.write_bytes(text.encode(encoding))
    return path


# ---------------------------------------------------------------------------
# --pairs


def test_each_row_gets_the_answer_of_path_for_that_pair(tmp_path):
    f = write(tmp_path / "pairs.csv", "from,to\n华商商圈党委,解放碑商圈党委\nhaichuan-branch,盐市口商圈综合党委\n"
                                      "自贡市,zigong\n")
    result = invoke("path", "--pairs", str(f), "--format", "json")
    assert result.exit_code == 0, result.output
    got = json.loads(result.output)
    src = GraphSource()
    want = [query.path_query(src, a, b) for a, b in [("华商商圈党委", "解放碑商圈党委"),
                                                      ("haichuan-branch", "盐市口商圈综合党委"), ("自贡市", "zigong")]]
    assert [g.pop("row") for g in got] == [2, 3, 4]
    assert got == want
    assert got[1]["paths"] == [] and got[2]["paths"][0]["hops"] == 0


def test_csv_out_has_one_row_per_question(tmp_path):
    f = write(tmp_path / "pairs.csv", "起点,终点\n华商商圈党委,解放碑商圈党委\nhaichuan-branch,盐市口商圈综合党委\n")
    result = invoke("path", "--pairs", str(f), "--format", "csv", "--lang", "en")
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.output)))
    assert [r["row"] for r in rows] == ["2", "3"]
    assert rows[0]["from_id"] == "huashang-committee" and rows[0]["to_id"] == "jiefangbei-committee"
    one = query.path_query(GraphSource(), "huashang-committee", "jiefangbei-committee")["paths"][0]
    assert rows[0]["hops"] == str(one["hops"])
    assert rows[0]["relationships"] == " ".join(r["type"] for r in one["relationships"])
    assert rows[1]["hops"] == "" and rows[1]["path"] == ""


def test_excel_files_in_gb18030_with_or_without_a_header(tmp_path):
    gbk = write(tmp_path / "gbk.csv", "起点,终点\r\n华商商圈党委,解放碑商圈党委\r\n", "gb18030")
    bom = write(tmp_path / "bom.csv", "\ufefffrom,to\r\n华商商圈党委,解放碑商圈党委\r\n")
    bare = write(tmp_path / "bare.csv", "华商商圈党委,解放碑商圈党委\nhuashang-committee,jiefangbei-committee\n")
    outs = [json.loads(invoke("path", "--pairs", str(f), "--format", "json").output) for f in (gbk, bom, bare)]
    assert outs[0] == outs[1]
    assert [a["row"] for a in outs[2]] == [1, 2]
    assert outs[2][0]["paths"] == outs[2][1]["paths"] == outs[0][0]["paths"]


def test_every_bad_row_is_named_with_file_row_and_column(tmp_path):
    f = write(tmp_path / "bad.csv", "from,to\n华商商圈党委,\nnobody-at-all,解放碑商圈党委\n华商,解放碑商圈党委\n"
                                    "huashang-committee,jiefangbei-committee\n")
    result = invoke("path", "--pairs", str(f))
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    lines = result.output
    assert f"{f}, row 2, column to: is empty" in lines
    assert f"{f}, row 3, column from: no node matches 'nobody-at-all'" in lines
    assert f"{f}, row 4, column from: '华商' matches 4 nodes" in lines
    assert "row 5" not in lines
    assert "3 problems" in lines


@pytest.mark.parametrize("text", ["only-one-column\nx\n", "from,to\n", ""])
def test_a_file_without_pairs_is_a_clear_error(tmp_path, text):
    f = write(tmp_path / "p.csv", text)
    result = invoke("path", "--pairs", str(f))
    assert result.exit_code == 1, result.output
    assert str(f) in result.output and "Traceback" not in result.output


def test_pairs_usage_mistakes_exit_2(tmp_path):
    f = write(tmp_path / "p.csv", "from,to\na,b\n")
    assert invoke("path", "华商商圈党委", "--pairs", str(f)).exit_code == 2
    assert invoke("path", "--pairs", str(f), "--k", "2").exit_code == 2
    assert invoke("path", "--pairs", str(tmp_path / "missing.csv")).exit_code != 0
    assert invoke("path", "华商商圈党委").exit_code == 2
    assert invoke("path", "华商商圈党委", "解放碑商圈党委", "--format", "csv").exit_code == 2


def test_pairs_on_the_arrays_equal_the_graph(generated, monkeypatch):
    ds = read_dataset(generated)
    orgs = sorted(n for n, d in ds.nodes.items() if d["label"] == "Organization")
    rng = random.Random(1)
    pairs = [(i + 2, *rng.sample(orgs, 2)) for i in range(25)]
    on_graph = query.path_pairs(GraphSource(_network=Network(ds, graph=build_graph(ds))), pairs)
    monkeypatch.setattr(network, "THRESHOLDS", network.THRESHOLDS.with_(path_arrays=0))
    lazy = GraphSource(_network=Network(ds))
    on_arrays = query.path_pairs(lazy, pairs)
    assert not lazy.network().has_graph
    assert on_arrays == on_graph


def test_the_resolver_answers_as_resolve_does(bundled_graph):
    G = bundled_graph
    texts = [t for n, d in G.nodes(data=True) for t in (n, n.upper(), d.get("name", ""), d.get("name_en", ""),
                                                         *d.get("aliases", []), d.get("name", "")[:3])]
    texts += ["华商", "nobody", "ＨＵＡＳＨＡＮＧ-COMMITTEE", " 自贡市 "]
    r = Resolver(G)
    for t in texts:
        try:
            want = resolve(G, t)
        except NameResolutionError as err:
            with pytest.raises(NameResolutionError) as got:
                r(t)
            assert str(got.value) == str(err)
        else:
            assert r(t) == want, t


# ---------------------------------------------------------------------------
# --from NAME --to-region R


def reference_nearest(G, source, region_ids):
    P = partnership_graph(G)
    dist = nx.single_source_shortest_path_length(P, source)
    inside = [n for n, d in G.nodes(data=True) if d.get("label") == "Organization" and d.get("region") in region_ids
              and n in dist and n != source]
    if not inside:
        return None, []
    d = min(dist[n] for n in inside)
    return d, sorted(n for n in inside if dist[n] == d)


def test_nearest_organisations_of_a_region_on_the_bundled_network(bundled_graph):
    got = query.nearest_in_region(GraphSource(), "huashang-committee", "重庆")
    d, want = reference_nearest(bundled_graph, "huashang-committee", {"chongqing", "rongchang"})
    assert want and got["hops"] == d
    assert [p["nodes"][-1]["id"] for p in got["paths"]] == want
    for p in got["paths"]:
        assert p == query.path_query(GraphSource(), "huashang-committee", p["nodes"][-1]["id"])["paths"][0]
    none = query.nearest_in_region(GraphSource(), "haichuan-branch", "重庆")
    assert none["hops"] is None and none["paths"] == [] and none["organisations_in_region"] >= 1


@pytest.mark.parametrize("on_arrays", [False, True])
def test_nearest_on_a_generated_network_equals_networkx(generated, monkeypatch, on_arrays):
    ds = read_dataset(generated)
    G = build_graph(ds)
    if on_arrays:
        monkeypatch.setattr(network, "THRESHOLDS", network.THRESHOLDS.with_(path_arrays=0))
    regions = [n for n, d in ds.nodes.items() if d["label"] == "Region"]
    orgs = sorted(n for n, d in ds.nodes.items() if d["label"] == "Organization")
    rng = random.Random(3)
    checked = 0
    for _ in range(12):
        a, region = rng.choice(orgs), rng.choice(regions)
        src = GraphSource(_network=Network(ds))
        got = query.nearest_in_region(src, a, region, limit=1000)
        inside = query._within(src.network(), region)
        d, want = reference_nearest(G, a, inside)
        assert got["hops"] == d
        assert [p["nodes"][-1]["id"] for p in got["paths"]] == want
        checked += bool(want)
        if on_arrays:
            assert not src.network().has_graph
    assert checked


def test_to_region_cli_text_json_csv_and_mistakes():
    text = invoke("path", "--from", "huashang-committee", "--to-region", "重庆", "--lang", "en")
    assert text.exit_code == 0, text.output
    assert "Nearest organisations of" in text.output and "Path 1:" in text.output
    js = json.loads(invoke("path", "huashang-committee", "--to-region", "chongqing", "--format", "json").output)
    assert js["region"]["id"] == "chongqing" and js["paths"]
    rows = list(csv.DictReader(io.StringIO(invoke("path", "--from", "huashang-committee", "--to-region", "chongqing",
                                                  "--format", "csv").output)))
    assert [r["to_id"] for r in rows] == [p["nodes"][-1]["id"] for p in js["paths"]]
    assert invoke("path", "--to-region", "chongqing").exit_code == 2
    assert invoke("path", "a", "b", "--to-region", "chongqing").exit_code == 2
    bad = invoke("path", "--from", "haichuan-branch", "--to-region", "huashang-committee")
    assert bad.exit_code == 2 and "not a region or zone" in bad.output
    assert invoke("path", "--from", "haichuan-branch", "解放碑商圈党委").exit_code == 2
