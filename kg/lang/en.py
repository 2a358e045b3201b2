"""English cue words."""

TYPE_CUES = {
    "Benchmark": ("benchmark", "benchmarks", "test suite", "leaderboard", "testbed", "evaluation suite"),
    "Dataset": ("dataset", "datasets", "corpus", "corpora", "data collection"),
    "Method": ("model", "models", "framework", "method", "approach", "algorithm", "architecture", "system",
               "pipeline", "technique", "loss", "module", "agent", "agents", "policy", "encoder", "decoder",
               "tokenizer", "protocol", "paradigm", "strategy", "family", "recipe", "optimizer"),
    "Organization": ("university", "institute", "lab", "labs", "inc", "corporation"),
}
PROPOSE = ("propose", "proposes", "proposed", "introduce", "introduces", "introduced", "present", "presents",
           "develop", "develops", "developed", "release", "releases", "we build", "construct", "constructs",
           "novel", "called", "named", "dubbed", "termed", "new")
IMPROVE = ("outperform", "outperforms", "outperformed", "outperforming", "surpass", "surpasses", "surpassed",
           "surpassing", "beat", "beats", "exceed", "exceeds", "better than", "superior to", "improves over",
           "improvement over", "improves upon", "gains over", "over")
IMPROVE_STRONG = ("outperform", "surpass", "beat", "exceed", "better than", "superior to", "improves over",
                  "improves upon", "improvement over")
EVALUATE = ("evaluate", "evaluated", "evaluation", "benchmark", "achieve", "achieves", "results", "accuracy",
            "score", "performance", "on")
BASED = ("based on", "built on", "builds on", "built upon", "initialized from", "initialised from",
         "fine-tuned from", "fine-tunes", "finetunes", "on top of", "backbone", "extends")
#: words that never end a name (trailing trim); STOP_CAPS adds discourse words for the leading trim
FUNCTION = frozenset("a an the this that these those we our it its they their in on at by for with to of and or but as from into via using is are was were be been".split())
STOP_CAPS = frozenset("""a an the this that these those we our it its they their in on at by for with to of and or
but as from into via using is are was were be been this however also both each all any some such than then
there here when where while which who whose what how why after before during between among across over under
about above below up down out new novel paper study research work approach method model models results experiments
experimental furthermore moreover additionally finally first second third notably overall specifically
existing previous prior recent current additionally compared based large small key extensive code data""".split())
