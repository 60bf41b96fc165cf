"""Scores against gold: NER precision/recall/F1 over tokens or spans.

All add up over documents: `sum(counts, Counts())`.

NER spans are `Labelled(start, stop, type)`. Both sides are first adapted as naeval adapts them (`adapt`):
nested spans flattened outermost-first, then spans whose start is not a token's start or whose stop is
not a token's stop dropped. Then
  token   each token is in or out of a span of each type, on both sides; a token counts once a type
          (naeval's convention, behind the published Natasha/slovnet tables);
  span    a span counts when gold has the same (start, stop, type) (the CoNLL convention).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import NamedTuple


def divide(part: float, whole: float) -> float:
    return part / whole if whole else 0.0


@dataclass(frozen=True, slots=True)
class Counts:
    """Things (tokens, spans, pairs of mentions) found by both (tp), by the system only (fp), by gold only (fn)."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    def __add__(self, other: Counts) -> Counts:
        return Counts(self.tp + other.tp, self.fp + other.fp, self.fn + other.fn)

    @property
    def precision(self) -> float:
        return divide(self.tp, self.tp + self.fp)

    @property
    def recall(self) -> float:
        return divide(self.tp, self.tp + self.fn)

    @property
    def f1(self) -> float:
        return divide(2 * self.precision * self.recall, self.precision + self.recall)


class Labelled(NamedTuple):
    """An NER span: `text[start:stop]` is a PER, LOC or ORG."""

    start: int
    stop: int
    type: str


def flatten(spans: Iterable) -> list:
    """Outermost first: of overlapping spans the one starting first (then the longest) stays; of equal
    spans, the first given. `[МИД [Грузии]]` keeps МИД Грузии."""
    kept: list = []
    for span in sorted(spans, key=lambda _: (_.start, -_.stop)):
        if not kept or kept[-1].stop <= span.start:
            kept.append(span)
    return kept


def on_tokens(spans: Iterable[Labelled], tokens: Sequence[tuple[int, int]]) -> list[Labelled]:
    # 'Москва' in the token 'Москва-Баку' is not on token bounds: dropped
    starts, stops = {start for start, _ in tokens}, {stop for _, stop in tokens}
    return [_ for _ in spans if _.start in starts and _.stop in stops]


def adapt(spans: Iterable[Labelled], tokens: Sequence[tuple[int, int]]) -> list[Labelled]:
    """naeval's adaptation of gold and predicted spans alike: flattened, then kept on token bounds."""
    return on_tokens(flatten(spans), tokens)


def marked(spans: Iterable[Labelled], tokens: Sequence[tuple[int, int]], kind: str) -> set[int]:
    # indexes of the tokens inside a span of this type; tokens are in order
    starts, stops = [start for start, _ in tokens], [stop for _, stop in tokens]
    return {
        index
        for span in spans
        if span.type == kind
        for index in range(bisect_left(starts, span.start), bisect_right(stops, span.stop))
    }


def compare(gold: set, predicted: set) -> Counts:
    return Counts(len(gold & predicted), len(predicted - gold), len(gold - predicted))


def token_counts(tokens, gold: Iterable[Labelled], predicted: Iterable[Labelled], types: Sequence[str]) -> dict:
    """Per type, the tokens in a gold and a predicted span of that type (spans already adapted).

    >>> tokens = [(0, 5), (6, 14), (15, 17), (18, 24)]  # Игорь Бабушкин из Москвы
    >>> token_counts(tokens, [Labelled(0, 14, "PER")], [Labelled(6, 14, "PER")], ["PER"])
    {'PER': Counts(tp=1, fp=0, fn=1)}
    """
    gold, predicted = list(gold), list(predicted)
    return {_: compare(marked(gold, tokens, _), marked(predicted, tokens, _)) for _ in types}


def span_counts(gold: Iterable[Labelled], predicted: Iterable[Labelled], types: Sequence[str]) -> dict:
    """Per type, the spans equal in start, stop and type on both sides."""
    gold, predicted = set(gold), set(predicted)
    return {_: compare({s for s in gold if s.type == _}, {s for s in predicted if s.type == _}) for _ in types}
