"""Each reader variant, on small documents written for these tests."""
import os
from kg.readers import detect_format, read_string

BLOG = """import x from './a.png';

# 2025-02-01 papers review

## 1. [Kestrel](https://huggingface.co/papers/2502.01001) `google`
### Fast Birds `deepmind`

Kestrel 모델 제안.

## 2. Heron: slow birds

https://arxiv.org/abs/2502.01002v3

본문 링크만 있는 블록.

## 3. No link here

링크 없음.
"""

DIGEST_3STAR = """## Daily Papers (2025-02-02)

### [Wren: Tiny Models](https://arxiv.org/abs/2502.02001)

Vote: 12

Authors: A. Kim, B. Lee

- ***What's New***: Wren을 제안합니다.
- ***Technical Details***: 세부 사항.
- ***Performance Highlights***: MMLU에서 평가.
"""
DIGEST_2STAR = DIGEST_3STAR.replace("***", "**")
DIGEST_PLAIN = """## Daily Papers (2025-02-03)

### [Finch: Small Birds](https://arxiv.org/abs/2502.03001)

- Finch는 새로운 모델이다.
- GSM8K에서 좋은 성능.
### [Robin: Red Birds](https://arxiv.org/abs/2502.03002)

- Robin을 제안한다.
"""

SUMMARY_FENCED = """# 📰 Hugging Face Daily Papers – 2025-02-04

## 2502.04001
🔗 https://huggingface.co/papers/2502.04001

**Summary**:
```markdown
# 논문 요약: "Gull: Coastal Models"

## 1. 핵심 동기와 문제 정의

동기.

## 2. 주요 기여 및 참신성

- **Gull 제안**: 새 모델.

## 4. 실험 설정

- **사용된 데이터셋**: MMLU.
```

---

## 2502.04002
🔗 https://huggingface.co/papers/2502.04002

**Summary**:
해당 논문은 "Tern: Fast Terns"으로, 방법을 제안합니다.

**2. 주요 기여 및 참신성**

- **Tern 제안**: 빠름.

**5. 정량적 결과**

좋음.
"""

ENGLISH = """## Papers for 2025-02-05

| Title | Authors | Summary |
|-------|---------|---------|
| Puffin: Small but
  Mighty (Read more on [arXiv](https://arxiv.org/abs/2502.05001) or [HuggingFace](https://huggingface.co/papers/2502.05001))| A. B, C. D | This paper introduces Puffin. |
| Auk: Arctic Models (Read more on [arXiv](https://arxiv.org/abs/2502.05002))| E. F | Auk is a model. |
"""


def test_blog_reader_links_tags_subtitles_and_missing_links():
    res = read_string(BLOG, "blog.md")
    assert res.format == "blog"
    assert [r.arxiv_id for r in res.records] == ["2502.01001", "2502.01002"]
    first = res.records[0]
    assert first.title == "Kestrel" and first.orgs == ["google", "deepmind"]
    assert first.review_date == "2025-02-01" and first.line_start == 5
    assert [s.name for s in first.sections] == ["title", "subtitle", "body"]
    assert res.records[1].title == "Heron: slow birds"  # plain heading, link in the body, v3 dropped
    assert len(res.skipped) == 1 and res.skipped[0].line == 16 and "no arXiv link" in res.skipped[0].reason


def test_digest_reader_star_variants():
    for text in (DIGEST_3STAR, DIGEST_2STAR):
        res = read_string(text, "d.md")
        assert res.format == "hf_daily_digest"
        (rec,) = res.records
        assert rec.votes == 12 and rec.authors == ["A. Kim", "B. Lee"]
        roles = {s.name: s.role for s in rec.sections}
        assert roles == {"title": "title", "What's New": "contribution", "Technical Details": "method",
                         "Performance Highlights": "experiment"}


def test_digest_reader_plain_bullets():
    res = read_string(DIGEST_PLAIN, "d.md")
    assert [r.arxiv_id for r in res.records] == ["2502.03001", "2502.03002"]
    assert res.records[0].sections[-1].role == "body" and "GSM8K" in res.records[0].sections[-1].text
    assert res.records[0].review_date == "2025-02-03"


def test_structured_reader_fenced_and_bold_variants():
    res = read_string(SUMMARY_FENCED, "s.md")
    assert res.format == "structured_summary"
    a, b = res.records
    assert (a.arxiv_id, a.title) == ("2502.04001", "Gull: Coastal Models")
    assert [s.role for s in a.sections] == ["title", "motivation", "contribution", "experiment"]
    assert (b.arxiv_id, b.title) == ("2502.04002", "Tern: Fast Terns")
    assert {"contribution", "experiment"} <= {s.role for s in b.sections}


def test_english_table_reader_wrapped_rows():
    res = read_string(ENGLISH, "e.md")
    assert res.format == "english_table"
    a, b = res.records
    assert a.title == "Puffin: Small but Mighty" and a.arxiv_id == "2502.05001"
    assert a.authors == ["A. B", "C. D"] and a.sections[-1].text == "This paper introduces Puffin."
    assert b.arxiv_id == "2502.05002"


def test_structural_reader_any_markdown_with_arxiv_links():
    """Reading notes with a section per topic: the section opened by a link is the
    paper's record. When the other sections are parts of one review (Method, 실험 …),
    the whole file is the paper's record."""
    text = "# notes\n\nintro\n\n## Owl paper\nhttps://arxiv.org/pdf/2502.06001v2\n\nOwl 방법.\n\n## Heron: Slow Birds\nno link\n"
    res = read_string(text, "n.md")
    assert res.format == "markdown"
    assert [(r.arxiv_id, r.title, r.line_start, r.line_end) for r in res.records] == [
        ("2502.06001", "Owl paper", 5, 8)]
    (rec,) = read_string(text.replace("## Heron: Slow Birds", "## Method"), "n.md").records
    assert (rec.arxiv_id, rec.title, rec.line_start, rec.line_end) == ("2502.06001", "Owl paper", 1, 11)
    assert [s.role for s in rec.sections] == ["title", "body", "body", "method"]


def test_detection_is_per_file_content():
    assert detect_format(BLOG) == "blog"
    assert detect_format(DIGEST_PLAIN) == "hf_daily_digest"
    assert detect_format(SUMMARY_FENCED) == "structured_summary"
    assert detect_format(ENGLISH) == "english_table"
    assert detect_format("just prose, no papers") is None


def test_paper_discussed_twice_in_one_file_is_one_record():
    """ANNOTATION.md "Unit": every place of one document about one paper is its record."""
    text = DIGEST_PLAIN + "\n" + DIGEST_PLAIN.split("\n", 1)[1]
    res = read_string(text, "dup.md")
    assert [r.arxiv_id for r in res.records] == ["2502.03001", "2502.03002"]
    first = res.records[0]
    assert sum(s.role == "title" for s in first.sections) == 2 and first.line_end > 10
    assert any("also discussed at line 3" in w for w in res.warnings)


def _blog_score_by_line_patterns(text: str) -> float:
    """The blog reader's detection as first written, with ``(?m)^`` patterns
    (the reader now scans for "\\n" + the same patterns, which is faster)."""
    import re
    # each pattern stays on its line (a heading never runs into the next line)
    heads = re.findall(r"(?m)^##[ \t]+(?:\d+\.[ \t]*)?(?:\[[^\]\n]+\]\([^)\n]+\)|[^\n#]+)$", text)
    if not heads:
        return 0.0
    tagged = len(re.findall(r"(?m)^##[ \t].*\]\(https?://[^)\n]*(?:huggingface\.co/papers|arxiv\.org)[^)\n]*\)", text))
    numbered = len(re.findall(r"(?m)^##[ \t]+\d+[ \t]*\.", text))
    tags = len(re.findall(r"(?m)^#{2,3}[ \t].*`[^`\n]+`[ \t]*$", text))
    score = tagged + numbered + tags
    if re.search(r"(?m)^import \w+ from '|papers (review|summary)", text, re.I):
        score += 5
    if re.search(r"(?m)^##[ \t]+\d{4}\.\d{4,5}[ \t]*$|^###[ \t]+\[", text):
        return 0.0
    return score


_PIECES = ["## ", "##", "### ", "#", "\n", "\n\n", " ", "  ", "\t", "1. ", "3 .", "\n## 7 . A\n", "2501.00001", "12345", ".",
           "[T](https://arxiv.org/abs/2501.00001)", "[x](http://huggingface.co/papers/1)", "]", "(", ")",
           "`org`", "`", "import X from '", "Import y from '", "Papers Review", "papers summary", "text", "가"]


def test_blog_detection_counts_what_the_line_patterns_count():
    """Blog detection scans for literal "\\n##" starts; on generated markdown and on
    every real review file it scores exactly as the ``(?m)^`` patterns did."""
    import os
    from hypothesis import given, settings
    from hypothesis import strategies as st
    from conftest import EXAMPLES, SHARED
    from kg.build import collect_files
    from kg.readers.blog import BlogReader
    reader = BlogReader()

    @settings(max_examples=3000, deadline=None)
    @given(st.lists(st.sampled_from(_PIECES), max_size=30))
    def check(pieces):
        text = "".join(pieces)
        assert reader.detect(text) == _blog_score_by_line_patterns(text), text

    check()
    folders = [EXAMPLES] + [os.path.join(SHARED, d) for d in ("seeds", "corpus") if os.path.isdir(os.path.join(SHARED, d))]
    files = collect_files(folders)
    assert len(files) >= 5
    for f in files:
        with open(f, encoding="utf-8", errors="replace") as fh:
            text = fh.read()
        assert reader.detect(text) == _blog_score_by_line_patterns(text), f


PAGE = """<!DOCTYPE html>
<html lang="ko">
<head>
  <meta charset="utf-8"><title>Owl digest</title>
  <style>.card { margin: 4px }</style>
  <script>var featured = "https://arxiv.org/abs/2501.09999";</script>
</head>
<body>
  <nav><a href="https://arxiv.org/abs/2501.08888">last week's pick</a></nav>
  <main>
    <div class="card">
        <h3><a href="https://arxiv.org/abs/2501.03001">OwlNet: Seeing in the Dark</a></h3>

        <p>OwlNet은 NightBench에서 71.4%를 기록하며 HeronNet(65.0%)을 능가한다.</p>
    </div>
    <div class="card">
        <h3><a href="https://arxiv.org/abs/2501.03002">Heron &amp; Crane: Paired Retrieval</a></h3>
        <p>Heron reaches 48.2 nDCG@10 on ReedQA.</p>
    </div>
  </main>
</body></html>
"""


def test_a_web_page_of_cards_is_read_like_cards_in_markdown(tmp_path):
    """An .html review: each card is a paper, its text is read (not an indented code
    block), lines point into the page, and the head, scripts and navigation are not reviews."""
    import kg
    from kg.readers import read_document
    (tmp_path / "in").mkdir()
    page = tmp_path / "in" / "owl-digest.html"
    page.write_text(PAGE, encoding="utf-8")
    res = read_document(str(page))
    assert [(r.arxiv_id, r.title, r.line_start) for r in res.records] == [
        ("2501.03001", "OwlNet: Seeing in the Dark", 11), ("2501.03002", "Heron & Crane: Paired Retrieval", 16)]
    assert not res.citations and not res.skipped
    g = kg.build([str(tmp_path / "in")])
    scores = {(p["benchmark"], p["value"]) for _, _, p in g.nodes("Result")}
    assert ("NightBench", 71.4) in scores and ("ReedQA", 48.2) in scores


def test_a_build_output_inside_the_input_folder_is_not_read_as_reviews(tmp_path):
    from conftest import run_kg
    from kg.build import collect_files
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "owl-digest.html").write_text(PAGE, encoding="utf-8")
    for _ in range(2):  # the second build finds the first one's graph.html under its input
        r = run_kg("build", str(tmp_path / "in"), "--out", str(tmp_path / "in" / "out"))
        assert r.returncode == 0 and "papers: 2" in r.stdout, r.stdout + r.stderr
    assert [os.path.basename(f) for f in collect_files([str(tmp_path / "in")])] == ["owl-digest.html"]


WEEKLY = """# Notes of the week

1. **Owlet** ([arXiv:2511.01010](https://arxiv.org/abs/2511.01010)) from a lab we follow.
   Owlet fine-tunes HeronLM-7B and scores 83.4 on ZebraMath.
2. **Wren** (arXiv 2511.02020) by another lab. Wren swaps attention for a recurrence, unlike
   [a related paper](https://arxiv.org/abs/2409.00001).
3. **Kite** — https://arxiv.org/abs/2511.03030. A benchmark of tool use, KiteBench.
"""


def test_an_id_right_after_an_items_bold_title_names_the_items_paper():
    """However the id is written after the bold title (a labelled link, ``arXiv NNNN``, a bare
    URL), before the item's first sentence ends it is the item's own; later in the item it is cited."""
    from kg.extract import extract_record
    res = read_string(WEEKLY, "week.md")
    assert [(r.arxiv_id, r.title) for r in res.records] == [
        ("2511.01010", "Owlet"), ("2511.02020", "Wren"), ("2511.03030", "Kite")]
    assert [c.paper for c in res.citations] == ["2409.00001"]
    # a title that is one name is the paper's own method
    ex = extract_record(res.records[1])
    assert ("proposedBy", "Wren", "@paper") in {(r.type, r.head, r.tail) for r in ex.relations}


def test_an_html_results_table_is_read_as_a_table(tmp_path):
    """A results table written in HTML, its rows over several lines: cells stay apart,
    so the header names the benchmarks and each row its method."""
    import kg
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "review.html").write_text(
        "<article>\n<h2><a href=\"https://arxiv.org/abs/2510.04040\">Shrike: Fast Owls</a></h2>\n"
        "<p>Shrike prunes tokens. We compare it with HeronNet-B on ZebraBench and OwlSet.</p>\n<table>\n"
        "<tr><th>Model</th><th>ZebraBench</th><th>OwlSet AP</th></tr>\n"
        "<tr>\n  <td>Shrike-B</td>\n  <td>83.9</td>\n  <td>51.2</td>\n</tr>\n"
        "<tr><td>HeronNet-B</td><td>81.8</td><td>47.0</td></tr>\n</table>\n</article>\n", encoding="utf-8")
    g = kg.build([str(tmp_path / "in")])
    got = sorted((p.get("method") or "", p["benchmark"], p["value"], p.get("metric") or "")
                 for _, _, p in g.nodes("Result"))
    assert got == [("", "OwlSet", 51.2, "AP"), ("", "ZebraBench", 83.9, ""),  # "": the paper's own
                   ("HeronNet-B", "OwlSet", 47.0, "AP"), ("HeronNet-B", "ZebraBench", 81.8, "")]
