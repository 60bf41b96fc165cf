"""Bytes -> text: a BOM names the encoding, else UTF-8, else cp1251 when the bytes read as Russian in it.

Binary data (a NUL byte) is refused, and so is anything else: `--encoding` names the encoding instead.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterator

BOMS = (  # UTF-32 first: its little-endian BOM starts with UTF-16's
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
FALLBACK = "cp1251"
LETTERS = re.compile(r"[^\W\d_]+")
RUSSIAN = re.compile(r"[А-Яа-яЁё]+")
LATIN = re.compile(r"[A-Za-z]+")
ODD_SHARE = 0.05  # words of other letters allowed per Russian word in a cp1251 reading


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


def strict(data: bytes, encoding: str, name: str | None = None) -> str:
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as error:
        raise DecodeError(f"not {name or encoding} text ({error.reason} at byte {error.start})") from None
    if "\x00" in text:
        raise DecodeError(f"binary data, not text (a NUL character at {text.index(chr(0))})")
    return text


def looks_russian(text: str) -> bool:
    """Russian words, mostly in lower case, and next to no words mixing scripts: 'Привет, мир' yes;
    'cafй' (Latin-1 read as cp1251) no, 'бНОПНЯ' (KOI8-R read as cp1251: cases swapped) no."""
    words = LETTERS.findall(text)
    russian = [word for word in words if RUSSIAN.fullmatch(word)]
    odd = sum(1 for word in words if not RUSSIAN.fullmatch(word) and not LATIN.fullmatch(word))
    lower = sum(1 for word in russian for char in word if char.islower())
    return bool(russian) and odd <= ODD_SHARE * len(russian) and 2 * lower > sum(map(len, russian))


def detect(data: bytes) -> str:
    named = bom_encoding(data)
    if named:
        return strict(data, named)
    if b"\x00" in data:
        raise DecodeError(f"binary data, not text (a NUL byte at {data.index(0)})")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        reason = f"not UTF-8 ({error.reason} at byte {error.start}) nor Russian in {FALLBACK}; name it with --encoding"
    try:
        text = data.decode(FALLBACK)
    except UnicodeDecodeError:
        raise DecodeError(reason) from None
    if not looks_russian(text):
        raise DecodeError(reason)
    return text


def decode(data: bytes, encoding: str | None = None) -> str:
    """The text of a file's bytes, in `encoding` when given (a UTF-8 BOM is dropped), else detected."""
    if encoding is None:
        return detect(data)
    return strict(data, "utf-8-sig" if check_encoding(encoding) == "utf-8" else encoding, encoding)


def lines(data: bytes, encoding: str | None = None) -> Iterator[str | DecodeError]:
    """Lines of a line-based file, split on \\n only (a JSON string may hold a raw U+2028).

    When the file as a whole is neither UTF-8 nor cp1251 (and has no BOM and no NUL), each line
    is decoded as UTF-8 on its own, so that one bad line costs one record: its DecodeError
    stands in the line's place.
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
