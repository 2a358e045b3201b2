"""The structural reading model: any layout's papers become records, and every arXiv
id of a document is accounted for (record, cited only, skipped)."""
import csv
import json
import os
import re
import sys

import pytest
from conftest import ROOT, SHARED, needs_shared, run_kg

from kg.build import collect_files
from kg.readers import read_document, read_string

sys.path.insert(0, os.path.join(ROOT, "benchmarks"))
from gen_corpus import INSTITUTIONS, generate_numbered  # noqa: E402

#: an arXiv id as the test counts it, written independently of kg's own patterns
ARXIV = re.compile(r"(?:huggingface\.co/papers/|arxiv\.org/(?:abs|pdf|html)/|arXiv\s*:\s*|arXiv[ \t]+|"
                   r"arxiv_id\s*:\s*[\"']?|10\.48550/arXiv\.)(\d{4}\.\d{4,5})", re.I)
BARE = re.compile(r"(?m)^[ \t]*#{1,6}[ \t]*(\d{4}\.\d{4,5})(?:v\d+)?[ \t]*$")


def ids_in(text: str) -> set[str]:
    return set(ARXIV.findall(text)) | set(BARE.findall(text))


def account(res):
    rec = {r.arxiv_id for r in res.records}
    cited = {c.paper for c in res.citations}
    skipped = {s.paper for s in res.skipped if s.paper}
    return rec, cited, skipped


CARDS = """---
title: "AI Tech - 2026-01-02"
daily_url: "https://arxiv.org/abs/2601.00002"
---

## arXiv 논문

<div class="digest-item" markdown="1">

<div class="digest-thumb"><img src="https://arxiv.org/html/2601.00001v1/x1.png" alt="Owl"></div>

<h3><a href="https://arxiv.org/abs/2601.00001" target="_blank">Owl: Night Vision Models</a></h3>

Owl은 새로운 야간 비전 모델을 제안합니다.

<div class="item-meta"><span class="meta-pill">👍 12</span></div>

</div>

<div class="digest-item" markdown="1">

<h3><a href="https://arxiv.org/abs/2601.00002" target="_blank">Lark: Song Models</a></h3>

Lark는 노래 생성 모델입니다.

</div>

## Hugging Face Blog

<div class="digest-item"><h3><a href="https://huggingface.co/blog/kestrel">Kestrel is here</a></h3>
<p>블로그 글: KestrelNet 소개.</p></div>

<div class="digest-item"><h3><a href="https://huggingface.co/papers/2601.00001">Owl: Night Vision Models</a></h3>
<p>두 번째 요약: Owl은 ImageNet에서 평가되었습니다.</p></div>

<!-- KEYWORD_JSON {"related": "https://arxiv.org/abs/2601.09999"} -->
"""


def test_html_cards_are_records_and_a_paper_in_two_cards_is_one_record():
    res = read_string(CARDS, "cards.md")
    assert res.format == "markdown"
    assert [r.arxiv_id for r in res.records] == ["2601.00001", "2601.00002"]
    owl, lark = res.records
    assert owl.title == "Owl: Night Vision Models" and lark.title == "Lark: Song Models"
    text = "\n".join(s.text for s in owl.sections)
    assert "야간 비전" in text and "ImageNet" in text  # both cards
    assert "KestrelNet" not in text and "KestrelNet" not in "\n".join(s.text for s in lark.sections)
    assert "digest-item" not in text and "meta-pill" not in text
    rec, cited, skipped = account(res)
    assert cited == set() and skipped == {"2601.09999"}  # only in an HTML comment
    assert "HTML comment" in next(s.reason for s in res.skipped if s.paper)


TABLE = """# Papers of the week

Intro text.

| **Paper** | **Links** |
| --- | --- |
| 1) **Muskox: Big Models** -- Muskox is a large model from GoogleAI. | [Paper](https://arxiv.org/abs/2301.00001), [Code](https://github.com/x/y) |
| 2) **Vole: No Paper Link** -- a model without an arXiv page. | [Tweet](https://twitter.com/x/status/1) |
| 3) **Shrew: Small Models** -- Shrew improves over Muskox. | [Paper](https://arxiv.org/abs/2301.00003) |
"""


def test_table_rows_with_the_link_in_the_second_cell():
    res = read_string(TABLE, "t.md")
    assert [(r.arxiv_id, r.title, r.line_start) for r in res.records] == [
        ("2301.00001", "Muskox: Big Models", 7), ("2301.00003", "Shrew: Small Models", 9)]
    assert [(s.line, s.reason) for s in res.skipped] == [(8, "no arXiv link in paper block")]


def test_several_papers_in_one_section_unclosed_fence_and_a_late_english_table():
    bullets = ("## Today\n\n- [Alpha: One](https://arxiv.org/abs/2502.00001) Alpha 제안.\n"
               "- [Beta: Two](https://arxiv.org/abs/2502.00002) Beta 제안.\n\n"
               "```python\nprint('never closed')\n\n## Later\n\n"
               "- [Gamma: Three](https://arxiv.org/abs/2502.00003) Gamma 제안.\n")
    res = read_string(bullets, "b.md")
    assert [r.arxiv_id for r in res.records] == ["2502.00001", "2502.00002", "2502.00003"]
    assert any("never closed" in w for w in res.warnings)
    late = "\n".join(f"filler line {i}" for i in range(50)) + "\n\n" + (
        "| Title | Authors | Summary | Link |\n|---|---|---|---|\n"
        "| Puffin | A. B | Puffin is new. | [Read more](https://arxiv.org/abs/2502.05001) |\n"
        "| Auk | C. D | Auk is old. | [Read more](https://arxiv.org/abs/2502.05002) |\n")
    assert [r.arxiv_id for r in read_string(late, "e.md").records] == ["2502.05001", "2502.05002"]


NOTE = """---
title: "[논문 리뷰] Heron: Patient Models"
date: 2025-04-01
---

> [Heron: Patient Models](https://arxiv.org/abs/2504.00001)

## Introduction

- 기존 [Egret](https://arxiv.org/abs/2401.00009) 방식은 느리다.

## Method

Heron은 Egret을 개선한다.

## 🔗 유사한 논문
- [[other-note|Stork: Tall Models]]
- [Stork](https://arxiv.org/abs/2402.00007)
"""


def test_one_paper_note_is_the_whole_file_and_its_links_are_citations():
    res = read_string(NOTE, "2025-04-01-heron.md")
    (rec,) = res.records
    assert (rec.arxiv_id, rec.title, rec.review_date, rec.line_start) == ("2504.00001", "Heron: Patient Models",
                                                                          "2025-04-01", 1)
    text = "\n".join(s.text for s in rec.sections)
    assert "Heron은 Egret을 개선한다" in text and "Stork" not in text and "title:" not in text
    assert {s.role for s in rec.sections} >= {"motivation", "method"}
    assert rec.cites == ["2401.00009", "2402.00007"]
    assert [(c.paper, c.line, c.cited_by) for c in res.citations] == [
        ("2401.00009", 10, "2504.00001"), ("2402.00007", 18, "2504.00001")]
    # a note whose title is only in its file name, its link on the last line
    (rec,) = read_string("AI2\n\n---\n# Points\n- 요약: 좋은 모델.\n\n링크: https://arxiv.org/abs/2402.00838\n",
                         "notes/2024-02-05_OLMo: Open Models.md").records
    assert (rec.title, rec.line_start, rec.line_end) == ("OLMo: Open Models", 1, 7)


def test_numbered_list_digest_every_paper_is_a_record_with_its_institution(tmp_path):
    """The layout of issue 19: ``1. **Title** - 👍 N`` then ``- 기관:``, ``- [논문 링크](…)``,
    ``- Abstract:`` sub-bullets, all under one heading."""
    files = generate_numbered(str(tmp_path / "in"), 25, per_file=10)
    for path, papers in files:
        res = read_document(path)
        assert [r.arxiv_id for r in res.records] == [p["id"] for p in papers]
        for rec, p in zip(res.records, papers):
            assert rec.title == p["title"] and rec.orgs == [INSTITUTIONS[p["org"]]]
            assert p["own"] in "\n".join(s.text for s in rec.sections)
    out = tmp_path / "out"
    r = run_kg("build", str(tmp_path / "in"), "--out", str(out), "--no-cache")
    assert r.returncode == 0, r.stderr
    nodes, org_of = {}, {}
    for line in (out / "graph.jsonl").read_text(encoding="utf-8").splitlines():
        e = json.loads(line)
        if e["type"] == "node":
            nodes[e["id"]] = e
    for line in (out / "graph.jsonl").read_text(encoding="utf-8").splitlines():
        e = json.loads(line)
        if e["type"] == "relationship" and e["label"] == "PROPOSED_BY" and "Paper" in e["start"]["labels"]:
            org_of.setdefault(nodes[e["start"]["id"]]["properties"]["arxiv_id"], set()).add(
                nodes[e["end"]["id"]]["properties"]["name"])
    from kg.extract import canonical_org
    expected = {p["id"]: p for _, ps in files for p in ps}
    assert sum("Paper" in n["labels"] for n in nodes.values()) == 25
    for pid, p in expected.items():
        assert org_of.get(pid) == {canonical_org(INSTITUTIONS[p["org"]])}, (pid, org_of.get(pid))
    rep = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert rep["arxiv_ids"] == {"papers_in_input": 25, "records": 25, "cited_only": 0, "skipped": 0}
    assert "25 in input = 25 records + 0 cited only + 0 skipped" in r.stdout


@needs_shared
@pytest.mark.parametrize("folder", ["seeds", "corpus", "sources", "corpus-large"])
def test_every_arxiv_id_in_the_real_files_is_accounted_for(folder):
    """Recount the ids of every real file: each is a record, cited only, or skipped."""
    files = collect_files([os.path.join(SHARED, folder)])
    assert files
    total = {"ids": 0, "records": 0}
    for f in files:
        with open(f, encoding="utf-8", errors="replace") as fh:
            ids = ids_in(fh.read())
        res = read_document(f)
        rec, cited, skipped = account(res)
        assert rec | cited | skipped == ids, (f, ids - (rec | cited | skipped), (rec | cited | skipped) - ids)
        assert len(rec) + len(cited) + len(skipped) == len(ids), f  # each id in one place only
        assert len(res.records) == len(rec), f  # one record per paper and document
        total["ids"] += len(ids)
        total["records"] += len(rec)
    assert total["records"] >= 0.98 * total["ids"]  # these sources cite little: nearly every id is reviewed


@needs_shared
def test_every_dev_gold_record_is_read():
    """Paper recall is 100 % on every dev gold file of the manifest."""
    missing, n = [], 0
    with open(os.path.join(SHARED, "gold", "MANIFEST.tsv"), encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t"))
    for row in rows:
        found = set()
        for f in collect_files([os.path.join(SHARED, row["texts"])]):
            found |= {(os.path.basename(f), r.arxiv_id) for r in read_document(f).records}
        with open(os.path.join(SHARED, "gold", row["gold"]), encoding="utf-8") as fh:
            for line in fh:
                g = json.loads(line)
                n += 1
                if (os.path.basename(g["doc"]), g["paper"]) not in found:
                    missing.append((row["source"], g["doc"], g["paper"]))
    assert n >= 200 and not missing, missing


def test_front_matter_source_names_the_note_and_its_body_links_are_citations():
    note = ("---\nsource: https://arxiv.org/abs/2505.00001\ntags: [paper]\n---\n\n# Kite: Wind Models\n\n"
            "Kite는 [Glider](https://arxiv.org/abs/2401.00002)보다 빠르다.\n\n## Method\n\n"
            "본문에서 [Sail](https://arxiv.org/abs/2401.00003)을 인용.\n")
    res = read_string(note, "kite.md")
    assert [(r.arxiv_id, r.title, r.line_start) for r in res.records] == [("2505.00001", "Kite: Wind Models", 1)]
    assert res.records[0].cites == ["2401.00002", "2401.00003"]


def test_bold_titles_and_details_cards_delimit_papers():
    bold = ("Weekly picks\n\n**Finch: Small Birds**\n\nFinch는 작은 모델. [paper](https://arxiv.org/abs/2502.07001)\n\n"
            "**Robin: Red Birds**\n\nRobin은 빠르다. [paper](https://arxiv.org/abs/2502.07002)\n")
    res = read_string(bold, "bold.md")
    assert [(r.arxiv_id, r.title) for r in res.records] == [("2502.07001", "Finch: Small Birds"),
                                                           ("2502.07002", "Robin: Red Birds")]
    details = ("<details><summary><a href=\"https://arxiv.org/abs/2502.08001\">Wren: Tiny Models</a></summary>\n"
               "<p>Wren 요약.</p>\n</details>\n\n"
               "<details><summary><a href=\"https://arxiv.org/abs/2502.08002\">Tit: Blue Models</a></summary>\n"
               "<p>Tit 요약.</p>\n</details>\n")
    res = read_string(details, "details.md")
    assert [(r.arxiv_id, r.title) for r in res.records] == [("2502.08001", "Wren: Tiny Models"),
                                                           ("2502.08002", "Tit: Blue Models")]


def test_item_leads_name_their_papers_however_the_link_is_written():
    text = ("Intro of the day.\n\n"
            "- Alpha: first — https://arxiv.org/abs/2502.09101\n  Alpha 요약.\n"
            "- <a href=\"https://arxiv.org/abs/2502.09102\">Beta: second</a> Beta 요약.\n"
            "- Gamma: third (arXiv 2502.09103)\n")
    res = read_string(text, "leads.md")
    assert [(r.arxiv_id, r.title) for r in res.records] == [("2502.09101", "Alpha: first"),
        ("2502.09102", "Beta: second"), ("2502.09103", "Gamma: third (arXiv 2502.09103)")]


def test_a_numbered_list_with_one_linked_paper_is_not_one_record():
    text = ("## 오늘의 논문\n\n1. **Alpha: First**\n   - 요약: Alpha 모델.\n   - [논문 링크](https://arxiv.org/abs/2502.09001)\n"
            "2. **Beta: Second**\n   - 요약: Beta 모델, 링크 없음.\n")
    res = read_string(text, "one.md")
    (rec,) = res.records
    assert (rec.arxiv_id, rec.title, rec.line_end) == ("2502.09001", "Alpha: First", 5)
    assert [(s.line, s.excerpt) for s in res.skipped] == [(6, "Beta: Second")]


def test_cited_papers_are_kept_on_the_citing_paper_in_every_output(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    (src / "2025-04-01-heron.md").write_text(NOTE, encoding="utf-8")
    out = tmp_path / "out"
    r = run_kg("build", str(src), "--out", str(out), "--no-cache")
    assert r.returncode == 0, r.stderr
    papers = [json.loads(ln) for ln in (out / "graph.jsonl").read_text(encoding="utf-8").splitlines()
              if '"Paper"' in ln and '"node"' in ln]
    assert [(p["properties"]["arxiv_id"], p["properties"]["cites"]) for p in papers] == [
        ("2504.00001", ["2401.00009", "2402.00007"])]
    rep = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert rep["arxiv_ids"] == {"papers_in_input": 3, "records": 1, "cited_only": 2, "skipped": 0}
    import rdflib
    g = rdflib.Graph().parse(str(out / "graph.ttl"))
    cites = rdflib.URIRef("https://w3id.org/kg-reviews/ontology#cites")
    assert sorted(str(o).rsplit("/", 1)[1] for o in g.objects(None, cites)) == ["2401.00009", "2402.00007"]


_PIECES = ["## ", "### ", "1. ", "10. ", "- ", "   - ", "| a | b |\n|---|---|\n", "| ", " |", "<div class=\"c\">",
           "</div>", "<h3>", "</h3>", "<!--", "-->", "```", "```python", "**T**", "[T](https://arxiv.org/abs/2501.00001)",
           "[paper](https://arxiv.org/abs/2501.00002)", "https://huggingface.co/papers/2501.00003", "---\n", "\n",
           "\n\n", "   ", "text ", "> ", "<details><summary>", "</summary>", "</details>", "<li>", "</li>",
           "arXiv:2501.00004", "링크: ", "## 2501.00005\n", "<a href=\"https://arxiv.org/abs/2501.00006\">", "</a>",
           "title: x\n", "## 🔗 유사한 논문\n", "<div>" * 80, "(arXiv 2501.00007)", "doi:10.48550/arXiv.2501.00008",
           "- Title — https://arxiv.org/abs/2501.00010", "1. <a href=\"https://arxiv.org/abs/2501.00011\">T</a>"]


def test_any_text_is_read_without_error_and_every_id_is_accounted_for():
    from hypothesis import given, settings
    from hypothesis import strategies as st

    @settings(max_examples=1500, deadline=None)
    @given(st.lists(st.sampled_from(_PIECES), max_size=40))
    def check(pieces):
        text = "".join(pieces)
        res = read_string(text, "fuzz.md")
        rec, cited, skipped = account(res)
        assert rec | cited | skipped == ids_in(text), text
        assert len(rec) + len(cited) + len(skipped) == len(rec | cited | skipped), text
        assert len(res.records) == len(rec)
        for r in res.records:
            assert 1 <= r.line_start <= r.line_end <= text.count("\n") + 1, text

    check()


def test_more_layouts_awesome_list_html_table_and_callout_note():
    awesome = ("# Awesome\n\n## Reasoning\n\n- [2024/01] **Alpha: One** [[paper](https://arxiv.org/abs/2401.00001)]"
               " [[code](https://github.com/a/b)]\n- [2024/02] **Beta: Two** [[paper](https://arxiv.org/abs/2401.00002)]\n"
               "\n## Vision\n\n- [2024/03] **Gamma** [[paper](https://arxiv.org/abs/2401.00003)]\n")
    # a category holding one paper is that paper's item, like its neighbours, not the whole category
    assert [(r.arxiv_id, r.title, r.line_start) for r in read_string(awesome, "a.md").records] == [
        ("2401.00001", "Alpha: One", 5), ("2401.00002", "Beta: Two", 6), ("2401.00003", "Gamma", 10)]
    table = ("<table>\n<tr><th>Paper</th><th>Summary</th></tr>\n"
             "<tr><td><a href=\"https://arxiv.org/abs/2401.00006\">Zeta: Six</a></td><td>Zeta 요약</td></tr>\n"
             "<tr><td><a href=\"https://arxiv.org/abs/2401.00007\">Eta: Seven</a></td><td>Eta 요약</td></tr>\n</table>\n")
    res = read_string(table, "t.md")
    assert [(r.arxiv_id, r.title) for r in res.records] == [("2401.00006", "Zeta: Six"), ("2401.00007", "Eta: Seven")]
    assert res.skipped == []  # the header row is no paper
    callout = ("---\ntags: [paper]\n---\n\n> [!info] Paper\n> [Theta: Eight](https://arxiv.org/abs/2401.00008)\n\n"
               "## 핵심\n\nTheta는 [[Iota]]를 개선.\n\n## 참고\n- https://arxiv.org/abs/2401.00009\n")
    res = read_string(callout, "vault/theta.md")
    assert [(r.arxiv_id, r.title, r.line_start) for r in res.records] == [("2401.00008", "Theta: Eight", 1)]
    assert [c.paper for c in res.citations] == ["2401.00009"]
