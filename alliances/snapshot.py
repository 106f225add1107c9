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

A snapshot that is missing, unreadable, truncated, altered (a BLAKE2b digest
over its arrays), foreign (another folder, dataset or version) or in any way
inconsistent is ignored and rebuilt from the CSVs: it is never trusted.

Format: one uncompressed NumPy ``.npz`` (a zip of ``.npy`` arrays, read with
``allow_pickle=False``) per folder. Each table (sources, nodes,
relationships, figures, registry) is stored column by column: strings as one UTF-8
string table (NUL-separated; columns with few distinct values dictionary-
encoded), integers and floats as ``int64``/``float64`` arrays, lists as
counts plus a flat column, and a type tag per row only when a column mixes
types. Dict key order is kept, so a loaded dataset equals the one read.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from itertools import islice
from pathlib import Path

from alliances.dataset import FILES, REGISTRY_FILE, Dataset, bundled_path, paused_gc, read_dataset

FORMAT = 1
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
                 encoding: str | None = None, refresh: bool = False, status: dict | None = None) -> Dataset:
    """The checked dataset of ``path`` (the bundled one when ``None``), from its snapshot when valid.

    With ``cache_dir=None`` this is :func:`alliances.dataset.read_dataset`.
    Otherwise a valid snapshot in ``cache_dir`` is loaded; when there is none
    (or it is stale, corrupt or foreign) the folder is read and checked and a
    new snapshot written, unless the files changed while they were read. A
    dataset with problems raises as ``read_dataset`` does and writes nothing.
    ``refresh=True`` always reads and checks (``validate``) and writes the snapshot.

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
        arrays[prefix + "codes"] = np.fromiter((index[s] for s in values), dtype=np.int32, count=len(values))
        values = table
        spec["dict"] = len(table)
    joined = "\0".join(values)
    if joined.count("\0") != max(len(values) - 1, 0):
        raise _Unencodable("a string holds NUL")
    arrays[prefix + "utf8"] = np.frombuffer(joined.encode("utf-8"), dtype=np.uint8)
    spec["n"] = len(values)


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


def _encode_column(values: list, prefix: str, arrays: dict) -> dict:
    import numpy as np

    tags = [_tag(v) for v in values]
    kinds = set(tags)
    spec: dict = {}
    if len(kinds) == 1:
        spec["tag"] = tags[0]
    elif kinds:
        spec["tag"] = None
        arrays[prefix + "tags"] = np.array(tags, dtype=np.uint8)
    else:
        spec["tag"] = T_NONE
    by = {k: [v for v, t in zip(values, tags) if t == k] for k in kinds} if len(kinds) > 1 else {
        k: values for k in kinds}
    if T_STR in by:
        spec["str"] = {}
        _strings(by[T_STR], prefix + "s.", arrays, spec["str"])
    try:
        if T_INT in by:
            arrays[prefix + "int"] = np.array(by[T_INT], dtype=np.int64)
        if T_LINT in by:
            arrays[prefix + "lint.count"] = np.array([len(v) for v in by[T_LINT]], dtype=np.int32)
            arrays[prefix + "lint.flat"] = np.array([x for v in by[T_LINT] for x in v], dtype=np.int64)
    except OverflowError as err:
        raise _Unencodable("an integer beyond 64 bits") from err
    if T_FLOAT in by:
        arrays[prefix + "float"] = np.array(by[T_FLOAT], dtype=np.float64)
    if T_LSTR in by:
        arrays[prefix + "lstr.count"] = np.array([len(v) for v in by[T_LSTR]], dtype=np.int32)
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
        values = [r.get(col) for r in rows]
        spec["columns"][col] = _encode_column(values, f"{name}/{i}/", arrays)
    spec["order"] = columns
    return spec


def _digest(arrays: dict) -> str:
    h = _blake()
    for k in sorted(arrays):
        a = arrays[k]
        h.update(f"{k}:{a.dtype.str}:{a.shape}".encode())
        h.update(a.tobytes())
    return h.hexdigest()


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
    except _Unencodable:
        return False
    meta = {"magic": _MAGIC, "format": FORMAT, "code": code, "key": key, "path": ds.path,
            "tables": tables, "keys": keys, "digest": _digest(arrays)}
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
    """The dataset in ``target`` if it is whole and was made from ``key`` by ``code``; else ``None``."""
    import numpy as np

    try:
        with np.load(target, allow_pickle=False) as npz:
            arrays = {k: npz[k] for k in npz.files}
        meta = json.loads(arrays.pop("meta").tobytes().decode("utf-8"))
        if (meta.get("magic") != _MAGIC or meta.get("format") != FORMAT or meta.get("code") != code
                or meta.get("key") != key or meta.get("digest") != _digest(arrays)):
            return None
        with paused_gc():
            tables = {t: _decode_table(arrays, t, meta["tables"][t]) for t in _TABLES}
            ds = Dataset(path=meta["path"])
            for name in ("sources", "nodes"):
                keys = _read_strings(arrays, f"{name}/key/", meta["keys"][name], len(tables[name]))
                setattr(ds, name, dict(zip(keys, tables[name])))
                if len(getattr(ds, name)) != len(tables[name]):
                    return None
            ds.relationships = tables["relationships"]
            ds.figures = tables["figures"]
            ds.registry = tables["registry"]
        return ds
    except Exception:  # noqa: BLE001 — anything wrong with a cache file means: not trusted, rebuild
        return None
