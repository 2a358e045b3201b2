"""Token shapes and acronym matching: the general evidence that a word is a name."""
from __future__ import annotations

import functools
import re

from ..lang import lexicon

__all__ = ["shape", "is_hangul", "long_form", "norm_key", "is_generic", "is_junk"]

VERSION = re.compile(r"^(?:v?\d+(?:\.\d+)*[BMKbmkT]?|\d+x\d+[BMb]?|[Vv]\d+(?:\.\d+)*)$")
MEASURE = re.compile(r"^\d[\d.,]*(?:[%xX×]|[KkMmBbGgTt]|[Dd]|st|nd|rd|th|ms|s|h|fps|px)?$")
HANGUL = re.compile(r"[\uAC00-\uD7A3\u3131-\u318E]")
#: dropped from comparison keys: spacing and punctuation variants, and C0 control
#: characters (keys become uids, which IRIs, CSV and XML must be able to carry)
_NORM_DROP = str.maketrans("", "", " \t\n-_.'’‘`\"·" + "".join(map(chr, range(32))))
CLASS_NAME = re.compile(r"^(?:[A-Z]{1,4}L?LMs?|[A-Z][a-z]{2,8}(?:LLM|VLM|MLLM)s?)$")
HARDWARE = re.compile(r"^(?:[AHBVLP]\d{2,3}|RTX\d*|A\d{3,4}|H\d{3}|TPUv\d|M\d)$")


#: shapes that are never a method, benchmark or dataset (ANNOTATION.md "Not entities"):
#: licences, a venue with its year, an amount with its unit, hardware, math symbols
JUNK = re.compile(
    r"licen[cs]e|^(?:apache|mit|gpl|bsd|cc)[-\s]?(?:v?\d|by\b|license)|"
    r"^(?:neurips|nips|iclr|icml|cvpr|iccv|eccv|acl|emnlp|naacl|eacl|coling|aaai|ijcai|tmlr|jmlr|kdd|sigir|www|"
    r"interspeech|icassp|wacv|bmvc|aistats|uai|colt|corl|icra|iros|tpami|ieee/cvf|arxiv)\b[\s'’-]*(?:19|20)?\d\d\b|"
    r"^ieee/cvf$|^(?:categories/)?(?:cs|stat|math|eess|econ|q-bio|q-fin|physics|quant-ph)\.[a-z]{2}$|"
    r"^\d[\d.,]*\s*(?:[kmgtp]i?b|db|fps|ms|[kmg]?hz|tflops?|gpus?|w|kw|mw)$|"
    r"^(?:nvidia\s+)?(?:[ahbvl]\d{2,4}|rtx\s?\d{3,4}|a\d{4})(?:\s?gpus?)?$|"
    r"^[a-z\\]{1,6}[_^]", re.I)


@functools.lru_cache(maxsize=65536)
def is_junk(text: str) -> bool:
    """A licence, venue-year, amount, GPU, arXiv category or math token: never an entity.

    >>> [is_junk(t) for t in ("Apache 2.0 License", "NeurIPS 2023", "128GB", "NVIDIA A100", "W^Q", "GPT-4")]
    [True, True, True, True, True, False]
    """
    return bool(JUNK.search(text.strip()))


def is_hangul(text: str) -> bool:
    return bool(HANGUL.search(text))


@functools.lru_cache(maxsize=262144)
def norm_key(name: str) -> str:
    """Normalised comparison key (NFKC, case, spaces/hyphens/dots dropped;
    a trailing year written in full or short is the same: AIME 2024 = AIME24)."""
    import unicodedata
    k = unicodedata.normalize("NFKC", name).lower().translate(_NORM_DROP)
    return re.sub(r"(?<=[a-z])20(\d\d)$", r"\1", k)


@functools.lru_cache(maxsize=262144)
def is_generic(text: str) -> bool:
    t = text.strip()
    if t.lower() in lexicon.GENERIC:
        return True
    if t.endswith("s") and t[:-1].lower() in lexicon.GENERIC and t[:-1].isupper():
        return True
    return bool(HARDWARE.match(t))


#: the size letters a model's name ends with after a hyphen
SIZE_MARKS = frozenset(("S", "M", "L", "B", "H", "G", "XS", "XL", "XXL", "Ti"))


@functools.lru_cache(maxsize=262144)
def shape(t: str) -> str:
    """Classify a token: NAME (name-shaped), CAP (capitalised word), VER
    (version or size), GEN (generic acronym), NUM, LOW (lower-case word), X."""
    if not t or not (t[0].isascii() and t[0].isalnum()) and not t[0].isalpha():
        return "X"
    if is_hangul(t):
        return "X"
    if VERSION.match(t):
        return "VER"
    letters = sum(c.isalpha() for c in t)
    if t.lower() in lexicon.METHODS or t.lower() in lexicon.BENCHMARKS:
        return "NAME"  # o3, R1: known names without a shape of their own
    if CLASS_NAME.match(t):
        return "GEN"  # VideoLLM, LALMs, MMLMs: names of model classes
    if letters == 0 or MEASURE.match(t) or t[0].isdigit() and all(
            MEASURE.match(p) or VERSION.match(p) for p in re.split(r"[-/]", t)[:1] + re.split(r"/", t)[1:]):
        return "NUM"  # 7B, 300M-parameter, 2-stage
    if is_generic(t):
        return "GEN"
    digits = any(c.isdigit() for c in t)
    uppers = sum(c.isupper() for c in t)
    if "-" in t and not digits and not t.endswith(("+", "*")):
        parts = [p for p in t.split("-") if p]
        if len(parts) >= 2 and parts[-1] in SIZE_MARKS and parts[0][0].isupper() and len(parts[0]) >= 2:
            return "NAME"  # a model and its size: Swin-L, ViT-H, Kestrel-XL
        # Text-to-Image, Chain-of-Thought: a compound of plain words is not name-shaped
        if parts and all(shape(p) in ("CAP", "LOW", "GEN") or len(p) == 1 for p in parts):
            return "CAP" if t[0].isupper() else "LOW"
    if t[0].isupper():
        if uppers >= 2 or digits or t.endswith("*") or t.endswith("+"):
            return "NAME"
        return "CAP"
    if t[0].isdigit():
        return "NAME" if uppers >= 1 and letters >= 2 else "NUM"
    if (uppers >= 1 or digits) and letters >= 2:
        return "NAME"
    return "LOW"


_LINK_WORDS = {"of", "for", "and", "the", "with", "via", "in", "on", "to", "a", "an", "by", "from"}


def long_form(short: str, words: list[str]) -> int | None:
    """Schwartz-Hearst: how many trailing ``words`` spell out ``short``.

    Returns the number of words of the long form, or None. A letter followed
    by a digit counts as that letter repeated (``R3`` = Rollout Routing Replay).

    >>> long_form("PRM", "a new Process Reward Model".split())
    3
    >>> long_form("R3", "Rollout Routing Replay".split())
    3
    >>> long_form("PPO", "uses Policy Optimization".split()) is None
    True
    """
    chars = _expand_digits(short)
    if len(chars) < 2 or not words:
        return None
    for k in range(1, min(len(words), len(chars) + 3) + 1):  # first, the words whose initials spell it
        initials = [p[0].lower() for w in words[-k:] for p in re.split(r"[-/]", w) if p and p.lower() not in _LINK_WORDS]
        if initials == chars:
            return k
    max_words = min(len(chars) + 5, 2 * len(chars))
    cand = words[-max_words:]
    text = " ".join(cand).lower()
    si, li = len(chars) - 1, len(text) - 1
    while si >= 0:
        c = chars[si]
        while li >= 0 and (text[li] != c or (si == 0 and li > 0 and text[li - 1].isalnum())):
            li -= 1
        if li < 0:
            return None
        si -= 1
        li -= 1
    start = text.rfind(" ", 0, li + 1) + 1
    n = text[start:].count(" ") + 1
    if n > len(chars) + 1 and n > 2:  # too loose a match
        return None
    pieces = [w for w in re.split(r"[\s\-/]+", text[start:]) if w and w not in _LINK_WORDS]
    caps = sum(ch.isupper() for ch in short)
    if len(pieces) < caps and sum(ch.isupper() for w in words[-n:] for ch in w) < caps:
        return None  # each capital names a word or a capital: ``Policy Optimization`` is only part of PPO
    return n


def _expand_digits(short: str) -> list[str]:
    out: list[str] = []
    s = short.replace("-", "")
    m = re.fullmatch(r"([A-Za-z])(\d)", s)
    if m and 2 <= int(m.group(2)) <= 4:
        return [m.group(1).lower()] * int(m.group(2))
    for ch in s:
        if ch.isalpha():
            out.append(ch.lower())
        elif ch.isdigit() and out:
            continue
    return out
