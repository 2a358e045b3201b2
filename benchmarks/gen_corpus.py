"""Generate a large, realistic review corpus in kg's real formats (our own text).

    python benchmarks/gen_corpus.py OUT_DIR --records 10000 [--per-file 50] [--seed 1] [--numbered]

Files mix the four formats (blog MDX, daily digest, 7-section summary, English
table) in Korean and English; each "day" is one file of ~per-file records;
about 15% of reviews repeat a paper from an earlier day. Names are invented
from syllables, so extraction does real work on unseen names.
"""
from __future__ import annotations

import argparse
import os
import random

SYL = ["ka", "ro", "mi", "zen", "tor", "vel", "qua", "nix", "lum", "dra", "syn", "pho", "gal", "rex", "tal", "vo"]
SUFFIX = ["Net", "LM", "Former", "Agent", "Diff", "VL", "Coder", "Reasoner", "GPT", "Flow"]
BENCH_SUFFIX = ["Bench", "QA", "-Eval", "Arena", "VQA"]
ORGS = ["nvidia", "google", "meta", "bytedance", "alibaba", "tencent", "microsoft", "kaist", "naver", "stability ai"]


class Names:
    def __init__(self, rnd: random.Random):
        self.rnd = rnd
        self.methods = [self._method() for _ in range(3000)]
        self.benches = [self._bench() for _ in range(400)]

    def _stem(self) -> str:
        r = self.rnd
        return "".join(r.choice(SYL) for _ in range(r.randint(2, 3))).capitalize()

    def _method(self) -> str:
        r = self.rnd
        name = self._stem() + r.choice(SUFFIX)
        if r.random() < 0.4:
            name += f"-{r.choice([1, 3, 7, 8, 13, 70])}B"
        return name

    def _bench(self) -> str:
        r = self.rnd
        return self._stem().upper()[: r.randint(3, 6)] + r.choice(BENCH_SUFFIX)

    def method(self) -> str:
        return self.rnd.choice(self.methods)

    def bench(self) -> str:
        return self.rnd.choice(self.benches)


def paper(rnd: random.Random, names: Names, pid: str) -> dict:
    own = names._method()
    return {"id": pid, "own": own, "base": names.method(), "rival": names.method(), "rival2": names.method(),
            "benches": [names.bench() for _ in range(rnd.randint(1, 3))], "org": rnd.choice(ORGS),
            "title": f"{own}: {rnd.choice(['Scaling', 'Efficient', 'Robust', 'Unified'])} "
                     f"{rnd.choice(['Reasoning', 'Video Generation', 'Retrieval', 'Agents', 'Alignment'])} "
                     f"{rnd.choice(['for Small Models', 'at Scale', 'with Sparse Rewards', 'without Labels'])}"}


def ko_body(p: dict) -> list[str]:
    b = ", ".join(p["benches"])
    return [f"{p['own']}는 {p['base']} 모델을 기반으로 새로운 학습 방법을 제안합니다.",
            "이 방법은 긴 문맥에서도 안정적으로 동작하며, 계산 비용을 크게 줄입니다. " * 6,
            f"{b} 벤치마크에서 평가한 결과 기존 {p['rival']}를 능가하는 성능을 보였습니다.",
            f"또한 {p['rival2']}보다 우수한 정확도를 기록했으며, 추론 속도도 향상되었습니다."]


def en_body(p: dict) -> str:
    b = " and ".join(p["benches"])
    return (f"This paper introduces {p['own']}, a novel method built on {p['base']}. "
            f"Experiments on {b} show that {p['own']} outperforms {p['rival']} while using fewer resources. "
            "The approach is simple to implement and scales to large models. " * 8)


def blog(day: str, ps: list[dict]) -> str:
    out = [f"import fig from './asset/{day}.png';\n", f"# {day} papers review\n"]
    for i, p in enumerate(ps, 1):
        out.append(f"## {i}. [{p['own']}](https://huggingface.co/papers/{p['id']}) `{p['org']}`")
        out.append(f"### {p['title'].split(': ', 1)[1]}\n")
        out += [s + "\n" for s in ko_body(p)]
    return "\n".join(out)


def digest(day: str, ps: list[dict]) -> str:
    out = [f"## Daily Papers ({day})\n"]
    for p in ps:
        kb = ko_body(p)
        out += [f"### [{p['title']}](https://arxiv.org/abs/{p['id']})\n", f"Vote: {len(p['own']) * 3}\n",
                "Authors: Ana Kim, Bo Lee, Chen Wu\n",
                f"- ***What's New***: {kb[0]}", f"- ***Technical Details***: {kb[1]}",
                f"- ***Performance Highlights***: {kb[2]} {kb[3]}\n"]
    return "\n".join(out)


def summary(day: str, ps: list[dict]) -> str:
    out = [f"# 📰 Hugging Face Daily Papers – {day}\n"]
    for p in ps:
        kb = ko_body(p)
        out += [f"## {p['id']}", f"🔗 https://huggingface.co/papers/{p['id']}\n", "**Summary**:", "```markdown",
                f"# {p['title']}\n", "## 1. 핵심 동기와 문제 정의\n", kb[1] + "\n", "## 2. 주요 기여 및 참신성\n",
                f"- **{p['own']} 제안**: {kb[0]}\n", "## 3. 모델 아키텍처 및 학습 설정\n", kb[1] + "\n",
                "## 4. 실험 설정\n", f"- **사용된 데이터셋**: {', '.join(p['benches'])}",
                f"- **비교 대상(Baseline)**: {p['rival']} 및 {p['rival2']}와 비교하였습니다.\n",
                "## 5. 정량적 결과\n", kb[2] + "\n", "## 6. 한계점 및 잠재적 실패 요인\n", kb[1] + "\n",
                "## 7. 후속 연구 아이디어 또는 확장 방향\n", "- 더 큰 모델로 확장할 수 있습니다.", "```\n", "---\n"]
    return "\n".join(out)


def english(day: str, ps: list[dict]) -> str:
    out = [f"## Papers for {day}\n", "| Title | Authors | Summary | Link |", "|-------|---------|---------|------|"]
    for p in ps:
        out.append(f"| {p['title']} | Ana Kim, Bo Lee | {en_body(p)} | [Read more](https://arxiv.org/abs/{p['id']}) |")
    return "\n".join(out) + "\n"


INSTITUTIONS = {"nvidia": "NVIDIA", "google": "Google DeepMind", "meta": "Meta AI", "bytedance": "ByteDance Seed",
                "alibaba": "Alibaba Qwen Team", "tencent": "Tencent Hunyuan", "microsoft": "Microsoft Research",
                "kaist": "KAIST", "naver": "NAVER Cloud", "stability ai": "Stability AI"}


def numbered(day: str, ps: list[dict]) -> str:
    """A blog post whose papers are one numbered list under one heading: a bold title and
    votes, then sub-bullets for the institution, the paper link and the abstract."""
    out = ["---", f"title: \"{day} 오늘의 논문\"", f"date: {day}", "---", "",
           f"# {day} 데일리 논문", "", "오늘 눈에 띈 논문들입니다.", "", "## 논문 목록", ""]
    for i, p in enumerate(ps, 1):
        kb = ko_body(p)
        out += [f"{i}. **{p['title']}** - 👍 {len(p['own']) * 7}",
                f"   - 기관: {INSTITUTIONS[p['org']]}",
                f"   - [논문 링크](https://arxiv.org/abs/{p['id']})",
                f"   - Abstract: {kb[0]} {kb[2]}", ""]
    return "\n".join(out) + "\n"


FORMATS = [("blog", blog, ".md"), ("digest", digest, ".md"), ("summary", summary, ".md"), ("english", english, ".md")]


def generate(out_dir: str, records: int, per_file: int = 50, seed: int = 1, start_day: int = 0) -> list[str]:
    rnd = random.Random(seed)
    names = Names(rnd)
    os.makedirs(out_dir, exist_ok=True)
    seen: list[dict] = []
    files, made, day = [], 0, start_day
    while made < records:
        n = min(per_file, records - made)
        ps = []
        earlier = len(seen)  # a review repeats a paper of an earlier day, never one of its own file
        for _ in range(n):
            again = seen[rnd.randrange(earlier)] if earlier and rnd.random() < 0.15 else None
            if again is not None and all(again is not p for p in ps):
                ps.append(again)
            else:
                pid = f"{24 + (day // 365) % 2}{(day // 30) % 12 + 1:02d}.{len(seen):05d}"
                ps.append(paper(rnd, names, pid))
                seen.append(ps[-1])
        date = f"20{24 + (day // 365) % 2}-{(day // 30) % 12 + 1:02d}-{day % 28 + 1:02d}"
        kind, fn, ext = FORMATS[day % len(FORMATS)]
        path = os.path.join(out_dir, f"{day:05d}_{kind}{ext}")
        with open(path, "w", encoding="utf-8") as fh:
            fh.write(fn(date, ps))
        files.append(path)
        made += n
        day += 1
    return files


def generate_numbered(out_dir: str, records: int, per_file: int = 10, seed: int = 3) -> list[tuple[str, list[dict]]]:
    """Numbered-list digests (:func:`numbered`); returns each file with the papers it lists."""
    rnd = random.Random(seed)
    names = Names(rnd)
    os.makedirs(out_dir, exist_ok=True)
    out, made, day = [], 0, 0
    while made < records:
        ps = [paper(rnd, names, f"2503.{made + k:05d}") for k in range(min(per_file, records - made))]
        path = os.path.join(out_dir, f"2025-03-{day % 28 + 1:02d}-digest-{day:04d}.md")
        with open(path, "w", encoding="utf-8") as fh:
            fh.write(numbered(f"2025-03-{day % 28 + 1:02d}", ps))
        out.append((path, ps))
        made += len(ps)
        day += 1
    return out


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--records", type=int, default=1000)
    ap.add_argument("--per-file", type=int, default=50)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--numbered", action="store_true",
                    help="numbered-list digests instead (1. **Title** - 👍 N, then 기관 / 논문 링크 / Abstract bullets)")
    a = ap.parse_args()
    if a.numbered:
        fs = [f for f, _ in generate_numbered(a.out, a.records, a.per_file, a.seed)]
    else:
        fs = generate(a.out, a.records, a.per_file, a.seed)
    print(f"{len(fs)} files, {sum(os.path.getsize(f) for f in fs) / 1e6:.1f} MB in {a.out}")
