"""NER windows: runs of whole sentences the NER model reads as one sequence.

Natasha tags a whole document at once, so a name at a sentence start sees the
sentence before it. Windows keep that context and stay bounded for very long
documents: consecutive sentences of one document up to WINDOW_TOKENS tokens.
"""

from __future__ import annotations

from typing import Callable, Iterator, Sequence

WINDOW_TOKENS = 4096


def windows(sizes: Sequence[int], limit: int = WINDOW_TOKENS) -> Iterator[tuple[int, int]]:
    """Sentence index ranges: [5, 5, 5], limit 10 -> (0, 2), (2, 3)"""
    start, total = 0, 0
    for index, size in enumerate(sizes):
        if index > start and total + size > limit:
            yield start, index
            start, total = index, 0
        total += size
    if start < len(sizes):
        yield start, len(sizes)


def open_span(tags: list[str]) -> list[str]:
    # a sentence cut out of a window starts a span it continues: I-ORG -> B-ORG
    if tags and tags[0].startswith("I-"):
        return ["B-" + tags[0][2:], *tags[1:]]
    return tags


def split_tags(tags: Sequence[str], sizes: Sequence[int]) -> Iterator[list[str]]:
    offset = 0
    for size in sizes:
        yield open_span(list(tags[offset : offset + size]))
        offset += size


def ner_sentence_tags(
    tagger: Callable, sentences: Sequence[Sequence[str]], doc_sizes: Sequence[int], limit: int = WINDOW_TOKENS
) -> list[list[str]]:
    """BIO tags per sentence, the model having read each document in windows.

    `sentences` are the word lists of all documents in order; `doc_sizes` says
    how many sentences each document has.
    """
    ranges, offset = [], 0
    for count in doc_sizes:
        sizes = [len(sentences[offset + index]) for index in range(count)]
        ranges.extend((offset + start, offset + stop) for start, stop in windows(sizes, limit))
        offset += count
    units = [[word for index in range(start, stop) for word in sentences[index]] for start, stop in ranges]
    tags: list[list[str]] = []
    for (start, stop), unit_tags in zip(ranges, tagger(units)):
        tags.extend(split_tags(unit_tags, [len(sentences[index]) for index in range(start, stop)]))
    return tags
