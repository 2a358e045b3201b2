"""Numbers as reviews write them, for reported results (issue 23, first part).

A result's value is "the number as written" (ANNOTATION.md): 73.2 for "73.2%",
0.82 for "0.82". Reviews also write numbers that are not scores, or not plain
ones, and those must be told apart rather than read as scores:

- ``delta``: "+5.2 points", "5.2%p 향상", "↑3.1";
- ``range``: "70-75%", "70~75";
- ``bound``: "> 90", "over 90%", "90% 이상", "up to 2.1";
- ``approx``: "~70%", "약 70%", "about 70";
- ``multiplier``: "3x faster", "3배", "2×";
- ``size``: model or data sizes and amounts ("7B", "300K samples", "1.2k") and image or grid
  sizes ("256×256"): never results;
- ``count``: a whole number of things ("155 corpora", "2,122개의 이미지", "53 state-of-the-art VLMs");
- ``enum``: a list or question number ("- 4. …", "2) We …", "…? 3.");
- ``from``: the start of a change ("from 41.2% to 2.2%", "6.1%에서 33.9%로"): a
  baseline's score (the end of the change is the method's score);
- ``score``: everything else.

Odd spellings parse: a decimal comma ("73,2 %"), full-width digits and signs
("７３．２％"), a thin or no-break space before the unit. What cannot be read
as a number is skipped by the caller with the reason :func:`parse_value` gives.

Examples
--------
>>> [(n.value, n.unit, n.kind) for n in find_numbers("AIME 2024에서 73.2%, 기존보다 +5.2점 향상, 3배 빠름")]
[(73.2, '%', 'score'), (5.2, None, 'delta'), (3.0, 'x', 'multiplier')]
>>> [(n.value, n.kind) for n in find_numbers("reaches ~61.3 pass@1, over 90% on easy tasks, a 7B model")]
[(61.3, 'approx'), (90.0, 'bound'), (7.0, 'size')]
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

__all__ = ["Number", "find_numbers", "parse_value", "METRIC_DIRECTION", "metric_direction"]


@dataclass(frozen=True, slots=True)
class Number:
    """One number of a sentence: its value as written, unit, kind and where it is."""

    value: float
    unit: str | None
    kind: str
    start: int
    end: int
    text: str
    high: float | None = None  # the upper end of a range


#: one number: digits with an optional decimal point or comma (a comma before exactly 1-2 digits
#: and no more digits is a decimal comma: "73,2"; "1,234" groups thousands)
_NUM = r"\d+(?:[.,]\d+)*"
_SIZE_UNITS = r"[BMKT]|[bmk](?![a-z])|bn|billion|million|thousand|만|억|천"
_PATTERN = re.compile(
    rf"(?P<pre>[+\-−±↑↓~≈]|약\s*|about\s+|around\s+|approximately\s+|roughly\s+|over\s+|above\s+|under\s+|"
    rf"below\s+|up\s+to\s+|at\s+least\s+|at\s+most\s+|more\s+than\s+|less\s+than\s+|[<>≤≥]=?\s*)?"
    rf"(?<![\w.])(?P<num>{_NUM})"
    rf"(?:\s*(?:-|–|~|to)\s*(?P<high>{_NUM}))?"
    rf"(?P<unit>\s?(?:%p|%|퍼센트|percent|points?|pts?|점|pp|배|[x×](?![a-z])|(?:{_SIZE_UNITS})(?![a-zA-Z]))?)"
    rf"(?P<post>\s*(?:이상|이하|초과|미만|향상|증가|개선|감소|하락|faster|slower|higher|lower|fewer|more|"
    rf"improvement|gain|drop|speed-?up)\b)?",
    re.I)
#: Korean counters and English words that follow a count, not a score ("18개", "300 instances")
_COUNTER = re.compile(r"\s?(?:개|명|종|가지|건|장|편|쌍|회|번|단계|차례|개국|시간|초|분|일|주|년)")
_NOT_COUNTED = {"on", "in", "at", "of", "and", "or", "vs", "versus", "with", "for", "across", "to", "from", "by",
                "than", "points", "point", "pts", "percent", "while", "compared", "when", "respectively", "the", "a"}
_COUNTED = re.compile(r"\s+(?:[a-z][a-z-]*)")
#: a change's words just after the number ("23.2% 향상된", "11.6%의 성능 향상", "5% better") or
#: just before it ("improves by 5%", "대비 8.5%")
_CHANGE_AFTER = re.compile(r"^[^\d.,;:()]{0,12}?(?:향상|개선|증가|감소|하락|상승|차이|높|낮|초과|앞서|앞선|능가|improvement|gain|boost|"
                           r"increase|decrease|reduction|higher|lower|better|worse|more|less|ahead)", re.I)
_CHANGE_BEFORE = re.compile(r"(?:\bby|대비|보다|than)\s*$", re.I)
_FROM_TO = re.compile(r"^\s?(?:%|점|points?)?\s*(?:에서|from)?\s*(?:to|→|->|에서)\s*[+\-]?\d|^\s?%?에서\s*[\d.]+\s?%?\s*(?:로|으로)")
_DELTA_WORDS = re.compile(r"향상|증가|개선|감소|하락|상승|improvement|gain|drop|higher|lower", re.I)
_BOUND_PRE = re.compile(r"over|above|under|below|up\s+to|at\s+least|at\s+most|more\s+than|less\s+than|[<>≤≥]", re.I)
_APPROX_PRE = re.compile(r"[~≈]|약|about|around|approximately|roughly", re.I)


#: a number on either side of a times sign between two numbers ("ImageNet 256×256", "1024 x 1024 px")
_DIMENSION_BEFORE = re.compile(r"\d\s?[x×]\s?$")
_DIMENSION_AFTER = re.compile(r"\s?[x×]\s?\d")


def _normalised(text: str) -> str:
    """Full-width digits and signs as ASCII (NFKC keeps every other character one for one)."""
    out = unicodedata.normalize("NFKC", text)
    return out if len(out) == len(text) else "".join(unicodedata.normalize("NFKC", c)[:1] or c for c in text)


def parse_value(num: str) -> float | None:
    """The value of a number as written ("73.2", "73,2", "1,234", "1.234.567"), or None.

    >>> parse_value("73,2"), parse_value("1,234"), parse_value("０.８２"), parse_value("1.2.3")
    (73.2, 1234.0, 0.82, None)
    """
    s = _normalised(num.strip())
    if re.fullmatch(r"\d+,\d{1,2}", s):  # a decimal comma
        s = s.replace(",", ".")
    elif re.fullmatch(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?", s):  # thousands grouped by commas
        s = s.replace(",", "")
    if not re.fullmatch(r"\d+(?:\.\d+)?", s):
        return None
    return float(s)


def _kind(pre: str, unit: str, post: str, high: str | None) -> str:
    u = unit.strip().lower()
    if re.fullmatch(_SIZE_UNITS, unit.strip(), re.I) and unit.strip() != "m":  # "300M"; "5 m" is metres
        return "size"
    if u in ("b", "k", "t", "bn", "billion", "million", "thousand", "만", "억", "천"):
        return "size"
    if u in ("배", "x", "×") or re.search(r"faster|slower|fewer|speed-?up", post, re.I):
        return "multiplier"
    if high is not None:
        return "range"
    # "%p" and "pp" are always changes; "점"/"points" are a score's unit unless a change is said
    # ("91.3점으로", "61.3 points" vs "+1.2점", "1.2점 높다": the context decides, see _context_kind)
    if pre.strip() in ("+", "−", "±", "↑", "↓") or u in ("%p", "pp") or _DELTA_WORDS.search(post) \
            or pre.strip() == "-" and u in ("points", "point", "pts", "pt", "점"):
        return "delta"
    if _BOUND_PRE.fullmatch(pre.strip()) or re.search(r"이상|이하|초과|미만", post):
        return "bound"
    if _APPROX_PRE.fullmatch(pre.strip()):
        return "approx"
    return "score"


def find_numbers(sentence: str) -> list[Number]:
    """Every number of ``sentence`` with its value, unit and kind (see the module docstring).
    Years, versions and names' digits (``AIME 2024``, ``GPT-4o``, ``Qwen2.5``) are not numbers here."""
    text = _normalised(sentence)
    out = []
    for m in _PATTERN.finditer(text):
        if _part_of_name(text, m.start("num"), m.end("num")):
            continue
        value = parse_value(m.group("num"))
        if value is None:
            continue
        unit = (m.group("unit") or "").strip()
        pre, post, high = m.group("pre") or "", m.group("post") or "", m.group("high")
        kind = _kind(pre, unit, post, high)
        if _DIMENSION_BEFORE.search(text, 0, m.start("num")) or _DIMENSION_AFTER.match(text, m.end("num")):
            kind, unit = "size", ""  # an image or grid size: "256×256", "512 x 512"
        if kind == "score" and not unit and 1900 <= value <= 2100 and float(value).is_integer():
            continue  # a year
        norm_unit = "%" if unit.lower() in ("%", "퍼센트", "percent", "%p", "pp") else \
            "x" if unit in ("배", "x", "×", "X") else (unit or None) if kind == "size" else None
        if kind == "score":
            kind = _context_kind(text, m.start("num"), m.end() if unit or post else m.end("num"), m.group("num"), unit)
        if pre.strip() in ("-", "−") and kind == "delta":
            value = -value
        out.append(Number(value, norm_unit, kind, m.start(), m.end(), sentence[m.start():m.end()],
                          parse_value(high) if high else None))
    return out


def _context_kind(text: str, start: int, end: int, num: str, unit: str) -> str:
    """What the words around a plain number make of it: a count, a list number, the start
    of a change, a change, or (by default) a score."""
    whole = "." not in num and not (unit and unit != "")
    lead = text[:start].rstrip(" \t*_")
    if whole and re.match(r"[.)](?!\d)", text[end:end + 1]) and (not lead.strip("-+#>•")
                                                                   or lead[-1:] in "?!.:"):
        return "enum"
    if whole and not unit and (re.fullmatch(r"\d{1,3}(?:,\d{3})+", num) or _COUNTER.match(text, end)):
        return "count"
    if whole and not unit and (w := _COUNTED.match(text, end)) and w.group().strip() not in _NOT_COUNTED \
            and not _METRIC_WORD.match(w.group().strip()):
        return "count"
    tail = text[end:end + 40]
    if _FROM_TO.match(tail) or re.search(r"\bfrom\s*$", lead[-12:]):
        return "from"
    if re.match(r"\s?(?:%|점)?\s*(?:으로|로)(?![가-힣])", text[end - len(unit) if unit else end:end + 6]) or \
            re.search(r"\bto\s*$", lead[-6:]):
        return "score"  # where a change ends ("…에서 2.2%로", "0%로 감소", "to 85%"): a score
    if _CHANGE_AFTER.match(tail) or _CHANGE_BEFORE.search(lead[-8:]):
        return "delta"
    return "score"


_METRIC_WORD = re.compile(r"(?:accuracy|acc|score|points?|pass@\d+|elo|rating|ndcg|recall|precision|f1|bleu|rouge)",
                          re.I)


def _part_of_name(text: str, start: int, end: int) -> bool:
    """A number glued to a name (``GPT-4o``, ``Qwen2.5``, ``pass@1``, ``2503.00101``) or
    following a capitalised name word with a hyphen (``Llama-3``)."""
    before = text[start - 1] if start else " "
    after = text[end] if end < len(text) else " "
    # Latin letters only: Korean particles attach to numbers ("61.3으로", "73.2%를")
    if before.isascii() and before.isalpha() or before in "@#_/" or \
            after.isascii() and after.isalpha() and after not in "xXkKmMbBtT":
        return True
    if before == "-" and start >= 2 and text[start - 2].isalnum():
        return True
    return bool(re.match(r"\.\d{4,5}", text[end:end + 6])) or bool(re.match(r"\d{4}\.\d{4,5}$", text[start:end]))


#: higher or lower is better, by metric name (a small general table: what the field writes)
METRIC_DIRECTION = {
    **{m: "higher" for m in """accuracy acc top-1 top-5 f1 f1-score em exact-match bleu rouge rouge-l meteor cider
    spice pass@1 pass@5 pass@10 pass@k win-rate winrate success-rate sr auc auroc map miou iou ap ndcg mrr recall
    precision psnr ssim clipscore clip-score score elo kappa spearman pearson r2 hit@1 hits@10 vqa-score
    throughput tokens/s speedup 정확도 성공률 승률 정답률 재현율 정밀도""".split()},
    **{m: "lower" for m in """fid fvd kid lpips wer cer ter perplexity ppl latency loss mse mae rmse error
    error-rate eer chamfer cd emd abs-rel ece ber""".split()},
}


def metric_direction(metric: str | None) -> str | None:
    """``higher`` or ``lower`` (is better) for a metric name, None when unknown (listed, not ranked).

    >>> metric_direction("FID"), metric_direction("Pass@1"), metric_direction("vibes")
    ('lower', 'higher', None)
    """
    if not metric:
        return None
    m = re.sub(r"[\s_]+", "-", metric.strip().lower())
    return METRIC_DIRECTION.get(m) or METRIC_DIRECTION.get(m.replace("-", ""))
