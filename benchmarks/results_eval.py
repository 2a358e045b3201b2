"""Results F1 of the first result extractor (kg.pipeline.results) per dev source, with the official scorer.

    python benchmarks/results_eval.py [--shared ../shared]

The results are not in the graph yet (issue 23). So for each source this builds
the graph, takes each record's results (found at extraction), resolves their
names within the paper, and appends them as ``Result`` nodes (the properties the
scorer reads) to a copy of graph.jsonl. Then it runs ``tools/score.py``.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT))

from quality import load_sources, score  # noqa: E402


def result_nodes(texts) -> list[dict]:
    """The build's results (found at extraction) as the scorer's Result nodes: each name
    resolved within its paper to the node it names, written as that node's name."""
    import kg
    g = kg.build([str(t) for t in texts], keep_state=True)
    _, results, _, resolution = g.build_inputs
    name = {uid: p.get("name") for uid, _, p in g.nodes()}
    out = []
    for x in (x for r in results for x in r.extractions):
        aid = x.record.arxiv_id
        lookup = resolution.paper_lookup.get(aid, {})
        for r in x.results:
            method = None if r.method == "@paper" else name.get(lookup.get(r.method), r.method)
            out.append({"type": "node", "id": f"result:{aid}:{len(out)}", "labels": ["Result"],
                        "properties": {"papers": [aid], "benchmark": name.get(lookup.get(r.benchmark), r.benchmark),
                                       "method": method, "value": r.value, "metric": r.metric, "unit": r.unit}})
    return out, g


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--shared", default=os.environ.get("KG_SHARED", str(ROOT.parent / "shared")))
    args = ap.parse_args()
    shared = Path(args.shared)
    print("| source | found | results P | results R | results F1 |\n|---|---|---|---|---|")
    tp = fp = fn = 0
    with tempfile.TemporaryDirectory() as tmp:
        for s, (texts, golds) in load_sources(shared).items():
            nodes, g = result_nodes(texts)
            path = Path(tmp) / (s.replace("/", "+") + ".jsonl")
            g.write_jsonl(str(path))
            with open(path, "a", encoding="utf-8") as fh:
                fh.writelines(json.dumps(n, ensure_ascii=False) + "\n" for n in nodes)
            r = score(shared, path, golds).get("results") or {}
            tp, fp, fn = tp + r.get("tp", 0), fp + r.get("fp", 0), fn + r.get("fn", 0)
            print(f"| {s.split('/')[0]} | {len(nodes)} | {r.get('precision', 0):.3f} | {r.get('recall', 0):.3f} | "
                  f"{r.get('f1', 0):.3f} |", flush=True)
    p = tp / (tp + fp) if tp + fp else 0.0
    rc = tp / (tp + fn) if tp + fn else 0.0
    print(f"| pooled | | {p:.3f} | {rc:.3f} | {2 * p * rc / (p + rc) if p + rc else 0:.3f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
