"""``kg_cues``: sentence-level evidence for types and relations.

For each candidate of :mod:`kg.pipeline.mentions` it records, in
``Candidate.flags``, how the sentence uses it:

``propose``   introduced here (``X를 제안``, ``새로운 X``, ``introduces X``)
``subject``   the sentence's topic (``X는 …``, sentence-initial English subject)
``compare``   the object of a comparison (``X를 능가``, ``X보다``, ``outperforms X``)
``based``     what something is built on (``X 기반``, ``X를 바탕으로``, ``built on X``)
``eval``      an evaluation target (``X에서`` in an evaluation sentence, ``on X``)

and adds sentence-level type evidence (``벤치마크``/``benchmark`` in the sentence).
"""
from __future__ import annotations

import re
from bisect import bisect_left

from ..lang import en, ko
from . import component

__all__ = ["kg_cues"]


KO_PROPOSE_AFTER = re.compile(r"^\s*(?:\*\*)?\s*(?:\([^)]*\)\s*)?(?:(?:을|를|이라는|라는|라고|이라고|의|와|과)?\s*(?:[가-힣A-Za-z\-]+\s+){0,3}?"
                              r"(?:" + "|".join(ko.PROPOSE) + r"))")
KO_SUBJECT = re.compile(r"^\s*(?:\*\*)?\s*(?:\([^)]*\)\s*)?(?:(?:모델|프레임워크|방법|기법|시스템|아키텍처|접근법|시리즈)\s*)?"
                        r"(?:은|는|이|가|에서는)(?:\s|$)")
_BRIDGE = r"(?:(?:와|과)?\s*같은\s+|\s*등의?\s+)?(?:(?:기존|대형|최신|강력한|다른|여러|주요|경쟁)\s*)*(?:[가-힣A-Za-z]+\s+)?(?:모델|방법|기법|베이스라인|시스템|접근법)?들?\s*"
KO_COMPARE = re.compile(r"^\s*(?:\([^)]*\)\s*)?(?:" + _BRIDGE + r"(?:(?:을|를)\s*(?:[가-힣0-9.%p]+\s+){0,3}?(?:" +
                        "|".join(ko.IMPROVE_STRONG) + r"|초과)|보다|대비|에\s*비해|와\s*비교|과\s*비교|와의\s*비교|과의\s*비교))")
LIST_JOINER = re.compile(r"^\s*(?:\([^)]*\)\s*)?(?:,|및|와|과|그리고|or|and|,\s*and|,\s*or|/)\s*(?:\([^)]*\)\s*)?$")
LIST_TAIL_CUE = re.compile(r"^\s*(?:\([^)]*\)\s*)?(?:등|와 같은|과 같은|같은|을 포함한|를 포함한|including|and other)?[^.\n]{0,24}?"
                           r"(벤치마크|데이터\s?셋|데이터\s?세트|benchmarks?|datasets?)")
BASELINE = re.compile(r"비교\s*대상|베이스라인|\bbaselines?\b", re.I)
KO_BETTER = re.compile(r"보다\s+더\s|보다\s*(?:[가-힣0-9.,%p]+\s+){0,2}?(?:우수|높|뛰어|좋|나은|낫|앞|강력|효과적|빠르|정확|개선|향상)")
KO_BASED = re.compile(r"^\s*(?:\([^)]*\)\s*)?(?:을|를|의)?\s*(?:" + "|".join(ko.BASED) + r")")
KO_EVAL = re.compile(r"^\s*(?:\([^)]*\)\s*)?(?:벤치마크|데이터셋|데이터 세트)?\s*(?:에서|에서의|에서도|에서는|상에서)")
EN_PROPOSE_BEFORE = re.compile(r"(?:introduces?|introducing|proposes?|proposing|presents?|presenting|develops?|releases?|"
                               r"called|named|dubbed|termed|novel|new)\s+(?:[\w\-]+\s+){0,4}?$", re.I)
EN_BASED_BEFORE = re.compile(r"(?:based on|built (?:on|upon)|builds on|initiali[sz]ed from|fine-?tun\w+|on top of|extends?)"
                             r"\s+(?:the\s+)?(?:[\w\-.]+\s+){0,2}?$", re.I)
_NAMES = r"(?:[A-Z0-9][\w\-.*/+]*(?:\s+[A-Z0-9][\w\-.*/+]*)*\s*(?:,\s*(?:and\s+|or\s+)?|\s+and\s+|\s+or\s+))"
EN_COMPARE_BEFORE = re.compile(r"(?:outperform\w*|surpass\w*|beat\w*|exceed\w*|better than|superior to|"
                               r"improves? (?:over|upon)|improvements? over|gains? over|compared (?:to|with)|"
                               r"versus|vs\.?)\s+(?:(?:the|existing|prior|strong|state-of-the-art|baselines?|models?|methods?|"
                               r"such as|like|including)\s+)*" + _NAMES + r"{0,8}$", re.I)


def _any_of(words) -> str:
    return "|".join(map(re.escape, words))


#: sentence-level cues, Korean words and English word patterns in one pattern each, matched
#: against the lower-cased sentence (compiled once: building a pattern per sentence was a
#: tenth of extraction, and re.I is slower than lower-casing once)
PROPOSE_CUE = re.compile(_any_of(ko.PROPOSE) + r"|\b(?:" + "|".join(en.PROPOSE) + r")\b")
IMPROVE_CUE = re.compile(_any_of(ko.IMPROVE_STRONG) + "|" + KO_BETTER.pattern + "|초과|" +
                         _any_of(("대비", "비해", "비교 우위", "비교하여 우수")) +
                         r"|\b(?:" + "|".join(en.IMPROVE_STRONG) + r")")
KO_BETTER_WORD = re.compile(r"우수|높은|뛰어|향상|개선|나은|앞선")
EVALUATE_CUE = re.compile(_any_of(ko.EVALUATE) +
                          r"|\b(?:evaluat\w*|benchmark\w*|achiev\w*|results?|accuracy|score\w*|performance)\b")
#: a reported score: a sentence with one evaluates what it names right after "on" ("reaches 48.2% on X",
#: "61.3 pass@1 on Y"), though not what it compares with ("rivals models like Z")
SCORE_CUE = re.compile(r"(?<![\w.\-])\d{1,3}\.\d+\s?(?:%|pass@|points?\b|(?:[\w@\-]+\s)?on\b)|(?<![\w.\-])\d{1,3}\s?%")
EN_ON_BEFORE = re.compile(r"\b(?:on|across)\s+(?:the\s+)?$")
BENCH_WORD = re.compile(r"벤치마크|\bbenchmarks?\b", re.I)
DATA_WORD = re.compile(r"데이터\s?(?:셋|셑|세트)|\bdatasets?\b|\bcorpus\b", re.I)
EN_SUBJECT_VERB = re.compile(r"^\s*(?:\([^)]*\)\s*)?[,]?\s*(?:is|are|achieves|outperforms|uses|introduces|improves|employs|"
                             r"leverages|demonstrates|shows|reaches|surpasses|beats|exceeds|attains|matches|delivers)\b")
EN_EVAL_BEFORE = re.compile(r"(?<!built )(?<!based )(?<!trained )(?<!focus )(?:\bon|\bacross|\bincluding|such as|like)\s+(?:the\s+)?(?:[\w\-]+\s+){0,2}?(?:benchmarks?\s+)?" + _NAMES + r"{0,8}$")


class EndAnchored:
    r"""A ``…$`` pattern over the text before a name, matched backwards.

    ``search`` with a pattern that must end where the text ends tries every
    start position (the four English ``*_BEFORE`` cues were 15% of extraction's
    instructions); the same pattern written in reverse is one anchored
    ``match`` on the reversed text. ``forward`` is the readable definition,
    ``backward`` its mirror image (``$`` becomes ``\n?`` at the start, a
    lookbehind a lookahead), and tests check that both accept the same texts.
    Only ``search``'s truth is kept: the match object spans the reversed text.
    """

    __slots__ = ("forward", "backward")

    def __init__(self, forward: re.Pattern, backward: str) -> None:
        self.forward = forward
        self.backward = re.compile(r"\n?" + backward, forward.flags)

    def search(self, text: str) -> re.Match | None:
        return self.backward.match(text[::-1])


# the four English cues above, from here on matched backwards
#: ``_NAMES`` mirrored: a list separator, then names (last word first, capital last)
_SEMAN = r"(?:(?:(?:\s+dna|\s+ro)?\s*,|\s+dna\s+|\s+ro\s+)\s*(?:[\w\-.*/+]*[A-Z0-9]\s+)*[\w\-.*/+]*[A-Z0-9])"
EN_PROPOSE_BEFORE = EndAnchored(EN_PROPOSE_BEFORE, r"(?:\s+[\w\-]+){0,4}\s+(?:s?ecudortni|gnicudortni|s?esoporp|gnisoporp|"
                                r"s?tneserp|gnitneserp|s?poleved|s?esaeler|dellac|deman|debbud|demret|levon|wen)")
EN_BASED_BEFORE = EndAnchored(EN_BASED_BEFORE, r"(?:\s+[\w\-.]+){0,2}(?:\s+eht)?\s+(?:no desab|(?:no|nopu) tliub|no sdliub|"
                              r"morf de[sz]ilaitini|\w+nut-?enif|fo pot no|s?dnetxe)")
EN_COMPARE_BEFORE = EndAnchored(EN_COMPARE_BEFORE, _SEMAN + r"{0,8}(?:\s+(?:eht|gnitsixe|roirp|gnorts|tra-eht-fo-etats|s?enilesab|"
                                r"s?ledom|s?dohtem|sa hcus|ekil|gnidulcni))*\s+(?:\w*mrofreptuo|\w*ssaprus|\w*taeb|\w*deecxe|"
                                r"naht retteb|ot roirepus|(?:revo|nopu) s?evorpmi|revo s?tnemevorpmi|revo s?niag|"
                                r"(?:ot|htiw) derapmoc|susrev|\.?sv)")
EN_EVAL_BEFORE = EndAnchored(EN_EVAL_BEFORE, _SEMAN + r"{0,8}(?:\s+s?kramhcneb)?(?:\s+[\w\-]+){0,2}(?:\s+eht)?\s+"
                             r"(?:no\b|ssorca\b|gnidulcni\b|sa hcus|ekil)(?! tliub)(?! desab)(?! deniart)(?! sucof)")


#: a line that lists names after a label naming their kind: "benchmarks: A, B", "- 비교 모델: X, Y"
LIST_LABEL = re.compile(r"(?m)^[ \t>*+\-•\d.)]*\**\s*(?:(?:evaluation|eval|test|target|main|used|key)\s+)?"
                        r"(?P<kind>benchmarks?|datasets?|data|baselines?|compared(?:\s+(?:models?|methods?))?|"
                        r"벤치마크|데이터\s?셋|데이터\s?세트|평가\s*(?:데이터|벤치마크|세트)?|베이스라인|비교\s*(?:대상|모델|방법))"
                        r"\s*\**\s*[:：]\s*\**", re.I)


def _label_lists(doc, cands: list) -> None:
    """Names on a ``benchmarks: …`` / ``baselines: …`` line take the label's kind:
    a field label says what the names after it are, as a cue word does."""
    text = doc.user_data["kg_tokens"].text
    if ":" not in text and "：" not in text:
        return
    for m in LIST_LABEL.finditer(text):
        end = text.find("\n", m.end())
        end = len(text) if end < 0 else end
        kind = m.group("kind").lower()
        for c in cands:
            if m.end() <= c.s < end:
                if kind.startswith(("bench", "벤치", "평가")):
                    c.add("Benchmark", 3.0)
                    c.flags.add("eval")
                elif kind.startswith(("data", "데이터")):
                    c.add("Dataset", 3.0)
                    c.flags.add("eval")
                else:
                    c.add("Method", 3.0)
                    c.flags.add("baseline")
                    c.flags.discard("eval")  # compared against, not evaluated on
                c.flags.add("labelled")


@component("kg_cues")
def kg_cues(doc):
    cands = doc._.kg_candidates or []
    firsts = [c.start for c in cands]  # in token order (kg_mentions sorts them)
    sents = []
    for s_tok, e_tok, s_char, e_char in doc.user_data.get("kg_sents", []):
        in_sent = cands[bisect_left(firsts, s_tok):bisect_left(firsts, e_tok)]
        info = {"start": s_char, "end": e_char}
        sents.append(info)
        if not in_sent:
            continue  # the sentence's cue words only matter to the names in it
        info.update(sentence_cues(doc.user_data["kg_tokens"].text[s_char:e_char]))
        for c in in_sent:
            _flag(doc, c, info, s_char)
        _propagate_lists(doc, in_sent)
    _label_lists(doc, cands)
    doc._.kg_sentences = sents
    return doc


def sentence_cues(text: str) -> dict[str, bool]:
    """Which kinds of statement a sentence makes (proposal, improvement, …)."""
    low = text.lower()
    return {
        "propose": bool(PROPOSE_CUE.search(low)),
        "improve": bool(IMPROVE_CUE.search(low)) or ("보다" in text and bool(KO_BETTER_WORD.search(text))),
        "baseline": bool(BASELINE.search(text)),
        "evaluate": bool(EVALUATE_CUE.search(low)),
        "scored": bool(SCORE_CUE.search(low)),
        "bench_word": bool(BENCH_WORD.search(text)),
        "data_word": bool(DATA_WORD.search(text)),
    }


def _propagate_lists(doc, cands: list) -> None:
    """Names coordinated in a list (``A, B 및 C보다``, ``A, B, and C``) share
    the sentence role of the list: comparison objects, evaluation targets,
    and a type cue that follows the whole list (``… 등 벤치마크``)."""
    groups: list[list] = []
    for c in cands:
        if groups:
            prev = groups[-1][-1]
            text = doc.user_data["kg_tokens"].text
            between = text[prev.e: c.s].replace("**", "")
            opens_clause = "," in between and EN_SUBJECT_VERB.match(text[c.e: c.e + 40])
            if LIST_JOINER.match(between) and not opens_clause:  # "On A and B, X beats Y": X is no list item
                groups[-1].append(c)
                continue
        groups.append([c])
    for g in groups:
        if len(g) < 2:
            continue
        last = g[-1]
        tail = doc.user_data["kg_tokens"].text[last.e: last.e + 60]
        m = LIST_TAIL_CUE.match(tail)
        for fl in ("compare", "eval", "based"):
            if any(fl in c.flags for c in g):
                for c in g:
                    c.flags.add(fl)
        if m:
            typ = "Benchmark" if m.group(1).lower().startswith(("벤치", "bench")) else "Dataset"
            for c in g:
                c.add(typ, 2.0)
                c.flags.add("eval")


def _flag(doc, c, info: dict, sent_start: int) -> None:
    after = doc.user_data["kg_tokens"].text[c.e: c.e + 40].replace("**", "")
    before = doc.user_data["kg_tokens"].text[max(sent_start, c.s - 80): c.s].replace("**", "")
    if info["propose"] and (KO_PROPOSE_AFTER.match(after) or EN_PROPOSE_BEFORE.search(before)
                            or before.rstrip().endswith(ko.NOVEL)):
        c.flags.add("propose")
    # "Evaluated on A and B, X surpasses Y": X opens its clause and is what was evaluated, not where
    en_subject = bool(EN_SUBJECT_VERB.match(after)) and (c.s - sent_start < 4 or before.rstrip().endswith(","))
    if KO_SUBJECT.match(after) or en_subject:
        c.flags.add("subject")
        if info["propose"]:
            c.flags.add("propose_subject")
        if info["improve"]:
            c.flags.add("winner")
    if info["improve"] and (KO_COMPARE.match(after) or EN_COMPARE_BEFORE.search(before)):
        c.flags.add("compare")
    if info["baseline"] and not KO_SUBJECT.match(after) and not KO_PROPOSE_AFTER.match(after):
        c.flags.add("baseline")
    if KO_BASED.match(after) or EN_BASED_BEFORE.search(before):
        c.flags.add("based")
    if KO_EVAL.match(after) or (not en_subject and (info["evaluate"] or info["improve"])
                                and EN_EVAL_BEFORE.search(before)) \
            or (info["scored"] and not en_subject and EN_ON_BEFORE.search(before[-12:])):
        c.flags.add("eval")
    if info["bench_word"]:
        c.add("Benchmark", 0.75)
    if info["data_word"]:
        c.add("Dataset", 0.5)
    if "eval" in c.flags:
        c.add("Benchmark", 1.0)
    if "compare" in c.flags or "based" in c.flags or "baseline" in c.flags:
        c.add("Method", 1.5)
