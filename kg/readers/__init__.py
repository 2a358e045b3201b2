"""Format readers, registered by name and chosen per file by detection.

Each reader is a class with ``name``, ``detect(text) -> float`` (0 = not this
format, higher = more confident) and ``read(text, path) -> DocumentResult``.
Register a new one with :func:`register_reader`; :func:`read_document` picks
the best-scoring reader for each file, so formats are never configured.

Examples
--------
>>> from kg.readers import available_readers
>>> sorted(available_readers())[:2]
['blog', 'english_table']
"""
from __future__ import annotations

from typing import Protocol

from ..model import DocumentResult, PaperRecord, Skipped
from .common import HTML_SUFFIXES, ReadError, html_page_as_review, read_text

__all__ = ["Reader", "register_reader", "available_readers", "detect_format",
           "read_document", "read_string", "merge_repeats", "ReadError"]

_READERS: dict[str, "Reader"] = {}


class Reader(Protocol):
    name: str

    def detect(self, text: str) -> float: ...

    def read(self, text: str, path: str) -> DocumentResult: ...


def register_reader(cls):
    """Class decorator: make a reader available under ``cls.name``."""
    _READERS[cls.name] = cls()
    return cls


def available_readers() -> dict[str, "Reader"]:
    return dict(_READERS)


def detect_format(text: str, layouts_only: bool = False) -> str | None:
    """Name of the reader that best recognises ``text`` (None: no paper blocks).
    ``layouts_only`` leaves out the structural reader, which reads any markdown."""
    best, best_score = None, 0.0
    for name, reader in _READERS.items():
        if layouts_only and name == "markdown":
            continue
        s = reader.detect(text)
        if s > best_score:
            best, best_score = name, s
    return best


def read_string(text: str, path: str = "<string>") -> DocumentResult:
    """Read one document's text.

    The structural reader (:mod:`kg.readers.markdown`) decides which papers the
    document reviews and accounts for every arXiv id in it. A layout reader that
    recognises the file (blog, digest, 7-section summary, English table) reads it
    instead when it finds exactly those papers, because it knows its layout's section
    roles; when it finds others (several papers in one section, a table past line 40 …)
    the structural reading is kept. When a layout reader finds several records, one
    for each arXiv id of the file, the structural reading is not needed (parsing costs
    about as much as the layout reader's whole read)."""
    from .markdown import read_structure
    from .units import id_offsets
    ids = {pid for pid, _ in id_offsets(text)}
    fmt = detect_format(text, layouts_only=True)
    if fmt is not None:
        res = _READERS[fmt].read(text, path)
        found = {r.arxiv_id for r in res.records}
        if found == ids and len(res.records) > 1:
            # several papers, and every id of the file is one of them: nothing is cited or lost,
            # and the layout's blocks are the units (a single record may be a one-paper note,
            # which the layout reader would cut to the block around its link)
            merge_repeats(res)
            return res
    if not ids and fmt is None:
        res = DocumentResult(path=path, format="none")
        if text.strip():
            res.warnings.append(f"{path}:1: no paper blocks with arXiv links found; file ignored")
            res.skipped.append(Skipped(path, 1, "no recognisable format and no arXiv links",
                                       text.strip()[:80]))
        else:
            res.warnings.append(f"{path}:1: empty file")
        return res
    try:
        structural = read_structure(text, path)
    except Exception as err:  # a parser failure must not lose the file's papers
        structural = _unreadable_structure(text, path, err)
        if fmt is not None and res.records:
            res.warnings += structural.warnings
            return res
        return structural
    if fmt is not None and _same_units(res.records, structural.records):
        merge_repeats(res)
        same = {r.arxiv_id: r for r in structural.records}
        for rec in res.records:  # the structural reading's fields (citations, Org: lines, front matter) too
            other = same[rec.arxiv_id]
            rec.cites = other.cites
            rec.orgs += [o for o in other.orgs if o not in rec.orgs]
            rec.authors = rec.authors or other.authors
        res.citations = structural.citations
        res.skipped += [s for s in structural.skipped if s.paper]
        return res
    return structural


def _unreadable_structure(text: str, path: str, err: Exception) -> DocumentResult:
    """Every id of a document whose structure could not be read, skipped with the reason."""
    from .units import id_offsets
    res = DocumentResult(path=path, format="markdown")
    msg = f"document structure could not be read ({type(err).__name__})"
    res.warnings.append(f"{path}:1: {msg}")
    seen: set[str] = set()
    for pid, off in id_offsets(text):
        if pid not in seen:
            seen.add(pid)
            res.skipped.append(Skipped(path, text.count("\n", 0, off) + 1, msg, pid, paper=pid))
    return res


def _same_units(layout: list[PaperRecord], structural: list[PaperRecord]) -> bool:
    """The layout reader found the same papers, each over (about) the same lines."""
    spans = {r.arxiv_id: (r.line_start, r.line_end) for r in structural}
    if {r.arxiv_id for r in layout} != spans.keys():
        return False
    return all(r.line_start <= spans[r.arxiv_id][0] + 2 and r.line_end >= spans[r.arxiv_id][1] - 2 for r in layout)


def merge_repeats(res: DocumentResult) -> None:
    """One record per paper and document: a paper discussed in several places of one
    document (a summary table, then a section) is one record of all those places."""
    first: dict[str, "PaperRecord"] = {}
    kept = []
    for rec in res.records:
        if rec.arxiv_id in first:
            into = first[rec.arxiv_id]
            into.sections += rec.sections
            into.line_end = max(into.line_end, rec.line_end)
            into.orgs += [o for o in rec.orgs if o not in into.orgs]
            res.warnings.append(f"{rec.source}:{rec.line_start}: paper {rec.arxiv_id} also discussed at line "
                                f"{into.line_start}; its places are read as one record")
        else:
            first[rec.arxiv_id] = rec
            kept.append(rec)
    res.records = kept


def read_document(path: str) -> DocumentResult:
    """Read one review file. Never raises for bad content: problems become
    warnings and skipped entries naming the file and line."""
    try:
        text, encoding, warnings = read_text(path)
    except (ReadError, OSError) as err:
        res = DocumentResult(path=path, format="unreadable")
        msg = str(err) if isinstance(err, ReadError) else f"{path}: {err.strerror or err}"
        res.warnings.append(msg if msg.startswith(path) else f"{path}: {msg}")
        res.skipped.append(Skipped(path, 1, msg))
        if "binary file" in msg:  # its arXiv ids are reported one by one: none is lost unsaid
            from .common import binary_ids
            res.skipped += [Skipped(path, line, "in a binary file, not read", pid, paper=pid)
                            for pid, line in binary_ids(path)]
        return res
    if path.lower().endswith(HTML_SUFFIXES):
        text = html_page_as_review(text)
    res = read_string(text, path)
    res.encoding = encoding
    res.warnings[:0] = warnings
    return res


def _load_builtin() -> None:
    from . import blog, english_table, hf_digest, markdown, structured  # noqa: F401


_load_builtin()
