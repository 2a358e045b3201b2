"""How a build uses Python's cyclic garbage collector.

A build allocates millions of long-lived objects (records, mentions, graph
properties) and next to no reference cycles, yet CPython's collector keeps
walking the growing heap: at 100k records, resolving and assembling the graph
took 28.6 s with it and 17.3 s without. In processes forked to write outputs
it is worse than slow: a collection writes into the header of every object it
visits, so pages shared with the parent become private copies.

So the build's own process pauses the collector (:func:`gc_paused`), worker
processes turn it back on (:func:`worker_init`: what they make per file is
short-lived, and cycles there are collected), and the graph is frozen out of
the collector's sight before writers are forked (:func:`frozen`).
"""
from __future__ import annotations

import gc
from contextlib import contextmanager

__all__ = ["gc_paused", "worker_init", "frozen"]


@contextmanager
def gc_paused():
    """No cyclic collection inside the block (reference counting still frees
    everything acyclic); whatever cycles were left are collected after it."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def worker_init() -> None:
    """Pool initializer: a worker forked from a paused build collects again,
    and dies with the build (:func:`kg.parallel.die_with_parent`)."""
    from .parallel import die_with_parent
    gc.enable()
    die_with_parent()


@contextmanager
def frozen():
    """Objects alive now are ignored by collections until the block ends
    (``gc.freeze``): forked children then never touch their headers."""
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()
