"""Reading inputs lazily into Text records: text files, folders, .jsonl, .csv/.tsv, .parquet, archives, stdin.

A file's format is its suffix, whatever its case ('A.TXT'), also inside a .gz, .bz2 or .xz
compression ('news.jsonl.gz', decompressed as it is read); a .zip or .tar archive (.tar.gz, .tgz,
.tar.bz2, .tar.xz) is read member by member, each by its own suffix (doc_id 'f.zip/inner/g.txt').
A folder is read file by file below it, in sorted order, but for the files given as inputs of
their own; its files of no format read ('x.docx', and an archive's) are named in one warning
when the inputs end; hidden ones ('.DS_Store', '.git/HEAD') are not. A Parquet file is read a
batch of rows at a time.

A document that can not be read (an unreadable or undecodable file, a malformed JSON line, a
record without text, an id seen before) comes as a Failure in its place, and reading goes on.
A problem with the run itself (a missing input, an unknown suffix, a CSV or Parquet file without
the text column) is an InputError before any work; a table in a folder or an archive without it
is a Failure, as a file that can not be read (a damaged .gz, a damaged archive) is.

A file name whose bytes are not UTF-8 (common in archives made on Windows) is read like any
other; its doc_id and source show those bytes as \\x escapes ('bad\\\\xff.txt'), text that every
output format holds.
"""

from __future__ import annotations

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
from .archive import Opener, file_opener, members
from .compression import ARCHIVE, COMPRESSIONS, DAMAGED, FORMATS, damage, decompressed, file_kind
from .encoding import DecodeError, check_encoding, decode, path_text, stream_lines, text_lines
from .failure import DECODE, READ, Failure, one_line
from .listing import directory_files, hidden
from .table import DELIMITERS, sniffed, table_fields, table_records

STDIN = "-"
HEADER_CHARS = 65_536  # read to check a CSV's header before the run
PARQUET_ROWS = 1024  # rows of a Parquet file read at a time
SHOWN = 5  # the skipped files named in the line that counts them
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


@dataclass(frozen=True)
class Blob:
    """The bytes of one input file, or of an archive's member, to read by its format (`kind`).

    doc_id names a .txt document and prefixes the ids of a table's rows ('digest.csv:2'): the path
    as given, below the folder ('news/a.txt') or below the archive ('f.zip/inner/g.txt'); source is
    the file as the source column shows it."""

    doc_id: str
    source: str
    kind: str
    opener: Opener  # the bytes as stored
    name: str  # whose suffix says the compression: 'news.jsonl.gz'


def unreadable(error: Exception, name: str) -> str:
    """'can not read (Permission denied)', or what a damaged compressed file raised."""
    if isinstance(error, OSError) and error.errno is not None:
        return cannot_read(error)
    return damage(error, name)


def blob_bytes(blob: Blob) -> bytes | Failure:
    """The bytes of a blob, decompressed; a Failure when they can not be read."""
    try:
        with decompressed(blob.opener, blob.name) as stream:
            return stream.read()
    except DAMAGED as error:
        return Failure(blob.doc_id, blob.source, READ, unreadable(error, blob.source))


def text_items(blob: Blob, reading: Reading) -> Iterator[Item]:
    data = blob_bytes(blob)
    if isinstance(data, Failure):
        yield data
        return
    try:
        yield Text(decode(data, reading.encoding), blob.doc_id, blob.source)
    except DecodeError as error:
        yield Failure(blob.doc_id, blob.source, DECODE, str(error))


def directory_items(root: Path, doc_id: str, file: Path | OSError, reading: Reading,
                    skipped: list[str]) -> Iterator[Item]:  # fmt: skip
    """One entry of `directory_files`, read: its Texts, or Failures."""
    if isinstance(file, OSError):
        within_limit(file)
        yield Failure(doc_id, name_of(root), READ, f"can not list the folder ({file.strerror})")
    elif file.exists() and not file.is_file():  # a named pipe would block the run
        yield Failure(doc_id, name_of(file), READ, "not a regular file")
    else:
        yield from file_items(str(file), doc_id, name_of(file), reading, skipped)


def read_directory(path: Path, reading: Reading, skipped: list[str], named: frozenset[str]) -> Iterator[Item]:
    # doc_id is the path below the directory: 'news/astrakhan-kazakhstan.txt'
    listing = directory_files(path, named)
    skipped.extend(listing.skipped)
    for doc_id, file in listing.files:
        yield from directory_items(path, doc_id, file, reading, skipped)


def archive_items(path: str, doc_id: str, source: str, reading: Reading, skipped: list[str]) -> Iterator[Item]:
    # doc_id of a member is the archive's and its name in it: 'f.zip/inner/g.txt'
    found = members(path)
    while True:
        try:
            name, opener = next(found)
        except StopIteration:
            return
        except DAMAGED as error:
            yield Failure(doc_id, source, READ, unreadable(error, path))
            return
        kind = file_kind(name)
        if kind in (None, ARCHIVE):  # an archive in an archive is not opened
            skipped.extend([] if hidden(name) else [f"{doc_id}/{name}"])
        else:
            yield from blob_items(Blob(f"{doc_id}/{name}", f"{source}/{name}", kind, opener, name), reading)


def file_items(path: str, doc_id: str, source: str, reading: Reading, skipped: list[str],
               delimiter: str | None = None) -> Iterator[Item]:  # fmt: skip
    """The items of a file of any format read, found by its name ('news.jsonl.gz')."""
    kind = cast(str, file_kind(path))
    if kind == ARCHIVE:
        return archive_items(path, doc_id, source, reading, skipped)
    return blob_items(Blob(doc_id, source, kind, file_opener(path), path), reading, delimiter)


def blob_items(blob: Blob, reading: Reading, delimiter: str | None = None) -> Iterator[Item]:
    if blob.kind == ".jsonl":
        return jsonl_items(blob, reading)
    if blob.kind in (".csv", ".tsv"):
        return csv_items(blob, reading, delimiter)
    if blob.kind == ".parquet":
        return parquet_items(blob, reading)
    return text_items(blob, reading)


def missing(value) -> bool:
    """None, NA, NaT or NaN: a record's field with no value."""
    import pandas as pd

    if value is None or value is pd.NA or value is pd.NaT:
        return True
    return isinstance(value, numbers.Real) and not isinstance(value, numbers.Integral) and math.isnan(value)


def json_text(value) -> str:
    """A value as text: a string as it is, anything else as JSON ('true', '["l"]', '7')."""
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)


def record_text(record, reading: Reading, name: str, number: int, source: str | None = None) -> Item:
    """A record (a dict) as a Text, or a Failure; without an id, 'name:number'."""
    where, source = f"{name}:{number}", source or name
    if not isinstance(record, dict):
        return Failure(where, source, READ, f"expected a JSON object, got {type(record).__name__}")
    doc_id = record.get(reading.id)
    doc_id = where if doc_id in (None, "") else json_text(doc_id)
    text = record.get(reading.text)
    if reading.text not in record:
        fields = ", ".join(map(str, record)) or "none"
        return Failure(
            doc_id, source, READ, f"no {reading.text!r} field (fields: {fields}); choose one with --text-column"
        )
    if not isinstance(text, str):
        return Failure(doc_id, source, READ, f"{reading.text!r} must be a string, got {type(text).__name__}")
    meta = {key: value for key, value in record.items() if key not in (reading.text, reading.id)}
    return Text(text, doc_id, source, meta)


def json_record(line: str, reading: Reading, blob: Blob, number: int) -> Item:
    where = f"{blob.doc_id}:{number}"
    try:
        record = json.loads(line)
    except json.JSONDecodeError as error:
        return Failure(where, blob.source, READ, f"not a JSON object ({error.msg} at column {error.colno})")
    if "\\ud" in line.lower() and not encodable(record):  # '\ud800': a lone surrogate, text no file can hold
        return Failure(where, blob.source, DECODE, "a \\u escape of a lone surrogate: not Unicode text")
    return record_text(record, reading, blob.doc_id, number, blob.source)


def encodable(record) -> bool:
    try:
        json.dumps(record, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def jsonl_items(blob: Blob, reading: Reading) -> Iterator[Item]:
    # doc_id is the record's id, else 'wire.jsonl:3' (path and line number)
    number = 0
    try:
        with decompressed(blob.opener, blob.name) as stream:
            for number, line in enumerate(stream_lines(stream, reading.encoding), 1):
                if isinstance(line, DecodeError):
                    yield Failure(f"{blob.doc_id}:{number}", blob.source, DECODE, str(line))
                elif line.strip():
                    yield json_record(line, reading, blob, number)
    except DecodeError as error:
        yield Failure(blob.doc_id, blob.source, DECODE, str(error))
    except DAMAGED as error:
        yield Failure(blob.doc_id, blob.source, READ, unreadable(error, blob.source) + after(number, "line"))


def parquet_items(blob: Blob, reading: Reading) -> Iterator[Item]:
    # doc_id is the id column, else 'news.parquet:2' (path and row number); read a row group's batch at a time
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        with blob.opener() as raw:
            table = pq.ParquetFile(raw)
            if reading.text not in table.schema_arrow.names:
                yield Failure(blob.doc_id, blob.source, READ, no_column(table.schema_arrow.names, reading))
                return
            rows = (row for batch in table.iter_batches(PARQUET_ROWS) for row in batch.to_pylist())
            for number, row in enumerate(rows, 1):
                yield record_text(whole_id(row, reading), reading, blob.doc_id, number, blob.source)
    except (OSError, pa.ArrowException) as error:
        yield Failure(blob.doc_id, blob.source, READ, f"not a Parquet file pyarrow reads ({one_line(str(error))})")


def whole_id(row: dict, reading: Reading) -> dict:
    # an id column of integers with a gap is stored as floats: 7.0 is the id 7, as the Dask engine reads it
    value = row.get(reading.id)
    if isinstance(value, float) and value.is_integer():
        row[reading.id] = int(value)
    return row


def no_column(columns: list[str], reading: Reading) -> str:
    return f"no {reading.text!r} column (columns: {', '.join(columns)}); choose one with --text-column"


def row_text(fields: list[str] | None, header: list[str], reading: Reading, blob: Blob, number: int,
             line: int) -> Item:  # fmt: skip
    where = f"{blob.doc_id}:{number}"
    if fields is None:
        error = (
            f"malformed CSV: the quote opened on line {line} does not close where a field ends; "
            "the lines after it are read as rows"
        )
        return Failure(where, blob.source, READ, error)
    if len(fields) != len(header):  # its fields would land in other columns
        error = f"{len(fields)} fields where the header has {len(header)} (line {line})"
        return Failure(where, blob.source, READ, error)
    return record_text(dict(zip(header, fields, strict=True)), reading, blob.doc_id, number, blob.source)


def csv_items(blob: Blob, reading: Reading, delimiter: str | None = None) -> Iterator[Item]:
    # doc_id is the id column, else 'digest.csv:2' (path and row number, header excluded)
    if delimiter is None:  # a table in a folder or an archive: its header was not checked before the run
        try:
            delimiter = table_delimiter(blob, reading)
        except InputError as error:
            yield Failure(blob.doc_id, blob.source, READ, str(error))
            return
    rows = 0
    try:
        with decompressed(blob.opener, blob.name) as stream:
            records = table_records(text_lines(stream, reading.encoding), delimiter)
            header = next(records, (0, []))[1] or []
            for rows, (line, fields) in enumerate(records, 1):
                yield row_text(fields, header, reading, blob, rows, line)
    except DecodeError as error:
        yield Failure(blob.doc_id, blob.source, DECODE, str(error))
    except DAMAGED as error:
        yield Failure(blob.doc_id, blob.source, READ, unreadable(error, blob.source) + after(rows, "row"))


def after(count: int, unit: str) -> str:
    return f", past {unit} {count}" if count else ""


def read_stdin(reading: Reading) -> Iterator[Item]:
    try:
        yield Text(decode(sys.stdin.buffer.read(), reading.encoding), "stdin", STDIN)
    except DecodeError as error:
        yield Failure("stdin", STDIN, DECODE, str(error))


def header_text(blob: Blob, reading: Reading) -> str | None:
    """The start of a CSV file, decoded, or None when it can not be (the whole file then fails later)."""
    try:
        with decompressed(blob.opener, blob.name) as file:
            head: list[str] = []
            for line in text_lines(file, reading.encoding):
                head.append(line)
                if sum(map(len, head)) >= HEADER_CHARS:
                    break
            return "".join(head)
    except (DecodeError, *DAMAGED):
        return None


def table_delimiter(blob: Blob, reading: Reading) -> str:
    """The delimiter of a .csv or .tsv file: --delimiter; else, of the usual ones (',' or tab first, as
    the suffix says), the first that finds the text column in the header. InputError when none does."""
    usual = delimiter(blob.kind)
    text = header_text(blob, reading)
    if reading.delimiter or not text:
        return reading.delimiter or usual
    tried = [usual, *(other for other in DELIMITERS if other != usual)] if blob.kind == ".csv" else [usual]
    for candidate in tried:
        if reading.text in table_fields(text, candidate):
            if candidate != usual:
                log.info(f"{blob.source}: read with {candidate!r} as the delimiter (found the "
                         f"{reading.text!r} column with it; --delimiter names another)")  # fmt: skip
            return candidate
    columns = table_fields(text, sniffed(text, usual))
    raise InputError(no_column(columns, reading) + ", or the delimiter with --delimiter")


def read_file(path: Path, encoding: str | None = None) -> str:
    """A whole text file, decompressed ('a.txt.gz') and decoded as inputs are; InputError when it can not
    be: what the gold readers and `entities show` read."""
    data = blob_bytes(Blob(name_of(path), name_of(path), ".txt", file_opener(str(path)), str(path)))
    if isinstance(data, Failure):
        raise InputError(f"{data.doc_id}: {data.error}")
    try:
        return decode(data, encoding)
    except DecodeError as error:
        raise InputError(f"{name_of(path)}: {error}") from None


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
    """'-', 'directory', 'archive', or the format: '.txt', '.jsonl', '.csv', '.tsv', '.parquet'."""
    path = Path(name)
    if name == STDIN:
        return STDIN
    if path.is_dir():
        return "directory"
    if not path.exists() and not path.is_symlink():
        raise InputError(f"{path_text(name)}: no such file or directory")
    kind = file_kind(name)
    if kind is None:
        raise InputError(
            f"{path_text(name)}: unsupported input (expected a directory, -, or a file ending in {', '.join(FORMATS)}, "
            f"the text ones compressed or not ({', '.join(COMPRESSIONS)}), or a .zip or .tar archive of them)"
        )
    return kind


def delimiter(kind: str) -> str:
    return "\t" if kind == ".tsv" else ","


class Source(NamedTuple):
    """An input, checked: its name, its kind (`input_kind`), and a table's delimiter."""

    name: str
    kind: str
    delimiter: str | None = None


def input_blob(name: str, kind: str) -> Blob:
    """An input file as given: its doc_id is the path as given ('news/a.txt')."""
    return Blob(path_text(Path(name).as_posix()), name_of(Path(name)), kind, file_opener(name), name)


def check_input(name: str, reading: Reading) -> Source:
    """The input's kind, and a table's delimiter: InputError when a table has no text column."""
    kind = input_kind(name)
    if kind in (".csv", ".tsv"):
        try:
            return Source(name, kind, table_delimiter(input_blob(name, kind), reading))
        except InputError as error:
            raise InputError(f"{path_text(name)}: {error}") from None
    if kind == ".parquet":
        check_parquet(name, reading)
    return Source(name, kind)


def check_parquet(name: str, reading: Reading) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        columns = pq.read_schema(name).names
    except (OSError, pa.ArrowException):
        return  # a Failure when it is read
    if reading.text not in columns:
        raise InputError(f"{path_text(name)}: {no_column(columns, reading)}")


def read_input(source: Source, reading: Reading, skipped: list[str] | None = None,
               named: frozenset[str] = frozenset()) -> Iterator[Item]:  # fmt: skip
    """The items of a checked input; the files a folder or an archive holds of no format read go to `skipped`,
    those `named` (inputs of their own, as absolute paths) are not read in a folder."""
    skipped = [] if skipped is None else skipped
    if source.kind == STDIN:
        return read_stdin(reading)
    if source.kind == "directory":
        return read_directory(Path(source.name), reading, skipped, named)
    blob = input_blob(source.name, source.kind)
    return file_items(source.name, blob.doc_id, blob.source, reading, skipped, source.delimiter)


def named_files(names: Iterable[str]) -> frozenset[str]:
    """The absolute paths of the inputs that are files: a folder given too does not read them again."""
    return frozenset(os.path.abspath(name) for name in names if name != STDIN and not os.path.isdir(name))


def skipped_line(names: list[str]) -> str:
    """'skipped 3 files: x.docx, y.pdf, z.bin; see --help', the names shortened past SHOWN."""
    shown = ", ".join(names[:SHOWN]) + (", …" if len(names) > SHOWN else "")
    return f"skipped {len(names)} file{'s' * (len(names) != 1)}: {shown}; not a format entities reads (see --help)"


def nothing_read(inputs: Iterable[str], out: Path) -> str:
    """The error of a run that found no document: 'no document to read in in/ (see --help …); …'."""
    names = ", ".join(map(path_text, inputs))
    return f"no document to read in {names} (see --help for the inputs read); {path_text(str(out))} is left as it was"


def source_items(sources: list[Source], reading: Reading) -> Iterator[Item]:
    """The items of every input in order, then one line naming the files skipped, if any."""
    skipped: list[str] = []
    named = named_files(source.name for source in sources)
    for source in sources:
        yield from read_input(source, reading, skipped, named)
    if skipped:
        log.warning(skipped_line(skipped))


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
    return unique(source_items(sources, reading))


def read_texts(
    names: str | Iterable[str], text_column: str = "text", id_column: str = "id", encoding: str | None = None
) -> Iterator[Text]:
    """`entities.Text` records of the inputs `entities extract` reads, lazily, in the order given.

    Examples:
        >>> texts = entities.read_texts(["corpora/news/", "corpora/wire.jsonl"])
        >>> next(texts)
        Text(id='astrakhan-kazakhstan.txt', text='Губернатор Астраханской области назвал …')

    `names` is one name or several; each is one of:
      FILE.txt       one document; its id is the path as given
      FILE.jsonl     a JSON object per line; the text field holds the text, the id field the id (else
                     'FILE:LINE'); the record's other fields are the Text's meta
      FILE.csv/.tsv  a table with a header, read as jsonl records are (id else 'FILE:ROW')
      FILE.parquet   a table, read as a CSV is, a batch of rows at a time
      FILE.gz        any of these but Parquet compressed, .gz, .bz2 or .xz ('news.jsonl.gz'), read as
                     it is decompressed
      FILE.zip/.tar  an archive (.tar.gz, .tgz, .tar.bz2, .tar.xz) of these: each member read by its
                     own suffix, with the id 'FILE.zip/inner/a.txt' (a table's rows keep theirs)
      DIRECTORY      every file of these below it, recursively, in sorted order, but those given as
                     names too; its id is the path below the directory ('news/astrakhan-kazakhstan.txt')
      -              standard input: one document, id 'stdin'

    Suffixes are matched in any case ('A.TXT'). A folder's or an archive's other files ('x.docx') are
    not read and are named in one warning of the 'entities' logger when the inputs end; hidden files
    ('.DS_Store') are not named. Inputs with no document give no Text, and no error.

    text_column, id_column  the fields holding the text and the id, as `--text-column` and `--id-column`
    encoding                decode with this codec the files detection can not read (a BOM, else UTF-8,
                            else cp1251 or KOI8-R, whichever reads as Russian), as `--encoding` does

    Every name is checked at the call: a missing file, an unsupported suffix or a CSV or Parquet file
    without the text column raises `InputError` (an `EntitiesError`) before any text is read. A document
    that can not be read (unreadable, damaged, undecodable, a malformed JSON line, an id seen before)
    raises `InputError` with its reason when the iteration reaches it; `entities extract` lists such
    documents in its errors table instead. Texts go to `Pipeline.pipe` as they are read, so a corpus is
    never held in memory.
    """
    names = [names] if isinstance(names, (str, os.PathLike)) else names
    try:
        encoding = encoding and check_encoding(encoding)
    except ValueError as error:
        raise InputError(str(error)) from None
    return only_texts(read_items(map(str, names), Reading(text_column, id_column, encoding)))


def only_texts(items: Iterable[Item]) -> Iterator[Text]:
    for item in items:
        if isinstance(item, Failure):
            raise InputError(f"{item.doc_id}: {item.error}")
        yield item
