"""Extraction cost per paper record, in instructions (callgrind) and CPU seconds.

    python benchmarks/extract_cost.py [--files 6] [--src FOLDER] [--compare OTHER_KG_PARENT] [--no-valgrind]

Wall and CPU time on a shared two-core machine vary by 10-40% from run to run,
which hides a 5% change in the extractor. Instruction counts do not: valgrind's
callgrind counts the instructions the interpreter executes, the same for the
same code and input whatever else the machine does. The script extracts the
first file (imports, spaCy start-up, one file) and then the first N files; the
difference divided by the records in files 2..N is the cost of one record.

``--compare DIR`` also measures the ``kg`` package found under DIR (a checkout
of another commit, e.g. ``git worktree add /tmp/old HEAD~1``), on the same files.
Without valgrind, only CPU seconds are printed.
"""
from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from gen_corpus import generate  # noqa: E402

#: extract the first argv[1] files of argv[2] (sorted) in this process; print records and CPU seconds
_RUN = """
import os, sys, time
import kg
from kg.process import process_file
src, n = sys.argv[2], int(sys.argv[1])
files = sorted(os.path.join(src, f) for f in os.listdir(src))[:n]
t0 = time.process_time()
records = sum(len(process_file(f).doc.records) for f in files)
print(records, time.process_time() - t0, os.path.dirname(os.path.dirname(os.path.abspath(kg.__file__))))
"""


def _run(kg_parent: str, src: str, n: int, valgrind: bool) -> tuple[int, float, int | None]:
    """(records, CPU seconds, instructions or None) for extracting the first n files
    with the ``kg`` package under ``kg_parent`` (``python -c`` puts the working
    directory first on sys.path, so the run starts there)."""
    env = dict(os.environ, PYTHONPATH=kg_parent)
    cmd = [sys.executable, "-c", _RUN, str(n), src]
    if valgrind:
        cmd = ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null"] + cmd
    p = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=kg_parent)
    if p.returncode != 0:
        raise SystemExit(p.stderr[-2000:])
    records, cpu, used = p.stdout.strip().split(None, 2)
    if not os.path.samefile(used, kg_parent):
        raise SystemExit(f"measured the kg package under {used}, not {kg_parent}")
    m = re.search(r"Collected : (\d+)", p.stderr)
    return int(records), float(cpu), int(m.group(1)) if m else None


def measure(kg_parent: str, src: str, files: int, valgrind: bool) -> dict:
    """Per record of files 2..N: CPU milliseconds (best of three runs), and
    instructions when ``valgrind`` (its own runs: valgrind slows the program ~50x)."""
    cpu = []
    for _ in range(3):
        r1, c1, _ = _run(kg_parent, src, 1, False)
        rn, cn, _ = _run(kg_parent, src, files, False)
        cpu.append(cn - c1)
    records = rn - r1
    out = {"records": records, "cpu_ms_per_record": 1000 * min(cpu) / records}
    if valgrind:
        i1, i_n = _run(kg_parent, src, 1, True)[2], _run(kg_parent, src, files, True)[2]
        out["minstr_per_record"] = (i_n - i1) / records / 1e6
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--files", type=int, default=6, help="files extracted (the first one is subtracted)")
    ap.add_argument("--src", help="review files (default: a generated corpus, 50 records per file)")
    ap.add_argument("--compare", help="parent folder of another kg package to measure on the same files")
    ap.add_argument("--no-valgrind", action="store_true", help="CPU seconds only (fast)")
    a = ap.parse_args()
    src = a.src or tempfile.mkdtemp(prefix="kg-cost-")
    if not a.src:
        generate(src, 50 * a.files, per_file=50, seed=7)
    valgrind = shutil.which("valgrind") is not None and not a.no_valgrind
    print(f"extraction of files 2..{a.files} of {src}" + ("" if valgrind else " (no valgrind: CPU time only)"))
    for name, parent in [("this kg", os.path.join(HERE, ".."))] + ([("compared", a.compare)] if a.compare else []):
        r = measure(os.path.abspath(parent), src, a.files, valgrind)
        instr = f"{r['minstr_per_record']:8.2f} M instructions" if "minstr_per_record" in r else ""
        print(f"{name:>10}: {r['records']} records, {instr} {r['cpu_ms_per_record']:6.2f} ms CPU per record", flush=True)
    if not a.src:
        shutil.rmtree(src, ignore_errors=True)


if __name__ == "__main__":
    main()
