"""Markdown output is safe to preview: every data string shows as written, nothing renders live.

Each payload of ``tests/payloads.py::MARKDOWN`` becomes an organisation's name;
every command's ``--format markdown`` and the Markdown report are rendered by
GitHub's own renderer (cmark-gfm, with raw HTML allowed as careless previewers
do, and its autolink extension) and by markdown-it: no image, link or other
live element may appear, and each name must be there as text.
"""

from __future__ import annotations

import copy
from html.parser import HTMLParser

import cmarkgfm
import pytest
from click.testing import CliRunner
from cmarkgfm.cmark import Options
from markdown_it import MarkdownIt

from alliances.cli import cli
from alliances.dataset import write_dataset
from alliances.output import md_cell, md_text
from tests.payloads import HTML, MARKDOWN

SAFE_TAGS = {"table", "thead", "tbody", "tr", "th", "td", "h1", "h2", "h3", "p", "em", "code"}


class _Page(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags, self.attrs, self.text = set(), [], []

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        self.attrs += attrs

    def handle_data(self, data):
        self.text.append(data)


def renders(markdown: str) -> list[_Page]:
    pages = []
    for html in (cmarkgfm.github_flavored_markdown_to_html(markdown, options=Options.CMARK_OPT_UNSAFE),
                 MarkdownIt("commonmark", {"html": True}).enable("table").render(markdown)):
        page = _Page()
        page.feed(html)
        pages.append(page)
    return pages


def shown(value: str) -> str:
    """What a line-folded cell shows: every kind of line break as a space."""
    import re

    return re.sub(r"\r\n|[\r\n\v\f\x85\u2028\u2029]", " ", value)


@pytest.mark.parametrize("payload", MARKDOWN + HTML)
def test_md_text_renders_as_the_text_itself(payload):
    for page in renders(f"| a |\n|---|\n| {md_cell(payload)} |\n\n{md_text(payload)}\n"):
        assert page.tags <= SAFE_TAGS, (payload, page.tags)
        assert not page.attrs, (payload, page.attrs)
        text = "".join(page.text)
        assert text.count(shown(payload).strip()) >= 2 or not shown(payload).strip(), (payload, text)


@pytest.fixture(scope="module")
def hostile(tmp_path_factory, bundled):
    """Datasets whose organisations are named by the payloads, 15 payloads each."""
    out = []
    payloads = MARKDOWN
    for k in range(0, len(payloads), 15):
        ds = copy.deepcopy(bundled)
        orgs = [n for n in ds.nodes.values() if n["label"] == "Organization"]
        chunk = payloads[k:k + 15]
        for org, p in zip(orgs, chunk):
            org["name"] = org["description"] = p
            org["aliases"] = []
        out.append((write_dataset(ds, tmp_path_factory.mktemp("md") / "ds"), chunk[:len(orgs)]))
    return out


COMMANDS = [
    ["centrality", "--format", "markdown"],
    ["centrality", "--format", "markdown", "--projection", "organizations", "--explain"],
    ["brokers", "--format", "markdown"],
    ["communities", "--format", "markdown"],
    ["corridors", "--format", "markdown"],
    ["suggest", "--format", "markdown"],
    ["whatif", "--without", "huashang-committee", "--format", "markdown"],
    ["search", "", "--format", "markdown", "--limit", "100"],
]


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: "-".join(c[:2]))
def test_every_markdown_command_is_safe_to_preview(hostile, command):
    for folder, payloads in hostile:
        res = CliRunner().invoke(cli, [*command, "--data", str(folder)])
        assert res.exit_code == 0, res.output
        assert "<" not in res.stdout
        for page in renders(res.stdout):
            assert page.tags <= SAFE_TAGS, (command, page.tags)
            assert not page.attrs, (command, page.attrs)
        if command[0] in ("centrality", "search"):  # every organisation is listed: each name as written
            text = "".join(renders(res.stdout)[0].text)
            for p in payloads:
                assert shown(p).strip() in text, (command, p)


def test_the_markdown_report_is_safe_to_preview(hostile, tmp_path):
    for i, (folder, payloads) in enumerate(hostile):
        out = tmp_path / f"r{i}.md"
        res = CliRunner().invoke(cli, ["report", "--data", str(folder), "--out", str(out), "--top", "100"])
        assert res.exit_code == 0, res.output
        text = out.read_text(encoding="utf-8")
        for page in renders(text):
            assert page.tags <= SAFE_TAGS, page.tags
            assert not page.attrs, page.attrs
        rendered = "".join(renders(text)[0].text)
        for p in payloads:
            assert shown(p).strip() in rendered, p
