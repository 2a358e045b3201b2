"""spaCy components on sentences written for these tests (Korean and English)."""
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kg.extract import extract_record
from kg.model import PaperRecord, Section
from kg.pipeline import make_nlp
from kg.pipeline.shapes import long_form, shape
from kg.resolve import canonical_org


@pytest.fixture(scope="module")
def nlp():
    return make_nlp()


@pytest.mark.parametrize("text,tokens", [
    ("Qwen-2.5-Math-7B와 MATH500에서", ["Qwen-2.5-Math-7B", "와", "MATH500", "에서"]),
    ("SNS-Bench, HIVAU-70k.", ["SNS-Bench", ",", "HIVAU-70k", "."]),
    ("V* bench에서 DigiData와", ["V*", "bench", "에서", "DigiData", "와"]),
    ("RedOne 2.0은", ["RedOne", "2.0", "은"]),
])
def test_tokenizer_keeps_names_whole_and_splits_particles(nlp, text, tokens):
    doc = nlp.make_doc(text)
    assert [t.text for t in doc if not t.is_space] == tokens
    assert doc.text == text


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("aZ9-.*+_  가나와\t\n\u3000(,")), max_size=40))
def test_tokenizer_table_matches_the_doc(nlp, text):
    """Whatever the spacing, the spaCy Doc made from the token table gives back
    the text exactly (so the trailing-space flags are right), and the table's
    offsets point at its words in the text."""
    doc = nlp.make_doc(text)
    tt = doc.user_data["kg_tokens"]
    assert doc.text == text
    assert tt.words == [t.text for t in doc] and tt.spaces == [bool(t.whitespace_) for t in doc]
    assert tt.starts == [t.idx for t in doc]
    assert all(text[s:s + len(w)] == w for s, w in zip(tt.starts, tt.words))


@settings(max_examples=1500, deadline=None)
@given(st.text(alphabet="a1-가", min_size=2, max_size=4), st.lists(st.sampled_from(["a", "1", "-", " ", "가", "É", None])))
def test_known_name_search_matches_the_whole_word_pattern(name, pieces):
    """The known-name search finds what the regex it replaced found (``None``
    pieces are the name itself, so occurrences touch and overlap)."""
    import re
    from kg.pipeline.mentions import _whole_word
    text = "".join(name if p is None else p for p in pieces)
    pattern = re.compile(r"(?<![A-Za-z0-9])" + re.escape(name) + r"(?![A-Za-z0-9])")
    assert list(_whole_word(name, text)) == [m.start() for m in pattern.finditer(text)]


_CUE_WORDS = ["introduces", "Proposes", "new", "renamed", "based on", "BUILT upon", "builds on", "initialised from",
              "fine-tuned", "on top of", "extends", "outperforms", "Surpassing", "better than", "improves over",
              "gains over", "compared with", "vs.", "vs", "versus", "on", "across", "including", "such as", "like",
              "won", "once"]
_SPACE = st.sampled_from([" ", "  ", "\n", "\t", ""])
_WORD = st.sampled_from(["the", "existing", "baselines", "benchmarks", "models", "Llama-3", "X1", "gpt", "A/B+",
                         "모델", "v1.5", "and", "or", ",", "(", "."])


@st.composite
def _before_texts(draw):
    """Texts shaped like the cues: noise, maybe a blocking word (``built ``),
    a cue word, modifier words, a list of names with separators, and the end."""
    parts = [draw(st.sampled_from(["", "모델과 ", "We ", "x"])),
             draw(st.sampled_from(["", "built ", "based ", "trained ", "focus ", "re"])),
             draw(st.sampled_from(_CUE_WORDS))]
    for _ in range(draw(st.integers(0, 3))):
        parts += [draw(_SPACE), draw(_WORD)]
    for _ in range(draw(st.integers(0, 3))):
        parts += [draw(_SPACE), draw(st.sampled_from(["X1", "Llama 3", "gpt", "A/B+"])),
                  draw(st.sampled_from([", ", ",", " and ", ", and ", ",or ", " or ", " "]))]
    parts += [draw(_SPACE), draw(st.sampled_from(["", "\n"]))]
    return "".join(parts)


@settings(max_examples=3000, deadline=None)
@given(_before_texts())
def test_backward_cues_accept_what_the_forward_patterns_accept(text):
    """Each English ``*_BEFORE`` cue is matched backwards; its mirror image
    must accept exactly the texts the readable forward pattern finds."""
    from kg.pipeline import cues
    for cue in (cues.EN_PROPOSE_BEFORE, cues.EN_BASED_BEFORE, cues.EN_COMPARE_BEFORE, cues.EN_EVAL_BEFORE):
        assert bool(cue.search(text)) == bool(cue.forward.search(text)), (cue.forward.pattern, text)


def test_shapes():
    assert [shape(t) for t in ["DigiData", "LLM", "7B", "Text-to-Image", "Tool-Star", "gen2seg", "the"]] == \
        ["NAME", "GEN", "VER", "CAP", "CAP", "NAME", "LOW"]
    # a model with its size letter is a name; a compound of words is not
    assert [shape(t) for t in ["Heron-L", "OwlNet-XL", "X-Decoder", "Plug-and-Play", "Top-K"]] == \
        ["NAME", "NAME", "CAP", "CAP", "CAP"]
    assert long_form("RRT", "we use Random Rotation Trees".split()) == 3
    assert long_form("XYZ", "nothing matches here".split()) is None


def names(nlp, text):
    return [c.text for c in nlp(text)._.kg_candidates]


def test_mentions_by_shape_version_acronym_and_emphasis(nlp):
    assert names(nlp, "Heron 2.5B는 Sparrow-7B 모델을 바탕으로 한다.") == ["Heron 2.5B", "Sparrow-7B"]
    found = names(nlp, "**Layered Token Mixing(LTM)** 방법 제안.")
    assert "Layered Token Mixing" in found
    assert names(nlp, "LLM과 VLM, 그리고 RL을 쓴다.") == []  # generic acronyms are not names
    assert names(nlp, "The paper introduces MarsNet, evaluated on CoralQA and ReefBench.") == \
        ["MarsNet", "CoralQA", "ReefBench"]
    # a score or a metric after a name ends it; a version continues it
    assert names(nlp, "HeronNet-XL 57.1 대비 MarsNet 3.5가 CoralQA top-1 88.1을 기록") == \
        ["HeronNet-XL", "MarsNet 3.5", "CoralQA"]


def _cands(nlp, text):
    return {c.text: c for c in nlp(text)._.kg_candidates}


def test_relation_cues_korean(nlp):
    c = _cands(nlp, "PelicanLM은 SwanNet과 GooseNet보다 우수한 성능을 보였다.")
    assert "compare" in c["SwanNet"].flags and "compare" in c["GooseNet"].flags
    assert "compare" not in c["PelicanLM"].flags
    c = _cands(nlp, "DuckNet은 CoralQA 벤치마크에서 평가하였다.")
    assert "eval" in c["CoralQA"].flags and c["CoralQA"].scores["Benchmark"] > c["CoralQA"].scores["Method"]
    c = _cands(nlp, "StorkLM은 Qwen2.5-7B를 기반으로 한다.")
    assert "based" in c["Qwen2.5-7B"].flags
    c = _cands(nlp, "StorkLM은 DocBench에서 같은 크기의 SwanNet보다 1.2점 높다.")  # a score between
    assert "compare" in c["SwanNet"].flags and "compare" not in c["StorkLM"].flags


def test_relation_cues_english(nlp):
    c = _cands(nlp, "FalconX outperforms EagleNet and HawkLM on CoralQA.")
    assert {"compare"} <= c["EagleNet"].flags and {"compare"} <= c["HawkLM"].flags
    assert "eval" in c["CoralQA"].flags
    c = _cands(nlp, "It is built on OwlBase-3B.")
    assert "based" in c["OwlBase-3B"].flags


def _record(title, body, role="body"):
    return PaperRecord("2501.09999", title, "https://arxiv.org/abs/2501.09999", "t.md", 1, 5, "test",
                       sections=[Section("title", "title", title, 1), Section("body", role, body, 2)])


def rels(x):
    return {(r.head, r.type, r.tail) for r in x.relations}


def test_record_extraction_korean():
    x = extract_record(_record("Magpie: 작은 새 모델",
                               "Magpie는 새로운 방법을 제안합니다. Magpie는 BirdQA 벤치마크에서 평가되었고 "
                               "기존 CrowNet을 능가했습니다. 일반적인 기존 모델들을 능가했다."))
    assert {("Magpie", "proposedBy", "@paper"), ("@paper", "evaluatedOn", "BirdQA"),
            ("Magpie", "improvesOn", "CrowNet")} <= rels(x)
    assert not any(r.type == "improvesOn" and r.tail != "CrowNet" for r in x.relations)  # unnamed baselines
    types = {m.text: m.type for m in x.mentions}
    assert types == {"Magpie": "Method", "BirdQA": "Benchmark", "CrowNet": "Method"}
    assert all(0 < r.confidence <= 1 and r.evidence.sentence for r in x.relations)


def test_record_extraction_english():
    x = extract_record(_record("Osprey: Sharp Eyes for Agents",
                               "We introduce Osprey, built on Llama-3-8B. Osprey surpasses KiteAgent on "
                               "the NestBench benchmark."))
    assert {("Osprey", "proposedBy", "@paper"), ("Osprey", "basedOn", "Llama-3-8B"),
            ("Osprey", "improvesOn", "KiteAgent"), ("@paper", "evaluatedOn", "NestBench")} <= rels(x)


def test_title_benchmark_hint():
    x = extract_record(_record("Swift-Bench: A Benchmark for Tiny Agents", "Swift-Bench를 소개한다."))
    assert {m.text: m.type for m in x.mentions}["Swift-Bench"] == "Benchmark"


def test_org_canonicalisation():
    assert canonical_org("stability ai") == "Stability AI"
    assert canonical_org("shaomi") == "Xiaomi"  # typo within edit distance 2
    assert canonical_org("nvidia") == "NVIDIA"
    assert canonical_org("some lab") == "Some Lab"


def _section_texts(folder: str) -> list[str]:
    from kg.build import collect_files
    from kg.readers import read_document
    return [s.text for f in collect_files([folder]) for rec in read_document(f).records for s in rec.sections]


def _found(doc) -> tuple:
    cands = [(c.text, c.start, c.end, c.s, c.e, sorted(c.flags), sorted(c.scores.items()), c.aliases)
             for c in doc._.kg_candidates]
    return cands, doc._.kg_sentences, doc.user_data["kg_sents"]


def test_spacy_pipeline_finds_what_the_build_finds(nlp):
    """The build runs the components on token tables (make_pipeline); a spaCy
    pipeline (make_nlp) with the same components finds the same names, flags
    and sentences in every section of the examples and the real reviews, and
    its ``doc.sents`` follow the same boundaries."""
    import os
    from conftest import EXAMPLES, SHARED
    from kg.pipeline import make_pipeline
    run = make_pipeline()
    texts = _section_texts(EXAMPLES)
    shared = os.path.isdir(os.path.join(SHARED, "seeds"))  # the real reviews, when present beside the project
    if shared:
        texts += _section_texts(os.path.join(SHARED, "seeds")) + _section_texts(os.path.join(SHARED, "corpus"))
    found = 0
    for text in texts:
        table_doc, spacy_doc = run(text, known=["Lantern"], role="body"), nlp.make_doc(text)
        spacy_doc.user_data.update(known=["Lantern"], role="body")
        for _, proc in nlp.pipeline:
            spacy_doc = proc(spacy_doc)
        assert _found(table_doc) == _found(spacy_doc), text[:80]
        if len(spacy_doc):
            assert [s.start for s in spacy_doc.sents] == [s for s, _, _, _ in spacy_doc.user_data["kg_sents"]]
        found += len(table_doc._.kg_candidates)
    assert found > (3000 if shared else 40)  # the examples alone: ~54


def test_extraction_does_not_import_spacy(tmp_path):
    """An update's extraction process starts in a fraction of a second because
    it needs no spaCy (whose import alone takes about a second)."""
    import os
    import subprocess
    import sys
    from conftest import EXAMPLES
    example = os.path.join(EXAMPLES, "blog_2025-03-02.md")
    code = ("import sys; from kg.process import process_file; res = process_file(sys.argv[1]);"
            "assert res.extractions and res.extractions[0].mentions; print('spacy' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code, example], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


@pytest.mark.parametrize("title, names", [
    ("Osprey: Sharp Eyes for Agents", ["Osprey"]),
    ("Reading notes: Heron-7B, an open model that reasons", ["Heron-7B"]),  # the post's words, then the name
    ("Paper review: what I learned this week", []),
    ("Visual Token Mixing: a study", ["Visual Token Mixing"]),
    ("Wren", ["Wren"]),                                                  # a digest titles a paper by its name
    ("A Survey of Token Mixing", []),
])
def test_names_a_title_gives_the_paper(title, names):
    from kg.extract import title_names
    rec = _record(title, "")
    assert [n for n, _, _ in title_names(rec)] == names
