"""Which parts of a document review which paper: anchors, citations, units, accounting.

Every arXiv id in a document is an *occurrence* at a line. An occurrence is an
**anchor** when it stands where a review names its own paper:

* a heading, a card's heading, a table row, or the lead line of a list item whose
  link text is a title (``1. [Title](…)``): these are *head* anchors of that unit;
* a labelled link or line anywhere (``[논문 링크](…)``, ``[paper](…)``, ``링크: …``,
  ``**ArXiv ID**: …``, a bare URL on its own line), the document's preamble, or the
  front matter: these say which paper the surrounding unit is about, but title nothing.

Every other occurrence (running text, "related / similar papers" sections) is a
**citation**; ids in HTML comments are *skipped* (not review text).

A **unit** is then chosen top-down (:func:`choose_units`): a section, item, row or
card with a head anchor is the unit of that paper (ids below it are its citations);
otherwise a node whose subtree holds exactly one anchored id, and no head anchor
below, is that paper's unit — so a one-paper note is its whole file, and a numbered
list of papers under one heading gives one unit per item. Units of the same id in one
document make one record.
"""
from __future__ import annotations

import functools
import re
from bisect import bisect_right
from dataclasses import dataclass, field
from itertools import accumulate

from .structure import UNIT_KINDS, Document, Node

__all__ = ["Occurrence", "find_ids", "id_offsets", "classify", "choose_units", "Unit", "RELATED", "PART_NAME", "role_of", "is_part_heading",
           "paper_title_like", "link_with"]

#: an arXiv id written as a link, an ``arXiv:`` reference, a front-matter field or a bare heading
ID_IN_TEXT = re.compile(
    r"(?:huggingface\.co/papers/|(?:alpha)?arxiv\.org/(?:abs|pdf|html)/|\barXiv(?:\s*:\s*|[ \t]+)|\barxiv_id\s*:\s*[\"']?|"
    r"10\.48550/arxiv\.)(\d{4}\.\d{4,5})(?:v\d+)?", re.I)
# The same ids, found fast: the tail before the id starts with one of a few characters, so
# the scan skips the rest of the text; the host is checked only where a tail matched
# (ID_IN_TEXT alone, case-insensitive, cost ~13 s of CPU over a 176 MB build).
_ID_TAIL = re.compile(r"(?:papers/|abs/|pdf/|html/|[Xx][Ii][Vv](?:\s*:\s*|\.|[ \t]+)|_[iI][dD]\s*:\s*[\"']?)(\d{4}\.\d{4,5})")
_ID_HOST = re.compile(r"(?:huggingface\.co/papers/|(?:alpha)?arxiv\.org/(?:abs|pdf|html)/|arxiv(?:\s*:\s*|[ \t]+)|"
                      r"arxiv_id\s*:\s*[\"']?|10\.48550/arxiv\.)$", re.I)
BARE_HEADING = re.compile(r"\n[ \t]*#{1,6}[ \t]*(\d{4}\.\d{4,5})(?:v\d+)?[ \t]*(?=\n|$)")


def id_offsets(text: str) -> list[tuple[str, int]]:
    """(arXiv id, offset) of every id the text names, in order (see ``ID_IN_TEXT``)."""
    out = []
    for m in _ID_TAIL.finditer(text):
        s = m.start(1)
        if _ID_HOST.search(text, max(0, s - 32), s):
            out.append((m.group(1), s))
    if "#" in text:
        out += [(m.group(1), m.start(1) - 1) for m in BARE_HEADING.finditer("\n" + text)]
        out.sort(key=lambda x: x[1])
    return out


#: after the URL, whatever comes first is a space or ``>``: the URL and the rest (a title, ``>``) never compete
#: for the same characters, so a link left open on a long line fails in linear time (``>?[^)]*`` was quadratic)
MD_LINK = re.compile(r"\[((?:[^\[\]]|\[[^\]]*\])*)\]\(\s*<?([^)\s>]*)(?:[\s>][^)]*)?\)")
LABEL_TEXT = re.compile(
    r"^[\W_]*(?:(?:the\s+)?papers?(?:\s*(?:link|링크|page|pdf))?|논문(?:\s*링크|\s*보기|\s*원문)?|"
    r"arxiv(?:\s*(?:id|link|page|paper|abs|pdf))?|pdf|abs|links?|링크|원문|download|here|여기|"
    r"full\s*(?:paper|text)|hf|hugging\s*face(?:\s*papers?)?|read\s*more|source|출처|html|abstract|doi|"
    r"(?:arxiv\s*[:.]?\s*)?\d{4}\.\d{4,5}(?:v\d+)?|https?://\S+)[\W_]*$", re.I)
LABEL_LINE = re.compile(
    r"^\s*(?:[-*+>]\s*)*(?:\*\*|__)?\s*(?:[📄🔗📎📑📜]\s*)?(?:papers?|논문|링크|links?|sources?|출처|"
    r"arxiv(?:\s*id)?|url|pdf|원문|abs|hf|doi)(?:\s*(?:link|링크|url|주소|page|원문|보기|id))?"
    r"\s*(?:\*\*|__)?\s*[:：]", re.I)
RELATED = re.compile(
    r"(related|similar|reference|bibliography|see also|further reading|citation|관련\s*(?:연구|논문|자료|글)|"
    r"유사|참고|레퍼런스|추천\s*논문|함께\s*보|이전\s*(?:논문|글))", re.I)
ROLE_WORDS = [
    ("limitation", ("한계", "limitation", "weakness", "단점")),
    ("future", ("후속", "future", "향후", "확장 방향")),
    ("experiment", ("experiment", "실험", "result", "결과", "performance", "evaluation", "평가", "성능",
                    "benchmark", "정량", "ablation")),
    ("method", ("method", "방법", "architecture", "아키텍처", "technical", "approach", "model", "모델",
                "학습 설정", "training", "framework", "구조", "proposed")),
    ("contribution", ("what's new", "whats new", "contribution", "기여", "제안", "key idea", "핵심 아이디어",
                      "참신", "novelty", "overview", "tl;dr", "tldr")),
    ("motivation", ("motivation", "동기", "problem", "문제", "introduction", "배경", "background", "서론")),
]
#: headings that name a part of a note, not the paper ("# Points", "# 요약")
PART_NAME = re.compile(r"^\W*(points?|summary|요약|정리|abstract|notes?|메모|review|리뷰|overview|tl;?dr|"
                       r"introduction|contents|목차|metadata|메타데이터|links?|링크|url|references?|info|정보|"
                       r"papers?|논문(?:\s*정보)?|paper\s*info)\W*$", re.I)
TAGS = re.compile(r"<[^<>\n]*>")  # no ``<`` inside: a line of unclosed tags stays linear
_LEAD_JUNK = re.compile(r"^[\s\d.)*_#>\[\]|:-]*$")


@dataclass(slots=True)
class Occurrence:
    """One arXiv id at one line, and what its place makes of it."""

    paper: str
    line: int
    role: str = "citation"      # head | lead | anchor | citation | front | comment
    head: Node | None = None    # the unit it titles (roles "head" and "lead")
    path: list = field(default_factory=list)
    fallback: str = "citation"  # a lead's role when its section is not one of a series


@dataclass(slots=True)
class Unit:
    node: Node
    paper: str


def role_of(name: str) -> str:
    """Section role from a heading or label name (``body`` when nothing matches).

    >>> role_of("## 4. 실험 설정"), role_of("Technical Details"), role_of("요약")
    ('experiment', 'method', 'body')
    """
    low = name.lower()
    for role, words in ROLE_WORDS:
        if any(w in low for w in words):
            return role
    return "body"


def find_ids(doc: Document) -> list[Occurrence]:
    """Every arXiv id occurrence of the document, in order."""
    starts = [0, *accumulate(len(ln) + 1 for ln in doc.lines)]
    return [Occurrence(pid, bisect_right(starts, off)) for pid, off in id_offsets("\n".join(doc.lines))]


def _path(root: Node, line: int) -> list[Node]:
    path, node = [root], root
    while True:
        nxt = None
        for ch in node.children:
            if ch.start <= line <= ch.end:
                nxt = ch
                if ch.kind != "html":
                    break
            elif ch.start > line:
                break
        if nxt is None:
            return path
        path.append(nxt)
        node = nxt


def classify(doc: Document, occ: list[Occurrence]) -> None:
    """Give each occurrence its role (see the module docstring)."""
    first_section = next((c.start for c in doc.root.children if c.kind == "section"), None)
    related: dict[int, bool] = {}  # section node → whether it names related work (once per node, not per id)

    def names_related(n: Node) -> bool:
        if id(n) not in related:
            related[id(n)] = bool(RELATED.search(n.text or ""))
        return related[id(n)]
    for o in occ:
        o.path = path = _path(doc.root, o.line)
        kinds = [n.kind for n in path]
        line = doc.lines[o.line - 1] if o.line - 1 < len(doc.lines) else ""
        if "comment" in kinds:
            o.role = "comment"
        elif "front_matter" in kinds:
            o.role = "front"
        elif any(n.kind == "section" and n.start != o.line and names_related(n) for n in path):
            o.role = "citation"
        elif (h := _head_of(path, o, line)) is not None:
            o.role, o.head = "head", h
        elif (sec := _lead_of(path, o)) is not None:
            o.role, o.head = "lead", sec
            o.fallback = "anchor" if _labelled(line, o.paper) or _alone(line, o.paper) else "citation"
        elif _labelled(line, o.paper) or "fence" not in kinds and _alone(line, o.paper) or _in_item_lead(path, o):
            o.role = "anchor"
        elif len(path) >= 2 and path[1].kind in ("paragraph", "quote", "html") and (
                first_section is None or o.line < first_section):
            o.role = "anchor"  # the document's preamble names its paper
        else:
            o.role = "citation"


def _head_of(path: list[Node], o: Occurrence, line: str) -> Node | None:
    """The unit node this occurrence titles, if it stands in a title position."""
    leaf = path[-1]
    if leaf.kind == "heading" and len(path) >= 2 and path[-2].kind == "section":
        sec = path[-2]
        if len(path) >= 3 and path[-3].kind == "card" and path[-3].children and _first_heading(path[-3]) is sec:
            return path[-3]
        return sec
    for n in reversed(path):
        if n.kind == "row" and not n.attrs.get("header"):
            return n
    if leaf.kind in ("item", "card") and o.line == leaf.start and o.paper in _html_links_by_paper(line):
        return leaf  # <li><a href="…">Title</a> …, <div class="paper"><a href="…">
    if leaf.kind == "paragraph" and len(path) >= 2 and path[-2].kind == "item":
        item = path[-2]
        if item.children and item.children[0] is leaf and o.line == leaf.start and _title_link(line, o.paper):
            return item
    return None


@functools.lru_cache(maxsize=1024)
def is_part_heading(text: str) -> bool:
    """A heading that names a part of a review ("## 4. 실험 결과", "## 📋 Metadata"),
    not a paper: a part name, or three words or fewer with a section-role word.
    Cached: each id under a heading asks about the same heading, and a heading may be a
    line of thousands of links."""
    name = re.sub(r"[^\w\s.:;,'’-]", " ", TAGS.sub(" ", text or "")).strip()
    name = re.sub(r"^\d{1,3}\s*[.)]\s*", "", name)
    return bool(PART_NAME.match(name) or len(name.split()) <= 3 and role_of(name) != "body")


def paper_title_like(text: str) -> bool:
    """A heading shaped like a paper's title: "Name: subtitle", four words or more, or a
    single name-shaped token (VLA-RFT, LLaMA-3) — not "느낀 점", "Thoughts", "정리"."""
    name = re.sub(r"^\d{1,3}\s*[.)]\s*", "", TAGS.sub(" ", text or "")).strip(" #*_")
    if is_part_heading(name):
        return False
    if re.search(r"\w\s*:\s*\w", name) or len(name.split()) >= 4:
        return True
    return bool(re.fullmatch(r"[A-Z][\w.+-]*[A-Z0-9][\w.+-]*", name))


def _lead_of(path: list[Node], o: Occurrence) -> Node | None:
    """The section whose first line of text this id is ("## Owl\\nhttps://…",
    "## Owl\\n### subtitle\\nhttps://…", "## Owl\\nSee https://… — …"), unless its
    heading names a part of a review."""
    if len(path) < 3 or path[-1].start != o.line or path[-2].kind != "section" or _first_block(path[-2]) is not path[-1]:
        return None
    i = len(path) - 2
    if i >= 2 and path[i - 1].kind == "section" and _first_block(path[i - 1]) is path[i]:
        i -= 1  # "## Title" then "### subtitle": the id opens the outer section
    sec = path[i]
    return None if is_part_heading(sec.text) else sec


def _first_block(sec: Node) -> Node | None:
    return next((c for c in sec.children[1:] if c.kind not in ("html", "comment", "hr")), None)


def _first_heading(card: Node) -> Node | None:
    for ch in card.children:
        if ch.kind == "section":
            return ch
        if ch.kind == "card":
            continue
        if ch.kind not in ("html", "comment", "hr"):
            return None
    return None


def link_with(line: str, paper: str):
    """The markdown link on ``line`` whose URL (or text) holds ``paper``, if any."""
    return _links_by_paper(line).get(paper)


_ID_LIKE = re.compile(r"\d{4}\.\d{4,5}")


@functools.lru_cache(maxsize=256)
def _links_by_paper(line: str) -> dict:
    """Each arXiv-id-like string of ``line``'s markdown links → the first link holding it.
    Once per line, not per occurrence: a line of thousands of links would otherwise be
    scanned once for each of them."""
    out: dict = {}
    for m in MD_LINK.finditer(line):
        for g in (m.group(2), m.group(1)):
            for t in _ID_LIKE.findall(g):
                out.setdefault(t, m)
                out.setdefault(t[:9], m)  # an old 4-digit id is a prefix of a 5-digit one
    return out


#: an HTML link: its href (1) and, when the tag closes on the line, its text (2); no part
#: of it crosses a ``<``, so a line of unclosed tags is read in linear time
_HTML_LINK = re.compile(r"<a\s[^<>]*?href=[\"']?([^\"'<>\s]*)[^<>]*(?:>([^<]*)<)?")


@functools.lru_cache(maxsize=256)
def _html_links_by_paper(line: str) -> dict:
    """Each arXiv-id-like string in the ``href`` of ``line``'s HTML links → the first link
    holding it; once per line (a line of thousands of ``<a href>`` would otherwise be
    searched once per id)."""
    out: dict = {}
    for m in _HTML_LINK.finditer(line):
        for t in _ID_LIKE.findall(m.group(1)):
            out.setdefault(t, m)
            out.setdefault(t[:9], m)
    return out


def _labelled(line: str, paper: str) -> bool:
    if LABEL_LINE.match(line):
        return True
    m = link_with(line, paper)
    return bool(m and LABEL_TEXT.match(m.group(1).strip("*_` ")))


def _alone(line: str, paper: str) -> bool:
    """A bare URL that is the whole line, bar markup and emoji (a titled link is not:
    notes quote the papers they cite that way)."""
    return _bare_url_line(line)


@functools.lru_cache(maxsize=256)
def _bare_url_line(line: str) -> bool:
    if "](" in line:
        return False
    return not re.search(r"[^\W_]", re.sub(r"<?https?://\S+>?", "", line))


def _title_link(line: str, paper: str) -> bool:
    """The item's lead starts with a link whose text is a title (not a label):
    ``1. [Title](…)``, ``- **[Title](…)**``, ``1. <a href="…">Title</a>``."""
    m, text = link_with(line, paper), 1
    if m is None:
        m, text = _html_links_by_paper(line).get(paper), 2
    if not m or m.group(text) is None or LABEL_TEXT.match(m.group(text).strip("*_` ")):
        return False
    return bool(_LEAD_JUNK.match(line[: m.start()]))


def _in_item_lead(path: list[Node], o: Occurrence) -> bool:
    """At the end of a list item's first line ("- Title — https://arxiv.org/abs/…",
    "- Title (arXiv 2401.00001)"), or right after its bold title, before any sentence
    ("1. **Tern** (arXiv 2511.02020) by Meta FAIR. …"): the line that titles the item names its paper."""
    leaf = path[-1]
    if not (leaf.kind == "paragraph" and len(path) >= 2 and path[-2].kind == "item"
            and path[-2].children[0] is leaf and o.line == leaf.start):
        return False
    line, w = _last_word_gap(leaf.text)
    # the id ends the line (a link in a sentence is a citation): some occurrence of it runs
    # into the line's last word, i.e. ends after the last space before the last letter
    if line.find(o.paper, max(0, w + 1 - len(o.paper))) >= 0:
        return True
    # or it follows the item's bold title before any sentence: "**Tern** (arXiv 2511.02020) by …"
    b = BOLD_LEAD.match(line)
    at = line.find(o.paper)
    return bool(b) and at > b.end() and at - b.end() <= 80 and not SENTENCE_END.search(line, b.end(), at)


#: a line that opens with a bold title (after list marks or a number)
BOLD_LEAD = re.compile(r"^[\s\d.)]*(?:\*\*|__)(?=\S)[^*_\n]{1,120}?(?:\*\*|__)")
SENTENCE_END = re.compile(r"[.!?。](?:\s|$)")


@functools.lru_cache(maxsize=256)
def _last_word_gap(text: str) -> tuple[str, int]:
    """The first line of ``text`` and the place of the last space before its last letter
    or digit (-1 if none); once per node, not per id on its first line."""
    line = text.split("\n", 1)[0]
    k = next((i for i in range(len(line) - 1, -1, -1) if line[i].isalnum()), -1)
    return line, next((i for i in range(k, -1, -1) if line[i].isspace()), -1)


#: a list item that starts with a bold title or a titled link: one of a list of papers
TITLED_LEAD = re.compile(r"^\s*(?:\*\*|__|\[(?!\[))")
NUMBERED_HEAD = re.compile(r"^\s*(?:#{1,6}\s*)?\d{1,3}\s*[.)]")


def _numbered_series(node: Node, anchored: dict) -> bool:
    """The node's id sits in one of two or more numbered sibling sections
    (``## 1. …``, ``## 2. …``) or items of an ordered list that start with a bold or
    linked title: a list of papers, of which only some are linked."""
    while node is not None:
        secs = [c for c in node.children if c.kind == "section" and NUMBERED_HEAD.match(c.text or "")]
        if node.kind == "list" and node.attrs.get("ordered"):
            secs = [c for c in node.children if c.kind == "item" and c.children and TITLED_LEAD.match(
                c.children[0].text or "")]
        if len(secs) >= 2 and any(id(c) in anchored for c in secs):
            return True
        node = next((c for c in node.children if id(c) in anchored), None)
    return False


def _settle_leads(occ: list[Occurrence]) -> None:
    """A section opened by an id is a paper when it is one of a series: a sibling
    section is opened by another id, or is titled like a paper too (not a part name),
    and no id names the whole document (preamble, front matter). Otherwise it is a
    note's sub-section citing a paper."""
    whole = any(o.role == "front" or o.role == "anchor" and not any(n.kind == "section" for n in o.path)
                for o in occ)
    by_parent: dict[int, set[str]] = {}
    for o in occ:
        if o.role == "lead":
            by_parent.setdefault(id(_parent(o)), set()).add(o.paper)
    for o in occ:
        if o.role != "lead":
            continue
        parent = _parent(o)
        titled = [c for c in parent.children if c.kind == "section" and c.level == o.head.level
                  and c is not o.head and paper_title_like(c.text)]
        o.role = "head" if not whole and (len(by_parent[id(parent)]) >= 2 or titled) else o.fallback


def _parent(o: Occurrence) -> Node:
    return o.path[o.path.index(o.head) - 1]


def choose_units(root: Node, occ: list[Occurrence]) -> list[Unit]:
    """The units of the document, in order (one paper each; see the module docstring)."""
    anchored: dict[int, list[str]] = {}   # id(node) -> distinct anchored ids in its subtree
    heads: dict[int, list[str]] = {}      # id(node) -> ids it is titled with
    head_below: set[int] = set()
    _settle_leads(occ)
    counted = [o for o in occ if o.role in ("head", "anchor")]
    if not counted and not any(o.role == "front" for o in occ):
        counted = [o for o in occ if o.role == "citation"]  # nothing in a title position:
        for o in counted:                                    # every id in running text may be one
            o.role = "anchor"
    for o in occ:
        if o.role == "front":  # names the document, not its front-matter block
            counted.append(Occurrence(o.paper, o.line, "anchor", path=o.path[:1]))
    for o in counted:
        for n in o.path:
            ids = anchored.setdefault(id(n), [])
            if o.paper not in ids:
                ids.append(o.paper)
        if o.role == "head":
            hs = heads.setdefault(id(o.head), [])
            if o.paper not in hs:
                hs.append(o.paper)
            for n in o.path:
                if n is o.head:
                    break
                head_below.add(id(n))
    units: list[Unit] = []

    def visit(node: Node) -> None:
        if node.kind in UNIT_KINDS and heads.get(id(node)):
            units.append(Unit(node, heads[id(node)][0]))
            return
        ids = anchored.get(id(node))
        if not ids:
            return
        if len(ids) == 1 and id(node) not in head_below and not _numbered_series(node, anchored):
            units.append(Unit(node, ids[0]))
            return
        before = len(units)
        for ch in node.children:
            visit(ch)
        if len(units) == before:  # several ids in one leaf: the first is its paper
            units.append(Unit(node, ids[0]))

    visit(root)
    return _same_kind(units, counted)


def _same_kind(units: list[Unit], counted: list[Occurrence]) -> list[Unit]:
    """Papers of one document come in one kind of unit: where most are list items (or
    rows, cards, sections), a unit of another kind — a category section holding a single
    item — narrows to the node of that kind holding its paper's ids."""
    kinds: dict[str, int] = {}
    for u in units:
        kinds[u.node.kind] = kinds.get(u.node.kind, 0) + 1
    kind = max(kinds, key=kinds.get) if kinds else None
    if kind not in UNIT_KINDS or kinds[kind] < 2:
        return units
    out = []
    for u in units:
        if u.node.kind != kind:
            occs = [o for o in counted if o.paper == u.paper and u.node in o.path]
            below = occs[0].path[occs[0].path.index(u.node) + 1:] if occs else []
            inner = next((n for n in below if n.kind == kind), None)
            if inner is not None and all(inner in o.path for o in occs):
                u = Unit(inner, u.paper)
        out.append(u)
    return out
