"""Graph analysis over the build's networkx view (flat functions, networkx style).

Every function takes the :class:`networkx.MultiDiGraph` returned by
``KnowledgeGraph.to_networkx()`` (node attribute ``label`` is the type) and
returns plain rows, so results print as tables and load into pandas.

Examples
--------
>>> import kg, kg.analysis as ka
>>> G = kg.build(["examples"]).to_networkx()            # doctest: +SKIP
>>> ka.most_evaluated_benchmarks(G, 3)                   # doctest: +SKIP
[('GSM8K', 2), ('MATH500', 2), ('GenEval', 1)]
"""
from __future__ import annotations

import re
from collections import Counter, defaultdict

import networkx as nx

__all__ = ["centrality_by_type", "communities", "most_evaluated_benchmarks", "most_active_organizations",
           "improves_on_graph", "improves_on_lineage", "timeline", "summary_tables", "plot_timeline",
           "plot_top_benchmarks", "leaderboard", "most_scored_benchmarks", "plot_sota", "monthly", "plot_centrality",
           "plot_communities", "plot_lineage", "PLOTS", "write_plots"]


def _name(G: nx.MultiDiGraph, n: str) -> str:
    d = G.nodes[n]
    return d.get("name") or d.get("title") or n


def centrality_by_type(G: nx.MultiDiGraph, top: int = 5) -> dict[str, list[tuple[str, int, float]]]:
    """Per entity type, the top nodes by degree with their PageRank."""
    simple = nx.DiGraph(G)
    pr = nx.pagerank(simple) if simple.number_of_nodes() else {}
    out: dict[str, list] = defaultdict(list)
    for n, d in sorted(G.nodes(data=True), key=lambda x: (-G.degree(x[0]), x[0])):
        rows = out[d["label"]]
        if len(rows) < top:
            rows.append((_name(G, n), G.degree(n), round(pr.get(n, 0.0), 4)))
    return dict(sorted(out.items()))


def communities(G: nx.MultiDiGraph, seed: int = 0) -> list[list[str]]:
    """Louvain communities of the undirected graph, largest first (uids)."""
    U = nx.Graph(G.to_undirected())
    if not U.number_of_edges():
        return [[n] for n in sorted(U)]
    comms = nx.community.louvain_communities(U, seed=seed)
    return sorted((sorted(c) for c in comms), key=lambda c: (-len(c), c[0]))


def most_evaluated_benchmarks(G: nx.MultiDiGraph, top: int = 10) -> list[tuple[str, int]]:
    """Benchmarks and datasets by number of papers evaluated on them."""
    c: Counter = Counter()
    for h, t, d in G.edges(data=True):
        if d["label"] == "EVALUATED_ON":
            c[_name(G, t)] += len(d.get("papers") or [h])
    return sorted(c.items(), key=lambda x: (-x[1], x[0]))[:top]


def most_active_organizations(G: nx.MultiDiGraph, top: int = 10) -> list[tuple[str, int]]:
    """Organisations by number of papers (Paper -PROPOSED_BY-> Organization)."""
    c: Counter = Counter()
    for h, t, d in G.edges(data=True):
        if d["label"] == "PROPOSED_BY" and G.nodes[t]["label"] == "Organization":
            c[_name(G, t)] += 1
    return sorted(c.items(), key=lambda x: (-x[1], x[0]))[:top]


def improves_on_graph(G: nx.MultiDiGraph) -> nx.DiGraph:
    """Method → Method edges of IMPROVES_ON (a paper head stands for its own methods)."""
    D = nx.DiGraph()
    for h, t, d in G.edges(data=True):
        if d["label"] != "IMPROVES_ON":
            continue
        heads = [h]
        if G.nodes[h]["label"] == "Paper":  # the paper's proposed methods, if any
            heads = [m for m, _, e in G.in_edges(h, data=True)
                     if e["label"] == "PROPOSED_BY" and G.nodes[m]["label"] == "Method"] or [h]
        for x in heads:
            if x != t:
                D.add_edge(x, t, confidence=d.get("confidence"), papers=d.get("papers"))
    return D


def improves_on_lineage(G: nx.MultiDiGraph, top: int = 5) -> dict:
    """Chains of methods beating methods.

    Returns ``{"longest": [[names…]…], "cycles": [[names…]…], "edges": n}``;
    chains are longest simple paths in the improves-on graph (computed on its
    condensation, so cycles — A beats B beats A in different reviews — are
    reported, not looped on)."""
    D = improves_on_graph(G)
    cycles = [[_name(G, n) for n in c] for c in nx.simple_cycles(D) if len(c) > 1][:top]
    C = nx.condensation(D)
    members = C.graph["mapping"]
    rep = {}
    for n, cid in members.items():
        rep.setdefault(cid, n)
    # longest path ending at each node of the DAG
    best: dict[int, list[int]] = {}
    for cid in nx.topological_sort(C):
        preds = [best[p] for p in C.predecessors(cid)]
        best[cid] = (max(preds, key=len) if preds else []) + [cid]
    chains = sorted(best.values(), key=lambda p: (-len(p), [rep[c] for c in p]))
    seen, longest = set(), []
    for p in chains:
        if len(p) < 2 or p[-1] in seen:
            continue
        seen.add(p[-1])
        longest.append([_name(G, rep[c]) for c in p])
        if len(longest) == top:
            break
    return {"longest": longest, "cycles": cycles, "edges": D.number_of_edges()}


def timeline(G: nx.MultiDiGraph) -> list[tuple[str, int, int, int]]:
    """(review date, papers, methods, benchmarks) per date: what was reviewed when."""
    papers_by_date: dict[str, set] = defaultdict(set)
    for n, d in G.nodes(data=True):
        if d["label"] == "Paper":
            for date in d.get("review_dates") or []:
                papers_by_date[date].add(d["arxiv_id"])
    ents_by_paper: dict[str, set] = defaultdict(set)
    for n, d in G.nodes(data=True):
        if d["label"] in ("Method", "Benchmark"):
            for p in d.get("papers") or []:
                ents_by_paper[p].add((d["label"], n))
    rows = []
    for date in sorted(papers_by_date):
        ents = set().union(*(ents_by_paper[p] for p in papers_by_date[date]))
        rows.append((date, len(papers_by_date[date]), sum(1 for t, _ in ents if t == "Method"),
                     sum(1 for t, _ in ents if t == "Benchmark")))
    return rows


def summary_tables(G: nx.MultiDiGraph, top: int = 10) -> dict:
    """Everything ``kg stats`` prints, as one dict."""
    comms = communities(G)
    return {
        "nodes": G.number_of_nodes(), "edges": G.number_of_edges(),
        "centrality": centrality_by_type(G, 5),
        "communities": [(len(c), [_name(G, n) for n in c[:6]]) for c in comms[:top]],
        "top_benchmarks": most_evaluated_benchmarks(G, top),
        "top_organizations": most_active_organizations(G, top),
        "lineage": improves_on_lineage(G),
        "timeline": timeline(G),
    }


def _pyplot():
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    return plt


def monthly(G: nx.MultiDiGraph) -> list[tuple[str, int, int, int]]:
    """:func:`timeline` summed per month (``YYYY-MM``): a few years of daily digests are
    hundreds of dates, too many to label or read one by one."""
    by_month: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for date, *counts in timeline(G):
        row = by_month[date[:7]]
        for i, c in enumerate(counts):
            row[i] += c
    return [(m, *by_month[m]) for m in sorted(by_month)]


def plot_timeline(G: nx.MultiDiGraph, path: str) -> None:
    """Papers, methods and benchmarks reviewed per month, on a date axis."""
    from datetime import date
    plt = _pyplot()
    rows = [r for r in monthly(G) if re.fullmatch(r"\d{4}-\d{2}", r[0])]
    fig, ax = plt.subplots(figsize=(9, 3.5))
    if rows:
        x = [date(int(r[0][:4]), int(r[0][5:7]), 1) for r in rows]
        width = 20 if len(rows) > 1 else 10
        ax.bar(x, [r[1] for r in rows], width=width, color="#4e79a7", label="papers")
        ax.plot(x, [r[2] for r in rows], marker="o", color="#f28e2b", label="methods")
        ax.plot(x, [r[3] for r in rows], marker="o", color="#59a14f", label="benchmarks")
        ax.legend()
        fig.autofmt_xdate()
    ax.set_title("reviewed per month")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def plot_centrality(G: nx.MultiDiGraph, path: str, top: int = 8) -> None:
    """Per entity type, its most central nodes by PageRank (one panel per type)."""
    plt = _pyplot()
    rows = {t: r for t, r in centrality_by_type(G, top).items() if t not in ("Paper", "Result")}
    fig, axes = plt.subplots(1, max(len(rows), 1), figsize=(4 * max(len(rows), 1), 3.5), squeeze=False)
    for ax, (t, r) in zip(axes[0], rows.items()):
        r = sorted(r, key=lambda x: x[2])
        ax.barh([_short(n) for n, _, _ in r], [pr for _, _, pr in r], color="#76b7b2")
        ax.set_title(f"{t}: PageRank")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def plot_communities(G: nx.MultiDiGraph, path: str, top: int = 12) -> None:
    """The largest communities, by size, each named by its three highest-degree members."""
    plt = _pyplot()
    comms = [c for c in communities(G) if len(c) > 1][:top][::-1]
    fig, ax = plt.subplots(figsize=(9, 0.4 * max(len(comms), 3) + 1))
    names = [", ".join(_short(_name(G, n), 18) for n in sorted(c, key=lambda n: -G.degree(n))[:3]) for c in comms]
    ax.barh(names, [len(c) for c in comms], color="#b07aa1")
    ax.set_xlabel("nodes")
    ax.set_title("largest communities (Louvain)")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def plot_lineage(G: nx.MultiDiGraph, path: str, chains: int = 6) -> None:
    """The longest improves-on chains (method → the method it beats), drawn as a graph."""
    plt = _pyplot()
    D = improves_on_graph(G)
    keep: set[str] = set()
    for chain in improves_on_lineage(G, chains)["longest"]:
        keep |= {n for n in D if _name(G, n) in chain}
    S = D.subgraph(keep)
    fig, ax = plt.subplots(figsize=(9, 6))
    if S.number_of_nodes():
        pos = nx.spring_layout(S, seed=0)
        nx.draw_networkx(S, pos, ax=ax, labels={n: _short(_name(G, n), 20) for n in S}, node_color="#f28e2b",
                         node_size=300, font_size=8, arrows=True, edge_color="#999999")
    ax.set_title("improves-on lineage: the longest chains")
    ax.set_axis_off()
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def _short(s: str, n: int = 28) -> str:
    return s if len(s) <= n else s[:n - 1] + "…"


def plot_top_benchmarks(G: nx.MultiDiGraph, path: str, top: int = 15) -> None:
    """The benchmarks most papers evaluate on."""
    plt = _pyplot()
    rows = most_evaluated_benchmarks(G, top)[::-1]
    fig, ax = plt.subplots(figsize=(7, 0.35 * max(len(rows), 3) + 1))
    ax.barh([r[0] for r in rows], [r[1] for r in rows], color="#59a14f")
    ax.set_xlabel("papers evaluated on it")
    ax.set_title("most-evaluated benchmarks")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def leaderboard(G: nx.MultiDiGraph, benchmark: str, metric: str | None = None) -> list[dict]:
    """The scores the reviews report on ``benchmark`` (its name or an alias, any case), best first.

    Each row: ``method`` (the method named, else the paper's own method, else the paper's
    title), ``value``, ``unit``, ``metric``, ``paper``, ``date`` (first review), ``evidence``
    and ``disagrees``: True when papers report different values for the same method and unit
    (a re-run, another setting, or an extraction error: look at the evidence).
    Rows are ranked by the metric's direction (:data:`kg.pipeline.numbers.METRIC_DIRECTION`:
    higher-is-better for accuracy, lower for FID or WER); with no known direction they are
    listed by date, unranked (``rank`` None).

    Examples
    --------
    >>> rows = leaderboard(kg.build(["examples"]).to_networkx(), "Harbor-Bench")   # doctest: +SKIP
    >>> [(r["rank"], r["method"], r["value"], r["unit"]) for r in rows]              # doctest: +SKIP
    [(None, 'GPT-4o', 31.0, '%')]
    """
    from .pipeline.numbers import metric_direction
    want = benchmark.strip().lower()
    benches = [n for n, d in G.nodes(data=True) if d.get("label") in ("Benchmark", "Dataset") and want in
               {s.lower() for s in (d.get("name") or "", *(d.get("aliases") or []))}]
    rows = []
    for b in benches:
        for r, _, key in G.in_edges(b, keys=True):
            d = G.nodes[r]
            if key != "MEASURED_ON" or metric and (d.get("metric") or "").lower() != metric.lower():
                continue
            paper = next((p for p, _, k in G.in_edges(r, keys=True) if k == "REPORTS"), None)
            rows.append({"method": _score_holder(G, r, paper), "value": d["value"], "unit": d.get("unit"),
                         "metric": d.get("metric"), "benchmark": G.nodes[b].get("name"),
                         "paper": G.nodes[paper].get("arxiv_id") if paper else None,
                         "date": G.nodes[paper].get("first_reviewed") if paper else None,
                         "evidence": (d.get("evidence") or [""])[0]})
    values: dict[tuple, set] = defaultdict(set)  # metric names vary by language ("accuracy", "정확도"): not keyed
    for row in rows:
        values[(row["method"], row["unit"])].add((row["value"], row["paper"]))
    for row in rows:
        seen = values[(row["method"], row["unit"])]
        row["disagrees"] = len({v for v, _ in seen}) > 1 and len({p for _, p in seen}) > 1
    metrics = Counter(row["metric"] for row in rows if row["metric"])
    direction = metric_direction(metric or (metrics.most_common(1)[0][0] if metrics else None))
    if direction is None:
        rows.sort(key=lambda x: (x["date"] or "", x["paper"] or "", x["method"]))
        return [{"rank": None, **row} for row in rows]
    rows.sort(key=lambda x: (-x["value"] if direction == "higher" else x["value"], x["date"] or "", x["method"]))
    return [{"rank": i, **row} for i, row in enumerate(rows, 1)]


def _score_holder(G: nx.MultiDiGraph, result: str, paper: str | None) -> str:
    """Whose score a Result is: the Method that achieves it, else the name the review gave,
    else the paper's own Method, else the paper's title."""
    for m, _, k in G.in_edges(result, keys=True):
        if k == "ACHIEVES":
            return _name(G, m)
    if G.nodes[result].get("method"):  # named, but not a Method node of the build
        return G.nodes[result]["method"]
    if paper is None:
        return "?"
    own = sorted(_name(G, m) for m, _, k in G.in_edges(paper, keys=True)
                 if k == "PROPOSED_BY" and G.nodes[m].get("label") == "Method")
    return own[0] if own else G.nodes[paper].get("title") or paper


def most_scored_benchmarks(G: nx.MultiDiGraph, top: int = 10) -> list[tuple[str, int]]:
    """Benchmarks and datasets by how many reported scores they have."""
    c = Counter(_name(G, b) for _, b, k in G.edges(keys=True) if k == "MEASURED_ON")
    return sorted(c.items(), key=lambda x: (-x[1], x[0]))[:top]


def plot_sota(G: nx.MultiDiGraph, benchmark: str, path: str, metric: str | None = None) -> None:
    """The reported scores on ``benchmark`` by review date, and the best so far (state of the
    art over time) when the metric's direction is known."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    rows = sorted((r for r in leaderboard(G, benchmark, metric) if r["date"]), key=lambda r: r["date"])
    fig, ax = plt.subplots(figsize=(8, 3.5))
    if rows:
        ax.scatter([r["date"] for r in rows], [r["value"] for r in rows], color="#edc948", label="reported")
        if rows[0]["rank"] is not None:  # a known direction: the best so far
            better = min if _lower_is_better(rows) else max
            best, line = None, []
            for r in rows:
                best = r["value"] if best is None else better(best, r["value"])
                line.append(best)
            ax.step([r["date"] for r in rows], line, where="post", color="#e15759", label="best so far")
        ax.legend()
        ax.tick_params(axis="x", rotation=45)
    ax.set_title(f"scores reported on {benchmark}")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def _lower_is_better(rows: list[dict]) -> bool:
    ranked = sorted(rows, key=lambda r: r["rank"])
    return ranked[0]["value"] < ranked[-1]["value"]


#: what ``kg stats --plots`` writes: file name → plotting function
PLOTS = {"timeline.png": plot_timeline, "top_benchmarks.png": plot_top_benchmarks, "centrality.png": plot_centrality,
         "communities.png": plot_communities, "lineage.png": plot_lineage}


def write_plots(G: nx.MultiDiGraph, folder: str) -> list[str]:
    """Every plot of :data:`PLOTS` into ``folder``; returns the paths written."""
    import os
    os.makedirs(folder, exist_ok=True)
    out = []
    for name, fn in PLOTS.items():
        path = os.path.join(folder, name)
        fn(G, path)
        out.append(path)
    return out
