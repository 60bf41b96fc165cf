"""BIO tags over a sentence's tokens -> mention spans, as token index ranges."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import NamedTuple


class TagSpan(NamedTuple):
    start: int  # index of the first token
    stop: int  # index after the last token
    type: str


def parse_bio(tag: str) -> tuple[str, str | None]:
    # 'B-PER' -> ('B', 'PER'); 'O' -> ('O', None)
    prefix, _, type_ = tag.partition("-")
    return prefix, type_ or None


def bio_spans(tags: Sequence[str]) -> Iterator[TagSpan]:
    """['B-PER', 'I-PER', 'O', 'B-LOC'] -> TagSpan(0, 2, 'PER'), TagSpan(3, 4, 'LOC')

    Decoded as slovnet decodes: an I- with no open span is dropped, an I- of
    another type extends the open span.
    """
    start, stop, current = 0, 0, None
    for index, tag in enumerate(tags):
        prefix, type_ = parse_bio(tag)
        if prefix != "I" and current:
            yield TagSpan(start, stop, current)
            current = None
        if prefix == "B":
            start, current = index, type_
        stop = index + 1
    if current:
        yield TagSpan(start, stop, current)
