"""Blog posts (Docusaurus MDX): ``## N. [Title](link) `org` `` then ``### subtitle``."""
from __future__ import annotations

import re

from ..model import DocumentResult, Section
from . import register_reader
from .blocks import add, org_tags, record_from_block, text_section
from .common import MD_LINK, find_date, split_blocks

H2 = re.compile(r"^##\s+(?!#)")
NUMBERED = re.compile(r"^##\s*(\d+\s*\.\s*)?")

# What :meth:`BlogReader.detect` counts, over "\n" + text: every line start then follows
# a newline, so each pattern starts with a literal and the scan jumps from one "\n##"
# to the next. ``(?m)^##…`` tried a match at every character of the file: detecting
# the format cost 3.4 ms for an 88 KB file, more than reading it.
# every pattern stays on its line ([^…\n], [ \t]): one that could run past a line end from every
# heading would take quadratic time on a file of unclosed headings (benchmarks/pathological.py)
_HEAD = re.compile(r"\n##[ \t]+(?:\d+\.[ \t]*)?(?:\[[^\]\n]+\]\([^)\n]+\)|[^\n#]+)$", re.M)
_LINKED_HEAD = re.compile(r"\n##[ \t].*\]\(https?://[^)\n]*(?:huggingface\.co/papers|arxiv\.org)[^)\n]*\)")
_NUMBERED_HEAD = re.compile(r"\n##[ \t]+\d+[ \t]*\.")
_TAGGED_HEAD = re.compile(r"\n#{2,3}[ \t].*`[^`\n]+`[ \t]*$", re.M)
_MDX_IMPORT = re.compile(r"\nimport \w+ from '", re.I)
_BLOG_WORDS = re.compile(r"papers (review|summary)", re.I)
_OTHER_FORMAT = re.compile(r"\n##[ \t]+\d{4}\.\d{4,5}[ \t]*$|\n###[ \t]+\[", re.M)  # structured summary, daily digest


@register_reader
class BlogReader:
    name = "blog"

    def detect(self, text: str) -> float:
        lines = "\n" + text
        if not _HEAD.search(lines) or _OTHER_FORMAT.search(lines):
            return 0.0  # no post headings, or a structured summary / daily digest, which own these
        score = sum(len(rx.findall(lines)) for rx in (_LINKED_HEAD, _NUMBERED_HEAD, _TAGGED_HEAD))
        if _MDX_IMPORT.search(lines) or _BLOG_WORDS.search(text):
            score += 5
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
        return res


def _strip_tags(s: str) -> str:
    return re.sub(r"`[^`]*`", "", s).strip()
