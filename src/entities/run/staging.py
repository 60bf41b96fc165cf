"""The staging directory of a run: committed chunks of table rows, and the journal that lists them.

OUT/.entities-run/
  run.json                     what the run reads (inputs, fields, encoding, version): --resume checks it
  journal.jsonl                one line per committed chunk: {"chunk": 3, "items": 412, "last": "wire.jsonl:97"}
  TABLE/part-00003.parquet     the chunk's rows of each staged table (STAGED), whatever the output format
  tables/                      the final tables, merged from the chunks when the run ends, before they
                               are swapped into OUT (output.publish)

A chunk's part files are written as TABLE/part-N.parquet.partial, flushed to disk and renamed;
then its journal line is appended and flushed. A chunk is committed once its line is there:
parts without one (a run killed mid-chunk) are deleted when the run resumes, and the input
items the journal counts are skipped. The final tables are merged from the committed parts.
"""

from __future__ import annotations

import json
import os
import shutil
from importlib.metadata import version
from pathlib import Path

from ..io.encoding import path_text
from ..errors import InputError, OutputError
from .folder import RUN
from .signals import held
from ..tables import ERROR_COLUMNS, SCHEMAS, schema_frame
from ..io.writer import TableFile, prepare, sync

MANIFEST = "run.json"
JOURNAL = "journal.jsonl"
TABLES = "tables"

STAGED = {
    "documents": {**SCHEMAS["documents"], "meta": "str"},  # meta: the record's other fields as a JSON object
    "sentences": SCHEMAS["sentences"],
    "tokens": SCHEMAS["tokens"],
    "mentions": SCHEMAS["mentions"],
    "entities": {column: dtype for column, dtype in SCHEMAS["entities"].items() if column != "corpus_id"},
    "errors": ERROR_COLUMNS,
}


def run_key(inputs, reading) -> dict:
    """What a resumed run must share with the interrupted one: the same inputs, read the same way."""
    paths = [name if name == "-" else path_text(os.path.abspath(name)) for name in inputs]
    fields = {"text": reading.text, "id": reading.id, "encoding": reading.encoding, "delimiter": reading.delimiter}
    return {"entities": version("entities"), "inputs": paths, "reading": fields}


def part_name(chunk: int) -> str:
    return f"part-{chunk:05d}.parquet"


def chunk_number(path: Path) -> int:
    # 'part-00012.parquet.partial' -> 12
    return int(path.name.split(".")[0].split("-")[1])


def drop_parts(root: Path, kept: int) -> None:
    """Delete the staged parts under `root` of chunks (or partitions) from `kept` on, and any .partial."""
    for name in STAGED:
        for path in (root / name).glob("part-*"):
            if path.name.endswith(".partial") or chunk_number(path) >= kept:
                path.unlink()


class Staging:
    """Chunks of staged table rows under OUT/.entities-run: `append` frames, `commit` the chunk."""

    def __init__(self, out: Path, key: dict, resume: bool = False):
        prepare(out)
        self.root = out / RUN
        self.key = key
        self.chunks: list[dict] = self.resumed() if resume else []
        if not self.chunks:
            self.start()
        self.files: dict[str, TableFile] = {}

    @property
    def items(self) -> int:
        """Input items (documents and failures) the committed chunks hold."""
        return self.chunks[-1]["items"] if self.chunks else 0

    @property
    def last_id(self) -> str | None:
        return self.chunks[-1]["last"] if self.chunks else None

    def resumed(self) -> list[dict]:
        """The committed chunks of an interrupted run in this directory, its uncommitted parts deleted."""
        try:
            key = json.loads((self.root / MANIFEST).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return []  # no interrupted run here: start one
        if key != self.key:
            raise InputError(
                f"{self.root.parent} holds an interrupted run of other inputs or options, or of another "
                "entities version; run without --resume to start over"
            )
        chunks = self.journal()
        self.clean(len(chunks))
        self.write_journal(chunks)
        return chunks

    def journal(self) -> list[dict]:
        chunks = []
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

    def clean(self, committed: int) -> None:
        drop_parts(self.root, committed)

    def write_journal(self, chunks: list[dict]) -> None:
        self.atomic(JOURNAL, "".join(json.dumps(entry, ensure_ascii=False) + "\n" for entry in chunks))

    def atomic(self, name: str, text: str) -> None:
        path = self.root / name
        temporary = path.with_name(name + ".partial")
        try:
            temporary.write_text(text, encoding="utf-8")
            sync(temporary)
            os.replace(temporary, path)
        except OSError as error:
            raise OutputError(f"{path}: can not write ({error.strerror})") from None

    def start(self) -> None:
        try:
            shutil.rmtree(self.root, ignore_errors=True)
            for name in STAGED:
                (self.root / name).mkdir(parents=True)
        except OSError as error:
            raise OutputError(f"{self.root}: can not create the staging directory ({error.strerror})") from None
        self.atomic(JOURNAL, "")
        self.atomic(MANIFEST, json.dumps(self.key, ensure_ascii=False, indent=1))

    @property
    def dirty(self) -> bool:
        """A chunk has rows not committed yet."""
        return bool(self.files)

    def append(self, name: str, frame) -> None:
        if name not in self.files:
            path = self.root / name / part_name(len(self.chunks))
            self.files[name] = TableFile(path, "parquet", STAGED[name], durable=True)
        self.files[name].append(frame)

    def commit(self, items: int, last_id: str) -> None:
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

    def tables(self) -> Path:
        """An empty folder for the final tables (what a run stopped in its merge left there goes)."""
        folder = self.root / TABLES
        shutil.rmtree(folder, ignore_errors=True)
        try:
            folder.mkdir()
        except OSError as error:
            raise OutputError(f"{folder}: can not create ({error.strerror})") from None
        return folder

    def parts(self, name: str) -> list[Path]:
        return [self.root / name / part_name(chunk) for chunk in range(len(self.chunks))]

    def abandon(self) -> None:
        """After an error: the open chunk's files go; committed chunks stay for --resume, if there are any."""
        for file in self.files.values():
            file.discard()
        self.files = {}
        if not self.chunks:
            self.remove()

    def remove(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)
