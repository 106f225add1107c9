"""The partnership graph as a symmetric CSR over a dataset's node positions, with numpy only.

What a path search reads (:func:`alliances.paths.find_path_arrays`, Yen's k shortest paths):
each node's neighbours, whether it takes part, and its id's place in string order. It sits
below :mod:`alliances.engine` so that :mod:`alliances.snapshot` can store it when it writes a
snapshot, and a warm ``path`` maps it from the file instead of building it (no scipy, no
networkx). The ties are :func:`alliances.engine.partnership_arrays`' (or, with ``via``,
:func:`alliances.engine.via_arrays`'): the same rule, tested tie for tie.
"""

from __future__ import annotations

from dataclasses import dataclass

from alliances import model


@dataclass
class PartnershipCSR:
    """``indices[indptr[i]:indptr[i + 1]]``: node ``i``'s neighbours, ascending. ``member[i]``: whether
    node ``i`` takes part (regions and zones do not, unless ``via`` names their types). ``rank[i]``:
    its id's place in string order, so the smallest id among some nodes is the smallest rank."""

    indptr: object  # np.int64, n + 1
    indices: object  # np.int32
    rank: object  # np.int64
    member: object  # np.bool_

    def neighbours(self, i: int) -> list:
        return self.indices[self.indptr[i]:self.indptr[i + 1]].tolist()


def type_mask(via=None):
    """A boolean lookup by relationship type code: the ``via`` types, or the partnership types."""
    import numpy as np

    names = via or model.PARTNERSHIP_TYPES
    codes = {name: i for i, name in enumerate(model.REL_TYPES)}
    mask = np.zeros(len(model.REL_TYPES), dtype=bool)
    mask[[codes[t] for t in names if t in codes]] = True
    return mask


def geographic_mask():
    """A boolean lookup by label code: the labels that take no part in partnerships (regions, zones)."""
    import numpy as np

    geo = np.zeros(len(model.LABELS), dtype=bool)
    geo[[i for i, name in enumerate(model.LABELS) if name in model.GEOGRAPHIC_LABELS]] = True
    return geo


def distinct(x):
    """The sorted distinct values of an integer array: ``np.unique(x)`` by one sort. numpy 2's
    ``np.unique`` without ``return_*`` hashes, and took 1.4 s where the sort takes 0.05 s on the
    486,192 keys of a 20,000-organisation projection's adjacency."""
    import numpy as np

    x = np.sort(np.asarray(x))
    return x[np.r_[True, x[1:] != x[:-1]]] if len(x) else x


def symmetric_csr(n: int, u, v):
    """``(indptr, indices, rows)`` of the undirected simple graph on ``n`` nodes with ties ``u``–``v``
    (either direction, repeats and self-ties dropped): each row's neighbours ascending, ``rows`` the
    row of each entry of ``indices`` (int64 throughout)."""
    import numpy as np

    u, v = np.asarray(u, dtype=np.int64), np.asarray(v, dtype=np.int64)
    keep = u != v
    m = max(n, 1)
    key = distinct(np.r_[u[keep], v[keep]] * m + np.r_[v[keep], u[keep]])  # one entry per tie and direction
    rows, cols = key // m, key % m
    indptr = np.r_[0, np.cumsum(np.bincount(rows, minlength=n))].astype(np.int64)
    return indptr, cols, rows


def id_rank(ids) -> object:
    """Each id's position in string order, as an int64 array aligned with ``ids``."""
    import numpy as np

    rank = np.empty(len(ids), dtype=np.int64)
    rank[np.array(sorted(range(len(ids)), key=lambda i: str(ids[i])), dtype=np.int64)] = np.arange(len(ids))
    return rank


def partnership_csr(ids, labels, src, dst, types, via=None, *, rank=None) -> PartnershipCSR:
    """The ties of the partnership types (or of ``via``) between ``src`` and ``dst``, either
    direction, no self-ties; without ``via`` regions and zones (``labels``, codes into
    ``model.LABELS``) take no part. ``rank``: :func:`id_rank` of ``ids`` when known."""
    import numpy as np

    n = len(ids)
    keep = type_mask(via)[types]
    member = np.ones(n, dtype=bool)
    if not via:
        member = ~geographic_mask()[labels]
        keep &= member[src] & member[dst]
    indptr, cols, _ = symmetric_csr(n, src[keep], dst[keep])
    return PartnershipCSR(indptr, cols.astype(np.int32), id_rank(ids) if rank is None else rank, member)
