"""The orders and caps every backend shares, so their answers agree.

The embedded default (networkx), the int32 arrays (:mod:`alliances.engine`)
and the Neo4j store all break ties with these rules: the same path, the same
first relationship of a hop, the same hubs whichever store answered.
Nothing here imports a backend.
"""

from __future__ import annotations

from alliances import model

#: Relationship types in the model's order: the first of several ties explains a hop.
REL_ORDER = {name: i for i, name in enumerate(model.REL_TYPES)}

#: Labels of the nodes that, when shared, tie two organisations in the organisations projection.
HUB_LABELS = ("Alliance", "Agreement", "Activity")

#: How many extra equally long paths are gathered to break ties at the k-th path.
TIE_CAP = 1000


def edge_sort_key(rel: dict) -> tuple:
    """Relationships between two nodes in the model's order, then by their ends."""
    return (REL_ORDER.get(rel["type"], 99), rel["start"], rel["end"])


def path_order(nodes) -> tuple:
    """The order of answers: fewer hops first, then by the node ids along the path.

    Every backend ranks with it, so the embedded default and Neo4j give the same
    path when several are equally short.
    """
    return (len(nodes), list(nodes))


def capped_hub(hub: str, label: str, members: int) -> dict:
    """A hub left out of the organisations projection for its size (``Thresholds.hub_members``),
    as every backend reports it."""
    return {"id": hub, "label": label, "members": members}


def hub_order(hub: dict) -> tuple:
    """Capped hubs: largest first, then by id."""
    return (-hub["members"], hub["id"])


def tie_value(rel: dict) -> float:
    """What one relationship adds to a tie in the projections: ``weight`` x ``count`` (each 1 when absent)."""
    return float(rel.get("weight", 1)) * rel.get("count", 1)
