"""What each NER correction rule is worth: token F1 with every rule, without each one, and with none.

    python benchmarks/ablation.py [--sets devset testset] [--gold DIR] [--convention token]
    python benchmarks/ablation.py --speed [--rounds 5]

--speed times instead the pipeline with all rules against the raw model (`rules=[]`), in one
process, alternating, on the FactRuEval test set texts, and prints the ratio of their throughputs.

For each FactRuEval set (../shared/gold/factru/SET) it scores, in one run, the raw model
(`Pipeline(rules=[])`), all rules (`Pipeline()`), and all rules but one, for each rule
(entities.mentions.correction.RULES). A rule's gain is F1(all) - F1(all but it), per type, in points.
Rules were tuned on the devset only.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import pandas as pd

import entities
from entities import Pipeline
from entities.evaluation.readers import read_gold
from entities.mentions.correction import RULES

GOLD = Path(__file__).resolve().parent.parent.parent / "shared" / "gold" / "factru"
TYPES = ["PER", "LOC", "ORG", "micro"]


def systems() -> dict[str, Pipeline]:
    chosen = {"raw model": Pipeline(rules=[]), "all rules": Pipeline()}
    chosen.update({f"without {rule}": Pipeline(rules=[_ for _ in RULES if _ != rule]) for rule in RULES})
    return chosen


def f1_table(gold_dir: Path, convention: str) -> pd.DataFrame:
    scores = entities.evaluate(read_gold(gold_dir), system=systems(), conventions=[convention])
    return scores.pivot(index="system", columns="type", values="f1")[TYPES]


def report(name: str, table: pd.DataFrame) -> pd.DataFrame:
    rows = {"raw model": table.loc["raw model"], "all rules": table.loc["all rules"]}
    for rule in RULES:
        rows[f"gain of {rule}"] = table.loc["all rules"] - table.loc[f"without {rule}"]
    result = pd.DataFrame(rows).T * 100
    print(f"\n{name}: token F1 (rows 1-2) and each rule's gain, in points")
    print(result.to_string(float_format=lambda _: f"{_:+.2f}" if abs(_) < 50 else f"{_:.2f}"))
    return result


def speed(gold_dir: Path, rounds: int) -> None:
    import time

    from entities import Text

    texts = [Text(doc.text, doc.id) for doc in read_gold(gold_dir)]
    chars = sum(len(text.text) for text in texts)
    pipelines = {"raw model": Pipeline(rules=[]).load(), "all rules": Pipeline().load()}
    for pipeline in pipelines.values():
        list(pipeline.pipe(texts))  # warm caches alike
    best = dict.fromkeys(pipelines, float("inf"))
    for _ in range(rounds):
        for name, pipeline in pipelines.items():
            start = time.perf_counter()
            for _ in pipeline.pipe(texts):
                pass
            best[name] = min(best[name], time.perf_counter() - start)
    for name, seconds in best.items():
        print(f"{name:10} {chars / seconds:10,.0f} characters/s (best of {rounds})")
    print(f"all rules / raw model throughput: {best['raw model'] / best['all rules']:.3f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sets", nargs="+", default=["devset", "testset"])
    parser.add_argument("--gold", type=Path, default=GOLD, help="the factru directory holding the sets")
    parser.add_argument("--convention", default="token", choices=["token", "span"])
    parser.add_argument("--speed", action="store_true", help="time all rules against none instead")
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    if args.speed:
        speed(args.gold / "testset", args.rounds)
        return
    for name in args.sets:
        report(name, f1_table(args.gold / name, args.convention))


if __name__ == "__main__":
    main()
