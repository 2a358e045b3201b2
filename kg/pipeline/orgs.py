"""Organisations: which phrases name a company, lab or university, and where a
review ties one to its paper.

A phrase is an organisation by the lexicon (a usual spelling, or a typo of one
within edit distance 2: ``Stnaford``), or by its shape: a capitalised phrase with
an organisation head word (``Brown University``, ``Allen Institute for AI``,
``Vector Lab``), a Korean name ending in 대학교/연구소/연구원, or a capitalised name
glued to ``AI`` (``GoogleAI``, ``브리아AI``). Shape alone is trusted only in the
places where reviews name the authors' organisation:

* an affiliation line at the top of a record (``Tsinghua University, Microsoft``,
  ``[ICLR 2024] Stanford University``, ``[Stnaford, Toronto] <title>``), venue tags
  and the title dropped, footnote marks (``Stanford University1``, ``†``) removed;
* a parenthesis in prose that holds only organisations, not right after a name
  (``… 중요하다고 생각 (Allen Institute for AI)``; ``Gemini (Google)`` is a model's maker);
* the subject of an announcing verb (``GoogleAI introduces Muse``, ``Meta researchers
  present``, ``researchers from KAIST``, ``네이버 연구팀이``, ``구글에서 공개한 논문``; ``OpenAI가 발표한 GPT-4o``
  is where a cited model comes from, not the paper);
* an explicit company cue, whatever the name's shape (``브리아AI 라는 회사에서``,
  ``a startup called Reka``).

>>> affiliation_line("Tsinghua University, Microsoft")
['Tsinghua University', 'Microsoft']
>>> affiliation_line("[ICLR 2024] Stanford University")
['Stanford University']
>>> affiliation_line("# Points")
[]
>>> [o for o, _ in prose_orgs("GoogleAI introduces Muse, a text-to-image model.")]
['GoogleAI']
"""
from __future__ import annotations

import functools
import re

from ..lang.lexicon import ORG_VARIANTS

__all__ = ["org_name", "affiliation_line", "prose_orgs", "title_orgs", "strip_marks"]

#: head words that make a capitalised phrase an organisation
HEAD = re.compile(r"(?:University|Universit[éä]t?|Institute|Institut|College|Laborator(?:y|ies)|Labs?|Research|"
                  r"Academy|Inc|Corp|Corporation|Technologies|Foundation|Center|Centre|School|Polytechnic)\.?")
KO_HEAD = re.compile(r"^[\uAC00-\uD7A3A-Za-z]{1,12}(?:대학교|대학|연구소|연구원|과학기술원)$")
GLUED_AI = re.compile(r"^(?:[A-Z][A-Za-z0-9]+|[\uAC00-\uD7A3]{2,8})\s?AI$")
#: adjectives that make "X AI" a field, not a company (Generative AI, Open AI research)
AI_FIELD = {"generative", "explainable", "responsible", "constitutional", "open", "agentic", "physical", "embodied",
            "conversational", "trustworthy", "general", "artificial", "applied", "human", "medical", "edge",
            "sovereign", "multimodal", "safe", "ethical", "green", "creative", "the", "an", "a", "our", "your"}
CONNECT = {"of", "for", "and", "&", "de", "the", "at", "in", "-"}
VENUE = re.compile(r"(?i)\b(?:ICLR|NeurIPS|NIPS|ICML|CVPR|ICCV|ECCV|ACL|EMNLP|NAACL|EACL|COLING|AAAI|IJCAI|KDD|"
                   r"SIGIR|WWW|CoRL|RSS|ICRA|IROS|TMLR|JMLR|TPAMI|WACV|AISTATS|UAI|COLM|Findings|arXiv|preprint|"
                   r"workshop|conference|journal|published|accepted|oral|spotlight|poster)\b")
MARKS = re.compile(r"(?<=[^\W\d_])[\d¹²³⁴⁵⁶⁷⁸⁹⁰*†‡§]+$|^[\d¹²³⁴⁵⁶⁷⁸⁹⁰*†‡§]+(?=[^\W\d_])")
SPLIT = re.compile(r"\s*[,;/·|]\s*|\s+and\s+|\s*&\s+(?=[A-Z])")
BRACKET = re.compile(r"\[([^\[\]]{1,120})\]|\(([^()]{1,120})\)")
#: an announcing verb, then (looking back from it) its subject: the cue is found first, so
#: the costly subject pattern runs on a few dozen characters, not on every position of the text
VERB_EN = re.compile(r"\s(?:introduce[sd]?|propose[sd]?|present[sd]?|release[sd]?|unveil[sd]?|open-source[sd]?|"
                     r"announce[sd]?|develop(?:s|ed)|publishe[sd]|launche[sd]|builds?|built)\b")
#: a capitalised name of up to five words, ``of``/``for``/``&`` between them (``Allen Institute for AI``)
ORG_PHRASE = r"(?P<org>[A-Z][\w&.\-]*(?:\s+(?:of|for|&)?\s*[A-Z][\w&.\-]*){0,4})"
SUBJECT_EN = re.compile(r"(?:^|(?<=[.;:!?]\s)|(?<=[-*|]\s))\s*(?:(?i:researchers)\s+(?:from|at)\s+)?"
                        + ORG_PHRASE + r"(?:\s+(?:researchers|team|AI\s+team))?$", re.M)
FROM_EN = re.compile(r"(?:\b(?i:researchers|team|authors|scientists|paper|work|study|group)s?\s+(?i:from|at|by)"
                     # a clause set off after a title: "— from X", "(by X", "(arXiv …) by X"
                     r"|(?:[—–]|\s-|\(|\))\s*(?i:from|by))\s+" + ORG_PHRASE)
CUE_KO = re.compile(r"(?:연구진|연구팀|연구자들)(?:이|은|는|과)|"
                    r"에서\s*(?:(?:발표|공개|제안|개발)(?:한|된)|낸|내놓은)\s*(?:논문|연구)")
SUBJECT_KO = re.compile(r"(?<![\w&.\-])(?P<org>[\w&.\-]+?(?:\s[A-Z][\w&.\-]*)?)(?:\s*의)?\s*$")
#: an explicit "the company X" cue: the name is an organisation whatever its shape
CUE_COMPANY_KO = re.compile(r"(?:이라는|라는|란)\s*(?:회사|기업|스타트업|연구소|연구\s*기관)")
COMPANY_KO = re.compile(r"(?<![^\s()\[\]:,.])(?P<org>[^\s()\[\]:,.]{2,30}?)\s*$")
AND_ORG = re.compile(r"\s*(?:,\s*(?:and\s+)?|\s+and\s+|\s*&\s*)" + ORG_PHRASE)
COMPANY_EN = re.compile(r"\b(?:company|startup|lab)\s+(?:called|named)\s+(?P<org>[A-Z][\w&.\-]*(?:\s+[A-Z][\w&.\-]*){0,3})")
PAREN = re.compile(r"(?:^|(?<=\s))\(([^()\n]{2,100})\)(?=[ \t]*(?:[.。][ \t]*)?$)", re.M)


def strip_marks(name: str) -> str:
    """Footnote digits and marks glued to an affiliation: ``Stanford University1`` → ``Stanford University``."""
    return MARKS.sub("", name.strip().strip("*_`")).strip()


#: words that name a part of an organisation after its name
ORG_UNITS = frozenset(("research", "cloud", "labs", "lab", "brain", "fair", "ai", "studio", "inc", "corp"))


@functools.lru_cache(maxsize=16384)
def org_name(phrase: str, shape_ok: bool = True) -> str | None:
    """The phrase as an organisation name (marks stripped), or None.

    ``shape_ok=False`` accepts only lexicon spellings and their typos.

    >>> [org_name(p) for p in ("Stnaford", "Brown University2", "Allen Institute for AI", "GPT-4", "Generative AI")]
    ['Stnaford', 'Brown University', 'Allen Institute for AI', None, None]
    """
    raw = re.sub(r"(?<=[A-Za-z])[.,;:]$", "", re.sub(r"\s+", " ", phrase.strip().strip("*_`")))  # a sentence's end
    if raw.lower() in ORG_VARIANTS:  # before marks are stripped: AI2 is a name, not AI with a footnote
        return raw
    p = re.sub(r"^(?:the|The)\s+", "", strip_marks(raw))
    low = p.lower()
    if not p or len(p) > 60 or not re.search(r"[^\W\d_]", p):
        return None
    if low in ORG_VARIANTS or _near_lexicon(low):
        return p
    words = p.split()
    if len(words) == 2 and words[0].lower() in ORG_VARIANTS and (words[1].lower() in ORG_UNITS
                                                                 or words[1].lower() in ORG_VARIANTS):
        return p  # a known organisation's lab or branch: Meta FAIR, NAVER Cloud, Microsoft Research
    if not shape_ok:
        return None
    if len(words) > 7 or not (words[0][:1].isupper() or re.match(r"[\uAC00-\uD7A3]", words[0])):
        return None
    if _headed(words) and all(w[:1].isupper() or w.lower() in CONNECT or w[:1].isdigit() for w in words):
        return p
    if KO_HEAD.match(p):
        return p
    if GLUED_AI.match(p) and len(words) <= 2 and words[0].lower() not in AI_FIELD and (
            len(words) == 2 or p[:-2].lower() in ORG_VARIANTS or re.match(r"[\uAC00-\uD7A3]", p)):
        return p
    return None


def _headed(words: list[str]) -> bool:
    """An organisation head word ends the phrase (``Brown University``) or opens its
    complement (``University of Toronto``, ``Allen Institute for AI``); ``Foundation
    Models`` and ``Research Ideas`` are not organisations."""
    if len(words) < 2:
        return False
    if HEAD.fullmatch(words[-1]):
        return True
    return any(HEAD.fullmatch(w) and nxt.lower() in ("of", "for", "de") for w, nxt in zip(words, words[1:]))


def _near_lexicon(low: str) -> bool:
    if len(low) < 6 or not re.fullmatch(r"[a-z]+", low):  # one plain word: a typo, not a phrase near a name
        return False
    from ..resolve import edit_distance  # resolution owns the distance; imported late (resolve imports pipeline)
    return any(abs(len(v) - len(low)) <= 1 and edit_distance(low, v) <= 2 for v in ORG_VARIANTS if len(v) >= 6)


def affiliation_line(line: str) -> list[str]:
    """The organisations of a short line that lists only affiliations (with venue tags
    and, after a bracketed list, the title); [] for any other line."""
    text = re.sub(r"[*_`]", "", line).strip()
    if not text or len(text) > 200 or text.startswith(("#", "-", ">", "|", "<", "!")) or re.search(r"다\.|\.\s", text):
        return []
    parts: list[str] = []
    rest = text
    for m in BRACKET.finditer(text):
        parts += SPLIT.split(m.group(1) or m.group(2))
        rest = rest.replace(m.group(0), " ")
    rest = rest.strip(" -–—:")
    bracketed = len(parts) > 0
    if rest and not (bracketed and len(rest.split()) > 4):  # after a bracketed list, a long rest is the title
        parts += SPLIT.split(rest)
    orgs, others = [], 0
    for part in (p.strip() for p in parts):
        if not part or VENUE.search(part) or re.fullmatch(r"[\d\s'’]+", part):
            continue
        name = org_name(part)
        if name:
            orgs.append(name)
        else:
            others += 1
    return orgs if orgs and not others else []


def prose_orgs(text: str) -> list[tuple[str, int]]:
    """``(organisation, offset)`` for each place the prose ties an organisation to the
    paper: an organisations-only parenthesis, the subject of an announcing verb, an
    explicit company cue."""
    out: list[tuple[str, int]] = []
    if "(" in text:
        out += _closing_parens(text)
    for cue, rx, shape_ok, reach, hints in ((VERB_EN, SUBJECT_EN, True, 80, (" ",)),
                                            (CUE_KO, SUBJECT_KO, False, 40, ("연구", "에서")),
                                            (CUE_COMPANY_KO, COMPANY_KO, None, 34, ("라는", "란"))):
        if not any(h in text for h in hints):  # a substring test is far cheaper than a scan
            continue
        for c in cue.finditer(text):
            m = rx.search(text, max(0, c.start() - reach), c.start())
            if not m:
                continue
            org = m.group("org")
            if shape_ok is None:  # the cue says it is a company: any name that is not a plain Korean word
                name = org if re.search(r"[^\W\d_]", org) and not re.fullmatch(r"[\uAC00-\uD7A3]+", org) \
                    else org_name(org)
            else:
                name = org_name(org, shape_ok) or (org_name(org) if KO_HEAD.match(org) else None)
            if name:
                out.append((name, m.start("org")))
    for rx, hints in ((FROM_EN, ("from ", " at ", "by ")), (COMPANY_EN, ("called", "named"))):
        if not any(h in text for h in hints):
            continue
        for m in rx.finditer(text):
            if name := org_name(m.group("org"), rx is FROM_EN) or (rx is COMPANY_EN and m.group("org")):
                out.append((name, m.start("org")))
                end = m.end()
                while rx is FROM_EN and (more := AND_ORG.match(text, end)):  # "from X and Y", "X, Y and Z"
                    if not (also := org_name(more.group("org"))):
                        break
                    out.append((also, more.start("org")))
                    end = more.end()
    seen: set[str] = set()
    return [(o, at) for o, at in sorted(out, key=lambda x: x[1]) if not (o in seen or seen.add(o))]


def title_orgs(line: str) -> list[str]:
    """The organisations a title line closes with, in parentheses:
    ``1. **Loon: Search** (KAIST, NAVER)`` → ``['KAIST', 'NAVER']``.

    >>> title_orgs("1. **Loon: 멀티모달 검색** (카이스트, 네이버)"), title_orgs("## Owl (CVPR 2025)")
    (['카이스트', '네이버'], [])
    """
    # on a title line a closing parenthesis of organisations is the paper's, after a name too
    return [n for n, _ in _closing_parens(line.replace("**", "").replace("__", ""), title=True)] if "(" in line else []


def _closing_parens(text: str, title: bool = False) -> list[tuple[str, int]]:
    """A closing attribution: a parenthesis after a space that ends its line and holds
    only organisations (``… 생각 (Allen Institute for AI)``); ``허깅페이스(Hugging Face)``
    is a gloss and, in prose, ``Gemini (Google)`` a named model's maker."""
    out = []
    for m in PAREN.finditer(text):
        before = text[max(0, m.start() - 40):m.start()].split()
        if not title and before and re.search(r"[A-Z0-9][\w\-.]*$", before[-1]):
            continue
        names = [org_name(p) for p in SPLIT.split(m.group(1).strip())]
        if names and all(names):
            out += [(n, m.start(1)) for n in names]
    return out
