"""The trained mention model: its features on sentences of our own, deterministic
training, and the shipped weights being what ``python -m kg.train`` makes."""
import filecmp
import json
import os

import pytest
from conftest import SHARED, needs_shared

from kg.extract import extract_records, iter_candidates
from kg.mention_model import MODEL_PATH, features_of_text
from kg.readers import read_string


def candidates(text: str, path: str = "review.md") -> dict[str, dict]:
    """text of each candidate → its features (all records of the document)."""
    return {a.text: x for _, _, a, x in iter_candidates(read_string(text, path).records)}


NOTE_KO = """# QuillNet: 가벼운 문서 이해 모델

- Paper: https://arxiv.org/abs/2511.00011

## 요약
- **Venue**: NeurIPS 2025
- 본 논문은 QuillNet을 제안한다. QuillNet은 DocVQA 벤치마크에서 기존 LayoutLMv3보다 높은 정확도를 보였다.
- 학습에는 NVIDIA A100 8장과 128GB 메모리를 사용했고, 코드는 Apache 2.0 License로 공개되었다.
"""

DIGEST_EN = "\n".join(
    f"## {i}. [Paper {i}](https://arxiv.org/abs/2511.0010{i})\n\n**Category**: cs.CL\n\n"
    f"We introduce Model{i}X, which outperforms {'BaseNet' if i % 2 else 'OtherNet'} on the LongBench benchmark.\n"
    f"- benchmarks: MMLU, GSM8K\n"
    for i in range(1, 5))


def test_shape_features_describe_the_text_not_the_name():
    x = features_of_text("TallyQA-Complex")
    assert x["ends_qa"] == 0.0 and x["has_hyphen"] == 1.0 and x["camel"] == 1.0
    assert features_of_text("LongBench")["ends_bench"] == 1.0
    assert features_of_text("Qwen2.5-7B")["size_suffix"] == 1.0
    assert features_of_text("Pipeline")["plain_word"] == 1.0
    assert features_of_text("W_Q")["math"] == 1.0
    # no feature is keyed by the name or its tokens
    assert set(features_of_text("QuillNet")) == set(features_of_text("Goal"))


def test_korean_note_cues_and_junk():
    c = candidates(NOTE_KO)
    quill, layout, doc = c["QuillNet"], c["LayoutLMv3"], c["DocVQA"]
    assert quill["flag_propose"] == 1.0 and quill["title_name"] == 1.0 and quill["own"] == 1.0
    assert layout["flag_compare"] == 1.0 and layout.get("own", 0.0) == 0.0
    assert doc["flag_eval"] == 1.0 and doc["score_benchmark"] > doc["score_method"]
    for junk in ("NeurIPS 2025", "NVIDIA A100", "128GB", "Apache 2.0 License"):
        assert junk not in c  # shapes that are never names do not reach the model
    ext = extract_records(read_string(NOTE_KO, "review.md").records)[0]
    types = {m.text: m.type for m in ext.mentions}
    assert types["QuillNet"] == "Method" and types["DocVQA"] == "Benchmark"
    assert "Venue" not in types
    assert all(0.0 < m.confidence <= 1.0 for m in ext.mentions)


def test_english_digest_labels_and_document_template():
    c = candidates(DIGEST_EN)
    cat = c.get("Category")
    assert cat is None or (cat["doc_template"] == 1.0 and cat["label_share"] == 1.0)
    assert c["MMLU"]["flag_labelled"] == 1.0 and c["MMLU"]["flag_eval"] == 1.0
    assert c["BaseNet"]["flag_compare"] == 1.0
    assert c["BaseNet"]["doc_records_share"] == 0.5 and c["BaseNet"]["doc_multi"] == 1.0
    exts = extract_records(read_string(DIGEST_EN, "digest.md").records)
    names = {m.text: m.type for e in exts for m in e.mentions}
    assert names["MMLU"] == "Benchmark" and names["Model1X"] == "Method"
    assert "Category" not in names and "cs.CL" not in names
    rel = {(r.head, r.type, r.tail) for e in exts for r in e.relations}
    assert ("Model1X", "improvesOn", "BaseNet") in rel


@needs_shared
def test_training_is_deterministic_and_the_shipped_weights_are_its_result(tmp_path):
    pytest.importorskip("sklearn")
    from kg.train import main
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    assert main(["--shared", SHARED, "--out", str(a)]) == 0
    assert main(["--shared", SHARED, "--out", str(b)]) == 0
    assert a.read_bytes() == b.read_bytes()
    assert json.loads(a.read_text()) == json.loads(MODEL_PATH.read_text()), \
        "kg/models/mentions.json is stale: run python -m kg.train"


@needs_shared
def test_a_build_with_fresh_weights_equals_one_with_the_shipped(tmp_path, monkeypatch):
    pytest.importorskip("sklearn")
    from kg.build import build
    from kg.train import main
    fresh = tmp_path / "fresh.json"
    assert main(["--shared", SHARED, "--out", str(fresh), "--exclude", "LogicBaron"]) == 0
    seeds = os.path.join(SHARED, "seeds")
    outs = {}
    for name, weights in (("shipped", str(MODEL_PATH)), ("fresh", str(fresh)), ("again", str(fresh))):
        monkeypatch.setenv("KG_MENTION_MODEL", weights)
        outs[name] = tmp_path / f"{name}.jsonl"
        build([seeds], jobs=1).write_jsonl(str(outs[name]))
    assert filecmp.cmp(outs["fresh"], outs["again"], shallow=False)
    # other weights (trained without a source) give another graph: the weights are what decides
    assert not filecmp.cmp(outs["shipped"], outs["fresh"], shallow=False)
    full = tmp_path / "full.json"  # (weights are cached by path)
    main(["--shared", SHARED, "--out", str(full)])
    monkeypatch.setenv("KG_MENTION_MODEL", str(full))
    build([seeds], jobs=1).write_jsonl(str(tmp_path / "full.jsonl"))
    assert filecmp.cmp(outs["shipped"], tmp_path / "full.jsonl", shallow=False)
