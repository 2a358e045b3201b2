"""Which part of the graph a view shows (``kg viz``): focus, types, community, top-N.

Views read the graph model only. Each selector returns (uids, note), where
the note says what was left out, so a reduced view never hides that it is one.
networkx is imported by the selectors that need it: an in-place update reads
:data:`MAX_FULL_VIEW` and :func:`top_note` and nothing else.
"""
from __future__ import annotations

__all__ = ["MAX_FULL_VIEW", "focus", "suggest", "by_type", "community", "top_n", "top_note", "default_view"]

#: above this many nodes the full view is reduced: vis-network's physics
#: stalls the page past ~1.5k nodes (seen with pyvis), and nobody reads more.
MAX_FULL_VIEW = 1500


def focus(kg, name: str, depth: int = 1) -> tuple[set[str], str]:
    uids = kg.find(name)
    if not uids:
        near = suggest(kg, name)
        raise KeyError(f"no node named {name!r} (names, aliases, titles and arXiv ids are searched)"
                       + (f"; did you mean: {', '.join(near)}?" if near else ""))
    import networkx as nx
    U = kg.g.to_undirected(as_view=True)
    keep: set[str] = set()
    for u in uids:
        keep |= set(nx.single_source_shortest_path_length(U, u, cutoff=depth))
    return keep, f"{len(keep)} nodes within {depth} hop(s) of {name!r} (of {kg.g.number_of_nodes()})"


def suggest(kg, name: str, n: int = 5) -> list[str]:
    """Names of the graph close to ``name`` (difflib's ratio), for a focus that matched nothing."""
    import difflib
    names = {p.get("name") or p.get("title") or "" for _, _, p in kg.nodes()} - {""}
    lower = {s.lower(): s for s in sorted(names)}
    return [lower[s] for s in difflib.get_close_matches(name.lower(), list(lower), n=n, cutoff=0.6)]


def by_type(kg, types: list[str]) -> tuple[set[str], str]:
    keep = {u for u, labels, _ in kg.nodes() if labels[0] in types}
    return keep, f"{len(keep)} nodes of type {', '.join(types)} (of {kg.g.number_of_nodes()})"


def community(kg, k: int) -> tuple[set[str], str]:
    from .analysis import communities
    comms = communities(kg.to_networkx())
    if not 0 <= k < len(comms):
        raise KeyError(f"community {k} does not exist (0…{len(comms) - 1})")
    return set(comms[k]), f"community {k}: {len(comms[k])} nodes (of {kg.g.number_of_nodes()}; {len(comms)} communities)"


def top_n(kg, n: int, within: set[str] | None = None) -> tuple[set[str], str]:
    """The ``n`` highest-degree nodes (of ``within``, when given: ``kg viz --type … --top N``)."""
    pool = kg.g.nodes if within is None else within
    ranked = sorted(pool, key=lambda u: (-kg.g.degree(u), u))
    keep = set(ranked[:n])
    return keep, top_note(len(keep), len(pool))


def top_note(kept: int, total: int) -> str:
    """What a top-degree view says it left out ("" when nothing was)."""
    left = total - kept
    return (f"top {kept} nodes by degree; {left} lower-degree nodes left out "
            f"(use kg viz --focus/--type/--community to see them)") if left else ""


def default_view(kg) -> tuple[set[str], str]:
    """The whole graph, or its top-degree part past :data:`MAX_FULL_VIEW` nodes."""
    if kg.g.number_of_nodes() <= MAX_FULL_VIEW:
        return set(kg.g.nodes), ""
    return top_n(kg, MAX_FULL_VIEW)
