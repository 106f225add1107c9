"""The registry, matching and the two coverages, on a registry this file builds with known properties.

The graph has 240 enterprises and social organisations ``org-0`` … ``org-239``
(plus two that share a core name) in three places; registry entry *i*
describes ``org-i`` in one of twelve ways (``v = i % 12``) and sixty entries
are not in the graph at all. What each entry should match, and which
coverage it has, follows from *i* by the rules in :func:`expected` — worked
out from the construction, not from the library.
"""

from __future__ import annotations

import csv
import datetime
import json
import subprocess
import sys
from pathlib import Path

import pytest

from alliances.cli import cli

N = 240
EXTRA = 60
PLACES = [("park-a", "自贡高新区"), ("park-b", "沿滩园区"), ("da-an", "大安区")]
INDUSTRIES = ["制造", "信息技术", "商贸"]
ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]


def code(i: int) -> str:
    """A valid code, computed here independently of the library."""
    first = f"91510300MA{i:07d}"
    total = sum(ALPHABET.index(ch) * w for ch, w in zip(first, WEIGHTS))
    return first + ALPHABET[(31 - total % 31) % 31]


def trade(i: int, base: int = 0x4E00) -> str:
    return "".join(chr(base + 3 * i + k) for k in range(3))


def graph_name(i: int) -> str:
    return trade(i) + ("ZG" if i % 12 == 3 else "") + "精工有限公司"


def kind_of(i: int) -> str:
    return "social_organization" if i % 5 == 4 else "enterprise"


def registry_rows() -> list[dict]:
    rows = []
    for i in range(N):
        v = i % 12
        name = graph_name(i)
        c = code(i)
        if v == 1:
            name = "自贡市" + name
        elif v == 2:
            name = name.replace("有限公司", "股份有限公司")
        elif v == 3:
            name = name.replace("ZG", "ＺＧ")
        elif v in (4, 5):
            name = trade(i)
        elif v == 6:
            c = c[:17] + ALPHABET[(ALPHABET.index(c[17]) + 1) % 31]
        elif v == 7:
            name = trade(i, 0x7000) + "新名有限公司"
        elif v == 8:
            name = trade(i)[:1] + " " + name[1:]
        elif v == 10:
            c, name = c[:17], "四川省" + name
        rows.append({"name": name, "code": c, "kind": kind_of(i), "place": PLACES[i % 3][1],
                     "industry": INDUSTRIES[(i // 3) % 3], "size": "" if i % 9 == 8 else ("规上" if i % 2 == 0 else "规下"),
                     "registered": "" if i % 10 == 9 else f"{2016 + i % 6}-0{1 + i % 9}-15"})
    for j in range(EXTRA):
        rows.append({"name": trade(j, 0x6000) + "商贸有限公司", "code": code(1000 + j),
                     "kind": "enterprise" if j % 3 else "social_organization", "place": PLACES[j % 3][1],
                     "industry": "商贸", "size": "规下", "registered": f"{2018 + j % 3}-06-01"})
    rows.append({"name": "双同精工有限公司", "code": code(2000), "kind": "enterprise", "place": "自贡高新区",
                 "industry": "制造", "size": "规上", "registered": "2020-01-01"})
    return rows


def expected(i: int) -> dict:
    """What entry ``i`` (< N) should give."""
    v = i % 12
    method = {4: "review", 7: "code"}.get(v, "name")
    org = "own" if i % 4 == 0 else "joint" if i % 4 == 1 else ""
    work = i % 3 == 0 or i % 5 == 0 or i % 7 == 0 or i % 6 == 1 or i % 11 == 0
    matched = method != "review"
    return {"method": method, "org": org if matched else "", "work": work and matched}


def write_dataset(folder: Path) -> None:
    folder.mkdir(parents=True)
    src = ",s,1"
    nodes = ["id,label,name,name_en,kind,region,date,date_note,status,aliases,description,source,paragraphs,credit_code"]
    nodes += [f"sichuan,Region,四川省,,,,,,,,,s,1,", f"zigong,Region,自贡市,,,,,,,自贡,,s,1,",
              f"da-an,Region,大安区,,,zigong,,,,,,s,1,", f"park-a,Zone,自贡高新区,,,zigong,,,,高新区,,s,1,",
              f"park-b,Zone,沿滩园区,,,zigong,,,,,,s,1,",
              f"comm-0,Organization,综合党委甲,,comprehensive_committee,zigong,,,,,,s,1,"]
    rels = ["start,type,end,role,date,date_note,status,source,paragraphs",
            f"zigong,PART_OF,sichuan,,,,{src}", f"da-an,PART_OF,zigong,,,,{src}", f"park-a,PART_OF,zigong,,,,{src}",
            f"park-b,PART_OF,zigong,,,,{src}"]
    for i in range(N):
        alias = trade(i) if i % 12 == 5 else ""
        cc = code(i) if i % 12 == 7 else ""
        nodes.append(f"org-{i},Organization,{graph_name(i)},,{kind_of(i)},zigong,,,,{alias},,s,1,{cc}")
        if i % 4 == 0:
            nodes.append(f"br-{i},Organization,{graph_name(i)}党支部,,party_branch,zigong,,,,,,s,1,")
            rels.append(f"br-{i},BRANCH_OF,org-{i},,{2017 + i % 5},,{src}")
            rels.append(f"comm-0,MANAGES,br-{i},,,,{src}")
        if i % 4 == 1:
            rels.append(f"jb-{i // 12},BRANCH_OF,org-{i},,2019,,{src}")
        if i % 3 == 0:
            rels.append(f"comm-0,GUIDES,org-{i},,2020,,{src}")
        if i % 5 == 0:
            rels.append(f"st-{i % 2},SERVES,org-{i},,2021,,{src}")
        if i % 7 == 0:
            rels.append(f"cp-0,SERVES,org-{i},,,,{src}")
        if i % 6 == 1:
            rels.append(f"org-{i},IN_BLOC,bloc-0,,,,{src}")
        if i % 11 == 0:
            rels.append(f"ldr-0,CONTACTS,org-{i},county_leader,2020,,{src}")
    for g in range(N // 12):
        nodes.append(f"jb-{g},Organization,联合党支部{g},,party_branch,zigong,,,,,,s,1,")
    nodes += ["amb-1,Organization,双同精工有限公司,,enterprise,zigong,,,,,,s,1,",
              "amb-2,Organization,自贡双同精工股份有限公司,,enterprise,zigong,,,,,,s,1,",
              "st-0,Station,党建指导站甲,,,zigong,,,,,,s,1,", "st-1,Station,党建指导站乙,,,zigong,,,,,,s,1,",
              "cp-0,ContactPoint,党建联系点甲,,,zigong,,,,,,s,1,",
              "site-0,DemonstrationSite,党建示范点甲,,,zigong,,,,,,s,1,",
              "bloc-0,IndustryBloc,精工行业联体,,,zigong,,,,,,s,1,",
              "ins-0,Person,指导员甲,,,zigong,,,,,,s,1,", "ins-1,Person,指导员乙,,,zigong,,,,,,s,1,",
              "ldr-0,Person,领导甲,,,zigong,,,,,,s,1,"]
    rels += [f"org-1,LEADS_BLOC,bloc-0,,,,{src}", f"ins-0,INSTRUCTS,bloc-0,党建指导员,2019,,{src}",
             f"ins-1,INSTRUCTS,bloc-0,行业指导员,2019,,{src}", f"ins-0,PAIRED_WITH,ins-1,,,,{src}",
             f"site-0,HOSTED_BY,org-0,,,,{src}"]
    for k in range(12):
        nodes.append(f"prob-{k},Problem,问题{k},,,zigong,{2019 + k % 3},,{'resolved' if k % 2 == 0 else 'open'},,,s,1,")
        rels.append(f"org-{3 * k},RAISED,prob-{k},,{2019 + k % 3},,{src}")
        if k % 2 == 0:
            rels.append(f"comm-0,RESOLVED,prob-{k},,2021,,{src}")
    (folder / "sources.csv").write_text("id,title,publisher,published,file,paragraphs\ns,测试名录,tests,,,\n",
                                        encoding="utf-8")
    (folder / "nodes.csv").write_text("\n".join(nodes) + "\n", encoding="utf-8")
    (folder / "relationships.csv").write_text("\n".join(rels) + "\n", encoding="utf-8")


HEADER = ["企业名称", "统一社会信用代码", "类别", "所在园区", "行业", "规模", "登记日期"]


def _cells(r):
    return [r["name"], r["code"], {"enterprise": "企业", "social_organization": "社会组织"}.get(r["kind"], r["kind"]),
            r["place"], r["industry"],
            r["size"], r["registered"]]


def write_gbk_csv(path: Path, rows) -> Path:
    with open(path, "w", encoding="gbk", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(HEADER)
        for r in rows:
            w.writerow(_cells(r))
    return path


def write_xlsx(path: Path, rows) -> Path:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "企业名录"
    ws.append(HEADER)
    for r in rows:
        cells = _cells(r)
        if cells[6]:
            cells[6] = datetime.datetime.fromisoformat(cells[6])  # an Excel date cell
        ws.append(cells)
    wb.save(path)
    return path


@pytest.fixture
def project(tmp_path):
    data = tmp_path / "ds"
    write_dataset(data)
    return data, write_gbk_csv(tmp_path / "名录.csv", registry_rows())


def invoke(*args):
    from click.testing import CliRunner

    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


def _entries(data) -> dict[str, dict]:
    with open(data / "registry.csv", encoding="utf-8") as fh:
        return {r["name"]: r for r in csv.DictReader(fh)}


# ---------------------------------------------------------------------------
# Credit codes (GB 32100-2015)


def test_check_character_worked_by_hand():
    from alliances.registry import creditcode

    # 91510300MA62X1234: values 9 1 5 1 0 3 0 0 M=21 A=10 6 2 X=29 1 2 3 4, weights 3^(i-1) mod 31:
    # 9 + 3 + 45 + 27 + 0 + 78 + 0 + 0 + 420 + 290 + 150 + 26 + 232 + 24 + 20 + 90 + 112 = 1526;
    # 1526 mod 31 = 7; 31 - 7 = 24 = Q.
    assert creditcode.check_character("91510300MA62X1234") == "Q"
    assert creditcode.problem("91510300MA62X1234Q") is None
    # the standard's own example
    assert creditcode.problem("91350100M000100Y43") is None
    assert "check character is 4" in creditcode.problem("91350100M000100Y44")
    assert "17 characters" in creditcode.problem("91350100M000100Y4")
    assert "'I'" in creditcode.problem("91350100M000100I43")
    assert creditcode.normalize(" ９１３５０１００ｍ０００１００ｙ４３ ") == "91350100M000100Y43"
    assert creditcode.WEIGHTS == tuple(WEIGHTS)


def test_a_check_sum_divisible_by_31_gives_check_character_0():
    from alliances.registry import creditcode

    # find a body whose weighted sum is 0 mod 31; its check character must be 0, not "31"
    for i in range(10_000):
        first = f"91510300MA{i:07d}"
        if sum(ALPHABET.index(ch) * w for ch, w in zip(first, WEIGHTS)) % 31 == 0:
            assert creditcode.check_character(first) == "0"
            break
    else:  # pragma: no cover
        pytest.fail("no body with sum divisible by 31")


# ---------------------------------------------------------------------------
# Import and matching


def test_gbk_registry_imports_with_every_doubtful_code_warned(project):
    data, src = project
    res = invoke("registry", "import", src, "--data", data)
    assert res.exit_code == 0, res.output
    entries = _entries(data)
    assert len(entries) == N + EXTRA + 1
    warned = [i for i in range(N) if i % 12 in (6, 10)]
    for i in warned:
        assert f"row {i + 2}, column credit_code" in res.output
    assert res.output.count("Warning:") == len(warned)
    counts = {m: sum(1 for i in range(N) if expected(i)["method"] == m) for m in ("code", "name", "review")}
    assert f"by code {counts['code']}" in res.output and f"by name {counts['name']}" in res.output
    assert f"to review {counts['review'] + 1}" in res.output  # the abbreviations and the shared core name
    rows = registry_rows()
    for i in range(N):
        e = entries[rows[i]["name"]]
        assert e["match_method"] == expected(i)["method"], (i, e)
        assert e["match"] == ("" if expected(i)["method"] == "review" else f"org-{i}")
        assert (e["source_file"], e["source_row"]) == ("名录.csv", str(i + 2))
    for r in rows[N:N + EXTRA]:
        assert entries[r["name"]]["match_method"] == "unmatched"


def test_review_file_holds_exactly_the_uncertain_matches(project):
    data, src = project
    invoke("registry", "import", src, "--data", data)
    with open(data / "registry-review.csv", encoding="utf-8-sig") as fh:
        review = list(csv.reader(fh))
    header, body = review[0], review[1:]
    assert header[0].endswith("entry") and header[-1].endswith("decision")
    rows = registry_rows()
    want = {rows[i]["name"]: f"org-{i}" for i in range(N) if i % 12 == 4}
    got = {r[1]: r[6] for r in body}
    assert set(got) == set(want) | {"双同精工有限公司"}
    assert all(got[n] == want[n] for n in want)  # the right organisation is the best candidate
    amb = next(r for r in body if r[1] == "双同精工有限公司")
    assert "amb-1" in amb[8] and "amb-2" in amb[8] and amb[5] == "100"


def test_workbook_gives_the_same_registry_as_the_gbk_csv(project, tmp_path):
    data, src = project
    invoke("registry", "import", src, "--data", data)
    from_csv = _entries(data)
    book = write_xlsx(tmp_path / "名录.xlsx", registry_rows())
    res = invoke("registry", "import", book, "--data", data)
    assert res.exit_code == 0, res.output
    from_xlsx = _entries(data)
    skip = {"source_file", "source_sheet", "imported"}
    assert {n: {k: v for k, v in e.items() if k not in skip} for n, e in from_xlsx.items()} == \
        {n: {k: v for k, v in e.items() if k not in skip} for n, e in from_csv.items()}
    assert {e["source_sheet"] for e in from_xlsx.values()} == {"企业名录"}


# ---------------------------------------------------------------------------
# Coverage, worked out from the construction


def _expected_rates():
    rows = registry_rows()
    table: dict[tuple[str, str], list[int]] = {}
    for i, r in enumerate(rows):
        e = expected(i) if i < N else {"org": "", "work": False}
        place = next(pid for pid, name in PLACES if name == r["place"])
        for key in (("kind", r["kind"]), ("place", place), ("all", "")):
            t = table.setdefault(key, [0, 0, 0, 0, 0])
            t[0] += 1
            t[1] += e["org"] == "own"
            t[2] += e["org"] == "joint"
            t[3] += bool(e["work"])
            t[4] += bool(e["org"] or e["work"])
    return table


def test_coverage_rates_for_every_park_and_kind(project):
    data, src = project
    invoke("registry", "import", src, "--data", data)
    res = invoke("coverage", "--data", data, "--format", "json")
    rep = json.loads(res.output)
    got = {(g["dimension"], g["key"]): g for g in rep["groups"]} | {("all", ""): rep["totals"]}
    for key, (n, own, joint, work, either) in _expected_rates().items():
        g = got[key]
        assert (g["entries"], g["own"], g["joint"], g["work_covered"], g["covered"]) == (n, own, joint, work, either), key
        assert g["org_rate"] == round(100 * (own + joint) / n, 1)
        assert g["work_rate"] == round(100 * work / n, 1)
    # the whole registry, by hand: 240 graph entries, 20 of them (v = 4) awaiting review
    assert rep["totals"]["entries"] == 301 and rep["totals"]["review"] == 21


def test_uncovered_list_is_exactly_the_entries_covered_neither_way(project):
    data, src = project
    invoke("registry", "import", src, "--data", data)
    rep = json.loads(invoke("coverage", "--data", data, "--format", "json").output)
    rows = registry_rows()
    want = {rows[i]["name"] for i in range(N) if not expected(i)["org"] and not expected(i)["work"]}
    want |= {r["name"] for r in rows[N:]}
    assert {x["name"] for x in rep["uncovered"]} == want
    res = invoke("coverage", "--data", data, "--format", "csv", "--list", "uncovered")
    assert {r["name"] for r in csv.DictReader(res.output.splitlines())} == want


def test_trend_and_problems_follow_the_dates(project):
    data, src = project
    invoke("registry", "import", src, "--data", data)
    rep = json.loads(invoke("coverage", "--data", data, "--format", "json").output)
    rows = registry_rows()
    by_year = {t["year"]: t for t in rep["trend"]}
    for year in (2017, 2019, 2021):
        end = f"{year}-12-31"
        live = [i for i, r in enumerate(rows) if not r["registered"] or r["registered"] <= end]
        own = [i for i in live if i < N and expected(i)["org"] == "own" and 2017 + i % 5 <= year]
        joint = [i for i in live if i < N and expected(i)["org"] == "joint" and year >= 2019]
        assert by_year[year]["entries"] == len(live)
        assert by_year[year]["org_covered"] == len(own) + len(joint), year
    p = rep["problems"]
    assert (p["raised"], p["resolved"], p["open"]) == (12, 6, 6)
    assert {y["year"]: (y["raised"], y["resolved"]) for y in p["by_year"]} == \
        {"2019": (4, 0), "2020": (4, 0), "2021": (4, 6)}
    w = rep["work"]
    assert (w["stations"], w["contact_points"], w["demonstration_sites"], w["blocs"]) == (2, 1, 1, 1)
    assert (w["party_instructors"], w["industry_instructors"], w["leaders"]) == (1, 1, 1)
    assert w["enterprises_contacted"] == len([i for i in range(N) if i % 11 == 0])
    assert w["managed_party_orgs"] == N // 4


def test_planner_decisions_apply_and_survive_a_reimport(project):
    data, src = project
    invoke("registry", "import", src, "--data", data)
    review = data / "registry-review.csv"
    with open(review, encoding="utf-8-sig") as fh:
        body = list(csv.reader(fh))
    for r in body[1:]:
        r[-1] = "none" if r[1] == "双同精工有限公司" else r[6]
    with open(review, "w", encoding="utf-8-sig", newline="") as fh:
        csv.writer(fh).writerows(body)
    res = invoke("registry", "review", review, "--data", data)
    assert res.exit_code == 0, res.output
    assert "to review 0" in res.output
    rows = registry_rows()
    entries = _entries(data)
    for i in range(N):
        if i % 12 == 4:
            assert (entries[rows[i]["name"]]["match"], entries[rows[i]["name"]]["match_method"]) == (f"org-{i}", "planner")
    assert entries["双同精工有限公司"]["match_method"] == "none"
    # the same registry imported again keeps the planner's decisions
    invoke("registry", "import", src, "--data", data)
    again = _entries(data)
    assert again[rows[4]["name"]]["match_method"] == "planner" and again["双同精工有限公司"]["match_method"] == "none"
    rep = json.loads(invoke("coverage", "--data", data, "--format", "json").output)
    assert rep["totals"]["review"] == 0
    work = lambda i: i % 3 == 0 or i % 5 == 0 or i % 7 == 0 or i % 6 == 1 or i % 11 == 0  # noqa: E731
    assert rep["totals"]["covered"] == sum(1 for i in range(N) if i % 4 in (0, 1) or work(i))


# ---------------------------------------------------------------------------
# Bad input


@pytest.mark.parametrize("row, column, words", [
    ({"place": "不存在园区"}, "place", "is not a park (Zone) or district (Region)"),
    ({"kind": "个体户"}, "kind", "unknown kind"),
    ({"registered": "2021-13-01"}, "registered", "is not a date"),
    ({"size": "很大"}, "size", "unknown size"),
    ({"name": ""}, "name", "no name"),
])
def test_a_bad_row_is_named_and_nothing_is_written(project, tmp_path, row, column, words):
    data, _ = project
    rows = registry_rows()[:20]
    rows[7] = {**rows[7], **row}
    src = write_gbk_csv(tmp_path / "bad.csv", rows)
    proc = subprocess.run([sys.executable, "-m", "alliances", "registry", "import", str(src), "--data", str(data)],
                          capture_output=True, env={"LANG": "C", "PATH": "/usr/bin:/bin"})
    err = proc.stderr.decode("utf-8")
    assert proc.returncode == 1, err
    assert f"row 9, column {column}" in err and words in err and "Traceback" not in err
    assert not (data / "registry.csv").exists() and not (data / "registry-review.csv").exists()


def test_missing_column_duplicate_code_and_bundled_dataset_are_clear_errors(project, tmp_path):
    data, _ = project
    bad = tmp_path / "nocol.csv"
    bad.write_text("企业名称,行业\n甲公司,制造\n", encoding="utf-8")
    res = invoke("registry", "import", bad, "--data", data)
    assert res.exit_code == 1 and "required column is missing" in res.output and "column kind" in res.output
    rows = registry_rows()[:5]
    rows[3] = {**rows[3], "code": rows[0]["code"]}
    res = invoke("registry", "import", write_gbk_csv(tmp_path / "dup.csv", rows), "--data", data)
    assert res.exit_code == 1 and "is also on row 2" in res.output
    from alliances.dataset import bundled_path

    res = invoke("registry", "import", bad, "--data", bundled_path())
    assert res.exit_code == 2 and "read-only" in res.output
    fake = tmp_path / "fake.xlsx"
    fake.write_text("企业名称\n甲\n", encoding="utf-8")
    res = invoke("registry", "import", fake, "--data", data)
    assert res.exit_code == 1 and "cannot be opened as an .xlsx workbook" in res.output
    book = write_xlsx(tmp_path / "two.xlsx", registry_rows()[:3])
    res = invoke("registry", "import", book, "--data", data, "--sheet", "Sheet9")
    assert res.exit_code == 1 and "no sheet 'Sheet9'" in res.output and "企业名录" in res.output
    assert not (data / "registry.csv").exists()


def test_a_dataset_with_a_broken_registry_does_not_validate(project):
    data, src = project
    invoke("registry", "import", src, "--data", data)
    text = (data / "registry.csv").read_text(encoding="utf-8").replace(",org-0,", ",org-nope,", 1)
    (data / "registry.csv").write_text(text, encoding="utf-8")
    res = invoke("validate", data)
    assert res.exit_code == 1 and "registry.csv, row 2, column match" in res.output


# ---------------------------------------------------------------------------
# The bundled dataset, the report and the map


def test_bundled_dataset_reports_the_articles_figures_as_given():
    rep = json.loads(invoke("coverage", "--format", "json").output)
    got = {r["key"]: (r["reported"], r["paragraphs"]) for r in rep["reported"]}
    assert got == {
        "two_new_orgs_on_provincial_platform": (1566, [4]), "coverage_nonpublic_enterprises_pct": (97.5, [4]),
        "coverage_social_organizations_pct": (95.8, [4]),
        "enterprise_party_orgs_under_comprehensive_committees": (277, [7]),
        "party_members_under_comprehensive_committees": (1669, [7]), "small_micro_guidance_stations": (23, [7]),
        "party_building_contact_points": (301, [7]), "party_building_demonstration_sites": (15, [7]),
        "county_level_leaders_linked": (15, [23]), "key_enterprises_linked": (106, [23]),
        "industry_blocs": (9, [23]), "party_building_instructors": (72, [23]), "problems_resolved": (192, [23]),
    }
    assert rep["meta"]["registry_entries"] == 0 and all(r["computed"] is None for r in rep["reported"])


def test_report_has_the_coverage_section_with_an_svg_chart(project, tmp_path):
    from html.parser import HTMLParser

    data, src = project
    invoke("registry", "import", src, "--data", data)
    out = tmp_path / "r.html"
    res = invoke("report", "--data", data, "--out", out)
    assert res.exit_code == 0, res.output
    html = out.read_text(encoding="utf-8")

    class P(HTMLParser):
        def __init__(self):
            super().__init__()
            self.section, self.bars = None, {}

        def handle_starttag(self, tag, attrs):
            a = dict(attrs)
            if tag == "section" and a.get("id") == "coverage":
                self.section = True
            if tag == "rect" and self.section and a.get("class", "").startswith("bar-"):
                self.bars.setdefault(a["class"], []).append(float(a["data-value"]))

    p = P()
    p.feed(html)
    assert p.section
    rates = _expected_rates()
    for pid, _ in PLACES:  # one pair of bars per park, at the rates worked out above
        n, own, joint, work, _e = rates[("place", pid)]
        assert round(100 * (own + joint) / n, 1) in p.bars["bar-org_rate"]
        assert round(100 * work / n, 1) in p.bars["bar-work_rate"]


def test_map_coverage_mode_colours_covered_and_uncovered(project, tmp_path):
    data, src = project
    invoke("registry", "import", src, "--data", data)
    from alliances.analysis.coverage import organisation_states
    from alliances.dataset import read_dataset
    from alliances.render.map import COVERAGE_COLORS, build_map

    ds = read_dataset(data)
    m = build_map(None, dataset=ds, color="coverage", coverage=organisation_states(ds))
    colour = {n["id"]: n["color"] for n in m["nodes"]}
    for i in range(N):  # the graph's own coverage of each organisation, whatever the registry says
        work = i % 3 == 0 or i % 5 == 0 or i % 7 == 0 or i % 6 == 1 or i % 11 == 0
        want = "organisation" if i % 4 in (0, 1) else "work" if work else "uncovered"
        assert colour[f"org-{i}"] == COVERAGE_COLORS[want], i
    assert colour["st-0"] == colour["sichuan"] == COVERAGE_COLORS["other"]
    res = invoke("map", "--data", data, "--color", "coverage", "--out", tmp_path / "m.html")
    assert res.exit_code == 0, res.output
    names = {x["name"] for x in m["legend"]["colors"]}
    assert {"有党组织", "党的工作覆盖", "未覆盖"} <= names


# ---------------------------------------------------------------------------
# Generated networks


def test_generate_with_coverage_is_deterministic_and_consistent(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    for out in (a, b):
        res = invoke("generate", "--organizations", "600", "--seed", "4", "--coverage", "--out", out)
        assert res.exit_code == 0, res.output
    for f in ("nodes.csv", "relationships.csv", "registry.csv", "registry-review.csv", "registry-input.csv"):
        assert (a / f).read_bytes() == (b / f).read_bytes(), f
    from alliances.dataset import read_dataset

    ds = read_dataset(a)
    kinds = [n for n in ds.nodes.values() if n.get("kind") in ("enterprise", "social_organization")]
    assert len(ds.registry) == len(kinds) + 60
    assert {e["match"] for e in ds.registry if e["match"]} <= {n["id"] for n in kinds}
    rep = json.loads(invoke("coverage", "--data", a, "--format", "json").output)
    labels = {}
    for n in ds.nodes.values():
        labels[n["label"]] = labels.get(n["label"], 0) + 1
    assert rep["work"]["stations"] == labels["Station"] == 1 and rep["work"]["blocs"] == labels["IndustryBloc"] == 1
    assert rep["work"]["party_instructors"] == rep["work"]["industry_instructors"] == 8
    assert rep["problems"]["raised"] == labels["Problem"] == 1
    # the default generator is unchanged by the option's existence
    plain = tmp_path / "plain"
    invoke("generate", "--organizations", "600", "--seed", "4", "--out", plain)
    assert not (plain / "registry.csv").exists()
    assert (a / "nodes.csv").read_bytes().startswith((plain / "nodes.csv").read_bytes())


def test_a_snapshot_carries_the_registry_and_a_review_invalidates_it(project, tmp_path):
    data, src = project
    cache = tmp_path / "cache"
    invoke("registry", "import", src, "--data", data)
    first = json.loads(invoke("coverage", "--data", data, "--cache-dir", cache, "--format", "json").output)
    again = json.loads(invoke("coverage", "--data", data, "--cache-dir", cache, "--format", "json").output)
    assert list(cache.rglob("*.npz")) and again == first and first["totals"]["review"] == 21
    review = data / "registry-review.csv"
    with open(review, encoding="utf-8-sig") as fh:
        body = list(csv.reader(fh))
    body[1][-1] = "none"
    with open(review, "w", encoding="utf-8-sig", newline="") as fh:
        csv.writer(fh).writerows(body)
    invoke("registry", "review", review, "--data", data)
    after = json.loads(invoke("coverage", "--data", data, "--cache-dir", cache, "--format", "json").output)
    assert after["totals"]["review"] == 20


def test_an_organisations_credit_code_in_nodes_csv_is_checked(tmp_path):
    data = tmp_path / "ds"
    write_dataset(data)
    text = (data / "nodes.csv").read_text(encoding="utf-8")
    good = code(7)
    assert good in text
    (data / "nodes.csv").write_text(text.replace(good, good[:17] + ("0" if good[17] != "0" else "1")), encoding="utf-8")
    res = invoke("validate", data, "--format", "json", "--no-cache")
    problems = json.loads(res.output)["problems"]
    # row 17: the header, six fixed rows, org-0, br-0, org-1 … org-4, br-4, org-5, org-6, then org-7
    assert [(p["row"], p["field"], p["code"]) for p in problems] == [(17, "credit_code", "bad_credit_code")]
    assert "校验码应为" in problems[0]["message_zh"]
