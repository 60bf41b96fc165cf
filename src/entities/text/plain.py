"""The plain view of a text: what the taggers read, with the way back to the text as written.

Web text carries characters a reader does not see, inside names: stress marks ('Москве́'), soft
hyphens ('Наваль\\xadным'), zero-width spaces and joiners ('Пу\\u200dтин'), a byte order mark
('\\ufeffПутин'), decomposed letters ('Фе\\u0308дор', е and a combining diaeresis). The plain view
drops the invisible ones, drops stress marks on Cyrillic letters and composes the rest (NFC):
'Наваль\\xadным' -> 'Навальным', 'Фе\\u0308дор' -> 'Фёдор'. Each of its characters knows where it
stands in the text as written, so the records built on the plain view still index the original.

A zero-width space is dropped too, between two words as well: it shows no space, so a reader sees one
word there ('Путин\\u200bприехал' reads 'Путинприехал'), and web pages put it inside long words far
more often than between words.

A text with none of these characters (nearly every one) is its own plain view: one regex search and
an NFC quick check tell, and nothing is copied.
"""

from __future__ import annotations

import re
import unicodedata
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    import numpy as np

# soft hyphen, zero-width space, non-joiner, joiner, word joiner, byte order mark (zero-width no-break space)
INVISIBLE = "\xad\u200b\u200c\u200d\u2060\ufeff"
CYRILLIC = "\u0400-\u04ff"
STRESS = "\u0300\u0301"  # grave and acute: 'Москве́', 'Алексе́ем'
COMPOSING = "\u0306\u0308"  # breve and diaeresis: й and ё written as two characters
# combining marks: they belong to the letter before them
MARKS = "\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f"

# what the plain view may differ by: a text with none of it, and in NFC, is plain already
SUSPECT = re.compile(f"[{INVISIBLE}{MARKS}]")
# what it drops: invisible characters, and stress marks on a Cyrillic letter (also on a decomposed ё: 'е\u0308\u0301')
DROPPED = re.compile(f"[{INVISIBLE}]|(?:(?<=[{CYRILLIC}])|(?<=[{CYRILLIC}][{COMPOSING}]))[{STRESS}]")
CLUSTER = re.compile(f"(?s).[{MARKS}]+")  # a letter and its marks: 'е\u0308'


class PlainText(NamedTuple):
    """A text's plain view: its characters, and where each stands in the original text
    (`starts[i]` where the i-th begins, `stops[i]` where it ends, the marks it took in included). A view is of
    a piece of a document (at most 32,000 characters): lists index faster than arrays."""

    text: str
    starts: list[int]
    stops: list[int]

    def span(self, start: int, stop: int) -> tuple[int, int]:
        """The original offsets of the plain text's [start, stop)."""
        if start < stop:
            return self.starts[start], self.stops[stop - 1]
        at = self.starts[start] if start < len(self.starts) else self.stops[start - 1] if start else 0
        return at, at


def is_plain(text: str) -> bool:
    return SUSPECT.search(text) is None and unicodedata.is_normalized("NFC", text)


def plain(text: str) -> str:
    """'Наваль\\xadным' -> 'Навальным'; a plain text as it is."""
    return text if is_plain(text) else unicodedata.normalize("NFC", DROPPED.sub("", text))


def plain_view(text: str) -> PlainText:
    """The plain view of `text`: invisible characters and stress marks dropped, the rest in NFC."""
    import numpy as np

    codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype="<u4")
    dropped = np.array([match.start() for match in DROPPED.finditer(text)], dtype=np.int64)
    kept = np.ones(len(text), dtype=bool)
    kept[dropped] = False
    starts = np.flatnonzero(kept)
    # a character ends where the next one kept, or the next one not a mark of it, begins: 'е\u0301' is
    # one character of the plain text, 'x\u0308' two, ',\xad' one
    bounds = np.append(np.flatnonzero(~is_mark(codes)), len(text))
    stops = np.minimum(bounds[np.searchsorted(bounds, starts, side="right")], np.append(starts[1:], len(text)))
    return composed(DROPPED.sub("", text), starts, stops)


def is_mark(codes: np.ndarray) -> np.ndarray:
    ranges = ((0x300, 0x36F), (0x1AB0, 0x1AFF), (0x1DC0, 0x1DFF), (0x20D0, 0x20FF), (0xFE20, 0xFE2F))
    marks = codes < 0  # all False
    for low, high in ranges:
        marks |= (codes >= low) & (codes <= high)
    return marks


def composed(text: str, starts: np.ndarray, stops: np.ndarray) -> PlainText:
    """NFC, a letter and its marks becoming one character where the letter stood: 'е\\u0308' -> 'ё'."""
    import numpy as np

    if unicodedata.is_normalized("NFC", text):
        return PlainText(text, starts.tolist(), stops.tolist())
    parts, at, firsts, lasts = [], 0, [], []  # the characters each composed one is made of: first, last
    for start, stop in clusters(text):
        form = unicodedata.normalize("NFC", text[start:stop])
        parts += [text[at:start], form]
        made_of = np.minimum(np.arange(start, start + len(form)), stop - 1)
        firsts += [np.arange(at, start), made_of]
        lasts += [np.arange(at, start), np.append(made_of[:-1], stop - 1)]
        at = stop
    parts.append(text[at:])
    firsts.append(np.arange(at, len(text)))
    lasts.append(np.arange(at, len(text)))
    first, last = np.concatenate(firsts).astype(np.int64), np.concatenate(lasts).astype(np.int64)
    return PlainText("".join(parts), starts[first].tolist(), stops[last].tolist())


def clusters(text: str) -> list[tuple[int, int]]:
    """(start, stop) of the runs NFC changes: a letter and its marks, or a character NFC replaces."""
    found = [match.span() for match in CLUSTER.finditer(text)]
    rest = CLUSTER.sub(lambda match: "\0" * len(match.group()), text)
    if not unicodedata.is_normalized("NFC", rest):  # 'Å' (the ångström sign): rare, looked for one by one
        found += [(index, index + 1) for index, char in enumerate(rest) if not unicodedata.is_normalized("NFC", char)]
        found.sort()
    return found
