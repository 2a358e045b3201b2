"""Incremental builds equal clean builds; output does not depend on --jobs."""
import os
import re
import shutil
import sys

from conftest import EXAMPLES, ROOT

import kg
from kg.export.jsonl import iter_jsonl

sys.path.insert(0, os.path.join(ROOT, "benchmarks"))
from gen_corpus import generate  # noqa: E402


def jsonl(g) -> list:
    return list(iter_jsonl(g))


def test_incremental_build_equals_clean_build(tmp_path):
    src, cache = tmp_path / "reviews", tmp_path / "cache"
    shutil.copytree(EXAMPLES, src)
    first = kg.build([str(src)], cache_dir=str(cache), jobs=1)
    assert first.report["files_from_cache"] == 0
    # a new day's file arrives and one old file is edited
    generate(str(tmp_path / "new"), 30, per_file=30, seed=5)
    shutil.copy(next((tmp_path / "new").iterdir()), src / "zz_new_day.md")
    with open(src / "english_2025-03-05.md", "a", encoding="utf-8") as fh:
        fh.write("| Heron: Birds (Read more on [arXiv](https://arxiv.org/abs/2503.00999)) | A | Heron beats OwlNet. |\n")
    inc = kg.build([str(src)], cache_dir=str(cache), jobs=1)
    assert inc.report["files_from_cache"] == 4  # only the new and the edited file were extracted
    clean = kg.build([str(src)], jobs=1)
    assert jsonl(inc) == jsonl(clean)
    assert inc.find("2503.00999", "Paper") and inc.report["paper_records"] == first.report["paper_records"] + 31


def test_cache_entry_follows_the_file_to_a_new_path(tmp_path):
    cache = tmp_path / "cache"
    a = tmp_path / "a"
    shutil.copytree(EXAMPLES, a)
    kg.build([str(a)], cache_dir=str(cache))
    b = tmp_path / "b"
    shutil.move(str(a), str(b))
    moved = kg.build([str(b)], cache_dir=str(cache))
    assert moved.report["files_from_cache"] == 5
    # named relative to the folder holding the input: b/…, never a/…
    assert all(s.startswith("b/") for *_, p in moved.edges() for s in p.get("sources", ()))
    assert all(s.startswith("b/") for *_, p in moved.nodes("Result") for s in p["sources"]) and any(moved.nodes("Result"))
    assert jsonl(moved) == jsonl(kg.build([str(b)]))


def test_output_does_not_depend_on_jobs(tmp_path):
    generate(str(tmp_path / "corpus"), 600, per_file=50, seed=2)  # ~1 MB: big enough for the pool
    one = kg.build([str(tmp_path / "corpus")], jobs=1)
    two = kg.build([str(tmp_path / "corpus")], jobs=2, cache_dir=str(tmp_path / "cache"))
    assert one.report["paper_records"] == 600
    assert jsonl(one) == jsonl(two)
    # the pool's workers filled the cache themselves: a rebuild reads every file from it
    again = kg.build([str(tmp_path / "corpus")], jobs=2, cache_dir=str(tmp_path / "cache"))
    assert again.report["files_from_cache"] == 12 and jsonl(again) == jsonl(one)


def test_parallel_writers_write_the_same_files(tmp_path, monkeypatch):
    import filecmp

    import kg.export as export
    g = kg.build([EXAMPLES], jobs=1)
    g.write(str(tmp_path / "serial"), jobs=1)
    monkeypatch.setattr(export, "PARALLEL_WRITE_ABOVE", 0)
    g.write(str(tmp_path / "parallel"), jobs=2)
    for name in ("graph.jsonl", "graph.ttl", "graph.graphml", "load.cypher", "graph.html"):
        assert filecmp.cmp(tmp_path / "serial" / name, tmp_path / "parallel" / name, shallow=False), name
    assert filecmp.dircmp(tmp_path / "serial" / "neo4j-import", tmp_path / "parallel" / "neo4j-import").diff_files == []
    from kg.query.cypher import cypher
    assert cypher(str(tmp_path / "parallel"), "MATCH (p:Paper) RETURN count(p)")[1] == [[9]]


def test_the_benchmark_runs_and_prints_every_figure(tmp_path):
    """The README's benchmark, at a toy size: every line it promises is there."""
    import subprocess
    p = subprocess.run([sys.executable, os.path.join(ROOT, "benchmarks", "build_bench.py"), "--sizes", "150",
                        "--jobs", "1", "--keep", str(tmp_path)], capture_output=True, text=True, cwd=ROOT, timeout=600)
    assert p.returncode == 0, p.stderr[-2000:]
    out = p.stdout
    row = next(ln for ln in out.splitlines() if ln.split()[:1] == ["150"])
    assert "read+extract=" in row and "write:ttl=" in row and len(row.split()) >= 9
    assert "first build with the default cache" in out and "nothing changed" in out
    assert all(f"incremental day {d}:" in out for d in (1, 2, 3))
    assert len(re.findall(r"Cypher after it: first query [\d.]+s .*next [\d.]+s; \d+ papers", out)) == 3
    assert len(re.findall(r"watched day [456]: .* [\d.]+s from the file's arrival to the outputs \((built|updated)", out)) == 3


def test_the_extraction_cost_benchmark_compares_two_checkouts(tmp_path):
    """benchmarks/extract_cost.py measures this kg and another on the same files
    (CPU time only here: the instruction counts take a minute under valgrind)."""
    import subprocess
    other = tmp_path / "other"
    shutil.copytree(os.path.join(ROOT, "kg"), other / "kg", ignore=shutil.ignore_patterns("__pycache__"))
    p = subprocess.run([sys.executable, os.path.join(ROOT, "benchmarks", "extract_cost.py"), "--files", "2",
                        "--no-valgrind", "--compare", str(other)], capture_output=True, text=True, cwd=ROOT,
                       timeout=600)
    assert p.returncode == 0, p.stderr[-2000:]
    rows = [ln for ln in p.stdout.splitlines() if "records," in ln]
    assert [r.split(":")[0].strip() for r in rows] == ["this kg", "compared"]
    assert all(" 50 records," in r and "ms CPU per record" in r for r in rows)
