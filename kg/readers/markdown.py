"""Any markdown / MDX / HTML-in-markdown review: the structural reader.

The document is parsed (:mod:`kg.readers.structure`), its arXiv ids are placed and
the units chosen (:mod:`kg.readers.units`), and each paper's units become one
:class:`~kg.model.PaperRecord` whose sections are the unit's sub-sections, with
roles from their names. Every id of the document is accounted for: a record, a
citation of a record (``PaperRecord.cites``, :class:`~kg.model.Citation`), or a
skipped entry with its reason and line.
"""
from __future__ import annotations

import os
import re

from ..model import Citation, DocumentResult, PaperRecord, Section, Skipped
from ..pipeline.orgs import affiliation_line, title_orgs
from . import register_reader
from .blocks import org_tags
from .common import DATE_COMPACT, DATE_ISO, clean_title, find_date
from .structure import Document, Node, parse
from .units import (ID_IN_TEXT, LABEL_TEXT, MD_LINK, NUMBERED_HEAD, PART_NAME, RELATED, TAGS, Occurrence,
                    choose_units, classify, find_ids, link_with, role_of)

__all__ = ["MarkdownReader", "read_structure", "role_of"]

ORG_LABEL = re.compile(r"^\s*(?:[-*+]\s*)?(?:\*\*|__)?\s*(?:기관|소속|연구\s*기관|affiliations?|organi[sz]ations?|orgs?|"
                       r"institutions?|labs?|company|회사)\s*(?:\*\*|__)?\s*[:：]\s*(.+?)\s*$", re.I)
AUTHOR_LABEL = re.compile(r"^\s*(?:[-*+]\s*)?(?:\*\*|__)?\s*(?:authors?|저자)\s*(?:\*\*|__)?\s*[:：]\s*(.+?)\s*$", re.I)
VOTES = re.compile(r"(?:👍|▲|⬆️?|upvotes?\s*:?|votes?\s*:)\s*(\d+)", re.I)
BOLD = re.compile(r"\*\*([^*]+)\*\*|__([^_]+)__")
NUMBER = re.compile(r"^\s*(?:\d+\s*[.)]\s*|#+\s*)")
PROSE_FENCE = {"", "markdown", "md", "text", "txt", "plain"}
#: sections that are a note's metadata or tag lists, not review prose (Obsidian and blog templates)
META_SECTION = re.compile(r"^\W*(?:metadata|메타\s*데이터|meta|front\s*matter|(?:categori[sz]ed\s*)?keywords?|"
                          r"카테고리화된\s*키워드|키워드|tags?|태그|categor(?:y|ies)|카테고리|분류)\W*$", re.I)
LINK_MD = re.compile(r"\[[^\]]*\]\([^)]*\)")
LINK_TAIL = re.compile(r"^[^\s\[]*\]\([^)]*\)")  # the rest of a link whose text was the title
WIKILINK = re.compile(r"\[\[([^\]|\n]*)(?:\|([^\]\n]*))?\]\]")
MATH_INLINE = re.compile(r"\$\$[^$\n]+\$\$|(?<![\\$\w])\$(?=\S)[^$\n]{1,300}?(?<=\S)\$(?![\w$])|\\\([^\n]*?\\\)")
#: TeX written without ``$``: a command (``\\in``, ``\\bar``) or a braced sub/superscript (``_{init}``)
BARE_TEX = re.compile(r"\\[A-Za-z]{1,12}\b|[_^]\{")
TEX_TOKEN = re.compile(r"(?<!\S)\S*?(?:\\[A-Za-z]{1,12}|[_^]\{|\\_)\S*")  # from a token start only: linear
HANGUL_WORD = re.compile(r"[\uAC00-\uD7A3]{2}|\b[a-z]{3,}\s+[a-z]{3,}\s+[a-z]{3,}\b")
NOT_PAPER_HOST = re.compile(r"https?://(?:www\.)?(?:github\.com|huggingface\.co/(?:blog|spaces|datasets|models)|"
                            r"youtube\.com|youtu\.be|twitter\.com|x\.com)", re.I)


@register_reader
class MarkdownReader:
    """The structural reader: any layout, found from the document's own structure."""

    name = "markdown"

    def detect(self, text: str) -> float:
        return 0.25 if ID_IN_TEXT.search(text) else 0.0

    def read(self, text: str, path: str) -> DocumentResult:
        return read_structure(text, path)


def read_structure(text: str, path: str, fmt: str = "markdown") -> DocumentResult:
    """Records, citations and skipped ids of one document, from its structure."""
    if "<tr" in text or "<TR" in text:
        text = join_table_rows(text)
    doc = parse(text)
    res = DocumentResult(path=path, format=fmt)
    res.warnings += [f"{path}:{w}" for w in doc.warnings]
    occ = find_ids(doc)
    classify(doc, occ)
    units = choose_units(doc.root, occ)
    excluded = _excluded_lines(doc)
    date = _date(doc, text, path)
    by_id: dict[str, list] = {}
    for u in units:
        by_id.setdefault(u.paper, []).append(u)
    records: dict[str, PaperRecord] = {}
    for paper, us in by_id.items():
        anchor = next((o for o in occ if o.paper == paper and o.role in ("head", "anchor")), None)
        rec = _record(doc, us, paper, path, date, excluded, fmt, anchor)
        records[paper] = rec
        res.records.append(rec)
        if len(us) > 1:
            res.warnings.append(f"{path}:{us[1].node.start}: paper {paper} also discussed at line "
                                f"{us[0].node.start}; its places are read as one record")
    res.records.sort(key=lambda r: r.line_start)
    _account(res, doc, occ, units, records, path)
    _skip_unlinked(res, doc, units, path)
    return res


def _record(doc: Document, units, paper: str, path: str, date, excluded: set[int], fmt: str,
            anchor: Occurrence | None) -> PaperRecord:
    sections: list[Section] = []
    orgs: list[str] = []
    authors: list[str] = []
    votes = None
    title = ""
    for u in units:
        t, secs = _unit_sections(doc, u.node, excluded, path, anchor)
        title = title or t
        sections += secs
        o, a, v = _fields(doc, u.node, excluded)
        orgs += [x for x in o if x not in orgs]
        authors = authors or a
        votes = votes if votes is not None else v
    fm_orgs, fm_authors = _front_matter_fields(doc, paper, units)
    orgs += [x for x in fm_orgs if x not in orgs]
    authors = authors or fm_authors
    first = units[0].node
    return PaperRecord(
        arxiv_id=paper, title=title or paper, url=f"https://arxiv.org/abs/{paper}", source=path,
        line_start=first.start, line_end=max(u.node.end for u in units), format=fmt, review_date=date,
        orgs=orgs, authors=authors, votes=votes, sections=sections)


def _unit_sections(doc: Document, node: Node, excluded: set[int], path: str,
                   anchor: Occurrence | None) -> tuple[str, list[Section]]:
    """(title, sections) of one unit: its title line, then its text cut at sub-headings."""
    lines = doc.lines
    title, title_line = _title(doc, node, path, anchor)
    label: dict[int, str] = {}
    for n in node.walk():
        if n.kind == "section" and n is not node and n.start != title_line:
            for ln in range(n.start, n.end + 1):
                label[ln] = _plain(n.text)
    affiliations = _affiliation_lines(doc, node, excluded)
    sections: list[Section] = []
    if title:
        sections.append(Section("title", "title", re.sub(r"`[^`]*`", "", title).strip(), title_line or node.start))
    cur_name: str | None = None
    cur: list[tuple[int, str]] = []

    def flush() -> None:
        if cur and any(t.strip() for _, t in cur):
            name = cur_name or "body"
            sections.append(Section(name, role_of(name) if cur_name else "body",
                                    "\n".join(t for _, t in cur), cur[0][0]))

    for ln in range(node.start, node.end + 1):
        if ln == title_line:
            rest = _after_title(lines[ln - 1] if ln - 1 < len(lines) else "", title)
            if rest:  # a table row or list item: the title and its description share the line
                cur.append((ln, rest))
            continue
        name = label.get(ln)
        if name != cur_name:
            flush()
            cur_name, cur = name, []
        raw = lines[ln - 1] if ln - 1 < len(lines) else ""
        if ln in excluded or ln in affiliations or ORG_LABEL.match(raw) or AUTHOR_LABEL.match(raw):
            raw = ""  # fields (기관:, Authors:) are the record's orgs and authors, not prose
        else:
            raw = prose_line(raw)
        cur.append((ln, raw))
    flush()
    return title, sections


def _after_title(raw: str, title: str) -> str:
    """What a title line says besides the title (``| **T** -- GoogleAI introduces T … |``),
    as prose; empty when that is only markup, links or a few words.

    >>> _after_title("| 1) **Muse: Text-To-Image** -- Google introduces Muse, a model. | [Paper](u) |", "Muse: Text-To-Image")
    '-- Google introduces Muse, a model.'
    >>> _after_title("## 3. [Muse](https://arxiv.org/abs/2301.00704)", "Muse")
    ''
    """
    at = raw.find(title) if title else -1
    rest = raw[at + len(title):] if at >= 0 else ""
    rest = LINK_MD.sub("", LINK_TAIL.sub("", rest))
    rest = re.sub(r"[\s|,;]+$", "", prose_line(rest).replace("**", "")).strip(" |*_")
    return rest if len(re.findall(r"\w+", rest)) >= 3 else ""


HTML_CELL = re.compile(r"<t[dh](?:\s[^<>]*)?>", re.I)
_HTML_ROW = re.compile(r"<tr\b.*?</tr\s*>", re.I | re.S)


def join_table_rows(text: str) -> str:
    """Each HTML table row on its first line, the lines it spanned left empty (line
    numbers stay): :func:`prose_line` then reads a row as a pipe row, cells kept apart.

    >>> join_table_rows("<tr>\\n<td>A</td>\\n<td>1</td></tr>\\nnext")
    '<tr> <td>A</td> <td>1</td></tr>\\n\\n\\nnext'
    """
    return _HTML_ROW.sub(lambda m: m.group().replace("\n", " ") + "\n" * m.group().count("\n"), text)


def prose_line(raw: str) -> str:
    """A line as prose: HTML tags dropped, Obsidian wikilinks to their label
    (``[[keywords/X|X]]`` → ``X``, ``[[notes/Y]]`` → ``Y``) and TeX math removed
    (``$W^Q$`` is notation, not a name).

    >>> prose_line("see [[keywords/Mamba|Mamba]] and $XW^Q$ with [[2025/Note]] on [[ViT-L/16]]")
    'see Mamba and   with Note on ViT-L/16'
    """
    if "<" in raw:
        if HTML_CELL.search(raw):  # an HTML table row (kept on one line by join_table_rows): a pipe row
            raw = "| " + TAGS.sub(" ", HTML_CELL.sub(" | ", raw)).strip().strip("|").strip() + " |"
        else:
            raw = TAGS.sub(" ", raw)
    if "[[" in raw:
        raw = WIKILINK.sub(lambda m: m.group(2) if m.group(2) is not None else _note_name(m.group(1)), raw)
    if "$" in raw or "\\(" in raw:
        raw = MATH_INLINE.sub(" ", raw)
    if "\\" in raw or "_{" in raw or "^{" in raw:
        raw = TEX_TOKEN.sub(" ", raw)  # ``s\\_{yN}``: notation inside a prose line
    return raw


def _note_name(target: str) -> str:
    """A wikilink's note without its folder (``notes/Mamba`` → ``Mamba``), unless what
    follows the slash is a number: then the slash is the name's (``ViT-L/16``, ``DiT-XL/2``)."""
    head, _, tail = target.rpartition("/")
    return tail if head and not tail.isdigit() else target


def _title(doc: Document, node: Node, path: str, anchor: Occurrence | None) -> tuple[str, int]:
    """The unit's title and its line (0: from the file name or front matter)."""
    lines = doc.lines
    if node.kind == "section":
        return _clean_head(node.text or lines[node.start - 1]), node.start
    if node.kind == "card":
        for n in node.walk():
            if n.kind == "heading":
                return _clean_head(n.text or TAGS.sub(" ", lines[n.start - 1])), n.start
    if node.kind == "item":
        return _lead_title(lines[node.start - 1]), node.start
    if node.kind == "row":
        return _row_title(lines[node.start - 1]), node.start
    if node.kind != "document":  # a paragraph, list or quote that is one paper's unit
        return _lead_title(lines[node.start - 1]), node.start
    fm = doc.front_matter
    if fm.get("title"):
        return _strip_bracket(fm["title"]), 0
    for n in node.walk():
        if n.kind == "section" and n.level == 1 and not PART_NAME.match(_clean_head(n.text)):
            return _clean_head(n.text), n.start
    if anchor is not None and (m := link_with(doc.lines[anchor.line - 1], anchor.paper)) and not LABEL_TEXT.match(
            m.group(1).strip("*_` ")):
        return clean_title(m.group(1)), 0  # the paper's link is titled: "[Theta: Eight](…)"
    for n in reversed(anchor.path if anchor else []):  # the section its link sits in, if named for it
        if n.kind == "section" and n is not node and not PART_NAME.match(_clean_head(n.text)) \
                and role_of(n.text) == "body" and not RELATED.search(n.text):
            return _clean_head(n.text), 0
    stem = os.path.splitext(os.path.basename(path))[0]
    stem = re.sub(r"^\d{4}-\d{2}-\d{2}[-_ ]*|[-_ ]*\d{8}$|[-_]paper$", "", stem)
    return stem.replace("_", " ").strip(), 0


def _plain(text: str) -> str:
    text = TAGS.sub(" ", text)
    return clean_title(text)


def _clean_head(text: str) -> str:
    text = TAGS.sub(" ", text)
    text = NUMBER.sub("", text)
    return _strip_bracket(clean_title(text))


def _strip_bracket(title: str) -> str:
    """``[논문 리뷰] Title`` → ``Title`` (a category tag before the title)."""
    m = re.match(r"^\s*[\[【(]([^\]】)]{1,20})[\]】)]\s*(.{3,})$", title)
    return m.group(2).strip() if m else title.strip()


def _lead_title(line: str) -> str:
    if (a := re.match(r"^[\s\d.)*+-]*<a\s[^<>]*>([^<]+)</a>", line)):
        return clean_title(a.group(1))
    line = NUMBER.sub("", re.sub(r"^\s*[-*+]\s*", "", TAGS.sub(" ", line) if "<" in line else line))
    b = BOLD.search(line)
    if b:
        return clean_title(b.group(1) or b.group(2))
    m = MD_LINK.search(line)
    if m and m.start() < 8:
        return clean_title(m.group(1))
    return clean_title(re.split(r"\s+[-–—|]\s+|\s*👍", line)[0])[:200]


def _row_title(line: str) -> str:
    if "<" in line:  # an HTML row: its first link's text, else its first cell's
        a = re.search(r"<a\s[^<>]*>([^<]+)</a>", line)
        line = "| " + (a.group(1) if a else re.sub(r"<t[dh][^<>]*>", "|", line)) + " |"
        line = TAGS.sub(" ", line)
    for cell in line.strip().strip("|").split("|"):
        b = BOLD.search(cell)
        if b:
            return clean_title(b.group(1) or b.group(2))
    for cell in line.strip().strip("|").split("|"):
        c = clean_title(NUMBER.sub("", cell))
        if re.search(r"[^\W\d_]{3}", c):
            return re.split(r"\s+--\s+|\s+—\s+", c)[0][:200]
    return ""


def _fields(doc: Document, node: Node, excluded: set[int]) -> tuple[list[str], list[str], int | None]:
    """Organisations (backtick tags on the title, ``기관:``-style labels), authors, votes."""
    orgs: list[str] = []
    authors: list[str] = []
    votes = None
    head = doc.lines[node.start - 1] if node.kind in ("section", "item") else ""
    orgs += org_tags(head) if node.kind == "section" else []
    orgs += [o for o in title_orgs(head) if o not in orgs]
    orgs += [o for os_ in _affiliation_lines(doc, node, excluded).values() for o in os_ if o not in orgs]
    for ln in range(node.start, min(node.end, len(doc.lines)) + 1):
        if ln in excluded:
            continue
        line = doc.lines[ln - 1]
        if (m := ORG_LABEL.match(line)):
            for o in re.split(r"\s*[,;·/]\s*|\s+and\s+|\s*&\s*", clean_title(m.group(1))):
                if o and o not in orgs and len(o) <= 80:
                    orgs.append(o)
        elif not authors and (m := AUTHOR_LABEL.match(line)):
            authors = [a.strip() for a in clean_title(m.group(1)).split(",") if a.strip()]
        if votes is None and (v := VOTES.search(line)):
            votes = int(v.group(1))
    return orgs, authors, votes


#: front-matter keys that list a note's organisations, and its authors
FM_ORG_KEYS = ("affiliation", "affiliations", "organization", "organizations", "organisation", "organisations",
               "org", "orgs", "institution", "institutions", "lab", "labs", "소속", "기관")
FM_AUTHOR_KEYS = ("authors", "author", "저자")


def _front_matter_fields(doc: Document, paper: str, units) -> tuple[list[str], list[str]]:
    """Organisations and authors from the front matter, when it is this paper's: it names
    the paper's id, or the paper's unit is the whole note."""
    fm = doc.front_matter
    if not fm or not (any(paper in v for v in fm.values()) or any(u.node.kind == "document" for u in units)):
        return [], []

    def listed(keys) -> list[str]:
        for k in keys:
            if fm.get(k):
                return [x for x in (clean_title(p.strip(" []\"'")) for p in re.split(r"\s*[,;·]\s*", fm[k]))
                        if x and len(x) <= 80]
        return []
    return listed(FM_ORG_KEYS), listed(FM_AUTHOR_KEYS)


def _affiliation_lines(doc: Document, node: Node, excluded: set[int]) -> dict[int, list[str]]:
    """The organisations of affiliation lines among the unit's first two lines of text
    (``Tsinghua University, Microsoft``; ``[ICLR 2024] Stanford University``), by line."""
    out: dict[int, list[str]] = {}
    seen = 0
    first = node.start + (1 if node.kind in ("section", "item") else 0)
    for ln in range(first, min(node.end, len(doc.lines), first + 8) + 1):
        line = doc.lines[ln - 1].strip()
        if ln in excluded or not line or re.fullmatch(r"[-*_=\s]{3,}", line):
            continue
        if ORG_LABEL.match(line) or AUTHOR_LABEL.match(line):
            pass  # a labelled field ("**Org**: …"), read by _fields
        elif orgs := affiliation_line(line):
            out[ln] = orgs
        seen += 1
        if seen == 2:
            break
    return out


def _excluded_lines(doc: Document) -> set[int]:
    """Lines that are not review prose: front matter, HTML comments, code, related-paper lists."""
    out: set[int] = set()
    for n in doc.walk():
        if n.kind in ("front_matter", "comment", "hr") or (
                n.kind == "fence" and n.tag.split()[:1] not in ([], *[[p] for p in PROSE_FENCE])) or (
                n.kind == "section" and (RELATED.search(n.text or "") or META_SECTION.match(_plain(n.text or "")))):
            out.update(range(n.start, n.end + 1))
        elif n.kind == "card" and re.search(r"\b(?:meta|thumb|categor|tags?)\b", n.attrs.get("class", "")):
            out.update(range(n.start, n.end + 1))
    return out | _display_math(doc.lines)


def _display_math(lines: list[str]) -> set[int]:
    """Lines of display math (``$$`` … ``$$``, ``\\[`` … ``\\]``) and bare equations
    (``MultiHead(X) \\in \\R^{d}``): notation, not prose.

    >>> sorted(_display_math(["text", "$$", "Y = MultiHead(X)", "$$", r"A(X) \\in \\R^{d}", "MAE와 비교"]))
    [2, 3, 4, 5]
    """
    out: set[int] = set()
    open_at = 0
    for i, line in enumerate(lines, 1):
        t = line.strip()
        if open_at:
            out.add(i)
            if t.endswith("$$") or t.endswith("\\]"):
                open_at = 0
        elif t.startswith("$$") or t == "\\[":
            out.add(i)
            if not (len(t) > 2 and t.endswith("$$") or t.endswith("\\]") and len(t) > 2):
                open_at = i
        elif BARE_TEX.search(t) and not HANGUL_WORD.search(TEX_TOKEN.sub(" ", t)):
            out.add(i)
    return out


def _date(doc: Document, text: str, path: str) -> str | None:
    fm = doc.front_matter
    for key in ("date", "publish_date", "published", "created"):
        m = DATE_ISO.search(fm.get(key, "")) or DATE_COMPACT.search(fm.get(key, ""))
        if m:
            return "-".join(m.groups())
    return find_date(text, path)


def _account(res: DocumentResult, doc: Document, occ, units, records: dict[str, PaperRecord], path: str) -> None:
    """Every id: a record, a citation (kept on the citing record), or a skipped entry."""
    spans = sorted(((u.node.start, u.node.end, u.paper) for u in units), key=lambda s: s[1] - s[0])
    seen: set[str] = set()
    cited: dict[str, set[str]] = {}  # a set beside each record's list: a unit may cite thousands
    for o in occ:
        if o.paper in records:
            continue
        citing = next((p for s, e, p in spans if s <= o.line <= e), None)
        if o.role == "comment":
            continue
        if citing:
            if citing not in cited:
                cited[citing] = set(records[citing].cites)
            if o.paper not in cited[citing]:
                cited[citing].add(o.paper)
                records[citing].cites.append(o.paper)
        if o.paper not in seen:
            seen.add(o.paper)
            res.citations.append(Citation(o.paper, path, o.line, citing))
    for o in occ:
        if o.paper in records or o.paper in seen:
            continue
        seen.add(o.paper)
        res.skipped.append(Skipped(path, o.line, "arXiv id only inside an HTML comment (not review text)",
                                   o.paper, paper=o.paper))


def _skip_unlinked(res: DocumentResult, doc: Document, units, path: str) -> None:
    """Siblings shaped like the units around them but with no arXiv id: papers kg cannot key."""
    parent_of = {id(c): n for n in doc.walk() for c in n.children}
    parents: dict[int, tuple[Node, set[int]]] = {}
    for u in units:
        if (n := parent_of.get(id(u.node))) is not None:
            parents.setdefault(id(n), (n, set()))[1].add(id(u.node))
    for parent, unit_ids in parents.values():
        kids = [c for c in parent.children if id(c) in unit_ids]
        numbered = parent.kind == "list" and parent.attrs.get("ordered") or all(
            c.kind == "section" and NUMBERED_HEAD.match(c.text or "") for c in kids)
        if len(kids) < 2 and not numbered:
            continue
        shape = {(c.kind, c.level) for c in kids}
        for c in parent.children:
            if id(c) in unit_ids or (c.kind, c.level) not in shape:
                continue
            if c.attrs.get("header"):
                continue
            head = doc.lines[c.start - 1]
            if c.kind in ("card", "section") and NOT_PAPER_HOST.search(head) or not re.search(
                    r"[^\W\d_]{2}", TAGS.sub("", head)):
                continue  # a card or heading about a repository or blog post, not a paper
            if c.kind == "section" and not re.match(r"^\s*#+\s*\d+\s*[.)]", head):
                continue  # an unnumbered heading among papers: document structure
            title = _title(doc, c, path, None)[0] or clean_title(TAGS.sub(" ", head))
            res.skipped.append(Skipped(path, c.start, "no arXiv link in paper block", title[:80]))
            res.warnings.append(f"{path}:{c.start}: skipped paper block: no arXiv link in paper block")
