"""``alliances registry import`` and ``review`` as library calls: read, match, write, all or nothing."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from alliances.dataset import REGISTRY_FILE, bundled_path, read_dataset
from alliances.errors import Problem, UsageError, ValidationError
from alliances.files import atomic_write_bytes, atomic_write_text
from alliances.registry.match import match_registry, review_bytes
from alliances.registry.records import read_registry_source, registry_csv_text

REVIEW_FILE = "registry-review.csv"


@dataclass
class RegistryImport:
    entries: int
    counts: dict[str, int]
    registry_path: Path
    review_path: Path
    review_rows: int
    warnings: list[Problem] = field(default_factory=list)


def dataset_folder(data) -> Path:
    """The dataset folder the registry is kept in (never the bundled one, which is read-only)."""
    if not data:
        raise UsageError("say which dataset folder keeps the registry. Fix: add --data FOLDER (a copy of the "
                         "bundled dataset: alliances export --format csv --out FOLDER).")
    folder = Path(data)
    if folder.resolve() == bundled_path().resolve():
        raise UsageError(f"{folder}: the bundled dataset is read-only. Fix: copy it first "
                         "(alliances export --format csv --out FOLDER) and pass --data FOLDER.")
    return folder


def _write(ds, folder: Path, review_path: Path | None) -> tuple[Path, Path, int, dict]:
    report = match_registry(ds, ds.registry, previous=ds.registry)
    review_path = review_path or folder / REVIEW_FILE
    # the review file first: if it cannot be written the registry stays as it was
    atomic_write_bytes(review_path, review_bytes(report.review, review_path))
    registry_path = atomic_write_text(folder / REGISTRY_FILE, registry_csv_text(ds.registry))
    return registry_path, review_path, len(report.review), report.counts


def import_registry(data, file, *, sheet: str | None = None, encoding: str | None = None,
                    review: str | None = None, imported: str | None = None) -> RegistryImport:
    """Read ``file`` into the registry of dataset folder ``data``, match it, write registry.csv and the review file.

    The planner's earlier decisions (by entry id) are kept. Raises
    :class:`ValidationError` with every problem when any row is wrong;
    nothing is written then.
    """
    folder = dataset_folder(data)
    ds = read_dataset(folder, encoding=encoding)
    got = read_registry_source(file, ds, sheet=sheet, encoding=encoding, imported=imported)
    if got.problems:
        raise ValidationError(got.problems, str(file))
    previous = {e["id"]: e for e in ds.registry}
    for e in got.entries:
        old = previous.get(e["id"])
        if old and old.get("match_method") in ("planner", "none") and not e.get("match"):
            e["match"], e["match_method"], e["match_score"] = old["match"], old["match_method"], old.get("match_score")
    ds.registry = got.entries
    registry_path, review_path, n_review, counts = _write(ds, folder, Path(review) if review else None)
    return RegistryImport(len(got.entries), counts, registry_path, review_path, n_review, got.warnings)


def review_registry(data, file, *, encoding: str | None = None) -> RegistryImport:
    """Apply the planner's decisions in review ``file`` to the registry of ``data``; rewrite both."""
    from alliances.registry.match import apply_review

    folder = dataset_folder(data)
    ds = read_dataset(folder, encoding=encoding)
    if not ds.registry:
        raise UsageError(f"{folder}: has no {REGISTRY_FILE}. Fix: run 'alliances registry import FILE --data "
                         f"{folder}' first.")
    apply_review(ds, Path(file), encoding=encoding)
    registry_path, review_path, n_review, counts = _write(ds, folder, Path(file))
    return RegistryImport(len(ds.registry), counts, registry_path, review_path, n_review)
