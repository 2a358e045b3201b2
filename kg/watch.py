"""Keep a build current: ``kg build --watch`` updates the outputs whenever an
input file is added, changed or removed, until it is stopped.

A day's file added to a large build (~50 records onto 100k) costs a
``kg build`` run 2.5-3 s, and much of that does not depend on the change:
starting Python and importing kg, opening the build state and loading the
outputs' indexes and graph.html's elements
(:class:`kg.incremental.UpdateSession`). A watcher pays for them once. It
keeps the extraction process (pipeline built) between changes and prepares
the next update while it waits, so a change costs only its own extraction,
resolution and patching. The outputs are the ones ``kg build`` would write
(each update is the same in-place update, or the same full build).

Changes are announced by the file system (inotify, FSEvents, ... through
``watchfiles``), which groups a burst of writes until 50 ms pass without one,
so a file being copied is read once it is complete. What counts is the inputs'
sizes and modification times (:func:`snapshot`): a notification that changes
no review file (an output written into an input folder, an editor's swap
file) builds nothing. Where notifications do not reach (network file systems,
some container mounts), ``poll`` seconds switch to polling; a change is then
built once the inputs look the same at two polls in a row.
"""
from __future__ import annotations

import os
import threading
import time
from contextlib import closing
from typing import Callable

from .build import InputError, collect_files
from .incremental import Stale, UpdateSession, build_into
from .provenance import input_roots
from .outdir import WriteFailed
from .process import ExtractionWorker

__all__ = ["watch", "snapshot"]

Snapshot = dict[str, tuple[int, int]]


def snapshot(paths: list[str]) -> Snapshot:
    """Every input file's size and modification time: what a change is seen by.

    A missing input path is part of the snapshot too (as its error), so it is
    reported once, and the build runs again when it reappears.

    Examples
    --------
    >>> snapshot(["no/such/folder"])
    {'input path not found: no/such/folder': (-1, -1)}
    """
    try:
        files = collect_files(paths)
    except InputError as err:
        return {str(err): (-1, -1)}
    out = {}
    for f in files:
        try:
            st = os.stat(f)
        except FileNotFoundError:
            continue  # removed since it was listed: the next poll sees it gone
        out[f] = (st.st_size, st.st_mtime_ns)
    return out


RECHECK_MS = 2000  # with notifications: compare snapshots this often anyway (a change made just before watching)
SETTLE = 0.1  # a change found by comparing snapshots is built once the inputs stay put this long


def _next_change(paths: list[str], seen: Snapshot, stop: threading.Event, poll: float | None) -> Snapshot | None:
    """Wait until the inputs differ from ``seen`` (and have settled); return
    their snapshot then, or None when stopped first."""
    if poll is None and all(os.path.exists(p) for p in paths):
        from watchfiles import watch as notifications
        with closing(notifications(*paths, debounce=1000, step=50, stop_event=stop, rust_timeout=RECHECK_MS,
                                   yield_on_timeout=True, raise_interrupt=False)) as notified:
            if snapshot(paths) != seen:  # changed while the last build ran
                return _settled(paths, SETTLE, stop)
            for _ in notified:
                now = snapshot(paths)
                if now != seen:
                    return now
        return None
    return _settled(paths, poll or SETTLE, stop, seen)


def _settled(paths: list[str], interval: float, stop: threading.Event, seen: Snapshot | None = None) -> Snapshot | None:
    """Poll every ``interval`` until two polls in a row agree (and differ from
    ``seen``, when given); return that snapshot, or None when stopped first."""
    last = snapshot(paths)
    while not stop.wait(interval):
        now = snapshot(paths)
        if now == last and now != seen:
            return now
        last = now
    return None


def _prepared(out_dir: str, min_confidence: float) -> UpdateSession | None:
    """The next update's session, prepared now; None when it cannot be (the
    next build then opens its own, and says why it is a full one)."""
    try:
        session = UpdateSession(out_dir, min_confidence)
    except Stale:
        return None
    try:
        session.prepare()
    except Exception:  # noqa: BLE001 - the next build finds the same problem and builds in full
        session.close()
        return None
    return session


def watch(paths: list[str], out_dir: str, *, min_confidence: float = 0.0, jobs: int | None = None,
          cache_dir: str | None = None, formats=None, poll: float | None = None,
          on_build: Callable[[dict, float], None] = lambda report, seconds: None,
          on_error: Callable[[str], None] = lambda message: None,
          stop: threading.Event | None = None) -> None:
    """Build ``paths`` into ``out_dir`` now and after every change, until ``stop`` is set.

    Parameters
    ----------
    paths, out_dir, min_confidence, jobs, cache_dir, formats
        As for :func:`kg.incremental.build_into` (each build is one).
    poll
        Poll the inputs every ``poll`` seconds instead of waiting for the file
        system's notifications (for file systems that send none).
    on_build
        Called after each build with its report and its wall-clock seconds
        (from the change being seen to the outputs written).
    on_error
        Called with the message of an input error (a missing input path);
        the watch goes on, and builds again once the inputs change.
    stop
        Checked between builds: a build under way is finished first.
    """
    with input_roots(paths):  # the sessions prepared between builds check the build state's roots
        _watch(paths, out_dir, min_confidence, jobs, cache_dir, formats, poll, on_build, on_error,
               stop if stop is not None else threading.Event())


def _watch(paths, out_dir, min_confidence, jobs, cache_dir, formats, poll, on_build, on_error, stop) -> None:
    worker = ExtractionWorker(keep=True)
    session = None
    seen = snapshot(paths)  # before each build: a change made during it is built next
    try:
        while True:
            t0 = time.perf_counter()
            try:
                report = build_into(paths, out_dir, min_confidence=min_confidence, jobs=jobs,
                                    cache_dir=cache_dir, formats=formats, worker=worker, session=session)
            except (InputError, WriteFailed) as err:  # the previous outputs stand; the watch goes on
                on_error(str(err))
            else:
                on_build(report, time.perf_counter() - t0)
            finally:
                if session is not None:
                    session.close()
            session = _prepared(out_dir, min_confidence) if cache_dir and not formats else None
            if not worker.alive():
                worker = ExtractionWorker(keep=True)  # it failed: the next change gets a new one
            seen = _next_change(paths, seen, stop, poll)
            if seen is None:
                return
    finally:
        if session is not None:
            session.close()
        worker.close()
