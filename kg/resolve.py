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

from .lang.lexicon import ORG_VARIANTS
from .model import Entity, Mention
from .pipeline.shapes import norm_key

__all__ = ["canonical_org", "resolve", "edit_distance", "entity_uid", "typo_variants", "clusters"]


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


def resolve(mentions: list[Mention]) -> tuple[dict[str, Entity], dict[tuple[str, str], str]]:
    """Resolve mentions to entities.

    Returns ``(entities by uid, lookup)`` where ``lookup[(paper, surface)]``
    gives the uid a mention text resolved to within that paper.
    """
    votes: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for m in mentions:
        if m.type == "Organization":
            continue
        k = norm_key(m.text)
        for t, w in (m.type_scores or {m.type: 1.0}).items():
            votes[k][t] += w
        votes[k][m.type] += 1.0  # the record's own decision counts too
    alias_keys = _alias_map(mentions)
    entities: dict[str, Entity] = {}
    lookup: dict[tuple[str, str], str] = {}
    winners: dict[tuple[str, str], str] = {}  # the vote is per key: decide it once
    for m in sorted(mentions, key=lambda m: (m.paper, m.source, m.line, m.text)):
        own = norm_key(m.text)
        key = alias_keys.get(own, own)
        if m.type == "Organization":
            typ = "Organization"
        else:
            typ = winners.get((key, own))
            if typ is None:
                v = votes.get(key) or votes[own]
                typ = winners[(key, own)] = max(("Method", "Benchmark", "Dataset"),
                                                key=lambda t: (v.get(t, 0.0), t == "Method"))
            if m.type != typ and m.type_scores.get(m.type, 0) >= 3 + m.type_scores.get(typ, 0):
                typ = m.type  # strong local evidence keeps its own type
        uid = f"{typ.lower()}:{key or 'x'}"
        e = entities.get(uid)
        if e is None:
            e = entities[uid] = Entity(uid, typ, m.text)
        e.aliases.add(m.text)
        if m.aliases:
            e.aliases.update(m.aliases)
        e.papers.add(m.paper)
        e.sources.add(m.source)
        lookup[(m.paper, m.text)] = uid
        for a in m.aliases:
            lookup.setdefault((m.paper, a), uid)
    _merge_typos(entities, lookup)
    for e in entities.values():
        e.name = _display_name(e)
        e.aliases.discard(e.name)
    return entities, lookup


def _alias_map(mentions: list[Mention]) -> dict[str, str]:
    """alias key → canonical key, only where the alias is unambiguous."""
    targets: dict[str, set[str]] = defaultdict(set)
    for m in mentions:
        if m.type == "Organization":
            continue
        k = norm_key(m.text)
        for a in m.aliases:
            ak = norm_key(a)
            if ak != k:
                targets[ak].add(k)
    out = {}
    for ak, ks in targets.items():
        if len(ks) == 1:
            (k,) = ks
            # point to the longer form (expansion / versioned name) unless it is itself an alias
            out[ak] = k
    for ak in list(out):  # no chains/cycles: resolve to a fixed point
        seen = {ak}
        k = out[ak]
        while k in out and k not in seen:
            seen.add(k)
            k = out[k]
        out[ak] = k if k != ak else ak
    # two keys that alias each other (DAM ↔ Describe Anything Model) collapse to the smaller key
    for ak, k in list(out.items()):
        if out.get(k) == ak:
            lo = min(ak, k)
            out[ak] = out[k] = lo
    return {a: k for a, k in out.items() if a != k}


def _merge_typos(entities: dict[str, Entity], lookup: dict) -> None:
    """Fold entities whose keys (8+ letters, no digits) are one edit apart.

    Candidate pairs come from a symmetric-delete index (two strings within one
    edit share a one-deletion variant), so this is linear in the number of
    entities instead of comparing every pair."""
    by_type: dict[str, list[str]] = defaultdict(list)
    for uid, e in entities.items():
        if e.type != "Organization":
            by_type[e.type].append(uid)
    for typ, uids in sorted(by_type.items()):
        uids.sort(key=lambda u: (-len(entities[u].papers), u))  # the best-attested form survives
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
            if u in entities and v in entities and \
                    edit_distance(u.split(":", 1)[1], v.split(":", 1)[1], 1) == 1:
                _fold(entities, lookup, v, u)


def typo_variants(key: str) -> set[str]:
    """The key and its one-deletion variants, for keys typo merging applies to
    (8+ characters, no digits; empty otherwise). Two keys one edit apart share
    at least one variant (symmetric-delete blocking)."""
    if len(key) < 8 or any(c.isdigit() for c in key):
        return set()
    return {key} | {key[:i] + key[i + 1:] for i in range(len(key))}


def mention_keys(m: Mention) -> list[str]:
    """The normalised keys a mention touches: its own and its aliases'."""
    return [norm_key(t) or "x" for t in (m.text, *m.aliases)]  # "" shares uid suffix "x" (entity_uid)


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
    d.aliases |= s.aliases | {s.name}
    d.papers |= s.papers
    d.sources |= s.sources
    for p in s.papers:  # only this entity's papers can hold lookups to it
        for a in s.aliases | {s.name}:
            if lookup.get((p, a)) == src:
                lookup[(p, a)] = dst


def _display_name(e: Entity) -> str:
    """Prefer a mixed-case surface form, then the longest, then alphabetical."""
    if e.type == "Organization":
        return e.name  # already canonical (lexicon or tag)
    forms = sorted(e.aliases | {e.name})
    same_key = [f for f in forms if norm_key(f) == e.uid.split(":", 1)[1]] or forms
    return max(same_key, key=lambda f: (f != f.lower() and f != f.upper(), f != f.lower(),
                                        -abs(len(f) - 12), f))
