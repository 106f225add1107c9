"""The graph model, defined once.

Validation, loading, the Cypher allowlist, the map legend, the templates and
the tables of docs/model.md all read these definitions. Cypher cannot take labels or
relationship types as parameters, so :func:`cypher_label` and
:func:`cypher_type` are the only way a label or type reaches a query string.
"""

from __future__ import annotations

from dataclasses import dataclass

# ---------------------------------------------------------------------------
# Node labels


@dataclass(frozen=True)
class Label:
    name: str
    zh: str
    en: str
    description: str
    shape: str  # vis-network shape for maps
    geographic: bool = False  # Regions and zones: never a partnership hop


LABELS: dict[str, Label] = {
    label.name: label
    for label in [
        Label("Region", "地区", "Region", "a city, province or district", "square", True),
        Label("Zone", "园区", "Zone", "a development zone or industrial park", "triangle", True),
        Label(
            "Organization",
            "组织",
            "Organisation",
            "a Party body, government body, enterprise or social organisation",
            "dot",
        ),
        Label("BusinessCircle", "商圈", "Business circle", "a commercial district", "hexagon"),
        Label("Alliance", "联盟", "Alliance", "a Party-building alliance", "star"),
        Label("Agreement", "协议", "Agreement", "a signed co-building agreement", "diamond"),
        Label("Activity", "活动", "Activity", "a joint activity, visit or campaign", "triangleDown"),
        Label("Project", "项目", "Project", "an industrial project that followed", "box"),
        Label("Person", "人物", "Person", "a named person", "ellipse"),
        Label("Award", "荣誉", "Award", "an honour or title received", "database"),
        # The work behind coverage (¶7, ¶23): outposts, blocs and the problems enterprises raise.
        Label("Station", "党建指导站", "Guidance station",
              "a Party-building guidance station (e.g. for small and micro firms)", "circle"),
        Label("ContactPoint", "党建联系点", "Contact point", "a Party-building contact point", "square"),
        Label("DemonstrationSite", "党建示范点", "Demonstration site",
              "a Party-building demonstration site, hosted by an organisation", "star"),
        Label("IndustryBloc", "行业联体", "Industry bloc",
              "firms of one industry grouped under a leading enterprise", "hexagon"),
        Label("Problem", "企业诉求", "Problem raised",
              "a problem an enterprise raised (status open or resolved; date = raised)", "triangleDown"),
    ]
}

# Labels of the coverage work (``alliances coverage``); never partnership hubs.
WORK_LABELS = ("Station", "ContactPoint", "DemonstrationSite", "IndustryBloc", "Problem")

# ---------------------------------------------------------------------------
# Organisation kinds


@dataclass(frozen=True)
class Kind:
    name: str
    zh: str
    en: str


KINDS: dict[str, Kind] = {
    kind.name: kind
    for kind in [
        Kind("party_committee", "党委", "Party committee"),
        Kind("comprehensive_committee", "综合党委", "comprehensive Party committee"),
        Kind("working_committee", "党工委", "Party working committee"),
        Kind("two_new_committee", "两新党委", "two-new Party committee"),
        Kind("party_branch", "党支部", "Party branch"),
        Kind("party_team", "党员队伍", "Party-member team"),
        Kind("government_body", "机关", "government body"),
        Kind("enterprise", "企业", "enterprise"),
        Kind("social_organization", "社会组织", "social organisation"),
        Kind("guidance_station", "党建指导站", "guidance station"),
    ]
}

# ---------------------------------------------------------------------------
# Relationship types

GEOGRAPHY = "geography"  # where something is; never partnership by default
PARTNERSHIP = "partnership"  # working together: paths and centrality use these
RECOGNITION = "recognition"  # honours: shown, but receiving the same award is no tie
WORK = "work"  # coverage work (stations, instructors, leaders' contacts): counted by coverage, no hop


@dataclass(frozen=True)
class RelType:
    name: str
    zh: str
    en: str
    category: str
    # allowed (start label, end label) pairs
    endpoints: tuple[tuple[str, str], ...]
    description: str = ""
    dashes: bool = False  # map edge style


_ORGISH = ("Organization", "Alliance")
_OUTPOSTS = ("Station", "ContactPoint", "DemonstrationSite")
_PLACES = ("Region", "Zone")

REL_TYPES: dict[str, RelType] = {
    r.name: r
    for r in [
        RelType(
            "LOCATED_IN",
            "位于",
            "located in",
            GEOGRAPHY,
            tuple(
                (a, b)
                for a in ("Organization", "Zone", "BusinessCircle", "Project", "Person", *_OUTPOSTS)
                for b in _PLACES
            ),
            "where a node is",
            dashes=True,
        ),
        RelType(
            "PART_OF",
            "隶属",
            "part of",
            GEOGRAPHY,
            (("Region", "Region"), ("Zone", "Region"), ("Zone", "Zone")),
            "administrative nesting of places",
            dashes=True,
        ),
        RelType(
            "HELD_IN",
            "举办地",
            "held in",
            GEOGRAPHY,
            (("Activity", "Region"), ("Activity", "Zone"), ("Agreement", "Region")),
            "where an activity took place",
            dashes=True,
        ),
        RelType(
            "GUIDES",
            "指导",
            "guides",
            PARTNERSHIP,
            (("Organization", "Organization"),),
            "guidance by a Party body",
        ),
        RelType(
            "MANAGES",
            "管理",
            "manages",
            PARTNERSHIP,
            (("Organization", "Organization"),),
            "direct management of a Party organisation or team",
        ),
        RelType(
            "BRANCH_OF",
            "所属企业",
            "branch of",
            PARTNERSHIP,
            (("Organization", "Organization"),),
            "a Party branch and the enterprise it sits in",
        ),
        RelType(
            "GOVERNS",
            "统领",
            "governs",
            PARTNERSHIP,
            (("Organization", "BusinessCircle"),),
            "a business-circle Party committee and its circle",
        ),
        RelType(
            "MEMBER_OF",
            "成员",
            "member of",
            PARTNERSHIP,
            (("Organization", "Alliance"), ("BusinessCircle", "Alliance")),
            "membership of an alliance",
        ),
        RelType(
            "FOUNDED",
            "发起",
            "founded",
            PARTNERSHIP,
            (("Organization", "Alliance"), ("Region", "Alliance")),
            "founding or initiating an alliance",
        ),
        RelType(
            "PARTY_TO",
            "签约方",
            "party to",
            PARTNERSHIP,
            (("Organization", "Agreement"), ("Alliance", "Agreement")),
            "a signatory of an agreement",
        ),
        RelType(
            "ORGANIZED",
            "主办",
            "organised",
            PARTNERSHIP,
            tuple((a, "Activity") for a in _ORGISH),
            "organising or initiating an activity",
        ),
        RelType(
            "PARTICIPATED_IN",
            "参与",
            "participated in",
            PARTNERSHIP,
            tuple((a, "Activity") for a in _ORGISH),
            "taking part in an activity",
        ),
        RelType(
            "PRODUCED",
            "促成",
            "produced",
            PARTNERSHIP,
            (("Activity", "Project"), ("Alliance", "Project")),
            "a project that followed from an activity or alliance",
        ),
        RelType(
            "LEADS",
            "负责",
            "leads",
            PARTNERSHIP,
            (("Person", "Organization"),),
            "a person's leading role (secretary, chair)",
        ),
        RelType(
            "RECEIVED",
            "获得",
            "received",
            RECOGNITION,
            (("Organization", "Award"),),
            "an honour received",
        ),
        # -- the work behind coverage (category WORK)
        RelType(
            "SERVES",
            "服务",
            "serves",
            WORK,
            tuple((a, b) for a in ("Station", "ContactPoint") for b in ("Organization", "IndustryBloc")),
            "a guidance station or contact point reaching an organisation or bloc",
        ),
        RelType(
            "HOSTED_BY",
            "设于",
            "hosted by",
            WORK,
            tuple((a, "Organization") for a in _OUTPOSTS),
            "the organisation where a station, contact point or demonstration site is set up",
        ),
        RelType(
            "LEADS_BLOC",
            "牵头",
            "leads bloc",
            WORK,
            (("Organization", "IndustryBloc"),),
            "the enterprise leading an industry bloc",
        ),
        RelType(
            "IN_BLOC",
            "属于联体",
            "in bloc",
            WORK,
            (("Organization", "IndustryBloc"),),
            "an enterprise grouped in an industry bloc",
        ),
        RelType(
            "INSTRUCTS",
            "指导员",
            "instructs",
            WORK,
            (("Person", "IndustryBloc"), ("Person", "Organization")),
            "an instructor assigned to a bloc or enterprise; role 党建指导员 or 行业指导员",
        ),
        RelType(
            "PAIRED_WITH",
            "结对",
            "paired with",
            WORK,
            (("Person", "Person"),),
            "a Party-building instructor and the industry instructor paired with them",
        ),
        RelType(
            "CONTACTS",
            "联系",
            "contacts",
            WORK,
            (("Person", "Organization"),),
            "a leader's (县级领导) standing contact with an enterprise",
        ),
        RelType(
            "RAISED",
            "反映",
            "raised",
            WORK,
            (("Organization", "Problem"),),
            "an enterprise raising a problem (date: when raised)",
        ),
        RelType(
            "RESOLVED",
            "解决",
            "resolved",
            WORK,
            (("Organization", "Problem"), ("Person", "Problem")),
            "who resolved a problem (date: when resolved)",
        ),
    ]
}

# Roles on INSTRUCTS and CONTACTS (Chinese as planners write them; English accepted).
WORK_ROLES: dict[str, dict[str, str]] = {
    "party_instructor": {"zh": "党建指导员", "en": "Party-building instructor"},
    "industry_instructor": {"zh": "行业指导员", "en": "industry instructor"},
    "county_leader": {"zh": "县级领导", "en": "county-level leader"},
}
PROBLEM_STATUSES = ("open", "resolved")

PARTNERSHIP_TYPES: tuple[str, ...] = tuple(
    name for name, r in REL_TYPES.items() if r.category == PARTNERSHIP
)
GEOGRAPHIC_LABELS: tuple[str, ...] = tuple(n for n, lab in LABELS.items() if lab.geographic)

# ---------------------------------------------------------------------------
# Region levels (the kind of a Region)

# Region groups come from the data (alliances/regions.py); a Region's kind says
# its administrative level, coarsest first.
REGION_KINDS: dict[str, Kind] = {
    kind.name: kind
    for kind in [
        Kind("province", "省", "province"),
        Kind("city", "市", "city"),
        Kind("district", "区县", "district or county"),
    ]
}


def kinds_for(label: str) -> dict[str, Kind]:
    """The kinds a node of ``label`` may have: organisation kinds, region levels, or none."""
    return KINDS if label == "Organization" else REGION_KINDS if label == "Region" else {}


# ---------------------------------------------------------------------------
# Properties


@dataclass(frozen=True)
class Prop:
    name: str
    zh: str
    description: str
    required: bool = False
    kind: str = "text"  # text | date | int | list


NODE_PROPS: tuple[Prop, ...] = (
    Prop("id", "编号", "stable unique id (letters, digits, - _ . :)", True),
    Prop("label", "类型", "one of the node labels", True),
    Prop("name", "名称", "Chinese name as the source gives it", True),
    Prop("name_en", "英文名", "English name"),
    Prop("kind", "组织类别", "organisation kind (Organization); level of a Region: province, city or district"),
    Prop("credit_code", "统一社会信用代码", "unified social credit code (Organization only; optional column)"),
    Prop("region", "地区", "id of the Region node it belongs to, where known"),
    Prop("date", "日期", "YYYY, YYYY-MM or YYYY-MM-DD", kind="date"),
    Prop("date_note", "日期说明", "the date as the source words it"),
    Prop("status", "状态", "e.g. planned"),
    Prop("aliases", "别名", "other names, separated by ;", kind="list"),
    Prop("description", "说明", "a short description in our words"),
    Prop("synthetic", "合成", "true for generated data"),
    Prop("source", "来源", "id of the source document", True),
    Prop("paragraphs", "段落", "paragraph numbers in the source, separated by ;", True, "list"),
)

REL_PROPS: tuple[Prop, ...] = (
    Prop("start", "起点", "id of the start node", True),
    Prop("type", "关系", "one of the relationship types", True),
    Prop("end", "终点", "id of the end node", True),
    Prop("role", "角色", "role in the relationship (e.g. secretary)"),
    Prop("date", "日期", "YYYY, YYYY-MM or YYYY-MM-DD", kind="date"),
    Prop("date_note", "日期说明", "the date as the source words it"),
    Prop("status", "状态", "e.g. planned"),
    Prop("source", "来源", "id of the source document", True),
    Prop("paragraphs", "段落", "paragraph numbers in the source, separated by ;", True, "list"),
)

FIGURE_PROPS: tuple[Prop, ...] = (
    Prop("node", "节点", "id of the node the figure describes", True),
    Prop("key", "指标", "property name (snake_case)", True),
    Prop("value", "数值", "the number", True),
    Prop("qualifier", "限定", "exact | more_than | about | nearly"),
    Prop("unit", "单位", "e.g. organisations, members, percent, yuan"),
    Prop("label_zh", "中文说明", "what the figure counts, in Chinese"),
    Prop("label_en", "英文说明", "what the figure counts, in English"),
    Prop("source", "来源", "id of the source document", True),
    Prop("paragraphs", "段落", "paragraph numbers in the source", True, "list"),
)

SOURCE_PROPS: tuple[Prop, ...] = (
    Prop("id", "编号", "source id", True),
    Prop("title", "标题", "title", True),
    Prop("publisher", "发布", "publisher or outlet"),
    Prop("published", "发布日期", "publication date", kind="date"),
    Prop("file", "文件", "file name of the source text"),
    Prop("paragraphs", "段落规则", "how paragraphs are numbered"),
    Prop("imported", "导入日期", "for a file brought in by 'alliances import': the day it was imported", kind="date"),
)

# Where in an imported file a fact was stated, for rows that named no source
# document: the fact's ``source`` is then the file (a source made by the
# import, with its ``file`` and ``imported`` date), and these say where in it.
PROVENANCE_PROPS: tuple[Prop, ...] = (
    Prop("source_sheet", "来源工作表", "sheet of the imported file the fact was read from"),
    Prop("source_row", "来源行", "row of the imported file (or sheet) the fact was read from", kind="int"),
)

# How strong a tie is, for rows that say so (optional; default 1 each): the tie's value in the
# projections is weight x count (:func:`alliances.order.tie_value`).
# When a fact stopped holding (optional on nodes and relationships; empty: it still holds): an
# agreement whose term ran out, an alliance dissolved, an organisation that left. Every --as-of
# leaves out what had ended by then, as it leaves out what is dated later.
END_PROPS: tuple[Prop, ...] = (
    Prop("ended", "结束日期", "YYYY, YYYY-MM or YYYY-MM-DD: when it stopped holding (a term ran out, an alliance "
                           "dissolved, a member left); empty: it still holds", kind="date"),
)

TIE_PROPS: tuple[Prop, ...] = (
    Prop("weight", "权重", "how strong the tie is: a positive number (default 1)", kind="number"),
    Prop("count", "次数", "how many times the tie happened: a positive whole number (default 1)", kind="int"),
)

QUALIFIERS = ("exact", "more_than", "about", "nearly")

# ---------------------------------------------------------------------------
# The registry (registry.csv in a dataset folder; ``alliances registry import``)

REGISTRY_PROPS: tuple[Prop, ...] = (
    Prop("id", "编号", "the credit code when valid, else reg- and a hash of name and place"),
    Prop("name", "名称", "registered name", True),
    Prop("credit_code", "统一社会信用代码", "18 characters, check character per GB 32100-2015"),
    Prop("kind", "类别", "enterprise or social_organization (企业 / 社会组织)", True),
    Prop("place", "园区或地区", "id of the Zone or Region (park or district) of the dataset", True),
    Prop("industry", "行业", "industry as the registry words it"),
    Prop("size", "规模", "above or below (规上 / 规下)"),
    Prop("registered", "登记日期", "YYYY, YYYY-MM or YYYY-MM-DD", kind="date"),
    Prop("match", "匹配组织", "id of the Organization in the graph, or empty"),
    Prop("match_method", "匹配方式", "code | name | planner | none (checked, not in the graph) | review | unmatched"),
    Prop("match_score", "匹配得分", "name similarity 0–100 of the match or best candidate", kind="int"),
    Prop("source_file", "来源文件", "the file the row was imported from"),
    Prop("source_sheet", "来源工作表", "its sheet (workbooks)"),
    Prop("source_row", "来源行", "its row", kind="int"),
    Prop("imported", "导入日期", "date of the import", kind="date"),
)
REGISTRY_KINDS = ("enterprise", "social_organization")  # Kind names an entry may have
REGISTRY_SIZES: dict[str, dict[str, str]] = {
    "above": {"zh": "规上", "en": "above scale"},
    "below": {"zh": "规下", "en": "below scale"},
}
MATCH_METHODS = ("code", "name", "planner", "none", "review", "unmatched")
# Figures (figures.csv keys) that report coverage and its work, shown beside computed values.
COVERAGE_FIGURE_KEYS = (
    "two_new_orgs_on_provincial_platform", "coverage_nonpublic_enterprises_pct",
    "coverage_social_organizations_pct", "enterprise_party_orgs_under_comprehensive_committees",
    "party_members_under_comprehensive_committees", "small_micro_guidance_stations",
    "party_building_contact_points", "party_building_demonstration_sites", "county_level_leaders_linked",
    "key_enterprises_linked", "industry_blocs", "party_building_instructors", "problems_resolved",
)

# Property keys a figure may not overwrite.
RESERVED_KEYS = frozenset(p.name for p in NODE_PROPS) | {"figures"}


# ---------------------------------------------------------------------------
# Codes by their names: what the tool prints is accepted back

# Qualifiers and common statuses, with the words the tool and planners use for them.
QUALIFIER_NAMES: dict[str, tuple[str, str, tuple[str, ...]]] = {
    # code: (中文, English, other words)
    "exact": ("确数", "exact", ("精确",)),
    "more_than": ("多于", "more than", ("余", "以上", "超过")),
    "about": ("约", "about", ("左右", "大约")),
    "nearly": ("将近", "nearly", ("近", "接近")),
}
STATUS_NAMES: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "planned": ("计划", "planned", ("计划中", "拟")),
    "ongoing": ("进行中", "ongoing", ("在建", "推进中")),
    "completed": ("已完成", "completed", ("完成", "已建成")),
    "cancelled": ("已取消", "cancelled", ("取消",)),
}
CODED_FIELDS = ("label", "kind", "type", "qualifier", "status")

# A relationship's role is free text; these are the roles the bundled data (in the article's own
# words, paragraph beside each), the generator and the coverage data write, in both languages.
# Output prints the form of its language; a role not listed is printed as written.
ROLE_NAMES: dict[str, tuple[str, str, tuple[str, ...]]] = {
    # role as the data write it: (中文, English, other words)
    "formed the team": ("组建", "formed the team", ()),  # ¶8 组建…党员先锋突击队
    "built the alliance": ("构建联盟", "built the alliance", ()),  # ¶7 构建…党建联盟
    "signatory": ("签约方", "signatory", ("签署方",)),  # ¶14 签署
    "initiated the alliance": ("发起", "initiated the alliance", ()),  # ¶15 由…党工委发起
    "one of the three founding places": ("三地联合发起之一", "one of the three founding places", ()),  # ¶16
    "brokered the visits": ("牵线搭桥", "brokered the visits", ()),  # ¶16
    "project signed": ("签约项目", "project signed", ()),  # ¶16 成功签约…产业项目
    "co-host and inviter": ("共同邀请、联合开展", "co-host and inviter", ()),  # ¶17
    "invited partner": ("受邀联合开展", "invited partner", ("受邀方",)),  # ¶17
    "co-planner": ("共同谋划", "co-planner", ()),  # ¶17 谋划开展
    "partner": ("合作方", "partner", ()),  # ¶17
    "guided the founding of its Party branch": ("指导成立党支部", "guided the founding of its Party branch",
                                                ()),  # ¶21 在…党工委的指导下，公司成立党支部
    "branch secretary": ("党支部书记", "branch secretary", ("书记",)),  # ¶20
    "chair of the board": ("董事长", "chair of the board", ()),  # ¶20
    "founder": ("发起方", "founder", ()),  # the generator's
    "founding place": ("发起地", "founding place", ()),
    **{k: (w["zh"], w["en"], (k,)) for k, w in WORK_ROLES.items()},
}


def code_names(field: str) -> dict[str, tuple[str, str, tuple[str, ...]]]:
    """``{code: (中文 name, English name, other words)}`` for a coded field.

    ``field`` is one of :data:`CODED_FIELDS`: ``label``, ``kind``, ``type``
    (relationship type), ``qualifier`` or ``status``.
    """
    if field == "label":
        return {c: (lab.zh, lab.en, ()) for c, lab in LABELS.items()}
    if field == "kind":
        return {c: (k.zh, k.en, ()) for c, k in {**KINDS, **REGION_KINDS}.items()}
    if field == "type":
        return {c: (r.zh, r.en, ()) for c, r in REL_TYPES.items()}
    if field == "qualifier":
        return dict(QUALIFIER_NAMES)
    if field == "status":
        return dict(STATUS_NAMES)
    raise ValueError(f"not a coded field: {field!r}")


def role_text(role: str, lang: str) -> str:
    """A relationship's role as ``lang`` (``zh`` or ``en``) prints it.

    A role of :data:`ROLE_NAMES`, written in either language (case, width and
    separators do not matter), comes out in ``lang``; any other role as written.

    >>> role_text("co-host and inviter", "zh"), role_text("董事长", "en"), role_text("主持人", "en")
    ('共同邀请、联合开展', 'chair of the board', '主持人')
    """
    text = (role or "").strip()
    return _in_language(ROLE_NAMES, _names_index("role", ROLE_NAMES).get(fold(text)) if text else None, text, lang)


def status_text(status: str, lang: str) -> str:
    """A status (``planned``, ``计划`` …) as ``lang`` prints it; one not in :data:`STATUS_NAMES` as written.

    >>> status_text("planned", "zh"), status_text("已完成", "en")
    ('计划', 'completed')
    """
    text = (status or "").strip()
    return _in_language(STATUS_NAMES, find_code("status", text) if text else None, text, lang)


def _in_language(names: dict, code: str | None, text: str, lang: str) -> str:
    """``names[code]`` in ``lang``, or ``text`` as written when no code was found."""
    if code is None:
        return text
    zh, en, _ = names[code]
    return zh if lang == "zh" else en


def fold(text: str) -> str:
    """Case-, width- and separator-insensitive form: ``ＰＡＲＴＹ－Committee`` → ``partycommittee``."""
    import unicodedata

    text = unicodedata.normalize("NFKC", text or "").casefold()
    return "".join(ch for ch in text if not (ch.isspace() or ch in "_-"))


_CODE_INDEX: dict[str, dict[str, str]] = {}


def _code_index(field: str) -> dict[str, str]:
    return _names_index(field, code_names(field))


def _names_index(key: str, names: dict) -> dict[str, str]:
    """``{folded name: code}`` over each code's own form, Chinese, English and other words (cached by ``key``)."""
    index = _CODE_INDEX.get(key)
    if index is None:
        index = {}
        for code, (zh, en, others) in names.items():
            for name in (code, zh, en, *others):
                index.setdefault(fold(name), code)
        _CODE_INDEX[key] = index
    return index


def find_code(field: str, text: str) -> str | None:
    """The code that ``text`` names for ``field``, or None.

    Accepted: the code, its Chinese or English name as the tool prints them,
    and the template's drop-down form ``中文 (code)``; case, full-width forms,
    spaces, ``_`` and ``-`` do not matter.

    >>> find_code("kind", "党支部"), find_code("type", "Member of"), find_code("label", "地区 (Region)")
    ('party_branch', 'MEMBER_OF', 'Region')
    """
    import re

    text = (text or "").strip()
    if not text:
        return None
    index = _code_index(field)
    found = index.get(fold(text))
    if found:
        return found
    m = re.fullmatch(r"(.*?)\s*[（(]\s*([^()（）]*?)\s*[)）]", text)
    if m:
        inner, outer = index.get(fold(m.group(2))), index.get(fold(m.group(1)))
        if inner and (outer is None or outer == inner):
            return inner
        if outer and not m.group(2).strip():
            return outer
    return None


def choice_text(field: str, code: str) -> str:
    """How a drop-down shows a code: ``中文 (code)``, e.g. ``党支部 (party_branch)``."""
    return f"{code_names(field)[code][0]} ({code})"


def name_choices(field: str) -> list[str]:
    """Every name a code of ``field`` may be written as (for did-you-mean)."""
    out = []
    for code, (zh, en, others) in code_names(field).items():
        out += [code, zh, en, *others]
    return out


# ---------------------------------------------------------------------------
# Allowlist for Cypher


# Labels the store adds. Every project node is also ``AlliancesData`` (so the
# project's own data can be found, merged on ``id`` and replaced, and is never
# mistaken for the model label ``Alliance``); sources of provenance are
# ``AlliancesSource``; each loaded dataset has one ``AlliancesDataset`` record.
# Stores written before 0.x used ``Alliances``: ``LEGACY_PROJECT_LABEL`` is
# only ever named by the migration.
PROJECT_LABEL = "AlliancesData"
SOURCE_LABEL = "AlliancesSource"
DATASET_LABEL = "AlliancesDataset"
META_LABELS = (PROJECT_LABEL, SOURCE_LABEL, DATASET_LABEL)
LEGACY_PROJECT_LABEL = "Alliances"
# Relationship types the store adds: a node's link to the document it comes from.
SOURCED_FROM = "SOURCED_FROM"
META_TYPES = (SOURCED_FROM,)
# Registry entries are their own records in Neo4j (never read as graph nodes), each
# REGISTERED_AS the Organization it was matched to.
REGISTRY_LABEL = "RegistryEntry"
REGISTRY_MATCH_TYPE = "REGISTERED_AS"


def cypher_label(name: str) -> str:
    """Return ``name`` for use as a Cypher label, only if the model defines it."""
    if name not in LABELS and name not in META_LABELS and name not in (LEGACY_PROJECT_LABEL, REGISTRY_LABEL):
        raise ValueError(f"not a model label: {name!r}")
    return name


def cypher_type(name: str) -> str:
    """Return ``name`` for use as a relationship type, only if the model defines it."""
    if name not in REL_TYPES and name not in META_TYPES and name != REGISTRY_MATCH_TYPE:
        raise ValueError(f"not a model relationship type: {name!r}")
    return name


def is_partnership(rel_type: str) -> bool:
    return REL_TYPES[rel_type].category == PARTNERSHIP
