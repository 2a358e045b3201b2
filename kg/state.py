"""What a build remembers for the next one (``OUT/.kg-state``).

An incremental build must not reload 100k records' mentions to add 50. The
state keeps, in SQLite, exactly what re-resolving a few keys needs:

- ``files``: path, size, mtime and content hash of every input, and a summary
  of what its reader made of it (for the report, and to undo a file);
- ``clusters``: the independent resolution groups (:func:`kg.resolve.clusters`),
  each resolved (:class:`kg.resolve.GroupResolution`: entities, lookups and
  the votes behind them); ``mentions`` holds each group's mentions in chunks
  (an update that only adds to a group appends one); ``keys`` maps a
  normalised name to its group and ``variants`` finds typo neighbours;
- ``papers``: per paper, its records, extracted relations and name lookups;
- ``groups``: per relationship (head, label, tail), the papers stating it and
  whether it passed ``min_confidence`` (VARIANT_OF links too, with no papers);
  ``nodes``: every node's degree;
- ``families``: every entity's family candidates, nearest first
  (:func:`kg.families.family_candidates`), found again by family when one
  appears or goes.

Next to it, ``keys.txt`` (every element key, sorted, one per line) and one
``<format>.idx`` per patchable output say where each element's bytes are.
"""
from __future__ import annotations

import os
import pickle
import sqlite3
from typing import Any, Iterable

from .fileops import FileWriter, swap_in

__all__ = ["BuildState", "STATE_DIR", "STATE_VERSION", "has_state"]

STATE_DIR = ".kg-state"
STATE_VERSION = "9"  # 9: Result fragments of graph.html carry their leaderboard entry

_SCHEMA = """
CREATE TABLE meta(k TEXT PRIMARY KEY, v BLOB);
CREATE TABLE files(path TEXT PRIMARY KEY, size INT, mtime INT, sha TEXT, summary BLOB, keys BLOB);
CREATE TABLE clusters(id INTEGER PRIMARY KEY, blob BLOB);
CREATE TABLE mentions(cluster INT, blob BLOB);
CREATE TABLE keys(key TEXT PRIMARY KEY, cluster INT);
CREATE TABLE variants(v TEXT, key TEXT);
CREATE TABLE papers(aid TEXT PRIMARY KEY, blob BLOB);
CREATE TABLE groups(gkey TEXT PRIMARY KEY, h TEXT, t TEXT, papers TEXT, present INT);
CREATE TABLE nodes(uid TEXT PRIMARY KEY, degree INT);
CREATE TABLE families(member TEXT, family TEXT, rank INT, basis TEXT);
"""
_INDEXES = """
CREATE INDEX variants_v ON variants(v);
CREATE INDEX mentions_cluster ON mentions(cluster);
CREATE INDEX groups_h ON groups(h);
CREATE INDEX groups_t ON groups(t);
CREATE INDEX nodes_degree ON nodes(degree DESC, uid);
CREATE INDEX families_member ON families(member);
CREATE INDEX families_family ON families(family);
"""


def has_state(out_dir: str) -> bool:
    """Whether ``out_dir`` keeps a build state (a cheap check: nothing is opened)."""
    return os.path.exists(os.path.join(out_dir, STATE_DIR, "state.sqlite"))


def dumps(obj: Any) -> bytes:
    return pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)


def loads(blob: bytes) -> Any:
    return pickle.loads(blob)


class BuildState:
    """The SQLite state of one output folder."""

    def __init__(self, out_dir: str, create: bool = False) -> None:
        self.dir = os.path.join(out_dir, STATE_DIR)
        path = os.path.join(self.dir, "state.sqlite")
        if create:
            os.makedirs(self.dir, exist_ok=True)
            for stale in (path, path + "-wal", path + "-shm"):
                if os.path.exists(stale):
                    os.remove(stale)
        elif not os.path.exists(path):
            raise FileNotFoundError(path)
        self.db = sqlite3.connect(path, isolation_level=None)
        if create:
            self.db.executescript("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;" + _SCHEMA)
        else:
            # no fsync: the WAL checkpoint's fsync was a quarter of a 100k update's
            # re-resolving. The state is a cache; after a crash its WAL keeps a
            # consistent prefix, whose recorded output sizes no longer match, so
            # the next build is a full one (as with any interrupted update)
            # nor a checkpoint at commit: copying an update's log into the database took
            # ~0.05 s before its outputs were written; closing the state does it instead
            # (``kg build --watch`` closes it while waiting for the next change)
            self.db.executescript("PRAGMA journal_mode=WAL; PRAGMA synchronous=OFF; PRAGMA wal_autocheckpoint=0;")

    # ---- meta -------------------------------------------------------------
    def get(self, k: str, default: Any = None) -> Any:
        row = self.db.execute("SELECT v FROM meta WHERE k = ?", (k,)).fetchone()
        return loads(row[0]) if row else default

    def set(self, k: str, v: Any) -> None:
        self.db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (k, dumps(v)))

    def finish_full(self) -> None:
        self.db.executescript(_INDEXES)

    def close(self) -> None:
        self.db.close()

    # ---- bulk access ---------------------------------------------------------
    def put_many(self, table: str, rows: Iterable[tuple]) -> None:
        rows = list(rows)
        if rows:
            marks = ", ".join("?" * len(rows[0]))
            self.db.executemany(f"INSERT OR REPLACE INTO {table} VALUES ({marks})", rows)

    def delete_many(self, table: str, column: str, values: Iterable) -> None:
        self.db.executemany(f"DELETE FROM {table} WHERE {column} = ?", [(v,) for v in values])

    def select_in(self, sql: str, values: Iterable, chunk: int = 900) -> list[tuple]:
        """``sql`` with one ``IN ({})`` over ``values``, in chunks under SQLite's
        variable limit."""
        values = list(values)
        out: list[tuple] = []
        for i in range(0, len(values), chunk):
            part = values[i:i + chunk]
            out += self.db.execute(sql.format(", ".join("?" * len(part))), part).fetchall()
        return out

    def blobs(self, table: str, key: str, values: Iterable) -> dict:
        return {k: loads(b) for k, b in self.select_in(f"SELECT {key}, blob FROM {table} WHERE {key} IN ({{}})", values)}

    def mentions_of(self, clusters: Iterable[int]) -> dict[int, list]:
        """Every group's mentions (stored in chunks: an update appends its own)."""
        out: dict[int, list] = {}
        for c, b in self.select_in("SELECT cluster, blob FROM mentions WHERE cluster IN ({}) ORDER BY rowid", clusters):
            out.setdefault(c, []).extend(loads(b))
        return out

    # ---- element keys ----------------------------------------------------------
    def save_keys(self, keys: list[str]) -> None:
        """The sorted element keys, one per line (keys never hold a newline: they
        are made of normalised names). Plain text: a 100k-record graph's 585k
        keys save in a quarter of the time of a pickle and load faster."""
        text = "\n".join(keys)
        if text.count("\n") != max(len(keys) - 1, 0):
            raise ValueError("an element key holds a newline")
        path = os.path.join(self.dir, "keys.txt")
        with open(path + ".tmp", "wb") as fh:
            fh.write(text.encode("utf-8"))
        swap_in(path + ".tmp", path)

    def load_keys(self) -> "ElementKeys":
        with open(os.path.join(self.dir, "keys.txt"), "rb") as fh:
            raw = fh.read()
        return ElementKeys(raw)

    def patch_keys(self, old: "ElementKeys", pieces: list) -> None:
        """Save the keys made of ``pieces`` (runs ``(start, stop)`` of ``old``
        and inserted keys): the runs are copied from the old file in the
        kernel, so an update writes the few new keys instead of all 585k."""
        path = os.path.join(self.dir, "keys.txt")
        src = os.open(path, os.O_RDONLY)
        out = FileWriter(path + ".tmp")
        try:
            for i, piece in enumerate(pieces):
                if i:
                    out.write(b"\n")
                if isinstance(piece, str):
                    if "\n" in piece:
                        raise ValueError("an element key holds a newline")
                    out.write(piece.encode("utf-8"))
                else:
                    start, stop = piece
                    out.copy(src, int(old.starts[start]), int(old.starts[stop] - 1 - old.starts[start]))
        finally:
            out.close()
            os.close(src)
        swap_in(path + ".tmp", path)


class ElementKeys(list):
    """The keys of ``keys.txt``, and the byte offset where each line starts
    (``starts[i]``; ``starts[len]`` is one past the end, as if a newline
    followed the last line)."""

    __slots__ = ("starts",)

    def __init__(self, raw: bytes) -> None:
        import numpy as np  # not at module level: `kg build` checks for a state before its heavy imports
        super().__init__(raw.decode("utf-8").split("\n") if raw else [])
        newlines = np.flatnonzero(np.frombuffer(raw, dtype=np.uint8) == 10)
        self.starts = np.concatenate(([0], newlines + 1, [len(raw) + 1])) if raw else np.zeros(1, np.int64)
