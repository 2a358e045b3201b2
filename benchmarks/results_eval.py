"""Results F1 of the first result extractor (kg.pipeline.results) per dev source, with the official scorer.

    python benchmarks/results_eval.py [--shared ../shared]

For each source this builds the graph and runs ``tools/score.py`` on its
graph.jsonl, whose ``Result`` nodes are the build's results (found at
extraction, :mod:`kg.pipeline.results`); it prints precision and recall beside
F1, which ``tools/dev_report.py`` does not. Sources without gold results show 0.
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT))

from quality import load_sources, score  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--shared", default=os.environ.get("KG_SHARED", str(ROOT.parent / "shared")))
    args = ap.parse_args()
    shared = Path(args.shared)
    print("| source | found | results P | results R | results F1 |\n|---|---|---|---|---|")
    tp = fp = fn = 0
    with tempfile.TemporaryDirectory() as tmp:
        for s, (texts, golds) in load_sources(shared).items():
            import kg
            g = kg.build([str(t) for t in texts])
            nodes = list(g.nodes("Result"))
            path = Path(tmp) / (s.replace("/", "+") + ".jsonl")
            g.write_jsonl(str(path))
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
