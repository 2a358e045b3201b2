"""A synthetic KnowledgeGraph of realistic shape, for loader/query benchmarks."""
from __future__ import annotations

import random

from kg.graph import KnowledgeGraph
from kg.model import Entity, Evidence, PaperRecord, Relation


def synthetic_graph(papers: int, seed: int = 3) -> KnowledgeGraph:
    rnd = random.Random(seed)
    recs = [PaperRecord(f"25{(i % 12) + 1:02d}.{i:05d}", f"Synthetic paper {i}", "", f"day{i % 30}.md", i, i + 5,
                        "synthetic", review_date=f"2025-{(i % 12) + 1:02d}-{(i % 28) + 1:02d}") for i in range(papers)]
    ents: dict[str, Entity] = {}
    n_m, n_b = max(10, papers // 2), max(5, papers // 40)
    for i in range(n_m):
        ents[f"method:m{i}"] = Entity(f"method:m{i}", "Method", f"Method-{i}", {f"M{i}"}, set(), set())
    for i in range(n_b):
        ents[f"benchmark:b{i}"] = Entity(f"benchmark:b{i}", "Benchmark", f"Bench-{i}", set(), set(), set())
    rels = []
    for i, r in enumerate(recs):
        ev = Evidence(f"Method-{i % n_m}는 Bench 에서 Method-{(i * 7) % n_m}를 능가했다 ({i}).", r.source, i, r.arxiv_id)
        own = f"method:m{i % n_m}"
        ents[own].papers.add(r.arxiv_id)
        rels.append((own, "proposedBy", f"paper:{r.arxiv_id}", Relation("", "proposedBy", "", r.arxiv_id, 0.9, ev)))
        for b in {rnd.randrange(n_b) for _ in range(2)}:
            ents[f"benchmark:b{b}"].papers.add(r.arxiv_id)
            rels.append((f"paper:{r.arxiv_id}", "evaluatedOn", f"benchmark:b{b}",
                         Relation("", "evaluatedOn", "", r.arxiv_id, 0.8, ev)))
        other = f"method:m{(i * 7 + 1) % n_m}"
        ents[other].papers.add(r.arxiv_id)
        rels.append((own, "improvesOn", other, Relation("", "improvesOn", "", r.arxiv_id, 0.7, ev)))
    kg = KnowledgeGraph()
    kg.add_papers(recs)
    kg.add_entities({k: e for k, e in ents.items() if e.papers})
    kg.add_relations([r for r in rels if r[0] in kg.g and r[2] in kg.g])
    return kg
