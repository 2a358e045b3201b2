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

from ..model import DocumentResult, Skipped
from .common import ReadError, read_text

__all__ = ["Reader", "register_reader", "available_readers", "detect_format",
           "read_document", "read_string", "ReadError"]

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


def detect_format(text: str) -> str | None:
    """Name of the reader that best recognises ``text`` (None: no paper blocks)."""
    best, best_score = None, 0.0
    for name, reader in _READERS.items():
        s = reader.detect(text)
        if s > best_score:
            best, best_score = name, s
    return best


def read_string(text: str, path: str = "<string>") -> DocumentResult:
    fmt = detect_format(text)
    if fmt is None:
        res = DocumentResult(path=path, format="none")
        if text.strip():
            res.warnings.append(f"{path}:1: no paper blocks with arXiv links found; file ignored")
            res.skipped.append(Skipped(path, 1, "no recognisable format and no arXiv links",
                                       text.strip()[:80]))
        else:
            res.warnings.append(f"{path}:1: empty file")
        return res
    return _READERS[fmt].read(text, path)


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
        return res
    res = read_string(text, path)
    res.encoding = encoding
    res.warnings[:0] = warnings
    return res


def _load_builtin() -> None:
    from . import blog, english_table, generic, hf_digest, structured  # noqa: F401


_load_builtin()
