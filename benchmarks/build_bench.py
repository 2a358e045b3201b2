"""Build throughput at 1k / 10k / 100k paper records, with the spaCy-tokenizer floor.

    python benchmarks/build_bench.py [--sizes 1000,10000,100000] [--jobs 2]

For each size: generate a corpus (benchmarks/gen_corpus.py), run `kg build`
in a child process (clean, no cache), and print records/s, MB/s, peak RSS and
the time of every stage (read+extract, resolve, each writer), then the CPU time of
reading alone (kg.readers over every file, one process). The floor is
spaCy's own tokenizer (spacy.blank("xx")) over the same text, one Doc per
paragraph. Finally the incremental case: a first build of the largest corpus
with the default cache (which keeps the build state), then three days, each
adding one day's file (~50 records) and updating the build in place, then
two Cypher queries (the first applies the day's queued database changes).
Then the same build watched (`kg build --watch`): three more days, each timed
from the file's arrival in the input folder to the watcher's outputs written.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from gen_corpus import generate  # noqa: E402

DAYS = 3  # incremental updates measured, one day's file each
WARM_UP = 4  # seconds between starting `kg build --watch` and the first watched day


def run_build(src: str, out: str, jobs: int, cache: str | None) -> tuple[float, float, dict]:
    """(wall seconds, peak RSS MB of the child, report) for one `kg build`."""
    args = [sys.executable, "-m", "kg", "build", src, "--out", out, "--jobs", str(jobs)]
    args += ["--cache", cache] if cache else ["--no-cache"]
    # what the `kg` command does (kg.cli.run: main, then exit without teardown), reporting the peak RSS
    code = ("import json, os, resource, sys; from kg.cli import main; rc = main(sys.argv[1:]);\n"
            "print(json.dumps({'rss_kb': max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,"
            " resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)}), file=sys.stderr);\n"
            "sys.stdout.flush(); sys.stderr.flush(); os._exit(rc)")
    t0 = time.perf_counter()
    p = subprocess.run([sys.executable, "-c", code, *args[3:]], capture_output=True, text=True,
                       cwd=os.path.join(HERE, ".."))
    wall = time.perf_counter() - t0
    if p.returncode != 0:
        raise SystemExit(p.stderr[-2000:])
    rss = json.loads([ln for ln in p.stderr.splitlines() if ln.startswith('{"rss_kb"')][-1])["rss_kb"] / 1024
    with open(os.path.join(out, "report.json"), encoding="utf-8") as fh:
        return wall, rss, json.load(fh)


def tokenizer_floor(src: str) -> float:
    import spacy
    nlp = spacy.blank("xx")
    texts = []
    for f in sorted(os.listdir(src)):
        with open(os.path.join(src, f), encoding="utf-8") as fh:
            texts += [t for t in fh.read().split("\n\n") if t.strip()]
    t0 = time.perf_counter()
    for _ in nlp.tokenizer.pipe(texts, batch_size=256):
        pass
    return time.perf_counter() - t0


def reading_time(src: str) -> float:
    """CPU seconds of reading alone (kg.readers, every file, one process): the part of
    read+extract that finds the records, which the build does inside its workers."""
    code = ("import os, sys, time; from kg.readers import read_document; src = sys.argv[1]; "
            "fs = sorted(os.path.join(src, f) for f in os.listdir(src)); t0 = time.process_time(); "
            "n = sum(len(read_document(f).records) for f in fs); print(time.process_time() - t0, n)")
    p = subprocess.run([sys.executable, "-c", code, src], capture_output=True, text=True, cwd=os.path.join(HERE, ".."))
    return float(p.stdout.split()[0])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="1000,10000,100000")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--keep", help="keep generated corpora under this folder")
    a = ap.parse_args()
    base = a.keep or tempfile.mkdtemp(prefix="kg-bench-")
    print(f"jobs={a.jobs}  cores={os.cpu_count()}  corpora in {base}\n")
    head = f"{'records':>8}{'MB':>7}{'wall s':>8}{'rec/s':>8}{'MB/s':>7}{'RSS MB':>8}{'floor s':>9}{'x floor':>8}  stages (s)"
    print(head)
    last = None
    for n in [int(x) for x in a.sizes.split(",")]:
        src = os.path.join(base, f"corpus_{n}")
        if not os.path.isdir(src):
            generate(src, n, per_file=50, seed=7)
        mb = sum(os.path.getsize(os.path.join(src, f)) for f in os.listdir(src)) / 1e6
        out = os.path.join(base, f"out_{n}")
        wall, rss, rep = run_build(src, out, a.jobs, None)
        floor = tokenizer_floor(src)
        stages = ", ".join(f"{k}={v}" for k, v in rep["seconds"].items() if k != "collect")
        print(f"{n:>8}{mb:>7.1f}{wall:>8.1f}{n / wall:>8.0f}{mb / wall:>7.2f}{rss:>8.0f}{floor:>9.1f}"
              f"{wall / floor:>8.1f}  {stages}", flush=True)
        read_cpu = reading_time(src)
        print(f"{'':>8}  reading alone: {read_cpu:.1f} s CPU in one process (~{read_cpu / a.jobs:.1f} s of the "
              f"build's wall time over {a.jobs} jobs); {rep['paper_records']} records", flush=True)
        last = (n, src)
    if last:
        n, src = last
        work = os.path.join(base, "incremental")
        shutil.rmtree(work, ignore_errors=True)
        shutil.copytree(src, os.path.join(work, "src"))
        cache = os.path.join(work, "cache")
        wall, rss, rep = run_build(os.path.join(work, "src"), os.path.join(work, "out"), a.jobs, cache)
        print(f"\nfirst build with the default cache (also keeps the build state for in-place updates): "
              f"{n} records, {wall:.1f}s wall, RSS {rss:.0f} MB; "
              f"build time spent on the build state outside the writers {rep['seconds'].get('save_state')}s")
        for day in range(DAYS):  # consecutive days: each adds its own file to the build the last one left
            today = os.path.join(work, f"day{day}")
            generate(today, 50, per_file=50, seed=99 + day, start_day=9000 + day)
            for f in os.listdir(today):
                shutil.copy(os.path.join(today, f), os.path.join(work, "src", f"zz_day{day}_{f}"))
            os.sync()  # the previous build's dirty pages are written back, not charged to this one
            time.sleep(1)
            wall, rss, rep = run_build(os.path.join(work, "src"), os.path.join(work, "out"), a.jobs, cache)
            stages = ", ".join(f"{k}={v}" for k, v in rep["seconds"].items())
            print(f"incremental day {day + 1}: +50 records to {n + 50 * day} cached records: {wall:.1f}s wall, "
                  f"RSS {rss:.0f} MB, {rep['files_from_cache']} files from cache; {rep.get('incremental')}; "
                  f"stages: {stages}", flush=True)
            (first, papers), (second, _) = (query_papers(os.path.join(work, "out")) for _ in range(2))
            wal = os.path.join(work, "out", "graph.lbdb.wal")
            print(f"  Cypher after it: first query {first:.1f}s (applies the day's database changes), "
                  f"next {second:.1f}s; {papers} papers; write-ahead log "
                  f"{os.path.getsize(wal) / 1e6 if os.path.exists(wal) else 0:.1f} MB", flush=True)
        wall, rss, rep = run_build(os.path.join(work, "src"), os.path.join(work, "out"), a.jobs, cache)
        print(f"nothing changed: {wall:.1f}s wall, RSS {rss:.0f} MB; {rep.get('incremental')}")
        watch_days(work, n + 50 * DAYS, a.jobs, cache)


def watch_days(work: str, n: int, jobs: int, cache: str) -> None:
    """`kg build --watch` on the incremental build: DAYS more days' files, each
    moved into the input folder at once (as a finished download is) and timed
    until the watcher reports the outputs written."""
    src, out = os.path.join(work, "src"), os.path.join(work, "out")
    proc = subprocess.Popen([sys.executable, "-m", "kg", "build", src, "--out", out, "--jobs", str(jobs),
                             "--cache", cache, "--watch"], cwd=os.path.join(HERE, ".."), text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)

    def next_build() -> str:
        for line in proc.stdout:
            if "watching" in line:
                return line
        raise SystemExit("kg build --watch ended")
    try:
        next_build()
        # a watcher left running has started its extraction process and prepared
        # the next update (1-3 s after it starts here) by the time a day's file arrives
        time.sleep(WARM_UP)
        for day in range(DAYS, 2 * DAYS):
            today = os.path.join(work, f"day{day}")
            generate(today, 50, per_file=50, seed=99 + day, start_day=9000 + day)
            os.sync()
            time.sleep(1)
            (f,) = os.listdir(today)
            t0 = time.perf_counter()
            os.replace(os.path.join(today, f), os.path.join(src, f"zz_day{day}_{f}"))
            line = next_build()
            wall = time.perf_counter() - t0
            with open(os.path.join(out, "report.json"), encoding="utf-8") as fh:
                rep = json.load(fh)
            stages = ", ".join(f"{k}={v}" for k, v in rep["seconds"].items())
            print(f"watched day {day + 1}: +50 records to {n + 50 * (day - DAYS)} records: {wall:.1f}s from the "
                  f"file's arrival to the outputs ({line.split('] ')[1].split(';')[0]}); "
                  f"{rep.get('incremental')}; stages: {stages}", flush=True)
    finally:
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=120)


def query_papers(out: str) -> tuple[float, str]:
    """(wall seconds, answer) of `kg query cypher` counting the papers of the build in ``out``."""
    t0 = time.perf_counter()
    p = subprocess.run([sys.executable, "-m", "kg", "query", "cypher", "MATCH (p:Paper) RETURN count(p)",
                        "--graph", out], capture_output=True, text=True, cwd=os.path.join(HERE, ".."))
    return time.perf_counter() - t0, (p.stdout.split()[-3] if p.returncode == 0 else p.stderr[-300:])


if __name__ == "__main__":
    main()
