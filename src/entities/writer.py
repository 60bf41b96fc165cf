"""Writing tables as CSV, Parquet or JSON Lines, one file per table, a chunk at a time.

Each table is written to NAME.FMT.partial and renamed to NAME.FMT when the run
ends, so a finished table is never half written.
"""

from __future__ import annotations

import os
from pathlib import Path

from .errors import OutputError

FORMATS = ("csv", "parquet", "jsonl")


def prepare(out: Path) -> None:
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise OutputError(f"{out}: can not create the output directory ({error.strerror})") from None
    if not os.access(out, os.W_OK):
        raise OutputError(f"{out}: the output directory is not writable")


class TableFile:
    """One table's file, appended to chunk by chunk."""

    def __init__(self, path: Path, fmt: str):
        self.path = path
        self.partial = path.with_name(path.name + ".partial")
        self.fmt = fmt
        self.parquet = None
        self.started = False

    def append(self, frame) -> None:
        if self.started and frame.empty:
            return
        try:
            self.write(frame)
        except OSError as error:
            raise OutputError(f"{self.path}: can not write ({error.strerror})") from None
        self.started = True

    def write(self, frame) -> None:
        if self.fmt == "csv":
            frame.to_csv(self.partial, index=False, mode="a" if self.started else "w", header=not self.started)
        elif self.fmt == "jsonl":
            with open(self.partial, "a" if self.started else "w", encoding="utf-8") as file:
                if not frame.empty:
                    file.write(frame.to_json(orient="records", lines=True, force_ascii=False).rstrip("\n") + "\n")
        else:
            self.write_parquet(frame)

    def write_parquet(self, frame) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        if self.parquet is None:
            table = pa.Table.from_pandas(frame, preserve_index=False)
            self.parquet = pq.ParquetWriter(self.partial, table.schema)
        else:
            table = pa.Table.from_pandas(frame, schema=self.parquet.schema, preserve_index=False)
        self.parquet.write_table(table)

    def close(self) -> Path:
        if self.parquet is not None:
            self.parquet.close()
        os.replace(self.partial, self.path)
        return self.path

    def discard(self) -> None:
        if self.parquet is not None:
            self.parquet.close()
        if self.partial.exists():
            self.partial.unlink()


class TableWriter:
    """out/NAME.FMT for each table; `append` chunks, `close` to finish them all."""

    def __init__(self, out: Path, fmt: str = "csv"):
        if fmt not in FORMATS:
            raise OutputError(f"unknown format {fmt!r} (expected one of {', '.join(FORMATS)})")
        prepare(out)
        self.out, self.fmt = out, fmt
        self.files: dict[str, TableFile] = {}

    def append(self, name: str, frame) -> None:
        if name not in self.files:
            self.files[name] = TableFile(self.out / f"{name}.{self.fmt}", self.fmt)
        self.files[name].append(frame)

    def close(self) -> dict[str, Path]:
        return {name: file.close() for name, file in self.files.items()}

    def discard(self) -> None:
        for file in self.files.values():
            file.discard()
