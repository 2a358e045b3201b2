"""Helpers shared by the format readers: decoding, arXiv links, blocks, dates."""
from __future__ import annotations

import os
import re
from dataclasses import dataclass

__all__ = [
    "ARXIV_LINK", "MAX_BYTES", "ReadError", "decode_bytes", "find_arxiv",
    "Block", "split_blocks", "find_date", "strip_markdown_links", "clean_title",
]

#: huggingface.co/papers/ID, arxiv.org/abs|pdf/ID, with or without vN / .pdf
ARXIV_LINK = re.compile(
    r"(?:huggingface\.co/papers/|arxiv\.org/(?:abs|pdf|html)/)(\d{4}\.\d{4,5})(?:v\d+)?",
    re.IGNORECASE,
)
BARE_ID = re.compile(r"^\s*#{1,6}\s*(\d{4}\.\d{4,5})(?:v\d+)?\s*$")
MD_LINK = re.compile(r"!?\[([^\]]*)\]\(([^)\s]*)\)")
DATE_ISO = re.compile(r"(20\d\d)[-./](0[1-9]|1[0-2])[-./](0[1-9]|[12]\d|3[01])")
DATE_COMPACT = re.compile(r"(20\d\d)(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])")
MAX_BYTES = 64 * 1024 * 1024


class ReadError(Exception):
    """A file that cannot be read at all (missing, binary, too big)."""


def decode_bytes(data: bytes, path: str) -> tuple[str, str, list[str]]:
    """Decode review bytes: UTF-8, then cp949 (EUC-KR superset), then UTF-8 with
    replacement. Returns (text, encoding, warnings). Binary data is refused,
    because it would only produce garbage records."""
    if b"\x00" in data[:8192]:
        raise ReadError(f"{path}: binary file (NUL bytes), not a review document")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8"), "utf-8", []
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        first_bad = line
    try:
        return data.decode("cp949"), "cp949", [f"{path}:{first_bad}: not UTF-8; decoded as cp949"]
    except UnicodeDecodeError:
        text = data.decode("utf-8", errors="replace")
        return text, "utf-8-replace", [
            f"{path}:{first_bad}: invalid UTF-8; undecodable bytes replaced with U+FFFD"]


def read_text(path: str) -> tuple[str, str, list[str]]:
    size = os.path.getsize(path)
    if size > MAX_BYTES:
        raise ReadError(f"{path}: {size} bytes is over the {MAX_BYTES}-byte limit for one review file")
    with open(path, "rb") as fh:
        data = fh.read()
    return decode_bytes(data, path)


def find_arxiv(text: str) -> tuple[str, str] | None:
    """First arXiv id in ``text`` and the URL-ish match around it."""
    m = ARXIV_LINK.search(text)
    if not m:
        return None
    start = text.rfind("http", 0, m.start())
    url = text[start if start >= 0 and m.start() - start < 12 else m.start(): m.end()]
    if not url.startswith("http"):
        url = "https://" + url
    return m.group(1), url


@dataclass
class Block:
    """Lines of one candidate paper block; ``start`` is the 1-based heading line."""

    start: int
    lines: list[str]

    @property
    def end(self) -> int:
        return self.start + len(self.lines) - 1

    @property
    def heading(self) -> str:
        return self.lines[0] if self.lines else ""

    def body(self, skip: int = 1) -> list[tuple[int, str]]:
        return [(self.start + i, ln) for i, ln in enumerate(self.lines) if i >= skip]


def split_blocks(lines: list[str], is_heading, fence_aware: bool = True) -> tuple[list[str], list[Block]]:
    """Split ``lines`` at lines where ``is_heading(line)`` holds.

    Returns the preamble (lines before the first heading) and the blocks.
    Headings inside ``` fences are ignored when ``fence_aware`` (the
    7-section format nests ``## 1.`` headings inside fenced summaries).
    """
    pre: list[str] = []
    blocks: list[Block] = []
    in_fence = False
    for i, line in enumerate(lines, 1):
        if line.lstrip().startswith("```"):
            in_fence = not in_fence
        if (not in_fence or not fence_aware) and is_heading(line):
            blocks.append(Block(i, [line]))
        elif blocks:
            blocks[-1].lines.append(line)
        else:
            pre.append(line)
    return pre, blocks


def find_date(text: str, path: str) -> str | None:
    """Review date: an ISO date in the document's first lines, else in the file name."""
    head = "\n".join(text.splitlines()[:15])
    m = DATE_ISO.search(head)
    if m:
        return "-".join(m.groups())
    name = os.path.basename(path)
    m = DATE_ISO.search(name) or DATE_COMPACT.search(name)
    if m:
        return "-".join(m.groups())
    return None


def strip_markdown_links(text: str) -> str:
    """``[text](url)`` → ``text``; images and bare URLs dropped."""
    text = MD_LINK.sub(lambda m: "" if m.group(0).startswith("!") else m.group(1), text)
    return re.sub(r"https?://\S+", "", text)


def clean_title(title: str) -> str:
    title = strip_markdown_links(title)
    title = re.sub(r"`[^`]*`", "", title)
    title = re.sub(r"\s+", " ", title.replace("\n", " "))
    return title.strip(" #*\"'“”‘’")
