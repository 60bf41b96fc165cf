"""Pieces: documents cut at paragraph or sentence ends into runs of at most PIECE_CHARS.

A sentence longer than a piece (a long line with no punctuation) is cut between words: the
runs between the cuts become sentences of their own.

Pieces keep memory flat: a news article is one piece, a 5 MB document is many, and the
taggers read them a batch at a time.
"""

from __future__ import annotations

import datetime as dt
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from typing import NamedTuple

from razdel import sentenize

from ..io.failure import Failure
from .segment import paragraphs

PIECE_CHARS = 32_000
SPACES = " \n\t\r\xa0"


class Piece(NamedTuple):
    doc_id: str
    number: int  # 0, 1, ... within the document
    last: bool  # the document's last piece
    start: int  # offset of the piece in the document
    text: str
    day: dt.date | None = None  # the document's date: relative dates in it ('вчера') count from it


def sentence_ends(text: str, start: int) -> Iterator[int]:
    # a paragraph too long for one piece can be cut after any of its sentences
    for sentence in sentenize(text):
        yield start + sentence.stop


def word_ends(text: str, start: int, stop: int, limit: int) -> Iterator[int]:
    """Cut points inside text[start:stop], a run with no sentence end: after the last space
    before each `limit` characters, or at `limit` in a word that long."""
    while stop - start > limit:
        space = max(text.rfind(char, start + 1, start + limit) for char in SPACES)
        start = space + 1 if space > start else start + limit
        yield start


def natural_points(text: str, limit: int) -> Iterator[int]:
    """Paragraph ends, and sentence ends inside paragraphs too long for a piece."""
    for paragraph in paragraphs(text):
        if paragraph.stop - paragraph.start > limit:
            yield from sentence_ends(paragraph.text, paragraph.start)
        yield paragraph.stop


def cut_points(text: str, limit: int) -> Iterator[int]:
    """Offsets where pieces may end: the natural points, and word ends between two of them
    too far apart for a piece (a 100,000-character line, a run of blank lines)."""
    previous = 0
    for point in natural_points(text, limit):
        yield from word_ends(text, previous, point, limit)
        yield point
        previous = point


def piece_bounds(text: str, limit: int = PIECE_CHARS) -> list[tuple[int, int]]:
    """(start, stop) of pieces covering the text, each ending at a cut point."""
    if len(text) <= limit:
        return [(0, len(text))]
    bounds, start, last = [], 0, 0
    for point in cut_points(text, limit):
        if point - start > limit and last > start:
            bounds.append((start, last))
            start = last
        last = point
    if start < len(text) or not bounds:
        bounds.append((start, len(text)))
    return bounds


def split_text(doc_id: str, text: str, limit: int = PIECE_CHARS, day: dt.date | None = None) -> list[Piece]:
    bounds = piece_bounds(text, limit)
    return [
        Piece(doc_id, number, number == len(bounds) - 1, start, text[start:stop], day)
        for number, (start, stop) in enumerate(bounds)
    ]


def item_pieces(items: Iterable, pending: deque, dating: Callable | None = None) -> Iterator[Piece]:
    """Pieces of the items (Texts, or Failures), each item put on `pending` as its pieces begin;
    a Failure is one empty piece, so that it keeps its place in the order. `dating(text)`: a Text's date."""
    for item in items:
        pending.append(item)
        if isinstance(item, Failure):
            yield Piece(item.doc_id, 0, True, 0, "")
        else:
            yield from split_text(item.id, item.text, day=dating(item) if dating else None)
