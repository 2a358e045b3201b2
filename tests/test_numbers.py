"""Numbers of reported results (kg.pipeline.numbers), on sentences of our own in Korean and English."""
import pytest

from kg.pipeline.numbers import find_numbers, metric_direction, parse_value


def kinds(sentence):
    return [(n.value, n.unit, n.kind) for n in find_numbers(sentence)]


@pytest.mark.parametrize("sentence, expected", [
    ("OwlBench에서 73.2%를 기록했다.", [(73.2, "%", "score")]),
    ("HeronQA 정확도는 61.3으로 기존보다 +4.8점 높다.", [(61.3, None, "score"), (4.8, None, "delta")]),
    ("Owl-7B reaches 58.9 pass@1 on ZebraCode, 5.2%p above the baseline.",
     [(58.9, None, "score"), (5.2, "%", "delta")]),
    ("속도는 3배 빠르고, 토큰은 2x fewer.", [(3.0, "x", "multiplier"), (2.0, "x", "multiplier")]),
    ("scores 70-75% on OwlBench", [(70.0, "%", "range")]),
    ("OwlBench에서 90% 이상, about 61% on HeronQA, ~70% 평균", [(90.0, "%", "bound"), (61.0, "%", "approx"),
                                                          (70.0, "%", "approx")]),
    ("trained on 300K samples with a 7B model and 1.2k steps", [(300.0, "K", "size"), (7.0, "B", "size"),
                                                               (1.2, "k", "size")]),
    ("HeronGen은 OwlNet 256×256에서 FID 1.9, at 512 x 512 FID 2.4", [(256.0, None, "size"), (256.0, None, "size"),
                                                               (1.9, None, "score"), (512.0, None, "size"),
                                                               (512.0, None, "size"), (2.4, None, "score")]),
    ("７３．２％ on OwlBench, 73,2 % on HeronQA", [(73.2, "%", "score"), (73.2, "%", "score")]),
    ("the error fell by -1.3 points", [(-1.3, None, "delta")]),
    # "점" and "points" are a score's unit unless a change is said
    ("OwlBench에서 52.3점을 기록, HeronNet보다 1.2점 높고 3점 상승", [(52.3, None, "score"), (1.2, None, "delta"),
                                                         (3.0, None, "delta")]),
    ("scores 61.3 points on ZebraQA, 4.1 points higher than HeronNet", [(61.3, None, "score"),
                                                                       (4.1, None, "delta")]),
    # counts of things, list and question numbers: never scores
    ("OwlBench는 1,204개의 영상과 36개 과제로 구성된다.", [(1204.0, None, "count"), (36.0, None, "count")]),
    ("HeronSet gathers 412 annotated clips from 9 hospitals", [(412.0, None, "count"), (9.0, None, "count")]),
    ("- 3. OwlBench에서의 결과", [(3.0, None, "enum")]),
    ("Does it transfer? 2. How", [(2.0, None, "enum")]),
    # a change: its start is a baseline's, its end a score, a gain is a delta
    ("오류율을 12.5%에서 3.1%로 낮췄다", [(12.5, "%", "from"), (3.1, "%", "score")]),
    ("raises recall from 40.0% to 52.5%", [(40.0, "%", "from"), (52.5, "%", "score")]),
    ("이전 최고 대비 6.4% 향상된 71.0%", [(6.4, "%", "delta"), (71.0, "%", "score")]),
    ("improves pass@1 by 4.1% over the baseline", [(4.1, "%", "delta")]),
])
def test_numbers_are_read_with_their_kind(sentence, expected):
    assert kinds(sentence) == expected


@pytest.mark.parametrize("sentence", ["AIME 2025와 GPT-4o, Qwen2.5-7B, pass@1, arXiv 2503.00101", "OwlBench-12 v2.1"])
def test_years_versions_and_names_are_not_numbers(sentence):
    assert kinds(sentence) == []


def test_values_parse_or_are_refused():
    assert [parse_value(s) for s in ("73.2", "73,2", "1,234", "１２", "1.2.3", "")] == [73.2, 73.2, 1234.0, 12.0,
                                                                                      None, None]


def test_metric_direction_ranks_only_what_it_knows():
    assert [metric_direction(m) for m in ("Accuracy", "pass@1", "FID", "WER", "perplexity", "Top-1", "charm")] == \
        ["higher", "higher", "lower", "lower", "lower", "higher", None]


def _results(text, benches, methods=(), own=()):
    from kg.model import Section
    from kg.pipeline.results import record_results
    return [(r.method, r.benchmark, r.value, r.unit) for r in
            record_results([Section("body", "body", text, 1)], list(benches), list(methods), set(own))]


def test_sentence_results_tie_numbers_to_benchmarks_and_methods():
    assert _results("OwlNet은 ZebraBench에서 73.2%를 기록해 HeronNet(65.1%)을 능가했다.", ["ZebraBench"],
                    ["OwlNet", "HeronNet"], ["OwlNet"]) == [("@paper", "ZebraBench", 73.2, "%"),
                                                           ("HeronNet", "ZebraBench", 65.1, "%")]
    assert _results("It reaches 58.9 pass@1 on ZebraCode, +4.1 points over the 7B baseline.", ["ZebraCode"]) == \
        [("@paper", "ZebraCode", 58.9, None)]
    assert _results("No benchmark here: 73.2% of the time.", ["ZebraCode"]) == []


def test_table_results_read_header_benchmarks_and_row_methods():
    table = ("| Model | ZebraBench (acc) | HeronQA |\n|---|---|---|\n| OwlNet | 73.2 | 61.0% |\n"
             "| HeronNet | 65.1 | 58.4 |\n")
    assert _results(table, ["ZebraBench", "HeronQA"], ["OwlNet", "HeronNet"], ["OwlNet"]) == [
        ("@paper", "ZebraBench", 73.2, None), ("@paper", "HeronQA", 61.0, "%"),
        ("HeronNet", "ZebraBench", 65.1, None), ("HeronNet", "HeronQA", 58.4, None)]


def test_table_results_read_turned_tables_too():
    """Benchmarks down the side and methods across the top; a column that names no method
    of the record (an average, a delta) is not a result."""
    table = ("| Benchmark | OwlNet | HeronNet | Δ |\n|---|---|---|---|\n| ZebraBench (acc) | 62.1 | 54.1 | +8.0 |\n"
             "| HeronQA | 95.2% | 94.5% | +0.7 |\n| Average | 78.7 | 74.3 | +4.4 |\n")
    assert _results(table, ["ZebraBench", "HeronQA"], ["OwlNet", "HeronNet"], ["OwlNet"]) == [
        ("@paper", "ZebraBench", 62.1, None), ("HeronNet", "ZebraBench", 54.1, None),
        ("@paper", "HeronQA", 95.2, "%"), ("HeronNet", "HeronQA", 94.5, "%")]


def test_a_method_the_sentence_uses_is_not_the_scorer():
    assert _results("OwlNet은 HeronRL을 변형한 학습법으로 ZebraBench에서 79.2%를 달성, CraneLM(79.8%)에 근접했다.",
                    ["ZebraBench"], ["OwlNet", "HeronRL", "CraneLM"], ["OwlNet"]) == [
        ("@paper", "ZebraBench", 79.2, "%"), ("CraneLM", "ZebraBench", 79.8, "%")]


def test_prose_in_table_cells_is_read_like_sentences():
    """A digest's table with a summary column: the summary's scores are results."""
    table = ("| # | 논문 | 요약 |\n|---|---|---|\n| 1 | OwlNet | OwlNet은 ZebraBench에서 52.3점을 기록했다 |\n"
             "| 2 | HeronNet | reaches 61.0% on HeronQA, a new best |\n")
    assert _results(table, ["ZebraBench", "HeronQA"], ["OwlNet", "HeronNet"], ["OwlNet"]) == [
        ("@paper", "ZebraBench", 52.3, None), ("HeronNet", "HeronQA", 61.0, "%")]


def test_a_score_before_on_makes_what_follows_an_evaluation(tmp_path):
    """"reaches 48.2% on ReedQA" evaluates ReedQA with no other evaluation word in the sentence."""
    import kg
    (tmp_path / "a.md").write_text("### [Heron: Paired Retrieval](https://arxiv.org/abs/2501.03002)\n\n"
                                   "Heron reaches 48.2 nDCG@10 on ReedQA and 70.5% on MarshQA.\n")
    g = kg.build([str(tmp_path)])
    assert {p["name"] for _, _, p in g.nodes("Benchmark")} == {"ReedQA", "MarshQA"}
    assert sorted((p["benchmark"], p["value"]) for _, _, p in g.nodes("Result")) == [("MarshQA", 70.5),
                                                                                    ("ReedQA", 48.2)]


def test_results_follow_on_respectively_and_changes():
    assert _results("OwlNet scores 81.2% on ZebraQA and 64.0% on HeronVQA.", ["ZebraQA", "HeronVQA"],
                    ["OwlNet"], ["OwlNet"]) == [("@paper", "ZebraQA", 81.2, "%"), ("@paper", "HeronVQA", 64.0, "%")]
    assert _results("OwlNet lifts accuracy by reaching 70.5% and 62.25% on ZebraQA and HeronVQA, respectively.",
                    ["ZebraQA", "HeronVQA"], ["OwlNet"], ["OwlNet"]) == [
        ("@paper", "ZebraQA", 70.5, "%"), ("@paper", "HeronVQA", 62.25, "%")]
    # the start of a change belongs to the baseline named, its end to the paper
    assert _results("ZebraQA에서 HeronNet의 정확도를 40.5%에서 58.0%로 높였다.", ["ZebraQA"], ["HeronNet", "OwlNet"],
                    ["OwlNet"]) == [("HeronNet", "ZebraQA", 40.5, "%"), ("@paper", "ZebraQA", 58.0, "%")]
    # what a benchmark is made of is not a result
    assert _results("ZebraQA는 3,100개의 질문과 12개 분야로 구성된다.", ["ZebraQA"]) == []
