"""NER windows: runs of whole sentences the NER model reads as one sequence.

Natasha tags a whole document at once, so a name at a sentence start sees the
sentence before it. Windows keep that context and stay bounded for very long
documents: consecutive sentences of one piece of a document, up to WINDOW_TOKENS tokens.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from itertools import accumulate

from .bio import bio_spans

WINDOW_TOKENS = 4096


def window_bounds(sizes: Sequence[int], limit: int = WINDOW_TOKENS) -> Iterator[tuple[int, int]]:
    """Sentence index ranges: [5, 5, 5], limit 10 -> (0, 2), (2, 3)"""
    start, total = 0, 0
    for index, size in enumerate(sizes):
        if index > start and total + size > limit:
            yield start, index
            start, total = index, 0
        total += size
    if start < len(sizes):
        yield start, len(sizes)


def sentence_tags(tags: Sequence[str], sizes: Sequence[int]) -> Iterator[list[str]]:
    """A window's tags -> each sentence's, spans decoded as slovnet decodes them and cut at sentence ends.

    ['B-PER', 'I-PER', 'I-PER'], sizes [2, 1] -> ['B-PER', 'I-PER'], ['B-PER']
    """
    clean = ["O"] * len(tags)
    bounds = set(accumulate(sizes))
    for span in bio_spans(tags):
        for index in range(span.start, span.stop):
            opens = index == span.start or index in bounds
            clean[index] = ("B-" if opens else "I-") + span.type
    offset = 0
    for size in sizes:
        yield clean[offset : offset + size]
        offset += size


def ner_sentence_tags(
    tagger: Callable, sentences: Sequence[Sequence[str]], piece_sizes: Sequence[int], limit: int = WINDOW_TOKENS
) -> list[list[str]]:
    """BIO tags per sentence, the model having read each piece in windows.

    `sentences` are the word lists of all pieces in order; `piece_sizes` says
    how many sentences each piece has.
    """
    ranges: list[tuple[int, int]] = []
    offset = 0
    for count in piece_sizes:
        sizes = [len(sentences[offset + index]) for index in range(count)]
        ranges.extend((offset + start, offset + stop) for start, stop in window_bounds(sizes, limit))
        offset += count
    windows = [[word for index in range(start, stop) for word in sentences[index]] for start, stop in ranges]
    tags: list[list[str]] = []
    for (start, stop), window_tags in zip(ranges, tagger(windows), strict=False):
        tags.extend(sentence_tags(window_tags, [len(sentences[index]) for index in range(start, stop)]))
    return tags
