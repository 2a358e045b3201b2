"""Limits that keep a SPARQL query from turning the engine against its host.

pyoxigraph (0.5) parses and evaluates recursively, and a deep or long query
overflows its stack and kills the process. Measured here, on the main thread:
5,000 nested parentheses or 4,000 nested braces crash it, and so do a chain
of 8,000 ``+`` terms or UNIONs; 3,000 of either do not. Other threads have
smaller stacks. It also runs ``SERVICE <url>`` against any address the query
names. So every query (``kg query sparql`` and ``kg serve sparql``) is

1. checked before the engine sees it (:func:`check`): its size, its nesting
   depth and its number of operators, far below where the engine breaks
   (the defaults are 64 KB, 64 levels and 1,000 terms), and no ``SERVICE``
   unless allowed. The checks read the query with its ``\\uXXXX`` escapes
   decoded, as the engine does, and skip strings, IRIs and comments;
2. run in a forked child (:func:`run_query`), with a timeout and a result-row
   limit: a query that still crashes the engine, or runs too long, ends that
   child only, and the caller gets a one-line error.

Examples
--------
>>> check("SELECT * WHERE { ?s ?p ?o }")
>>> check("SELECT * WHERE { SERVICE <http://10.0.0.1/> { ?s ?p ?o } }")
Traceback (most recent call last):
...
kg.query.guard.QueryRefused: SERVICE is not allowed here (it would make this host send requests); pass --allow-service to allow it
"""
from __future__ import annotations

import os
import pickle
import re
import select
import signal
import time
from dataclasses import dataclass

from . import QueryError

__all__ = ["Limits", "QueryRefused", "QueryTimeout", "QueryCrashed", "check", "run_query"]


@dataclass(frozen=True)
class Limits:
    """What a query may be and do. ``timeout`` in seconds; ``max_rows``: rows
    returned at most (the rest are dropped, and the answer says so)."""

    max_bytes: int = 65536
    max_depth: int = 64
    max_terms: int = 1000
    timeout: float = 30.0
    max_rows: int = 100_000
    allow_service: bool = False


class QueryRefused(QueryError):
    """A query refused before it ran (``status``: the HTTP status to answer with)."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


class QueryTimeout(QueryError):
    status = 503


class QueryCrashed(QueryError):
    status = 500


#: strings (long and short, either quote), IRIs and comments: what the checks skip
_SKIPPED = re.compile(r'"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^\'\\]|\\.|\'(?!\'\'))*\'\'\'|'
                      r'"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\'|<[^<>"{}|^`\\\s]*>|#[^\n]*', re.S)
_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
#: operators and joins, each a level of the engine's recursion when chained
def _keyword(words: str) -> re.Pattern:
    """A keyword as a token: not a variable (``?copy``) or part of a prefixed name (``kg:load``)."""
    return re.compile(rf"(?<![?$:\w-])(?:{words})(?![\w:-])", re.I)


_TERM = re.compile(r"\|\||&&|!=|<=|>=|[-+*/!|^<>=]|" + _keyword("UNION|MINUS|OPTIONAL").pattern, re.I)
_SERVICE = _keyword("SERVICE")
_UPDATE = _keyword("INSERT|DELETE|LOAD|CLEAR|DROP|CREATE|ADD|MOVE|COPY")


def _unescaped(query: str) -> str:
    """The query with its codepoint escapes decoded (SPARQL decodes them before parsing)."""
    def one(m: re.Match) -> str:
        cp = int(m.group(1) or m.group(2), 16)
        return chr(cp) if cp < 0x110000 and not 0xD800 <= cp < 0xE000 else "\ufffd"
    return _ESCAPE.sub(one, query) if "\\" in query else query


def _code(query: str) -> str:
    """The query less its strings, IRIs and comments (each left as one space)."""
    return _SKIPPED.sub(" ", _unescaped(query))


def _depth(code: str) -> int:
    depth = deepest = 0
    for ch in code:
        if ch in "([{":
            depth += 1
            deepest = max(deepest, depth)
        elif ch in ")]}":
            depth -= 1
    return deepest


def check(query: str, limits: Limits = Limits()) -> None:
    """Raise :class:`QueryRefused` for a query past the limits, an update or ``SERVICE``."""
    size = len(query.encode("utf-8", "surrogatepass"))
    if size > limits.max_bytes:
        raise QueryRefused(f"query of {size} bytes refused (limit {limits.max_bytes})", 413)
    code = _code(query)
    deepest = _depth(code)
    if deepest > limits.max_depth:
        raise QueryRefused(f"query nested {deepest} levels deep refused (limit {limits.max_depth})")
    terms = len(_TERM.findall(code))
    if terms > limits.max_terms:
        raise QueryRefused(f"query of {terms} operators and joins refused (limit {limits.max_terms})")
    if _UPDATE.search(code):
        raise QueryRefused("read-only: updates are not allowed", 403)
    if _SERVICE.search(code) and not limits.allow_service:
        raise QueryRefused("SERVICE is not allowed here (it would make this host send requests); "
                           "pass --allow-service to allow it", 403)


def run_query(store, query: str, limits: Limits = Limits(), terms: bool = False) -> tuple[list[str], list[list], bool]:
    """(columns, rows, truncated) of ``query`` on ``store``, checked (:func:`check`)
    and run in a forked child within ``limits.timeout``. Raises
    :class:`QueryRefused`, :class:`QueryTimeout`, :class:`QueryCrashed` or the
    engine's :class:`~kg.query.QueryError`."""
    check(query, limits)
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: answer, or die alone
        os.close(r)
        _answer_in_child(store, query, limits, w, terms)
    os.close(w)
    try:
        data = _read_until(r, time.monotonic() + limits.timeout)
    except TimeoutError:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        raise QueryTimeout(f"query stopped after {limits.timeout:g} s (the limit; --timeout to change it)") from None
    finally:
        os.close(r)
    _, status = os.waitpid(pid, 0)
    if not data:
        why = f"signal {os.WTERMSIG(status)}" if os.WIFSIGNALED(status) else f"exit {os.WEXITSTATUS(status)}"
        raise QueryCrashed(f"the query engine failed on this query ({why}); nothing else was affected")
    kind, value = pickle.loads(data)
    if kind == "error":
        raise QueryError(value)
    return value


def _answer_in_child(store, query: str, limits: Limits, fd: int, terms: bool = False) -> None:
    from .sparql import sparql
    try:
        cols, rows = sparql(store, query, max_rows=limits.max_rows + 1, terms=terms)
        out = ("ok", (cols, rows[:limits.max_rows], len(rows) > limits.max_rows))
    except QueryError as err:
        out = ("error", str(err))
    except BaseException as err:  # noqa: BLE001 - a child reports every failure, then exits
        out = ("error", f"SPARQL error: {type(err).__name__}: {err}")
    try:
        data = pickle.dumps(out, protocol=pickle.HIGHEST_PROTOCOL)
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
    finally:
        os._exit(0)


def _read_until(fd: int, deadline: float) -> bytes:
    chunks = []
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError
        ready, _, _ = select.select([fd], [], [], left)
        if not ready:
            raise TimeoutError
        chunk = os.read(fd, 1 << 20)
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)
