"""Reported results of a record: (method, benchmark, metric, value, unit, kind, evidence).

Each record's results are found at extraction (:mod:`kg.extract`), from the names its
mentions give; ``benchmarks/results_eval.py`` measures them against the dev gold with
the official scorer. A result is found in two places:

- **a sentence or list item** that names a benchmark or dataset of the record and holds
  a number. The number is tied to the nearest benchmark named before it, else the nearest
  after it. The method is a Method of the record named before the number in the same clause,
  else the paper's own (``@paper``);
- **a markdown table**: header cells that name benchmarks, and rows whose first cell names
  the method (the paper's own when it is one of the record's own names); or, turned the
  other way, rows that name benchmarks under header cells that name the record's methods.

Numbers are read by :mod:`kg.pipeline.numbers`. Only ``score`` numbers are results;
deltas, ranges, bounds, multipliers and sizes are kept apart by their kind.
"""
from __future__ import annotations

import re

from ..model import Result
from .numbers import find_numbers

__all__ = ["Result", "record_results"]


_METRIC = re.compile(r"\b(pass@\d+|accuracy|acc|F1|EM|BLEU|ROUGE-?L?|FID|WER|CER|win[- ]rate|success rate|mIoU|mAP|AP|"
                     r"nDCG(?:@\d+)?|MRR|"
                     r"PSNR|SSIM|LPIPS|AUC|top-1|top-5|exact match|정확도|성공률|승률)\b", re.I)
_CLAUSE = re.compile(r"[;,]\s|(?:,|및|and|while|whereas|반면)\s")


def _longest_first(names: list[str]) -> list[str]:
    """The names, longest first (the order :func:`_spans` claims text in)."""
    return sorted(set(names), key=len, reverse=True)


def _whole(text: str, name: str, start: int = 0):
    """Each (start, end) where ``name`` stands as a whole word in ``text``: no Latin letter,
    digit, ``_`` or ``-`` on either side (Korean particles attach to names: "ZebraBench에서"). Plain ``str.find``: compiling a pattern per name
    cost more than the whole search (names are mostly new to each record)."""
    i = text.find(name, start)
    while i >= 0:
        j = i + len(name)
        if (i == 0 or not _WORDISH(text[i - 1])) and (j == len(text) or not _WORDISH(text[j])):
            yield i, j
        i = text.find(name, i + 1)


def _WORDISH(c: str) -> bool:
    return c == "_" or c == "-" or (c.isascii() and c.isalnum())


def _spans(text: str, names: list[str]) -> list[tuple[int, int, str]]:
    """Where each name occurs in ``text`` (longest names first, no overlaps)."""
    taken: list[tuple[int, int, str]] = []
    for name in names:
        for s0, e0 in _whole(text, name):
            if all(e0 <= s or s0 >= e for s, e, _ in taken):
                taken.append((s0, e0, name))
    return sorted(taken)


def _sentences(text: str, line0: int):
    """(line, sentence) of a section's text: lines, then sentence ends."""
    for i, line in enumerate(text.split("\n")):
        for s in re.split(r"(?<=[.!?])\s+(?=[A-Z가-힣])|(?<=다\.)\s+", line):
            if s.strip():
                yield line0 + i, s.strip()


def _table_results(text: str, line0: int, benches: list[str], methods: list[str],
                   own: set[str]) -> list[Result]:
    rows = [(line0 + i, ln) for i, ln in enumerate(text.split("\n")) if ln.strip().startswith("|")]
    out: list[Result] = []
    header: list[str] | None = None
    across = False  # whether the header names benchmarks (else rows may, under method columns)
    for line, ln in rows:
        cells = _cells(ln)
        if all(re.fullmatch(r":?-{2,}:?", c) for c in cells if c):
            continue
        if header is None or not find_numbers(" ".join(cells[1:])):
            header = cells
            across = any(_named(c, benches) for c in header[1:])
            continue
        who = cells[0]
        row_bench = None if across else _named(who, benches)
        for col, cell in enumerate(cells[1:], 1):
            if col >= len(header):
                break
            if row_bench:  # benchmarks down the side, methods across the top: only named methods count
                bench, head = row_bench, header[col]
                if head not in methods and head not in own:
                    continue
                method, where = ("@paper" if head in own else head), who
            else:
                bench, where = _named(header[col], benches), header[col]
                method = "@paper" if not who or who in own or who not in methods else who
            nums = [n for n in find_numbers(cell) if n.kind == "score"]
            if bench and len(nums) == 1:
                metric = _METRIC.search(where)
                out.append(Result(method, bench, metric.group(1) if metric else None, nums[0].value, nums[0].unit,
                                  "score", ln.strip(), line))
    return out


def _row_cells(row: str, methods: list[str], own: set[str]) -> tuple[list[str], str]:
    """A table row's prose cells (several words, not names or numbers), and whose scores
    they give: the method a short cell of the row names, else the paper's own."""
    cells = _cells(row)
    named = next((c for c in cells if len(c.split()) < 4 and c in methods), None)
    return [c for c in cells if len(c.split()) >= 4], "@paper" if named is None or named in own else named


def _named(cell: str, names: list[str]) -> str | None:
    """The first of ``names`` (longest first) that ``cell`` names as a whole word."""
    return next((b for b in names if next(_whole(cell, b), None)), None)


def _cells(row: str) -> list[str]:
    """A markdown table row's cells, without emphasis or code marks."""
    return [c.strip(" *`") for c in row.strip().strip("|").split("|")]


def record_results(sections, benches: list[str], methods: list[str], own: set[str]) -> list[Result]:
    """The results of a record's ``sections`` (:class:`~kg.model.Section`), given the names of
    its benchmarks and datasets, its methods, and those of them that are its own."""
    out: list[Result] = []
    bench_names, all_names = _longest_first(benches), _longest_first(benches + methods)
    for sec in sections:
        if "|" in sec.text:
            out += _table_results(sec.text, sec.line, bench_names, methods, own)
        for line, sent in _sentences(sec.text, sec.line):
            # a table row's prose cells ("| 2 | Finch | … LongBench에서 52.3점을 기록 |") are sentences too
            if not sent.startswith("|"):
                out += _sentence_results(sent, line, all_names, set(benches), set(methods), own)
                continue
            cells, subject = _row_cells(sent, methods, own)
            for part in cells:
                out += _sentence_results(part, line, all_names, set(benches), set(methods), own, subject)
    seen, unique = set(), []
    for r in out:
        k = (r.method, r.benchmark, r.value)
        if k not in seen:
            seen.add(k)
            unique.append(r)
    return unique


#: what stands between a number and the benchmark it is "on": "95.3% on MATH500", "73.1 (AIME 24)"
_NAMES_NEXT = re.compile(r"\s*%?\s*(?:\(|on|in|at|for)\s*(?:the\s+)?", re.I)
_DIGIT = re.compile(r"\d")
#: a Korean object particle right after a name: the name is used or acted on, not the scorer
_OBJECT = re.compile(r"\s?(?:을|를)(?![가-힣])")
_RESPECTIVELY = re.compile(r"\brespectively\b|각각", re.I)


def _respectively(sent: str, numbers, bench_spans) -> dict[int, tuple]:
    """"12.97% and 10.0% on A and B, respectively" / "A와 B에서 각각 12.97%와 10.0%": the
    n-th score of the run goes to the n-th benchmark named, when the counts agree."""
    if not _RESPECTIVELY.search(sent):
        return {}
    # a change word after the last number of the run ("각각 12.97% 및 10.0% 증가") marks only
    # that one a delta, but the run is paired as a whole
    run = [n for n in numbers if n.kind in ("score", "delta")]
    if len(run) < 2 or len(run) != len(bench_spans):
        return {}
    return {n.start: b for n, b in zip(run, bench_spans)}


def _sentence_results(sent: str, line: int, names: list[str], benches: set[str], methods: set[str],
                      own: set[str], subject: str = "@paper") -> list[Result]:
    """The results of one sentence. ``subject`` is whose a score is when the sentence names
    no method before it: the paper's own, or a table row's method."""
    if not _DIGIT.search(sent):
        return []  # most sentences hold no number: no need to look for names in them
    numbers = find_numbers(sent)
    if not any(n.kind in ("score", "from") for n in numbers):
        return []
    spans = _spans(sent, names)
    bench_spans = [(s, e, n) for s, e, n in spans if n in benches]
    if not bench_spans:
        return []
    out = []
    change_from = None  # the start of a change ("41.2%에서 2.2%로"): its end is the paper's score
    respective = _respectively(sent, numbers, bench_spans)
    for num in numbers:
        if num.kind not in ("score", "from") or any(s <= num.start < e for s, e, _ in spans):
            continue
        before = [b for b in bench_spans if b[1] <= num.start]
        after = [b for b in bench_spans if b[0] >= num.end]
        bench = respective.get(num.start) or (
            after[0] if after and _NAMES_NEXT.fullmatch(sent[num.end:after[0][0]]) else
            before[-1] if before else after[0] if after else None)
        if bench is None or (not before and after[0][0] - num.end > 40):
            continue
        clause_start = max([m.end() for m in _CLAUSE.finditer(sent, 0, num.start)] + [0])
        named = [n for s, e, n in spans if n in methods and clause_start <= s < num.start and n not in own
                 and not _OBJECT.match(sent, e)]  # "GRPO를 변형한 …": what a method uses does not score
        if num.kind == "from":
            change_from = num
            if not named:
                continue  # an unnamed baseline's number
            method = named[-1]
        elif change_from is not None and clause_start <= change_from.start:
            method = subject
        else:
            method = named[-1] if named else subject
        metric = _METRIC.search(sent[max(0, num.start - 30):num.end + 20])
        out.append(Result(method, bench[2], metric.group(1) if metric else None,
                          num.value, num.unit, "score", sent, line))
    return out
