"""alliances.analysis.changes and ``alliances changes``: what changed between two dates.

The fixture tests/fixtures/changes is small enough to check by hand. Its
organisations are undated (there at every date); the dated facts:

- 2019      alliance-zc  自成商圈党建联盟   zg-a (Zigong) founds it, cd-a (Chengdu) joins
- 2020-11   agreement-zq 自渝党建共建协议   zg-b (Zigong) and cq-a (Chongqing); ended 2022-06
- 2021-06-18 activity-zn 自内联合主题党日   zg-a (Zigong) and nj-a (Neijiang)
- 2022-03   alliance-cq  成渝商圈党建联盟   cd-a (Chengdu) founds it, cq-a (Chongqing) joins
- 2023      activity-nq  内渝企业交流会     nj-a (Neijiang) and cq-b (Chongqing)

and two undated direct ties: zg-a GUIDES zg-b (ended 2023), cq-a GUIDES cq-b.

As of 2020-12-31 the organisations projection has the ties zg-a~zg-b, cq-a~cq-b,
zg-a~cd-a (alliance-zc), zg-b~cq-a (agreement-zq). So Chengdu–Chongqing is
3 ties apart (cd-a, zg-a, zg-b, cq-a), Zigong–Chongqing 1, Neijiang reaches
nobody. As of 2022-12-31 the agreement has lapsed (zg-b~cq-a lost),
activity-zn adds zg-a~nj-a and alliance-cq adds cd-a~cq-a: Chengdu–Chongqing
shortens to 1, Zigong–Chongqing lengthens to 2 (zg-a, cd-a, cq-a);
Zigong–Neijiang opens at 1, Chengdu–Neijiang at 2 (cd-a, zg-a, nj-a),
Chongqing–Neijiang at 3 (cq-a, cd-a, zg-a, nj-a).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from alliances import network
from alliances.analysis.changes import change_rows, compare_days, network_changes, period_end
from alliances.cli import cli
from alliances.dataset import read_dataset
from alliances.network import Network
from tests.conftest import run_cli

ROOT = Path(__file__).parent
FIXTURE = ROOT / "fixtures" / "changes"
FACTS = json.loads((ROOT / "fixtures" / "article_facts.json").read_text(encoding="utf-8"))


def fixture_net() -> Network:
    return Network(read_dataset(FIXTURE))


def ids(items) -> list[str]:
    return [i["id"] for i in items]


def corridor_map(result) -> dict:
    return {frozenset((c["region_a"], c["region_b"])): (c["before"], c["after"], c["change"])
            for c in result["corridors"]}


def test_partial_dates_mean_their_last_day():
    assert period_end("2020") == "2020-12-31"
    assert period_end("2024-02") == "2024-02-29"
    assert period_end("2021-06-18") == "2021-06-18"


def test_fixture_2020_to_2022_by_hand():
    out = network_changes(fixture_net(), date_from="2020", date_to="2022")
    assert (out["meta"]["from_day"], out["meta"]["to_day"]) == ("2020-12-31", "2022-12-31")
    assert ids(out["alliances"]["new"]) == ["alliance-cq"] and out["alliances"]["lapsed"] == []
    # agreement-zq (2020-11) counts by 2020-12-31 and has ended by 2022-06-30
    assert out["agreements"]["new"] == [] and ids(out["agreements"]["lapsed"]) == ["agreement-zq"]
    assert out["agreements"]["lapsed"][0]["ended"] == "2022-06"
    assert ids(out["activities"]["new"]) == ["activity-zn"] and out["activities"]["lapsed"] == []
    new_ties = {(t["a"], t["b"]) for t in out["cross_region_ties"]["new"]}
    assert new_ties == {("cd-a", "cq-a"), ("nj-a", "zg-a")}
    assert [(t["a"], t["b"]) for t in out["cross_region_ties"]["lost"]] == [("cq-a", "zg-b")]
    tie = next(t for t in out["cross_region_ties"]["new"] if t["a"] == "cd-a")
    assert (tie["a_region_name"], tie["b_region_name"]) == ("成都市", "重庆市")  # names, not ids
    assert corridor_map(out) == {
        frozenset(("zigong", "chengdu")): (1, 1, "unchanged"),
        frozenset(("zigong", "chongqing")): (1, 2, "lengthened"),
        frozenset(("zigong", "neijiang")): (None, 1, "opened"),
        frozenset(("chengdu", "chongqing")): (3, 1, "shortened"),
        frozenset(("chengdu", "neijiang")): (None, 2, "opened"),
        frozenset(("chongqing", "neijiang")): (None, 3, "opened"),
    }
    assert out["counts"]["corridors_opened"] == 3 and out["counts"]["corridors_shortened"] == 1
    assert out["counts"]["corridors_lengthened"] == 1 and out["counts"]["agreements_lapsed"] == 1


def test_fixture_region_pairs_in_the_network_order():
    out = network_changes(fixture_net(), date_from="2020", date_to="2022")
    pairs = {frozenset((c["region_a"], c["region_b"])): c for c in out["corridors"]}
    assert len(pairs) == 6
    assert (pairs[frozenset(("chengdu", "chongqing"))]["before"], pairs[frozenset(("chengdu", "chongqing"))]["after"]) == (3, 1)
    assert pairs[frozenset(("chongqing", "neijiang"))]["change"] == "opened"
    assert pairs[frozenset(("chongqing", "neijiang"))]["after"] == 3
    assert pairs[frozenset(("chengdu", "neijiang"))]["after"] == 2
    counts = {frozenset((p["region_a"], p["region_b"])): (p["before"], p["after"])
              for p in out["cross_region_ties"]["by_region_pair"]}
    assert counts == {frozenset(("zigong", "chengdu")): (1, 1), frozenset(("zigong", "chongqing")): (1, 0),
                      frozenset(("chengdu", "chongqing")): (0, 1), frozenset(("zigong", "neijiang")): (0, 1)}


def test_reversed_days_show_what_lapsed_closed_and_lengthened():
    """compare_days takes the days in either order: backwards, what 2021–2022 added lapses."""
    out = compare_days(fixture_net(), "2022-12-31", "2020-12-31")
    assert ids(out["alliances"]["lapsed"]) == ["alliance-cq"] and out["alliances"]["new"] == []
    assert ids(out["agreements"]["new"]) == ["agreement-zq"]
    assert ids(out["activities"]["lapsed"]) == ["activity-zn"]
    assert {(t["a"], t["b"]) for t in out["cross_region_ties"]["lost"]} == {("cd-a", "cq-a"), ("nj-a", "zg-a")}
    pairs = {frozenset((c["region_a"], c["region_b"])): (c["before"], c["after"], c["change"])
             for c in out["corridors"]}
    assert pairs[frozenset(("chengdu", "chongqing"))] == (1, 3, "lengthened")
    assert pairs[frozenset(("zigong", "neijiang"))] == (1, None, "closed")
    assert pairs[frozenset(("zigong", "chengdu"))] == (1, 1, "unchanged")
    assert pairs[frozenset(("zigong", "chongqing"))] == (2, 1, "shortened")


def test_a_later_date_adds_the_2023_activity_and_default_to_is_the_latest_fact():
    out = network_changes(fixture_net(), date_from="2022")
    assert out["meta"]["to_day"] == "2023-12-31" and out["meta"]["to_default"] is True
    assert ids(out["activities"]["new"]) == ["activity-nq"]
    assert {(t["a"], t["b"]) for t in out["cross_region_ties"]["new"]} == {("cq-b", "nj-a")}
    pairs = {frozenset((c["region_a"], c["region_b"])): c for c in out["corridors"]}
    assert (pairs[frozenset(("chongqing", "neijiang"))]["before"],
            pairs[frozenset(("chongqing", "neijiang"))]["after"]) == (3, 1)


def test_hubs_and_brokers_are_the_rows_of_centrality_and_brokers_on_each_date():
    from alliances.analysis.brokerage import broker_table
    from alliances.analysis.centrality import centrality_report
    from alliances.analysis.whatif import organisations_view

    net = fixture_net()
    out = network_changes(net, date_from="2019", date_to="2023", top=3)
    for side, day in (("before", "2019-12-31"), ("after", "2023-12-31")):
        hubs = centrality_report(net, projection_name="full", by="betweenness", top=3, as_of=day)["rows"]
        assert ids(out["hubs"][side]) == ids(hubs)
        H, _ = organisations_view(net, as_of=day)
        assert ids(out["brokers"][side]) == ids(broker_table(H)[:3])
    before, after = set(ids(out["hubs"]["before"])), set(ids(out["hubs"]["after"]))
    assert set(ids(out["hubs"]["new"])) == after - before and set(ids(out["hubs"]["lost"])) == before - after
    assert all(h["rank_before"] is None for h in out["hubs"]["new"])


def test_arrays_and_networkx_give_the_same_changes(monkeypatch):
    reference = network_changes(fixture_net(), date_from="2019", date_to="2023", top=4)
    monkeypatch.setattr(network, "THRESHOLDS", network.THRESHOLDS.with_(engine=5))
    net = fixture_net()
    fast = network_changes(net, date_from="2019", date_to="2023", top=4)
    assert not net.has_graph  # the whole graph was never built
    assert fast["meta"].pop("backend") == "arrays" and reference["meta"].pop("backend") == "networkx"
    for side in ("before", "after"):
        assert fast["meta"][side] == reference["meta"][side]
    for key in ("alliances", "agreements", "activities", "cross_region_ties", "corridors", "counts"):
        assert fast[key] == reference[key], key
    for key in ("hubs", "brokers"):
        for side in ("before", "after", "new", "lost"):
            assert ids(fast[key][side]) == ids(reference[key][side]), (key, side)


def test_dataset_as_of_follows_the_rule_of_filter_graph():
    from alliances.analysis.centrality import scenario_graph
    from alliances.graph import build_graph, dataset_as_of

    for ds in (read_dataset(FIXTURE), read_dataset(None)):
        G = build_graph(ds)
        for day in ("2018-12-31", "2019-06-30", "2020-11-30", "2021-12-31", "2023-12-31"):
            part, meta = dataset_as_of(ds, day)
            H, expect = scenario_graph(G, as_of=day)
            assert meta == expect
            assert set(part.nodes) == set(H.nodes)
            assert sorted((r["start"], r["end"], r["type"]) for r in part.relationships) == sorted(H.edges(keys=True))


def test_region_distances_on_arrays_equal_corridor_distances():
    from alliances import engine
    from alliances.analysis.brokerage import corridors
    from alliances.analysis.whatif import organisations_view

    for day in ("2019-12-31", "2020-12-31", "2022-12-31", "2023-12-31"):
        H, _ = organisations_view(fixture_net(), as_of=day)
        expect = {(r["region_a"], r["region_b"]): r["distance"] for r in corridors(H)}
        keys = list(dict.fromkeys(k for pair in expect for k in pair))
        P = engine.projection_from_networkx(H)
        got = engine.region_distances(P, [H.nodes[n]["region_group"] for n in P.ids], keys)
        assert got == expect, day


def test_bundled_network_between_its_own_dates():
    """The article dates the co-building agreement to the end of 2020 (¶14) and the branch's
    provincial honour to 2019; nothing else in the bundled data carries a date."""
    agreement = next(f for f in FACTS["dated_facts"] if f["label"] == "Agreement")
    out = network_changes(Network(read_dataset(None)), date_from="2019", date_to="2020")
    assert [a["date"] for a in out["agreements"]["new"]] == [agreement["date"]]
    assert agreement["key"] in out["agreements"]["new"][0]["name"]
    assert out["alliances"]["new"] == [] and out["activities"]["new"] == []
    # 华商 and 盐市口 already shared an alliance: the agreement adds no cross-region tie
    assert out["cross_region_ties"]["new"] == [] and out["counts"]["corridors_unchanged"] == len(out["corridors"])
    latest = network_changes(Network(read_dataset(None)), date_from="2018")
    assert latest["meta"]["to_day"] == "2020-12-31"  # the latest dated fact, not the publication
    assert len(latest["agreements"]["new"]) == 1
    none = network_changes(Network(read_dataset(None)), date_from="2020", date_to="2022-03")
    assert change_rows(none) == []


def test_json_output_matches_its_schema():
    import jsonschema

    schema = json.loads((ROOT / "schemas" / "changes.schema.json").read_text(encoding="utf-8"))
    runner = CliRunner()
    for args in (["--from", "2019", "--to", "2023"], ["--from", "2021年3月", "--lang", "en", "--top", "2"]):
        result = runner.invoke(cli, ["changes", "--data", str(FIXTURE), *args, "--format", "json"])
        assert result.exit_code == 0, result.output
        data = json.loads(result.output)
        jsonschema.validate(data, schema)
    assert data["meta"]["from"] == "2021-03" and data["meta"]["from_day"] == "2021-03-31"


def test_table_csv_and_markdown_in_each_language():
    runner = CliRunner()
    base = ["changes", "--data", str(FIXTURE), "--from", "2020", "--to", "2022"]
    zh = runner.invoke(cli, base)
    assert zh.exit_code == 0, zh.output
    assert "成渝商圈党建联盟" in zh.output and "变短" in zh.output and "打通" in zh.output and "变长" in zh.output
    assert "失效" in zh.output and "2022-06 结束" in zh.output
    en = runner.invoke(cli, [*base, "--lang", "en", "--format", "markdown"])
    # regions in the network's order: most organisations first (Chongqing has two, Chengdu one)
    assert "### Corridors" in en.output and "| Corridors | shortened | Chongqing—Chengdu | 3 tie(s) | 1 tie(s) |" in en.output
    csv = runner.invoke(cli, [*base, "--format", "csv"]).output.splitlines()
    assert csv[0] == "section,change,id,what,before,after"
    assert "alliances,new,alliance-cq,成渝商圈党建联盟,—,2022-03" in csv
    assert "agreements,lapsed,agreement-zq,自渝党建共建协议,2020-11,2022-06 结束" in csv
    assert "corridors,lengthened,chongqing|zigong,重庆市—自贡市,1 步,2 步" in csv
    assert sum(1 for line in csv if line.startswith("corridors,opened,")) == 3


@pytest.mark.parametrize("args, expect", [
    (["--from", "2021-02-30"], "--from '2021-02-30' is not a date: 2021-02 has no day 30"),
    (["--from", "2021-13"], "month 13 does not exist"),
    (["--from", "soon"], "--from 'soon' is not a date"),
    (["--from", "2020", "--to", "2021-00"], "--to '2021-00' is not a date"),
    (["--from", "2023", "--to", "2021年3月"], "--from 2023 (2023-12-31) is after --to 2021-03 (2021-03-31)"),
])
def test_bad_dates_give_one_clear_line_and_exit_2(args, expect):
    proc = run_cli("changes", "--data", str(FIXTURE), *args, env={"LANG": "C", "LC_ALL": "C"})
    err = proc.stderr.decode("utf-8")
    assert proc.returncode == 2, err
    assert err.startswith("Error: ") and expect in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1 and proc.stdout == b""


def test_lang_c_prints_chinese_names():
    proc = run_cli("changes", "--data", str(FIXTURE), "--from", "2020", "--to", "2022",
                   env={"LANG": "C", "LC_ALL": "C", "PYTHONIOENCODING": ""})
    assert proc.returncode == 0, proc.stderr.decode("utf-8", "replace")
    out = proc.stdout.decode("utf-8")
    assert "成渝商圈党建联盟" in out and "内江市" in out


def test_table_sections_are_bounded_by_rows_and_count_the_rest():
    runner = CliRunner()
    result = runner.invoke(cli, ["changes", "--data", str(FIXTURE), "--from", "2019", "--rows", "1"])
    assert result.exit_code == 0, result.output
    # 2019 → 2023: activities activity-zn and activity-nq are new; one is listed, one counted
    assert "另有 1 项未列出（共 2 项）" in result.output
    assert result.output.count("自内联合主题党日") + result.output.count("内渝企业交流会") == 1
    every = runner.invoke(cli, ["changes", "--data", str(FIXTURE), "--from", "2019", "--rows", "1", "--format", "csv"])
    assert sum(1 for line in every.output.splitlines() if line.startswith("activities,new,")) == 2


def test_from_neo4j_equals_the_folder(clean_neo4j, neo4j_settings, neo4j_env):
    """The same changes read from the live Neo4j (dates stored as Neo4j dates with their precision)."""
    from alliances.store.neo4j import Neo4jStore

    with Neo4jStore(neo4j_settings) as store:
        store.load(read_dataset(FIXTURE))
    env = {k: v for k, v in neo4j_env.items() if k.startswith("NEO4J_")}
    runner = CliRunner()
    args = ["changes", "--from", "2020", "--to", "2022", "--format", "json"]
    folder = json.loads(runner.invoke(cli, [*args, "--data", str(FIXTURE)]).output)
    res = runner.invoke(cli, [*args, "--neo4j"], env=env)
    assert res.exit_code == 0, res.output
    stored = json.loads(res.output)
    for key in ("alliances", "agreements", "activities", "cross_region_ties", "hubs", "brokers", "corridors", "counts"):
        assert stored[key] == folder[key], key
    assert ids(stored["alliances"]["new"]) == ["alliance-cq"]


def _fixture_copy(tmp_path, edit_row):
    import shutil

    folder = tmp_path / "data"
    shutil.copytree(FIXTURE, folder)
    nodes = (folder / "nodes.csv").read_text(encoding="utf-8").splitlines()
    (folder / "nodes.csv").write_text("\n".join(edit_row(line) for line in nodes) + "\n", encoding="utf-8")
    return folder


def test_ended_is_checked_like_a_date(tmp_path):
    from alliances.errors import ValidationError

    assert read_dataset(FIXTURE).nodes["agreement-zq"]["ended"] == "2022-06"
    before = _fixture_copy(tmp_path / "b", lambda l: l.replace(",2022-06", ",2019-05"))
    with pytest.raises(ValidationError) as err:
        read_dataset(before)
    assert "ended '2019-05' is before the date '2020-11' it began" in str(err.value)
    assert "nodes.csv" in str(err.value)
    bad = _fixture_copy(tmp_path / "c", lambda l: l.replace(",2022-06", ",2022-13"))
    with pytest.raises(ValidationError) as err:
        read_dataset(bad)
    assert "'2022-13' is not a date" in str(err.value) and "month 13 does not exist" in str(err.value)


def test_ended_survives_the_snapshot(tmp_path):
    from alliances.snapshot import read_checked

    first, again = {}, {}
    read_checked(FIXTURE, cache_dir=tmp_path, status=first)
    ds = read_checked(FIXTURE, cache_dir=tmp_path, status=again)
    assert (first["snapshot"], again["snapshot"]) == ("written", "loaded")
    assert ds.nodes["agreement-zq"]["ended"] == "2022-06"
    assert [(r["start"], r["end"]) for r in ds.relationships if r.get("ended") == "2023"] == [("zg-a", "zg-b")]


def test_to_defaults_to_today_when_nothing_is_dated():
    import datetime

    ds = read_dataset(FIXTURE)
    for fact in [*ds.nodes.values(), *ds.relationships]:
        fact["date"] = ""
        fact.pop("ended", None)
    out = network_changes(Network(ds), date_from="2020")
    assert out["meta"]["to_day"] == datetime.date.today().isoformat() and out["meta"]["to_default"]
    assert change_rows(out) == []  # undated facts count on both days


def test_default_to_is_named_in_the_heading():
    result = CliRunner().invoke(cli, ["changes", "--data", str(FIXTURE), "--from", "2022", "--lang", "en"])
    assert result.output.startswith("What changed: 2022 (2022-12-31) → latest dated fact (2023-12-31)")


def test_import_reads_ended_by_its_chinese_header_and_date(tmp_path):
    import shutil

    src = tmp_path / "src"
    shutil.copytree(FIXTURE, src)
    nodes = (src / "nodes.csv").read_text(encoding="utf-8").splitlines()
    nodes[0] = nodes[0].replace(",ended", ",结束日期")
    (src / "nodes.csv").write_text("\n".join(line.replace(",2022-06", ",2022年6月") for line in nodes) + "\n",
                                   encoding="utf-8")
    result = CliRunner().invoke(cli, ["import", str(src), "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert read_dataset(tmp_path / "out").nodes["agreement-zq"]["ended"] == "2022-06"
