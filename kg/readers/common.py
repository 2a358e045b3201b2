"""Helpers shared by the format readers: decoding, arXiv links, blocks, dates."""
from __future__ import annotations

import os
import re
from dataclasses import dataclass

from ..chars import NOT_XML

__all__ = [
    "ARXIV_LINK", "MAX_BYTES", "ReadError", "decode_bytes", "special_file", "max_file_bytes", "read_text", "find_arxiv",
    "Block", "split_blocks", "find_date", "strip_markdown_links", "clean_title", "HTML_SUFFIXES", "html_page_as_review",
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
#: the largest review file read (``kg build --max-file-size``): far above any review (the biggest real
#: digest seen is ~2 MB); a bigger file is skipped with a warning, not read into memory
MAX_BYTES = 50 * 1024 * 1024
#: byte-order marks of the encodings told by them alone (UTF-32 before UTF-16: FF FE 00 00 starts both)
BOMS = ((b"\xff\xfe\x00\x00", "utf-32-le"), (b"\x00\x00\xfe\xff", "utf-32-be"),
        (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"))


class ReadError(Exception):
    """A file that cannot be read at all (missing, binary, too big)."""


def decode_bytes(data: bytes, path: str) -> tuple[str, str, list[str]]:
    """Decode review bytes: UTF-8, then cp949 (EUC-KR superset), then UTF-8 with
    replacement. Returns (text, encoding, warnings). Binary data is refused,
    because it would only produce garbage records."""
    for bom, enc in BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom):].decode(enc), enc, []
            except UnicodeDecodeError as err:
                return data[len(bom):].decode(enc, errors="replace"), enc + "-replace", [
                    f"{path}: invalid {enc.upper()} at byte {err.start + len(bom)}; replaced with U+FFFD"]
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


def max_file_bytes() -> int:
    """The size limit in force: ``KG_MAX_FILE_SIZE`` (set by ``kg build --max-file-size``), else :data:`MAX_BYTES`."""
    try:
        return int(os.environ.get("KG_MAX_FILE_SIZE", MAX_BYTES))
    except ValueError:
        return MAX_BYTES


def special_file(path: str) -> str | None:
    """Why ``path`` is not a file to read (None: a regular file). A FIFO would block the
    build forever and a device (``/dev/zero``) never ends, so only regular files are opened."""
    import stat
    try:
        mode = os.stat(path).st_mode
    except OSError as err:
        if os.path.islink(path):
            return "a symbolic link that leads nowhere (dangling or looping)"
        return err.strerror or str(err)
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        try:
            os.scandir(path).close()
        except OSError as err:
            return f"a folder that cannot be read ({err.strerror or err}): its reviews are not in the graph"
    kinds = ((stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a FIFO (named pipe)"), (stat.S_ISSOCK, "a socket"),
             (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"))
    return "not a regular file: " + next((what for test, what in kinds if test(mode)), "a special file")


def odd_characters(text: str, path: str) -> list[str]:
    """A warning for characters that XML 1.0 cannot carry, naming the first one's line."""
    m = NOT_XML.search(text)
    if not m:
        return []
    n = len(NOT_XML.findall(text))
    return [f"{path}:{text.count(chr(10), 0, m.start()) + 1}: {n} control or non-characters (first U+{ord(m.group()):04X}); "
            "graph.graphml shows them as U+FFFD, the other outputs keep them"]


def binary_ids(path: str) -> list[tuple[str, int]]:
    """(arXiv id, line) of every id in a file refused as binary, so that none is lost unreported."""
    try:
        with open(path, "rb") as fh:
            data = fh.read(max_file_bytes() + 1)[:max_file_bytes()]
    except OSError:
        return []
    text = data.decode("latin-1")
    seen: dict[str, int] = {}
    for m in ARXIV_LINK.finditer(text):
        seen.setdefault(m.group(1), text.count("\n", 0, m.start()) + 1)
    return list(seen.items())


def read_text(path: str, max_bytes: int | None = None) -> tuple[str, str, list[str]]:
    """The decoded text of a regular file of at most ``max_bytes`` (default :data:`MAX_BYTES`)."""
    limit = max_file_bytes() if max_bytes is None else max_bytes
    why = special_file(path)
    if why:
        raise ReadError(f"{path}: {why}; not read")
    # O_NONBLOCK: should the path have become a FIFO since the check, opening it does not wait
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    with os.fdopen(fd, "rb") as fh:
        size = os.fstat(fh.fileno()).st_size
        if size > limit:
            raise ReadError(f"{path}: {size} bytes is over the {limit}-byte limit for one review file "
                            "(--max-file-size); not read")
        data = fh.read(limit + 1)
    if len(data) > limit:
        raise ReadError(f"{path}: over the {limit}-byte limit for one review file (--max-file-size); not read")
    text, encoding, warnings = decode_bytes(data, path)
    return text, encoding, warnings + odd_characters(text, path)


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


#: review files that are web pages rather than markdown
HTML_SUFFIXES = (".html", ".htm")
#: page parts that are never review text: the head, scripts, styles, navigation, inline drawings
_NOT_TEXT = re.compile(r"<(head|script|style|noscript|template|svg|nav|footer)\b[^>]*>.*?</\1\s*>|<!DOCTYPE[^>]*>",
                       re.I | re.S)
_INDENT = re.compile(r"^[ \t]+", re.M)


def html_page_as_review(text: str) -> str:
    """A web page made ready for the structural reader, line for line.

    The reader parses HTML blocks inside markdown (:mod:`kg.readers.structure`), so
    a page is nearly one already. Two things differ: parts that are not text (head,
    scripts, styles, navigation) are emptied, and indentation is dropped, which in
    markdown would turn an indented paragraph of a page into a code block. Every
    removed part keeps its newlines, so line numbers still point into the page.

    >>> html_page_as_review("<html><head>\\n<title>x</title>\\n</head>\\n    <p>Owl</p>")
    '<html>\\n\\n\\n<p>Owl</p>'
    """
    text = _NOT_TEXT.sub(lambda m: "\n" * m.group().count("\n"), text)
    return _INDENT.sub("", text)
