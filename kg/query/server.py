"""``kg serve sparql``: a read-only SPARQL 1.1 Protocol endpoint on 127.0.0.1.

GET /sparql?query=… or POST (form or application/sparql-query); results as
SPARQL JSON (application/sparql-results+json) or CSV (Accept: text/csv).
Updates are refused: the store is a snapshot of a build.

The endpoint cannot be turned against its host:

- every query is checked and run in a forked child with a timeout and a
  row limit (:mod:`kg.query.guard`): a query that crashes the engine ends
  that child, never the server; ``SERVICE`` is refused unless allowed;
- a request whose ``Host`` (or ``Origin``) is not this machine's loopback
  name is refused (403), so a web page cannot reach the endpoint through a
  DNS name rebound to 127.0.0.1; ``allow_hosts`` adds names;
- request bodies past the query size limit are refused unread (413);
- errors are answered with their status and a one-line message (JSON when
  the client accepts JSON), never a traceback.
"""
from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

from . import QueryError, format_rows
from .guard import Limits, run_query

__all__ = ["make_server", "LOOPBACK_HOSTS"]

LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
#: queries evaluated at once (each in its own child); the others wait their turn within their timeout
CONCURRENT_QUERIES = 4


def _host_name(value: str) -> str:
    """``Host``/``Origin`` value → its host name, lower case, without port or brackets."""
    v = value.strip().lower()
    if "://" in v:
        v = urlparse(v).netloc
    if v.startswith("["):
        return v[1:].split("]", 1)[0]
    return v.rsplit(":", 1)[0] if v.count(":") == 1 else v


def make_server(store, host: str = "127.0.0.1", port: int = 7878, limits: Limits = Limits(),
                allow_hosts: frozenset[str] | set[str] = frozenset()) -> ThreadingHTTPServer:
    allowed = LOOPBACK_HOSTS | {_host_name(h) for h in allow_hosts}
    slots = threading.BoundedSemaphore(CONCURRENT_QUERIES)

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):  # quiet
            pass

        def _refuse(self, code: int, message: str):
            if "json" in (self.headers.get("Accept") or ""):
                return self._send(code, "application/json", json.dumps({"error": message}, ensure_ascii=False))
            return self._send(code, "text/plain", message)

        def _host_ok(self) -> bool:
            names = [self.headers.get("Host"), self.headers.get("Origin")]
            return all(_host_name(n) in allowed for n in names if n and n != "null")

        def _answer(self, query: str | None):
            if not query:
                return self._refuse(400, "missing 'query' parameter")
            if not slots.acquire(timeout=limits.timeout):
                return self._refuse(503, "busy: too many queries at once")
            try:
                cols, rows, truncated = run_query(store, query, limits, terms=True)
            except QueryError as err:
                return self._refuse(getattr(err, "status", 400), str(err))
            finally:
                slots.release()
            extra = {"X-KG-Truncated": f"first {limits.max_rows} rows"} if truncated else {}
            if "text/csv" in (self.headers.get("Accept") or ""):
                plain = [[None if t is None else t["value"] for t in r] for r in rows]
                return self._send(200, "text/csv", format_rows(cols, plain, "csv"), extra)
            # typed terms: a COUNT is an xsd:integer, an IRI a uri, a title carries its language
            body = {"head": {"vars": cols}, "results": {"bindings": [
                {c: t for c, t in zip(cols, r) if t is not None} for r in rows]}}
            self._send(200, "application/sparql-results+json", json.dumps(body, ensure_ascii=False), extra)

        def _send(self, code: int, ctype: str, text: str, extra: dict | None = None):
            data = text.encode("utf-8")
            self.send_response(code)
            self.send_header("Content-Type", f"{ctype}; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            for k, v in (extra or {}).items():
                self.send_header(k, v)
            self.end_headers()
            self.wfile.write(data)

        def _guarded(self, handle):
            try:
                if not self._host_ok():
                    return self._refuse(403, "this endpoint answers requests to 127.0.0.1 or localhost only "
                                             "(--allow-host adds names)")
                handle()
            except (BrokenPipeError, ConnectionResetError):
                pass
            except Exception as err:  # noqa: BLE001 - one bad request gets its answer; the server stays up
                try:
                    self._refuse(500, f"internal error: {type(err).__name__}")
                except OSError:
                    pass

        def _get(self):
            url = urlparse(self.path)
            if url.path != "/sparql":
                return self._refuse(404, "use /sparql?query=…")
            self._answer((parse_qs(url.query).get("query") or [None])[0])

        def _post(self):
            if urlparse(self.path).path != "/sparql":
                return self._refuse(404, "use /sparql")
            try:
                n = int(self.headers.get("Content-Length") or 0)
            except ValueError:
                return self._refuse(400, "bad Content-Length")
            if n < 0 or n > limits.max_bytes * 4:  # a form body escapes the query: up to ~3x its size
                self.close_connection = True
                return self._refuse(413, f"request body of {n} bytes refused (limit {limits.max_bytes * 4})")
            try:
                raw = self.rfile.read(n).decode("utf-8")
            except UnicodeDecodeError:
                return self._refuse(400, "the request body is not UTF-8")
            if (self.headers.get("Content-Type") or "").startswith("application/sparql-query"):
                return self._answer(raw)
            self._answer((parse_qs(raw).get("query") or [None])[0])

        def do_GET(self):
            self._guarded(self._get)

        def do_POST(self):
            self._guarded(self._post)

        def _not_allowed(self):
            self._guarded(lambda: self._refuse(405, "read-only endpoint: GET or POST /sparql"))

        do_PUT = do_DELETE = do_PATCH = _not_allowed

    server = _Server((host, port), Handler)
    server.daemon_threads = True
    return server


class _Server(ThreadingHTTPServer):
    def handle_error(self, request, client_address) -> None:
        """A request that failed outside its handler (a malformed request line …): dropped quietly."""
