"""Node positions for the whole-graph view, computed in Python before the page is written.

A force layout of 50k nodes in pure Python is far too slow (networkx's
``forceatlas2_layout`` takes minutes at 5k: its repulsion is all pairs), so
the layout is hierarchical, the way large-graph tools draw communities:

1. communities (Louvain, seeded: the same graph gives the same picture);
2. each community is a disc whose area follows its size, and the discs are
   placed by a force layout of the community graph (edges between
   communities pull their discs together), then pushed apart until no two
   overlap;
3. inside a disc, nodes are placed by a force layout of the community's own
   subgraph: all-pairs repulsion for small communities, repulsion from the
   centres of mass of a coarse grid for large ones (linear in nodes).

Nodes without relationships have no community worth drawing; they are put on
an outer ring (the view hides them by default).
"""
from __future__ import annotations

import math

import networkx as nx
import numpy as np

__all__ = ["Layout", "layout", "force_layout"]

_EXACT = 100   # communities up to this size get all-pairs repulsion
_GRID = 32     # cells per side of the repulsion grid of larger ones


class Layout:
    """Positions (``x``, ``y``) and community number per node, in the order of ``nodes``."""

    def __init__(self, nodes: list, x: np.ndarray, y: np.ndarray, community: np.ndarray) -> None:
        self.nodes, self.x, self.y, self.community = nodes, x, y, community

    def __len__(self) -> int:
        return len(self.nodes)


def layout(G: nx.Graph, seed: int = 0, iterations: int = 60) -> Layout:
    """Positions for every node of ``G`` (any networkx graph; directions and
    parallel edges are ignored), communities numbered by size (0 largest).

    Examples
    --------
    >>> G = nx.Graph([(0, 1), (1, 2), (3, 4)]); G.add_node(5)
    >>> L = layout(G)
    >>> len(L), int(L.community[0] == L.community[2]), int(L.community[0] == L.community[3])
    (6, 1, 0)
    """
    U = nx.Graph(G.to_undirected(as_view=True)) if G.is_directed() or G.is_multigraph() else G
    U.remove_edges_from(list(nx.selfloop_edges(U)))
    nodes = list(G.nodes)
    index = {u: i for i, u in enumerate(nodes)}
    linked = [u for u in nodes if U.degree(u) > 0]
    comms = sorted(nx.community.louvain_communities(U.subgraph(linked), seed=seed), key=lambda c: (-len(c), min(map(str, c))))
    community = np.full(len(nodes), -1, dtype=np.int32)
    for k, c in enumerate(comms):
        community[[index[u] for u in c]] = k
    x, y = np.zeros(len(nodes)), np.zeros(len(nodes))
    radius = np.array([math.sqrt(len(c)) for c in comms])
    centres = _place_discs(U, comms, community, index, radius, seed)
    rng = np.random.default_rng(seed)
    for k, c in enumerate(comms):
        members = sorted(c, key=str)
        pos = _disc_layout(U.subgraph(members), members, rng, iterations)
        at = [index[u] for u in members]
        x[at] = centres[k, 0] + pos[:, 0] * radius[k]
        y[at] = centres[k, 1] + pos[:, 1] * radius[k]
    _ring(x, y, community, centres, radius)
    return Layout(nodes, x, y, community)


def _place_discs(U: nx.Graph, comms: list, community: np.ndarray, index: dict, radius: np.ndarray,
                 seed: int) -> np.ndarray:
    """Disc centres: a force layout of the community graph, spread until discs do not overlap."""
    k = len(comms)
    if k == 0:
        return np.zeros((0, 2))
    C = nx.Graph()
    C.add_nodes_from(range(k))
    for u, v in U.edges():
        a, b = community[index[u]], community[index[v]]
        if a != b and a >= 0 and b >= 0:
            w = C.get_edge_data(a, b, {"weight": 0})["weight"]
            C.add_edge(a, b, weight=w + 1)
    rng = np.random.default_rng(seed)
    start = _sunflower(k)
    pos = force_layout(k, np.array([e[0] for e in C.edges()], dtype=np.int64),
                       np.array([e[1] for e in C.edges()], dtype=np.int64), rng, 80, start=start,
                       weight=np.array([math.log1p(d["weight"]) for *_, d in C.edges(data=True)]), mass=radius)
    pos -= pos.mean(0)
    pos /= np.percentile(np.sqrt((pos ** 2).sum(1)), 98) or 1.0
    return _separate(pos * math.sqrt((radius ** 2).sum()) * 1.3, radius)  # the discs' area, loosely packed


def _sunflower(n: int) -> np.ndarray:
    """``n`` points evenly over the unit disc (Vogel's spiral), the first in the middle."""
    i = np.arange(n) + 0.5
    r, a = np.sqrt(i / n), i * math.pi * (3 - math.sqrt(5))
    return np.stack([r * np.cos(a), r * np.sin(a)], axis=1)


def _separate(pos: np.ndarray, radius: np.ndarray, rounds: int = 60) -> np.ndarray:
    """Push overlapping discs apart (pairs among the largest 600; smaller ones move with them)."""
    pos = pos.copy()
    m = min(len(pos), 600)
    r = radius[:m] * 1.08
    for _ in range(rounds):
        d = pos[:m, None, :] - pos[None, :m, :]
        dist = np.sqrt((d ** 2).sum(-1)) + 1e-9
        overlap = np.clip(r[:, None] + r[None, :] - dist, 0, None)
        np.fill_diagonal(overlap, 0)
        if not overlap.any():
            break
        pos[:m] += (d / dist[..., None] * overlap[..., None]).sum(1) * 0.5
    return pos


def _disc_layout(S: nx.Graph, members: list, rng: np.random.Generator, iterations: int) -> np.ndarray:
    """Positions of one community's nodes within the unit disc."""
    n = len(members)
    if n == 1:
        return np.zeros((1, 2))
    at = {u: i for i, u in enumerate(members)}
    src = np.array([at[u] for u, _ in S.edges()], dtype=np.int64)
    dst = np.array([at[v] for _, v in S.edges()], dtype=np.int64)
    deg = np.bincount(np.concatenate([src, dst]), minlength=n).astype(float)
    order = np.argsort(-deg, kind="stable")
    start = np.empty((n, 2))
    start[order] = _sunflower(n)  # hubs in the middle
    pos = force_layout(n, src, dst, rng, iterations, start=start, mass=1 + deg)
    pos -= pos.mean(0)
    scale = np.percentile(np.sqrt((pos ** 2).sum(1)), 98) or 1.0
    pos /= scale
    norm = np.sqrt((pos ** 2).sum(1))
    far = norm > 1
    pos[far] /= norm[far, None]
    return pos


def force_layout(n: int, src: np.ndarray, dst: np.ndarray, rng: np.random.Generator, iterations: int,
                 start: np.ndarray | None = None, weight: np.ndarray | None = None,
                 mass: np.ndarray | None = None) -> np.ndarray:
    """A Fruchterman–Reingold style layout of ``n`` nodes and the edges ``src[i]–dst[i]``.

    Repulsion is exact for up to a few hundred nodes, and from the centres of
    mass of a ``_GRID``² grid above that, so a step costs O(n·grid²) rather than O(n²).
    """
    pos = start.copy() if start is not None else rng.uniform(-1, 1, (n, 2))
    pos += rng.normal(0, 1e-3, pos.shape)
    mass = np.ones(n) if mass is None else np.asarray(mass, float)
    w = np.ones(len(src)) if weight is None else weight
    k = math.sqrt(4.0 / max(n, 1))  # ideal distance in a disc of radius ~1
    temp = 0.1
    for _ in range(iterations):
        disp = _repulsion(pos, mass, k) if n <= _EXACT else _grid_repulsion(pos, mass, k)
        if len(src):
            d = pos[dst] - pos[src]
            dist = np.sqrt((d ** 2).sum(1)) + 1e-9
            f = (d * (dist * w / k)[:, None])
            np.add.at(disp, src, f)
            np.add.at(disp, dst, -f)
        disp -= pos * (0.05 * mass / k)[:, None]  # gravity keeps loose parts near the middle
        length = np.sqrt((disp ** 2).sum(1)) + 1e-9
        pos += disp / length[:, None] * np.minimum(length, temp)[:, None]
        temp *= 0.95
    return pos


def _repulsion(pos: np.ndarray, mass: np.ndarray, k: float) -> np.ndarray:
    d = pos[:, None, :] - pos[None, :, :]
    dist2 = (d ** 2).sum(-1) + 1e-9
    np.fill_diagonal(dist2, np.inf)
    return (d * (k * k * mass[None, :] / dist2)[..., None]).sum(1)


def _grid_repulsion(pos: np.ndarray, mass: np.ndarray, k: float) -> np.ndarray:
    """Repulsion through a grid: each cell's mass sits at its centre of mass; a node feels the
    other cells as its own cell does, and its own cell's mass from its centre (O(n + cells²))."""
    side = int(np.clip(math.sqrt(len(pos) / 4), 4, _GRID))  # ~4 nodes a cell, at most _GRID² cells
    lo, hi = pos.min(0), pos.max(0)
    cell = np.floor((pos - lo) / (hi - lo + 1e-9) * side).clip(0, side - 1).astype(np.int64)
    flat = cell[:, 0] * side + cell[:, 1]
    used, flat = np.unique(flat, return_inverse=True)
    m = np.bincount(flat, weights=mass)
    centre = np.stack([np.bincount(flat, weights=mass * pos[:, 0]), np.bincount(flat, weights=mass * pos[:, 1])],
                      axis=1) / m[:, None]
    d = centre[:, None, :] - centre[None, :, :]
    dist2 = (d ** 2).sum(-1) + k * k
    np.fill_diagonal(dist2, np.inf)
    between = (d * (k * k * m[None, :] / dist2)[..., None]).sum(1)
    own = pos - centre[flat]
    return between[flat] + own * (k * k * m[flat] / ((own ** 2).sum(1) + k * k))[:, None]


def _ring(x: np.ndarray, y: np.ndarray, community: np.ndarray, centres: np.ndarray, radius: np.ndarray) -> None:
    """Nodes without relationships on a ring around everything else."""
    lone = np.flatnonzero(community < 0)
    if not len(lone):
        return
    extent = float(np.max(np.sqrt((centres ** 2).sum(1)) + radius)) if len(centres) else 1.0
    a = np.arange(len(lone)) * (2 * math.pi / len(lone))
    r = extent * 1.1 + np.arange(len(lone)) % 5 * extent * 0.02
    x[lone], y[lone] = r * np.cos(a), r * np.sin(a)
