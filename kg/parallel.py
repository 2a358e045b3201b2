"""Independent jobs in forked processes, for the parts of a build that are
pure CPU over data the parent already holds (an in-place update's patches).

Threads would serialise the Python rendering on the GIL; forked children
share the parent's memory copy-on-write and need nothing pickled but errors.
"""
from __future__ import annotations

import multiprocessing as mp
from typing import Callable

__all__ = ["run_forked"]


def run_forked(tasks: list[Callable[[], None]]) -> Callable[[], None]:
    """Start every task in a forked child and return a function that waits
    until each has reported back, raising ``RuntimeError`` if any failed.

    Waiting is for the report, not the child's exit: whatever a child frees on
    exit (for example the last descriptor of a replaced file, whose blocks the
    kernel then releases) happens off the caller's path. Where fork is not
    available the tasks run here, one after another.

    >>> out = []
    >>> run_forked([lambda: None, lambda: None])()
    """
    if "fork" not in mp.get_all_start_methods():
        for task in tasks:
            task()
        return lambda: None
    ctx = mp.get_context("fork")
    conns = []
    for task in tasks:
        recv, send = ctx.Pipe(duplex=False)
        ctx.Process(target=_child, args=(task, send), daemon=True).start()
        send.close()
        conns.append(recv)

    def wait() -> None:
        errors = []
        for conn in conns:
            try:
                err = conn.recv()
            except EOFError:
                err = "a worker process died"
            conn.close()
            if err:
                errors.append(err)
        if errors:
            raise RuntimeError("; ".join(errors))
    return wait


def _child(task: Callable[[], None], conn) -> None:
    try:
        task()
        conn.send(None)
    except BaseException as err:  # noqa: BLE001 - reported to the parent
        conn.send(f"{type(err).__name__}: {err}")
