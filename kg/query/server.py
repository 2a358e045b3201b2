"""``kg serve sparql``: a read-only SPARQL 1.1 Protocol endpoint on 127.0.0.1.

GET /sparql?query=… or POST (form or application/sparql-query); results as
SPARQL JSON (application/sparql-results+json) or CSV (Accept: text/csv).
Updates are refused: the store is a snapshot of a build."""
from __future__ import annotations

import json
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

from . import QueryError, format_rows
from .sparql import sparql

__all__ = ["make_server"]


def make_server(store, host: str = "127.0.0.1", port: int = 7878) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):  # quiet
            pass

        def _answer(self, query: str | None):
            if not query:
                return self._send(400, "text/plain", "missing 'query' parameter")
            if any(w in query.upper() for w in ("INSERT", "DELETE", "LOAD ", "CLEAR", "DROP ", "CREATE ")):
                return self._send(403, "text/plain", "read-only endpoint: updates are not allowed")
            try:
                cols, rows = sparql(store, query)
            except QueryError as err:
                return self._send(400, "text/plain", str(err))
            if "text/csv" in (self.headers.get("Accept") or ""):
                return self._send(200, "text/csv", format_rows(cols, rows, "csv"))
            body = {"head": {"vars": cols}, "results": {"bindings": [
                {c: {"type": "literal", "value": str(v)} for c, v in zip(cols, r) if v is not None} for r in rows]}}
            self._send(200, "application/sparql-results+json", json.dumps(body, ensure_ascii=False))

        def _send(self, code: int, ctype: str, text: str):
            data = text.encode("utf-8")
            self.send_response(code)
            self.send_header("Content-Type", f"{ctype}; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self):
            url = urlparse(self.path)
            if url.path != "/sparql":
                return self._send(404, "text/plain", "use /sparql?query=…")
            self._answer((parse_qs(url.query).get("query") or [None])[0])

        def do_POST(self):
            n = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(n).decode("utf-8")
            if (self.headers.get("Content-Type") or "").startswith("application/sparql-query"):
                return self._answer(raw)
            self._answer((parse_qs(raw).get("query") or [None])[0])

    return ThreadingHTTPServer((host, port), Handler)
