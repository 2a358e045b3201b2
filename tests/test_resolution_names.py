"""Resolution across papers: families and members stay apart, acronyms are bound per
paper, typo merging only for noise, nodes named as the field spells them. Names are
this project's own inventions (plus well-known public names the lexicon knows)."""
from kg.families import family_names, variant_edges
from kg.model import Mention
from kg.resolve import is_typo, name_key, resolve_group


def m(text, paper, typ="Method", aliases=(), variants=()):
    return Mention(text, typ, paper, f"{paper}.md", 1, {typ: 1.0}, list(aliases), variants=list(variants))


def node_of(res, paper, text):
    return res.entities[res.lookup[(paper, text)]]


def holds(res, a, b):
    """Whether some node holds both names (as the resolution scorer reads a graph)."""
    return any({name_key(a), name_key(b)} <= {name_key(f) for f in e.aliases | {e.name}} for e in res.entities.values())


def test_family_member_and_version_are_different_nodes():
    res = resolve_group([
        m("Owl-3-70B", "p1", variants=["Owl-3"]),  # the record called the member by its family too
        m("Owl-3", "p2"), m("Owl", "p3"), m("Owl-3-70B", "p4"), m("Owl 4", "p5")])
    assert node_of(res, "p1", "Owl-3") is node_of(res, "p1", "Owl-3-70B")  # within its paper, the member
    assert node_of(res, "p2", "Owl-3") is not node_of(res, "p4", "Owl-3-70B")
    assert not holds(res, "Owl-3", "Owl-3-70B") and not holds(res, "Owl", "Owl-3") and not holds(res, "Owl 4", "Owl")
    links = {(h, t) for h, _, t in variant_edges(res.entities)}  # and linked again, member → nearest family
    assert links == {("method:owl370b", "method:owl3"), ("method:owl3", "method:owl"), ("method:owl4", "method:owl")}


def test_family_names_are_the_name_less_its_version_size_and_variant_marks():
    assert family_names("Owl-3.1-70B-Instruct") == ["Owl-3.1-70B", "Owl-3.1", "Owl"]
    assert family_names("OwlBench 2025") == family_names("OwlBench-Pro") == family_names("OwlBench+") == ["OwlBench"]
    assert family_names("OwlNetv2") == family_names("OwlNet v2") == ["OwlNet"]
    assert family_names("Owl-8x7B") == ["Owl"] and family_names("q1-mini") == ["q1"]
    # a score, a dimension, a word or a trend are not marks of a member
    for name in ("OwlScore 29.95", "Owl3D", "OwlScore", "Z1-VL", "M-OwlBench", "Owl-Net"):
        assert family_names(name) == [], name


def test_a_family_of_another_type_or_absent_is_not_linked():
    res = resolve_group([m("Heron-2", "p1"), m("Heron", "p2", typ="Benchmark"),
                         m("HeronQA-Hard", "p3", typ="Benchmark"), m("HeronQA", "p4", typ="Dataset")])
    assert {(h, t) for h, _, t in variant_edges(res.entities)} == {("benchmark:heronqahard", "dataset:heronqa")}


def test_colliding_acronyms_stay_with_their_own_papers():
    res = resolve_group([
        m("Quiet Reward Search", "p1", aliases=["QRS"]),       # p1 defines QRS one way
        m("Query Rewrite Strategy", "p2", aliases=["QRS"]),    # p2 another way
        m("QRS", "p3", "Benchmark"), m("QRS", "p4", "Benchmark"), m("QRS", "p5", "Benchmark")])
    assert node_of(res, "p1", "QRS").name == "Quiet Reward Search"
    assert node_of(res, "p2", "QRS").name == "Query Rewrite Strategy"
    bare = node_of(res, "p3", "QRS")
    assert bare.type == "Benchmark" and bare is node_of(res, "p5", "QRS")
    assert not holds(res, "QRS", "Quiet Reward Search") and not holds(res, "Quiet Reward Search", "Query Rewrite Strategy")


def test_an_acronym_its_papers_agree_on_joins_across_papers():
    res = resolve_group([
        m("Lantern Graph Network", "p1", aliases=["LGN"]), m("Lantern Graph Network", "p2", aliases=["LGN"]),
        m("LGN", "p3"), m("LGN", "p4")])
    assert node_of(res, "p3", "LGN") is node_of(res, "p1", "Lantern Graph Network")
    assert holds(res, "LGN", "Lantern Graph Network")


def test_a_well_known_acronym_joins_only_the_lexicon_expansion():
    res = resolve_group([m("vLLM", f"p{i}") for i in range(5)] + [m("Very Large Language Models", "q", aliases=["vLLM"])]
                        + [m("CLIP", f"c{i}") for i in range(5)]
                        + [m("Contrastive Language-Image Pre-training", "d", aliases=["CLIP"])])
    assert not holds(res, "vLLM", "Very Large Language Models")
    assert holds(res, "CLIP", "Contrastive Language-Image Pre-training")
    assert node_of(res, "d", "Contrastive Language-Image Pre-training").name == "CLIP"  # the lexicon's spelling


def test_truncated_expansion_is_not_taken():
    from kg.pipeline.shapes import long_form
    assert long_form("PPO", "with Policy Optimization".split()) is None
    assert long_form("PPO", "Proximal Policy Optimization".split()) == 3
    assert long_form("VGoT", ["VideoGen-of-Thought"]) == 1  # a capital inside a word counts


def test_typo_vs_meaningful_difference():
    assert is_typo("lanternnet", "lanternet")          # a letter dropped inside a word
    assert is_typo("lanternnet", "lanternnets")        # a plural
    assert is_typo("lanternnet", "lantrennet")         # two letters swapped
    assert not is_typo("rewardbench", "mrewardbench")  # a prefix
    assert not is_typo("rewardbench", "rewordbench")   # a different letter
    assert not is_typo("humaneval", "humaneval+")      # a plus
    assert not is_typo("humaneval", "humanevalv")      # a variant letter at the end
    res = resolve_group([m("LanternBench", "p1", "Benchmark"), m("M-LanternBench", "p2", "Benchmark"),
                         m("LanternBenchs", "p3", "Benchmark"), m("LantrenBench", "p4", "Benchmark")])
    assert len(res.entities) == 2  # the plural and the swap fold into LanternBench; the prefix stays apart
    assert node_of(res, "p4", "LantrenBench").name == "LanternBench"
    assert node_of(res, "p2", "M-LanternBench") is not node_of(res, "p1", "LanternBench")


def test_acronym_plural_is_the_acronym():
    res = resolve_group([m("LGN", "p1"), m("LGNs", "p2")])
    assert len(res.entities) == 1


def test_node_names_follow_the_field_and_the_reviews():
    res = resolve_group([m("Gpt-4o", "p1"), m("GPT-4o", "p2"), m("Hellaswag", "p3", "Benchmark"),
                         m("Owlformer 2 Pro", "p4"), m("Owlformer-2-Pro", "p5"), m("Owlformer-2-Pro", "p6"),
                         m("Owlformer 2 Pro", "p7"),
                         m("Ravel-2-13B", "p8"), m("Ravel 2 13B", "p9"), m("Ravel 2 13B", "p10"), m("Ravel-2-13B", "p11")])
    assert node_of(res, "p1", "Gpt-4o").name == "GPT-4o"                # lexicon spelling, not the title-cased form
    assert node_of(res, "p3", "Hellaswag").name == "HellaSwag"
    assert node_of(res, "p4", "Owlformer 2 Pro").name == "Owlformer 2 Pro"  # no size: spaces
    assert node_of(res, "p8", "Ravel-2-13B").name == "Ravel-2-13B"          # with its size: hyphens
