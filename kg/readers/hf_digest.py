"""Daily digests: ``### [Title](arxiv link)``, Vote/Authors, What's New / Technical
Details / Performance Highlights in ``***x***``, ``**x**`` and plain-bullet variants."""
from __future__ import annotations

import re

from ..model import DocumentResult
from . import register_reader
from .blocks import add, record_from_block, text_section
from .common import MD_LINK, find_date, split_blocks

H3 = re.compile(r"^###\s+\S")
SECTION = re.compile(
    r"^\s*[-*]?\s*(\*{0,3})(What'?s New|Technical Details|Performance Highlights)\1\s*:?\s*(.*)$", re.I)
ROLES = {"what's new": "contribution", "whats new": "contribution",
         "technical details": "method", "performance highlights": "experiment"}
VOTE = re.compile(r"^\s*Vote:\s*(\d+)")
AUTHORS = re.compile(r"^\s*Authors:\s*(.+)$")


@register_reader
class DailyDigestReader:
    name = "hf_daily_digest"

    def detect(self, text: str) -> float:
        n = len(re.findall(r"(?m)^###\s+\[[^\]]+\]\(https?://[^)]*(?:arxiv\.org|huggingface\.co/papers)", text))
        if not n:
            return 0.0
        bonus = 5 if re.search(r"(?m)^##\s+Daily Papers|^Vote:|What's New", text) else 0
        return 2 * n + bonus

    def read(self, text: str, path: str) -> DocumentResult:
        res = DocumentResult(path=path, format=self.name)
        date = find_date(text, path)
        _, blocks = split_blocks(text.splitlines(), H3.match)
        for block in blocks:
            heading = block.heading.lstrip("#").strip()
            m = MD_LINK.search(heading)
            title = m.group(1) if m else heading
            votes, authors = None, []
            groups: list[tuple[str, list[tuple[int, str]]]] = [("summary", [])]
            for n, line in block.body():
                if (v := VOTE.match(line)):
                    votes = int(v.group(1))
                elif (a := AUTHORS.match(line)):
                    authors = [x.strip() for x in a.group(1).split(",") if x.strip()]
                elif (s := SECTION.match(line)):
                    groups.append((s.group(2), [(n, s.group(3))]))
                else:
                    groups[-1][1].append((n, line))
            sections = [text_section("title", "title", [(block.start, title)])]
            for name, lines in groups:
                sections.append(text_section(name, ROLES.get(name.lower().replace("’", "'"), "body"), lines))
            add(res, record_from_block(block, title=title, link_text=heading, fmt=self.name, path=path,
                                       date=date, sections=[s for s in sections if s],
                                       authors=authors, votes=votes))
        return res
