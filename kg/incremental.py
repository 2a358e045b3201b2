"""Incremental builds: update an output folder in place after inputs change.

``kg build`` on a folder it built before compares every input's size, mtime
and content hash with the build state (:mod:`kg.state`). When files were only
added, changed or removed, it

1. extracts just those files (per-file cache as usual);
2. touches only the resolution groups their names touch (a group resolves
   independently of all others, :func:`kg.resolve.clusters`): a group that
   just gains mentions of names it already has is extended from its stored
   result (:func:`kg.resolve.extend_group`), and so may a group that new
   names join (through an alias or as typo neighbours of its names only);
   the others, and groups that new names join together, are resolved again;
3. recomputes the papers whose records or name lookups changed, and every
   relationship those papers state;
4. patches each output file: unchanged elements are copied byte for byte,
   changed ones rendered anew (:mod:`kg.export.elements`); the HTML view and
   the report are rendered again; the changed rows for the embedded Cypher
   database are queued and applied by the next ``kg query cypher``
   (:func:`kg.query.cypher.queue_embedded` says why).

The result is byte-identical to a clean build of the same inputs (tested).
Whenever that cannot be guaranteed (a new CSV column, a changed
``--min-confidence``, outputs edited by hand, an interrupted update …) the
build falls back to a full one and says why in ``report["incremental"]``.
"""
from __future__ import annotations

import functools
import os
import shutil
import time
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Callable

import numpy as np

from .build import build, collect_files, doc_summary, make_report, paper_edges, rounded
from .export import element_formats
from .export.elements import NeedsRewrite, edge_element, edge_key, label_of, node_element, node_key
from .gcpolicy import gc_paused
from .outdir import WriteFailed, clean_leftovers, interrupted, locked, marked, staging, switch_in
from .graph import KnowledgeGraph, entity_props, named_in, paper_links, paper_props, paper_uid, relation_props
from .model import Entity, Mention, PaperRecord, Relation, Result
from .parallel import run_forked
from .views import MAX_FULL_VIEW, top_note
from .mention_model import model_fingerprint
from .process import EXTRACTOR_VERSION, ExtractionWorker, default_jobs, file_key, submit_files
from .families import LABEL as VARIANT, choose_family, family_candidates, variant_props
from .resolve import clusters, extend_group, mention_keys, resolve_group, typo_variants
from .provenance import input_roots, roots_key
from .state import STATE_DIR, STATE_VERSION, BuildState, dumps, loads

__all__ = ["build_into", "save_state", "update", "UpdateSession", "Stale"]

PATCHED = ("ttl", "jsonl", "cypher", "graphml", "neo4j_csv")  # longest to patch first


class Stale(Exception):
    """The state cannot be used for this build (the reason is the message)."""


def _version(min_confidence: float) -> tuple:
    return (STATE_VERSION, EXTRACTOR_VERSION, model_fingerprint(), float(min_confidence), roots_key())


def _stat(path: str) -> tuple[int, int]:
    st = os.stat(path)
    return st.st_size, st.st_mtime_ns


def _output_stats(out_dir: str) -> dict[str, tuple[int, int]]:
    """size and mtime of every output file (an edited output forces a full build).
    The embedded database is left out: opening it may checkpoint it, and the next
    Cypher query applies the changes an update queued for it."""
    out = {}
    for root, dirs, files in os.walk(out_dir):
        dirs[:] = [d for d in dirs if not d.startswith(".") and not d.endswith(".lbdb")]
        for f in files:
            if not f.startswith(".") and not f.endswith((".kgpatch", ".kgold", ".wal", ".lbdb", ".lbdb.pending")):
                p = os.path.join(root, f)
                out[os.path.relpath(p, out_dir)] = _stat(p)
    return out


def _file_row(r) -> tuple:
    """files table row: path, size, mtime, hash, report summary, the names it mentions."""
    keys = sorted({k for x in r.extractions for m in x.mentions for k in mention_keys(m)})
    return (r.doc.path, *_stat(r.doc.path), r.key, dumps(doc_summary(r.doc)), dumps(keys))


def build_into(paths, out_dir: str, *, min_confidence: float = 0.0, jobs: int | None = None,
               cache_dir: str | None = None, formats=None, worker: ExtractionWorker | None = None,
               session: UpdateSession | None = None, wait: bool = True,
               on_wait: Callable[[str], None] | None = None) -> dict:
    """What ``kg build`` does: update ``out_dir`` in place when its build state
    allows, else build everything and (for large graphs) keep a new state.
    Returns the report; ``report["incremental"]`` says which path was taken.
    ``worker`` (started early: ``kg build`` does when ``out_dir`` has a build
    state) extracts an update's files; it is released either way (stopped
    unless kept). ``session``: an update prepared ahead (:class:`UpdateSession`,
    kept by ``kg build --watch``); it is closed if the build turns out full.

    The build holds ``out_dir``'s lock throughout (:mod:`kg.outdir`): with
    another build under way it waits (``on_wait`` is told), or raises
    :class:`~kg.outdir.OutputBusy` when ``wait`` is false. A full build's
    outputs are switched in only once all are written; writing them may raise
    :class:`~kg.outdir.WriteFailed`, and the previous outputs then stand."""
    try:
        with locked(out_dir, wait, on_wait), gc_paused(), input_roots([paths] if isinstance(paths, str) else paths):
            clean_leftovers(out_dir)
            return _build_into(paths, out_dir, min_confidence=min_confidence, jobs=jobs, cache_dir=cache_dir,
                               formats=formats, worker=worker, session=session)
    finally:
        if worker is not None:
            worker.release()


def _build_into(paths, out_dir: str, *, min_confidence: float, jobs: int | None, cache_dir: str | None,
                formats, worker: ExtractionWorker | None, session: UpdateSession | None) -> dict:
    files = collect_files([paths] if isinstance(paths, str) else paths)
    reason = "no --cache" if not cache_dir else "only the default outputs are updated in place" if formats else None
    reason = reason or interrupted(out_dir)
    if reason is None:
        try:
            return update(files, out_dir, min_confidence=min_confidence, jobs=jobs, cache_dir=cache_dir,
                          worker=worker, session=session)
        except (Stale, NeedsRewrite) as err:
            reason = str(err)
        except Exception as err:  # noqa: BLE001 - a full build is always correct; say why it ran
            reason = f"the update failed ({type(err).__name__}: {err})"
            import sys
            print(f"kg build: {reason}; building everything instead", file=sys.stderr)
    if session is not None:
        session.close()  # its state is about to be replaced
    if worker is not None:
        worker.release()  # a full build extracts in its own pool
    kg = build(files, min_confidence=min_confidence, jobs=jobs, cache_dir=cache_dir, keep_state=bool(cache_dir))
    kg.report["incremental"] = {"full_build": reason}
    stage = staging(out_dir)
    try:
        kept = False
        if cache_dir and not formats and _patchable(kg):
            kept = _write_keeping_state(kg, stage, min_confidence, jobs)
        else:
            kg.build_inputs = None
            kg.write(stage, formats, jobs=jobs)
    except Exception as err:  # noqa: BLE001 - the previous outputs stand; the caller says why
        shutil.rmtree(stage, ignore_errors=True)
        raise WriteFailed(out_dir, err) from err
    switch_in(stage, out_dir, replaces=(STATE_DIR,))
    if kept:
        _finish_state(kg, out_dir)  # last: it records the outputs' sizes, report.json's too
    return kg.report


def _write_keeping_state(kg: KnowledgeGraph, out_dir: str, min_confidence: float, jobs: int | None) -> bool:
    """Write every output, with the indexes and the build state
    (:func:`save_state`) the next build needs to update them in place.
    Returns whether the state was kept (:func:`_finish_state` then completes it
    once the outputs are in their place).
    The report's ``save_state`` is the build's own time on the state: all of
    it when saved inline, only the wait after the writers when forked."""
    from .export import save_report, writers
    kg.index_dir = os.path.join(out_dir, STATE_DIR)
    t = time.perf_counter()
    saved = _save_state_aside(kg, out_dir, min_confidence, jobs)
    spent = time.perf_counter() - t
    kg.build_inputs = None  # the build's mentions are freed before the writers fork
    kg.write(out_dir, jobs=jobs)
    t = time.perf_counter()
    try:
        saved()
        kept = True
    except RuntimeError as err:  # the outputs stand; the next build is a full one
        shutil.rmtree(kg.index_dir, ignore_errors=True)
        kg.report["warnings"].append(f"{out_dir}: the build state was not saved ({err}); "
                                     "the next build rebuilds everything")
        kept = False
    kg.report["seconds"]["save_state"] = round(spent + time.perf_counter() - t, 3)
    save_report(kg.report, os.path.join(out_dir, writers()["report"][0]))
    return kept


def _save_state_aside(kg: KnowledgeGraph, out_dir: str, min_confidence: float, jobs: int | None):
    """Start :func:`save_state` beside the writers; return a function that waits for it.

    Saving the state of a 100k-record build takes 15-19 s of one core, and
    before the writers the other core sat idle that long. With more than one
    job it runs in a forked child (which inherits the build's inputs; the
    build then frees them) while the writers run."""
    task = functools.partial(save_state, kg, out_dir, min_confidence)
    if (jobs or default_jobs()) > 1:
        return run_forked([task])
    try:
        task()
    except Exception as err:  # noqa: BLE001 - reported like a forked child's failure
        failure = f"{type(err).__name__}: {err}"

        def failed() -> None:
            raise RuntimeError(failure)
        return failed
    return lambda: None


def _patchable(kg: KnowledgeGraph) -> bool:
    """Large graphs keep a state and are patched later; small ones are simply
    rebuilt (seconds). The threshold is the one above which Turtle is written
    element by element (the pretty whole-graph Turtle cannot be patched)."""
    from .export import rdf
    return kg.g.number_of_nodes() + kg.g.number_of_edges() > rdf.STREAM_ABOVE


def _finish_state(kg: KnowledgeGraph, out_dir: str) -> None:
    """After the writers: the element keys their indexes refer to, and the
    outputs' sizes and times (a later edit of an output forces a full build)."""
    from .export import graph_elements
    st = BuildState(out_dir)
    st.save_keys([el.key for el in graph_elements(kg)])
    st.set("outputs", _output_stats(out_dir))
    st.close()


# ---------------------------------------------------------------------------
# full build → state
# ---------------------------------------------------------------------------
def save_state(kg: KnowledgeGraph, out_dir: str, min_confidence: float) -> None:
    """Keep what the next build needs to update ``out_dir`` incrementally
    (``kg`` must come from ``build(..., keep_state=True)``)."""
    files, results, records, res = kg.build_inputs
    st = BuildState(out_dir, create=True)  # the indexes the writers left are kept
    st.db.execute("BEGIN")
    st.put_many("files", (_file_row(r) for r in results if os.path.exists(r.doc.path)))
    key_rows = {}
    for cid, (ms, group) in enumerate(res.groups):
        st.db.execute("INSERT INTO clusters VALUES (?, ?)", (cid, dumps(group)))
        st.db.execute("INSERT INTO mentions VALUES (?, ?)", (cid, dumps(ms)))
        for m in ms:
            for k in mention_keys(m):
                key_rows[k] = cid
    st.put_many("keys", key_rows.items())
    st.put_many("variants", ((v, k) for k in key_rows for v in typo_variants(k)))
    recs_by_paper: dict[str, list[PaperRecord]] = defaultdict(list)
    for r in records:
        recs_by_paper[r.arxiv_id].append(r)
    st.put_many("papers", ((aid, dumps((recs, res.paper_rels.get(aid, []), res.paper_lookup.get(aid, {}),
                                        res.paper_results.get(aid, []), res.named.get(aid, {}))))
                           for aid, recs in recs_by_paper.items()))
    st.put_many("groups", ((edge_key(*k), k[0], k[2], " ".join(sorted({r.paper for r in rs})),
                            int(kg.g.has_edge(k[0], k[2], key=k[1]))) for k, rs in res.edges.items()))
    st.put_many("groups", ((edge_key(*k), k[0], k[2], "", 1) for k in res.variants))
    st.put_many("groups", ((edge_key(h, label, t), h, t, aid, 1) for aid, links in res.links.items()
                           for (h, label, t) in links))
    st.put_many("families", _family_rows(res.families))
    st.put_many("nodes", ((u, d) for u, d in kg.g.degree()))
    st.set("version", _version(min_confidence))
    st.set("dropped", {aid: n for aid, n in res.dropped.items() if n})  # per paper: read by every update
    st.set("counts", kg.counts())
    st.db.execute("COMMIT")
    st.finish_full()
    st.close()


# ---------------------------------------------------------------------------
# incremental update
# ---------------------------------------------------------------------------
@dataclass
class Delta:
    """What changed: element key → new element (None: gone)."""

    changed: dict = field(default_factory=dict)
    degree: dict = field(default_factory=lambda: defaultdict(int))


def _plan(st: BuildState, files: list[str]) -> tuple[list[str], list[str]]:
    """(files to extract, paths whose old contribution goes)."""
    known = {p: (size, mtime, sha) for p, size, mtime, sha in st.db.execute("SELECT path, size, mtime, sha FROM files")}
    present = set(files)
    todo, gone = [], [p for p in known if p not in present]
    for f in files:
        old = known.get(f)
        if old is not None and old[:2] == _stat(f):
            continue
        if old is not None and old[2] == file_key(f):
            continue  # touched, same bytes
        todo.append(f)
        if old is not None:
            gone.append(f)
    return todo, gone


class UpdateSession:
    """An open, checked build state, and what an update prepares before it
    knows what changed (:class:`_Outputs`: the element keys, every output's
    index, graph.html's current elements).

    ``kg build`` opens one per update and prepares it while the extraction
    process extracts. ``kg build --watch`` prepares the next one as soon
    as an update is done, so the next change finds it ready.
    Raises :class:`Stale` when the state cannot be used."""

    def __init__(self, out_dir: str, min_confidence: float = 0.0) -> None:
        self.out_dir = out_dir
        self._outputs: _Outputs | None = None
        try:
            self.st = BuildState(out_dir)
        except (FileNotFoundError, OSError) as err:
            raise Stale("no build state") from err
        if self.st.get("version") != _version(min_confidence):
            self.close()
            raise Stale("extractor, state format or --min-confidence changed")

    def prepare(self) -> None:
        """Load the outputs' indexes and graph.html's elements, unless loaded."""
        if self._outputs is None:
            self._outputs = _Outputs(self.st, self.out_dir)

    def take_outputs(self) -> _Outputs:
        """The prepared outputs, for one update (patching them makes them stale)."""
        self.prepare()
        outputs, self._outputs = self._outputs, None
        return outputs

    def close(self) -> None:
        self._outputs = None
        self.st.close()


def update(files: list[str], out_dir: str, *, min_confidence: float = 0.0, jobs: int | None = None,
           cache_dir: str | None = None, worker: ExtractionWorker | None = None,
           session: UpdateSession | None = None) -> dict:
    """Apply the changes in ``files`` to the build in ``out_dir``; return the report.
    Raises :class:`Stale` (nothing written) when a full build is needed.
    ``session`` (else one is opened and closed here) may be prepared already."""
    t0 = time.perf_counter()
    s = session if session is not None else UpdateSession(out_dir, min_confidence)
    st = s.st
    try:
        if st.get("dirty"):
            raise Stale("the previous update was interrupted")
        if st.get("outputs") != _output_stats(out_dir):
            raise Stale("output files were changed since the last build")
        todo, gone = _plan(st, files)
        if len(todo) + len(gone) > max(20, len(files) // 10):
            raise Stale(f"{len(todo)} files to read and {len(gone)} to drop: a full build is quicker")
        t1 = time.perf_counter()
        extracted = submit_files(todo, jobs, cache_dir, worker)
        outputs = s.take_outputs() if (todo or gone) else None  # loads while a worker extracts
        results = extracted()
        t2 = time.perf_counter()
        delta = _apply(st, results, gone, min_confidence) if (todo or gone) else Delta()
        t3 = time.perf_counter()
        with marked(out_dir):  # patched one by one: a failure or a kill in between makes the next build full
            patched = _patch_outputs(st, out_dir, delta, outputs) if outputs is not None else lambda: None
            summaries = outputs.summaries if outputs is not None else _summaries(st)  # while the patches run
            summaries.update((r.doc.path, doc_summary(r.doc)) for r in results)
            report = make_report([summaries[f] for f in files if f in summaries], st.get("counts"),
                                 sum(st.get("dropped", {}).values()), {})
            patched()
            t4 = time.perf_counter()
            report["seconds"] = rounded({"collect": t1 - t0, "read+extract": t2 - t1, "resolve": t3 - t2, "write": t4 - t3})
            report["files_from_cache"] = len(files) - len(todo)
            report["incremental"] = {"files_extracted": len(todo), "files_removed": len([g for g in gone if g not in todo]),
                                     "elements_changed": len(delta.changed)}
            from .export import save_report
            save_report(report, os.path.join(out_dir, "report.json"))
            st.set("outputs", _output_stats(out_dir))
        st.set("dirty", False)
        return report
    finally:
        if session is None:
            s.close()


@dataclass
class _Resolved:
    """What re-resolving the touched groups changed: entities, and name lookups
    (old and new values, only for the entries that may have changed)."""

    old_entities: dict[str, Entity] = field(default_factory=dict)
    new_entities: dict[str, Entity] = field(default_factory=dict)
    old_lookup: dict[tuple[str, str], str] = field(default_factory=dict)
    new_lookup: dict[tuple[str, str], str] = field(default_factory=dict)


def _apply(st: BuildState, results, gone: list[str], min_confidence: float) -> Delta:
    """Update the state for new/removed files; return the changed elements."""
    delta = Delta()
    gone_set = set(gone)
    new_mentions = [m for r in results for x in r.extractions for m in x.mentions]
    new_records = [rec for r in results for rec in r.doc.records]
    new_rels: dict[str, list[Relation]] = defaultdict(list)
    new_results: dict[str, list[tuple[str, Result]]] = defaultdict(list)
    for r in results:
        for x in r.extractions:
            new_rels[x.record.arxiv_id] += x.relations
            new_results[x.record.arxiv_id] += [(x.record.source, res) for res in x.results]
    old_files = {p: (loads(s), loads(k)) for p, s, k in
                 st.select_in("SELECT path, summary, keys FROM files WHERE path IN ({})", gone)}
    st.db.execute("BEGIN")
    st.set("dirty", True)
    # 1-2. the resolution groups the changes touch: extended where they can be, else resolved again
    res = _Resolved()
    by_group, loose, new_keys = _by_group(st, new_mentions)
    slow_keys = {k for m in loose for k in mention_keys(m)} | {k for _, keys in old_files.values() for k in keys}
    slow = _groups_near(st, slow_keys)
    slow |= _extend_groups(st, {c: ms for c, ms in by_group.items() if c not in slow}, new_keys, res)
    _resolve_again(st, slow, loose + [m for c in slow & by_group.keys() for m in by_group[c]], gone_set, new_keys, res)
    changed_entities = set()
    for uid in res.old_entities.keys() | res.new_entities.keys():
        e = res.new_entities.get(uid)
        if e != res.old_entities.get(uid):
            delta.changed[node_key(uid)] = node_element(uid, entity_props(e)) if e else None
            changed_entities.add(uid)
    _update_variants(st, delta, res, changed_entities, min_confidence)
    # 3. papers whose records or lookups changed
    old_lookup, new_lookup = res.old_lookup, res.new_lookup
    papers = {m.paper for m in new_mentions} | {r.arxiv_id for r in new_records}
    papers |= {a for s, _ in old_files.values() for a in s["aids"]}
    papers |= {k[0] for k, uid in new_lookup.items() if old_lookup.get(k) != uid}
    papers |= {k[0] for k in old_lookup if k not in new_lookup}
    new_named: dict[str, list[Mention]] = defaultdict(list)
    for m in new_mentions:
        new_named[m.paper].append(m)
    _update_papers(st, delta, papers, gone_set, new_records, (new_rels, new_results, new_named), old_lookup,
                   new_lookup, min_confidence)
    # 4. files
    st.delete_many("files", "path", gone)
    st.put_many("files", (_file_row(r) for r in results if os.path.exists(r.doc.path)))
    st.db.execute("COMMIT")
    return delta


def _by_group(st: BuildState, mentions: list[Mention]) -> tuple[dict[int, list[Mention]], list[Mention], set[str]]:
    """New mentions by the one existing group they join, the rest, and the new keys.

    The new mentions are first grouped among themselves (:func:`clusters`);
    such a batch joins the groups of its known names and those holding typo
    neighbours of its new names. Joining exactly one, it may extend that
    group; joining none, it is a new group; joining several, it merges them
    (the rest, resolved again)."""
    keyed = {k for m in mentions for k in mention_keys(m)}
    group_of = dict(st.select_in("SELECT key, cluster FROM keys WHERE key IN ({})", keyed))
    new_keys = keyed - group_of.keys()
    owners = defaultdict(set)  # typo variant -> the known keys that have it
    for v, k in st.select_in("SELECT v, key FROM variants WHERE v IN ({})",
                             {v for k in new_keys for v in typo_variants(k)}):
        owners[v].add(k)
    neighbours = {k2 for ks in owners.values() for k2 in ks}
    group_of.update(st.select_in("SELECT key, cluster FROM keys WHERE key IN ({})", neighbours - group_of.keys()))
    near = {k: {group_of[k2] for v in typo_variants(k) for k2 in owners.get(v, ()) if k2 in group_of}
            for k in new_keys}  # new key -> the groups holding a typo neighbour of it
    by_group: dict[int, list[Mention]] = defaultdict(list)
    loose = []
    for batch in clusters(mentions):
        groups = {c for m in batch for k in mention_keys(m)
                  for c in (near[k] if k in new_keys else (group_of[k],))}
        if len(groups) == 1:
            by_group[groups.pop()] += batch
        else:
            loose += batch
    return by_group, loose, new_keys


def _groups_near(st: BuildState, keys: set[str]) -> set[int]:
    """The groups holding ``keys`` or a typo neighbour of one."""
    variants = {v for k in keys for v in typo_variants(k)}
    keys = keys | {k for (k,) in st.select_in("SELECT key FROM variants WHERE v IN ({})", variants)}
    return {c for (c,) in st.select_in("SELECT cluster FROM keys WHERE key IN ({})", keys)}


def _extend_groups(st: BuildState, new: dict[int, list[Mention]], new_keys: set[str], res: _Resolved) -> set[int]:
    """Add mentions to their groups without resolving them again
    (:func:`kg.resolve.extend_group`); return the groups that could not be.
    ``new_keys`` are names no group held: those joining a group are keyed to it."""
    stored = st.blobs("clusters", "id", new)
    key_rows = []
    refused = set(new) - stored.keys()  # a key can outlive its group (its mentions' file was removed)
    for c, group in stored.items():
        extended = extend_group(group, new[c])
        if extended is None:
            refused.add(c)
            continue
        after, changed = extended
        for uid in changed:
            res.new_entities[uid] = after.entities[uid]
            if uid in group.entities:
                res.old_entities[uid] = group.entities[uid]
        for m in new[c]:
            for k in [(m.paper, m.text)] + [(m.paper, a) for a in m.aliases]:
                res.new_lookup[k] = after.lookup[k]
        st.db.execute("UPDATE clusters SET blob = ? WHERE id = ?", (dumps(after), c))
        st.db.execute("INSERT INTO mentions VALUES (?, ?)", (c, dumps(new[c])))
        key_rows += [(k, c) for k in {k for m in new[c] for k in mention_keys(m)} & new_keys]
    _key_groups(st, key_rows, new_keys)
    return refused


def _key_groups(st: BuildState, key_rows: list[tuple[str, int]], new_keys: set[str]) -> None:
    """Key names to their groups, and index the typo variants of the new ones."""
    st.put_many("keys", key_rows)
    st.put_many("variants", [(v, k) for k, _ in key_rows if k in new_keys for v in typo_variants(k)])


def _resolve_again(st: BuildState, cids: set[int], new: list[Mention], gone: set[str], new_keys: set[str],
                   res: _Resolved) -> None:
    """Resolve the groups ``cids`` again from their mentions, without those of
    removed files and with the ``new`` ones; groups may merge or split.
    ``new_keys`` are names no group held before."""
    kept: list[Mention] = []
    for ms in st.mentions_of(cids).values():
        kept += [m for m in ms if m.source not in gone]
    for group in st.blobs("clusters", "id", cids).values():
        res.old_entities.update(group.entities)
        res.old_lookup.update(group.lookup)
    st.delete_many("clusters", "id", cids)
    st.delete_many("mentions", "cluster", cids)
    next_id = (st.db.execute("SELECT max(id) FROM clusters").fetchone()[0] or 0) + 1
    key_rows = []
    for i, ms in enumerate(clusters(kept + new)):
        group = resolve_group(ms)
        res.new_entities.update(group.entities)
        res.new_lookup.update(group.lookup)
        st.db.execute("INSERT INTO clusters VALUES (?, ?)", (next_id + i, dumps(group)))
        st.db.execute("INSERT INTO mentions VALUES (?, ?)", (next_id + i, dumps(ms)))
        key_rows += [(k, next_id + i) for k in {k for m in ms for k in mention_keys(m)}]
    _key_groups(st, key_rows, new_keys)


def _family_rows(table: dict[str, list[tuple[str, str]]]) -> list[tuple[str, str, int, str]]:
    return [(m, f, rank, basis) for m, cands in table.items() for rank, (f, basis) in enumerate(cands)]


def _update_variants(st: BuildState, delta: Delta, res: _Resolved, changed: set[str], min_confidence: float) -> None:
    """VARIANT_OF links after the entities changed. A link depends only on its
    member's names and on which uids exist (:mod:`kg.families`), so the links
    made again are those of the changed members and of every member one of
    whose family candidates appeared or went."""
    appeared = res.new_entities.keys() - res.old_entities.keys()
    went = res.old_entities.keys() - res.new_entities.keys()
    table = {m: family_candidates(res.new_entities[m]) for m in changed if m in res.new_entities}
    st.delete_many("families", "member", changed)
    st.put_many("families", _family_rows(table))
    members = changed | {m for (m,) in st.select_in("SELECT member FROM families WHERE family IN ({})", appeared | went)}
    for m, f, basis in st.select_in("SELECT member, family, basis FROM families WHERE member IN ({}) ORDER BY rank",
                                    members - changed):
        table.setdefault(m, []).append((f, basis))
    wanted = {f for cands in table.values() for f, _ in cands} - res.new_entities.keys()
    exists = res.new_entities.keys() | {u for (u,) in st.select_in("SELECT uid FROM nodes WHERE uid IN ({})", wanted)
                                        if u not in went}
    old = {h: (g, t) for g, h, t in st.select_in("SELECT gkey, h, t FROM groups WHERE h IN ({})", members)
           if g.split("\x00")[2] == VARIANT}
    rows, removed = [], []
    for m in sorted(members):
        hit = choose_family(table.get(m, ()), exists.__contains__)
        props = variant_props(hit[1]) if hit else None
        link = (m, VARIANT, hit[0]) if hit and props["confidence"] >= min_confidence else None
        was = old.get(m)
        if was and (link is None or was[0] != edge_key(*link)):
            removed.append(was[0])
            delta.changed[was[0]] = None
            delta.degree[m] -= 1
            delta.degree[was[1]] -= 1
        if link:
            g = edge_key(*link)
            element = edge_element(*link, props)
            if not was or was[0] != g:
                rows.append((g, m, link[2], "", 1))
                delta.degree[m] += 1
                delta.degree[link[2]] += 1
                delta.changed[g] = element
            elif m in changed:  # rendered again: its basis may read differently now
                delta.changed[g] = element
    st.delete_many("groups", "gkey", removed)
    st.put_many("groups", rows)


def _update_papers(st: BuildState, delta: Delta, papers: set[str], gone: set[str], new_records, new_stated,
                   old_lookup: dict, new_lookup: dict, min_confidence: float) -> None:
    new_rels, new_results, new_named = new_stated
    olds = st.blobs("papers", "aid", papers)
    recs_new: dict[str, list[PaperRecord]] = defaultdict(list)
    for r in new_records:
        recs_new[r.arxiv_id].append(r)
    dropped = st.get("dropped", {})
    touched_groups: dict[str, tuple] = {}
    after: dict[str, list] = {}
    rows, gone_papers = [], []
    result_rows: list[tuple] = []
    new_by_paper: dict[str, dict[str, str]] = defaultdict(dict)
    for (p, t), u in new_lookup.items():
        if p in papers:
            new_by_paper[p][t] = u
    for aid in sorted(papers):
        recs, rels, plookup, scores, named = olds.get(aid, ([], [], {}, [], {}))
        old_edges, _ = paper_edges(aid, rels, plookup)
        recs2 = [r for r in recs if r.source not in gone] + recs_new.get(aid, [])
        rels2 = [r for r in rels if r.evidence.source not in gone] + new_rels.get(aid, [])
        scores2 = [x for x in scores if x[0] not in gone] + new_results.get(aid, [])
        named2 = {k: w for k, w in named.items() if k[1] not in gone}
        named2.update(named_in(new_named.get(aid, [])))
        named2 = dict(sorted(named2.items()))
        # entries of re-resolved groups are replaced by their new values; the rest stand
        plookup2 = {t: u for t, u in plookup.items() if (aid, t) not in old_lookup}
        plookup2.update(new_by_paper.get(aid, {}))
        new_edges, n_dropped = paper_edges(aid, rels2, plookup2)
        result_rows += _update_results(
            delta, aid, paper_links(aid, named, scores, plookup, _ends(old_edges), min_confidence),
            paper_links(aid, named2, scores2, plookup2, _ends(new_edges), min_confidence) if recs2 else ({}, {}))
        if n_dropped:
            dropped[aid] = n_dropped
        else:
            dropped.pop(aid, None)
        after[aid] = new_edges
        for k, _ in old_edges + new_edges:
            touched_groups[edge_key(*k)] = k
        if recs2:
            rows.append((aid, dumps((recs2, rels2, plookup2, scores2, named2))))
            if recs2 != recs:
                delta.changed[node_key(paper_uid(aid))] = node_element(paper_uid(aid), paper_props(aid, recs2))
        else:
            gone_papers.append(aid)
            dropped.pop(aid, None)
            delta.changed[node_key(paper_uid(aid))] = None
    st.put_many("papers", rows)
    st.delete_many("papers", "aid", gone_papers)
    st.delete_many("groups", "gkey", [g for g, row in result_rows if row is None])
    st.put_many("groups", [row for _, row in result_rows if row is not None])
    st.set("dropped", dropped)
    _update_groups(st, delta, touched_groups, papers, after, min_confidence)


def _ends(edges: list) -> set[str]:
    """The uids at either end of a paper's typed relationships (:func:`kg.build.paper_edges`)."""
    return {end for (h, _, t), _ in edges for end in (h, t)}


def _update_results(delta: Delta, aid: str, old: tuple[dict, dict], new: tuple[dict, dict]) -> list[tuple]:
    """A paper's Result nodes and relationships, before and after: the changed ones into
    ``delta``; returns (edge key, groups row or None) for the relationships that came or went."""
    (old_nodes, old_edges), (new_nodes, new_edges) = old, new
    for uid in old_nodes.keys() | new_nodes.keys():
        if old_nodes.get(uid) != new_nodes.get(uid):
            delta.changed[node_key(uid)] = node_element(uid, new_nodes[uid]) if uid in new_nodes else None
    rows = []
    for k in old_edges.keys() | new_edges.keys():
        if old_edges.get(k) == new_edges.get(k):
            continue
        h, label, t = k
        step = (k in new_edges) - (k in old_edges)
        delta.changed[edge_key(*k)] = edge_element(h, label, t, new_edges[k]) if k in new_edges else None
        delta.degree[h] += step
        delta.degree[t] += step
        rows.append((edge_key(*k), (edge_key(*k), h, t, aid, 1) if k in new_edges else None))
    return rows


def _update_groups(st: BuildState, delta: Delta, groups: dict[str, tuple], papers: set[str],
                   after: dict[str, list], min_confidence: float) -> None:
    """Recompute every relationship a changed paper states or stated."""
    old = {g: (set(p.split()), present) for g, p, present in
           st.select_in("SELECT gkey, papers, present FROM groups WHERE gkey IN ({})", groups)}
    contributors = {g: (old.get(g, (set(), 0))[0] - papers) for g in groups}
    for aid, edges in after.items():
        for k, _ in edges:
            contributors[edge_key(*k)].add(aid)
    others = {p for ps in contributors.values() for p in ps} - papers
    other_edges = {aid: paper_edges(aid, rels, lk)[0] for aid, (_, rels, lk, *_) in
                   st.blobs("papers", "aid", others).items()}
    stated: dict[str, list[Relation]] = defaultdict(list)
    for source in (after, other_edges):
        for aid, edges in source.items():
            for k, r in edges:
                g = edge_key(*k)
                if g in groups:
                    stated[g].append(r)
    rows, removed = [], []
    for g, (h, label, t) in groups.items():
        was = old.get(g, (set(), 0))[1]
        rs = stated.get(g)
        props = relation_props(rs) if rs else None
        now = int(props is not None and props["confidence"] >= min_confidence)
        if rs:
            rows.append((g, h, t, " ".join(sorted({r.paper for r in rs})), now))
        else:
            removed.append(g)
        if now:
            delta.changed[g] = edge_element(h, label, t, props)
        elif was:
            delta.changed[g] = None
        if now != was:
            delta.degree[h] += now - was
            delta.degree[t] += now - was
    st.put_many("groups", rows)
    st.delete_many("groups", "gkey", removed)
    _update_nodes(st, delta)


def _update_nodes(st: BuildState, delta: Delta) -> None:
    """Node rows follow the changed nodes; degrees follow the changed relationships."""
    nodes = {k[2:]: el for k, el in delta.changed.items() if k.startswith("0\x00")}
    st.delete_many("nodes", "uid", [u for u, el in nodes.items() if el is None])
    st.db.executemany("INSERT OR IGNORE INTO nodes VALUES (?, 0)", [(u,) for u, el in nodes.items() if el is not None])
    st.db.executemany("UPDATE nodes SET degree = degree + ? WHERE uid = ?",
                      [(d, u) for u, d in delta.degree.items() if d])


# ---------------------------------------------------------------------------
# outputs
# ---------------------------------------------------------------------------
def _new_keys(old_keys: list[str], changed: dict) -> tuple[list[str], list]:
    """The sorted element keys after ``changed``, and how they are made: a list
    of pieces, each a run ``(start, stop)`` of old keys or one inserted key
    (no pass over every key in Python; the keys file is patched from them)."""
    from bisect import bisect_left

    from .export.elements import key_rank
    cuts = []  # (position in old_keys, key to insert or None to drop old_keys[position])
    for k, el in changed.items():
        at = key_rank(old_keys, k)
        if el is None and at >= 0:
            cuts.append((at, 1, None))
        elif el is not None and at < 0:
            cuts.append((bisect_left(old_keys, k), 0, k))
    pieces: list = []
    start = 0
    for at, drop, k in sorted(cuts, key=lambda c: (c[0], c[1], c[2] or "")):
        pieces.append((start, at))
        if drop:
            start = at + 1
        else:
            pieces.append(k)
            start = at
    pieces.append((start, len(old_keys)))
    pieces = [p for p in pieces if isinstance(p, str) or p[0] < p[1]]
    out: list[str] = []
    for p in pieces:
        if isinstance(p, str):
            out.append(p)
        else:
            out += old_keys[p[0]:p[1]]
    return out, pieces


class _Outputs:
    """What the update prepares while extraction runs elsewhere: the element
    keys, every output's index (a missing one means a full build, decided
    before anything is written), graph.html's current fragments and the
    report's file summaries."""

    def __init__(self, st: BuildState, out_dir: str) -> None:
        from .export.elements import load_index
        from .export.html import preload
        from .query.cypher import queue_embedded  # noqa: F401  (imported now, not when patching)
        preload()  # while extraction runs elsewhere; the forked view inherits it
        element_formats()  # imports every format's module (rdflib, …) now, not when patching
        self.keys = st.load_keys()
        self.indexes = {}
        for name in PATCHED:
            idx = load_index(os.path.join(st.dir, name + ".idx"))
            if idx is None:
                raise Stale(f"no index for {name}")
            self.indexes[name] = idx
        self.view = _ViewInputs(st, self.indexes["jsonl"], self.keys)
        self.summaries = _summaries(st)  # the report's file list, less what the update reads again


def _summaries(st: BuildState) -> dict[str, dict]:
    """Every input file's summary for the report (:func:`kg.build.doc_summary`)."""
    return {path: loads(blob) for path, blob in st.db.execute("SELECT path, summary FROM files")}


def _patch_outputs(st: BuildState, out_dir: str, delta: Delta, outputs: _Outputs) -> Callable[[], None]:
    """Start patching every output; return a function that waits for the patches.

    The patches and graph.html are dealt out to three forked children, so
    rendering runs on every core while the kernel copies the unchanged bytes.
    The view reads unchanged elements from the old graph.jsonl, held open
    across the swap, so it need not wait for the new one."""
    from .export import writers
    from .export.elements import check_fits, index_files, key_rank, renumbering
    from .query.cypher import queue_embedded
    old_keys, indexes = outputs.keys, outputs.indexes
    new_keys, pieces = _new_keys(old_keys, delta.changed)
    fmts, names = element_formats(), writers()
    renum = renumbering(old_keys, new_keys, delta.changed)  # once here, not in every patch
    for name in PATCHED:  # nothing is written unless every output can be patched
        check_fits(fmts[name], indexes[name], delta.changed, renum)
    _count(st, old_keys, delta.changed)
    targets = {name: os.path.join(out_dir, names[name][0]) for name in PATCHED}
    # open here, inherited by every child: the last child to exit frees the
    # old files' blocks (~0.5 s for 1.3 GB), after it has reported back
    held = {f: os.open(f, os.O_RDONLY) for name in PATCHED for f in index_files(targets[name], indexes[name])}
    jsonl_fd = held[targets["jsonl"]]
    try:
        tasks = [lambda: _write_view(out_dir, outputs.view, jsonl_fd, delta.changed)]
        tasks += [functools.partial(_patch_one, fmts[n], targets[n], indexes[n], renum, delta.changed,
                                    os.path.join(st.dir, n + ".idx")) for n in PATCHED]
        done = run_forked(tasks, children=3)  # view + neo4j_csv, ttl + graphml, jsonl + cypher
    finally:
        for fd in held.values():
            os.close(fd)
    st.patch_keys(old_keys, pieces)
    queue_embedded(os.path.join(out_dir, names["lbdb"][0]), delta.changed, lambda k: key_rank(old_keys, k) >= 0)
    return done


def _patch_one(fmt, target: str, index, renum, changed: dict, index_path: str) -> None:
    from .export.elements import patch_elements, save_index
    save_index(index_path, patch_elements(fmt, target, index, renum, changed))


class _ViewInputs:
    """What graph.html is drawn from: the top-degree nodes, the relationships
    between them, and their page fragments (:func:`kg.export.html.node_fragment`).

    The last build kept the current view's fragments beside its state; they
    are loaded while extraction runs elsewhere (``__init__``). After
    resolution, :meth:`current` asks the state for the new top nodes and
    renders only what changed, or entered the view (read from the old
    graph.jsonl, held open across its replacement)."""

    def __init__(self, st: BuildState, index, keys: list[str]) -> None:
        from .export.elements import load_index
        from .export.html import FRAGMENTS
        self.keys = keys
        self.ranks, self.offs = index.sections["jsonl"]
        kept = load_index(os.path.join(st.dir, FRAGMENTS))
        if kept is None:
            raise Stale("no fragments of graph.html")
        self.nodes, self.edges = kept

    def _read(self, fd: int, keys: list[str]) -> list[dict]:
        """The objects of unchanged ``keys`` in the old graph.jsonl."""
        import json

        from .export.elements import key_rank
        at = np.searchsorted(self.ranks, [key_rank(self.keys, k) for k in keys]).tolist()
        return [json.loads(os.pread(fd, int(self.offs[i + 1] - self.offs[i]), int(self.offs[i]))) for i in at]

    def current(self, st: BuildState, fd: int, changed: dict) -> tuple[dict, dict]:
        """The view's node fragments by uid and relationship fragments by key,
        in page order, after ``changed``."""
        from .export.html import edge_fragment, node_fragment
        top = sorted(_top_nodes(st), key=lambda u: (not u.startswith("paper:"), u))
        edges = sorted(_edges_after(st, list(self.nodes), list(self.edges), top, changed))
        nodes = {u: self.nodes.get(u) for u in top}
        rels = {g: self.edges.get(g) for g in edges}
        for u in top:
            el = changed.get(node_key(u))
            if el is not None:
                nodes[u] = node_fragment(u, el.label, el.props)
        for g in edges:
            el = changed.get(g)
            if el is not None:
                rels[g] = edge_fragment(el.uid, el.label, el.tail, el.props)
        missing = [node_key(u) for u, f in nodes.items() if f is None] + [g for g, f in rels.items() if f is None]
        for k, o in zip(missing, self._read(fd, missing)):
            if o["type"] == "node":
                nodes[o["id"]] = node_fragment(o["id"], o["labels"][0], o["properties"])
            else:
                rels[k] = edge_fragment(o["start"]["id"], o["label"], o["end"]["id"], o["properties"])
        return nodes, rels


def _edges_after(st: BuildState, old_top: list[str], old_edges: list[str], top: list[str], changed: dict) -> list[str]:
    """The relationships between the ``top`` nodes after ``changed``, from those
    between the ``old_top``: kept ones whose ends stay, changed ones between
    top nodes, and the present ones of nodes entering the view (by SQL; asking
    for all of them took ~0.4 s at 100k records)."""
    top_set = set(top)
    edges = {g for g in old_edges if changed.get(g, True) is not None and _ends_in(g, top_set)}
    edges.update(g for g, el in changed.items() if el is not None and not el.is_node
                 and el.uid in top_set and el.tail in top_set)
    entering = sorted(top_set.difference(old_top))
    edges.update(g for g, t in st.select_in("SELECT gkey, t FROM groups WHERE present = 1 AND h IN ({})", entering)
                 if t in top_set)
    edges.update(g for g, h in st.select_in("SELECT gkey, h FROM groups WHERE present = 1 AND t IN ({})", entering)
                 if h in top_set)
    return list(edges)


def _ends_in(gkey: str, uids: set[str]) -> bool:
    """Both ends of the relationship ``gkey`` (:func:`edge_key`) are in ``uids``."""
    _, h, _, t = gkey.split("\x00")
    return h in uids and t in uids


def _top_nodes(st: BuildState) -> list[str]:
    return [u for (u,) in st.db.execute("SELECT uid FROM nodes ORDER BY degree DESC, uid LIMIT ?", (MAX_FULL_VIEW,))]


def _edges_between(st: BuildState, uids: list[str]) -> list[str]:
    """Keys of the present relationships with both ends in ``uids``."""
    ends = set(uids)
    return sorted(g for g, t in st.select_in("SELECT gkey, t FROM groups WHERE present = 1 AND h IN ({})", uids)
                  if t in ends)


def _count(st: BuildState, old_keys: list[str], changed: dict) -> None:
    """Node and relationship counts per label, moved by the changed elements."""
    from .export.elements import key_rank
    counts = st.get("counts")
    for k, el in changed.items():
        parts = k.split("\x00")
        kind, label = ("nodes", label_of(parts[1])) if parts[0] == "0" else ("relationships", parts[2])
        step = (el is not None) - (key_rank(old_keys, k) >= 0)
        if step:
            counts[kind][label] = counts[kind].get(label, 0) + step
            if not counts[kind][label]:
                del counts[kind][label]
    counts = {kind: dict(sorted(c.items())) for kind, c in counts.items()}
    st.set("counts", counts)


def _write_view(out_dir: str, inputs: _ViewInputs, jsonl_fd: int, changed: dict) -> None:
    """graph.html again: the top-degree nodes and the relationships between
    them; and their fragments, for the next update."""
    from .export import writers
    from .export.html import FRAGMENTS, page, save_fragments
    st = BuildState(out_dir)  # its own connection: this runs in a forked process
    try:
        total = st.db.execute("SELECT count(*) FROM nodes").fetchone()[0]
        nodes, edges = inputs.current(st, jsonl_fd, changed)
    finally:
        st.close()
    with open(os.path.join(out_dir, writers()["html"][0]), "w", encoding="utf-8") as fh:
        fh.write(page(list(nodes.values()), list(edges.values()), top_note(len(nodes), total)))
    save_fragments(os.path.join(st.dir, FRAGMENTS), nodes, edges)
