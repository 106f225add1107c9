"""The report's "变化 / What changed" section (``alliances report --since DATE``), read from the parsed HTML.

The fixture is tests/fixtures/changes (see tests/test_changes.py for its facts).
From 2020 (2020-12-31) to its latest dated fact (2023): one new alliance
(成渝商圈党建联盟, 2022-03), two new activities (2021-06-18, 2023), one lapsed
agreement (自渝党建共建协议, ended 2022-06), three new cross-region ties (cd-a~cq-a,
nj-a~zg-a, cq-b~nj-a) and one lost (cq-a~zg-b), three corridors opened (Zigong,
Chengdu and Chongqing to Neijiang), one shortened (Chengdu–Chongqing, 3 → 1) and
one lengthened (Zigong–Chongqing, 1 → 2).
"""

from __future__ import annotations

import csv
from html.parser import HTMLParser
from pathlib import Path

from click.testing import CliRunner

from alliances.analysis.changes import change_rows, network_changes
from alliances.cli import cli
from alliances.dataset import read_dataset
from alliances.network import Network
from tests.conftest import run_cli

FIXTURE = Path(__file__).parent / "fixtures" / "changes"


class _Sections(HTMLParser):
    """Each <section id>: its heading, paragraphs and table rows (cells as text)."""

    def __init__(self):
        super().__init__()
        self.sections: dict[str, dict] = {}
        self._sid = None
        self._tag = None
        self._row = None
        self._text = ""

    def handle_starttag(self, tag, attrs):
        if tag == "section":
            self._sid = dict(attrs)["id"]
            self.sections[self._sid] = {"h2": "", "p": [], "rows": []}
        elif self._sid and tag in ("h2", "p", "td"):
            self._tag, self._text = tag, ""
        elif self._sid and tag == "tr":
            self._row = []

    def handle_endtag(self, tag):
        if not self._sid:
            return
        s = self.sections[self._sid]
        if tag == self._tag == "h2":
            s["h2"] = self._text
        elif tag == self._tag == "p":
            s["p"].append(self._text)
        elif tag == self._tag == "td":
            self._row.append(self._text)
        elif tag == "tr" and self._row:
            s["rows"].append(self._row)
            self._row = None
        elif tag == "section":
            self._sid = None
        if tag == self._tag:
            self._tag = None

    def handle_data(self, data):
        if self._tag:
            self._text += data


def report_sections(tmp_path, *args) -> dict:
    out = tmp_path / "r.html"
    result = CliRunner().invoke(cli, ["report", "--data", str(FIXTURE), "--out", str(out), *args])
    assert result.exit_code == 0, result.output
    page = _Sections()
    page.feed(out.read_text(encoding="utf-8"))
    return page.sections


def test_what_changed_section_in_chinese_bounded_and_in_the_summary(tmp_path):
    sections = report_sections(tmp_path, "--since", "2020", "--top", "1")
    ch = sections["changes"]
    assert ch["h2"] == "变化"
    sentence = ch["p"][0]
    assert sentence.startswith("自 2020（2020-12-31）至 2023-12-31：新增联盟 1 个、新增活动 2 场、失效协议 1 项；"
                               "跨地区联系新增 3 对、减少 1 对；地区间通道打通 3 条、变短 1 条、变长 1 条")
    assert sentence in sections["summary"]["p"]  # the summary tells it too
    # --top 1: one change of each kind; the rest counted
    every = change_rows(network_changes(Network(read_dataset(FIXTURE)), date_from="2020", top=1))
    kinds = {r["section"] for r in every}
    assert len(ch["rows"]) == len(kinds) < len(every)
    assert f"另有 {len(every) - len(kinds)} 项变化未列出（共 {len(every)} 项）" in " ".join(ch["p"])
    assert ch["rows"][0] == ["联盟", "新增", "成渝商圈党建联盟", "—", "2022-03"]
    corridor = next(r for r in ch["rows"] if r[0] == "走廊")
    assert corridor == ["走廊", "变长", "重庆市—自贡市", "1 步", "2 步"]  # the first pair in the network's order


def test_what_changed_in_english(tmp_path):
    sections = report_sections(tmp_path, "--since", "2020", "--lang", "en")
    ch = sections["changes"]
    assert ch["h2"] == "What changed"
    assert ch["p"][0].startswith("From 2020 (2020-12-31) to 2023-12-31: new alliances 1, new activities 2, "
                                 "lapsed agreements 1; new cross-region ties 3, lost 1; "
                                 "corridors opened 3, shortened 1, lengthened 1")
    rows = {(r[0], r[1], r[2]): (r[3], r[4]) for r in ch["rows"]}
    assert rows[("Corridors", "shortened", "Chongqing—Chengdu")] == ("3 tie(s)", "1 tie(s)")
    assert rows[("Alliances", "new", "Chengdu–Chongqing circle alliance")] == ("—", "2022-03")
    assert rows[("Agreements", "lapsed", "Zigong–Chongqing co-building agreement")] == ("2020-11", "ended 2022-06")
    assert rows[("Corridors", "lengthened", "Chongqing—Zigong")] == ("1 tie(s)", "2 tie(s)")
    assert not any(p.startswith("And ") for p in ch["p"])  # --top 10 shows every change here


def test_to_the_as_of_date_and_nothing_changed(tmp_path):
    sections = report_sections(tmp_path, "--since", "2022-06", "--as-of", "2022-12-31")
    assert sections["changes"]["p"][0] == "自 2022-06（2022-06-30）至 2022-12-31，网络没有变化。"
    assert sections["changes"]["rows"] == []


def test_no_section_without_since(tmp_path):
    assert "changes" not in report_sections(tmp_path)


def test_tables_write_every_change(tmp_path):
    out, tables = tmp_path / "r.md", tmp_path / "tables"
    result = CliRunner().invoke(cli, ["report", "--data", str(FIXTURE), "--out", str(out), "--since", "2019",
                                      "--top", "1", "--tables", str(tables)])
    assert result.exit_code == 0, result.output
    assert "## 变化" in out.read_text(encoding="utf-8")
    with open(tables / "changes.csv", encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    every = change_rows(network_changes(Network(read_dataset(FIXTURE)), date_from="2019", top=1))
    assert [(r["section"], r["change"], r["id"]) for r in rows] == [(r["section"], r["change"], r["id"]) for r in every]


def test_bad_since_is_one_line_exit_2(tmp_path):
    for args, expect in ((["--since", "2021-02-30"], "--since '2021-02-30' is not a date"),
                         (["--since", "2023", "--as-of", "2021-06-30"],
                          "--since 2023 (2023-12-31) is after --as-of 2021-06-30")):
        out = tmp_path / "r.html"
        proc = run_cli("report", "--data", str(FIXTURE), "--out", str(out), *args, env={"LANG": "C"})
        err = proc.stderr.decode("utf-8")
        assert proc.returncode == 2 and err.startswith("Error: ") and expect in err, err
        assert len(err.strip().splitlines()) == 1 and not out.exists()
