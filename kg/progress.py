"""Progress bars for long commands: on a terminal only, and never with ``-q``.

A build's stages report through :func:`track`, which hands back the iterable
unchanged when no bar is wanted (not a TTY, ``-q``, or a library caller that
never turned bars on), so pipes, logs and tests see the same output as before.
"""
from __future__ import annotations

import sys
from typing import Iterable, TypeVar

__all__ = ["enable", "enabled", "track"]

T = TypeVar("T")
_on = False


def enable(on: bool = True) -> None:
    """Show bars from now on (the command line does this unless ``-q``), when stderr is a terminal."""
    global _on
    _on = bool(on) and sys.stderr.isatty()


def enabled() -> bool:
    return _on


def track(items: Iterable[T], total: int | None = None, desc: str = "") -> Iterable[T]:
    """``items``, drawing a bar on stderr while they are consumed (when bars are on)."""
    if not _on:
        return items
    from tqdm import tqdm
    return tqdm(items, total=total, desc=desc, file=sys.stderr, leave=False, unit="file", dynamic_ncols=True)
