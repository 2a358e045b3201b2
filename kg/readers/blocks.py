"""Turning a heading-delimited block into a PaperRecord (shared by readers)."""
from __future__ import annotations

import re

from ..model import DocumentResult, PaperRecord, Section, Skipped
from .common import Block, clean_title, find_arxiv

__all__ = ["org_tags", "record_from_block", "junk_line"]

TAG = re.compile(r"`([^`\n]{1,40})`")
_JUNK = re.compile(r"^\s*(import\s+\w+\s+from\s|<\/?(div|img|p|br|figure|center)\b|!\[|\{/\*|export\s)", re.I)


def org_tags(line: str) -> list[str]:
    """Backtick tags written after a title: ``## [T](u) `nvidia` `` → ['nvidia']."""
    return [t.strip() for t in TAG.findall(line) if t.strip()]


def junk_line(line: str) -> bool:
    """MDX/HTML/image lines that carry no review prose."""
    return bool(_JUNK.match(line))


def record_from_block(block: Block, *, title: str, link_text: str, fmt: str, path: str,
                      date: str | None, sections: list[Section], orgs=(),
                      authors=(), votes=None, fallback_id: str | None = None) -> PaperRecord | Skipped:
    """Build a record, or a Skipped entry when the block has no arXiv link."""
    found = find_arxiv(link_text) or find_arxiv("\n".join(block.lines))
    if not found and fallback_id:
        found = fallback_id, f"https://arxiv.org/abs/{fallback_id}"
    if not found:
        return Skipped(path, block.start, "no arXiv link in paper block", clean_title(block.heading)[:80])
    arxiv_id, url = found
    return PaperRecord(
        arxiv_id=arxiv_id, title=clean_title(title) or arxiv_id, url=url, source=path,
        line_start=block.start, line_end=block.end, format=fmt, review_date=date,
        orgs=list(orgs), authors=list(authors), votes=votes, sections=sections)


def add(result: DocumentResult, item: PaperRecord | Skipped) -> None:
    if isinstance(item, Skipped):
        result.skipped.append(item)
        result.warnings.append(f"{item.source}:{item.line}: skipped paper block: {item.reason}")
    else:
        result.records.append(item)


def text_section(name: str, role: str, lines: list[tuple[int, str]]) -> Section | None:
    """A Section from numbered lines; junk lines blanked so line offsets hold."""
    if not lines:
        return None
    text = "\n".join("" if junk_line(t) else t for _, t in lines)
    if not text.strip():
        return None
    return Section(name, role, text, lines[0][0])
