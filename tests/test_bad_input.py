"""Bad input: a warning naming file and line, never a traceback; nothing lost."""
import os

import kg
from conftest import run_kg

from kg.readers import read_document


def test_empty_binary_and_formatless_files(tmp_path):
    (tmp_path / "empty.md").write_text("")
    (tmp_path / "bin.md").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    (tmp_path / "prose.md").write_text("# Notes\n\nNo papers in here.\n")
    for name, fmt in (("empty.md", "none"), ("bin.md", "unreadable"), ("prose.md", "none")):
        res = read_document(str(tmp_path / name))
        assert res.format == fmt and not res.records
        assert res.warnings and res.warnings[0].startswith(str(tmp_path / name))
    assert "binary" in read_document(str(tmp_path / "bin.md")).warnings[0]


def test_cp949_file_is_decoded(tmp_path):
    text = "## Daily Papers (2025-01-01)\n\n### [Lark: 한국어 모델](https://arxiv.org/abs/2501.01001)\n\n- Lark는 새로운 모델을 제안합니다.\n"
    p = tmp_path / "euckr.md"
    p.write_bytes(text.encode("cp949"))
    res = read_document(str(p))
    assert res.encoding == "cp949" and res.records[0].title == "Lark: 한국어 모델"
    assert any("cp949" in w and ":" in w for w in res.warnings)


def test_invalid_utf8_is_replaced_not_fatal(tmp_path):
    p = tmp_path / "broken.md"
    p.write_bytes(b"### [Ibis](https://arxiv.org/abs/2501.02001)\n\n- ok \xff\xfe\xfa text\n\x80\x81")
    res = read_document(str(p))
    assert len(res.records) == 1


def test_truncated_table_row_and_missing_link_are_skipped_with_reasons(tmp_path):
    p = tmp_path / "t.md"
    p.write_text("| Title | Authors | Summary |\n|---|---|---|\n| Kite: fast (Read more on [arXiv]"
                 "(https://arxiv.org/abs/2501.03001))| A | Kite. |\n| Crane: no link | B | Crane. |\n| Trunc")
    res = read_document(str(p))
    assert [r.arxiv_id for r in res.records] == ["2501.03001"]
    reasons = sorted(s.reason for s in res.skipped)
    assert len(reasons) == 2 and "no arXiv link" in reasons[0] and "truncated" in reasons[1]
    assert {s.line for s in res.skipped} == {4, 5}


def test_cli_reports_skips_and_exit_status(tmp_path):
    (tmp_path / "good.md").write_text("### [Ibis: Birds](https://arxiv.org/abs/2501.02001)\n\n- Ibis를 제안.\n")
    (tmp_path / "bad.md").write_bytes(b"\x00\x01binary")
    out = tmp_path / "out"
    r = run_kg("build", str(tmp_path), "--out", str(out))
    assert r.returncode == 0 and "Traceback" not in r.stderr
    assert "bad.md" in r.stderr and "binary" in r.stderr
    assert (out / "graph.jsonl").exists() and (out / "report.json").exists()


def test_cli_nothing_readable_is_nonzero(tmp_path):
    (tmp_path / "a.md").write_text("nothing\n")
    r = run_kg("build", str(tmp_path / "a.md"), "--out", str(tmp_path / "o"))
    assert r.returncode == 1 and "Traceback" not in r.stderr


def test_an_empty_folder_says_so(tmp_path):
    (tmp_path / "empty").mkdir()
    r = run_kg("build", str(tmp_path / "empty"), "--out", str(tmp_path / "o"))
    assert r.returncode == 1 and "no review files under" in r.stderr and "outputs in" not in r.stdout


def test_version_and_quiet(tmp_path):
    import kg
    r = run_kg("--version")
    assert r.returncode == 0 and r.stdout.strip() == f"kg {kg.__version__}"
    r = run_kg("-q", "-v", "build", os.path.join(os.path.dirname(__file__), "..", "examples"), "--out",
               str(tmp_path / "o"), "--no-cache")
    assert r.returncode == 0 and "\r" not in r.stderr  # no bar off a terminal, and -q anyway



def _stderr_on_a_terminal(*args) -> str:
    """What ``kg ARGS`` writes to stderr when stderr is a terminal (a pseudo-terminal here)."""
    import pty
    import subprocess
    import sys
    from conftest import ROOT
    master, slave = pty.openpty()
    p = subprocess.Popen([sys.executable, "-m", "kg", *args], stdout=subprocess.DEVNULL, stderr=slave, cwd=ROOT)
    os.close(slave)
    chunks = []
    while True:
        try:
            data = os.read(master, 65536)
        except OSError:  # the child closed the terminal
            break
        if not data:
            break
        chunks.append(data)
    p.wait(timeout=120)
    os.close(master)
    return b"".join(chunks).decode("utf-8", "replace")


def test_a_progress_bar_on_a_terminal_only_and_never_with_q(tmp_path):
    shown = _stderr_on_a_terminal("build", "examples", "--out", str(tmp_path / "a"), "--no-cache")
    assert "reading" in shown and "writing" in shown
    quiet = _stderr_on_a_terminal("-q", "build", "examples", "--out", str(tmp_path / "b"), "--no-cache")
    assert "reading" not in quiet and "writing" not in quiet
    after = _stderr_on_a_terminal("build", "examples", "--out", str(tmp_path / "c"), "--no-cache", "-q")
    assert "reading" not in after and "writing" not in after  # the options go after the command too


def test_missing_input_path_is_a_clear_error(tmp_path):
    r = run_kg("build", str(tmp_path / "nope"), "--out", str(tmp_path / "o"))
    assert r.returncode == 2 and "input path not found" in r.stderr and "Traceback" not in r.stderr


def test_every_block_is_in_graph_or_skipped(tmp_path):
    src = os.path.join(os.path.dirname(__file__), "..", "examples")
    g = kg.build([src])
    rep = g.report
    assert rep["paper_records"] + len(rep["skipped"]) == sum(f["records"] + f["skipped"] for f in rep["files"])
    papers = {p["arxiv_id"] for _, _, p in g.nodes("Paper")}
    assert len(papers) == rep["papers"]
