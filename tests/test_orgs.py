"""Organisations: which phrases are organisations, and where a review ties one to its
paper (an affiliation line, a closing parenthesis, the subject of an announcing verb).
The sentences are this project's own, in Korean and English."""
import pytest

from kg.extract import extract_record
from kg.pipeline.orgs import affiliation_line, org_name, prose_orgs
from kg.readers import read_string
from kg.readers.markdown import _display_math, prose_line
from kg.resolve import canonical_org


@pytest.mark.parametrize("phrase, expected", [
    ("Brown University", "Brown University"),
    ("University of Toronto", "University of Toronto"),
    ("Allen Institute for AI", "Allen Institute for AI"),
    ("Quokka Labs", "Quokka Labs"),
    ("Harvard University²", "Harvard University"),
    ("Prnceton", "Prnceton"),            # a typo of a lexicon spelling
    ("서강대학교", "서강대학교"),
    ("GoogleAI", "GoogleAI"),
    ("AI2", "AI2"),
    ("Foundation Models", None),         # a head word that does not end the phrase
    ("Future Research Directions", None),
    ("Generative AI", None),
    ("MoAI", None),                       # a model glued to AI, not a company
    ("GPT-4", None),
    ("stability gap", None),
])
def test_org_name(phrase, expected):
    assert org_name(phrase) == expected


def test_typos_and_short_forms_resolve_to_the_lexicon_name():
    assert canonical_org("Prnceton") == "Princeton University"
    assert canonical_org("Toronto") == "University of Toronto"
    assert canonical_org("AI2") == "Allen Institute for AI"


@pytest.mark.parametrize("line, expected", [
    ("Oxford, DeepMind", ["Oxford", "DeepMind"]),
    ("[AAAI 2025] Cornell University", ["Cornell University"]),
    ("[Prnceton, Yale] Sparse Owls: Learning Night Vision From Few Examples", ["Prnceton", "Yale"]),
    ("Harvard University¹, Quokka Labs²", ["Harvard University", "Quokka Labs"]),
    ("[Accepted at a workshop of NeurIPS 2024]", []),
    ("# Summary", []),
    ("Owl, Lark", []),                    # names, not organisations
    ("이 논문은 Oxford의 연구다.", []),      # a sentence, not an affiliation line
])
def test_affiliation_line(line, expected):
    assert affiliation_line(line) == expected


@pytest.mark.parametrize("text, expected", [
    ("MetaAI introduces Owl, a night vision model.", ["MetaAI"]),
    ("Researchers from KAIST propose a faster tokenizer.", ["KAIST"]),
    ("Quokka Labs releases a new speech corpus.", ["Quokka Labs"]),
    ("네이버 연구팀이 새로운 토크나이저를 제안했다.", ["네이버"]),
    ("카카오에서 발표한 논문으로, 음성 합성을 다룬다.", ["카카오"]),
    ("오픈 모델의 학습 과정을 모두 공개한다 (Allen Institute for AI)", ["Allen Institute for AI"]),
    ("퀘이사AI 라는 회사에서 낸 논문.", ["퀘이사AI"]),
    # a clause after a title, a work's makers, several of them, a lab of a known organisation
    ("**Owl** (arXiv 2511.02020) — from Harvard University and Quokka AI.", ["Harvard University", "Quokka AI"]),
    ("A work by KAIST, NAVER Cloud and Stanford University.", ["KAIST", "NAVER Cloud", "Stanford University"]),
    ("**Owl** (arXiv 2511.02020) by Meta FAIR.", ["Meta FAIR"]),
    ("Owl is distilled from GPT-4o (by 5%) and beats Gemini from Google.", []),
    # where a cited model comes from is not the paper's organisation
    ("We compare against Gemini (Google) and Claude.", []),
    ("OpenAI가 발표한 GPT-4o보다 빠르다.", []),
    ("허깅페이스(Hugging Face)와 쉽게 연동된다.", []),
    ("Owl introduces a gating layer.", []),
])
def test_prose_orgs(text, expected):
    assert [o for o, _ in prose_orgs(text)] == expected


NOTE = """Harvard University¹, Quokka Labs²

---
# Points
- Owl이라는 야간 비전 모델을 제안 (Allen Institute for AI)
- Owl은 ViT보다 정확하다

$$
Y = MultiHead(X) + X
$$

- Target f\\_{\\bar\\theta} 통과 후 s\\_{yN} 얻음

링크: https://arxiv.org/abs/2601.00003
"""


def test_a_note_gives_its_affiliations_and_prose_organisations_to_the_paper():
    res = read_string(NOTE, "Owl: Night Vision.md")
    (rec,) = res.records
    assert rec.orgs == ["Harvard University", "Quokka Labs"]
    assert "Harvard" not in " ".join(s.text for s in rec.sections)  # the affiliation line is a field, not prose
    ex = extract_record(rec)
    orgs = {m.text for m in ex.mentions if m.type == "Organization"}
    assert orgs == {"Harvard University", "Quokka Labs", "Allen Institute for AI"}
    by = {r.tail for r in ex.relations if r.type == "proposedBy" and r.head == "@paper"}
    assert by == orgs
    names = {m.text for m in ex.mentions if m.type != "Organization"}
    assert "ViT" in names and not names & {"MultiHead", "yN"}  # display and bare TeX are notation


def test_display_math_and_bare_tex_are_not_prose():
    lines = ["글", "$$", "Y = MultiHead(X)", "$$", "A(X) \\in \\R^{d}", "ViT와 비교"]
    assert sorted(_display_math(lines)) == [2, 3, 4, 5]
    assert "yN" not in prose_line("Target f\\_{\\bar\\theta} 통과 후 s\\_{yN} 얻음")


def test_front_matter_and_org_fields_name_a_notes_organisations():
    """An Obsidian-style note: affiliations and authors in its front matter, or an ``Org:`` field."""
    fm = ("---\ntitle: \"Owl: Night Vision\"\narxiv: 2501.04401\nauthors: [Ada Park, Min Lee]\n"
          "affiliation: KAIST, Quokka Labs\n---\n\n# Owl\n\nOwl sees in the dark.\n")
    (rec,) = read_string(fm, "Owl.md").records
    assert rec.orgs == ["KAIST", "Quokka Labs"] and rec.authors == ["Ada Park", "Min Lee"]
    field = "### [Owl: Night Vision](https://arxiv.org/abs/2501.04401)\n\n**Org**: Quokka Labs\n\nOwl sees.\n"
    (rec,) = read_string(field, "day.md").records
    assert rec.orgs == ["Quokka Labs"]


def test_a_list_items_title_closing_with_organisations_gives_them_to_its_paper():
    text = ("## Today\n\n1. **Owl: Night Vision** (KAIST, Quokka Labs)\n   - 링크: https://arxiv.org/abs/2511.13131\n"
            "   - 요약: Owl은 야간 영상을 본다.\n2. **Heron: Fast Owls** (CVPR 2025)\n"
            "   - 링크: https://arxiv.org/abs/2511.14141\n")
    assert [(r.arxiv_id, r.orgs) for r in read_string(text, "day.md").records] == [
        ("2511.13131", ["KAIST", "Quokka Labs"]), ("2511.14141", [])]
