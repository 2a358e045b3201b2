"""A review document's block structure, read with a real markdown parser.

markdown-it-py (the CommonMark parser MyST builds on) gives the blocks with their
source lines: headings, paragraphs, lists and items, tables and rows, block quotes,
fences and HTML blocks. HTML inside markdown (cards such as
``<div class="digest-item"><h3><a href=…>``) is parsed with the standard library's
:class:`html.parser.HTMLParser`, and its block elements join the same tree, so a
card is a node like a list item is. Headings then nest what follows them into
sections. Front matter and HTML comments become their own nodes, so that readers can
leave them out of record text.

Only block-level parsing runs (markdown-it's inline rule is off): readers find links
in the raw inline text, which keeps parsing at ~9 MB/s.

Examples
--------
>>> doc = parse("# T\\n\\n- [A](https://arxiv.org/abs/2501.00001)\\n- b\\n")
>>> [(n.kind, n.start, n.end) for n in doc.walk()][:4]
[('document', 1, 4), ('section', 1, 4), ('heading', 1, 1), ('list', 3, 4)]
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

__all__ = ["Node", "Document", "parse", "normalise_newlines"]

#: kinds a review's paper record can be (the "units" of ANNOTATION.md)
UNIT_KINDS = frozenset({"section", "item", "row", "card"})

_MD_KIND = {"paragraph_open": "paragraph", "heading_open": "heading", "bullet_list_open": "list",
            "ordered_list_open": "list", "list_item_open": "item", "blockquote_open": "quote",
            "table_open": "table", "tr_open": "row", "th_open": "cell", "td_open": "cell"}
_TRANSPARENT = {"thead_open", "tbody_open"}
_HTML_BOX = {"div": "card", "section": "card", "article": "card", "details": "card", "li": "item",
             "tr": "row", "td": "cell", "th": "cell", "table": "table", "ul": "list", "ol": "list",
             "blockquote": "quote", "p": "paragraph", "h1": "heading", "h2": "heading",
             "h3": "heading", "h4": "heading", "h5": "heading", "h6": "heading", "summary": "heading"}
MAX_DEPTH = 64  # HTML boxes nested deeper than this are read as text (no unbounded recursion)
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})(.*)$")
_md = None


def _parser():
    global _md
    if _md is None:
        from markdown_it import MarkdownIt
        _md = MarkdownIt("commonmark", {"html": True}).enable("table").disable("inline")
    return _md


@dataclass(slots=True, eq=False)
class Node:
    """One block of a document. ``start``/``end`` are 1-based source lines (inclusive)."""

    kind: str
    start: int
    end: int
    children: list["Node"] = field(default_factory=list)
    level: int = 0
    text: str = ""
    tag: str = ""
    attrs: dict = field(default_factory=dict)

    def walk(self):
        """This node and every descendant, in document order."""
        stack = [self]
        while stack:
            n = stack.pop()
            yield n
            stack.extend(reversed(n.children))


@dataclass(slots=True)
class Document:
    """The parsed document: its lines, the tree, and what the parse repaired."""

    lines: list[str]
    root: Node
    front_matter: dict[str, str]
    warnings: list[str]

    def walk(self):
        return self.root.walk()


def normalise_newlines(text: str) -> str:
    """markdown-it's own newline rule (CRLF and CR are LF), so that lines agree with it."""
    return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text


def parse(text: str) -> Document:
    """Parse ``text`` into a :class:`Document` (never raises on content)."""
    text = normalise_newlines(text)
    lines = text.split("\n")
    warnings: list[str] = []
    fm_end, fm = _front_matter(lines)
    body_lines = [""] * fm_end + lines[fm_end:]
    _close_open_fence(body_lines, warnings)
    tokens = _parser().parse("\n".join(body_lines))
    root = Node("document", 1, max(len(lines) - (lines[-1] == ""), 1))
    if fm_end:
        root.children.append(Node("front_matter", 1, fm_end, attrs=fm))
    _build(tokens, root, lines)
    _reattach_indented(root, lines)
    _sectionise(root)
    return Document(lines, root, fm, warnings)


def _front_matter(lines: list[str]) -> tuple[int, dict[str, str]]:
    """YAML front matter (``---`` … ``---``): its last line and its top-level scalar keys."""
    if not lines or lines[0].strip() != "---":
        return 0, {}
    for i in range(1, min(len(lines), 400)):
        if lines[i].strip() in ("---", "..."):
            fm: dict[str, str] = {}
            for ln in lines[1:i]:
                m = re.match(r"^([A-Za-z_][\w-]*)\s*:\s*(.*?)\s*$", ln)
                if m:
                    fm[m.group(1).lower()] = m.group(2).strip().strip("\"'")
            return i + 1, fm
    return 0, {}


def _close_open_fence(lines: list[str], warnings: list[str]) -> None:
    """A fence never closed runs to the end of the file in CommonMark and would
    swallow every later paper; read its opening line as text instead."""
    open_at, marker = None, ""
    for i, ln in enumerate(lines):
        m = _FENCE.match(ln)
        if not m:
            continue
        if open_at is None:
            if m.group(1)[0] == "`" and "`" in m.group(2):
                continue
            open_at, marker = i, m.group(1)
        elif m.group(1)[0] == marker[0] and len(m.group(1)) >= len(marker) and not m.group(2).strip():
            open_at = None
    if open_at is not None:
        warnings.append(f"{open_at + 1}: code fence {marker} is never closed; read as text")
        lines[open_at] = ""


def _build(tokens, root: Node, lines: list[str]) -> None:
    stack = [root]
    in_head = False
    for tok in tokens:
        if tok.type in ("thead_open", "thead_close"):
            in_head = tok.nesting == 1
        if tok.nesting == 1:
            if tok.type in _TRANSPARENT:
                stack.append(stack[-1])
                continue
            kind = _MD_KIND.get(tok.type, "block")
            s, e = (tok.map[0] + 1, tok.map[1]) if tok.map else (stack[-1].start, stack[-1].start)
            node = Node(kind, s, max(s, e), tag=tok.tag)
            if kind == "heading":
                node.level = int(tok.tag[1])
            if tok.type == "ordered_list_open":
                node.attrs["ordered"] = True
            elif kind == "row" and in_head:
                node.attrs["header"] = True
            stack[-1].children.append(node)
            stack.append(node)
        elif tok.nesting == -1:
            node = stack.pop()
            while node.kind.startswith("html:") and len(stack) > 1:  # HTML left open inside
                node = stack.pop()
        elif tok.type == "inline":
            stack[-1].text = tok.content
        elif tok.type in ("fence", "code_block"):
            s, e = tok.map[0] + 1, tok.map[1]
            stack[-1].children.append(Node("fence", s, max(s, e), text=tok.content, tag=tok.info.strip()))
        elif tok.type == "html_block":
            _html(tok, stack, lines)
        elif tok.type == "hr":
            stack[-1].children.append(Node("hr", tok.map[0] + 1, tok.map[0] + 1))
    while len(stack) > 1:
        stack.pop()


def _html(tok, stack: list[Node], lines: list[str]) -> None:
    """An HTML block: comments become ``comment`` nodes; block elements open and
    close nodes on the shared stack (a card's tags span several markdown blocks)."""
    s, e = tok.map[0] + 1, tok.map[1]
    content = tok.content
    if content.lstrip().startswith("<!--"):
        stack[-1].children.append(Node("comment", s, max(s, e)))
        return
    parent = stack[-1]
    leaf = Node("html", s, max(s, e), text=content)
    parent.children.append(leaf)
    events = _HtmlEvents(stack, s, leaf)
    events.feed_all(content)
    if events.boxes:  # its elements are nodes now; the raw block would only shadow them
        parent.children.remove(leaf)
        if leaf.attrs.get("links"):
            parent.attrs.setdefault("links", []).extend(leaf.attrs["links"])


class _HtmlEvents(HTMLParser):
    """Pushes HTML block elements onto the tree's stack; links land on the node they are in."""

    def __init__(self, stack: list[Node], first_line: int, leaf: Node):
        super().__init__(convert_charrefs=True)
        self.stack, self.first, self.leaf = stack, first_line, leaf
        self.boxes = 0

    def feed_all(self, content: str) -> None:
        try:
            self.feed(content)
            self.close()
        except Exception:  # malformed markup: the block stays a plain html leaf
            pass

    def _line(self) -> int:
        return self.first + self.getpos()[0] - 1

    def handle_starttag(self, tag, attrs):
        line = self._line()
        kind = _HTML_BOX.get(tag)
        top = self.stack[-1]
        if tag == "a":
            href = dict(attrs).get("href") or ""
            top.attrs.setdefault("links", []).append((href, line))
            return
        if tag == "th":
            for n in reversed(self.stack):
                if n.kind == "html:row":
                    n.attrs["header"] = True
                    break
        if kind is None or len(self.stack) > MAX_DEPTH:
            return  # deeper boxes stay text of the box they are in
        node = Node("html:" + kind, line, line, tag=tag, attrs={"class": dict(attrs).get("class") or ""})
        if kind == "heading":
            node.level = int(tag[1]) if tag[1:].isdigit() else 6
        top.children.append(node)
        self.stack.append(node)
        self.boxes += 1

    def handle_endtag(self, tag):
        if _HTML_BOX.get(tag) is None:
            return
        for i in range(len(self.stack) - 1, 0, -1):
            n = self.stack[i]
            if not n.kind.startswith("html:"):
                return  # never close past a markdown container
            if n.tag == tag:
                line = self._line()
                for m in self.stack[i:]:
                    m.end = max(m.end, line)
                del self.stack[i:]
                self.boxes += 1
                return

    def handle_data(self, data):
        top = self.stack[-1]
        if top.kind.startswith("html:") and data.strip():
            top.text += data


def _reattach_indented(node: Node, lines: list[str]) -> None:
    """Indented blocks right after a list belong to its last item. CommonMark wants the
    item's content indent ("10. " needs 4 spaces), but reviews indent sub-bullets by 2 or
    3 under every number, so item 10's sub-bullets would become a list of their own."""
    kept: list[Node] = []
    for ch in node.children:
        prev = kept[-1] if kept else None
        line = lines[ch.start - 1] if ch.start - 1 < len(lines) else ""
        if (prev is not None and prev.kind == "list" and prev.children and ch.kind in ("list", "paragraph")
                and line[:1] in (" ", "\t") and ch.start <= prev.end + 2):
            item = prev.children[-1]
            item.children.append(ch)
            item.end = prev.end = max(item.end, ch.end)
            continue
        kept.append(ch)
    node.children = kept
    for ch in node.children:
        _reattach_indented(ch, lines)


def _sectionise(node: Node) -> None:
    """Nest the blocks after each heading into a ``section`` (recursively), give HTML
    boxes their plain kinds, and stretch every node over its children's lines."""
    for ch in node.children:
        _sectionise(ch)
    if node.kind.startswith("html:"):
        node.kind = node.kind[5:]
    if node.children:
        node.end = max(node.end, max(c.end for c in node.children))
        node.children = _nest_headings(node.children, bold=node.kind != "item")


BOLD_LINE = re.compile(r"^\s*(?:\*\*|__)(?=\S)([^*_\n]{2,200}?)(?:\*\*|__)\s*:?\s*$")


def _nest_headings(children: list[Node], bold: bool = True) -> list[Node]:
    """Sections from headings; with ``bold``, a paragraph that is one bold line
    ("**Title**") heads what follows it too, below every markdown heading (not in
    list items, whose bold lead is the item's title)."""
    for c in children if bold else ():
        if c.kind == "paragraph" and c.start == c.end and (m := BOLD_LINE.match(c.text)):
            c.kind, c.level, c.text = "heading", 7, m.group(1)
    if not any(c.kind == "heading" for c in children):
        return children
    out: list[Node] = []
    stack: list[Node] = []  # open sections, outermost first
    for c in children:
        if c.kind == "heading" and c.level:
            while stack and stack[-1].level >= c.level:
                stack.pop()
            sec = Node("section", c.start, c.end, [c], level=c.level, text=c.text)
            (stack[-1].children if stack else out).append(sec)
            stack.append(sec)
        else:
            (stack[-1].children if stack else out).append(c)
        for s in stack:
            s.end = max(s.end, c.end)
    return out
