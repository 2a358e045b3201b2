"""How outputs name the review files they were built from.

Outputs travel (a graph is shared, published, loaded on another machine), so
they never carry the building machine's absolute paths. A source is named
relative to the folder that holds the input given on the command line: the
input ``/home/ana/reviews`` makes ``/home/ana/reviews/2024/01.md`` the source
``reviews/2024/01.md``, and the input ``day.md`` makes it ``day.md``. The
name depends on the input's own name, not on the working directory, so
``kg build reviews`` and ``kg build /home/ana/reviews`` write the same graph.

Inside a build, paths stay real (files are read, hashed and watched by them);
only the graph's properties and the report use :func:`shown`.
"""
from __future__ import annotations

import contextlib
import functools
import os
from typing import Iterable, Iterator

__all__ = ["shown", "input_roots", "source_ref", "roots_key"]

_roots: list[tuple[str, str]] = []  # (absolute input, the folder its names are relative to), longest first


@contextlib.contextmanager
def input_roots(paths: Iterable[str]) -> Iterator[None]:
    """Name sources relative to ``paths`` (the inputs of a build) while the block runs.
    Inside another such block the outer inputs stand: ``kg build`` names the folders given
    on its command line, and the build it runs is handed their files."""
    global _roots
    if _roots:
        yield
        return
    saved = _roots
    roots = {os.path.abspath(p) for p in paths}
    _roots = sorted(((r, os.path.dirname(r)) for r in roots), key=lambda x: -len(x[0]))
    shown.cache_clear()
    try:
        yield
    finally:
        _roots = saved
        shown.cache_clear()


@functools.lru_cache(maxsize=1 << 16)  # a build has a few thousand files and millions of references
def shown(path: str) -> str:
    """``path`` as outputs name it (see the module's docstring). Outside a build, or for a
    file under no input, a path under the working directory is named relative to it, and
    any other absolute path by its last two parts.

    >>> with input_roots(["/data/reviews"]):
    ...     shown("/data/reviews/2024/01.md")
    'reviews/2024/01.md'
    """
    if not path:
        return path
    a = os.path.abspath(path)
    for root, base in _roots:
        if a == root or a.startswith(root + os.sep):
            return os.path.relpath(a, base).replace(os.sep, "/")
    if not os.path.isabs(path) and not path.startswith(".."):
        return path.replace(os.sep, "/")
    cwd = os.getcwd()
    if a.startswith(cwd + os.sep):
        return os.path.relpath(a, cwd).replace(os.sep, "/")
    return "/".join(a.split(os.sep)[-2:])


def roots_key() -> tuple[str, ...]:
    """The inputs sources are named relative to: an in-place update needs the same ones."""
    return tuple(r for r, _ in sorted(_roots))


def source_ref(path: str, line: int | str) -> str:
    """``source:line`` as outputs write it."""
    return f"{shown(path)}:{line}"
