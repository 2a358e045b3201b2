"""7-section summaries: ``## <arxiv id>`` blocks whose summary has sections
1-7 as ``## N. name`` inside a fence or as ``**N. name**`` bold headings."""
from __future__ import annotations

import re

from ..model import DocumentResult
from . import register_reader
from .blocks import add, record_from_block, text_section
from .common import find_date, split_blocks

ID_HEAD = re.compile(r"^##\s+\d{4}\.\d{4,5}(?:v\d+)?\s*$")
SECTION_HEAD = re.compile(r"^\s*(?:#{2,4}\s*|\*\*)\s*(?:(\d)\.\s*)?([^*#\n]{2,40}?)\s*(?:\*\*)?\s*:?\s*$")
ROLE_WORDS = [("핵심 동기", "motivation"), ("문제 정의", "motivation"), ("기여", "contribution"),
              ("참신", "contribution"), ("아키텍처", "method"), ("학습 설정", "method"),
              ("실험", "experiment"), ("정량", "experiment"), ("결과", "experiment"),
              ("한계", "limitation"), ("후속", "future"), ("확장", "future")]
ROLE_BY_NUMBER = {"1": "motivation", "2": "contribution", "3": "method", "4": "experiment",
                  "5": "experiment", "6": "limitation", "7": "future"}
TITLE_LINE = re.compile(r"^\s*#\s+(?:논문\s*요약\s*:\s*)?(.+?)\s*$")
QUOTED = re.compile(r"[\"“]([^\"”]{3,300})[\"”]")


def _role(number: str | None, name: str) -> str | None:
    for word, role in ROLE_WORDS:
        if word in name:
            return role
    return ROLE_BY_NUMBER.get(number or "")


@register_reader
class StructuredSummaryReader:
    name = "structured_summary"

    def detect(self, text: str) -> float:
        n = len(re.findall(r"(?m)^##\s+\d{4}\.\d{4,5}(?:v\d+)?\s*$", text))
        return 3 * n + (5 if n and "Summary" in text else 0)

    def read(self, text: str, path: str) -> DocumentResult:
        res = DocumentResult(path=path, format=self.name)
        date = find_date(text, path)
        _, blocks = split_blocks(text.splitlines(), ID_HEAD.match)
        for block in blocks:
            title, groups = "", [("intro", "body", [])]
            for n, line in block.body():
                s = line.strip()
                if s.startswith("```") or s.startswith("🔗") or s in ("---", "**Summary**:"):
                    continue
                if not title and (t := TITLE_LINE.match(line)):
                    title = t.group(1)
                    continue
                h = SECTION_HEAD.match(line)
                role = _role(h.group(1), h.group(2)) if h else None
                if role:
                    groups.append((h.group(2).strip(), role, []))
                    continue
                if not title and (q := QUOTED.search(line)):
                    title = q.group(1)
                groups[-1][2].append((n, line))
            title = re.sub(r"^논문\s*요약\s*:\s*", "", title).strip().strip("\"“”")
            sections = [text_section("title", "title", [(block.start, title)])] if title else []
            sections += [text_section(name, role, lines) for name, role, lines in groups]
            add(res, record_from_block(block, title=title, link_text=block.heading + "\n" + "\n".join(block.lines[:4]),
                                       fmt=self.name, path=path, date=date,
                                       sections=[s for s in sections if s],
                                       fallback_id=block.heading.lstrip("#").strip().split("v")[0]))
        return res
