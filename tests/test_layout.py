"""Positions computed in Python for maps (alliances/render/layout.py)."""

from __future__ import annotations

import itertools
import math

import networkx as nx

from alliances.render.layout import compact_layout, spread_discs


def _d(p, q) -> float:
    return math.hypot(p[0] - q[0], p[1] - q[1])


def test_a_path_is_drawn_straight_with_edges_of_the_asked_length():
    # hop distances 1, 1, 2 are met exactly by three points on a line, 150 px apart
    pos = compact_layout(nx.path_graph(3), radius={v: 10 for v in range(3)})
    assert math.isclose(_d(pos[0], pos[1]), 150, abs_tol=0.2)
    assert math.isclose(_d(pos[1], pos[2]), 150, abs_tol=0.2)
    assert math.isclose(_d(pos[0], pos[2]), 300, abs_tol=0.4)


def test_a_triangle_is_equilateral_and_centred():
    pos = compact_layout(nx.cycle_graph(3), radius={v: 10 for v in range(3)}, edge_length=100)
    for a, b in itertools.combinations(range(3), 2):
        assert math.isclose(_d(pos[a], pos[b]), 100, abs_tol=0.5)
    assert abs(sum(p[0] for p in pos.values())) < 0.5 and abs(sum(p[1] for p in pos.values())) < 0.5


def test_no_two_discs_overlap_and_the_result_is_the_same_every_time():
    G = nx.star_graph(12)  # twelve leaves round one centre, each leaf's disc 40 px
    radius = {v: 40.0 for v in G}
    radius[0] = 60.0
    pos = compact_layout(G, radius=radius, edge_length=50)
    for a, b in itertools.combinations(G, 2):
        assert _d(pos[a], pos[b]) >= radius[a] + radius[b] - 1, (a, b)
    assert compact_layout(G, radius=radius, edge_length=50) == pos


def test_isolated_nodes_sit_in_a_row_under_the_drawing():
    G = nx.path_graph(4)
    G.add_nodes_from(["x", "y"])
    pos = compact_layout(G)
    lowest = max(pos[v][1] for v in range(4))
    assert pos["x"][1] == pos["y"][1] > lowest
    assert _d(pos["x"], pos["y"]) >= 60 - 0.1  # two default discs of 30 side by side
    assert set(pos) == set(G)


def test_components_are_kept_near_each_other():
    G = nx.disjoint_union(nx.path_graph(3), nx.path_graph(3))
    pos = compact_layout(G)
    # across components the distance is held at one step more than the longest path (2 + 1)
    across = min(_d(pos[a], pos[b]) for a in range(3) for b in range(3, 6))
    assert 100 < across < 3 * 150 * 1.5


def test_spread_discs_pushes_apart_only_what_overlaps():
    pos = spread_discs([[0.0, 0.0], [10.0, 0.0], [500.0, 0.0]], [20.0, 20.0, 20.0])
    assert _d(pos[0], pos[1]) >= 39.5
    assert pos[2].tolist() == [500.0, 0.0]
