"""Per-file processing: read + extract one review file, cached and in parallel.

A file is the unit of work: its bytes' SHA-256 (plus the extractor version)
keys a cache entry holding its records and extractions, so a rebuild after
adding or changing one file re-extracts only that file; resolution and the
writers then run over everything (cheap next to extraction). Files are
processed in a process pool (``jobs``) and results come back in file order,
so the output does not depend on the number of workers.
"""
from __future__ import annotations

import hashlib
import os
import pickle
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass

from typing import TYPE_CHECKING

from .gcpolicy import worker_init
from .progress import track
from .mention_model import model_fingerprint
from .model import DocumentResult
from .readers import read_document

if TYPE_CHECKING:
    from .extract import RecordExtraction

__all__ = ["FileResult", "process_file", "process_files", "file_key", "EXTRACTOR_VERSION", "default_jobs",
           "ExtractionWorker"]

#: bump when readers/extraction change what they produce (invalidates caches)
EXTRACTOR_VERSION = "2026-12-06.8"  # table prose cells, 점 scores, title-line organisations, objects do not score
PARALLEL_MIN_BYTES = 512 * 1024  # below this, worker start-up costs more than it saves


@dataclass
class FileResult:
    doc: DocumentResult
    extractions: list["RecordExtraction"]
    cached: bool = False
    key: str | None = None  # content hash + extractor version (the cache key)


def default_jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:
        return os.cpu_count() or 1


def file_key(path: str) -> str | None:
    """SHA-256 of the extractor version and the file's bytes (None: unreadable)."""
    from .readers.common import special_file
    if special_file(path):
        return None  # never opened: a FIFO would block, a device never ends
    try:
        h = hashlib.sha256((EXTRACTOR_VERSION + model_fingerprint() + os.environ.get("KG_MAX_FILE_SIZE", "")).encode())
        with open(path, "rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                h.update(chunk)
        return h.hexdigest()
    except OSError:
        return None


def process_file(path: str) -> FileResult:
    from .extract import extract_records  # the pipeline's modules: only when something is extracted
    doc = read_document(path)
    extractions = extract_records(doc.records)
    for rec in doc.records:
        rec.sections = []  # section texts are only needed by extraction: don't keep 100k reviews in memory
    return FileResult(doc, extractions)


def _relocate(res: FileResult, path: str) -> FileResult:
    """A cache entry made for the same bytes under another path: fix the paths."""
    old = res.doc.path
    if old == path:
        return res
    res.doc.path = path
    res.doc.warnings = [w.replace(old, path, 1) for w in res.doc.warnings]
    for s in res.doc.skipped:
        s.source = path
    for r in res.doc.records:
        r.source = path
    for x in res.extractions:
        for m in x.mentions:
            m.source = path
        for r in x.relations:
            r.evidence.source = path
    return res


def _load(cache_dir: str, key: str, path: str) -> FileResult | None:
    try:
        with open(os.path.join(cache_dir, key + ".pkl"), "rb") as fh:
            res = pickle.load(fh)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
        return None
    res.cached = True
    return _relocate(res, path)


def _store(cache_dir: str, key: str, data: bytes) -> None:
    """Write a pickled result as the cache entry ``key`` (atomically)."""
    os.makedirs(cache_dir, exist_ok=True)
    tmp = os.path.join(cache_dir, f".{key}.{os.getpid()}.tmp")
    with open(tmp, "wb") as fh:
        fh.write(data)
    os.replace(tmp, os.path.join(cache_dir, key + ".pkl"))


class ExtractionWorker:
    """A process started ahead of the work, which builds the pipeline at once,
    then extracts the files it is given.

    An in-place update extracts about one day's file (0.1-0.3 s). ``kg build``
    starts this worker first thing when an update is likely, so extraction
    runs beside the build's own imports and state loading instead of after
    them; it is stopped after one use. ``kg build --watch`` keeps one
    (``keep=True``) for every change (:mod:`kg.watch`)."""

    def __init__(self, keep: bool = False) -> None:
        import multiprocessing as mp
        self.keep = keep
        self._conn, child = mp.Pipe()
        self._proc = mp.Process(target=_serve, args=(child, keep), daemon=True, name="kg-extract")
        self._proc.start()
        child.close()

    def submit(self, paths: list[str]) -> None:
        """Start extracting ``paths`` (one batch at a time: then :meth:`results`)."""
        try:
            self._conn.send(list(paths))
        except OSError:  # it died: results() says so
            pass

    def results(self) -> list[FileResult]:
        """The submitted files' results, in order; RuntimeError if the worker failed."""
        try:
            status, payload = self._conn.recv()
        except (EOFError, OSError):
            self._proc.join()
            status, payload = "error", f"the extraction process ended (exit {self._proc.exitcode})"
        self.release()
        if status != "ok":
            raise RuntimeError(payload)
        return payload

    def alive(self) -> bool:
        return self._proc.is_alive()

    def release(self) -> None:
        """A build is done with the worker: stop it, unless it is kept."""
        if not self.keep:
            self.close()

    def close(self) -> None:
        """Stop the worker (unused, it is still importing: not worth waiting for)."""
        if self._proc.is_alive():
            self._proc.terminate()
        self._proc.join()
        self._conn.close()


#: a small review of our own, extracted once by a kept worker before real work
_WARM_UP = """## Papers for 2025-01-01

| Title | Authors | Summary | Link |
|-------|---------|---------|------|
| Lantern: Small Lights for Long Contexts | Ada Moss | LanternNet은 LongBench에서 OrbitNet보다 높은 점수를 보였다. LanternNet outperforms OrbitNet on LongBench. | [Read more](https://arxiv.org/abs/2501.00001) |
"""


def _warm_up() -> None:
    """Extract :data:`_WARM_UP` and drop it: the pipeline's first document
    pays for lazy loading (~0.1-0.2 s), which a kept worker's first real
    change then does not."""
    import tempfile
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "warm-up.md")
        with open(path, "w", encoding="utf-8") as fh:
            fh.write(_WARM_UP)
        process_file(path)


def _serve(conn, warm: bool = False) -> None:
    import signal
    # the build decides when this process stops (Ctrl-C reaches the whole process group;
    # a watcher finishes its build first), and stops it with SIGTERM, whatever it inherited
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    from .parallel import die_with_parent
    die_with_parent()
    worker_init()
    try:
        from .extract import extract_records  # noqa: F401
        from .pipeline import make_pipeline
        make_pipeline()
        if warm:
            _warm_up()
    except Exception as err:  # noqa: BLE001 - reported to the build, which falls back to a full build
        conn.send(("error", f"{type(err).__name__}: {err}"))
        return
    while True:
        try:
            paths = conn.recv()
        except (EOFError, OSError):
            return  # the build is done with it (or needed nothing)
        try:
            conn.send(("ok", [process_file(p) for p in paths]))
        except Exception as err:  # noqa: BLE001 - reported to the build, which falls back to a full build
            conn.send(("error", f"{type(err).__name__}: {err}"))


def process_files(files: list[str], jobs: int | None = None, cache_dir: str | None = None,
                  worker: ExtractionWorker | None = None) -> list[FileResult]:
    """Results for ``files`` in the same order, from the cache where possible
    (what is not cached is extracted by ``worker`` when one is given)."""
    return submit_files(files, jobs, cache_dir, worker)()


def submit_files(files: list[str], jobs: int | None = None, cache_dir: str | None = None,
                 worker: ExtractionWorker | None = None):
    """:func:`process_files` in two steps: with a ``worker``, this returns as soon
    as the work is handed over, and calling the result waits for it."""
    jobs = default_jobs() if jobs is None else max(1, jobs)
    keys = [file_key(f) if cache_dir else None for f in files]
    results: list[FileResult | None] = [None] * len(files)
    todo = []
    for i, (f, k) in enumerate(zip(files, keys)):
        hit = _load(cache_dir, k, f) if (cache_dir and k) else None
        if hit is not None:
            results[i] = hit
        else:
            todo.append(i)
    if worker is not None and todo:
        worker.submit([files[i] for i in todo])
        return lambda: _finish(files, keys, results, todo, cache_dir, worker.results())
    size = sum(os.path.getsize(files[i]) for i in todo if os.path.exists(files[i]))
    if jobs > 1 and len(todo) > 1 and size >= PARALLEL_MIN_BYTES:
        from .extract import extract_records  # noqa: F401  (once here; forked workers inherit it)
        with ProcessPoolExecutor(max_workers=min(jobs, len(todo)), initializer=worker_init) as pool:
            done = [pickle.loads(b) for b in track(pool.map(_extract_and_store, [(files[i], keys[i], cache_dir)
                                                                                 for i in todo], chunksize=1),
                                                   len(todo), "reading")]
        out = _finish(files, keys, results, todo, None, done)  # the workers filled the cache
    else:
        out = _finish(files, keys, results, todo, cache_dir,
                      [process_file(files[i]) for i in track(todo, len(todo), "reading")])
    return lambda: out


def _extract_and_store(job: tuple[str, str | None, str | None]) -> bytes:
    """In a pool worker: one file's result, stored in the cache here and
    returned pickled. It is pickled once for both, and the build process does
    not spend ~1 ms per file storing 2,000 entries after extraction."""
    path, key, cache_dir = job
    res = process_file(path)
    data = pickle.dumps(res, protocol=pickle.HIGHEST_PROTOCOL)
    if cache_dir and key and res.doc.format != "unreadable":
        _store(cache_dir, key, data)
    return data


def _finish(files, keys, results, todo, cache_dir, done) -> list[FileResult]:
    for i, res in zip(todo, done):
        results[i] = res
    for r, k in zip(results, keys):
        r.key = k
    if cache_dir:
        for i in todo:
            if keys[i] and results[i].doc.format != "unreadable":
                _store(cache_dir, keys[i], pickle.dumps(results[i], protocol=pickle.HIGHEST_PROTOCOL))
    return results  # type: ignore[return-value]
