"""Progress bars for long commands: on a terminal only, and never with ``-q``.

A build's stages report through :func:`track`, which hands back the iterable
unchanged when no bar is wanted (not a TTY, ``-q``, or a library caller that
never turned bars on), so pipes, logs and tests see the same output as before.

The bar is one line redrawn in place (``\\r``) at most ten times a second and
wiped when its stage ends: a build's figures stay the last thing on screen.
It is written here rather than taken from a package because it is twenty lines.
"""
from __future__ import annotations

import shutil
import sys
import time
from typing import Iterable, Iterator, TypeVar

__all__ = ["enable", "enabled", "track"]

T = TypeVar("T")
_on = False
_EVERY = 0.1  # seconds between redraws


def enable(on: bool = True) -> None:
    """Show bars from now on (the command line does this unless ``-q``), when stderr is a terminal."""
    global _on
    _on = bool(on) and sys.stderr.isatty()


def enabled() -> bool:
    return _on


def track(items: Iterable[T], total: int | None = None, desc: str = "", unit: str = "file") -> Iterable[T]:
    """``items``, drawing a bar on stderr while they are consumed (when bars are on).

    Examples
    --------
    >>> list(track([1, 2, 3], 3, "reading"))  # off a terminal: the items, untouched
    [1, 2, 3]
    """
    if not _on:
        return items
    return _bar(items, total, desc, unit)


def _line(desc: str, done: int, total: int | None, unit: str, started: float) -> str:
    width = max(20, min(shutil.get_terminal_size((80, 24)).columns, 120) - 1)
    rate = done / max(time.monotonic() - started, 1e-9)
    tail = f" {done}/{total} {unit}s, {rate:.0f}/s" if total else f" {done} {unit}s, {rate:.0f}/s"
    if total:
        room = max(width - len(desc) - len(tail) - 4, 0)
        filled = room * done // total
        return f"{desc} [{'#' * filled}{'.' * (room - filled)}]{tail}"[:width]
    return f"{desc}{tail}"[:width]


def _bar(items: Iterable[T], total: int | None, desc: str, unit: str) -> Iterator[T]:
    started = last = time.monotonic()
    done, out = 0, sys.stderr
    shown = _line(desc, 0, total, unit, started)
    out.write("\r" + shown)
    out.flush()
    try:
        for item in items:
            yield item
            done += 1
            now = time.monotonic()
            if now - last >= _EVERY or done == total:
                last, shown = now, _line(desc, done, total, unit, started)
                out.write("\r" + shown)
                out.flush()
    finally:
        out.write("\r" + " " * len(shown) + "\r")
        out.flush()
