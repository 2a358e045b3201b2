"""Reading time of pathological review files (1 MB each by default).

    python benchmarks/pathological.py [--mb 1] [--timeout 10]

Each case is text shaped to defeat a parser: a regex that can backtrack
across lines from every heading, unclosed brackets, fences, tables or HTML,
one huge line, thousands of links. Each is read (``kg.readers.read_string``:
format detection, the structural reader and a layout reader) in a child
process with a timeout, and its time and records are printed. Reading must
stay linear: every case well under the timeout (tests/test_hostile.py reads
them all).
"""
from __future__ import annotations

import argparse
import multiprocessing as mp
import time

__all__ = ["CASES", "case_text", "read_time"]

#: name → (a unit of text, whether the unit is one line); units repeat up to the size asked
CASES = {
    "unclosed heading links": "## [x](http://a\n",
    "unclosed link brackets": "[" * 64 + "\n",
    "open link urls on one line": "[y](https://h" + "a" * 4096,  # found by the fuzz test: was quadratic per link
    "unclosed bold": "** a **b ** c __ d\n",
    "one huge line": "word https://arxiv.org/abs/2501.0000 ",
    "wide table": "|" + " a |" * 200 + "\n",
    "links in one line": "[p](https://arxiv.org/abs/2501.00001) ",
    "unclosed backticks": "`a ``b ```c\n",
    "unclosed html": "<div class='x'><span>",
    "unclosed front matter": "---\ntitle: x\n",
    "nested quotes and lists": "> " * 40 + "- " * 40 + "x\n",
    "unclosed math": "$a $$b \\(c \\[d\n",
    "unclosed wikilinks": "![[x|y ]] [[a\n",
    "heading storm": "#" * 6 + " h\n",
    "numbered heads without links": "## 1. x\n### 2. y `t\n",
    "table rows of ids": "| 2501.00001 | [x](https://huggingface.co/papers/2501.00002 |\n",
    "html links on one line": lambda size: "- " + "".join(
        f"<a href='https://arxiv.org/abs/2501.{i % 99999:05d}'>x</a> " for i in range(size // 48)),
    # found by the fuzz test: every start of a long token was tried as the start of a TeX token
    "a TeX mark before one huge token": lambda size: "x_{1} " + "a" * size + "\n",
    "unclosed tags on one line": "- " + "<a href='x' " * 64,
    # found by the fuzz test: each id under a heading asked about the whole heading again
    "a heading of links over a line of links": lambda size: "# h " + _half(_LINK, size) + "\n" + _half(_LINK, size),
}

_LINK = "[p](https://arxiv.org/abs/2501.00001) "


def _half(unit: str, size: int) -> str:
    return (unit * (size // (2 * len(unit)) + 1))[:size // 2]


#: every case opens with one well-formed record, so that the whole reader runs, not just detection
OPENING = "# 2025-01-01 papers review\n\n## 1. [Owl](https://arxiv.org/abs/2501.00001)\nOwl 모델 제안.\n\n"


def case_text(name: str, size: int) -> str:
    unit = CASES[name]
    if callable(unit):  # a case whose shape is not a repeated unit
        return OPENING + unit(size)
    return OPENING + (unit * (size // len(unit) + 1))[:size]


def _read(name: str, size: int, out) -> None:
    from kg.readers import read_string
    text = case_text(name, size)
    t = time.perf_counter()
    res = read_string(text, f"{name}.md")
    out.put((time.perf_counter() - t, len(res.records), len(res.skipped)))


def read_time(name: str, size: int, timeout: float) -> tuple[float, int, int] | None:
    """(seconds, records, skipped) of reading the case, or None past ``timeout``."""
    ctx = mp.get_context("fork")
    q = ctx.Queue()
    p = ctx.Process(target=_read, args=(name, size, q))
    p.start()
    p.join(timeout)
    if p.is_alive():
        p.kill()
        p.join()
        return None
    return q.get() if not q.empty() else None


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--mb", type=float, default=1.0)
    ap.add_argument("--timeout", type=float, default=10.0)
    args = ap.parse_args()
    size = int(args.mb * 1024 * 1024)
    print(f"{'case':32} {'seconds':>8} {'records':>8} {'skipped':>8}")
    for name in CASES:
        r = read_time(name, size, args.timeout)
        print(f"{name:32} " + (f"{r[0]:8.2f} {r[1]:8d} {r[2]:8d}" if r else f"{'> ' + str(args.timeout):>8}"), flush=True)


if __name__ == "__main__":
    main()
