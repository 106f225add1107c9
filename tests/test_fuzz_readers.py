"""Property-based fuzzing of the readers: any input gives a result or a project error.

Never an uncaught exception: random bytes through ``decode_bytes`` and
``read_dataset``, random rows through ``read_dataset`` (and, when they pass,
a write/read round trip that must give the same dataset back), random text
through ``parse_date``, name resolution and the CLI's name arguments.
"""

from __future__ import annotations

import datetime
import importlib.util
import shutil
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from alliances.cli import cli
from alliances.dataset import (
    COLUMNS, ID_RE, MAX_FIELD, Dataset, decode_bytes, parse_date, read_dataset, write_dataset,
)
from alliances.errors import DataError, NameResolutionError, ValidationError

CORPUS = Path(__file__).resolve().parent / "corpus"
FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

_spec = importlib.util.spec_from_file_location("make_corpus", CORPUS / "make_corpus.py")
make_corpus = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(make_corpus)

# Text that looks like a spreadsheet cell: letters, CJK, digits, separators,
# quotes, commas, newlines, control and odd Unicode characters.
CELL_ALPHABET = st.sampled_from(
    list("abcXYZ019-_.:;；,\"' \t\n\r`{}[]()$\\/") + ["自", "贡", "党", "委", "\x00", "\x07", "\x1b", "\x7f",
                                                    "\u202e", "\ufeff", "\u3000", "２", "²", "\U0001F600"]
)
CELL = st.text(CELL_ALPHABET, max_size=12)
ID_LIKE = st.sampled_from(["zigong", "chengdu", "org-a", "org-b", "alliance-1", "s1", "", "x y", "org-a "])


def _base_copy() -> Path:
    tmp = Path(tempfile.mkdtemp(prefix="fuzz-"))
    return make_corpus.write_base(tmp / "ds")


@FUZZ
@given(st.binary(max_size=2000))
def test_decode_bytes_gives_text_or_a_data_error(data):
    try:
        text = decode_bytes(data, "x.csv")
    except DataError as err:
        assert str(err).startswith("x.csv: ")
        return
    assert isinstance(text, str)


@FUZZ
@given(st.text(max_size=300))
def test_utf8_text_always_decodes_to_itself(text):
    # a leading BOM is Excel's UTF-8 mark and is dropped; nothing else changes
    assert decode_bytes(text.encode("utf-8"), "x.csv") == (text[1:] if text.startswith("\ufeff") else text)


@FUZZ
@given(st.text(st.characters(codec="gb18030", exclude_categories=("Cs", "Co")), min_size=1, max_size=200))
def test_gb18030_text_decodes_to_itself_or_a_clear_error(text):
    data = text.encode("gb18030")
    try:
        decoded = decode_bytes(data, "x.csv")
    except DataError as err:
        assert "x.csv" in str(err)
        return
    # bytes that happen to be valid UTF-8 are read as UTF-8 (the first rule)
    assert decoded == text or decoded == data.decode("utf-8", "strict").removeprefix("\ufeff")


@FUZZ
@given(st.sampled_from(["sources.csv", "nodes.csv", "relationships.csv", "figures.csv"]), st.binary(max_size=3000))
def test_read_dataset_on_random_bytes_in_any_file(fname, data):
    folder = _base_copy()
    try:
        (folder / fname).write_bytes(data)
        try:
            ds = read_dataset(folder)
        except DataError:
            return
        assert isinstance(ds, Dataset)
    finally:
        shutil.rmtree(folder.parent)


def _rows(kind: str, n: int):
    cols = COLUMNS[kind]
    pools = {"id": ID_LIKE, "start": ID_LIKE, "end": ID_LIKE, "node": ID_LIKE, "source": ID_LIKE, "region": ID_LIKE,
             "label": st.sampled_from(["Region", "Organization", "Alliance", "region", "", "City"]),
             "type": st.sampled_from(["MEMBER_OF", "LOCATED_IN", "FOUNDED", "GUIDES", "LIKES", ""]),
             "kind": st.sampled_from(["", "enterprise", "party_committee", "company"]),
             "date": st.sampled_from(["", "2020", "2020-02-29", "2021-02-29", "1899", "２０２０", "2020-1"]),
             "paragraphs": st.sampled_from(["1", "1;2", "", "0", "x", "²", "3；4"]),
             "value": st.sampled_from(["1", "2.5", "1,200", "nan", "", "x"]),
             "key": st.sampled_from(["party_members", "name", "Bad", "k2", ""]),
             "qualifier": st.sampled_from(["", "exact", "about", "roughly"])}
    row = st.tuples(*[pools.get(c, CELL) for c in cols]).map(list)
    return st.lists(row, max_size=n)


@FUZZ
@given(_rows("nodes", 8), _rows("relationships", 8), _rows("figures", 4))
def test_read_dataset_on_random_rows_and_round_trip(nodes, rels, figures):
    folder = _base_copy()
    try:
        for kind, extra in (("nodes", nodes), ("relationships", rels), ("figures", figures)):
            rows = make_corpus.BASE[kind] + extra
            (folder / make_corpus.FILES[kind]).write_bytes(make_corpus.csv_bytes(rows))
        try:
            ds = read_dataset(folder)
        except ValidationError as err:
            assert err.problems and all(p.file.startswith(str(folder)) for p in err.problems)
            return
        # Whatever passes is clean: valid ids, no over-long values, and the
        # dataset survives a write and a read unchanged.
        assert all(ID_RE.match(n) for n in ds.nodes)
        assert all(len(v) <= MAX_FIELD for n in ds.nodes.values() for v in n.values() if isinstance(v, str))
        again = read_dataset(write_dataset(ds, folder.parent / "copy"))
        assert again.nodes == ds.nodes
        assert again.relationships == ds.relationships
        assert again.figures == ds.figures
    finally:
        shutil.rmtree(folder.parent)


@FUZZ
@given(st.text(max_size=20))
def test_parse_date_accepts_only_real_ascii_dates(text):
    got = parse_date(text)
    if got is None:
        return
    assert got == text and text.isascii()
    parts = [int(p) for p in text.split("-")]
    assert 1900 <= parts[0] <= 2100
    datetime.date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)


@FUZZ
@given(st.dates(min_value=datetime.date(1900, 1, 1), max_value=datetime.date(2100, 12, 31)))
def test_parse_date_accepts_every_day_in_range(day):
    iso = day.isoformat()
    assert parse_date(iso) == iso and parse_date(iso[:7]) == iso[:7] and parse_date(iso[:4]) == iso[:4]


@FUZZ
@given(st.text(max_size=40))
def test_name_resolution_gives_a_node_or_a_name_error(bundled_graph, text):
    from alliances.resolve import resolve

    try:
        nid = resolve(bundled_graph, text)
    except NameResolutionError as err:
        assert str(err)
        return
    assert nid in bundled_graph


def test_every_bundled_name_and_id_resolves(bundled_graph):
    from alliances.resolve import resolve

    for nid, d in bundled_graph.nodes(data=True):
        assert resolve(bundled_graph, nid) == nid
        try:
            assert resolve(bundled_graph, d["name"]) == nid
        except NameResolutionError as err:  # only when two nodes share the name
            assert nid in " ".join(err.candidates)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.sampled_from(["path", "show", "search"]), st.text(max_size=30), st.text(max_size=30))
def test_cli_name_arguments_never_crash(command, a, b):
    args = {"path": ["path", a, b], "show": ["show", a], "search": ["search", a]}[command]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code in (0, 1, 2), result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output


@pytest.mark.parametrize("name", ["", " ", "\u3000", "\t"])
def test_blank_names_are_usage_errors(name):
    # normalize() folds full-width space and drops whitespace, so each is empty
    result = CliRunner().invoke(cli, ["show", name])
    assert result.exit_code == 2
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "an empty name matches nothing" in result.output
