"""razdel -> sentences and tokens, with offsets into the whole document."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import NamedTuple

from razdel import sentenize, tokenize

PARAGRAPH_BREAK = re.compile(r"\n[ \t\r\f\v]*\n\s*")


class Span(NamedTuple):
    start: int
    stop: int
    text: str


class Segment(NamedTuple):
    """A sentence and its tokens, offsets counted from the start of the document."""

    sentence: Span
    tokens: list[Span]


def adapt_substring(substring, offset: int = 0) -> Span:
    return Span(substring.start + offset, substring.stop + offset, substring.text)


def paragraphs(text: str) -> Iterator[Span]:
    # a title with no full stop ends at the blank line after it
    start = 0
    for match in PARAGRAPH_BREAK.finditer(text):
        yield Span(start, match.start(), text[start : match.start()])
        start = match.end()
    yield Span(start, len(text), text[start:])


def sentences(text: str) -> Iterator[Span]:
    for paragraph in paragraphs(text):
        for substring in sentenize(paragraph.text):
            if substring.text:  # razdel gives one empty sentence for ''
                yield adapt_substring(substring, paragraph.start)


def tokens(sentence: Span) -> list[Span]:
    return [adapt_substring(_, sentence.start) for _ in tokenize(sentence.text)]


def shift(span: Span, offset: int) -> Span:
    return Span(span.start + offset, span.stop + offset, span.text)


def segment(text: str, offset: int = 0) -> list[Segment]:
    """'Он пришёл. Ушёл.' -> [Segment(Span(0, 10, 'Он пришёл.'), [...]), ...]

    Offsets count from `offset`: the start of the text in its document.
    """
    segments = [Segment(sentence, tokens(sentence)) for sentence in sentences(text)]
    if not offset:
        return segments
    return [Segment(shift(sentence, offset), [shift(token, offset) for token in spans]) for sentence, spans in segments]
