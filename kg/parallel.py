"""Independent jobs in forked processes, for the parts of a build that are
pure CPU over data the parent already holds (an in-place update's patches).

Threads would serialise the Python rendering on the GIL; forked children
share the parent's memory copy-on-write and need nothing pickled but errors.
"""
from __future__ import annotations

import multiprocessing as mp
from typing import Callable

__all__ = ["run_forked", "die_with_parent"]


def die_with_parent() -> None:
    """In a forked worker: be killed when the process that forked it dies
    (Linux ``PR_SET_PDEATHSIG``). A build killed with ``kill -9`` then leaves no
    worker behind to go on writing into its output folder."""
    import ctypes
    import signal
    try:
        ctypes.CDLL(None, use_errno=True).prctl(1, int(signal.SIGKILL), 0, 0, 0)  # 1 = PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass  # not Linux: orphans finish their task and exit


def run_forked(tasks: list[Callable[[], None]], children: int | None = None) -> Callable[[], None]:
    """Start the tasks in forked children and return a function that waits
    until each child has reported back, raising ``RuntimeError`` if any failed.

    With ``children``, the tasks (longest first) are dealt out to that many
    children in snake order (1, 2, 3, 3, 2, 1, …), so each gets a similar
    share; a fork of a large process costs tens of milliseconds, and a few
    children per core are enough for the kernel to balance the rest.

    Waiting is for the report, not the child's exit: whatever a child frees on
    exit (for example the last descriptor of a replaced file, whose blocks the
    kernel then releases) happens off the caller's path. Where fork is not
    available the tasks run here, one after another.

    >>> run_forked([lambda: None, lambda: None, lambda: None], children=2)()
    """
    if "fork" not in mp.get_all_start_methods():
        for task in tasks:
            task()
        return lambda: None
    ctx = mp.get_context("fork")
    conns = []
    for task in _deal(tasks, children or len(tasks)):
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


def _deal(tasks: list[Callable[[], None]], n: int) -> list[Callable[[], None]]:
    """``n`` tasks, each running its share of ``tasks`` in turn (snake order)."""
    n = max(1, min(n, len(tasks)))
    shares: list[list[Callable[[], None]]] = [[] for _ in range(n)]
    for i, task in enumerate(tasks):
        turn, at = divmod(i, n)
        shares[at if turn % 2 == 0 else n - 1 - at].append(task)
    return [_in_turn(share) for share in shares]


def _in_turn(share: list[Callable[[], None]]) -> Callable[[], None]:
    def run() -> None:
        for task in share:
            task()
    return share[0] if len(share) == 1 else run


def _child(task: Callable[[], None], conn) -> None:
    die_with_parent()
    try:
        task()
        conn.send(None)
    except BaseException as err:  # noqa: BLE001 - reported to the parent
        conn.send(f"{type(err).__name__}: {err}")
