"""Bytes -> text: a BOM names the encoding; else UTF-8; else cp1251 or KOI8-R, whichever reads as Russian.

`--encoding` (the `encoding` argument) decodes only what detection can not: a BOM, valid UTF-8
and Russian in cp1251 or KOI8-R are read as detected, so that a folder's other files are not
garbled by an encoding named for some of them. Binary data (a NUL byte) is refused unless the
encoding named is UTF-16 or UTF-32; bytes that look like UTF-16 without a BOM say so.
"""

from __future__ import annotations

import codecs
import io
import re
import unicodedata
from collections.abc import Iterator
from typing import BinaryIO

BOMS = (  # UTF-32 first: its little-endian BOM starts with UTF-16's
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
RUSSIAN_CODECS = ("cp1251", "koi8-r")  # tried in this order when the bytes are not UTF-8
WIDE = ("utf-16", "utf-32")  # codecs whose text holds NUL bytes: 'utf-16', 'utf-16-le', 'utf-32-be'
LETTERS = re.compile(r"[^\W\d_]+")
RUSSIAN = re.compile(r"[А-Яа-яЁё]+")
LATIN = re.compile(r"[A-Za-z]+")
ODD_SHARE = 0.05  # words of other letters allowed per Russian word in a cp1251 or KOI8-R reading
SYMBOL_SHARE = 0.25  # symbols that are not ASCII ('№', '°', '©') allowed per Russian word
SAMPLE = 100_000  # characters looked at
NEEDS_ENCODING = "name it with --encoding"
HEAD_BYTES = 65_536  # the start of a stream that says its codec


class DecodeError(ValueError):
    """The bytes are not text in the encoding given or detected; the message is one line."""


def check_encoding(name: str) -> str:
    """The codec's own name, or ValueError for an unknown one: 'CP1251' -> 'cp1251'."""
    try:
        return codecs.lookup(name).name
    except LookupError:
        raise ValueError(f"unknown encoding {name!r}") from None


def bom_encoding(data: bytes) -> str | None:
    return next((name for bom, name in BOMS if data.startswith(bom)), None)


def wide(encoding: str | None) -> bool:
    """A codec whose text holds NUL bytes: 'UTF-16', 'utf_32_le'."""
    return bool(encoding) and check_encoding(encoding).startswith(WIDE)  # type: ignore[arg-type]


def strict(data: bytes, encoding: str, name: str | None = None) -> str:
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as error:
        raise DecodeError(f"not {name or encoding} text ({error.reason} at byte {error.start})") from None
    if "\x00" in text:
        raise DecodeError(f"binary data, not text (a NUL character at {text.index(chr(0))})")
    return text


def looks_russian(text: str) -> bool:
    """Russian words, mostly in lower case, and next to no words mixing scripts nor symbols: 'Привет, мир'
    yes; 'cafй' (Latin-1 read as cp1251) no, 'бНОПНЯ' (KOI8-R read as cp1251: cases swapped) no,
    'п÷п╦я─' (UTF-8 read as KOI8-R: a box-drawing symbol after each letter) no."""
    text = text[:SAMPLE]
    words = LETTERS.findall(text)
    russian = [word for word in words if RUSSIAN.fullmatch(word)]
    odd = sum(1 for word in words if not RUSSIAN.fullmatch(word) and not LATIN.fullmatch(word))
    symbols = sum(1 for char in text if char > "\x7f" and unicodedata.category(char).startswith("S"))  # '°', '╦'
    lower = sum(1 for word in russian for char in word if char.islower())
    few = odd <= ODD_SHARE * len(russian) and symbols <= SYMBOL_SHARE * len(russian)
    return bool(russian) and few and 2 * lower > sum(map(len, russian))


def utf16_order(data: bytes) -> str | None:
    """'utf-16' (little-endian, 'П\\x04 \\x00') or 'utf-16-be' when the bytes read as UTF-16 text without
    a BOM (their NUL bytes all on one side of the pairs); else None."""
    odd = {index % 2 for index, byte in enumerate(data) if byte == 0}
    if len(data) % 2 or len(odd) != 1:
        return None
    codec = "utf-16-le" if odd == {1} else "utf-16-be"
    try:
        text = data.decode(codec)
    except UnicodeDecodeError:
        return None
    return ("utf-16" if odd == {1} else codec) if all(c.isprintable() or c.isspace() for c in text) else None


def binary(data: bytes) -> DecodeError:
    named = utf16_order(data)
    hint = f"; if it is UTF-16 without a BOM, name it with --encoding {named}" if named else ""
    return DecodeError(f"binary data, not text (a NUL byte at {data.index(0)}){hint}")


def russian(data: bytes) -> tuple[str, str] | None:
    """(text, codec) of bytes in cp1251 or KOI8-R, the one that reads as Russian; None when neither does."""
    for codec in RUSSIAN_CODECS:
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        if looks_russian(text):
            return text, codec
    return None


def decoded(data: bytes, encoding: str | None = None) -> tuple[str, str]:
    """(text, codec) of bytes: a BOM's encoding, else UTF-8, else cp1251 or KOI8-R (`russian`); `encoding`
    for the bytes none of these reads (UTF-16 without a BOM among them); DecodeError when none does."""
    named = bom_encoding(data)
    if named:
        return strict(data, named), named
    if b"\x00" in data:
        if encoding and wide(encoding):
            return strict(data, encoding, encoding), encoding
        raise binary(data)
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as error:
        reason = f"not UTF-8 ({error.reason} at byte {error.start}) nor Russian in cp1251 or koi8-r; {NEEDS_ENCODING}"
    found = russian(data)
    if found:
        return found
    if encoding:
        return strict(data, encoding, encoding), encoding
    raise DecodeError(reason)


def decode(data: bytes, encoding: str | None = None) -> str:
    """The text of a file's bytes (`decoded`): `encoding` decodes only what detection can not read."""
    return decoded(data, encoding)[0]


class Rejoined(io.RawIOBase):
    """A stream's bytes again, its head (read to judge them) first."""

    def __init__(self, head: bytes, rest: BinaryIO):
        self.head, self.rest = memoryview(head), rest

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        if self.head:
            size = min(len(buffer), len(self.head))
            buffer[:size], self.head = self.head[:size], self.head[size:]
            return size
        data = self.rest.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)


def head_codec(head: bytes, encoding: str | None) -> str:
    """The codec `decoded` finds for the start of a stream, a character cut at the end of the head aside."""
    whole = len(head) < HEAD_BYTES
    errors = []
    for cut in range(1 if whole else 4):
        try:
            return decoded(head[: len(head) - cut], encoding)[1]
        except DecodeError as error:
            errors.append(error)
    raise errors[0]


def line_codec(head: bytes, encoding: str | None) -> str | None:
    """The codec of a line-based stream by its start (`head_codec`); None when no codec reads the start
    and it has no BOM, no NUL and no encoding is named: then its lines are read as UTF-8 one by one.
    DecodeError when a BOM, a NUL or the encoding named does not read it."""
    try:
        return head_codec(head, encoding)
    except DecodeError:
        if encoding or bom_encoding(head) or b"\x00" in head:
            raise
    return None


def judged(stream: BinaryIO, encoding: str | None) -> tuple[str | None, io.BufferedReader]:
    """The codec of a line-based stream by its start (`line_codec`), and the stream again from its start."""
    head = stream.read(HEAD_BYTES)
    return line_codec(head, encoding), io.BufferedReader(Rejoined(head, stream))


def text_lines(stream: BinaryIO, encoding: str | None = None) -> Iterator[str]:
    """The lines of a stream's text as the csv module reads them (ends kept: \\n, \\r\\n or \\r), decoded one
    at a time in the codec its start says (`line_codec`). DecodeError when its start is binary data, or
    at the first line that is not text in the codec."""
    found, rejoined = judged(stream, encoding)
    codec, hint = found or "utf-8", "" if found else f"; {NEEDS_ENCODING} if it is not UTF-8"
    if codec.startswith(WIDE):  # its \n is not a byte of its own
        try:
            yield from io.TextIOWrapper(rejoined, codec, newline="")
        except UnicodeDecodeError as error:
            raise DecodeError(f"not {codec} text ({error.reason}); the lines after it are not read") from None
        return
    for number, line in enumerate(rejoined, 1):
        text = line_text(line, codec)
        if isinstance(text, DecodeError):
            raise DecodeError(f"{text} on line {number}; the lines after it are not read{hint}")
        yield from io.StringIO(text, newline="") if "\r" in text.rstrip("\r\n") else [text]  # 'a\rb\n': 2 lines


def stream_lines(stream: BinaryIO, encoding: str | None = None) -> Iterator[str | DecodeError]:
    """Lines of a line-based stream, split on \\n only (a JSON string may hold a raw U+2028), decoded one at
    a time in the codec its start says (`head_codec`): a line that is not text in it is a DecodeError
    in its place, so that one bad line costs one record.

    When its start is not text in any codec (and has no BOM and no NUL, and no encoding is named),
    each line is decoded as UTF-8. DecodeError (raised) when the start is binary data.
    """
    found, rejoined = judged(stream, encoding)
    codec = found or "utf-8"
    if codec.startswith(WIDE):  # its \n is not a byte of its own: split the text
        yield from io.TextIOWrapper(rejoined, codec, newline="").read().split("\n")
        return
    for line in rejoined:
        yield line_text(line.removesuffix(b"\n"), codec)


def line_text(line: bytes, codec: str) -> str | DecodeError:
    try:
        return line.decode(codec)
    except UnicodeDecodeError as error:
        name = "UTF-8" if codec.startswith("utf-8") else codec
        return DecodeError(f"not {name} ({error.reason} at byte {error.start} of the line)")


def lines(data: bytes, encoding: str | None = None) -> Iterator[str | DecodeError]:
    """The lines of a line-based file's bytes, as `stream_lines` reads them."""
    return stream_lines(io.BytesIO(data), encoding)


def path_text(name: str) -> str:
    """A file name as text any output can hold: bytes that are not UTF-8 (Python keeps them as lone
    surrogates) written as \\x escapes. 'in/bad\\udcff.txt' -> 'in/bad\\\\xff.txt'."""
    try:
        data = name.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:  # a surrogate no file name holds: '\ud800' -> '\\ud800'
        return name.encode("utf-8", "backslashreplace").decode("utf-8")
    return data.decode("utf-8", "backslashreplace")
