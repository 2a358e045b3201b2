"""Record-level extraction: PaperRecord → Mentions and Relations.

The pipeline's components find candidates and sentence cues in each section; this
module decides, with the whole record in view, which names are the paper's
own contribution and which statements follow (ANNOTATION.md):

* own names (title ``Name: subtitle``, ``X 제안``/``introduces X``) → proposedBy;
* benchmarks, and datasets used in evaluation sentences → evaluatedOn;
* named objects of ``능가``/``보다``/``outperforms`` → improvesOn;
* named objects of ``기반``/``built on`` → basedOn;
* the record's organisation tags → Paper proposedBy Organization.
"""
from __future__ import annotations

import functools
import math
import re
from dataclasses import dataclass, field

from .lang import lexicon
from .lang.lexicon import ORG_VARIANTS
from .mention_model import ROLES, features_of_text, load_model
from .model import Evidence, Mention, PaperRecord, Relation, Result, pickled_by_fields
from .pipeline import make_pipeline
from .pipeline.orgs import prose_orgs
from .pipeline.results import record_results
from .pipeline.shapes import VERSION, is_generic, is_hangul, is_junk, long_form, norm_key, shape
from .readers.units import PART_NAME
from .resolve import canonical_org

__all__ = ["extract_records", "extract_record", "title_names", "RecordExtraction"]

FUNCTION_WORDS = {"with", "of", "for", "the", "from", "a", "an", "in", "on", "is", "are", "to", "and", "via",
                  "by", "at", "as", "your", "you", "we", "our", "do", "does", "can", "how", "what", "why",
                  "when", "than", "be", "not", "its", "their", "into", "toward", "towards", "beyond", "between"}
SKIP_ROLES = ("limitation", "future")
_KNOWN_NAMES = frozenset(x.lower() for x in lexicon.SPELLINGS)  # whole names, spelled as the field does
HEAD_NOUNS = {"model", "framework", "method", "benchmark", "dataset", "system", "agent", "network", "bench"}


@pickled_by_fields
@dataclass(slots=True)
class RecordExtraction:
    record: PaperRecord
    mentions: list[Mention] = field(default_factory=list)
    relations: list[Relation] = field(default_factory=list)
    results: list[Result] = field(default_factory=list)


def title_names(record: PaperRecord) -> list[tuple[str, str | None, list[str]]]:
    """Names the title gives the paper's contribution: (name, type hint, aliases)."""
    titles = [s for s in record.sections if s.role == "title"]
    if not titles:
        return []
    title = titles[0].text.strip()
    has_subtitle = len(titles) > 1
    name, rest = title, ""
    m = re.match(r"^(.{2,60}?)\s*[:：]\s+(.+)$", title)
    if m:
        name, rest = m.group(1).strip(), m.group(2)
        if _generic_phrase(name):  # "Reading notes: Osprey-70B, an open model": the post's words, not a name
            lead = re.match(r"^(\S{2,40}?)(?:[,:;]|\s+[—–-]\s+|$)", rest)
            if not (lead and shape(lead.group(1)) == "NAME"):
                return []
            name, rest = lead.group(1), rest[lead.end():]
    elif not has_subtitle and not _one_name(title):
        return []  # a whole title is a name only when it is one name-like word ("**Tern**" in a digest)
    if has_subtitle:
        rest = rest + " " + titles[1].text
    words = name.split()
    if not words or len(words) > 5 or is_hangul(name) or "," in name or "?" in name:
        return []
    if any(w.lower() in FUNCTION_WORDS for w in words[1:]):
        return []
    if len(words) > 3 and not any(shape(w) == "NAME" for w in words):
        return []
    if name.isupper() and len(words) > 2:
        return []
    if all(shape(w) in ("GEN", "LOW", "NUM", "VER") for w in words):
        return []
    aliases = []
    rest_words = re.findall(r"[A-Za-z][\w\-]*", rest)
    if rest_words and len(words) == 1 and long_form(name, rest_words[: len(name) + 2]) is not None:
        k = long_form(name, rest_words[: len(name) + 2])
        if k:
            aliases.append(" ".join(rest_words[:k]) if long_form(name, rest_words[:k]) else "")
    aliases = [a for a in aliases if a]
    low = (rest + " " + name).lower()
    hint = None
    if "bench" in name.lower() or re.search(r"\bbenchmark|벤치마크|평가\s*(?:체계|세트)|leaderboard", low):
        hint = "Benchmark"
    elif re.search(r"\bdataset|\bcorpus|데이터\s?셋|데이터\s?세트", low) and not re.search(r"\bmodel|모델", low):
        hint = "Dataset"
    return [(name, hint, aliases)]


def _generic_phrase(name: str) -> bool:
    """Words before a title's colon that are not a name: a part of a post ("Reading notes",
    "Paper review", "논문 리뷰") or a phrase with a lower-case word and no name-shaped one."""
    words = name.split()
    if PART_NAME.match(name) or re.fullmatch(r"\W*(?:reading|paper|논문)\s*(?:notes?|reviews?|리뷰|요약|정리)\W*", name, re.I):
        return True
    return len(words) >= 2 and any(w[:1].islower() for w in words[1:]) and not any(shape(w) == "NAME" for w in words)


def _one_name(title: str) -> bool:
    """A title that is a single name-like word: a digest that titles a paper by its method."""
    return " " not in title and 3 <= len(title) <= 40 and shape(title) in ("NAME", "CAP") \
        and title.lower() not in FUNCTION_WORDS and not is_hangul(title)


def extract_records(records: list[PaperRecord]) -> list[RecordExtraction]:
    """Extract every record (:func:`iter_extractions`)."""
    return list(iter_extractions(records))


def iter_extractions(records: list[PaperRecord]):
    """Each record's extraction, in order. A record's sections go through the
    pipeline (:func:`kg.pipeline.make_pipeline`) and are aggregated at once, so
    only one record's section documents are alive at a time; the document's
    statistics (:class:`_DocStats`) over all its records then inform the
    mention model."""
    records, titles, aggs, ctx = _prepare(records)
    for i, (rec, agg, t) in enumerate(zip(records, aggs, titles)):
        yield _assemble(rec, agg, t, ctx, ctx.heads[i])


def _prepare(records):
    records = list(records)
    titles = [title_names(rec) for rec in records]
    aggs = [_aggregate(rec, _section_docs(rec, t)) for rec, t in zip(records, titles)]
    return records, titles, aggs, _doc_stats(aggs, records)


def iter_candidates(records: list[PaperRecord]):
    """``(record, key, candidate, features)`` for every candidate the rules propose,
    before the mention model decides: what :mod:`kg.train` learns from."""
    records, titles, aggs, ctx = _prepare(records)
    for i, (rec, agg, tn) in enumerate(zip(records, aggs, titles)):
        _, scored = _candidates(agg, tn, ctx, ctx.heads[i], True)
        for key, a, _, x in scored:
            yield rec, key, a, x


def _candidates(agg: dict[str, "_Agg"], tnames, ctx: "_DocStats", heads: set, features: bool):
    """The record's own keys, and ``(key, candidate, rule type, features or None)`` for
    every candidate that is more than future work: what the mention model sees."""
    own_keys = _own(agg, tnames)
    out = []
    for key, a in agg.items():
        if a.roles <= set(SKIP_ROLES) and "title" not in a.roles:
            continue  # only mentioned as future work
        rule_type = _type(a, tnames)
        x = mention_features(key, a, tnames, own_keys, rule_type, ctx, heads) if features else None
        out.append((key, a, rule_type, x))
    return own_keys, out


def _section_docs(rec: PaperRecord, titles) -> list:
    """Each section through the pipeline, with the title's names known."""
    run = make_pipeline()
    known = [n for n, _, al in titles for n in [n, *al]]
    docs = []
    for sec in rec.sections:
        if sec.role == "title" and _shouting(sec.text):
            text = sec.text.lower()  # all-caps titles: only known names apply
        else:
            text = _clean(sec.text)
        docs.append((sec, run(text, known=known, role=sec.role)))
    return docs


def extract_record(record: PaperRecord) -> RecordExtraction:
    return extract_records([record])[0]


def _shouting(text: str) -> bool:
    letters = [c for c in text if c.isalpha() and c.isascii()]
    return len(letters) > 12 and sum(c.isupper() for c in letters) / len(letters) > 0.7


IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
URL = re.compile(r"https?://\S+")
SPACES = re.compile(r"\s+")
MARKUP = re.compile(r"\*\*|\*|`")
BULLET = re.compile(r"^\s*[-•]\s*")
VARIANT_SUFFIX = re.compile(r"(?:v?\d+(?:\d)*[bmk]?|[a-z]{0,8}\d+[bmk]?)(?:instruct|chat|base|preview)?")


def _clean(text: str) -> str:
    """Markdown links → their text; images dropped. Newlines are kept so that
    line numbers of evidence stay right."""
    if "](" in text:
        text = IMAGE.sub("", text)
        text = LINK.sub(r"\1", text)
    if "://" in text:
        text = URL.sub("", text)
    return text


@dataclass
class _Agg:
    text: str
    scores: dict
    flags: set
    aliases: set
    sentences: dict  # flag -> (sentence, line, section)
    roles: set
    first_line: int
    count: int = 0  # occurrences in the record
    variants: set = field(default_factory=set)  # of ``aliases``: the family or unversioned forms folded in
    label: int = 0  # … as a line's label (``**Venue**: …``, ``Links:``)
    line: int = 0  # … as a whole line
    value: int = 0  # … as what follows a line's label
    sections: set = field(default_factory=set)


LEAD_MARKUP = " \t*_#>+-•|0123456789.)"


FIELD_LABEL = re.compile(r"^[^:：\n]{1,40}[:：][\s*_`]*$")


def _position(full: str, s: int, e: int) -> tuple[bool, bool, bool]:
    """(is a label, is the whole line, is a field's value: ``Category: cs.CL``)
    for the span [s, e) of ``full``."""
    ls = full.rfind("\n", 0, s) + 1
    le = full.find("\n", e)
    before = full[ls:s].strip(LEAD_MARKUP)
    after = full[e:le if le >= 0 else len(full)].lstrip(" *_`")
    if before:
        return False, False, bool(FIELD_LABEL.match(before))
    return after[:1] in (":", "：") and len(after.strip(" :：*")) > 0, not after.strip(" *_:：`|"), False


def _aggregate(rec: PaperRecord, docs: list) -> dict[str, _Agg]:
    """The record's candidates, one per comparison key, with what every occurrence adds."""
    agg: dict[str, _Agg] = {}
    for sec, doc in docs:
        sents = doc._.kg_sentences or []
        for c in doc._.kg_candidates or []:
            text = _strip_name(c.text)
            if not text or is_generic(text) or len(text) < 2 or text.lower() in ORG_VARIANTS or is_junk(text):
                continue  # organisations in prose are not the paper's (tags are)
            key = norm_key(text)
            a = agg.get(key)
            new_flags = [fl for fl in (*c.flags, "any") if a is None or fl not in a.sentences]
            if new_flags:  # the first sentence per flag is the evidence (found only when needed)
                full = doc.user_data["kg_tokens"].text
                line = sec.line + full.count("\n", 0, c.s)
                sent = next((s for s in sents if s["start"] <= c.s < s["end"]), None)
                evidence = (_tidy(full[sent["start"]:sent["end"]].strip() if sent else text), line, sec.name)
                if a is None:
                    a = agg[key] = _Agg(text, {}, set(), set(), {}, set(), line)
                for fl in new_flags:
                    a.sentences[fl] = evidence
            for t, w in c.scores.items():
                a.scores[t] = a.scores.get(t, 0) + w
            a.flags |= c.flags
            a.aliases |= {x for x in c.aliases if x and not is_generic(x)}
            a.roles.add(sec.role)
            a.sections.add(sec.name)
            a.count += 1
            if sec.role != "title":
                is_label, whole, value = _position(doc.user_data["kg_tokens"].text, c.s, c.e)
                a.label += is_label
                a.line += whole
                a.value += value
    _merge_variants(agg)
    _drop_concepts(agg)
    return agg


def _assemble(rec: PaperRecord, agg: dict[str, _Agg], tnames, ctx: "_DocStats", heads: set) -> RecordExtraction:
    out = RecordExtraction(rec)
    model = load_model()
    own_keys, scored = _candidates(agg, tnames, ctx, heads, model is not None)
    decided: dict[str, tuple[str, float]] = {}
    for key, a, rule_type, x in scored:
        typ, p = (rule_type, 1.0) if model is None else model.decide(x)
        if typ is None and a.text.lower() in _KNOWN_NAMES and a.text != a.text.lower():
            typ = rule_type or "Method"  # a well-known public name (lexicon) is an entity whatever its context
        if typ is not None:
            decided[key] = (typ, p)
    for key in [k for k in agg if k not in decided]:
        del agg[key]
    own_keys &= set(agg)
    for key, a in agg.items():
        typ, p = decided[key]
        out.mentions.append(Mention(a.text, typ, rec.arxiv_id, rec.source, a.first_line,
                                    type_scores=dict(a.scores), aliases=sorted(a.aliases - a.variants),
                                    variants=sorted(a.variants - {a.text}),
                                    own=key in own_keys, confidence=round(p, 3)))
    orgs = _organisations(rec)
    for canon, (org, line, _, conf) in orgs.items():
        out.mentions.append(Mention(canon, "Organization", rec.arxiv_id, rec.source, line,
                                    aliases=sorted({org, canon}), confidence=conf))
    _relations(rec, out, agg, own_keys, {k: p for k, (_, p) in decided.items()}, orgs)
    out.results = _results(rec, out.mentions)
    _unrelated_sentences(out, agg, orgs)
    return out


def _unrelated_sentences(out: RecordExtraction, agg: dict, orgs: dict) -> None:
    """The naming sentence of each mention no relation of the record uses (its MENTIONS evidence)."""
    related = {end for r in out.relations for end in (r.head, r.tail)}
    firsts = {a.text: a.sentences["any"][0] for a in agg.values() if "any" in a.sentences}
    firsts.update((canon, ev.sentence) for canon, (_, _, ev, _) in orgs.items())
    for m in out.mentions:
        if m.text not in related:
            m.sentence = firsts.get(m.text, "")


def _results(rec: PaperRecord, mentions: list[Mention]) -> list[Result]:
    """The record's reported scores, tied to the names its mentions give (every spelling
    the record used: a score may follow an alias)."""
    names: dict[str, set[str]] = {"bench": set(), "method": set(), "own": set()}
    for m in mentions:
        if m.type == "Organization":
            continue
        spellings = {m.text, *m.aliases, *m.variants}
        names["method" if m.type == "Method" else "bench"] |= spellings
        if m.own:
            names["own"] |= spellings
    if not names["bench"]:
        return []
    return record_results(rec.sections, sorted(names["bench"]), sorted(names["method"]), names["own"])


def _organisations(rec: PaperRecord) -> dict[str, tuple[str, int, Evidence, float]]:
    """The record's organisations, canonical name → (as written, line, evidence, confidence):
    its tags and affiliation fields first, then those its prose ties to the paper
    (:func:`kg.pipeline.orgs.prose_orgs`)."""
    title = next((s.text for s in rec.sections if s.role == "title"), rec.title)
    out: dict[str, tuple[str, int, Evidence, float]] = {}
    for org in rec.orgs:
        ev = Evidence(f"{title} `{org}`", rec.source, rec.line_start, rec.arxiv_id, "title")
        out.setdefault(canonical_org(org), (org, rec.line_start, ev, 0.95))
    for sec in rec.sections:
        if sec.role == "title" or sec.role in SKIP_ROLES:
            continue
        for org, at in prose_orgs(sec.text):
            line = sec.line + sec.text.count("\n", 0, at)
            lines = sec.text.split("\n")
            sentence = lines[min(line - sec.line, len(lines) - 1)].strip()[:300]
            ev = Evidence(sentence, rec.source, line, rec.arxiv_id, sec.name)
            out.setdefault(canonical_org(org), (org, line, ev, 0.8))
    return out


@dataclass
class _DocStats:
    """What the document's records say together: how many records it has, in how
    many of them each key occurs, and which keys it uses as a label (a field name,
    a heading) in many records: those are its template, not names."""

    n_records: int
    records_with: dict
    template: set
    heads: list  # each record's section names (comparison keys)


def _doc_stats(aggs: list[dict[str, _Agg]], recs: list[PaperRecord]) -> _DocStats:
    with_key: dict[str, int] = {}
    labels: dict[str, int] = {}
    all_heads = [{norm_key(s.name) for s in rec.sections if s.role != "title"} for rec in recs]
    for agg, heads in zip(aggs, all_heads):
        for key, a in agg.items():
            with_key[key] = with_key.get(key, 0) + 1
            if a.label or a.line or key in heads:
                labels[key] = labels.get(key, 0) + 1
    n = len(recs)
    template = {k for k, c in labels.items() if c >= 3 and c >= 0.3 * n}
    return _DocStats(n, with_key, template, all_heads)


def mention_features(key: str, a: _Agg, tnames, own_keys: set, rule_type: str, ctx: _DocStats,
                     heads: set) -> dict[str, float]:
    """The mention model's features (:mod:`kg.mention_model`) for one candidate of a record."""
    x = features_of_text(a.text)
    for fl in a.flags:
        x["flag_" + fl] = 1.0
    other = False
    for r in a.roles:
        if r in ROLES:
            x["role_" + r] = 1.0
        else:
            other = True
    x["role_other"] = float(other)
    x["only_skip_roles"] = float(a.roles <= set(SKIP_ROLES))
    for t in ("Method", "Benchmark", "Dataset"):
        x["score_" + t.lower()] = math.log1p(max(0.0, a.scores.get(t, 0.0)))
    x["rule_benchmark"] = float(rule_type == "Benchmark")
    x["rule_dataset"] = float(rule_type == "Dataset")
    x["own"] = float(key in own_keys)
    names = {key} | {norm_key(al) for al in a.aliases}
    for n, hint, al in tnames:
        if norm_key(n) in names or any(norm_key(y) in names for y in al):
            x["title_name"] = 1.0
            x["title_hint_benchmark"] = float(hint == "Benchmark")
            x["title_hint_dataset"] = float(hint == "Dataset")
    x["has_alias"] = float(bool(a.aliases))
    x["alias_acronym"] = float(any(al.isupper() and len(al) <= 8 for al in a.aliases))
    x["log_count"] = math.log1p(a.count)
    x["n_sections_2"] = float(len(a.sections) >= 2)
    x["label_share"] = a.label / a.count if a.count else 0.0
    x["line_share"] = a.line / a.count if a.count else 0.0
    x["value_share"] = a.value / a.count if a.count else 0.0
    x["section_name"] = float(key in heads)
    x["doc_template"] = float(key in ctx.template)
    if ctx.n_records >= 3:
        x["doc_multi"] = 1.0
        x["doc_records_share"] = ctx.records_with.get(key, 0) / ctx.n_records
    x["rule_method"] = float(rule_type == "Method")
    fl = a.flags
    x["own_eval"] = float(key in own_keys and "eval" in fl)
    x["own_compare"] = float(key in own_keys and "compare" in fl)
    x["subject_eval"] = float("subject" in fl and "eval" in fl)
    x["propose_eval"] = float("propose" in fl and "eval" in fl)
    x["title_only"] = float(a.roles == {"title"})
    x["emphasis_only"] = float(fl <= {"emphasis", "listhead"})
    x["label_only"] = float(a.count > 0 and a.label + a.line == a.count)
    return x


TRAILING_NOUNS = re.compile(r"(?:\s+(?:baselines?|tasks?|models?|methods?|variants?|series|family|scores?|"
                            r"benchmarks?|datasets?|[A-Z]{2,5}s?))+$")


@functools.lru_cache(maxsize=65536)
def _strip_name(text: str) -> str:
    """Trim punctuation and trailing common nouns (``X baseline``, ``Mamba-2 SSMs``)."""
    text = SPACES.sub(" ", text.strip(" *_`'\"“”‘’:;,.()[]"))
    m = TRAILING_NOUNS.search(text)
    if m and m.start() >= 4:
        tail = m.group(0).split()
        # a generic class acronym goes (``Mamba-2 SSMs``), a variant mark stays (``Stable Diffusion XL``)
        if all(not w.isupper() or is_generic(w.rstrip("s")) or is_generic(w) for w in tail):
            text = text[:m.start()]
    return text


def _tidy(sentence: str) -> str:
    s = MARKUP.sub("", sentence)
    s = BULLET.sub("", s)
    return SPACES.sub(" ", s).strip()[:600]


def _drop_concepts(agg: dict[str, _Agg]) -> None:
    """An acronym spelled out in lower case (``self-regulated learning (SRL)``)
    names a generic concept, not a named method: drop it unless the record
    says it introduces it."""
    for key in list(agg):
        a = agg[key]
        forms = [a.text, *a.aliases]
        if any(f == f.lower() and len(f.split()) >= 2 for f in forms) and "propose" not in a.flags \
                and "known" not in a.flags:
            del agg[key]


def _merge_variants(agg: dict[str, _Agg]) -> None:
    """Within one record, ``Kuwain 1.5B`` and ``Kuwain``, ``DAM`` and
    ``Describe Anything Model`` are one thing: fold them together."""
    keys = list(agg)
    alias_of: dict[str, str] = {}
    versioned: set[str] = set()  # a family form folded into its member: the record's name for it, not a synonym
    for key in keys:
        a = agg[key]
        for al in a.aliases:
            k2 = norm_key(al)
            if k2 != key and k2 in agg:
                alias_of.setdefault(k2, key)
        words = a.text.split()
        if len(words) >= 2 and words[-1].lower() in HEAD_NOUNS:
            base = norm_key(" ".join(words[:-1]))
            if base in agg and base != key:
                alias_of.setdefault(base, key)
        if len(words) >= 2 and VERSION.match(words[-1]):
            base = norm_key(" ".join(words[:-1]))
            if base in agg and base != key:
                alias_of.setdefault(base, key)
                versioned.add(base)
    parent = {k: k for k in agg}

    def find(k: str) -> str:
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    for src, dst in sorted(alias_of.items()):
        rs, rd = find(src), find(dst)
        if rs != rd:  # the longer (more specific) surface form becomes the representative
            if (len(agg[rs].text), agg[rs].text) > (len(agg[rd].text), agg[rd].text):
                rs, rd = rd, rs
            parent[rs] = rd
    for src in sorted(agg):
        dst = find(src)
        if src == dst:
            continue
        s, d = agg[src], agg[dst]
        d.aliases |= s.aliases | {s.text}
        d.variants |= s.variants | (s.aliases | {s.text} if src in versioned else set())
        for t, w in s.scores.items():
            d.scores[t] = d.scores.get(t, 0) + w
        d.flags |= s.flags
        d.roles |= s.roles
        for fl, v in s.sentences.items():
            d.sentences.setdefault(fl, v)
    for src in [k for k in agg if find(k) != k]:
        del agg[src]
    for a in agg.values():
        a.aliases.discard(a.text)


def _own(agg: dict[str, _Agg], tnames) -> set[str]:
    """Keys of the record's own contributions, strongest evidence first:
    the title's name; an explicit proposal (``X 제안``, ``introduces X``) or a
    name-shaped list head in a contribution/method section; then, unless the
    name is also compared against or built on, the topic of a proposal or
    improvement sentence (``X는 … 능가``)."""
    own: set[str] = set()
    title_keys = {norm_key(n) for n, _, _ in tnames} | {norm_key(x) for _, _, al in tnames for x in al}
    for key, a in agg.items():
        names = {key} | {norm_key(x) for x in a.aliases}
        if names & title_keys or any(_variant_of(key, t) for t in title_keys):
            own.add(key)
            continue
        if a.text.lower() in lexicon.METHODS or a.text.lower() in lexicon.BENCHMARKS:
            continue
        named = "shape" in a.flags or len(a.text.split()) >= 2
        if "propose" in a.flags or ("winner" in a.flags and "compare" not in a.flags) or ("listhead" in a.flags and a.roles & {"contribution", "method"}
                                    and named and not a.flags & {"compare", "based", "baseline"}):
            own.add(key)
        elif a.flags & {"compare", "based", "baseline"}:
            continue
        elif "propose_subject" in a.flags and a.roles & {"contribution", "body"}:
            own.add(key)
    return own


def _variant_of(key: str, base: str) -> bool:
    """``llavacritic72b`` is a size/version variant of ``llavacritic``."""
    if len(base) < 3 or not key.startswith(base) or key == base:
        return False
    rest = key[len(base):]
    return len(rest) <= 10 and bool(VARIANT_SUFFIX.fullmatch(rest))


def _type(a: _Agg, tnames) -> str:
    for n, hint, al in tnames:
        if norm_key(n) in ({norm_key(a.text)} | {norm_key(x) for x in a.aliases}):
            return hint or "Method"  # a title names the paper's own method unless it says otherwise
    scores = dict(a.scores)
    scores.setdefault("Method", 0.5)
    typ = max(("Method", "Benchmark", "Dataset"), key=lambda t: (scores.get(t, 0), t == "Method"))
    if typ == "Dataset" and "eval" in a.flags and "propose" not in a.flags and "known" not in a.flags:
        typ = "Benchmark"  # ANNOTATION.md: a dataset used only to evaluate is a Benchmark
    return typ


def _relations(rec: PaperRecord, out: RecordExtraction, agg: dict[str, _Agg], own: set[str],
               prob: dict[str, float], orgs: dict) -> None:
    pid = rec.arxiv_id
    types = {m.text: m.type for m in out.mentions}
    title = next((s.text for s in rec.sections if s.role == "title"), rec.title)

    def ev(a: _Agg, flag: str) -> Evidence:
        sent, line, secname = a.sentences.get(flag) or a.sentences["any"]
        return Evidence(sent, rec.source, line, pid, secname)

    # the paper's main method: the title's name, else the earliest-mentioned own method
    own_methods = [agg[k].text for k in sorted(own, key=lambda k: ("known" not in agg[k].flags,
                                                                    agg[k].first_line, agg[k].text))
                   if types.get(agg[k].text) == "Method"]
    head = own_methods[0] if own_methods else "@paper"
    for key, a in agg.items():
        typ = types.get(a.text)
        if typ is None:
            continue
        n0 = len(out.relations)
        if key in own:
            in_title = "title" in a.roles and "known" in a.flags
            flag = "propose" if "propose" in a.sentences else "any"
            e = Evidence(title, rec.source, rec.line_start, pid, "title") if in_title else ev(a, flag)
            out.relations.append(Relation(a.text, "proposedBy", "@paper", pid, 0.9 if in_title else 0.7, e))
        if typ == "Benchmark" or (typ == "Dataset" and ("eval" in a.flags or a.roles & {"experiment"})):
            if not (a.roles <= set(SKIP_ROLES)):
                conf = 0.85 if "eval" in a.flags else 0.6
                out.relations.append(Relation("@paper", "evaluatedOn", a.text, pid, conf,
                                              ev(a, "eval" if "eval" in a.flags else "any")))
        if typ == "Method" and key not in own:
            if "compare" in a.flags:
                out.relations.append(Relation(head, "improvesOn", a.text, pid, 0.7, ev(a, "compare")))
            elif "baseline" in a.flags:
                out.relations.append(Relation(head, "improvesOn", a.text, pid, 0.5, ev(a, "baseline")))
            if "based" in a.flags and head != "@paper":
                out.relations.append(Relation(head, "basedOn", a.text, pid, 0.6, ev(a, "based")))
        for r in out.relations[n0:]:  # a statement is as likely as the rule's cue times the name's model probability
            r.confidence = round(r.confidence * prob.get(key, 1.0), 3)
    for canon, (_, _, evidence, conf) in orgs.items():
        out.relations.append(Relation("@paper", "proposedBy", canon, pid, conf, evidence))
