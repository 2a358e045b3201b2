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
from .model import DocumentResult
from .readers import read_document

if TYPE_CHECKING:
    from .extract import RecordExtraction

__all__ = ["FileResult", "process_file", "process_files", "file_key", "EXTRACTOR_VERSION", "default_jobs"]

#: bump when readers/extraction change what they produce (invalidates caches)
EXTRACTOR_VERSION = "2026-11-21.3"
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
    try:
        h = hashlib.sha256(EXTRACTOR_VERSION.encode())
        with open(path, "rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                h.update(chunk)
        return h.hexdigest()
    except OSError:
        return None


def process_file(path: str) -> FileResult:
    from .extract import extract_records  # imports spaCy: only when something is extracted
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


def _store(cache_dir: str, key: str, res: FileResult) -> None:
    os.makedirs(cache_dir, exist_ok=True)
    tmp = os.path.join(cache_dir, f".{key}.{os.getpid()}.tmp")
    with open(tmp, "wb") as fh:
        pickle.dump(res, fh, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(tmp, os.path.join(cache_dir, key + ".pkl"))


def process_files(files: list[str], jobs: int | None = None, cache_dir: str | None = None) -> list[FileResult]:
    """Results for ``files`` in the same order, from the cache where possible."""
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
    size = sum(os.path.getsize(files[i]) for i in todo if os.path.exists(files[i]))
    if jobs > 1 and len(todo) > 1 and size >= PARALLEL_MIN_BYTES:
        from .extract import extract_records  # noqa: F401  (spaCy once here; forked workers inherit it)
        with ProcessPoolExecutor(max_workers=min(jobs, len(todo)), initializer=worker_init) as pool:
            for i, res in zip(todo, pool.map(process_file, [files[i] for i in todo], chunksize=1)):
                results[i] = res
    else:
        for i in todo:
            results[i] = process_file(files[i])
    for r, k in zip(results, keys):
        r.key = k
    if cache_dir:
        for i in todo:
            if keys[i] and results[i].doc.format != "unreadable":
                _store(cache_dir, keys[i], results[i])
    return results  # type: ignore[return-value]
