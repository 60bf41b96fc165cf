"""Scores of normal forms and grouping against the FactRuEval gold, for normalization.py (and tests/test_factru.py):
normal-form accuracy (`tally`) and pairwise grouping counts (`pair_counts`), added up as `Counts` and `Tally`.

The NER scores `entities evaluate` gives are the library's, in entities.evaluation.scores.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from itertools import combinations

from entities.evaluation.scores import Counts, divide


@dataclass(frozen=True, slots=True)
class Tally:
    """Normal forms right out of all compared."""

    correct: int = 0
    total: int = 0

    def __add__(self, other: Tally) -> Tally:
        return Tally(self.correct + other.correct, self.total + other.total)

    @property
    def accuracy(self) -> float:
        return divide(self.correct, self.total)


def pair_counts(gold: Sequence[Hashable], predicted: Sequence[Hashable]) -> Counts:
    """Pairwise counts over one document's mentions: `gold[i]` is mention i's gold entity, `predicted[i]` ours.

    >>> pair_counts("aab", "xxx")  # (0, 1) right; (0, 2), (1, 2) joined wrongly
    Counts(tp=1, fp=2, fn=0)
    """
    if len(gold) != len(predicted):
        raise ValueError(f"expected one gold and one predicted entity a mention, got {len(gold)} and {len(predicted)}")
    tp = fp = fn = 0
    for i, j in combinations(range(len(gold)), 2):
        same_gold, same_predicted = gold[i] == gold[j], predicted[i] == predicted[j]
        tp += same_gold and same_predicted
        fp += same_predicted and not same_gold
        fn += same_gold and not same_predicted
    return Counts(tp, fp, fn)


def unify_yo(text: str) -> str:
    # 'Королёв' -> 'Королев'
    return text.replace("ё", "е").replace("Ё", "Е")


def strict(text: str) -> str:
    return text


def tally(pairs: Iterable[tuple[str, str]], fold=unify_yo) -> Tally:
    """(predicted, gold) normal forms -> how many are equal after `fold`.

    >>> tally([("Королёв", "Королев"), ("Москвы", "Москва")])
    Tally(correct=1, total=2)
    """
    pairs = list(pairs)
    return Tally(sum(fold(predicted) == fold(gold) for predicted, gold in pairs), len(pairs))
