"""A checked dataset kept as a binary snapshot, so later commands skip reading and checking.

Reading a dataset folder checks every CSV row (:func:`alliances.dataset.read_dataset`);
on a province-sized network that is most of a command's time. The first
command on a folder therefore writes what it checked into a cache folder, and
later commands load it instead, in a fraction of the time.

The snapshot is trusted only when everything it was made from is the same:

- the folder's files, by name, size, modification time and BLAKE2b hash of
  their bytes (a change to any CSV, a touch, a truncation, a new or removed
  ``figures.csv`` all invalidate it);
- the code that checks (the package version and the bytes of its modules)
  and the snapshot format;
- the forced ``--encoding``, if any.

A snapshot that is missing, unreadable, truncated, altered (each array's
CRC-32 in the zip), foreign (another folder, dataset or version) or in any way
inconsistent is ignored and rebuilt from the CSVs: it is never trusted.

Format: one uncompressed NumPy ``.npz`` (a zip of ``.npy`` arrays, read with
``allow_pickle=False``) per folder. Each table (sources, nodes,
relationships, figures, registry) is stored column by column: strings as one UTF-8
string table (NUL-separated; columns with few distinct values dictionary-
encoded), integers and floats as ``int64``/``float64`` arrays, lists as
counts plus a flat column, and a type tag per row only when a column mixes
types. Dict key order is kept, so a loaded dataset equals the one read.

A loaded snapshot stays columns (:class:`SnapshotDataset`): a table becomes
Python dicts only when a command reads it whole, and single rows are decoded
on demand. Beside the tables the snapshot keeps what the questions a planner
asks most need, computed at write time by the same functions the cold path
runs: the graph as int arrays (node labels, relationship ends and types,
:func:`alliances.order.tie_value`), each node's region group at every level
with the region tables, and the folded names, ids, descriptions and
look-alike skeletons (:mod:`alliances.resolve`, :mod:`alliances.chars`) as
one string each. A warm ``path``, ``show`` or ``search`` reads those and the
few rows it prints, never every row.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Mapping
from itertools import compress, islice, repeat
from operator import itemgetter
from pathlib import Path

from alliances.dataset import FILES, REGISTRY_FILE, Dataset, bundled_path, paused_gc, read_dataset

FORMAT = 3
_MAGIC = "alliances-snapshot"
# Checks live in several modules (fields other modules add, look-alike rules, ...): a change
# to any module of the package makes older snapshots foreign.
_CODE_GLOB = "**/*.py"
_TABLES = ("sources", "nodes", "relationships", "figures", "registry")

# Type tags of a column's values.
T_STR, T_INT, T_FLOAT, T_TRUE, T_FALSE, T_NONE, T_LSTR, T_LINT, T_LEMPTY = range(9)


class _Unencodable(Exception):
    """A value the format does not hold: the dataset is then simply not snapshotted."""


class _Corrupt(Exception):
    """A snapshot that does not decode to what its header promises."""


# ---------------------------------------------------------------------------
# Keys


def _blake(data: bytes = b"") -> "hashlib.blake2b":
    return hashlib.blake2b(data, digest_size=20)


def code_fingerprint() -> str:
    """The package version, the snapshot format and the bytes of every module of the package."""
    import alliances

    h = _blake(f"{_MAGIC}:{FORMAT}:{alliances.__version__}".encode())
    here = Path(__file__).resolve().parent
    for f in sorted(here.glob(_CODE_GLOB)):
        try:
            h.update(f.relative_to(here).as_posix().encode() + b"\0" + f.read_bytes())
        except OSError:
            h.update(f.name.encode() + b"\0missing")
    return h.hexdigest()


def files_fingerprint(folder: Path, encoding: str | None = None) -> dict:
    """Name → ``[size, mtime_ns, blake2b]`` of each dataset file present in ``folder``."""
    out: dict = {"encoding": encoding or ""}
    for name in (*FILES.values(), REGISTRY_FILE):
        f = folder / name
        try:
            st = f.stat()
        except FileNotFoundError:
            continue
        h = _blake()
        with open(f, "rb") as fh:
            while chunk := fh.read(1 << 20):
                h.update(chunk)
        out[name] = [st.st_size, st.st_mtime_ns, h.hexdigest()]
    return out


def snapshot_path(cache_dir: str | os.PathLike, folder: str | os.PathLike) -> Path:
    """Where the snapshot of ``folder`` lives in ``cache_dir`` (one file per folder)."""
    name = _blake(str(Path(folder).resolve()).encode()).hexdigest()
    return Path(cache_dir) / "snapshots" / f"{name}.npz"


# ---------------------------------------------------------------------------
# The entry point


def read_checked(path: str | os.PathLike | None = None, *, cache_dir: str | os.PathLike | None = None,
                 encoding: str | None = None, refresh: bool = False, status: dict | None = None,
                 save: bool = True) -> Dataset:
    """The checked dataset of ``path`` (the bundled one when ``None``), from its snapshot when valid.

    With ``cache_dir=None`` this is :func:`alliances.dataset.read_dataset`.
    Otherwise a valid snapshot in ``cache_dir`` is loaded; when there is none
    (or it is stale, corrupt or foreign) the folder is read and checked and a
    new snapshot written, unless the files changed while they were read. A
    dataset with problems raises as ``read_dataset`` does and writes nothing.
    ``refresh=True`` always reads and checks (``validate``) and writes the snapshot
    (unless ``save=False``). ``save=False`` loads a valid snapshot but writes none after a check (a
    one-off reader such as a bulk first load into Neo4j: writing the snapshot
    costs about as much as the check at 100k organisations).

    ``status``, when given, receives ``{"snapshot": "loaded" | "written" |
    "not written" | "off", "path": ...}`` (for tests and benchmarks).

    Examples
    --------
    >>> import tempfile
    >>> cache = tempfile.mkdtemp()
    >>> first, st1, st2 = read_checked(cache_dir=cache, status=(s1 := {})), s1, {}
    >>> again = read_checked(cache_dir=cache, status=st2)
    >>> st1["snapshot"], st2["snapshot"], again.nodes == first.nodes
    ('written', 'loaded', True)
    """
    status = {} if status is None else status
    if cache_dir is None:
        status["snapshot"] = "off"
        return read_dataset(path, encoding)
    folder = Path(path) if path is not None else bundled_path()
    if not folder.is_dir():
        status["snapshot"] = "off"
        return read_dataset(path, encoding)  # its own clear error
    target = snapshot_path(cache_dir, folder)
    status["path"] = str(target)
    try:
        key = files_fingerprint(folder, encoding)
    except OSError:
        status["snapshot"] = "off"
        return read_dataset(path, encoding)
    code = code_fingerprint()
    ds = None if refresh else load_snapshot(target, key=key, code=code)
    if ds is not None:
        ds.path = str(folder)  # as read_dataset names it, however the folder was spelt before
        status["snapshot"] = "loaded"
        return ds
    ds = read_dataset(path, encoding)
    if not save:
        status["snapshot"] = "not written"
        return ds
    try:
        unchanged = files_fingerprint(folder, encoding) == key
    except OSError:
        unchanged = False
    status["snapshot"] = "written" if unchanged and save_snapshot(ds, target, key=key, code=code) else "not written"
    return ds


# ---------------------------------------------------------------------------
# Writing


def _strings(values: list[str], prefix: str, arrays: dict, spec: dict) -> None:
    """A string column: NUL-separated UTF-8, dictionary-encoded when values repeat."""
    import numpy as np

    uniq = dict.fromkeys(values)
    if len(values) > 16 and len(uniq) * 2 <= len(values):
        table = list(uniq)
        index = {s: i for i, s in enumerate(table)}
        arrays[prefix + "codes"] = _compact(np.fromiter(map(index.__getitem__, values), dtype=np.int64, count=len(values)))
        values = table
        spec["dict"] = len(table)
    joined = "\0".join(values)
    if joined.count("\0") != max(len(values) - 1, 0):
        raise _Unencodable("a string holds NUL")
    arrays[prefix + "utf8"] = np.frombuffer(joined.encode("utf-8"), dtype=np.uint8)
    spec["n"] = len(values)


def _compact(a):
    """An integer array in the smallest type that holds its values (the file is read whole at every load)."""
    import numpy as np

    if not len(a):
        return a.astype(np.int32)
    lo, hi = int(a.min()), int(a.max())
    for t in (np.uint8, np.int8, np.uint16, np.int16, np.uint32, np.int32):
        info = np.iinfo(t)
        if info.min <= lo and hi <= info.max:
            return a.astype(t)
    return a


def _tag(v) -> int:
    t = type(v)
    if t is str:
        return T_STR
    if t is int:
        return T_INT
    if t is float:
        return T_FLOAT
    if v is True:
        return T_TRUE
    if v is False:
        return T_FALSE
    if v is None:
        return T_NONE
    if t is list:
        if not v:
            return T_LEMPTY
        if all(type(x) is str for x in v):
            return T_LSTR
        if all(type(x) is int for x in v):
            return T_LINT
    raise _Unencodable(f"a {t.__name__} value")


_PLAIN = {str: T_STR, int: T_INT, float: T_FLOAT, type(None): T_NONE}


def _encode_column(values: list, prefix: str, arrays: dict) -> dict:
    import numpy as np

    types = set(map(type, values))
    if types <= _PLAIN.keys():  # no bool or list: a value's type is its tag (mapped in C, not per call)
        kinds = {_PLAIN[t] for t in types}
        tags = list(map(_PLAIN.__getitem__, map(type, values))) if len(kinds) > 1 else None
    else:
        tags = [_tag(v) for v in values]
        kinds = set(tags)
    spec: dict = {}
    if len(kinds) == 1:
        spec["tag"] = next(iter(kinds))
        by = {spec["tag"]: values}
    elif kinds:
        spec["tag"] = None
        tags = np.array(tags, dtype=np.uint8)
        arrays[prefix + "tags"] = tags
        by = {k: list(compress(values, (tags == k).tolist())) for k in sorted(kinds)}
    else:
        spec["tag"] = T_NONE
        by = {}
    if T_STR in by:
        spec["str"] = {}
        _strings(by[T_STR], prefix + "s.", arrays, spec["str"])
    try:
        if T_INT in by:
            arrays[prefix + "int"] = _compact(np.array(by[T_INT], dtype=np.int64))
        if T_LINT in by:
            arrays[prefix + "lint.count"] = _compact(np.array([len(v) for v in by[T_LINT]], dtype=np.int64))
            arrays[prefix + "lint.flat"] = _compact(np.array([x for v in by[T_LINT] for x in v], dtype=np.int64))
    except OverflowError as err:
        raise _Unencodable("an integer beyond 64 bits") from err
    if T_FLOAT in by:
        arrays[prefix + "float"] = np.array(by[T_FLOAT], dtype=np.float64)
    if T_LSTR in by:
        arrays[prefix + "lstr.count"] = _compact(np.array([len(v) for v in by[T_LSTR]], dtype=np.int64))
        spec["lstr"] = {}
        _strings([x for v in by[T_LSTR] for x in v], prefix + "lstr.", arrays, spec["lstr"])
    return spec


def _encode_table(rows: list[dict], name: str, arrays: dict) -> dict:
    import numpy as np

    layouts: dict[tuple, int] = {}
    which = [layouts.setdefault(tuple(r), len(layouts)) for r in rows]
    columns = list(dict.fromkeys(k for lay in layouts for k in lay))
    spec = {"rows": len(rows), "layouts": [list(lay) for lay in layouts], "columns": {}}
    if len(layouts) > 1:
        arrays[f"{name}/layout"] = np.array(which, dtype=np.int32)
    for i, col in enumerate(columns):
        values = list(map(dict.get, rows, repeat(col)))
        spec["columns"][col] = _encode_column(values, f"{name}/{i}/", arrays)
    spec["order"] = columns
    return spec


# What warm questions read instead of rows. Separators of the folded-text strings: a node's
# part starts with _NODE, each of its texts with _TEXT (texts holding either are not indexed).
_NODE, _TEXT = "\x1e", "\x1f"


def _text_index(per_node: list[list[str]], prefix: str, arrays: dict) -> None:
    """One string of every node's texts (``_NODE`` text ``_TEXT`` text ...), with each node's start."""
    import numpy as np

    parts, starts, at = [], np.empty(len(per_node) + 1, dtype=np.int64), 0
    for i, texts in enumerate(per_node):
        starts[i] = at
        part = _NODE + "".join(_TEXT + t for t in texts)
        parts.append(part)
        at += len(part)
    starts[len(per_node)] = at
    blob = "".join(parts)
    if blob.count(_NODE) != len(per_node) or blob.count(_TEXT) != sum(len(t) for t in per_node):
        raise _NoIndex
    arrays[prefix + "utf8"] = np.frombuffer(blob.encode("utf-8"), dtype=np.uint8)
    arrays[prefix + "starts"] = _compact(starts)


class _NoIndex(Exception):
    """Folded texts that hold a separator: the snapshot keeps no text index (questions scan rows)."""


def _derived(ds: Dataset, arrays: dict) -> dict:
    """Write the graph arrays, region groups and text indexes of ``ds``; their description for the header."""
    import numpy as np

    from alliances import model, regions
    from alliances.adjacency import partnership_csr
    from alliances.chars import skeleton
    from alliances.order import tie_value
    from alliances.resolve import _names, normalize

    ids = list(ds.nodes)
    index = {n: i for i, n in enumerate(ids)}
    label_codes = {name: i for i, name in enumerate(model.LABELS)}
    type_codes = {name: i for i, name in enumerate(model.REL_TYPES)}
    rels, m = ds.relationships, len(ds.relationships)
    arrays["graph/labels"] = np.fromiter((label_codes[d["label"]] for d in ds.nodes.values()), dtype=np.int8,
                                         count=len(ids))
    arrays["graph/src"] = np.fromiter(map(index.__getitem__, map(itemgetter("start"), rels)), dtype=np.int32, count=m)
    arrays["graph/dst"] = np.fromiter(map(index.__getitem__, map(itemgetter("end"), rels)), dtype=np.int32, count=m)
    arrays["graph/types"] = np.fromiter(map(type_codes.__getitem__, map(itemgetter("type"), rels)), dtype=np.int8,
                                        count=m)
    out: dict = {"weight": any("weight" in r or "count" in r for r in rels)}
    if out["weight"]:
        arrays["graph/weight"] = np.fromiter((tie_value(r) for r in rels), dtype=np.float64, count=m)
    # the partnership graph as a CSR, so a warm path maps it (alliances.adjacency)
    csr = partnership_csr(ids, arrays["graph/labels"], arrays["graph/src"], arrays["graph/dst"], arrays["graph/types"])
    arrays["adj/indptr"], arrays["adj/indices"] = csr.indptr, csr.indices
    arrays["adj/rank"], arrays["adj/member"] = csr.rank, csr.member
    # region groups at every level, as graph.dataset_region_groups computes them
    part_of: dict[str, list[str]] = {}
    for rel in rels:
        if rel["type"] == "PART_OF":
            part_of.setdefault(rel["start"], []).append(rel["end"])
    out["groups"] = {}
    for level in regions.LEVELS:
        groups = regions.group_nodes(ds.nodes, lambda rid: part_of.get(rid, ()), level)
        table = list(dict.fromkeys(groups.values()))
        code = {g: i for i, g in enumerate(table)}
        arrays[f"groups/{level}"] = np.fromiter((code[groups[n]] for n in ids), dtype=np.int32, count=len(ids))
        out["groups"][level] = {"table": table, "regions": regions.region_table(ds.nodes, groups)}
    try:
        norm_names = [[normalize(t) for t in _names(d) if t] for d in ds.nodes.values()]
        _text_index([[normalize(n)] for n in ids], "text/ids/", arrays)
        _text_index(norm_names, "text/names/", arrays)
        _text_index([[normalize(d["description"])] if d.get("description") else [] for d in ds.nodes.values()],
                    "text/descriptions/", arrays)
        _text_index([[skeleton(t) for t in _names(d) if t] for d in ds.nodes.values()], "text/skeletons/", arrays)
        out["text"] = True
    except _NoIndex:
        for k in [k for k in arrays if k.startswith("text/")]:
            del arrays[k]
        out["text"] = False
    return out


def save_snapshot(ds: Dataset, target: str | os.PathLike, *, key: dict, code: str) -> bool:
    """Write ``ds``'s snapshot to ``target`` atomically; ``False`` when it cannot be (nothing written)."""
    import numpy as np

    target = Path(target)
    arrays: dict = {}
    try:
        tables = {
            "sources": _encode_table(list(ds.sources.values()), "sources", arrays),
            "nodes": _encode_table(list(ds.nodes.values()), "nodes", arrays),
            "relationships": _encode_table(ds.relationships, "relationships", arrays),
            "figures": _encode_table(ds.figures, "figures", arrays),
            "registry": _encode_table(ds.registry, "registry", arrays),
        }
        keys = {}
        for name, mapping in (("sources", ds.sources), ("nodes", ds.nodes)):
            keys[name] = {}
            _strings(list(mapping), f"{name}/key/", arrays, keys[name])
        derived = _derived(ds, arrays)
    except _Unencodable:
        return False
    meta = {"magic": _MAGIC, "format": FORMAT, "code": code, "key": key, "path": ds.path,
            "tables": tables, "keys": keys, "derived": derived}
    arrays["meta"] = np.frombuffer(json.dumps(meta, ensure_ascii=False).encode("utf-8"), dtype=np.uint8)
    try:
        target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd, tmp = tempfile.mkstemp(prefix=f".{target.stem}.", suffix=".tmp", dir=target.parent)
        try:
            with os.fdopen(fd, "wb") as fh:
                np.savez(fh, **arrays)
            os.replace(tmp, target)
        except BaseException:
            with _quiet():
                os.unlink(tmp)
            raise
    except OSError:
        return False  # a read-only or full cache folder: the command still answers
    return True


class _quiet:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return exc[0] is not None and issubclass(exc[0], OSError)


# ---------------------------------------------------------------------------
# Loading


def _read_strings(arrays, prefix: str, spec: dict, count: int) -> list[str]:
    n = spec["n"]
    table = arrays[prefix + "utf8"].tobytes().decode("utf-8").split("\0") if n else []
    if len(table) != n:
        raise _Corrupt(prefix)
    if "dict" in spec:
        codes = arrays[prefix + "codes"]
        if len(codes) != count or (count and (codes.min() < 0 or codes.max() >= n)):
            raise _Corrupt(prefix)
        return [table[c] for c in codes.tolist()]
    if n != count:
        raise _Corrupt(prefix)
    return table


def _split(flat: list, counts) -> list[list]:
    it = iter(flat)
    out = [list(islice(it, c)) for c in counts.tolist()]
    if next(it, _END) is not _END:
        raise _Corrupt("list lengths")
    return out


_END = object()


def _decode_column(arrays, prefix: str, spec: dict, rows: int) -> list:
    tag = spec["tag"]
    if tag is None:
        tags = arrays[prefix + "tags"]
        if len(tags) != rows:
            raise _Corrupt(prefix)
        tags = tags.tolist()
        counts = {t: tags.count(t) for t in set(tags)}
    else:
        tags = None
        counts = {tag: rows}
    parts: dict = {}
    for t, c in counts.items():
        if t == T_STR:
            parts[t] = _read_strings(arrays, prefix + "s.", spec["str"], c)
        elif t == T_INT:
            parts[t] = arrays[prefix + "int"].tolist()
        elif t == T_FLOAT:
            parts[t] = arrays[prefix + "float"].tolist()
        elif t == T_TRUE:
            parts[t] = [True] * c
        elif t == T_FALSE:
            parts[t] = [False] * c
        elif t == T_NONE:
            parts[t] = [None] * c
        elif t == T_LEMPTY:
            parts[t] = [[] for _ in range(c)]
        elif t == T_LINT:
            parts[t] = _split(arrays[prefix + "lint.flat"].tolist(), arrays[prefix + "lint.count"])
        elif t == T_LSTR:
            lc = arrays[prefix + "lstr.count"]
            flat = _read_strings(arrays, prefix + "lstr.", spec["lstr"], int(lc.sum()))
            parts[t] = _split(flat, lc)
        else:
            raise _Corrupt(f"{prefix}: tag {t}")
        if len(parts[t]) != c:
            raise _Corrupt(prefix)
    if tags is None:
        return parts[tag]
    its = {t: iter(v) for t, v in parts.items()}
    return [next(its[t]) for t in tags]


def _decode_table(arrays, name: str, spec: dict) -> list[dict]:
    rows = spec["rows"]
    layouts = [tuple(lay) for lay in spec["layouts"]]
    order = spec["order"]
    cols = {c: _decode_column(arrays, f"{name}/{i}/", spec["columns"][c], rows) for i, c in enumerate(order)}
    if len(layouts) == 1:
        keys = layouts[0]
        return [dict(zip(keys, vals)) for vals in zip(*(cols[k] for k in keys))] if keys else [{} for _ in range(rows)]
    if not layouts:
        if rows:
            raise _Corrupt(name)
        return []
    which = arrays[f"{name}/layout"].tolist()
    if len(which) != rows:
        raise _Corrupt(name)
    return [{k: cols[k][i] for k in layouts[w]} for i, w in enumerate(which)]


def load_snapshot(target: str | os.PathLike, *, key: dict, code: str) -> Dataset | None:
    """The dataset in ``target`` if it is whole and was made from ``key`` by ``code``; else ``None``.

    The result is a :class:`SnapshotDataset`: every array's CRC-32 and shape
    is checked here, against the zip's directory and the header; rows become
    dicts only when read.
    """
    try:
        arrays = _map_npz(target)
        meta = json.loads(arrays.pop("meta").tobytes().decode("utf-8"))
        if (meta.get("magic") != _MAGIC or meta.get("format") != FORMAT or meta.get("code") != code
                or meta.get("key") != key):
            return None
        return SnapshotDataset._of(_Snapshot(arrays, meta))
    except Exception:  # noqa: BLE001 — anything wrong with a cache file means: not trusted, rebuild
        return None


def _map_npz(target) -> dict:
    """The arrays of an uncompressed ``.npz``, memory-mapped (no copy), each checked against its CRC-32.

    ``numpy.load`` would copy every array through ``zipfile``; here each
    ``.npy`` member is located in the mapped file, its bytes checked against
    the CRC-32 the zip's directory holds and its header read with
    ``numpy.lib.format`` (object arrays refused: no pickle).
    """
    import io
    import mmap
    import zipfile
    import zlib

    import numpy as np
    from numpy.lib import format as npy

    with open(target, "rb") as fh:
        mm = mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ)
        infos = zipfile.ZipFile(fh).infolist()
    view = memoryview(mm)
    arrays = {}
    for info in infos:
        if info.compress_type != zipfile.ZIP_STORED or not info.filename.endswith(".npy"):
            raise _Corrupt(info.filename)
        at = info.header_offset
        if view[at:at + 4] != b"PK\x03\x04":
            raise _Corrupt(info.filename)
        start = at + 30 + int.from_bytes(view[at + 26:at + 28], "little") + int.from_bytes(view[at + 28:at + 30], "little")
        data = view[start:start + info.file_size]
        if len(data) != info.file_size or zlib.crc32(data) != info.CRC:
            raise _Corrupt(info.filename)
        head = io.BytesIO(data[:min(len(data), 1 << 16)])
        version = npy.read_magic(head)
        shape, fortran, dtype = (npy.read_array_header_1_0 if version == (1, 0) else npy.read_array_header_2_0)(head)
        if dtype.hasobject or fortran:
            raise _Corrupt(info.filename)
        count = int(np.prod(shape)) if shape else 1
        if head.tell() + count * dtype.itemsize != len(data):
            raise _Corrupt(info.filename)
        arrays[info.filename[:-4]] = np.frombuffer(data, dtype=dtype, count=count, offset=head.tell()).reshape(shape)
    return arrays


# ---------------------------------------------------------------------------
# Columns read one row at a time


class _Strings:
    """A string column read by position: the table split once, dictionary codes kept as an array."""

    def __init__(self, arrays, prefix: str, spec: dict, count: int):
        import numpy as np

        self.n = n = spec["n"]
        self._utf8 = arrays[prefix + "utf8"]
        if n and int(np.count_nonzero(self._utf8 == 0)) != n - 1 or not n and len(self._utf8):
            raise _Corrupt(prefix)
        self.codes = None
        if "dict" in spec:
            codes = arrays[prefix + "codes"]
            if len(codes) != count or (count and (codes.min() < 0 or codes.max() >= n)):
                raise _Corrupt(prefix)
            self.codes = codes
        elif n != count:
            raise _Corrupt(prefix)
        self._table = self._ends = None

    @property
    def table(self) -> list[str]:
        if self._table is None:
            self._table = self._utf8.tobytes().decode("utf-8").split("\0") if self.n else []
        return self._table

    def __getitem__(self, j: int) -> str:
        if self.codes is not None:
            j = int(self.codes[j])
        if self._table is not None or self.codes is not None:
            return self.table[j]
        # one value of a long column: found by its NULs, the others left undecoded
        if self._ends is None:
            import numpy as np

            self._ends = np.flatnonzero(self._utf8 == 0)
        a = int(self._ends[j - 1]) + 1 if j else 0
        b = int(self._ends[j]) if j < len(self._ends) else len(self._utf8)
        return self._utf8[a:b].tobytes().decode("utf-8")

    def all(self) -> list[str]:
        table = self.table
        return [table[c] for c in self.codes.tolist()] if self.codes is not None else table


class _Column:
    """One column of a table, checked against its header, read whole or value by value."""

    def __init__(self, arrays, prefix: str, spec: dict, rows: int):
        import numpy as np

        self.arrays, self.prefix, self.spec, self.rows = arrays, prefix, spec, rows
        self.tag = spec["tag"]
        if self.tag is None:
            self.tags = arrays[prefix + "tags"]
            if len(self.tags) != rows or (rows and int(self.tags.max()) > T_LEMPTY):
                raise _Corrupt(prefix)
            counts = {t: int(c) for t, c in enumerate(np.bincount(self.tags, minlength=T_LEMPTY + 1)) if c}
        else:
            self.tags = None
            counts = {self.tag: rows} if rows else {}
            if self.tag not in range(T_LEMPTY + 1):
                raise _Corrupt(prefix)
        self.counts = counts
        self._ranks: dict = {}
        self.strings = self.lstr = None
        for t, c in counts.items():
            if t == T_STR:
                self.strings = _Strings(arrays, prefix + "s.", spec["str"], c)
            elif t in (T_INT, T_FLOAT):
                if len(arrays[prefix + ("int" if t == T_INT else "float")]) != c:
                    raise _Corrupt(prefix)
            elif t in (T_LINT, T_LSTR):
                kind = "lint" if t == T_LINT else "lstr"
                lc = arrays[prefix + kind + ".count"]
                if len(lc) != c or (c and int(lc.min()) < 0):
                    raise _Corrupt(prefix)
                offsets = np.zeros(c + 1, dtype=np.int64)
                np.cumsum(lc, out=offsets[1:])
                if t == T_LINT:
                    if len(arrays[prefix + "lint.flat"]) != offsets[-1]:
                        raise _Corrupt(prefix)
                    self.lint_offsets = offsets
                else:
                    self.lstr = _Strings(arrays, prefix + "lstr.", spec["lstr"], int(offsets[-1]))
                    self.lstr_offsets = offsets

    def all(self) -> list:
        """Every value, in row order (as ``_decode_column``)."""
        return _decode_column(self.arrays, self.prefix, self.spec, self.rows)

    def __getitem__(self, i: int):
        if self.tag is None:
            t = int(self.tags[i])
            ranks = self._ranks.get(t)
            if ranks is None:
                ranks = self._ranks[t] = (self.tags == t).cumsum()
            j = int(ranks[i]) - 1
        else:
            t, j = self.tag, i
        if t == T_STR:
            return self.strings[j]
        if t == T_INT:
            return int(self.arrays[self.prefix + "int"][j])
        if t == T_FLOAT:
            return float(self.arrays[self.prefix + "float"][j])
        if t == T_LSTR:
            a, b = self.lstr_offsets[j], self.lstr_offsets[j + 1]
            return [self.lstr[x] for x in range(int(a), int(b))]
        if t == T_LINT:
            a, b = self.lint_offsets[j], self.lint_offsets[j + 1]
            return self.arrays[self.prefix + "lint.flat"][a:b].tolist()
        return {T_TRUE: True, T_FALSE: False, T_NONE: None}[t] if t != T_LEMPTY else []


class _Table:
    """One table of the snapshot: row ``i`` as a dict, or every row."""

    def __init__(self, arrays, name: str, spec: dict):
        self.arrays, self.name, self.spec = arrays, name, spec
        self.rows = rows = spec["rows"]
        self.layouts = [tuple(lay) for lay in spec["layouts"]]
        if not self.layouts and rows:
            raise _Corrupt(name)
        self.which = None
        if len(self.layouts) > 1:
            self.which = arrays[f"{name}/layout"]
            if len(self.which) != rows or int(self.which.min()) < 0 or int(self.which.max()) >= len(self.layouts):
                raise _Corrupt(name)
        self.columns = {c: _Column(arrays, f"{name}/{i}/", spec["columns"][c], rows)
                        for i, c in enumerate(spec["order"])}
        if set(self.columns) != {k for lay in self.layouts for k in lay}:
            raise _Corrupt(name)

    def __len__(self) -> int:
        return self.rows

    def row(self, i: int) -> dict:
        keys = self.layouts[0] if self.which is None else self.layouts[int(self.which[i])]
        return {k: self.columns[k][i] for k in keys}

    def value(self, i: int, key: str):
        """``row(i).get(key)`` without decoding the row's other columns."""
        keys = self.layouts[0] if self.which is None else self.layouts[int(self.which[i])]
        return self.columns[key][i] if key in keys else None

    def all(self) -> list[dict]:
        return _decode_table(self.arrays, self.name, self.spec)


class _Snapshot:
    """The checked arrays and header of one snapshot file."""

    def __init__(self, arrays: dict, meta: dict):
        import numpy as np

        self.arrays, self.meta = arrays, meta
        self.tables = {t: _Table(arrays, t, meta["tables"][t]) for t in _TABLES}
        self.keys = {name: _Keys(_Strings(arrays, f"{name}/key/", meta["keys"][name], len(self.tables[name])))
                     for name in ("sources", "nodes")}
        n, m = len(self.tables["nodes"]), len(self.tables["relationships"])
        d = meta["derived"]
        # copies: the engine may treat them as its own (a few bytes per node and relationship)
        g = {k: arrays[f"graph/{k}"].copy() for k in ("labels", "src", "dst", "types")}
        if d["weight"]:
            g["weight"] = arrays["graph/weight"].copy()
        if (len(g["labels"]) != n or any(len(g[k]) != m for k in ("src", "dst", "types", *g.keys() - {
                "labels", "src", "dst", "types"}))):
            raise _Corrupt("graph")
        if m and (int(min(g["src"].min(), g["dst"].min())) < 0 or int(max(g["src"].max(), g["dst"].max())) >= n):
            raise _Corrupt("graph")
        self.graph = g
        a = {k: arrays[f"adj/{k}"] for k in ("indptr", "indices", "rank", "member")}
        if (len(a["indptr"]) != n + 1 or len(a["rank"]) != n or len(a["member"]) != n
                or int(a["indptr"][0]) != 0 or int(a["indptr"][-1]) != len(a["indices"])
                or (n and not bool(np.all(np.diff(a["indptr"]) >= 0)))
                or (len(a["indices"]) and (int(a["indices"].min()) < 0 or int(a["indices"].max()) >= n))):
            raise _Corrupt("adj")
        self.adj = a
        self.groups = {}
        for level, spec in d["groups"].items():
            codes = arrays[f"groups/{level}"]
            if len(codes) != n or (n and (int(codes.min()) < 0 or int(codes.max()) >= len(spec["table"]))):
                raise _Corrupt("groups")
            self.groups[level] = (codes, spec["table"], spec["regions"])
        self.text = {}
        if d["text"]:
            for part in ("ids", "names", "descriptions", "skeletons"):
                starts = arrays[f"text/{part}/starts"]
                blob = arrays[f"text/{part}/utf8"].tobytes().decode("utf-8")
                if (len(starts) != n + 1 or len(blob) != int(starts[-1])
                        or (n and not bool(np.all(np.diff(starts.astype(np.int64)) > 0)))):
                    raise _Corrupt("text")
                self.text[part] = (blob, starts)


class _Keys:
    """The ids of a table: position of an id, found in the string table's bytes until
    enough are asked for that a dict pays (a warm ``show`` asks for a handful)."""

    _DICT_AFTER = 64

    def __init__(self, strings: _Strings):
        self.strings = strings
        self._index: dict | None = None
        self._bytes: bytes | None = None
        self._asked = 0

    def list(self) -> list[str]:
        return self.strings.all()

    def _dict(self) -> dict:
        if self._index is None:
            keys = self.list()
            index = {k: i for i, k in enumerate(keys)}
            if len(index) != len(keys):
                raise SnapshotError("a snapshot's ids repeat")
            self._index = index
        return self._index

    def position(self, key) -> int | None:
        if self._index is not None or self.strings.codes is not None:
            return self._dict().get(key)
        self._asked += 1
        if self._asked > self._DICT_AFTER:
            return self._dict().get(key)
        if not isinstance(key, str) or "\0" in key:
            return None
        if self._bytes is None:
            self._bytes = self.strings._utf8.tobytes()
        blob, k = self._bytes, key.encode("utf-8")
        if blob == k or blob.startswith(k + b"\0"):
            return 0
        at = blob.find(b"\0" + k + b"\0")
        if at < 0:
            if not blob.endswith(b"\0" + k):
                return None
            at = len(blob) - len(k) - 1
        return blob.count(b"\0", 0, at + 1)

    def __getitem__(self, key) -> int:
        i = self.position(key)
        if i is None:
            raise KeyError(key)
        return i

    def __contains__(self, key) -> bool:
        return self.position(key) is not None


class SnapshotError(Exception):
    """A snapshot found inconsistent after it was loaded (never expected: it was checked when loaded)."""


class SnapshotDataset(Dataset):
    """A checked dataset loaded from its snapshot, kept as columns.

    ``nodes``, ``relationships``, ``figures``, ``sources`` and ``registry``
    are the same dicts and lists :func:`alliances.dataset.read_dataset`
    builds, decoded the first time each is read; :meth:`node`,
    :meth:`ties_of`, :meth:`relationship` and the indexes behind
    :meth:`find` and :meth:`search_ids` read single rows and arrays instead,
    so a question about a few nodes never decodes the whole table.
    """

    _snap: _Snapshot

    @classmethod
    def _of(cls, snap: _Snapshot) -> "SnapshotDataset":
        ds = cls.__new__(cls)
        ds.__dict__.update(_snap=snap, path=snap.meta["path"], _rows={}, _rels={})
        return ds

    def __getattr__(self, name: str):
        # only the tables not decoded yet get here (dataclass fields live in the instance dict)
        if name.startswith("_") or name not in _TABLES:
            raise AttributeError(name)
        snap = self.__dict__["_snap"]
        with paused_gc():
            rows = snap.tables[name].all()
            if name in ("nodes", "sources"):
                keys = snap.keys[name].list()
                if name == "nodes":  # rows already handed out stay the same objects
                    got = self.__dict__["_rows"]
                    rows = [got.get(k, r) for k, r in zip(keys, rows)]
                rows = dict(zip(keys, rows))
            elif name == "relationships":
                got = self.__dict__["_rels"]
                rows = [got.get(i, r) for i, r in enumerate(rows)] if got else rows
        self.__dict__[name] = rows
        return rows

    @property
    def columnar(self) -> bool:
        return "nodes" not in self.__dict__ or "relationships" not in self.__dict__

    # -- single rows

    def node_ids(self) -> list[str]:
        return self._snap.keys["nodes"].list()

    def has_node(self, nid) -> bool:
        return nid in self._snap.keys["nodes"]

    def number_of_nodes(self) -> int:
        return len(self._snap.tables["nodes"])

    def node(self, nid: str) -> dict:
        if "nodes" in self.__dict__:
            return self.__dict__["nodes"][nid]
        rows = self.__dict__["_rows"]
        if nid not in rows:
            rows[nid] = self._snap.tables["nodes"].row(self._snap.keys["nodes"][nid])
        return rows[nid]

    def relationship(self, i: int) -> dict:
        if "relationships" in self.__dict__:
            return self.__dict__["relationships"][i]
        rels = self.__dict__["_rels"]
        if i not in rels:
            rels[i] = self._snap.tables["relationships"].row(i)
        return rels[i]

    def ties_of(self, nid: str) -> list[dict]:
        import numpy as np

        g, i = self._snap.graph, self._snap.keys["nodes"][nid]
        return [self.relationship(j) for j in np.flatnonzero((g["src"] == i) | (g["dst"] == i)).tolist()]

    def ids_with_labels(self, labels) -> list[str]:
        import numpy as np

        from alliances import model

        codes = [i for i, name in enumerate(model.LABELS) if name in set(labels)]
        ids = self.node_ids()
        return [ids[i] for i in np.flatnonzero(np.isin(self._snap.graph["labels"], codes)).tolist()]

    def relationships_of_types(self, types) -> list[dict]:
        import numpy as np

        from alliances import model

        codes = [i for i, name in enumerate(model.REL_TYPES) if name in set(types)]
        return [self.relationship(j) for j in np.flatnonzero(np.isin(self._snap.graph["types"], codes)).tolist()]

    def in_order(self, ids) -> list[str]:
        keys = self._snap.keys["nodes"]
        return sorted(ids, key=keys.__getitem__)

    def figures_of(self, node_id: str) -> list[dict]:
        if "figures" in self.__dict__:
            return super().figures_of(node_id)
        t = self._snap.tables["figures"]
        col = t.columns.get("node")
        if col is None:
            return super().figures_of(node_id)
        return [t.row(i) for i, n in enumerate(col.all()) if n == node_id]

    # -- arrays

    def graph_arrays(self) -> tuple:
        """``(ids, labels, src, dst, types, weight)`` of :class:`alliances.engine.GraphArrays`."""
        g = self._snap.graph
        return self.node_ids(), g["labels"], g["src"], g["dst"], g["types"], g.get("weight")

    def names_spread(self, labels, most: int) -> list:
        if "nodes" in self.__dict__:
            return super().names_spread(labels, most)
        import numpy as np

        from alliances import model

        codes = [i for i, name in enumerate(model.LABELS) if name in set(labels)]
        at = np.flatnonzero(np.isin(self._snap.graph["labels"], codes))
        if not len(at):
            at = np.arange(self.number_of_nodes())
        table = self._snap.tables["nodes"]  # rows by position: no id is looked up
        return [table.value(i, "name") for i in at[::max(1, len(at) // most)].tolist()]

    def edge_arrays(self) -> tuple:
        """``(src, dst, types)`` of :meth:`graph_arrays`, without reading the ids."""
        g = self._snap.graph
        return g["src"], g["dst"], g["types"]

    def partnership_csr(self) -> tuple:
        """``(indptr, indices, rank, member)`` of :class:`alliances.adjacency.PartnershipCSR`, mapped."""
        a = self._snap.adj
        return a["indptr"], a["indices"], a["rank"], a["member"]

    def position(self, nid) -> int | None:
        return self._snap.keys["nodes"].position(nid)

    def node_id(self, i: int) -> str:
        return self._snap.keys["nodes"].strings[i]

    def region_groups(self, level: str):
        """Each node's region group at ``level`` (a read-only mapping), or ``None`` for another level."""
        if level not in self._snap.groups:
            return None
        codes, table, _ = self._snap.groups[level]
        return _Groups(self._snap.keys["nodes"], codes, table)

    def region_table(self, level: str):
        return self._snap.groups[level][2] if level in self._snap.groups else None

    # -- names

    def _hits(self, part: str, q: str, *, whole: bool) -> set[int]:
        """Nodes with a folded text of ``part`` equal to (``whole``) or containing ``q``."""
        import numpy as np

        blob, starts = self._snap.text[part]
        found, at, n = [], blob.find(q), len(q)
        while at >= 0:
            if not whole or (blob[at - 1] == _TEXT and blob[at + n:at + n + 1] in ("", _TEXT, _NODE)):
                found.append(at)
            at = blob.find(q, at + 1)
        if not found:
            return set()
        return set(np.searchsorted(starts, np.array(found), side="right").__sub__(1).tolist())

    def find(self, text: str) -> str | None:
        """The id :func:`alliances.resolve.resolve` gives ``text``, from the text index; ``None`` when
        the index cannot decide it alone (no index, no or several matches: then ``resolve`` answers)."""
        from alliances.resolve import normalize

        if self.has_node(text):
            return text
        if not self._snap.text:
            return None
        q = normalize(text)
        if not q or _NODE in q or _TEXT in q:
            return None
        ids = self._snap.keys["nodes"].strings
        by_id = self._hits("ids", q, whole=True)
        if len(by_id) == 1:
            return ids[next(iter(by_id))]
        exact = self._hits("names", q, whole=True)
        if len(exact) == 1:
            from alliances.chars import skeleton

            found = next(iter(exact))
            key = skeleton(text)
            if _NODE in key or _TEXT in key or not key:
                return None
            return ids[found] if not (self._hits("skeletons", key, whole=True) - {found}) else None
        if exact:
            return None
        part = self._hits("ids", q, whole=False) | self._hits("names", q, whole=False)
        return ids[next(iter(part))] if len(part) == 1 else None

    def search_ids(self, text: str, limit: int = 50) -> list[str] | None:
        """:func:`alliances.resolve.search` from the text index; ``None`` when it cannot answer
        (no index, or text that may be pinyin: then every row is read)."""
        from alliances import pinyin
        from alliances.resolve import normalize

        q = normalize(text)
        if not self._snap.text or pinyin.typed(text) or not q or _NODE in q or _TEXT in q:
            return None
        parts = ("ids", "names", "descriptions")
        exact = set().union(*(self._hits(p, q, whole=True) for p in parts))
        inside = set().union(*(self._hits(p, q, whole=False) for p in parts)) - exact
        ids = self._snap.keys["nodes"].strings
        hits = sorted([(0, ids[i]) for i in exact] + [(1, ids[i]) for i in inside])
        return [n for _, n in hits[:limit]]


class _Groups(Mapping):
    """Node id → region group, read from the snapshot's codes (a read-only mapping)."""

    def __init__(self, keys: "_Keys", codes, table):
        self._keys = keys
        self._codes, self._table = codes, table

    def __getitem__(self, nid):
        return self._table[int(self._codes[self._keys[nid]])]

    def get(self, nid, default=None):
        i = self._keys.position(nid)
        return default if i is None else self._table[int(self._codes[i])]

    def __contains__(self, nid) -> bool:
        return nid in self._keys

    def __iter__(self):
        return iter(self._keys.list())

    def __len__(self) -> int:
        return self._keys.strings.n

    def items(self):
        table = self._table
        return list(zip(self._keys.list(), (table[c] for c in self._codes.tolist())))

    def values(self):
        table = self._table
        return [table[c] for c in self._codes.tolist()]
