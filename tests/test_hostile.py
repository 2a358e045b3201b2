"""Hostile input and hostile clients (issue 22): nothing hangs, crashes, leaks a
traceback or makes this machine act for someone else."""
import http.client
import json
import threading
import urllib.parse

import pytest
from conftest import run_kg

from kg.query.guard import Limits, QueryRefused, check, run_query
from kg.query.server import make_server
from kg.query.sparql import load_store

DEEP = "SELECT * WHERE { FILTER(" + "(" * 5000 + "1" + ")" * 5000 + ") }"  # crashed pyoxigraph 0.5 (measured)
LONG = "SELECT * WHERE { FILTER(" + "+".join(["1"] * 8000) + ") }"


@pytest.fixture(scope="module")
def store(examples_out):
    return load_store(str(examples_out))


def serve(store, limits=Limits(), **kw):
    server = make_server(store, "127.0.0.1", 0, limits, **kw)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def ask(server, query=None, method="GET", body=None, headers=None):
    """(status, body text) of one request; the Host header is what a client names."""
    conn = http.client.HTTPConnection("127.0.0.1", server.server_port, timeout=30)
    path = "/sparql" + ("?" + urllib.parse.urlencode({"query": query}) if query is not None else "")
    conn.request(method, path, body=body, headers=headers or {})
    resp = conn.getresponse()
    out = resp.status, resp.read().decode("utf-8"), dict(resp.getheaders())
    conn.close()
    return out


def test_queries_past_the_limits_are_refused_before_the_engine(store):
    for q in (DEEP, LONG, "SELECT * WHERE { ?s ?p ?o } #" + "x" * 70000):
        with pytest.raises(QueryRefused):
            check(q)
    check('SELECT ?copy ?load WHERE { ?copy ?load "SERVICE ( ( (" } # DELETE')  # words and text, not clauses


@pytest.mark.parametrize("query", [
    "SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }",
    "SELECT * WHERE { service <http://169.254.169.254/> { ?s ?p ?o } }",
    "SELECT * WHERE { \\u0053ERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }",  # escapes are decoded first
])
def test_service_is_refused_unless_allowed(store, query):
    with pytest.raises(QueryRefused, match="SERVICE"):
        run_query(store, query)


def test_a_query_that_crashes_the_engine_ends_its_child_only(store):
    unchecked = Limits(max_bytes=10 ** 7, max_depth=10 ** 6, max_terms=10 ** 6)
    server = serve(store, unchecked)
    try:
        status, text, _ = ask(server, DEEP.replace("5000", "20000"), "POST",
                              ("SELECT * WHERE { FILTER(" + "(" * 20000 + "1" + ")" * 20000 + ") }").encode(),
                              {"Content-Type": "application/sparql-query"})
        assert status == 500 and "failed on this query" in text and "Traceback" not in text
        status, text, _ = ask(server, "ASK { ?s ?p ?o }")  # the server is still up
        assert status == 200 and json.loads(text)["results"]
    finally:
        server.shutdown()


def test_timeout_row_limit_and_errors_are_answers(store):
    server = serve(store, Limits(timeout=0.5, max_rows=3))
    try:
        status, text, _ = ask(server, "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }")
        assert status == 503 and "stopped after 0.5 s" in text
        status, text, headers = ask(server, "SELECT * WHERE { ?s ?p ?o }")
        assert status == 200 and len(json.loads(text)["results"]["bindings"]) == 3 and "X-KG-Truncated" in headers
        status, text, _ = ask(server, "SELECT * WHERE {", headers={"Accept": "application/json"})
        assert status == 400 and "syntax error" in json.loads(text)["error"]
        assert ask(server, DEEP)[0] == 400
        assert ask(server, "INSERT DATA { <a:b> <a:c> <a:d> }")[0] == 403
        status, text, _ = ask(server, method="POST", body=b"x", headers={"Content-Length": "99999999"})
        assert status == 413
        status, text, _ = ask(server, method="POST", body=b"\xff\xfe", headers={"Content-Type": "application/sparql-query"})
        assert status == 400 and "UTF-8" in text
        assert ask(server, method="PUT", body=b"")[0] == 405
    finally:
        server.shutdown()


def test_only_loopback_names_reach_the_endpoint(store):
    """DNS rebinding: a page at evil.example whose name now resolves to 127.0.0.1."""
    server = serve(store, allow_hosts={"kg.lan"})
    try:
        port = server.server_port
        q = "ASK { ?s ?p ?o }"
        assert ask(server, q, headers={"Host": f"evil.example:{port}"})[0] == 403
        assert ask(server, q, headers={"Host": f"127.0.0.1:{port}", "Origin": "http://evil.example"})[0] == 403
        for host in (f"localhost:{port}", f"127.0.0.1:{port}", f"[::1]:{port}", "kg.lan"):
            assert ask(server, q, headers={"Host": host})[0] == 200, host
    finally:
        server.shutdown()


def test_cli_errors_are_one_line(examples_out, tmp_path):
    binary = tmp_path / "q.rq"
    binary.write_bytes(bytes(range(256)) * 8)
    for args in (["ASK { ?s ?p ?o }", "--graph", "/etc/passwd"], ["--file", str(binary), "--graph", str(examples_out)],
                 [DEEP, "--graph", str(examples_out)],
                 ["SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }", "--graph", str(examples_out)]):
        r = run_kg("query", "sparql", *args)
        assert r.returncode == 1 and "Traceback" not in r.stderr and len(r.stderr.strip().splitlines()) == 1, r.stderr


def special_inputs(tmp_path):
    """A folder of one good review among files that are not reviews to read."""
    import os
    import shutil
    from conftest import EXAMPLES
    src = tmp_path / "in"
    src.mkdir()
    shutil.copy(os.path.join(EXAMPLES, "digest_2025-03-03.md"), src / "good.md")
    os.mkfifo(src / "pipe.md")
    os.symlink("/dev/zero", src / "zero.md")
    os.symlink(src / "missing.md", src / "dead.md")
    os.symlink(src / "loop_b.md", src / "loop_a.md")
    os.symlink(src / "loop_a.md", src / "loop_b.md")
    (src / "huge.md").write_bytes(b"# x\n" + b"a" * 4096)
    (src / "locked").mkdir()
    shutil.copy(os.path.join(EXAMPLES, "blog_2025-03-02.md"), src / "locked" / "inside.md")
    return src


def test_special_files_are_reported_never_read(tmp_path):
    """A FIFO, /dev/zero, dangling and looping links, a file over --max-file-size: the build ends,
    keeps the good review and names every other path with its reason."""
    import subprocess
    import sys
    from conftest import ROOT
    src, out = special_inputs(tmp_path), tmp_path / "out"
    r = subprocess.run([sys.executable, "-m", "kg", "build", str(src), "--out", str(out), "--max-file-size", "4000"],
                       capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert r.returncode == 0, r.stderr
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    reasons = {s["source"].rsplit("/", 1)[-1]: s["reason"] for s in report["skipped"]}
    assert "FIFO" in reasons["pipe.md"] and "character device" in reasons["zero.md"]
    assert "leads nowhere" in reasons["dead.md"] and "leads nowhere" in reasons["loop_a.md"]
    assert "limit" in reasons["huge.md"] and report["papers"] == 4  # both good reviews' papers are in


def test_an_unreadable_folder_is_reported_with_its_path(tmp_path, monkeypatch):
    import os
    import kg
    src = special_inputs(tmp_path)
    locked, real = str(src / "locked"), os.scandir

    def scandir(path="."):
        if os.fspath(path) == locked:  # as for a folder without read permission (the tests may run as root)
            raise PermissionError(13, "Permission denied", locked)
        return real(path)
    monkeypatch.setattr(os, "scandir", scandir)
    for name in ("pipe.md", "zero.md", "loop_a.md", "loop_b.md"):
        os.remove(src / name)
    g = kg.build([str(src)])
    (entry,) = [s for s in g.report["skipped"] if s["source"] == locked]
    assert "cannot be read (Permission denied)" in entry["reason"]
    assert any(locked in w for w in g.report["warnings"])


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be", "utf-32"])
def test_utf16_and_utf32_with_a_bom_are_read(tmp_path, encoding):
    import os
    import kg
    from conftest import EXAMPLES
    text = open(os.path.join(EXAMPLES, "digest_2025-03-03.md"), encoding="utf-8").read()
    path = tmp_path / "review.md"
    data = text.encode(encoding)
    path.write_bytes(data if encoding in ("utf-16", "utf-32") else b"\xfe\xff" + data)
    g = kg.build([str(path)])
    assert g.report["paper_records"] == kg.build([os.path.join(EXAMPLES, "digest_2025-03-03.md")]).report["paper_records"] > 0
    assert g.report["files"][0]["encoding"] == {"utf-16": "utf-16-le", "utf-16-be": "utf-16-be",
                                                "utf-32": "utf-32-le"}[encoding]


def _pathological():
    import os
    import sys
    from conftest import ROOT
    sys.path.insert(0, os.path.join(ROOT, "benchmarks"))
    import pathological
    return pathological


@pytest.mark.parametrize("case", sorted(_pathological().CASES))
def test_pathological_megabytes_read_in_linear_time(case):
    """1 MB shaped to defeat a parser reads well within 10 s (each ~0.2-5 s here) and keeps its record."""
    seconds, records, _ = _pathological().read_time(case, 1 << 20, timeout=10.0) or (None, 0, 0)
    assert seconds is not None, f"{case}: not read within 10 s"
    assert records == 1
