"""Extraction quality on every dev source, in-sample and leave-one-source-out.

For each source S of ``../shared/gold/MANIFEST.tsv`` (the ``source`` column):

* in-sample: S built with the shipped mention model, scored against S's gold;
* leave-one-source-out (LOSO): the model trained without S (``kg.train``'s
  rows of the other sources), S built with it and scored.

Prints one row per source (papers, entity P/R/F1, relation P/R/F1), the macro
average, the precision of relationships kept at ``--min-confidence`` 0.5 / 0.7
/ 0.9 (pooled over the LOSO builds), and with ``--compare`` the candidate-level
LOSO accuracy of logistic regression against gradient boosting.

    python benchmarks/quality.py [--shared ../shared] [--compare] [--no-loso]
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from kg.train import fit, load_sources, matrix, rows_by_source, write  # noqa: E402

THRESHOLDS = (0.5, 0.7, 0.9)


def build_and_score(shared: Path, texts, golds, model: str, work: Path) -> tuple[dict, dict]:
    """Build ``texts`` with the weights ``model`` into ``work``; the scorer's JSON, and the graph."""
    env = dict(os.environ, KG_MENTION_MODEL=model)
    code = ("import sys; from kg.build import build; kg = build(sys.argv[2:], jobs=1); "
            "kg.write_jsonl(sys.argv[1])")
    out = work / "graph.jsonl"
    subprocess.run([sys.executable, "-c", code, str(out), *map(str, texts)], env=env, check=True, cwd=ROOT,
                   capture_output=True)
    return score(shared, out, golds), out


def score(shared: Path, graph: Path, golds) -> dict:
    r = subprocess.run([sys.executable, str(shared / "tools" / "score.py"), str(graph), *map(str, golds), "--json"],
                       capture_output=True, text=True, check=True)
    return json.loads(r.stdout)


def above(graph: Path, t: float, dest: Path) -> Path:
    """A copy of ``graph`` without the relationships whose confidence is below ``t``."""
    with open(graph, encoding="utf-8") as src, open(dest, "w", encoding="utf-8") as out:
        for line in src:
            el = json.loads(line)
            if el["type"] == "relationship" and el["properties"].get("confidence", 1.0) < t:
                continue
            out.write(line)
    return dest


def row(name: str, j: dict) -> str:
    e, r = j["entity_strict"], j["relation_all"]
    return (f"| {name} | {j['papers_found']}/{j['papers_gold']} | {e['precision']:.3f} | {e['recall']:.3f} | "
            f"{e['f1']:.3f} | {r['precision']:.3f} | {r['recall']:.3f} | {r['f1']:.3f} |")


def macro(js: list[dict]) -> str:
    m = lambda part, k: sum(j[part][k] for j in js) / len(js)  # noqa: E731
    return (f"| macro | | {m('entity_strict', 'precision'):.3f} | {m('entity_strict', 'recall'):.3f} | "
            f"{m('entity_strict', 'f1'):.3f} | {m('relation_all', 'precision'):.3f} | "
            f"{m('relation_all', 'recall'):.3f} | {m('relation_all', 'f1'):.3f} |")


HEADER = "| source | papers | entity P | entity R | entity F1 | relation P | relation R | relation F1 |\n" \
         "|---|---|---|---|---|---|---|---|"


def compare(rows_by: dict) -> None:
    """Candidate-level LOSO: accuracy of the entity/type decision, LR vs gradient boosting."""
    import numpy as np
    from sklearn.ensemble import HistGradientBoostingClassifier
    from sklearn.linear_model import LogisticRegression
    from sklearn.preprocessing import StandardScaler
    models = {"logistic regression": lambda: LogisticRegression(C=1.0, max_iter=5000, tol=1e-8),
              "gradient boosting": lambda: HistGradientBoostingClassifier(max_iter=200, learning_rate=0.05,
                                                                          random_state=0)}
    print("\ncandidate-level LOSO (entity-or-not and type), accuracy / entity F1:")
    print("| model | " + " | ".join(s.split("/")[0] for s in rows_by) + " | macro |")
    print("|---|" + "---|" * (len(rows_by) + 1))
    for name, make in models.items():
        cells, f1s = [], []
        for s in rows_by:
            train = [r for t, rs in rows_by.items() if t != s for r in rs]
            X, y = matrix(train)
            Xt, yt = matrix(rows_by[s])
            sc = StandardScaler().fit(X)
            p = make().fit(sc.transform(X), y).predict(sc.transform(Xt))
            acc = float(np.mean(p == yt))
            tp = int(np.sum((p == yt) & (yt > 0)))
            fp = int(np.sum((p > 0) & (p != yt)))
            fn = int(np.sum((yt > 0) & (p != yt)))
            f1 = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
            cells.append(f"{acc:.2f} / {f1:.2f}")
            f1s.append(f1)
        print(f"| {name} | " + " | ".join(cells) + f" | {sum(f1s) / len(f1s):.3f} |")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--shared", default=os.environ.get("KG_SHARED", str(ROOT.parent / "shared")))
    ap.add_argument("--no-loso", action="store_true", help="in-sample only")
    ap.add_argument("--compare", action="store_true", help="also compare LR with gradient boosting")
    ap.add_argument("-C", type=float, default=None, help="LOSO models' inverse regularisation (default: kg.train's)")
    args = ap.parse_args()
    shared = Path(args.shared)
    sources = load_sources(shared)
    rows_by = rows_by_source(shared)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        ins, loso, graphs = [], [], []
        print("in-sample (shipped weights)\n" + HEADER)
        for s, (texts, golds) in sources.items():
            d = work / ("in-" + s.replace("/", "+"))
            d.mkdir()
            j, _ = build_and_score(shared, texts, golds, str(ROOT / "kg" / "models" / "mentions.json"), d)
            ins.append(j)
            print(row(s.split("/")[0], j), flush=True)
        print(macro(ins))
        if not args.no_loso:
            print("\nleave-one-source-out\n" + HEADER)
            for s, (texts, golds) in sources.items():
                d = work / ("loso-" + s.replace("/", "+"))
                d.mkdir()
                weights = work / f"{d.name}.json"
                train = [r for t, rs in rows_by.items() if t != s for r in rs]
                write(fit(train) if args.C is None else fit(train, c=args.C), weights)
                j, g = build_and_score(shared, texts, golds, str(weights), d)
                loso.append(j)
                graphs.append((g, golds))
                print(row(s.split("/")[0], j), flush=True)
            print(macro(loso))
            print("\nrelationships kept at --min-confidence t (LOSO builds, pooled):")
            print("| t | kept | precision | recall |\n|---|---|---|---|")
            for t in (0.0, *THRESHOLDS):
                tp = fp = fn = 0
                for g, golds in graphs:
                    r = score(shared, above(g, t, g.with_name(f"above{t}.jsonl")), golds)["relation_all"]
                    tp, fp, fn = tp + r["tp"], fp + r["fp"], fn + r["fn"]
                p = tp / (tp + fp) if tp + fp else 0.0
                print(f"| {t} | {tp + fp} | {p:.3f} | {tp / (tp + fn):.3f} |")
        if args.compare:
            compare(rows_by)
    return 0


if __name__ == "__main__":
    sys.exit(main())
