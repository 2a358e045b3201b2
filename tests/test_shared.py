"""Regression on the real reviews in ../shared (skipped when it is absent)."""
import json
import os
import re
import subprocess
import sys

import pytest
from conftest import SHARED, needs_shared, run_kg

pytestmark = needs_shared


@pytest.fixture(scope="module")
def seeds_out(tmp_path_factory):
    out = tmp_path_factory.mktemp("seeds")
    r = run_kg("build", os.path.join(SHARED, "seeds"), "--out", str(out))
    assert r.returncode == 0, r.stderr
    return out


def score(out):
    gold = sorted(os.path.join(SHARED, "gold", "seeds", f) for f in os.listdir(os.path.join(SHARED, "gold", "seeds")))
    r = subprocess.run([sys.executable, os.path.join(SHARED, "tools", "score.py"), str(out / "graph.jsonl"), *gold,
                        "--json"], capture_output=True, text=True)
    return json.loads(r.stdout)


def test_dev_gold_score_does_not_fall(seeds_out):
    s = score(seeds_out)
    assert s["papers_found"] == s["papers_gold"] == 90
    assert s["entity_strict"]["f1"] >= 0.85, s["entity_strict"]
    assert s["relation_all"]["f1"] >= 0.75, s["relation_all"]
    assert s["improvesOn"]["f1"] >= 0.45, s["improvesOn"]


def test_corpus_reads_every_file_and_accounts_for_every_block(tmp_path):
    corpus = os.path.join(SHARED, "corpus")
    r = run_kg("build", corpus, "--out", str(tmp_path))
    assert r.returncode == 0 and "Traceback" not in r.stderr
    rep = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    assert rep["files_read"] == 86
    assert "none" not in rep["formats"] and "unreadable" not in rep["formats"]
    # every arXiv-linked paper heading / table row is a record or a skipped entry
    linked = 0
    for f in rep["files"]:
        # the report names files relative to the folder holding the input
        text = open(os.path.join(os.path.dirname(corpus), f["path"]), encoding="utf-8").read()
        linked += len(re.findall(r"(?m)^(?:#{2,3} .*(?:arxiv\.org|huggingface\.co/papers)|## \d{4}\.\d{4,5}\s*$)", text))
        linked += len(re.findall(r"(?m)^\|(?!\s*Title\s*\|)(?!-).*(?:arxiv\.org/abs|huggingface\.co/papers)", text))
        assert f["records"] + f["skipped"] > 0, f
    assert rep["paper_records"] >= linked
    assert rep["paper_records"] == 1130  # 456 digest + 373 table + 263 summary + 38 blog
