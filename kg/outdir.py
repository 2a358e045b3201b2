"""The output folder of a build: one build at a time, all-or-nothing writes,
and no leftovers of an interrupted one.

- **One build at a time.** A build holds an exclusive lock
  (``fcntl.lockf`` on ``OUT/.kg-lock``) from start to end. A second build of
  the same folder waits for it and says so, or, with ``--no-wait``, stops at
  once (:class:`OutputBusy`). The lock goes with the process, so a killed
  build never leaves the folder locked.
- **All or nothing.** A full build writes every output into a staging folder
  beside them (``OUT/.kg-staging``) and then moves them in (:func:`switch_in`).
  A failure before that (a full disk, a bug, a kill) leaves the previous
  outputs as they were. The few renames of the switch run under a marker
  (``OUT/.kg-switching``). A build that finds the marker knows the outputs
  may be mixed, and builds everything again (:func:`interrupted`).
- **No leftovers.** Each build first removes what an interrupted one left:
  the staging folder, and the ``*.kgpatch`` and ``*.kgold`` files of a patch
  (:func:`clean_leftovers`).
"""
from __future__ import annotations

import contextlib
import os
import shutil
import time
from typing import Callable, Iterator

__all__ = ["OutputBusy", "WriteFailed", "marked", "locked", "staging", "switch_in", "interrupted", "clean_leftovers",
           "LOCK", "STAGING", "MARKER"]

LOCK, STAGING, MARKER = ".kg-lock", ".kg-staging", ".kg-switching"
#: files an output keeps beside it: they belong to the output they sit next to and go with it
_SATELLITES = (".wal", ".pending")


class OutputBusy(Exception):
    """Another build holds the output folder (the message names it)."""


class WriteFailed(Exception):
    """Writing a build's outputs failed (a full disk, a read-only folder …); the
    previous outputs are as they were."""

    def __init__(self, out_dir: str, err: BaseException) -> None:
        cause = err
        while cause.__cause__ is not None:
            cause = cause.__cause__
        what = f"{cause.strerror} ({cause.filename})" if isinstance(cause, OSError) and cause.strerror else \
            str(err).splitlines()[0] if str(err) else type(err).__name__
        super().__init__(f"writing the outputs into {out_dir} failed: {what}; the previous outputs are unchanged")


@contextlib.contextmanager
def marked(out_dir: str) -> Iterator[None]:
    """Run the block under the marker :func:`interrupted` reads (an in-place
    update patching its outputs one by one): it stays if the block fails."""
    marker = os.path.join(out_dir, MARKER)
    with open(marker, "w", encoding="utf-8") as fh:
        fh.write(f"{os.getpid()} {time.strftime('%Y-%m-%dT%H:%M:%S')}\n")
    yield
    os.remove(marker)


@contextlib.contextmanager
def locked(out_dir: str, wait: bool = True, on_wait: Callable[[str], None] | None = None) -> Iterator[None]:
    """Hold ``out_dir``'s build lock for the block. If another build holds it,
    wait for it (calling ``on_wait`` once with a message), or raise
    :class:`OutputBusy` when ``wait`` is false."""
    import fcntl
    os.makedirs(out_dir, exist_ok=True)
    # a POSIX record lock (lockf), not flock: it belongs to this process alone, so workers it
    # forks do not hold it, and it is gone the moment this process dies
    fd = os.open(os.path.join(out_dir, LOCK), os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    try:
        try:
            fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except (BlockingIOError, PermissionError):
            holder = os.pread(fd, 64, 0).decode("ascii", "replace").strip() or "another process"
            message = f"{out_dir} is being written by another build (pid {holder})"
            if not wait:
                raise OutputBusy(message + "; --no-wait was given") from None
            if on_wait:
                on_wait(message + "; waiting for it to finish")
            fcntl.lockf(fd, fcntl.LOCK_EX)
        os.ftruncate(fd, 0)
        os.pwrite(fd, str(os.getpid()).encode(), 0)
        yield
    finally:
        os.close(fd)  # releases the lock


def clean_leftovers(out_dir: str) -> list[str]:
    """Remove what an interrupted build left in ``out_dir`` (call with the lock
    held); return the paths removed, relative to ``out_dir``."""
    removed = []
    if not os.path.isdir(out_dir):
        return removed
    for name in os.listdir(out_dir):
        if name.startswith(STAGING):
            shutil.rmtree(os.path.join(out_dir, name), ignore_errors=True)
            removed.append(name)
    for root, dirs, files in os.walk(out_dir):
        dirs[:] = [d for d in dirs if d != ".kg-cache" and not d.startswith(STAGING) and not d.endswith(".lbdb")]
        for f in files:
            if f.endswith((".kgpatch", ".kgold")) or (f.endswith(".tmp") and root != out_dir):
                path = os.path.join(root, f)
                with contextlib.suppress(OSError):
                    os.remove(path)
                    removed.append(os.path.relpath(path, out_dir))
    return removed


def interrupted(out_dir: str) -> str | None:
    """Why ``out_dir``'s outputs cannot be trusted to be one build's (None: they can)."""
    marker = os.path.join(out_dir, MARKER)
    if os.path.exists(marker):
        return "the previous build was interrupted while it switched its outputs in"
    return None


def staging(out_dir: str) -> str:
    """A fresh, empty staging folder inside ``out_dir`` (same file system: the switch renames)."""
    stage = os.path.join(out_dir, f"{STAGING}-{os.getpid()}")  # a killed build's workers never write here
    shutil.rmtree(stage, ignore_errors=True)
    os.makedirs(stage)
    return stage


def _remove(path: str) -> None:
    if os.path.isdir(path) and not os.path.islink(path):
        shutil.rmtree(path)
    elif os.path.lexists(path):
        os.remove(path)


def switch_in(stage: str, out_dir: str, replaces: tuple[str, ...] = ()) -> None:
    """Move every entry of ``stage`` into ``out_dir``, replacing what is there,
    then remove ``stage``. An output's satellites (``graph.lbdb.wal``, its
    queued changes) go with it, and so do the entries named in ``replaces``
    that the new build did not write (the old build state of a build that keeps
    none). Runs under the marker that :func:`interrupted` reads."""
    with marked(out_dir):
        _switch(stage, out_dir, replaces)
    shutil.rmtree(stage, ignore_errors=True)


def _switch(stage: str, out_dir: str, replaces: tuple[str, ...]) -> None:
    names = sorted(os.listdir(stage))
    # report.json last: a reader that sees the new report sees every new output
    names.sort(key=lambda n: n == "report.json")
    for name in replaces:
        if name not in names:
            _remove(os.path.join(out_dir, name))
    for name in names:
        dst = os.path.join(out_dir, name)
        for sat in _SATELLITES:
            if name + sat not in names:
                _remove(dst + sat)
        if os.path.isdir(dst) and not os.path.islink(dst):
            aside = os.path.join(stage, ".old-" + name)
            os.rename(dst, aside)
            os.rename(os.path.join(stage, name), dst)
        else:
            os.replace(os.path.join(stage, name), dst)
