"""Writing files and folders whole or not at all, touching nothing else.

:func:`atomic_write_bytes` writes a temporary file beside the target and
renames it into place; an existing file keeps its permission bits.

:func:`replace_folder` fills a new folder beside the target, then swaps it in
(one ``renameat2(RENAME_EXCHANGE)`` on Linux, otherwise two renames into a
fresh name of its own) and removes only the folder it displaced. It replaces a
folder only when that folder is a dataset (nothing in it but the dataset's
own files), never through a symbolic link, never the current folder or one
that holds it; files it replaces keep their permission bits. Every refusal is
a :class:`~alliances.errors.UsageError` that says why and what to do; it comes
before anything is written.
"""

from __future__ import annotations

import os
import shutil
import stat
import tempfile
from collections.abc import Callable
from pathlib import Path

from alliances.errors import AlliancesError, UsageError

# What a dataset folder may hold: its tables, the import's skip report, and the
# files desktops leave in any folder.
DATASET_FILES = frozenset({"sources.csv", "nodes.csv", "relationships.csv", "figures.csv", "skipped.csv",
                           # the registry kept with a dataset (alliances.registry) and its review file
                           "registry.csv", "registry-review.csv", "registry-input.csv"})
DESKTOP_LITTER = frozenset({".DS_Store", "Thumbs.db", "desktop.ini"})


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _refuse_link(path: Path, what: str) -> None:
    if path.is_symlink():
        raise UsageError(f"{what}{path}: is a symbolic link (to {os.readlink(path)}); links are neither "
                         f"followed nor replaced. Fix: give the real path ({path.resolve()}) or a new name.")


def atomic_write_bytes(path: str | os.PathLike, data: bytes, *, what: str = "") -> Path:
    """Write ``data`` to a temporary file beside ``path``, then rename it into place.

    A new file gets the usual ``0666 & ~umask`` (a map is for sharing); a
    replaced file keeps its own permission bits (a ``0600`` file stays ``0600``).
    """
    path = Path(path)
    parent = path.parent if str(path.parent) else Path(".")
    _refuse_link(path, what)
    if path.is_dir():
        raise UsageError(f"{what}{path}: is a folder. Fix: give a file name, e.g. {path / 'out'}"
                         f"{''.join(path.suffixes) or ''}.")
    if not parent.is_dir():
        raise AlliancesError(f"{what}{path}: folder {parent} does not exist. Fix: create it or choose another path.")
    mode = stat.S_IMODE(path.stat().st_mode) if path.exists() else 0o666 & ~_umask()
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=parent)
    except OSError as err:
        raise AlliancesError(f"{what}{path}: cannot be written ({err.strerror}). Fix: choose a writable folder.") from err
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.chmod(tmp, mode)  # mkstemp makes 0600
        os.replace(tmp, path)
    except OSError as err:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise AlliancesError(f"{what}{path}: cannot be written ({err.strerror}). Fix: choose a writable folder.") from err
    return path


def atomic_write_text(path: str | os.PathLike, text: str, *, what: str = "") -> Path:
    return atomic_write_bytes(path, text.encode("utf-8"), what=what)


# ---------------------------------------------------------------------------
# Folders


def check_folder_target(out: str | os.PathLike, *, overwrite: bool, what: str = "") -> Path:
    """Raise :class:`UsageError` unless :func:`replace_folder` may write ``out``; return it as a Path.

    ``what`` names the option in messages (``"--out "``).
    """
    out = Path(out)
    _refuse_link(out, what)
    resolved = out.resolve()
    cwd = Path.cwd().resolve()
    if resolved == cwd or resolved in cwd.parents:
        raise UsageError(f"{what}{out}: is the current folder{' or one that holds it' if resolved != cwd else ''}, "
                         "which cannot be replaced. Fix: give a new folder name, e.g. --out dataset.")
    if out.exists() and not out.is_dir():
        raise UsageError(f"{what}{out}: is a file, not a folder. Fix: give a folder name "
                         "(a dataset is a folder of CSV files).")
    if out.is_dir():
        entries = sorted(os.listdir(out))
        if entries and not overwrite:
            raise UsageError(f"{what}{out}: folder exists and is not empty. Fix: choose a new folder, or pass "
                             "--force to replace it (only a dataset folder is ever replaced).")
        foreign = [e + ("/" if (out / e).is_dir() else "") for e in entries
                   if e not in DESKTOP_LITTER and not (e in DATASET_FILES and _plain_file(out / e))]
        if foreign:
            shown = ", ".join(foreign[:5]) + (f" and {len(foreign) - 5} more" if len(foreign) > 5 else "")
            raise UsageError(f"{what}{out}: is not a dataset folder (it holds {shown}), so it is not replaced; "
                             f"nothing was changed. Fix: choose a new folder, or move those out of it first.")
    return out


def _plain_file(p: Path) -> bool:
    return p.is_file() and not p.is_symlink()


def replace_folder(out: str | os.PathLike, fill: Callable[[Path], object], *, overwrite: bool = False,
                   what: str = "") -> Path:
    """Create or replace the folder ``out`` with what ``fill(tmp)`` writes into a new folder.

    All or nothing: if ``fill`` raises (or the process dies), ``out`` is as it
    was and the half-written folder is removed (after a kill, a hidden
    ``.NAME.new-*`` folder may remain beside it; nothing else is touched).
    """
    out = check_folder_target(out, overwrite=overwrite, what=what)
    parent = out.parent
    try:
        parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.new-", dir=parent))
    except OSError as err:
        raise AlliancesError(f"{what}{out}: cannot be created ({err.strerror}). Fix: choose a writable folder.") from err
    try:
        fill(tmp)
        _copy_modes(out, tmp)
        if not out.exists():
            try:
                os.rename(tmp, out)
                return out
            except OSError:  # made meanwhile by someone else: check it again, then swap
                check_folder_target(out, overwrite=overwrite, what=what)
        if not _exchange(tmp, out):
            old = Path(tempfile.mkdtemp(prefix=f".{out.name}.old-", dir=parent))
            os.rename(out, old)  # onto the empty folder just made: a name nobody else uses
            os.rename(tmp, out)
            tmp = old
        shutil.rmtree(tmp, ignore_errors=True)  # the displaced dataset folder
    except OSError as err:
        shutil.rmtree(tmp, ignore_errors=True)
        raise AlliancesError(f"{what}{out}: cannot be written ({err.strerror}). Fix: choose a writable folder.") from err
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return out


def _copy_modes(old: Path, new: Path) -> None:
    """Permission bits: the replaced folder's and files', else the umask's (mkdtemp makes 0700)."""
    mask = _umask()
    os.chmod(new, stat.S_IMODE(old.stat().st_mode) if old.is_dir() else 0o777 & ~mask)
    for p in new.iterdir():
        before = old / p.name
        if before.is_file() and not before.is_symlink():
            os.chmod(p, stat.S_IMODE(before.stat().st_mode))
        elif p.is_file():
            os.chmod(p, 0o666 & ~mask)


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _exchange(a: Path, b: Path) -> bool:
    """Swap two folders in one step (Linux ``renameat2``); False where that is not available."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        fn = libc.renameat2
    except (OSError, AttributeError):
        return False
    fn.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    if fn(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    return False  # ENOSYS, EINVAL (a file system without it): fall back to two renames
