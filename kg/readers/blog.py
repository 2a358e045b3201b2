"""Blog posts (Docusaurus MDX): ``## N. [Title](link) `org` `` then ``### subtitle``."""
from __future__ import annotations

import re

from ..model import DocumentResult, Section
from . import register_reader
from .blocks import add, duplicate_warnings, org_tags, record_from_block, text_section
from .common import MD_LINK, find_date, split_blocks

H2 = re.compile(r"^##\s+(?!#)")
NUMBERED = re.compile(r"^##\s*(\d+\s*\.\s*)?")


@register_reader
class BlogReader:
    name = "blog"

    def detect(self, text: str) -> float:
        heads = re.findall(r"(?m)^##\s+(?:\d+\.\s*)?(?:\[[^\]]+\]\([^)]+\)|[^\n#]+)$", text)
        if not heads:
            return 0.0
        tagged = len(re.findall(r"(?m)^##\s.*\]\(https?://[^)]*(?:huggingface\.co/papers|arxiv\.org)[^)]*\)", text))
        numbered = len(re.findall(r"(?m)^##\s+\d+\s*\.", text))
        tags = len(re.findall(r"(?m)^#{2,3}\s.*`[^`]+`\s*$", text))
        score = tagged + numbered + tags
        if re.search(r"(?m)^import \w+ from '|papers (review|summary)", text, re.I):
            score += 5
        if re.search(r"(?m)^##\s+\d{4}\.\d{4,5}\s*$|^###\s+\[", text):
            return 0.0  # structured summary / daily digest own these
        return score

    def read(self, text: str, path: str) -> DocumentResult:
        res = DocumentResult(path=path, format=self.name)
        date = find_date(text, path)
        _, blocks = split_blocks(text.splitlines(), H2.match)
        for block in blocks:
            heading = NUMBERED.sub("", block.heading).strip()
            m = MD_LINK.search(heading)
            title = m.group(1) if m else heading
            tags = org_tags(heading)
            body = block.body()
            subtitle = ""
            first = next(((n, t) for n, t in body if t.strip()), None)
            if first and first[1].startswith("###"):
                subtitle = first[1].lstrip("#").strip()
                tags += org_tags(subtitle)
                body = [(n, t) for n, t in body if n != first[0]]
            sections = [Section("title", "title", _strip_tags(title), block.start)]
            if subtitle:
                sections.append(Section("subtitle", "title", _strip_tags(subtitle), first[0]))
            sec = text_section("body", "body", body)
            if sec:
                sections.append(sec)
            add(res, record_from_block(block, title=_strip_tags(title), link_text=heading, fmt=self.name,
                                       path=path, date=date, sections=sections, orgs=tags))
        duplicate_warnings(res)
        return res


def _strip_tags(s: str) -> str:
    return re.sub(r"`[^`]*`", "", s).strip()
