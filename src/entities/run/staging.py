"""The staging directory of a run: its chunks of table rows, one part file per staged table each.

OUT/.entities-run/
  run.json                     what the run reads (inputs, fields, encoding, version, and on Dask the
                               partitions and options): --resume checks it
  journal.jsonl                a local run's: one line per committed chunk,
                               {"chunk": 3, "items": 412, "last": "wire.jsonl:97"}
  TABLE/part-00003.parquet     the chunk's rows of each staged table (STAGED), whatever the output format
  tables/                      the final tables, merged from the chunks when the run ends, before they
                               are swapped into OUT (folder.publish)

Both engines stage alike (`Staged`); what differs is how a chunk is known to be done. A local run
(`Staging`) writes its chunks one after the other: a chunk's part files are written as
TABLE/part-N.parquet.partial, flushed to disk and renamed; then its journal line is appended and
flushed. A chunk is committed once its line is there: parts without one (a run killed mid-chunk) are
deleted when the run resumes, and the input items the journal counts are skipped. A Dask run
(`Partitions`) stages one chunk per partition, in any order: a partition is done once its errors
part, written last, is there. The final tables are merged from the staged parts (`merge`).
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

from ..errors import InputError, OutputError
from ..io.encoding import path_text
from ..io.writer import TableFile, prepare, sync, write_text
from ..tables import ERROR_COLUMNS, ROW_TABLES, SCHEMAS, schema_frame
from ..version import __version__
from .folder import RUN, write_json
from .signals import held

KEY_FILE = "run.json"  # the run's key: what a resumed run must share
JOURNAL = "journal.jsonl"
TABLES = "tables"

STAGED = {
    "documents": {**SCHEMAS["documents"], "meta": "str"},  # meta: the record's other fields as a JSON object
    **{name: SCHEMAS[name] for name in ROW_TABLES},  # sentences, tokens, and each extractor's (dates, …)
    "mentions": SCHEMAS["mentions"],
    "entities": {column: dtype for column, dtype in SCHEMAS["entities"].items() if column != "corpus_id"},
    "errors": ERROR_COLUMNS,
}


def run_key(inputs, reading, pipeline=None) -> dict:
    """What a resumed run must share with the interrupted one: the same inputs, read the same way, and the
    options of the pipeline that change its rows (the documents' date field, syntax)."""
    paths = [name if name == "-" else path_text(os.path.abspath(name)) for name in inputs]
    fields = {"text": reading.text, "id": reading.id, "encoding": reading.encoding, "delimiter": reading.delimiter}
    key = {"entities": __version__, "inputs": paths, "reading": fields}
    if pipeline is not None:
        key["rows"] = {"date_field": pipeline.date_field, "syntax": pipeline.syntax}
    return key


def part_name(chunk: int) -> str:
    return f"part-{chunk:05d}.parquet"


def chunk_number(path: Path) -> int:
    # 'part-00012.parquet.partial' -> 12
    return int(path.name.split(".")[0].split("-")[1])


def drop_parts(root: Path, kept: int) -> None:
    """Delete the staged parts under `root` of chunks from `kept` on, and any .partial."""
    for name in STAGED:
        for path in (root / name).glob("part-*"):
            if path.name.endswith(".partial") or chunk_number(path) >= kept:
                path.unlink()


class Staged:
    """OUT/.entities-run: run.json, the key of the run (what a resumed run must share), and the staged parts."""

    def __init__(self, out: Path, key: dict):
        prepare(out)
        self.root = out / RUN
        self.key = key

    @property
    def count(self) -> int:
        """Chunks the final tables are merged from."""
        raise NotImplementedError

    def parts(self, name: str) -> list[Path]:
        return [self.root / name / part_name(chunk) for chunk in range(self.count)]

    def resumable(self) -> bool:
        """An interrupted run of the same key is staged here (another key is an InputError)."""
        try:
            key = json.loads((self.root / KEY_FILE).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return False  # no interrupted run here: start one
        if key != self.key:
            raise InputError(f"{self.root.parent} holds an interrupted run of other inputs or options, or of another "
                             "entities version; run without --resume to start over")  # fmt: skip
        return True

    def start(self) -> None:
        """An empty staging directory, with the run's key."""
        try:
            shutil.rmtree(self.root, ignore_errors=True)
            for name in STAGED:
                (self.root / name).mkdir(parents=True)
        except OSError as error:
            raise OutputError(f"{self.root}: can not create the staging directory ({error.strerror})") from None
        write_json(self.root / KEY_FILE, self.key)

    def tables(self) -> Path:
        """An empty folder for the final tables (what a run stopped in its merge left there goes)."""
        folder = self.root / TABLES
        shutil.rmtree(folder, ignore_errors=True)
        try:
            folder.mkdir()
        except OSError as error:
            raise OutputError(f"{folder}: can not create ({error.strerror})") from None
        return folder

    def kept(self, error: BaseException) -> str:
        """'; what is saved in OUT/.entities-run: add --resume to continue', or nothing."""
        raise NotImplementedError

    def abandon(self) -> None:
        """After an error: what is not staged for good goes; the rest stays for --resume."""

    def remove(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)


class Staging(Staged):
    """A local run's chunks, one after the other: `append` frames, `commit` the chunk."""

    def __init__(self, out: Path, key: dict, resume: bool = False):
        super().__init__(out, key)
        self.chunks: list[dict] = self.resumed() if resume and self.resumable() else []
        if not self.chunks:
            self.start()
            write_text(self.root / JOURNAL, "")
        self.files: dict[str, TableFile] = {}

    @property
    def count(self) -> int:
        return len(self.chunks)

    @property
    def items(self) -> int:
        """Input items (documents and failures) the committed chunks hold."""
        return self.chunks[-1]["items"] if self.chunks else 0

    @property
    def last_id(self) -> str | None:
        return self.chunks[-1]["last"] if self.chunks else None

    def resumed(self) -> list[dict]:
        """The committed chunks of the interrupted run, its uncommitted parts deleted."""
        chunks = self.journal()
        drop_parts(self.root, len(chunks))
        write_text(self.root / JOURNAL, "".join(json.dumps(entry, ensure_ascii=False) + "\n" for entry in chunks))
        return chunks

    def journal(self) -> list[dict]:
        chunks: list[dict] = []
        try:
            lines = (self.root / JOURNAL).read_text(encoding="utf-8").splitlines()
        except OSError:
            return chunks
        for line in lines:
            try:
                entry = json.loads(line)
            except ValueError:
                break  # a line torn by the kill: its chunk is not committed
            if entry.get("chunk") != len(chunks):
                break
            chunks.append(entry)
        return chunks

    @property
    def dirty(self) -> bool:
        """A chunk has rows not committed yet."""
        return bool(self.files)

    def append(self, name: str, frame) -> None:
        if name not in self.files:
            path = self.root / name / part_name(len(self.chunks))
            self.files[name] = TableFile(path, "parquet", STAGED[name], durable=True)
        self.files[name].append(frame)

    def commit(self, items: int, last_id: str | None) -> None:
        """Make the open chunk durable: its parts renamed, then its journal line written."""
        for name, columns in STAGED.items():
            if name not in self.files:
                self.append(name, schema_frame(columns, []))
        for file in self.files.values():
            file.close()
        self.files = {}
        entry = {"chunk": len(self.chunks), "items": items, "last": last_id}
        with held():  # a chunk on the journal is one this run knows it has: Ctrl-C waits for both
            self.append_journal(entry)
            self.chunks.append(entry)

    def append_journal(self, entry: dict) -> None:
        path = self.root / JOURNAL
        try:
            for name in STAGED:
                sync(self.root / name)  # the renames first
            with open(path, "a", encoding="utf-8") as file:
                file.write(json.dumps(entry, ensure_ascii=False) + "\n")
                file.flush()
                os.fsync(file.fileno())
        except OSError as error:
            raise OutputError(f"{path}: can not write ({error.strerror})") from None

    def kept(self, error: BaseException) -> str:
        if not self.chunks or isinstance(error, InputError) or not self.root.is_dir():
            return ""
        return f"; {self.items} documents are saved in {self.root}: add --resume to continue"

    def abandon(self) -> None:
        """The open chunk's files go; committed chunks stay for --resume, if there are any."""
        for file in self.files.values():
            file.discard()
        self.files = {}
        if not self.chunks:
            self.remove()


class Partitions(Staged):
    """A Dask run's chunks, one per partition, staged in any order by the workers (`stage_chunk`)."""

    def __init__(self, out: Path, key: dict, count: int, resume: bool = False):
        super().__init__(out, key)
        self.partitions = count
        if resume and self.resumable():
            drop_parts(self.root, count)  # a run cut short leaves .partial files
        else:
            self.start()

    @property
    def count(self) -> int:
        return self.partitions

    def done(self) -> set[int]:
        # a partition is done once its errors part, written last, is there
        return {chunk_number(path) for path in (self.root / "errors").glob("part-*.parquet")}

    def kept(self, error: BaseException) -> str:
        """'; 3 of 8 partitions are saved in OUT/.entities-run: add --resume to continue', or nothing."""
        done = len(self.done()) if self.root.is_dir() else 0
        return f"; {done} of {self.count} partitions are saved in {self.root}: add --resume to continue" if done else ""


def write_part(path: Path, frame, columns: dict | None = None) -> None:
    """A part file written beside, then renamed: whole or absent."""
    path.parent.mkdir(parents=True, exist_ok=True)
    part = TableFile(path, "parquet", columns, durable=True)
    part.append(frame)
    part.close()


def stage_chunk(root: Path, number: int, frames: dict) -> None:
    """A partition's rows of every staged table, as chunk `number` under `root`: errors last, it marks the
    chunk done."""
    for name, columns in STAGED.items():
        write_part(root / name / part_name(number), frames[name], columns)
