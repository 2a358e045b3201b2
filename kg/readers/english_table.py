"""English digests: a markdown table ``| Title | Authors | Summary | (Link |)``
whose rows may wrap over several physical lines."""
from __future__ import annotations

import re

from ..model import DocumentResult, Section
from . import register_reader
from .blocks import add, record_from_block
from .common import Block, find_date

HEADER = re.compile(r"^\|\s*Title\s*\|\s*Authors\s*\|\s*Summary\s*\|", re.I)
SEPARATOR = re.compile(r"^\|[\s:|-]+\|?\s*$")
READ_MORE = re.compile(r"\(?\s*Read more on .*$", re.I | re.S)


@register_reader
class EnglishTableReader:
    name = "english_table"

    def detect(self, text: str) -> float:
        return 50.0 if any(HEADER.match(ln) for ln in text.splitlines()[:40]) else 0.0

    def read(self, text: str, path: str) -> DocumentResult:
        res = DocumentResult(path=path, format=self.name)
        date = find_date(text, path)
        for block in _rows(text.splitlines()):
            row = " ".join(ln.strip() for ln in block.lines)
            cells = [c.strip() for c in row.strip().strip("|").split("|")]
            if len(cells) < 3:
                add(res, _truncated(block, path))
                continue
            title_cell, authors = cells[0], cells[1]
            summary = "|".join(cells[2:-1]) if len(cells) > 3 else cells[2]
            if len(cells) == 3 or "Read more" in cells[-1] or "](" in cells[-1]:
                link = cells[-1]
            else:
                link, summary = "", "|".join(cells[2:])
            title = READ_MORE.sub("", title_cell).strip()
            sections = [Section("title", "title", title, block.start),
                        Section("summary", "body", summary, block.start)]
            add(res, record_from_block(
                block, title=title, link_text=title_cell + " " + link, fmt=self.name, path=path,
                date=date, sections=sections,
                authors=[a.strip() for a in authors.split(",") if a.strip()]))
        return res


def _rows(lines: list[str]) -> list[Block]:
    """Table rows after each header; a line not starting with ``|`` continues the row."""
    rows: list[Block] = []
    in_table = False
    for i, line in enumerate(lines, 1):
        if HEADER.match(line):
            in_table = True
            continue
        if not in_table:
            continue
        if SEPARATOR.match(line):
            continue
        if line.startswith("|"):
            rows.append(Block(i, [line]))
        elif line.strip() and rows and not line.startswith("#"):
            rows[-1].lines.append(line)
        elif line.startswith("#"):
            in_table = False
    return rows


def _truncated(block: Block, path: str):
    from ..model import Skipped
    return Skipped(path, block.start, "truncated table row (fewer than 3 cells)", block.lines[0][:80])
