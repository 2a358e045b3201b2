"""Updating a build in place (kg.incremental) gives exactly the files of a clean build."""
import filecmp
import json
import os
import shutil
import sys

import pytest
from conftest import EXAMPLES, LBDB_QUERIES, ROOT

import kg.export.rdf as rdf
from kg.incremental import build_into
from kg.export.elements import node_element
from kg.process import ExtractionWorker, process_file
from kg.query.cypher import cypher

sys.path.insert(0, os.path.join(ROOT, "benchmarks"))
from gen_corpus import generate  # noqa: E402

FILES = ("graph.jsonl", "graph.ttl", "graph.graphml", "load.cypher", "graph.html")


@pytest.fixture
def patch_small_graphs(monkeypatch):
    """Small graphs are normally rebuilt; patch them too, so tests stay fast."""
    monkeypatch.setattr(rdf, "STREAM_ABOVE", 0)


def assert_same_build(a, b):
    for name in FILES:
        assert filecmp.cmp(a / name, b / name, shallow=False), name
    d = filecmp.dircmp(a / "neo4j-import", b / "neo4j-import")
    assert not (d.diff_files or d.left_only or d.right_only)
    ra, rb = (json.loads((x / "report.json").read_text(encoding="utf-8")) for x in (a, b))
    for k in ("seconds", "incremental", "files_from_cache"):
        ra.pop(k), rb.pop(k)
    assert ra == rb
    for q in LBDB_QUERIES:
        assert cypher(str(a), q)[1] == cypher(str(b), q)[1], q


def build(src, out, cache, worker=None, jobs=1):
    return build_into([str(src)], str(out), cache_dir=str(cache), jobs=jobs, worker=worker)


def add_day(tmp_path, reviews, seed: int, day: int = 900, name: str = "zz_today.md") -> None:
    """One day's generated review file (40 records) dropped into ``reviews``."""
    generate(str(tmp_path / f"day{day}_{seed}"), 40, per_file=40, seed=seed, start_day=day)
    shutil.copy(next((tmp_path / f"day{day}_{seed}").iterdir()), reviews / name)


@pytest.fixture
def reviews(tmp_path):
    src = tmp_path / "reviews"
    shutil.copytree(EXAMPLES, src)
    generate(str(tmp_path / "gen"), 240, per_file=40, seed=11)
    for f in sorted((tmp_path / "gen").iterdir()):
        shutil.copy(f, src / f"gen_{f.name}")
    return src


def test_adding_a_day_patches_every_output_like_a_clean_build(tmp_path, reviews, patch_small_graphs):
    out, cache = tmp_path / "out", tmp_path / "cache"
    first = build(reviews, out, cache)
    assert first["incremental"] == {"full_build": "no build state"}
    add_day(tmp_path, reviews, seed=99)
    inc = build(reviews, out, cache, worker=ExtractionWorker())  # as `kg build` runs an update
    assert inc["incremental"]["files_extracted"] == 1 and inc["incremental"]["elements_changed"] > 40
    assert inc["paper_records"] == first["paper_records"] + 40
    clean = tmp_path / "clean"
    assert "full_build" in build(reviews, clean, tmp_path / "cache2")["incremental"]
    assert_same_build(out, clean)


@pytest.mark.parametrize("view_size", [12, 400])
def test_the_top_degree_view_follows_an_update_like_a_clean_build(tmp_path, reviews, patch_small_graphs,
                                                                  monkeypatch, view_size):
    """A view of the top nodes only: a day's changes move relationships between
    them (and, with more nodes in view, nodes in and out of it)."""
    import kg.incremental
    import kg.views
    for mod in (kg.views, kg.incremental):
        monkeypatch.setattr(mod, "MAX_FULL_VIEW", view_size)
    out, cache = tmp_path / "out", tmp_path / "cache"
    build(reviews, out, cache)
    before = (out / "graph.html").read_bytes()
    add_day(tmp_path, reviews, seed=5)
    assert "files_extracted" in build(reviews, out, cache)["incremental"]
    clean = tmp_path / "clean"
    build(reviews, clean, tmp_path / "cache2")
    assert (out / "graph.html").read_bytes() == (clean / "graph.html").read_bytes() != before


def test_edited_and_removed_files_are_undone_exactly(tmp_path, reviews, patch_small_graphs):
    out, cache = tmp_path / "out", tmp_path / "cache"
    build(reviews, out, cache)
    with open(reviews / "english_2025-03-05.md", "a", encoding="utf-8") as fh:
        fh.write("| Heron: Birds (Read more on [arXiv](https://arxiv.org/abs/2503.00999)) | A | "
                 "Heron beats OwlNet on MATH500. |\n")
    victim = sorted(reviews.glob("gen_*"))[2]
    victim.unlink()
    inc = build(reviews, out, cache)
    if "full_build" in inc["incremental"]:  # the removal empties a group of the outputs: a clean build has none
        assert "no element left" in inc["incremental"]["full_build"]
    else:
        assert inc["incremental"]["files_extracted"] == 1 and inc["incremental"]["files_removed"] == 1
    assert not any(f["path"].endswith("/" + victim.name) for f in inc["files"])
    assert any(f["path"].endswith("/english_2025-03-05.md") for f in inc["files"])  # paths as the report names them
    clean = tmp_path / "clean"
    build(reviews, clean, tmp_path / "cache2")
    assert_same_build(out, clean)


def test_a_new_typo_of_a_known_name_extends_its_group_like_a_clean_build(tmp_path, reviews, patch_small_graphs,
                                                                          monkeypatch):
    """A day's new spelling one edit from a known name joins that name's
    group by extension: the group is not resolved again, and the typo folds
    into the known entity as in a clean build."""
    import kg.incremental
    from kg.state import BuildState
    out, cache = tmp_path / "out", tmp_path / "cache"
    build(reviews, out, cache)
    st = BuildState(str(out))
    (group,) = st.db.execute("SELECT cluster FROM keys WHERE key = 'orbitnet'").fetchone()
    st.close()
    again = []
    real = kg.incremental._resolve_again
    monkeypatch.setattr(kg.incremental, "_resolve_again", lambda st, cids, *a: again.append(set(cids)) or real(st, cids, *a))
    with open(reviews / "english_2025-03-05.md", "a", encoding="utf-8") as fh:
        fh.write("| Lantern: Small Lights | Ada Moss | This paper introduces LanternNet. LanternNet outperforms "
                 "OrbitNett on LongBench. | [Read more](https://arxiv.org/abs/2503.00998) |\n")
    inc = build(reviews, out, cache)["incremental"]
    assert inc.get("files_extracted") == 1, inc
    assert again and group not in set().union(*again)
    clean = tmp_path / "clean"
    build(reviews, clean, tmp_path / "cache2")
    assert_same_build(out, clean)
    nodes = [json.loads(line) for line in (out / "graph.jsonl").read_text(encoding="utf-8").splitlines()]
    (orbit,) = [o for o in nodes if o.get("id") == "method:orbitnet"]
    assert "OrbitNett" in orbit["properties"]["aliases"]


def test_relations_dropped_for_their_types_are_counted_like_a_clean_build(tmp_path, reviews, patch_small_graphs):
    """A review evaluating on a name voted a Method elsewhere states relations
    the graph drops; an update counts them, and undoes them, as a clean build does."""
    out, cache = tmp_path / "out", tmp_path / "cache"
    first = build(reviews, out, cache)
    english = reviews / "english_2025-03-05.md"
    before = english.read_text(encoding="utf-8")
    english.write_text(before + "| Lantern: Small Lights | Ada Moss | We evaluate LanternNet on the OrbitNet benchmark, "
                       "where LanternNet reaches 71.2% accuracy. | [Read more](https://arxiv.org/abs/2503.00997) |\n",
                       encoding="utf-8")
    inc = build(reviews, out, cache)
    assert inc["incremental"]["files_extracted"] == 1
    assert inc["relations_dropped_type_conflict"] > first["relations_dropped_type_conflict"]
    clean = tmp_path / "clean"
    build(reviews, clean, tmp_path / "cache2")
    assert_same_build(out, clean)
    english.write_text(before, encoding="utf-8")
    again = build(reviews, out, cache)
    assert "files_extracted" in again["incremental"]
    assert again["relations_dropped_type_conflict"] == first["relations_dropped_type_conflict"]


def test_database_changes_queue_across_updates_until_a_query(tmp_path, reviews, patch_small_graphs):
    """Two daily updates without a Cypher query in between: the queued changes merge."""
    out, cache = tmp_path / "out", tmp_path / "cache"
    build(reviews, out, cache)
    for day, seed in ((900, 98), (901, 99)):
        add_day(tmp_path, reviews, seed=seed, day=day, name=f"zz_{day}.md")
        assert "files_extracted" in build(reviews, out, cache)["incremental"]
        assert (out / "graph.lbdb.pending").exists()
    victim = sorted(reviews.glob("gen_*"))[0]
    victim.unlink()  # and one removal, so relationships are deleted too
    assert build(reviews, out, cache)["incremental"]["files_removed"] == 1
    clean = tmp_path / "clean"
    build(reviews, clean, tmp_path / "cache2")
    assert_same_build(out, clean)  # its queries apply the queue first
    assert not (out / "graph.lbdb.pending").exists()


@pytest.mark.parametrize("bound", [0, 8 << 20])
def test_applied_changes_stay_in_the_log_until_it_passes_the_bound(tmp_path, reviews, patch_small_graphs,
                                                                    monkeypatch, bound):
    """A day's update, a query, another day's update, a query: below the bound
    the second sync appends to the log the first left; past it, each checkpoints."""
    import kg.query.cypher as embedded
    monkeypatch.setattr(embedded, "CHECKPOINT_WAL_BYTES", bound)
    out, cache = tmp_path / "out", tmp_path / "cache"
    build(reviews, out, cache)
    wal, logged = out / "graph.lbdb.wal", []
    for day, seed in ((900, 98), (901, 99)):
        add_day(tmp_path, reviews, seed=seed, day=day, name=f"zz_{day}.md")
        assert "files_extracted" in build(reviews, out, cache)["incremental"]
        cypher(str(out), "MATCH (p:Paper) RETURN count(p)")
        assert not (out / "graph.lbdb.pending").exists()
        logged.append(wal.stat().st_size if wal.exists() else 0)
    assert (logged[0] == logged[1] == 0) if bound == 0 else (0 < logged[0] < logged[1])
    clean = tmp_path / "clean"
    build(reviews, clean, tmp_path / "cache2")
    assert_same_build(out, clean)


def test_a_state_saved_beside_the_writers_is_the_one_saved_before_them(tmp_path, reviews, patch_small_graphs):
    """With two jobs the state is saved by a forked child while the writers run."""
    import sqlite3
    for jobs in (1, 2):
        rep = build(reviews, tmp_path / f"out{jobs}", tmp_path / "cache", jobs=jobs)
        assert rep["seconds"]["save_state"] >= 0
    tables = [t for (t,) in sqlite3.connect(tmp_path / "out1" / ".kg-state" / "state.sqlite").execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
    assert "clusters" in tables
    dbs = [sqlite3.connect(tmp_path / f"out{jobs}" / ".kg-state" / "state.sqlite") for jobs in (1, 2)]
    from kg.state import loads
    for t in tables:  # blobs are pickles: equal objects, not necessarily equal bytes (set order)
        a, b = ([[loads(v) if isinstance(v, bytes) else v for v in row]
                 for row in db.execute(f"SELECT * FROM {t} ORDER BY 1, 2") if row[0] != "outputs"] for db in dbs)
        assert a == b, t
    for f in os.listdir(tmp_path / "out1" / ".kg-state"):
        if not f.startswith("state.sqlite"):
            assert filecmp.cmp(tmp_path / "out1" / ".kg-state" / f, tmp_path / "out2" / ".kg-state" / f, shallow=False)


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_state_that_cannot_be_saved_leaves_the_outputs_and_a_full_build_next(tmp_path, reviews, jobs,
                                                                              patch_small_graphs, monkeypatch):
    import kg.incremental

    def broken(*args):
        raise OSError("disk full")
    monkeypatch.setattr(kg.incremental, "save_state", broken)
    out, cache = tmp_path / "out", tmp_path / "cache"
    rep = build(reviews, out, cache, jobs=jobs)
    assert any("build state was not saved" in w and "disk full" in w for w in rep["warnings"])
    assert not (out / ".kg-state").exists() and (out / "graph.ttl").stat().st_size > 0
    monkeypatch.undo()
    assert build(reviews, out, cache)["incremental"] == {"full_build": "no build state"}


def test_nothing_changed_is_a_no_op(tmp_path, reviews, patch_small_graphs):
    out, cache = tmp_path / "out", tmp_path / "cache"
    build(reviews, out, cache)
    before = (out / "graph.ttl").read_bytes()
    again = build(reviews, out, cache)
    assert again["incremental"] == {"files_extracted": 0, "files_removed": 0, "elements_changed": 0}
    assert (out / "graph.ttl").read_bytes() == before


def test_hand_edited_outputs_or_an_interrupted_update_force_a_full_build(tmp_path, reviews, patch_small_graphs):
    out, cache = tmp_path / "out", tmp_path / "cache"
    build(reviews, out, cache)
    with open(out / "graph.jsonl", "a", encoding="utf-8") as fh:
        fh.write("\n")
    assert build(reviews, out, cache)["incremental"] == {"full_build": "output files were changed since the last build"}
    from kg.state import BuildState
    st = BuildState(str(out))
    st.set("dirty", True)
    st.close()
    assert build(reviews, out, cache)["incremental"] == {"full_build": "the previous update was interrupted"}
    assert "files_extracted" in build(reviews, out, cache)["incremental"]
    add_day(tmp_path, reviews, seed=7)  # an update that must redraw graph.html, without its fragments
    (out / ".kg-state" / "html.frag").unlink()
    assert build(reviews, out, cache)["incremental"] == {"full_build": "no fragments of graph.html"}
    assert (out / ".kg-state" / "html.frag").exists()  # the full build keeps them again


def test_small_graphs_are_rebuilt_without_state(tmp_path):
    out = tmp_path / "out"
    rep = build(EXAMPLES, out, tmp_path / "cache")
    assert rep["incremental"] == {"full_build": "no build state"}
    assert not (out / ".kg-state").exists()
    assert build(EXAMPLES, out, tmp_path / "cache")["incremental"] == {"full_build": "no build state"}


def test_swap_in_replaces_a_file_while_an_open_reader_keeps_the_old_bytes(tmp_path):
    from kg.fileops import swap_in
    target = tmp_path / "graph.jsonl"
    target.write_bytes(b"old\n")
    reader = os.open(target, os.O_RDONLY)
    try:
        (tmp_path / "graph.jsonl.kgpatch").write_bytes(b"new\n")
        swap_in(str(tmp_path / "graph.jsonl.kgpatch"), str(target))
        assert target.read_bytes() == b"new\n" and os.pread(reader, 10, 0) == b"old\n"
        assert sorted(os.listdir(tmp_path)) == ["graph.jsonl"]  # nothing left aside
    finally:
        os.close(reader)
    swap_in_new = tmp_path / "fresh.tmp"
    swap_in_new.write_bytes(b"x")
    swap_in(str(swap_in_new), str(tmp_path / "fresh"))  # no old file to move aside
    assert (tmp_path / "fresh").read_bytes() == b"x"


def test_the_early_extraction_worker_extracts_like_the_build_and_stops_when_unused(tmp_path):
    files = sorted(os.path.join(EXAMPLES, f) for f in os.listdir(EXAMPLES))[:2]
    worker = ExtractionWorker()
    worker.submit(files)
    got = worker.results()
    want = [process_file(f) for f in files]
    assert [(r.doc.records, r.extractions) for r in got] == [(r.doc.records, r.extractions) for r in want]
    idle = ExtractionWorker()
    idle.close()  # still importing spaCy: stopped, not waited for
    assert not idle._proc.is_alive()


def test_a_kept_worker_warms_up_on_a_review_that_exercises_the_pipeline(tmp_path):
    """The warm-up review must reach extraction (a record, typed mentions and
    relations), or it loads nothing; a kept worker then extracts like any."""
    from kg.process import _WARM_UP
    (tmp_path / "w.md").write_text(_WARM_UP, encoding="utf-8")
    res = process_file(str(tmp_path / "w.md"))
    assert len(res.doc.records) == 1 and not res.doc.warnings
    (x,) = res.extractions
    assert {m.type for m in x.mentions} >= {"Method", "Benchmark"} and x.relations
    worker = ExtractionWorker(keep=True)
    try:
        files = sorted(os.path.join(EXAMPLES, f) for f in os.listdir(EXAMPLES))[:1]
        worker.submit(files)
        assert [r.extractions for r in worker.results()] == [process_file(f).extractions for f in files]
        assert worker.alive()
    finally:
        worker.close()


def test_a_failing_extraction_worker_falls_back_to_a_full_build(tmp_path, reviews, patch_small_graphs):
    out, cache = tmp_path / "out", tmp_path / "cache"
    build(reviews, out, cache)
    (reviews / "zz_new.md").write_text("# 2026-11-20 리뷰\n\n## [A New Method](https://arxiv.org/abs/2611.00001)\n"
                                      "NewMethod는 MMLU에서 GPT-4를 능가한다.\n", encoding="utf-8")
    worker = ExtractionWorker()
    worker._proc.kill()  # dies before it can extract anything
    report = build(reviews, out, cache, worker=worker)
    assert "extraction process ended" in report["incremental"]["full_build"]
    assert report["paper_records"] > 0


@pytest.mark.parametrize("changed", [
    {"0\x00benchmark:a": node_element("benchmark:a", {}), "1\x00zz": None},  # insert first, drop last
    {"0\x00method:m2": None, "0\x00method:m25": node_element("method:m25", {})},  # drop and insert inside
    {"0\x00method:한국어": node_element("method:한국어", {})},              # multi-byte keys shift offsets
    {k: None for k in ("0\x00method:m1", "0\x00method:m2", "0\x00method:m3", "1\x00zz")},  # everything goes
])
def test_the_keys_file_is_patched_to_the_bytes_a_full_save_writes(tmp_path, changed):
    from kg.incremental import _new_keys
    from kg.state import BuildState
    st = BuildState(str(tmp_path), create=True)
    try:
        st.save_keys(["0\x00method:m1", "0\x00method:m2", "0\x00method:m3", "1\x00zz"])
        old = st.load_keys()
        new, pieces = _new_keys(old, changed)
        st.patch_keys(old, pieces)
        patched = (tmp_path / ".kg-state" / "keys.txt").read_bytes()
        st.save_keys(new)
        assert patched == (tmp_path / ".kg-state" / "keys.txt").read_bytes()
        assert st.load_keys() == sorted(new) == new
    finally:
        st.close()


def test_kg_build_updates_in_place_with_its_early_extraction_process(tmp_path, reviews, patch_small_graphs,
                                                                     capsys, monkeypatch):
    """The command's own path: a build state in --out makes `kg build` start the
    extraction process first thing, and the update uses it."""
    import kg.process
    from kg.cli import main
    started = []
    monkeypatch.setattr(kg.process.ExtractionWorker, "submit",
                        lambda self, paths, orig=kg.process.ExtractionWorker.submit: (started.append(paths),
                                                                                       orig(self, paths))[1])
    out = tmp_path / "out"
    assert main(["build", str(reviews), "--out", str(out)]) == 0 and not started  # no state yet: no worker
    add_day(tmp_path, reviews, seed=99)
    assert main(["build", str(reviews), "--out", str(out)]) == 0
    assert started == [[str(reviews / "zz_today.md")]]
    assert "updated in place: 1 file(s) extracted" in capsys.readouterr().out


def test_outputs_and_indexes_do_not_depend_on_the_render_chunk(tmp_path, examples_graph, monkeypatch):
    """Elements are rendered and written a chunk at a time; offsets must point at
    each element's bytes whatever the chunk size."""
    import numpy as np

    import kg.export.elements as elements
    from kg.export import element_formats, graph_elements
    els = graph_elements(examples_graph)
    for name, fmt in element_formats().items():
        whole = elements.write_elements(fmt, els, str(tmp_path / f"whole_{name}"))
        monkeypatch.setattr(elements, "RENDER_CHUNK", 7)
        chunked = elements.write_elements(fmt, els, str(tmp_path / f"chunked_{name}"))
        monkeypatch.undo()
        for rel, sections in whole.layout.items():
            a, b = (tmp_path / f"{kind}_{name}" / rel for kind in ("whole", "chunked"))
            assert a.read_bytes() == b.read_bytes(), (name, rel)
            data = a.read_bytes()
            for s in sections:
                ranks, offs = whole.sections[s]
                assert np.array_equal(ranks, chunked.sections[s][0]) and np.array_equal(offs, chunked.sections[s][1])
                for i in {0, len(ranks) // 2, len(ranks) - 1} if len(ranks) else ():
                    assert data[offs[i]:offs[i + 1]] == fmt.render(els[ranks[i]], s, whole.schema), (name, s, i)


# ---------------------------------------------------------------------------
# kg build --watch (kg.watch)
# ---------------------------------------------------------------------------
def test_a_watch_updates_in_place_as_files_come_and_go_like_a_clean_build(tmp_path, reviews, patch_small_graphs,
                                                                          monkeypatch):
    """Three changes, each updated in place by one extraction process kept for
    all of them: a file moved in while watching (seen by notification only: the
    periodic check is pushed out of reach), one added while a build ran, and a
    file removed."""
    import threading

    import kg.process
    import kg.watch
    monkeypatch.setattr(kg.watch, "RECHECK_MS", 600_000)
    workers = []
    init = kg.process.ExtractionWorker.__init__
    monkeypatch.setattr(kg.process.ExtractionWorker, "__init__",
                        lambda self, *a, **k: (workers.append(k), init(self, *a, **k))[1])
    staging = tmp_path / "staging"
    staging.mkdir()
    add_day(tmp_path, staging, seed=99)
    stop, reports = threading.Event(), []
    moved_in = threading.Timer(0.5, shutil.move, (staging / "zz_today.md", reviews / "zz_today.md"))
    removed = threading.Timer(0.5, os.remove, (reviews / "zz_today.md",))

    def on_build(report: dict, seconds: float) -> None:
        reports.append(report)
        if len(reports) == 1:
            moved_in.start()  # once the watch waits for notifications
        elif len(reports) == 2:
            add_day(tmp_path, reviews, seed=100, name="zz_tomorrow.md")  # before the watch waits again
        elif len(reports) == 3:
            removed.start()
        else:
            stop.set()

    give_up = threading.Timer(120, stop.set)  # a missed change fails the test instead of hanging it
    give_up.start()
    try:
        kg.watch.watch([str(reviews)], str(tmp_path / "out"), cache_dir=str(tmp_path / "cache"), jobs=1,
                       on_build=on_build, stop=stop)
    finally:
        give_up.cancel()
    assert [r["incremental"].get("files_extracted", "full") for r in reports] == ["full", 1, 1, 0]
    assert reports[3]["incremental"]["files_removed"] == 1
    assert workers == [{"keep": True}]  # spaCy was imported once, for every update
    clean = tmp_path / "clean"
    build(reviews, clean, tmp_path / "cache2")
    assert_same_build(tmp_path / "out", clean)


def test_a_watch_reports_a_missing_input_and_builds_once_it_appears(tmp_path):
    """Polling (for file systems without notifications): the first build finds
    an input missing, the error is reported once, and the watch goes on."""
    import threading

    from kg.watch import watch
    src = tmp_path / "reviews"
    src.mkdir()
    first = sorted(os.listdir(EXAMPLES))[0]
    shutil.copy(os.path.join(EXAMPLES, first), src / first)
    late = tmp_path / "late.md"
    stop, errors, reports = threading.Event(), [], []

    def on_error(message: str) -> None:
        errors.append(message)
        threading.Timer(0.3, shutil.copy, (os.path.join(EXAMPLES, first), late)).start()

    def on_build(report: dict, seconds: float) -> None:
        reports.append(report)
        stop.set()

    give_up = threading.Timer(60, stop.set)
    give_up.start()
    try:
        watch([str(src), str(late)], str(tmp_path / "out"), poll=0.05, on_build=on_build, on_error=on_error,
              stop=stop)
    finally:
        give_up.cancel()
    assert errors == [f"input path not found: {late}"]
    assert len(reports) == 1 and reports[0]["files_read"] == 2


@pytest.mark.parametrize("sig", ["SIGINT", "SIGTERM"])
def test_kg_build_watch_builds_on_change_and_stops_cleanly_on_a_signal(tmp_path, sig):
    """The command: it builds, builds again when a file arrives, and on Ctrl-C
    or SIGTERM stops with exit status 0, no traceback and no process left."""
    import signal
    import subprocess
    import time
    src = tmp_path / "reviews"
    shutil.copytree(EXAMPLES, src)
    log = tmp_path / "stdout.txt"

    def wait_for(n: int) -> str:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            text = log.read_text(encoding="utf-8")
            if text.count("watching") >= n:
                return text
            assert proc.poll() is None, proc.stderr.read()
            time.sleep(0.05)
        raise AssertionError(f"no build {n} in {text}")

    with open(log, "w", encoding="utf-8") as out:
        proc = subprocess.Popen([sys.executable, "-m", "kg", "build", str(src), "--out", str(tmp_path / "out"),
                                 "--watch"], cwd=ROOT, stdout=out, stderr=subprocess.PIPE, text=True)
    try:
        wait_for(1)
        generate(str(tmp_path / "day"), 10, per_file=10, seed=3, start_day=900)
        shutil.move(next((tmp_path / "day").iterdir()), src / "zz_new.md")
        text = wait_for(2)
        assert "built in" in text.splitlines()[-1]
        reads = [int(ln.split("files read: ")[1].split()[0]) for ln in text.splitlines() if "files read" in ln]
        assert reads[1] == reads[0] + 1
        proc.send_signal(getattr(signal, sig))
        assert proc.wait(timeout=60) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
    assert "Traceback" not in proc.stderr.read()
    assert log.read_text(encoding="utf-8").rstrip().endswith("kg build --watch: stopped")
    left = subprocess.run(["pgrep", "-f", f"--out {tmp_path / 'out'}"], capture_output=True, text=True).stdout
    assert not left.strip()


def test_the_view_keeps_its_fragments_even_before_the_state_folder_exists(tmp_path, examples_graph):
    """graph.html's writer may run before the state is created (writers and the
    state saver run side by side): it makes the folder for its fragments, and
    the page joined from them is the page written."""
    from kg.export.elements import load_index
    from kg.export.html import FRAGMENTS, page, write_html
    examples_graph.index_dir = str(tmp_path / "state")
    try:
        write_html(examples_graph, str(tmp_path / "graph.html"))
    finally:
        del examples_graph.index_dir
    nodes, edges = load_index(str(tmp_path / "state" / FRAGMENTS))
    assert len(nodes) == examples_graph.g.number_of_nodes() and len(edges) == examples_graph.g.number_of_edges()
    assert page(list(nodes.values()), list(edges.values())) == (tmp_path / "graph.html").read_text(encoding="utf-8")


MEMBERS = """# 2025-03-09 papers review

## 1. [Orbax-2 at Scale](https://huggingface.co/papers/2503.00902)
### Scaling an Open Model Family

새로운 모델 **Orbax-2-13B** 제안. 기존 Orbax-7B 모델을 능가함. MMLU 벤치마크에서 평가.

## 2. [Quill](https://huggingface.co/papers/2503.00903)
### Quill and Quill-XL

경량 모델 **Quill** 제안. 큰 버전 Quill-XL도 공개. MMLU 벤치마크에서 평가.
"""
FAMILY = """# 2025-03-10 papers review

## 1. [Orbax](https://huggingface.co/papers/2503.00901)
### A Family of Open Language Models

오픈 언어 모델 패밀리 **Orbax** 제안. MMLU 벤치마크에서 평가.
"""


def variant_links(out) -> set:
    rows = [json.loads(line) for line in (out / "graph.jsonl").read_text(encoding="utf-8").splitlines()]
    return {(r["start"]["id"], r["end"]["id"]) for r in rows if r["type"] == "relationship" and r["label"] == "VARIANT_OF"}


def test_a_family_that_appears_or_goes_relinks_its_members_in_place(tmp_path, patch_small_graphs):
    """VARIANT_OF links in an update: the members' links follow a family that a
    new file brings and a removed file takes away, exactly as a clean build has them."""
    src, out, cache = tmp_path / "reviews", tmp_path / "out", tmp_path / "cache"
    shutil.copytree(EXAMPLES, src)
    (src / "members.md").write_text(MEMBERS, encoding="utf-8")
    build(src, out, cache)
    assert ("method:quillxl", "method:quill") in variant_links(out)  # the section stays: updates patch it
    assert not variant_links(out) & {("method:orbax7b", "method:orbax")}
    (src / "family.md").write_text(FAMILY, encoding="utf-8")
    steps = [build(src, out, cache)]
    assert {("method:orbax7b", "method:orbax"), ("method:orbax213b", "method:orbax")} <= variant_links(out)
    build(src, tmp_path / "clean1", tmp_path / "c1")
    assert_same_build(out, tmp_path / "clean1")
    (src / "family.md").unlink()
    steps.append(build(src, out, cache))
    assert not {lk for lk in variant_links(out) if lk[1] == "method:orbax"}
    build(src, tmp_path / "clean2", tmp_path / "c2")
    assert_same_build(out, tmp_path / "clean2")
    assert all("files_extracted" in s["incremental"] for s in steps), steps


def test_reported_scores_come_change_and_go_in_place_like_a_clean_build(tmp_path, reviews, patch_small_graphs):
    """Result nodes of a paper follow its reviews: a new score, a corrected one, a removed review."""
    out, cache = tmp_path / "out", tmp_path / "cache"
    build(reviews, out, cache)
    note = reviews / "zz_scores.md"
    text = ("# 2025-03-09 papers review\n\n## 1. [Kestrel: Sharp Eyes](https://arxiv.org/abs/2503.00991)\n"
            "KestrelNet은 ZebraVQA 벤치마크에서 {v}%를 기록해 HeronNet(61.5%)을 능가했다.\n")

    def scores(folder):
        return set((n["properties"].get("method"), n["properties"]["value"]) for n in map(json.loads, (
            folder / "graph.jsonl").read_text(encoding="utf-8").splitlines()) if n.get("labels") == ["Result"])
    for v in ("72.4", "73.9"):
        note.write_text(text.format(v=v), encoding="utf-8")
        inc = build(reviews, out, cache)
        assert "full_build" not in inc["incremental"]
        assert {("HeronNet", 61.5), (None, float(v))} <= set(scores(out))
        clean = tmp_path / f"clean{v}"
        build(reviews, clean, tmp_path / f"cache{v}")
        assert_same_build(out, clean)
    note.unlink()
    build(reviews, out, cache)
    assert not {x for x in scores(out) if x[1] in (61.5, 73.9)}
    clean = tmp_path / "clean_gone"
    build(reviews, clean, tmp_path / "cache_gone")
    assert_same_build(out, clean)
