"""Forked tasks: every task runs once, in a child, and failures reach the caller."""
import os

import pytest

from kg.parallel import run_forked


def test_every_task_runs_once_in_a_child_and_children_share_them(tmp_path):
    def task(i):
        return lambda: (tmp_path / f"{i}.{os.getpid()}").write_text("")
    run_forked([task(i) for i in range(7)], children=3)()
    ran = sorted(p.name for p in tmp_path.iterdir())
    assert sorted(int(n.split(".")[0]) for n in ran) == list(range(7))
    pids = {n.split(".")[1] for n in ran}
    assert len(pids) == 3 and str(os.getpid()) not in pids


def test_a_failing_task_is_reported_by_the_wait():
    def boom():
        raise ValueError("no such column")
    wait = run_forked([lambda: None, boom])
    with pytest.raises(RuntimeError, match="ValueError: no such column"):
        wait()
