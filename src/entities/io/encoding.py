"""Bytes -> text: a BOM names the encoding; else UTF-8; else cp1251 or KOI8-R, whichever reads as Russian.

`--encoding` (the `encoding` argument) decodes only what detection can not: a BOM, valid UTF-8
and Russian in cp1251 or KOI8-R are read as detected, so that a folder's other files are not
garbled by an encoding named for some of them. Binary data (a NUL byte) is refused unless the
encoding named is UTF-16 or UTF-32; bytes that look like UTF-16 without a BOM say so.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from collections.abc import Iterator

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


def russian(data: bytes) -> str | None:
    """The text of bytes in cp1251 or KOI8-R, the one that reads as Russian; None when neither does."""
    for codec in RUSSIAN_CODECS:
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        if looks_russian(text):
            return text
    return None


def detect(data: bytes) -> str:
    """A BOM's encoding, else UTF-8, else cp1251 or KOI8-R (`russian`); DecodeError when none reads."""
    named = bom_encoding(data)
    if named:
        return strict(data, named)
    if b"\x00" in data:
        raise binary(data)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        reason = f"not UTF-8 ({error.reason} at byte {error.start}) nor Russian in cp1251 or koi8-r; {NEEDS_ENCODING}"
    text = russian(data)
    if text is None:
        raise DecodeError(reason)
    return text


def decode(data: bytes, encoding: str | None = None) -> str:
    """The text of a file's bytes, detected (`detect`); `encoding` decodes the bytes detection can not:
    not UTF-8 nor Russian in cp1251 or KOI8-R, or UTF-16 without a BOM."""
    try:
        return detect(data)
    except DecodeError:
        if encoding is None or bom_encoding(data) or (b"\x00" in data and not wide(encoding)):
            raise
    return strict(data, encoding, encoding)


def lines(data: bytes, encoding: str | None = None) -> Iterator[str | DecodeError]:
    """Lines of a line-based file, split on \\n only (a JSON string may hold a raw U+2028).

    When the file as a whole can not be decoded (and has no BOM, no NUL and no encoding named),
    each line is decoded as UTF-8 on its own, so that one bad line costs one record: its
    DecodeError stands in the line's place.
    """
    try:
        yield from decode(data, encoding).split("\n")
        return
    except DecodeError:
        if encoding or bom_encoding(data) or b"\x00" in data:
            raise
    for line in data.split(b"\n"):
        try:
            yield line.decode("utf-8")
        except UnicodeDecodeError as error:
            yield DecodeError(f"not UTF-8 ({error.reason} at byte {error.start} of the line)")


def path_text(name: str) -> str:
    """A file name as text any output can hold: bytes that are not UTF-8 (Python keeps them as lone
    surrogates) written as \\x escapes. 'in/bad\\udcff.txt' -> 'in/bad\\\\xff.txt'."""
    try:
        data = name.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:  # a surrogate no file name holds: '\ud800' -> '\\ud800'
        return name.encode("utf-8", "backslashreplace").decode("utf-8")
    return data.decode("utf-8", "backslashreplace")
