"""Reading inputs lazily into Text records: .txt files, directories, .jsonl, .csv/.tsv, stdin.

A document that can not be read (an unreadable or undecodable file, a malformed JSON line, a
record without text, an id seen before) comes as a Failure in its place, and reading goes on.
A problem with the run itself (a missing input, an unknown suffix, a CSV without the text
column) is an InputError before any work.

A file name whose bytes are not UTF-8 (common in archives made on Windows) is read like any
other; its doc_id and source show those bytes as \\x escapes ('bad\\\\xff.txt'), text that every
output format holds.
"""

from __future__ import annotations

import csv
import io
import json
import logging
import math
import numbers
import os
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple, cast

from ..errors import InputError, file_limit
from ..records import Text
from .encoding import DecodeError, decode, lines, path_text
from .failure import DECODE, READ, Failure

STDIN = "-"
SUFFIXES = (".txt", ".jsonl", ".csv", ".tsv")
HEADER_BYTES = 65_536  # read to check a CSV's header before the run
DELIMITERS = (",", ";", "\t", "|")  # tried in this order for a .csv file's header
Item = Text | Failure

log = logging.getLogger("entities")


@dataclass(frozen=True)
class Reading:
    """How inputs are read: the record fields holding the text and the id, and a forced encoding."""

    text: str = "text"
    id: str = "id"
    encoding: str | None = None
    delimiter: str | None = None  # of .csv/.tsv files; None: the one that finds the text column


def item_id(item: Item) -> str:
    # a Text the reader makes always has an id: its path, its record's id, or where it is ('digest.csv:2')
    return cast(str, item.id) if isinstance(item, Text) else item.doc_id


def cannot_read(error: OSError) -> str:
    within_limit(error)
    return f"can not read ({error.strerror or error})"


def within_limit(error: OSError) -> None:
    """Too many open files is no document's failure: the run stops (OutputError), to be resumed."""
    too_many = file_limit(error)
    if too_many is not None:
        raise too_many


def name_of(path: Path) -> str:
    """A path as the tables show it: 'news/a.txt'; bytes that are not UTF-8 as \\x escapes."""
    return path_text(str(path))


def file_text(path: Path, doc_id: str, reading: Reading) -> Item:
    try:
        data = path.read_bytes()
    except OSError as error:
        return Failure(doc_id, name_of(path), READ, cannot_read(error))
    try:
        return Text(decode(data, reading.encoding), doc_id, name_of(path))
    except DecodeError as error:
        return Failure(doc_id, name_of(path), DECODE, str(error))


def directory_files(path: Path) -> Iterator[tuple[str, Path | OSError]]:
    """(doc_id, file) of every *.txt below `path`, or (doc_id, error) of a folder that can not be listed."""
    found: list[tuple[str, Path | OSError]] = []

    def unlisted(error: OSError) -> None:
        folder = Path(error.filename)
        found.append((path_text((path if folder == path else folder.relative_to(path)).as_posix()), error))

    for folder, _, names in os.walk(path, onerror=unlisted):
        for name in names:
            if name.endswith(".txt"):  # a broken link too: its failure to read is reported
                file = Path(folder, name)
                found.append((path_text(file.relative_to(path).as_posix()), file))
    return iter(sorted(found, key=lambda entry: entry[0]))


def directory_item(root: Path, doc_id: str, file: Path | OSError, reading: Reading) -> Item:
    """One entry of `directory_files`, read: its Text, or a Failure."""
    if isinstance(file, OSError):
        within_limit(file)
        return Failure(doc_id, name_of(root), READ, f"can not list the folder ({file.strerror})")
    if file.exists() and not file.is_file():  # a named pipe would block the run
        return Failure(doc_id, name_of(file), READ, "not a regular file")
    return file_text(file, doc_id, reading)


def read_directory(path: Path, reading: Reading) -> Iterator[Item]:
    # doc_id is the path below the directory: 'news/astrakhan-kazakhstan.txt'
    for doc_id, file in directory_files(path):
        yield directory_item(path, doc_id, file, reading)


def missing(value) -> bool:
    """None, NA, NaT or NaN: a record's field with no value."""
    import pandas as pd

    if value is None or value is pd.NA or value is pd.NaT:
        return True
    return isinstance(value, numbers.Real) and not isinstance(value, numbers.Integral) and math.isnan(value)


def json_text(value) -> str:
    """A value as text: a string as it is, anything else as JSON ('true', '["l"]', '7')."""
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)


def record_text(record, reading: Reading, name: str, number: int) -> Item:
    where = f"{name}:{number}"
    if not isinstance(record, dict):
        return Failure(where, name, READ, f"expected a JSON object, got {type(record).__name__}")
    doc_id = record.get(reading.id)
    doc_id = where if doc_id in (None, "") else json_text(doc_id)
    text = record.get(reading.text)
    if reading.text not in record:
        fields = ", ".join(map(str, record)) or "none"
        return Failure(
            doc_id, name, READ, f"no {reading.text!r} field (fields: {fields}); choose one with --text-column"
        )
    if not isinstance(text, str):
        return Failure(doc_id, name, READ, f"{reading.text!r} must be a string, got {type(text).__name__}")
    meta = {key: value for key, value in record.items() if key not in (reading.text, reading.id)}
    return Text(text, doc_id, name, meta)


def json_record(line: str, reading: Reading, name: str, number: int) -> Item:
    where = f"{name}:{number}"
    try:
        record = json.loads(line)
    except json.JSONDecodeError as error:
        return Failure(where, name, READ, f"not a JSON object ({error.msg} at column {error.colno})")
    if "\\ud" in line.lower() and not encodable(record):  # '\ud800': a lone surrogate, text no file can hold
        return Failure(where, name, DECODE, "a \\u escape of a lone surrogate: not Unicode text")
    return record_text(record, reading, name, number)


def encodable(record) -> bool:
    try:
        json.dumps(record, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def read_jsonl(path: Path, reading: Reading) -> Iterator[Item]:
    # doc_id is the record's id, else 'wire.jsonl:3' (path and line number)
    name = name_of(path)
    try:
        data = path.read_bytes()
    except OSError as error:
        yield Failure(name, name, READ, cannot_read(error))
        return
    try:
        for number, line in enumerate(lines(data, reading.encoding), 1):
            if isinstance(line, DecodeError):
                yield Failure(f"{name}:{number}", name, DECODE, str(line))
            elif line.strip():
                yield json_record(line, reading, name, number)
    except DecodeError as error:
        yield Failure(name, name, DECODE, str(error))


class Lines:
    """The physical lines of a text, as a csv reader takes them, and how many it took."""

    def __init__(self, text: str):
        self.lines = io.StringIO(text, newline="").readlines()
        self.taken = 0

    def __iter__(self) -> Lines:
        return self

    def __next__(self) -> str:
        if self.taken == len(self.lines):
            raise StopIteration
        self.taken += 1
        return self.lines[self.taken - 1]


def table_records(text: str, delimiter: str) -> Iterator[tuple[int, list[str] | None]]:
    """(first line, fields) of each record of a CSV text; fields None for a record whose quote
    runs on past its line and never closes where a field may end (the csv module's strict check):
    it would swallow the rows after it. Reading goes on at the line after that record's first,
    so those rows are rows of their own. A quote gone astray within one line is read as the csv
    module reads it."""
    csv.field_size_limit(sys.maxsize)  # a 5 MB document is one field
    lines = Lines(text)
    strict = csv.reader(lines, delimiter=delimiter, strict=True)
    while True:
        start = lines.taken
        try:
            fields = next(strict)
        except StopIteration:
            return
        except csv.Error as error:
            lines.taken = start
            fields = next(csv.reader(lines, delimiter=delimiter))
            if lines.taken - start > 1 or str(error).startswith("unexpected end of data"):
                lines.taken = start + 1
                fields = None
        if fields != []:  # a blank line
            yield start + 1, fields


def table_fields(text: str, delimiter: str) -> list[str]:
    """The header of a CSV text: its first record's fields."""
    header = next(table_records(text, delimiter), (0, None))[1]
    return header or []


def row_text(fields: list[str] | None, header: list[str], reading: Reading, name: str, number: int, line: int) -> Item:
    where = f"{name}:{number}"
    if fields is None:
        error = (
            f"malformed CSV: the quote opened on line {line} does not close where a field ends; "
            "the lines after it are read as rows"
        )
        return Failure(where, name, READ, error)
    if len(fields) != len(header):  # its fields would land in other columns
        return Failure(where, name, READ, f"{len(fields)} fields where the header has {len(header)} (line {line})")
    return record_text(dict(zip(header, fields, strict=True)), reading, name, number)


def read_csv(path: Path, reading: Reading, delimiter: str) -> Iterator[Item]:
    # doc_id is the id column, else 'digest.csv:2' (path and row number, header excluded)
    name = name_of(path)
    text = file_text(path, name, reading)
    if isinstance(text, Failure):
        yield text
        return
    records = table_records(text.text, delimiter)
    header = next(records, (0, []))[1] or []
    for number, (line, fields) in enumerate(records, 1):
        yield row_text(fields, header, reading, name, number, line)


def read_stdin(reading: Reading) -> Iterator[Item]:
    try:
        yield Text(decode(sys.stdin.buffer.read(), reading.encoding), "stdin", STDIN)
    except DecodeError as error:
        yield Failure("stdin", STDIN, DECODE, str(error))


def header_text(path: Path, reading: Reading) -> str | None:
    """The start of a CSV file, decoded, or None when it can not be (the whole file then fails later)."""
    try:
        with open(path, "rb") as file:
            head = file.read(HEADER_BYTES)
            whole = not file.read(1)
    except OSError:
        return None
    for cut in range(1 if whole else 4):  # a character cut at the end of the head
        try:
            return decode(head[: len(head) - cut], reading.encoding)
        except DecodeError:
            continue
    return None


def table_delimiter(path: Path, kind: str, reading: Reading) -> str:
    """The delimiter of a .csv or .tsv file: --delimiter; else, of the usual ones (',' or tab first, as
    the suffix says), the first that finds the text column in the header. InputError when none does."""
    usual = delimiter(kind)
    text = header_text(path, reading)
    if reading.delimiter or not text:
        return reading.delimiter or usual
    tried = [usual, *(other for other in DELIMITERS if other != usual)] if kind == ".csv" else [usual]
    for candidate in tried:
        if reading.text in table_fields(text, candidate):
            if candidate != usual:
                log.info(f"{name_of(path)}: read with {candidate!r} as the delimiter (found the "
                         f"{reading.text!r} column with it; --delimiter names another)")  # fmt: skip
            return candidate
    columns = ", ".join(table_fields(text, sniffed(text, usual)))
    raise InputError(f"{name_of(path)}: no {reading.text!r} column (columns: {columns}); choose one with "
                     "--text-column, or the delimiter with --delimiter")  # fmt: skip


def sniffed(text: str, usual: str) -> str:
    """The delimiter csv.Sniffer sees in the first lines, else the usual one."""
    try:
        return csv.Sniffer().sniff("".join(text.splitlines(keepends=True)[:20]), "".join(DELIMITERS)).delimiter
    except csv.Error:
        return usual


def read_file(path: Path, encoding: str | None = None) -> str:
    """A whole text file, decoded as inputs are (or as `encoding` says); InputError when it can not be:
    what the gold readers and `entities show` read."""
    try:
        return decode(path.read_bytes(), encoding)
    except DecodeError as error:
        raise InputError(f"{name_of(path)}: {error}") from None
    except OSError as error:
        raise InputError(f"{name_of(path)}: {cannot_read(error)}") from None


def read_document(name: str) -> Text:
    """One text file, whatever its suffix, or '-' for standard input: what `entities show` reads."""
    if name == STDIN:
        item = next(read_stdin(Reading()))
        if isinstance(item, Failure):
            raise InputError(f"standard input: {item.error}")
        return item
    path = Path(name)
    if path.is_dir():
        raise InputError(f"{path_text(name)}: is a directory (expected one text file, or - for standard input)")
    if not path.exists():
        raise InputError(f"{path_text(name)}: no such file or directory")
    return Text(read_file(path), path_text(path.as_posix()), name_of(path))


def input_kind(name: str) -> str:
    """'-', 'directory', or the file suffix: '.txt', '.jsonl', '.csv', '.tsv'."""
    path = Path(name)
    if name == STDIN:
        return STDIN
    if path.is_dir():
        return "directory"
    if not path.exists() and not path.is_symlink():
        raise InputError(f"{path_text(name)}: no such file or directory")
    if path.suffix.lower() not in SUFFIXES:
        expected = ", ".join(SUFFIXES)
        raise InputError(
            f"{path_text(name)}: unsupported input (expected a directory, -, or a file ending in {expected})"
        )
    return path.suffix.lower()


def delimiter(kind: str) -> str:
    return "\t" if kind == ".tsv" else ","


class Source(NamedTuple):
    """An input, checked: its name, its kind (`input_kind`), and a table's delimiter."""

    name: str
    kind: str
    delimiter: str | None = None


def check_input(name: str, reading: Reading) -> Source:
    kind = input_kind(name)
    return Source(name, kind, table_delimiter(Path(name), kind, reading) if kind in (".csv", ".tsv") else None)


def read_input(source: Source, reading: Reading) -> Iterator[Item]:
    path = Path(source.name)
    if source.kind == STDIN:
        return read_stdin(reading)
    if source.kind == "directory":
        return read_directory(path, reading)
    if source.kind == ".jsonl":
        return read_jsonl(path, reading)
    if source.kind in (".csv", ".tsv"):
        return read_csv(path, reading, cast(str, source.delimiter))  # check_input found it for a table
    return iter([file_text(path, path_text(path.as_posix()), reading)])


def unique(items: Iterable[Item]) -> Iterator[Item]:
    """The items, a later one with an id seen before as a Failure: an id names one document."""
    seen: dict[str, str] = {}
    for item in items:
        doc_id = item_id(item)
        if doc_id in seen:
            yield Failure(doc_id, item.source or "", READ, f"duplicate doc_id (first in {seen[doc_id]})")
            continue
        seen[doc_id] = item.source or ""
        yield item


def read_items(names: Iterable[str], reading: Reading = Reading()) -> Iterator[Item]:
    """Texts (or Failures) of every input, lazily, in the order given; bad names fail here, before any work."""
    sources = [check_input(name, reading) for name in names]
    return unique(item for source in sources for item in read_input(source, reading))


def read_texts(
    names: str | Iterable[str], text_column: str = "text", id_column: str = "id", encoding: str | None = None
) -> Iterator[Text]:
    """`entities.Text` records of the inputs `entities extract` reads, lazily, in the order given.

    Examples:
        >>> texts = entities.read_texts(["corpora/", "corpora/wire.jsonl"])
        >>> next(texts)
        Text(id='news/astrakhan-kazakhstan.txt', text='Губернатор Астраханской области назвал …')

    `names` is one name or several; each is one of:
      FILE.txt       one document; its id is the path as given
      DIRECTORY      every *.txt below it, recursively, in sorted order; its id is the path below the
                     directory ('news/astrakhan-kazakhstan.txt')
      FILE.jsonl     a JSON object per line; the text field holds the text, the id field the id (else
                     'FILE:LINE'); the record's other fields are the Text's meta
      FILE.csv/.tsv  a table with a header, read as jsonl records are (id else 'FILE:ROW')
      -              standard input: one document, id 'stdin'

    text_column, id_column  the fields holding the text and the id, as `--text-column` and `--id-column`
    encoding                decode every input with this codec; default: detected, as `extract` does

    Every name is checked at the call: a missing file, an unsupported suffix or a CSV without the text
    column raises `InputError` (an `EntitiesError`) before any text is read. A document that can not be
    read (unreadable, undecodable, a malformed JSON line, an id seen before) raises `InputError` with its
    reason when the iteration reaches it; `entities extract` lists such documents in its errors table
    instead. Texts go to `Pipeline.pipe` as they are read, so a corpus is never held in memory.
    """
    names = [names] if isinstance(names, (str, os.PathLike)) else names
    return only_texts(read_items(map(str, names), Reading(text_column, id_column, encoding)))


def only_texts(items: Iterable[Item]) -> Iterator[Text]:
    for item in items:
        if isinstance(item, Failure):
            raise InputError(f"{item.doc_id}: {item.error}")
        yield item
