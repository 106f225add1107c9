"""Registry entries to the graph's organisations: credit code first, then names.

Rules, in order (the first that applies decides):

1. the planner's decision (``planner`` or ``none``) from an earlier import or
   review is kept;
2. **code**: the entry's valid credit code equals an Organization's
   ``credit_code``;
3. **name**: the entry's core name equals the core name (or an alias's) of
   exactly one enterprise or social organisation of the same kind. The core
   name is NFKC (full-width to half-width), lower case, without spaces or
   punctuation, without the legal form (股份有限公司, 有限责任公司, 有限公司,
   股份公司, 公司) and without place prefixes (the dataset's regions and zones,
   e.g. 四川省, 自贡市, 自贡高新区);
4. **review**: otherwise, when some organisation scores at least
   :data:`REVIEW_MIN` (rapidfuzz similarity of the core names; an
   abbreviation contained in a longer name scores ``0.95 * partial_ratio``),
   or when several share the core name, the entry goes to the review file
   with its best candidates — never applied on a guess;
5. **unmatched**: no candidate; the entry is not in the graph.
"""

from __future__ import annotations

import io
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from alliances import model
from alliances.dataset import Dataset
from alliances.errors import ValidationError, problem

REVIEW_MIN = 60  # below this a candidate is not worth a planner's look
TOP = 3  # candidates listed per entry in the review file
LEGAL_FORMS = ("股份有限公司", "有限责任公司", "集团有限公司", "有限公司", "股份公司", "公司")
# kept words: 集团 in 集团有限公司 is part of the name once the legal form is gone
_KEEP_AFTER = {"集团有限公司": "集团"}
PROVINCE_PREFIXES = ("四川省", "四川", "重庆市", "重庆")
_PUNCT = re.compile(r"[\W_]+", re.UNICODE)
REVIEW_COLUMNS = ["entry", "name", "credit_code", "kind", "place", "score", "best", "best_name", "candidates",
                  "decision"]
NONE_WORDS = {"none", "no", "无", "否", "不匹配", "没有"}


def _nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text or "").lower()


def place_prefixes(ds: Dataset) -> list[str]:
    """Place words a name may start with, longest first: the dataset's regions and zones."""
    words = set(PROVINCE_PREFIXES)
    for n in ds.nodes.values():
        if n["label"] in ("Region", "Zone"):
            for name in (n.get("name", ""), *n.get("aliases", [])):
                key = _PUNCT.sub("", _nfkc(name))
                if len(key) >= 2:
                    words.add(key)
                    for tail in ("市", "省", "区", "县"):
                        if key.endswith(tail) and len(key) > 2:
                            words.add(key[: -len(tail)])
    return sorted((_PUNCT.sub("", _nfkc(w)) for w in words), key=len, reverse=True)


def core_name(name: str, prefixes: list[str]) -> str:
    """The comparable core of a name (see the module rules)."""
    key = _PUNCT.sub("", _nfkc(name))
    for form in LEGAL_FORMS:
        if key.endswith(form) and len(key) > len(form) + 1:
            key = key[: -len(form)] + _KEEP_AFTER.get(form, "")
            break
    changed = True
    while changed:
        changed = False
        for p in prefixes:
            if key.startswith(p) and len(key) >= len(p) + 2:
                key = key[len(p):]
                changed = True
                break
    return key


def similarity(a: str, b: str) -> int:
    """0–100: rapidfuzz ratio, or 0.95 × partial ratio when the shorter is a plain abbreviation."""
    from rapidfuzz import fuzz

    if not a or not b:
        return 0
    score = fuzz.ratio(a, b)
    short, long_ = (a, b) if len(a) <= len(b) else (b, a)
    if len(short) >= 2 and _subsequence(short, long_):
        score = max(score, 0.95 * fuzz.partial_ratio(short, long_), 90.0 if short[:2] == long_[:2] else 0.0)
    return int(round(score))


def _subsequence(short: str, long_: str) -> bool:
    it = iter(long_)
    return all(ch in it for ch in short)


@dataclass
class MatchReport:
    counts: dict[str, int] = field(default_factory=dict)
    review: list[dict] = field(default_factory=list)  # one row per entry to review (REVIEW_COLUMNS)


class _Candidates:
    """The graph's enterprises and social organisations, indexed by core name, code and bigram."""

    def __init__(self, ds: Dataset):
        self.prefixes = place_prefixes(ds)
        self.by_code: dict[str, str] = {}
        self.by_core: dict[str, set[str]] = {}
        self.cores: dict[str, list[str]] = {}
        self.kind: dict[str, str] = {}
        self.bigrams: dict[str, list[str]] = {}
        for nid, n in ds.nodes.items():
            if n["label"] != "Organization" or n.get("kind") not in model.REGISTRY_KINDS:
                continue
            self.kind[nid] = n["kind"]
            if n.get("credit_code"):
                self.by_code[n["credit_code"]] = nid
            cores = list(dict.fromkeys(core_name(x, self.prefixes) for x in (n["name"], *n.get("aliases", [])) if x))
            self.cores[nid] = cores
            grams = set()
            for c in cores:
                self.by_core.setdefault(c, set()).add(nid)
                grams |= {c[i:i + 2] for i in range(max(1, len(c) - 1))}
            for g in grams:
                self.bigrams.setdefault(g, []).append(nid)

    def fuzzy(self, core: str, kind: str) -> list[tuple[int, str]]:
        """``(score, id)`` of the best candidates of ``kind``, best first (ties by id).

        Candidates share the query's rarest character pairs (posting lists read
        rarest first, within a budget, so a common pair such as 公司 never makes
        one entry read the whole graph); rapidfuzz's WRatio picks the closest
        few in C++, and :func:`similarity` scores those.
        """
        from collections import Counter

        from rapidfuzz import fuzz, process

        grams = sorted({core[i:i + 2] for i in range(max(1, len(core) - 1))},
                       key=lambda g: len(self.bigrams.get(g, ())))
        votes: Counter = Counter()
        budget = 20_000
        for g in grams:
            post = self.bigrams.get(g)
            if not post:
                continue
            if len(post) > budget:
                break
            budget -= len(post)
            votes.update(post)
        if not votes:
            return []
        top = max(votes.values())
        pool = [nid for nid, v in votes.items() if v >= top - 1 and self.kind[nid] == kind]
        if len(pool) > 5000:
            pool = sorted(nid for nid in pool if votes[nid] == top)[:5000]
        flat = [(nid, c) for nid in pool for c in self.cores[nid]]
        best = process.extract(core, [c for _, c in flat], scorer=fuzz.WRatio, limit=4 * TOP)
        chosen = {flat[i][0] for _, _, i in best}
        scored = [(max(similarity(core, c) for c in self.cores[nid]), nid) for nid in chosen]
        return sorted(scored, key=lambda t: (-t[0], t[1]))


def match_registry(ds: Dataset, entries: list[dict], *, previous: list[dict] | None = None) -> MatchReport:
    """Set ``match``, ``match_method`` and ``match_score`` of each entry; list those to review.

    ``previous`` are the entries of the registry this one replaces: the
    planner's decisions there (by entry id) are kept.
    """
    cand = _Candidates(ds)
    decided = {e["id"]: e for e in previous or () if e.get("match_method") in ("planner", "none")}
    names = {nid: ds.nodes[nid]["name"] for nid in cand.kind}
    report = MatchReport(counts=dict.fromkeys(model.MATCH_METHODS, 0))
    for e in entries:
        given = e.get("match", "")
        if e["id"] in decided and not given:
            old = decided[e["id"]]
            e["match"], e["match_method"], e["match_score"] = old["match"], old["match_method"], old.get("match_score")
        elif given and e.get("match_method") in ("", "planner", None):
            e["match_method"], e["match_score"] = "planner", e.get("match_score")
        elif e.get("match_method") == "none" and not given:
            pass
        else:
            _match_one(e, cand, names, report)
        report.counts[e["match_method"]] += 1
    return report


def _match_one(e: dict, cand: _Candidates, names: dict, report: MatchReport) -> None:
    e["match"], e["match_score"] = "", None
    if e.get("code_ok") and e["credit_code"] in cand.by_code:
        nid = cand.by_code[e["credit_code"]]
        if cand.kind[nid] == e["kind"]:
            e["match"], e["match_method"], e["match_score"] = nid, "code", 100
            return
    core = core_name(e["name"], cand.prefixes)
    exact = sorted(nid for nid in cand.by_core.get(core, ()) if cand.kind[nid] == e["kind"])
    if len(exact) == 1:
        e["match"], e["match_method"], e["match_score"] = exact[0], "name", 100
        return
    scored = [(100, nid) for nid in exact] if exact else [t for t in cand.fuzzy(core, e["kind"]) if t[0] >= REVIEW_MIN]
    if not scored:
        e["match_method"] = "unmatched"
        return
    e["match_method"], e["match_score"] = "review", scored[0][0]
    top = scored[:TOP]
    report.review.append({
        "entry": e["id"], "name": e["name"], "credit_code": e["credit_code"], "kind": e["kind"],
        "place": e["place"], "score": top[0][0], "best": top[0][1], "best_name": names[top[0][1]],
        "candidates": "; ".join(f"{nid} {names[nid]} ({s})" for s, nid in top), "decision": "",
    })


# ---------------------------------------------------------------------------
# The review file


def review_bytes(rows: list[dict], path: Path) -> bytes:
    """The review file: .xlsx (every cell text) or CSV UTF-8 with a BOM (Excel opens it right)."""
    zh = {"entry": "条目编号", "name": "名称", "credit_code": "统一社会信用代码", "kind": "类别", "place": "园区或地区",
          "score": "得分", "best": "最佳候选", "best_name": "最佳候选名称", "candidates": "候选（编号 名称 得分）",
          "decision": "决定（填组织编号，或 none 表示不在图中）"}
    header = [f"{zh[c]} {c}" for c in REVIEW_COLUMNS]
    if path.suffix.lower() == ".xlsx":
        from openpyxl import Workbook

        from alliances.cells import needs_guard

        wb = Workbook()
        ws = wb.active
        ws.title = "待核对 Review"
        ws.append(header)
        for r in rows:
            ws.append([str(r.get(c, "")) for c in REVIEW_COLUMNS])
            for cell in ws[ws.max_row]:
                if isinstance(cell.value, str) and cell.value:
                    cell.data_type = "s"  # text, never a formula
                    cell.quotePrefix = needs_guard(cell.value)
        buf = io.BytesIO()
        wb.save(buf)
        return buf.getvalue()
    from alliances.cells import csv_line

    text = csv_line(header, guarded=False) + "".join(csv_line([r.get(c, "") for c in REVIEW_COLUMNS]) for r in rows)
    return b"\xef\xbb\xbf" + text.encode("utf-8")


def apply_review(ds: Dataset, path: Path, *, encoding: str | None = None) -> dict[str, int]:
    """Apply the planner's decisions in a review file to ``ds.registry``.

    A decision is an Organization id (or its exact name), or ``none`` (无):
    the entry is not in the graph. Rows left empty stay in review.
    Raises :class:`ValidationError` listing every bad row; nothing changes then.
    """
    from alliances.registry.records import _key, _rows_of, RegistryRead

    got = RegistryRead()
    rows = _rows_of(Path(path), None, encoding, got)
    if got.problems:
        raise ValidationError(got.problems, str(path))
    sheet, header, body = rows
    cols = []
    for h in header:
        text = _key(h)
        cols.append(next((c for c in REVIEW_COLUMNS if text.endswith(c.replace("_", ""))), None))
    if "entry" not in cols or "decision" not in cols:
        raise ValidationError([problem("reg_not_review", str(path), 1, None, sheet=sheet)], str(path))
    by_id = {e["id"]: e for e in ds.registry}
    orgs = {nid for nid, n in ds.nodes.items() if n["label"] == "Organization"}
    by_name: dict[str, list[str]] = {}
    for nid in orgs:
        by_name.setdefault(ds.nodes[nid]["name"], []).append(nid)
    problems, changes = [], []
    for r, values in body:
        d = {c: str(v if v is not None else "").strip() for c, v in zip(cols, values) if c}
        entry, decision = d.get("entry", ""), d.get("decision", "")
        if not entry and not decision:
            continue
        if entry not in by_id:
            problems.append(problem("reg_unknown_entry", str(path), r, "entry", sheet=sheet, value=entry))
            continue
        if not decision:
            continue
        if decision.lower() in NONE_WORDS:
            changes.append((by_id[entry], "", "none"))
        elif decision in orgs:
            changes.append((by_id[entry], decision, "planner"))
        elif len(by_name.get(decision, [])) == 1:
            changes.append((by_id[entry], by_name[decision][0], "planner"))
        else:
            problems.append(problem("reg_bad_decision", str(path), r, "decision", sheet=sheet, value=decision))
    if problems:
        raise ValidationError(problems, str(path))
    counts = {"planner": 0, "none": 0}
    for e, nid, method in changes:
        e["match"], e["match_method"] = nid, method
        if method == "planner":
            e["match_score"] = None
        counts[method] += 1
    counts["still_in_review"] = sum(1 for e in ds.registry if e.get("match_method") == "review")
    return counts
