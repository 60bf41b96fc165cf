"""brat standoff gold: `a.txt` and its `a.ann`, whose text-bound lines are the mentions.

    T1<TAB>Person 0 14<TAB>Игорь Бабушкин
    T2<TAB>Location 30 36;40 47<TAB>Москвы области     <- discontinuous: collapsed to 30..47
    R1<TAB>Located Arg1:T1 Arg2:T2                     <- relations, events, notes: skipped

Offsets index the .txt read as UTF-8 with newline='': a byte order mark is U+FEFF at offset 0, and \r\n
two characters, as brat counts them. Where a line gives the span's text, a contiguous span's must equal
text[start:stop] (an offset off by one is an error, not a shifted mention). Types go through the types map
(`gold.types_map`); unmapped ones are dropped. The doc_id is the .ann's path below the directory, without
the suffix.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path

from ..errors import InputError
from ..io.encoding import DecodeError, strict
from ..io.reader import cannot_read, read_file
from .gold import GoldDocument, GoldMention, map_type, split_lines

EXPECTED = "expected 'T1<TAB>TYPE START STOP[;START STOP...]<TAB>TEXT'"


def read_text(path: Path) -> str:
    # as written: newlines and a byte order mark count as characters, as brat counts them
    try:
        return strict(path.read_bytes(), "utf-8", "UTF-8")
    except DecodeError as error:
        raise InputError(f"{path}: {error}") from None
    except OSError as error:
        raise InputError(f"{path}: {cannot_read(error)}") from None


def parse_bounds(fragments: str) -> tuple[int, int]:
    # '30 36;40 47' -> (30, 47): fragments collapsed into one span
    pairs = [fragment.split() for fragment in fragments.split(";")]
    if not all(len(_) == 2 and _[0].isdigit() and _[1].isdigit() for _ in pairs):
        raise ValueError(fragments)
    return min(int(_[0]) for _ in pairs), max(int(_[1]) for _ in pairs)


def parse_line(line: str, size: int) -> tuple[str, int, int, str | None] | None:
    # 'T1\tPerson 0 14\tИгорь Бабушкин' -> ('Person', 0, 14, 'Игорь Бабушкин'), the text None when the
    # span is discontinuous or the line gives none; other kinds of line -> None
    if not line.startswith("T"):
        return None
    fields = line.split("\t", 2)
    name, _, fragments = fields[1].partition(" ") if len(fields) >= 2 else ("", "", "")
    start, stop = parse_bounds(fragments)
    if not name or start >= stop or stop > size:
        raise ValueError(line)
    return name, start, stop, fields[2] if len(fields) == 3 and ";" not in fragments else None


def check_text(where: str, text: str, start: int, stop: int, given: str | None) -> None:
    if given is not None and text[start:stop] != given:
        raise InputError(f"{where}: span {start}..{stop} of the text is {text[start:stop]!r}, the line gives {given!r}")


def mentions(path: Path, text: str, types: Mapping[str, str]) -> Iterator[GoldMention]:
    for number, line in enumerate(split_lines(read_file(path, encoding="utf-8")), 1):
        try:
            found = parse_line(line, len(text))
        except ValueError:
            raise InputError(
                f"{path}:{number}: {EXPECTED} within the text's {len(text)} characters, got {line!r}"
            ) from None
        if found:
            check_text(f"{path}:{number}", text, *found[1:])
        if found and (mapped := map_type(types, found[0])):
            yield GoldMention(found[1], found[2], mapped)


def read_document(path: Path, doc_id: str, types: Mapping[str, str]) -> GoldDocument:
    """One document from its .ann path; the text is the .txt beside it."""
    text = read_text(path.with_suffix(".txt"))
    found = sorted(mentions(path, text, types), key=lambda _: (_.start, -_.stop))
    return GoldDocument(doc_id, text, tuple(found))


def read_corpus(path: str | Path, types: Mapping[str, str]) -> list[GoldDocument]:
    """Every .ann below a directory, in sorted order, or one document (its .ann or its .txt)."""
    path = Path(path)
    if path.is_file():
        return [read_document(path.with_suffix(".ann"), path.stem, types)]
    return [
        read_document(_, _.relative_to(path).with_suffix("").as_posix(), types) for _ in sorted(path.rglob("*.ann"))
    ]
