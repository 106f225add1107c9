"""The project's exceptions; the CLI turns each into one clear line.

::

    AlliancesError                 base; ``exit_code`` 1 (runtime) or 2 (usage)
    ├── UsageError                 a bad option or argument (exit 2)
    │   └── NameResolutionError    a name matches no node, or several
    ├── DataError                  a dataset or input file is invalid
    │   └── ValidationError        carries every :class:`Problem` found at once
    ├── StoreError                 the Neo4j store failed
    │   ├── ConnectionFailed       server down, unreachable, hung
    │   ├── AuthenticationFailed   wrong user or password
    │   ├── DatabaseNotFound       unknown database name
    │   └── DatasetConflict        a load would overwrite another dataset's nodes
    └── RenderError                a map, snapshot or report could not be written

Every message says what failed, where (file, row, column or URI) and what to
do next. Driver and OS errors are wrapped with ``raise ... from err``.
"""

from __future__ import annotations

from dataclasses import dataclass


class AlliancesError(Exception):
    """Base of every error the CLI reports without a traceback."""

    exit_code = 1


class UsageError(AlliancesError):
    """The user asked for something that cannot be done as asked."""

    exit_code = 2


class NameResolutionError(UsageError):
    """A name matched no node or more than one; ``candidates`` lists them."""

    def __init__(self, message: str, candidates: list[str] | None = None):
        super().__init__(message)
        self.candidates = candidates or []


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input, located as precisely as we can."""

    file: str
    row: int | None  # 1-based line/row as a spreadsheet shows it (header = row 1)
    field: str | None
    message: str
    fix: str = ""
    sheet: str | None = None

    def location(self) -> str:
        parts = [self.file]
        if self.sheet:
            parts.append(f"sheet {self.sheet}")
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.field:
            parts.append(f"column {self.field}")
        return ", ".join(parts)

    def __str__(self) -> str:
        text = f"{self.location()}: {self.message}"
        if self.fix:
            text += f" — fix: {self.fix}"
        return text

    def as_dict(self) -> dict:
        return {
            "file": self.file,
            "sheet": self.sheet,
            "row": self.row,
            "field": self.field,
            "message": self.message,
            "fix": self.fix,
        }


class DataError(AlliancesError):
    """An input file or dataset cannot be used."""


class ValidationError(DataError):
    """A dataset has problems; all of them are in ``problems``."""

    def __init__(self, problems: list[Problem], source: str = ""):
        self.problems = list(problems)
        self.source = source
        n = len(self.problems)
        head = f"{source}: " if source else ""
        lines = [f"{head}{n} problem{'s' if n != 1 else ''} found; nothing was written."]
        lines += [f"  {p}" for p in self.problems]
        super().__init__("\n".join(lines))


class StoreError(AlliancesError):
    """The graph store (Neo4j) failed."""


class DatasetConflict(StoreError):
    """A load's ids collide with another dataset's nodes of different content; ``conflicts`` lists them."""

    def __init__(self, message: str, conflicts: list | None = None):
        super().__init__(message)
        self.conflicts = conflicts or []


class ConnectionFailed(StoreError):
    """The server could not be reached in time."""


class AuthenticationFailed(StoreError):
    """The server refused the credentials."""


class DatabaseNotFound(StoreError):
    """The named database does not exist on the server."""


class RenderError(AlliancesError):
    """An output document could not be produced."""
