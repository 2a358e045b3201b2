"""Any other markdown whose paper blocks carry arXiv links.

Blocks are cut at markdown headings; a document without headings is cut at
blank-line paragraphs. A block becomes a record when it holds an arXiv link."""
from __future__ import annotations

import re

from ..model import DocumentResult, Section
from . import register_reader
from .blocks import add, duplicate_warnings, record_from_block, text_section
from .common import ARXIV_LINK, MD_LINK, Block, find_date, split_blocks

HEADING = re.compile(r"^#{1,6}\s+\S")


@register_reader
class GenericReader:
    name = "generic"

    def detect(self, text: str) -> float:
        return 0.25 if ARXIV_LINK.search(text) else 0.0

    def read(self, text: str, path: str) -> DocumentResult:
        res = DocumentResult(path=path, format=self.name)
        date = find_date(text, path)
        lines = text.splitlines()
        _, blocks = split_blocks(lines, HEADING.match)
        if not any(ARXIV_LINK.search("\n".join(b.lines)) for b in blocks):
            blocks = _paragraphs(lines)
        for block in blocks:
            if not ARXIV_LINK.search("\n".join(block.lines)):
                continue  # headings without links are document structure, not papers
            heading = block.heading.lstrip("#").strip()
            m = MD_LINK.search(heading)
            title = m.group(1) if m else heading
            skip = 1 if HEADING.match(block.heading) else 0
            sections = [Section("title", "title", title, block.start)]
            body = text_section("body", "body", block.body(skip))
            if body:
                sections.append(body)
            add(res, record_from_block(block, title=title, link_text=heading, fmt=self.name,
                                       path=path, date=date, sections=sections))
        duplicate_warnings(res)
        return res


def _paragraphs(lines: list[str]) -> list[Block]:
    blocks: list[Block] = []
    cur: Block | None = None
    for i, line in enumerate(lines, 1):
        if not line.strip():
            cur = None
        elif cur is None:
            cur = Block(i, [line])
            blocks.append(cur)
        else:
            cur.lines.append(line)
    return blocks
