"""Reading inputs lazily into Text records: .txt files, directories, .jsonl, .csv/.tsv, stdin."""

from __future__ import annotations

import csv
import io
import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator

from .errors import InputError
from .records import Text

STDIN = "-"
SUFFIXES = (".txt", ".jsonl", ".csv", ".tsv")


@dataclass(frozen=True)
class Columns:
    """Which record fields hold the text and the id (jsonl keys, csv columns)."""

    text: str = "text"
    id: str = "id"  # noqa: A003


def read_file(path: Path, encoding: str = "utf-8-sig") -> str:
    try:
        with open(path, encoding=encoding, newline="") as file:
            return file.read()
    except UnicodeDecodeError as error:
        raise InputError(f"{path}: not UTF-8 text ({error.reason} at byte {error.start})") from None
    except OSError as error:
        raise InputError(f"{path}: can not read ({error.strerror})") from None


def read_txt(path: Path, doc_id: str) -> Iterator[Text]:
    yield Text(read_file(path), doc_id, str(path))


def read_directory(path: Path) -> Iterator[Text]:
    # doc_id is the path below the directory: 'news/astrakhan-kazakhstan.txt'
    files = sorted((_ for _ in path.rglob("*.txt") if _.is_file()), key=lambda _: _.relative_to(path).as_posix())
    for file in files:
        yield from read_txt(file, file.relative_to(path).as_posix())


def record_text(record: dict, columns: Columns, path: Path, number: int) -> Text:
    where = f"{path}:{number}"
    if columns.text not in record:
        fields = ", ".join(map(str, record)) or "none"
        raise InputError(f"{where}: no {columns.text!r} field (fields: {fields}); choose one with --text-column")
    text = record[columns.text]
    if not isinstance(text, str):
        raise InputError(f"{where}: {columns.text!r} must be a string, got {type(text).__name__}")
    doc_id = record.get(columns.id)
    doc_id = where if doc_id in (None, "") else str(doc_id)
    meta = {key: value for key, value in record.items() if key not in (columns.text, columns.id)}
    return Text(text, doc_id, str(path), meta)


def read_jsonl(path: Path, columns: Columns) -> Iterator[Text]:
    # doc_id is the record's id, else 'wire.jsonl:3' (path and line number)
    # split on \n only: a JSON string may hold a raw U+2028, which str.splitlines would cut
    for number, line in enumerate(read_file(path).split("\n"), 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as error:
            raise InputError(f"{path}:{number}: not a JSON object ({error.msg})") from None
        if not isinstance(record, dict):
            raise InputError(f"{path}:{number}: expected a JSON object, got {type(record).__name__}")
        yield record_text(record, columns, path, number)


def read_table(path: Path, columns: Columns, delimiter: str) -> Iterator[Text]:
    # doc_id is the id column, else 'digest.csv:2' (path and row number, header excluded)
    rows = csv.DictReader(io.StringIO(read_file(path), newline=""), delimiter=delimiter)
    if rows.fieldnames is None:
        return
    if columns.text not in rows.fieldnames:
        fields = ", ".join(rows.fieldnames)
        raise InputError(f"{path}: no {columns.text!r} column (columns: {fields}); choose one with --text-column")
    for number, row in enumerate(rows, 1):
        yield record_text(row, columns, path, number)


def read_stdin() -> Iterator[Text]:
    yield Text(sys.stdin.read(), "stdin", STDIN)


def read_document(name: str) -> Text:
    """One text file, whatever its suffix, or '-' for standard input: what `entities show` reads."""
    if name == STDIN:
        return next(read_stdin())
    path = Path(name)
    if path.is_dir():
        raise InputError(f"{name}: is a directory (expected one text file, or - for standard input)")
    if not path.exists():
        raise InputError(f"{name}: no such file or directory")
    text = read_file(path)
    if "\x00" in text:
        raise InputError(f"{name}: a binary file, not text")
    return Text(text, path.as_posix(), str(path))


def input_kind(name: str) -> str:
    """'-', 'directory', or the file suffix: '.txt', '.jsonl', '.csv', '.tsv'."""
    path = Path(name)
    if name == STDIN:
        return STDIN
    if path.is_dir():
        return "directory"
    if not path.exists():
        raise InputError(f"{name}: no such file or directory")
    if path.suffix.lower() not in SUFFIXES:
        expected = ", ".join(SUFFIXES)
        raise InputError(f"{name}: unsupported input (expected a directory, -, or a file ending in {expected})")
    return path.suffix.lower()


def read_input(name: str, kind: str, columns: Columns) -> Iterator[Text]:
    path = Path(name)
    if kind == STDIN:
        return read_stdin()
    if kind == "directory":
        return read_directory(path)
    if kind == ".jsonl":
        return read_jsonl(path, columns)
    if kind in (".csv", ".tsv"):
        return read_table(path, columns, "\t" if kind == ".tsv" else ",")
    return read_txt(path, path.as_posix())


def read_texts(names: Iterable[str], columns: Columns = Columns()) -> Iterator[Text]:
    """`entities.Text` records of the inputs `entities extract` reads, lazily, in the order given.

    >>> texts = entities.read_texts(["corpora/", "corpora/wire.jsonl"])
    >>> next(texts)
    Text(id='news/astrakhan-kazakhstan.txt', text='Губернатор Астраханской области назвал …')

    Each name is one of:
      FILE.txt       one document; its id is the path as given
      DIRECTORY      every *.txt below it, recursively, in sorted order; its id is the path below the
                     directory ('news/astrakhan-kazakhstan.txt')
      FILE.jsonl     a JSON object per line; the text field holds the text, the id field the id (else
                     'FILE:LINE'); the record's other fields are the Text's meta
      FILE.csv/.tsv  a table with a header, read as jsonl records are (id else 'FILE:ROW')
      -              standard input: one document, id 'stdin'

    columns  the text and id fields, as `--text-column` and `--id-column`: `Columns(text="body", id="uid")`
             (`entities.reader.Columns`); default "text" and "id"

    Every name is checked at the call: a missing file or an unsupported suffix raises `InputError` (an
    `EntitiesError`) before any text is read. A file that can not be read or parsed raises when the iteration
    reaches it. Texts go to `Pipeline.pipe` as they are read, so a corpus is never held in memory.
    """
    kinds = [(name, input_kind(name)) for name in names]
    return (text for name, kind in kinds for text in read_input(name, kind, columns))
