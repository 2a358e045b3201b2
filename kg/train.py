"""Train the mention model (:mod:`kg.mention_model`) on the dev gold.

``python -m kg.train`` reads ``../shared/gold/MANIFEST.tsv`` (or ``--shared``),
reads every source's texts with kg's own readers, lets the rules propose their
candidates (:func:`kg.extract.iter_candidates`) and labels each one with the
gold entity of its paper that shares a name (ANNOTATION.md's comparison: case,
spaces and ``-_.'`` ignored), ``O`` when none does. Candidates that match an
optional gold entity, and papers without gold, are left out. The labels are
the only use of the gold: the features never see a name.

The fit is deterministic (lbfgs, fixed data order), so the same data give the
same weights; ``--exclude SOURCE`` leaves sources out (leave-one-source-out).

    python -m kg.train                       # writes kg/models/mentions.json
    python -m kg.train --exclude k1101jh/paper-review --out /tmp/no-k1101jh.json
"""
from __future__ import annotations

import argparse
import contextlib
import csv
import json
import os
import sys
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

from .mention_model import CLASSES, FEATURES, MODEL_ENV, MODEL_PATH

__all__ = ["Row", "load_sources", "training_rows", "rows_by_source", "all_rows", "rules_only", "fit", "main"]

ENTITY_TYPES = ("Method", "Benchmark", "Dataset")


@dataclass
class Row:
    source: str
    paper: str
    text: str
    x: dict
    label: str


def gold_norm(name: str) -> str:
    """ANNOTATION.md's name comparison (the scorer's)."""
    s = unicodedata.normalize("NFKC", str(name)).lower()
    for ch in " \t\n-_.'’‘`\"·":
        s = s.replace(ch, "")
    return s


def load_sources(shared: Path) -> dict[str, tuple[list[Path], list[Path]]]:
    """source → (text paths, gold files), from the manifest."""
    out: dict[str, tuple[list[Path], list[Path]]] = {}
    with open(shared / "gold" / "MANIFEST.tsv", encoding="utf-8") as fh:
        for r in csv.DictReader(fh, delimiter="\t"):
            texts, golds = out.setdefault(r["source"], ([], []))
            t = shared / r["texts"]
            if t not in texts:
                texts.append(t)
            golds.append(shared / "gold" / r["gold"])
    return out


def _gold_entities(golds: list[Path]) -> dict[str, list[tuple[set, str, str]]]:
    by_paper: dict[str, list[tuple[set, str, str]]] = defaultdict(list)
    for g in golds:
        with open(g, encoding="utf-8") as fh:
            for line in fh:
                if line.strip():
                    rec = json.loads(line)
                    for e in rec.get("entities", []):
                        names = {gold_norm(e["name"])} | {gold_norm(a) for a in e.get("aliases", [])}
                        by_paper[rec["paper"]].append((names, e["type"], e.get("status", "required")))
    return by_paper


def _label(names: set, gold: list[tuple[set, str, str]]) -> str | None:
    hits = [(t, st) for gn, t, st in gold if names & gn]
    for t, st in hits:
        if st == "required" and t in ENTITY_TYPES:
            return t
    return None if hits else "O"  # optional, or an organisation: neither taught nor counted


def training_rows(source: str, texts: list[Path], golds: list[Path]) -> list[Row]:
    """Every labelled candidate of one source, in a fixed order."""
    from .build import collect_files
    from .extract import iter_candidates
    from .readers import read_document
    gold = _gold_entities(golds)
    rows: list[Row] = []
    for path in collect_files([str(t) for t in texts]):
        doc = read_document(path)
        for rec, key, a, x in iter_candidates(doc.records):
            if rec.arxiv_id not in gold:
                continue
            label = _label({gold_norm(a.text)} | {gold_norm(al) for al in a.aliases}, gold[rec.arxiv_id])
            if label is not None:
                rows.append(Row(source, rec.arxiv_id, a.text, x, label))
    return rows


def matrix(rows: list[Row]):
    import numpy as np
    index = {f: i for i, f in enumerate(FEATURES)}
    X = np.zeros((len(rows), len(FEATURES)))
    for r, row in enumerate(rows):
        for k, v in row.x.items():
            X[r, index[k]] = v
    y = np.array([CLASSES.index(row.label) for row in rows])
    return X, y


def fit(rows: list[Row], c: float = 1.0, threshold: float = 0.5) -> dict:
    """Standardise, fit a multinomial logistic regression, return the weights as JSON data."""
    import numpy as np
    from sklearn.linear_model import LogisticRegression
    X, y = matrix(rows)
    mean = X.mean(axis=0)
    scale = X.std(axis=0)
    scale[scale == 0] = 1.0
    clf = LogisticRegression(C=c, max_iter=5000, tol=1e-8)
    clf.fit((X - mean) / scale, y)
    coef = np.zeros((len(CLASSES), X.shape[1]))
    intercept = np.zeros(len(CLASSES))
    coef[clf.classes_] = clf.coef_
    intercept[clf.classes_] = clf.intercept_
    missing = [i for i in range(len(CLASSES)) if i not in set(clf.classes_)]
    intercept[missing] = -30.0  # a class the data never shows is never predicted
    r6 = lambda v: [round(float(t), 6) for t in v]  # noqa: E731
    return {"version": 1, "classes": list(CLASSES), "features": list(FEATURES), "mean": r6(mean),
            "scale": r6(scale), "coef": [r6(row) for row in coef], "intercept": r6(intercept),
            "threshold": threshold, "C": c,
            "trained_on": dict(sorted(Counter(r.source for r in rows).items())),
            "labels": dict(sorted(Counter(r.label for r in rows).items()))}


@contextlib.contextmanager
def rules_only():
    """Candidates as the rules alone propose them: the mention model steps aside."""
    before = os.environ.get(MODEL_ENV)
    os.environ[MODEL_ENV] = "none"
    try:
        yield
    finally:
        if before is None:
            os.environ.pop(MODEL_ENV)
        else:
            os.environ[MODEL_ENV] = before


def rows_by_source(shared: Path, exclude: tuple[str, ...] = ()) -> dict[str, list[Row]]:
    """Every source's labelled candidates, leaving out sources named (or prefixed) in ``exclude``."""
    out: dict[str, list[Row]] = {}
    with rules_only():
        for source, (texts, golds) in load_sources(shared).items():
            if not any(source == e or source.startswith(e) for e in exclude):
                out[source] = training_rows(source, texts, golds)
    return out


def all_rows(shared: Path, exclude: tuple[str, ...] = ()) -> list[Row]:
    return [r for rows in rows_by_source(shared, exclude).values() for r in rows]


def write(weights: dict, out: Path) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_suffix(".tmp")
    tmp.write_text(json.dumps(weights, indent=0, sort_keys=True) + "\n", encoding="utf-8")
    os.replace(tmp, out)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m kg.train", description=__doc__.split("\n\n")[0])
    ap.add_argument("--shared", default=os.environ.get("KG_SHARED", "../shared"),
                    help="the folder with gold/MANIFEST.tsv (default ../shared)")
    ap.add_argument("--exclude", action="append", default=[], help="leave this source out (repeatable)")
    ap.add_argument("--out", default=str(MODEL_PATH), help="where to write the weights")
    ap.add_argument("-C", type=float, default=1.0, help="inverse regularisation strength")
    args = ap.parse_args(argv)
    shared = Path(args.shared)
    if not (shared / "gold" / "MANIFEST.tsv").is_file():
        print(f"error: {shared}/gold/MANIFEST.tsv not found (use --shared)", file=sys.stderr)
        return 2
    rows = all_rows(shared, tuple(args.exclude))
    weights = fit(rows, c=args.C)
    write(weights, Path(args.out))
    print(f"{len(rows)} candidates {weights['labels']} from {len(weights['trained_on'])} sources → {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
