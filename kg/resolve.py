"""Entity resolution across a whole build.

Mentions become entities keyed by ``(type, normalised name)``, never by the
bare name, so a Benchmark and a Method spelled alike stay apart. Resolution:

1. a name's type is voted over every record that mentions it (type scores
   summed), so one review's weak context does not split an entity;
2. spelling variants (case, spaces, hyphens, dots) share a key;
3. acronym ↔ expansion and record-level variants (``Kuwain``/``Kuwain 1.5B``)
   travel as aliases; an alias that points to exactly one entity joins it;
4. near-identical long names (edit distance 1 for names of 8+ characters)
   are merged as typos;
5. organisation tags are canonicalised through the lexicon, with edit
   distance ≤ 2 for tags of 6+ letters (``shaomi`` → Xiaomi).

The result is deterministic: it depends only on the set of mentions.
"""
from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

from .lang import lexicon
from .lang.lexicon import ORG_VARIANTS
from .model import Entity, Mention, pickled_by_fields
from .pipeline.shapes import norm_key

__all__ = ["canonical_org", "resolve", "resolve_group", "extend_group", "GroupResolution", "edit_distance",
           "entity_uid", "typo_variants", "clusters"]


def edit_distance(a: str, b: str, limit: int = 3) -> int:
    """Levenshtein distance, stopping early past ``limit``."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        if min(cur) > limit:
            return limit + 1
        prev = cur
    return prev[-1]


V_DOTTED = re.compile(r"(?<=[\s\-])[vV](?=\d+\.\d)")
ACRONYM_PLURAL = re.compile(r"^[A-Z][A-Z0-9\-]*[A-Z]s$")
ACRONYM_SHAPE = re.compile(r"^(?=(?:[^A-Z]*[A-Z]){2})[A-Za-z0-9\-]{2,12}$")


def name_key(text: str) -> str:
    """A mention's resolution key: :func:`norm_key`, with an acronym's plural read as
    the acronym (``LDMs`` = ``LDM``).

    >>> name_key("LDMs"), name_key("Diffusion Models"), name_key("GPT-4o")
    ('ldm', 'diffusionmodels', 'gpt4o')
    """
    if ACRONYM_PLURAL.match(text):
        text = text[:-1]
    if "v" in text:
        text = V_DOTTED.sub("", text)  # ``Gemini v1.5 Pro`` = ``Gemini-1.5-pro``
    return norm_key(text)


def canonical_org(tag: str) -> str:
    """``stability ai`` → Stability AI, ``shaomi`` → Xiaomi, unknown → Title Case."""
    t = re.sub(r"\s+", " ", tag.strip().lower())
    if t in ORG_VARIANTS:
        return ORG_VARIANTS[t]
    if len(t) >= 6:
        best = min(ORG_VARIANTS, key=lambda v: (edit_distance(t, v), v))
        if edit_distance(t, best) <= 2 and abs(len(best) - len(t)) <= 1:
            return ORG_VARIANTS[best]
    return tag.strip() if any(c.isupper() for c in tag) else " ".join(w.capitalize() for w in t.split())


def entity_uid(typ: str, name: str) -> str:
    """Stable id: type + normalised key (the same across runs and builds)."""
    return f"{typ.lower()}:{norm_key(name) or 'x'}"


@pickled_by_fields
@dataclass(slots=True)
class GroupResolution:
    """One resolution group resolved (:func:`resolve_group`), with what
    :func:`extend_group` needs to add mentions to it without resolving again."""

    entities: dict[str, Entity]
    lookup: dict[tuple[str, str], str]
    votes: dict[str, dict[str, float]]  # name key → type → summed votes
    targets: dict[str, set[str]]        # alias key → the name keys it is an alias of
    folds: dict[str, str]               # typo merging: entity folded away → the one it joined
    prefold: dict[str, set[str]]        # typo pair members → their own papers (what ranks them)


def resolve(mentions: list[Mention]) -> tuple[dict[str, Entity], dict[tuple[str, str], str]]:
    """Resolve mentions to entities.

    Returns ``(entities by uid, lookup)`` where ``lookup[(paper, surface)]``
    gives the uid a mention text resolved to within that paper.
    """
    r = resolve_group(mentions)
    return r.entities, r.lookup


def resolve_group(mentions: list[Mention]) -> GroupResolution:
    """:func:`resolve`, keeping the type votes and alias targets it decided from."""
    votes: dict[str, dict[str, float]] = {}
    for m in mentions:
        _vote(votes, m)
    targets = _alias_targets(mentions)
    acronyms = _acronym_pairs(mentions)
    alias_keys, local = _alias_map(targets, acronyms, votes, mentions)
    entities: dict[str, Entity] = {}
    lookup: dict[tuple[str, str], str] = {}
    winners: dict[tuple[str, str], str] = {}  # the vote is per key: decide it once
    for m in sorted(mentions, key=lambda m: (m.paper, m.source, m.line, m.text)):
        typ, uid = _uid_of(m, votes, alias_keys, winners, local)
        e = entities.get(uid)
        if e is None:
            e = entities[uid] = Entity(uid, typ, m.text)
        _add_mention(e, m, local)
        lookup[(m.paper, m.text)] = uid
        for a in (*m.aliases, *m.variants):
            lookup.setdefault((m.paper, a), uid)
    _alias_unshared_acronyms(entities, local)
    folds, prefold = _merge_typos(entities, lookup)
    for e in entities.values():
        e.name = _display_name(e)
        e.aliases.discard(e.name)
    return GroupResolution(entities, lookup, votes, targets, folds, prefold)


def extend_group(res: GroupResolution, mentions: list[Mention]) -> tuple[GroupResolution, set[str]] | None:
    """``resolve_group(old mentions + mentions)`` from the old result, without the
    old mentions, when that provably gives the same answer; else None.

    It does when the new mentions change none of the group's decisions: every
    touched name keeps the type its votes chose, no alias gains a target, no
    (paper, text) lookup is claimed by two entities (resolution order would
    then decide), and typo merging folds the old entities as before. A new
    entity may be a typo neighbour: the plan is made again from the paper
    counts, and it may only add folds of new entities. Returns the new result
    and the uids of the entities that changed. ``res`` is left as it was."""
    votes = {k: dict(v) for k, v in res.votes.items()}
    involved = set(res.targets).union(*res.targets.values()) if res.targets else set()
    for m in mentions:
        _vote(votes, m)
        if m.type != "Organization" and (m.aliases or name_key(m.text) in involved
                                          or name_key(m.text) in _LEXICON_PARTNER
                                          or any(name_key(v) in involved for v in m.variants)):
            return None  # aliases are bound from counts over the group's papers (a variant may be one): resolve it again
    alias_keys, local = {}, {}  # bindings only concern the involved keys, which no new mention touches
    decided = res.votes.keys() | alias_keys.values()  # a new name no old mention is resolved through is free
    for k in {name_key(m.text) for m in mentions} & decided:
        if _winner(res.votes.get(k)) != _winner(votes.get(k)):
            return None
    winners: dict[tuple[str, str], str] = {}
    typed = [_uid_of(m, votes, alias_keys, winners, local) for m in mentions]
    own = [u for _, u in typed]
    prefold = _prefold_after(res, mentions, own)
    folds = res.folds
    if prefold != res.prefold:
        folds, members = _fold_plan(prefold)
        if members != set(prefold) or any(folds.get(u) != v for u, v in res.folds.items()) \
                or any(u in res.entities for u in folds.keys() - res.folds.keys()):
            return None  # paper counts rank typo pairs: a count or a new member changed who folds into whom
    entities, lookup = dict(res.entities), dict(res.lookup)
    changed: set[str] = set()
    for m, (typ, own_uid) in zip(mentions, typed):
        uid = folds.get(own_uid, own_uid)  # a typo folded away: its mentions join the survivor
        claims = [((m.paper, m.text), uid)] + [((m.paper, a), uid) for a in (*m.aliases, *m.variants)]
        if any(lookup.get(k, u) != u for k, u in claims):
            return None
        e = entities.get(uid)
        if e is None:
            e = Entity(uid, typ, m.text)  # a typo pair shares its type
        elif uid not in changed:
            e = Entity(e.uid, e.type, e.name, e.aliases | {e.name}, set(e.papers), set(e.sources), set(e.variants),
                       dict(e.forms))
        if e.type == "Organization" and m.text != e.name:
            return None  # an organisation is named by its first mention: order would decide
        entities[uid] = e
        changed.add(uid)
        _add_mention(e, m, local)
        lookup.update(claims)
    for uid in changed:
        e = entities[uid]
        e.name = _display_name(e)
        e.aliases.discard(e.name)
    changed = {u for u in changed if entities[u] != res.entities.get(u)}
    return GroupResolution(entities, lookup, votes, res.targets, folds, prefold), changed


def _prefold_after(res: GroupResolution, mentions: list[Mention], own: list[str]) -> dict[str, set[str]]:
    """The typo pair members' papers before folding, with the new mentions
    (``own``: the uid each resolves to before folding). A new entity one edit
    from another joins the members, and so does its partner."""
    prefold = dict(res.prefold)
    new = sorted({u for u in own if u not in res.entities and u not in res.folds})
    for u in new:
        partners = [o for o in (*res.entities, *res.folds, *new) if o != u and _typo_pair(u, o)]
        if partners:
            prefold.setdefault(u, set())
        for o in partners:
            if o not in prefold:  # not a member yet, so never folded: its papers are its own
                prefold[o] = set(res.entities[o].papers) if o in res.entities else set()
    for m, u in zip(mentions, own):
        if u in prefold and m.paper not in prefold[u]:
            prefold[u] = prefold[u] | {m.paper}  # a new set: ``res`` shares the old one
    return prefold


def _vote(votes: dict, m: Mention) -> None:
    """A mention's type votes for its name (organisations do not vote)."""
    if m.type == "Organization":
        return
    v = votes.setdefault(name_key(m.text), {})
    for t, w in (m.type_scores or {m.type: 1.0}).items():
        v[t] = v.get(t, 0.0) + w
    v[m.type] = v.get(m.type, 0.0) + 1.0  # the record's own decision counts too


def _winner(v: dict[str, float] | None) -> str | None:
    """The type a name's votes choose (ties go to Method)."""
    if not v:
        return None
    return max(("Method", "Benchmark", "Dataset"), key=lambda t: (v.get(t, 0.0), t == "Method"))


def _uid_of(m: Mention, votes: dict, alias_keys: dict[str, str], winners: dict,
            local: dict[tuple[str, str], str]) -> tuple[str, str]:
    """(type, uid) of the entity a mention resolves to: its name's key (through
    the paper's own acronym binding, else the build's alias map) and the type voted
    for that key, unless strong local evidence says otherwise."""
    own = name_key(m.text)
    key = local.get((m.paper, own)) or alias_keys.get(own, own)
    if m.type == "Organization":
        typ = "Organization"
    else:
        typ = winners.get((key, own))
        if typ is None:
            typ = winners[(key, own)] = _winner(votes.get(key) or votes.get(own))
        if m.type != typ and m.type_scores.get(m.type, 0) >= 3 + m.type_scores.get(typ, 0):
            typ = m.type  # strong local evidence keeps its own type
    return typ, f"{typ.lower()}:{key or 'x'}"


def _add_mention(e: Entity, m: Mention, local: dict[tuple[str, str], str]) -> None:
    """Add a mention's forms to its entity. A form bound only within its paper (an
    acronym whose meaning the build does not share) resolves there but is no alias."""
    named = []
    for f in (m.text, *m.aliases):
        if local and (m.paper, name_key(f)) in local:
            e.variants.add(f)
        else:
            e.aliases.add(f)
            named.append(f)
    if m.variants:
        e.variants.update(m.variants)
    for f in named[:1] if named and named[0] == m.text else named:  # a paper-bound acronym counts as its expansion
        e.forms[f] = e.forms.get(f, 0) + 1
    e.papers.add(m.paper)
    e.sources.add(m.source)


def _typo_pair(u: str, v: str) -> bool:
    """Whether typo merging would fold these two entities (same type, keys a typo apart)."""
    (tu, ku), (tv, kv) = u.split(":", 1), v.split(":", 1)
    return tu == tv and tu != "organization" and bool(typo_variants(ku) & typo_variants(kv)) and is_typo(ku, kv)


def is_typo(a: str, b: str) -> bool:
    """Whether two keys differ only as noise does: a letter dropped or doubled inside a
    word, two neighbours swapped, a plural ``s``. A different letter (``reWordBench``,
    ``IDAdapter``), a first letter (``M-RewardBench``), a last one that is not ``s``
    (``HumanEval-V``) or any non-letter (``HumanEval+``) is a different name.

    >>> [is_typo("controlnet", x) for x in ("contronet", "controlnets", "controlnett", "ocntrolnet", "controlneta")]
    [True, True, True, False, False]
    """
    if a == b:
        return False
    if len(a) == len(b):
        d = [i for i in range(len(a)) if a[i] != b[i]]
        return len(d) == 2 and d[1] == d[0] + 1 and d[0] > 0 and a[d[0]] == b[d[1]] and a[d[1]] == b[d[0]] \
            and a[d[0]].isalpha() and a[d[1]].isalpha()
    if abs(len(a) - len(b)) != 1:
        return False
    long, short = (a, b) if len(a) > len(b) else (b, a)
    i = next((j for j in range(len(short)) if long[j] != short[j]), len(short))
    if long[:i] + long[i + 1:] != short:
        return False
    c = long[i]
    if not c.isalpha() or i == 0:
        return False
    return i < len(long) - 1 or c == "s" or c == long[i - 1]  # inside a word, a plural, a doubled last letter


def _alias_targets(mentions: list[Mention]) -> dict[str, set[str]]:
    """alias key → the name keys it is an alias of."""
    targets: dict[str, set[str]] = defaultdict(set)
    for m in mentions:
        if m.type == "Organization":
            continue
        k = name_key(m.text)
        for a in m.aliases:
            ak = name_key(a)
            if ak != k:
                targets[ak].add(k)
    return dict(targets)


def _alias_unshared_acronyms(entities: dict[str, Entity], local: dict[tuple[str, str], str]) -> None:
    """A paper-bound acronym is an alias of its expansion when no node of its own
    carries another meaning (``MIA`` on each of two expansions no other paper uses)."""
    if not local:
        return
    own_keys = {u.split(":", 1)[1] for u in entities}
    bound = {ak for _, ak in local}
    for e in entities.values():
        for f in [f for f in e.variants if name_key(f) in bound and name_key(f) not in own_keys]:
            e.variants.discard(f)
            e.aliases.add(f)


def _is_acronym_pair(short: str, long: str) -> bool:
    return bool(ACRONYM_SHAPE.match(short)) and len(re.split(r"[\s\-]+", long.strip())) >= 2


def _acronym_pairs(mentions: list[Mention]) -> tuple[dict, dict]:
    """``({acronym key: {expansion key: papers}}, {acronym key: papers using it})``:
    which papers define an acronym as which expansion, and which papers use it."""
    pairs: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    used: dict[str, set[str]] = defaultdict(set)
    for m in mentions:
        if m.type == "Organization":
            continue
        k = name_key(m.text)
        used[k].add(m.paper)
        if k in _KNOWN_EXPANSION:  # the lexicon pairs them even where no paper spells it out
            pairs[k][_KNOWN_EXPANSION[k]]
        elif k in _LEXICON_PARTNER:
            pairs[_LEXICON_PARTNER[k]][k]
        for a in m.aliases:
            for short, long in ((m.text, a), (a, m.text)):
                if _is_acronym_pair(short, long):
                    pairs[name_key(short)][name_key(long)].add(m.paper)
    return pairs, used


def _same_expansion(a: str, b: str) -> bool:
    """Two keys of one expansion spelled differently: they share their start and most
    of their letters as a common beginning and end (``lowrankadapter`` ~ ``lowrankadaptation``,
    ``directpolicyoptimization`` ~ ``directpreferenceoptimization``)."""
    if a[:3] != b[:3]:
        return False
    n = min(len(a), len(b))
    pre = next((i for i in range(n) if a[i] != b[i]), n)
    suf = next((i for i in range(n - pre) if a[-1 - i] != b[-1 - i]), n - pre)
    return pre + suf >= 0.7 * n


_KNOWN_EXPANSION = {k: norm_key(v) for k, v in lexicon.ACRONYMS.items()}
_LEXICON_PARTNER = {**{v: k for k, v in _KNOWN_EXPANSION.items()}, **_KNOWN_EXPANSION}


def _bind_acronym(ak: str, exps: dict[str, set[str]], used: set[str], votes: dict) -> str | None:
    """The expansion key an acronym means across the build, or None when its papers
    do not agree: the lexicon's pair when it knows the acronym; none for another
    well-known name (vLLM); else the expansion most papers give, when those papers are
    not far outnumbered by papers that use the acronym without it, and the types agree
    (GQA the benchmark is not Grouped-Query Attention)."""
    best = min(exps, key=lambda e: (-len(exps[e]), e))
    lex = _known_expansion(ak)
    if lex is not None:
        best = next((e for e in sorted(exps) if e == lex or _same_expansion(e, lex)), None)
        if best is None:
            return None
    else:
        definers = set().union(*exps.values())
        if 4 * len(exps[best]) < len(used - definers):
            return None
    wa, we = _winner(votes.get(ak)), _winner(votes.get(best))
    if wa and we and (wa == "Method") != (we == "Method"):  # benchmark and dataset are one kind here
        return None
    return best


def _known_expansion(ak: str) -> str | None:
    """The lexicon's expansion key of an acronym key, with a version it carries
    (``sam2`` → ``segmentanythingmodel2``)."""
    if ak in _KNOWN_EXPANSION:
        return _KNOWN_EXPANSION[ak]
    m = re.fullmatch(r"([a-z]+)(\d[\d.]*)", ak)
    if m and m.group(1) in _KNOWN_EXPANSION:
        return _KNOWN_EXPANSION[m.group(1)] + m.group(2)
    return None


def _alias_map(targets: dict[str, set[str]], acronyms: tuple[dict, dict], votes: dict,
               mentions: list[Mention]) -> tuple[dict[str, str], dict[tuple[str, str], str]]:
    """``(alias key → canonical key, (paper, acronym key) → expansion key)``.

    An acronym is bound per paper: the expansion a paper gives binds it there. It joins
    an expansion across the build only as :func:`_bind_acronym` decides; where it does
    not, each defining paper keeps its own binding (the second map) and the acronym is
    no alias of the expansion. Other aliases map where they are unambiguous."""
    pairs, used = acronyms
    acr = {(a, e) for a, es in pairs.items() for e in es} | {(e, a) for a, es in pairs.items() for e in es}
    out = {}
    for ak, ks in targets.items():
        ks = {k for k in ks if (ak, k) not in acr}
        if len(ks) == 1:
            (k,) = ks
            out[ak] = k
    for ak in list(out):  # no chains/cycles: resolve to a fixed point
        seen = {ak}
        k = out[ak]
        while k in out and k not in seen:
            seen.add(k)
            k = out[k]
        out[ak] = k if k != ak else ak
    for ak, k in list(out.items()):  # two keys that alias each other collapse to the smaller key
        if out.get(k) == ak:
            lo = min(ak, k)
            out[ak] = out[k] = lo
    local: dict[tuple[str, str], str] = {}
    for ak in sorted(pairs):
        exps = pairs[ak]
        bound = _bind_acronym(ak, exps, used.get(ak, set()), votes)
        if bound is not None:
            canon = out.get(bound, bound)
            out[ak] = canon
        for e in sorted(exps):
            if bound is not None and (e == bound or _same_expansion(e, bound)):
                out.setdefault(e, out.get(bound, bound)) if e != bound else None
                continue
            for paper in exps[e]:
                local[(paper, ak)] = out.get(e, e)
    return {a: k for a, k in out.items() if a != k}, local


def _fold_plan(papers: dict[str, set[str]]) -> tuple[dict[str, str], set[str]]:
    """Which entities typo merging folds into which: ``({absorbed: survivor},
    members)``, from each entity's papers before folding. Members are the
    entities in a typo pair (same type, keys of 8+ letters and no digits, one
    edit apart); only their paper counts decide the plan.

    Candidate pairs come from a symmetric-delete index (two strings within one
    edit share a one-deletion variant), so this is linear in the number of
    entities instead of comparing every pair. Pairs are taken best-attested
    first (most papers, then uid); an entity folded away folds nothing more."""
    folds: dict[str, str] = {}
    members: set[str] = set()
    by_type: dict[str, list[str]] = defaultdict(list)
    for uid in papers:
        if not uid.startswith("organization:"):
            by_type[uid.split(":", 1)[0]].append(uid)
    for typ, uids in sorted(by_type.items()):
        uids.sort(key=lambda u: (-len(papers[u]), u))  # the best-attested form survives
        rank = {u: i for i, u in enumerate(uids)}
        buckets: dict[str, list[str]] = defaultdict(list)
        for u in uids:
            for v in typo_variants(u.split(":", 1)[1]):
                buckets[v].append(u)
        pairs = set()
        for group in buckets.values():
            if len(group) > 1:
                group = sorted(set(group), key=rank.get)
                for i, u in enumerate(group):
                    for v in group[i + 1:]:
                        pairs.add((rank[u], rank[v]))
        for ru, rv in sorted(pairs):
            u, v = uids[ru], uids[rv]
            if is_typo(u.split(":", 1)[1], v.split(":", 1)[1]):
                members |= {u, v}
                if u not in folds and v not in folds:
                    folds[v] = u
    return folds, members


def _merge_typos(entities: dict[str, Entity], lookup: dict) -> tuple[dict[str, str], dict[str, set[str]]]:
    """Fold entities whose keys (8+ letters, no digits) are one edit apart
    (:func:`_fold_plan`); return the plan and the members' papers before folding."""
    folds, members = _fold_plan({u: e.papers for u, e in entities.items()})
    prefold = {u: set(entities[u].papers) for u in members}
    for src, dst in folds.items():
        _fold(entities, lookup, src, dst)
    return folds, prefold


def typo_variants(key: str) -> set[str]:
    """The key and its one-deletion variants, for keys typo merging applies to
    (8+ characters, no digits; empty otherwise). Two keys one edit apart share
    at least one variant (symmetric-delete blocking)."""
    if len(key) < 8 or any(c.isdigit() for c in key):
        return set()
    return {key} | {key[:i] + key[i + 1:] for i in range(len(key))}


def mention_keys(m: Mention) -> list[str]:
    """The normalised keys a mention touches: its own, its aliases' and, for a
    well-known acronym or expansion, its lexicon partner's."""
    keys = [name_key(t) or "x" for t in (m.text, *m.aliases)]  # "" shares uid suffix "x" (entity_uid)
    partner = _LEXICON_PARTNER.get(keys[0])
    return keys + [partner] if partner else keys


def clusters(mentions: list[Mention]) -> list[list[Mention]]:
    """Split mentions into groups that resolve independently.

    Everything :func:`resolve` relates lives inside one group: a mention and its
    aliases (alias map, lookups), the same key across types (votes, lookups) and
    keys sharing a typo variant (typo merging). So resolving each group alone
    gives exactly the build-wide result, which is what lets an incremental build
    re-resolve only the groups a new file touches. Groups come out in order of
    their first mention."""
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        root = x
        while parent.setdefault(root, root) != root:
            root = parent[root]
        while parent[x] != root:
            parent[x], x = root, parent[x]
        return root

    def union(a: str, b: str) -> None:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)

    keyed = [(m, mention_keys(m)) for m in mentions]
    for ks in {tuple(ks) for _, ks in keyed}:  # distinct key sets: far fewer than mentions
        for k in ks[1:]:
            union(ks[0], k)
    variant_owner: dict[str, str] = {}
    for k in {k for _, ks in keyed for k in ks}:
        for v in typo_variants(k):
            owner = variant_owner.setdefault(v, k)
            if owner != k:
                union(owner, k)
    groups: dict[str, list[Mention]] = {}
    for m, ks in keyed:
        groups.setdefault(find(ks[0]), []).append(m)
    return list(groups.values())


def _fold(entities: dict[str, Entity], lookup: dict, src: str, dst: str) -> None:
    s, d = entities.pop(src), entities[dst]
    d.aliases |= s.aliases | ({s.name} - s.variants)
    d.papers |= s.papers
    d.sources |= s.sources
    d.variants |= s.variants
    for f, n in s.forms.items():
        d.forms[f] = d.forms.get(f, 0) + n
    for p in s.papers:  # only this entity's papers can hold lookups to it
        for a in s.aliases | s.variants | {s.name}:
            if lookup.get((p, a)) == src:
                lookup[(p, a)] = dst


#: normalised key → the field's spelling (lexicon.SPELLINGS)
_SPELLING = {norm_key(x): x for x in lexicon.SPELLINGS}


def _display_name(e: Entity) -> str:
    """The field's spelling when the lexicon knows the name; else the form its reviews
    used most among the well-cased ones (mixed case or capitals, over all-lower and
    title-cased forms such as ``Gpt-4o``), then the longest. Every form a mention
    used is a candidate, so a node is named as some review wrote it."""
    if e.type == "Organization":
        return e.name  # already canonical (lexicon or tag)
    forms = sorted(e.forms) or sorted(e.aliases | {e.name})
    for f in forms:
        if (sp := _SPELLING.get(norm_key(f))) is not None and norm_key(f) == e.uid.split(":", 1)[1]:
            return sp
    for f in forms:
        if (sp := _SPELLING.get(norm_key(f))) is not None:
            return sp
    total = sum(e.forms.values()) or 1
    key = e.uid.split(":", 1)[1]  # on a tie, the surviving key's own form (not a typo folded into it)
    full_year = any(FULL_YEAR.search(f) for f in forms)  # ``AIME 2025`` beside ``AIME25``: the year in full
    return max(forms, key=lambda f: (_well_cased(f, forms), not full_year or bool(FULL_YEAR.search(f)),
                                     _conventional(f) and e.forms.get(f, 0) >= 0.2 * total,
                                     e.forms.get(f, 0), name_key(f) == key, f != f.lower(), -abs(len(f) - 12), f))


FULL_YEAR = re.compile(r"\s(?:19|20)\d\d$")
SIZE = re.compile(r"(?<![A-Za-z])\d+(?:\.\d+)?[BMKT]\b|\d+x\d+[BM]\b", re.I)


def _well_cased(f: str, forms: list[str]) -> bool:
    """Not all lower-case, and not a capitalised copy of a form with more capitals
    (``Gpt-4o`` beside ``GPT-4o``, ``Llama`` beside ``LLaMA``)."""
    letters = [c for c in f if c.isalpha()]
    if not letters or all(c.islower() for c in letters):
        return False
    caps = sum(c.isupper() for c in letters)
    return not (caps == 1 and letters[0].isupper() and any(
        g.lower() == f.lower() and sum(c.isupper() for c in g) > 1 for g in forms))


def _conventional(f: str) -> bool:
    """The usual way of writing a model or benchmark name: a checkpoint with its size
    joins its parts with hyphens (``Llama-2-7B``, ``Mixtral-8x7B``); a name without a
    size uses spaces (``Claude 3.5 Sonnet``, ``Gemini 1.5 Pro``, ``PaLM 2``, ``AIME 2025``),
    save a short capital prefix's number (``GPT-4 Turbo``)."""
    if SIZE.search(f):
        return " " not in f and "-" in f
    if re.search(r"[A-Za-z](?:19|20)\d\d\b", f):
        return False  # a year glued to the name
    return all(re.fullmatch(r"[A-Z]{2,4}", part) for part in re.findall(r"(\S+?)-(?=\S)", f))
