"""Writing tables as CSV, Parquet or JSON Lines, one file per table, a frame of rows at a time.

Each table is written to NAME.FMT.partial and renamed to NAME.FMT when it is
complete, so a finished table is never half written.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any, BinaryIO, cast

from ..errors import OutputError
from .encoding import path_text

FILE_FORMATS = ("csv", "parquet", "jsonl")  # a file per table
FORMATS = (*FILE_FORMATS, "duckdb")  # duckdb: one database, io.database


def prepare(out: Path) -> None:
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise OutputError(f"{out}: can not create the output directory ({error.strerror})") from None
    if not os.access(out, os.W_OK):
        raise OutputError(f"{out}: the output directory is not writable")


def arrow_schema(columns: dict[str, str]):
    """{'doc_id': 'str', 'start': 'int64', 'head_id': 'Int64'} -> the pyarrow schema, so that a frame with no rows
    types alike."""
    import pyarrow as pa

    return pa.schema([(name, arrow_type(dtype)) for name, dtype in columns.items()])


def arrow_type(dtype: str):
    # 'str' -> string; pandas' nullable 'Int64', 'Float64', 'boolean' -> int64, float64, bool (nulls allowed)
    import pyarrow as pa

    nullable = {"str": pa.string(), "Int64": pa.int64(), "Float64": pa.float64(), "boolean": pa.bool_()}
    return nullable.get(dtype) or pa.from_numpy_dtype(dtype)


def sync(path: Path) -> None:
    """Flush a file (or a directory's entries) to the disk."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def replace_with(path: Path, write: Callable[[Path], object]) -> None:
    """`write(partial)` beside `path`, flushed and renamed, the rename flushed too: whole or absent."""
    partial = path.with_name(path.name + ".partial")
    try:
        write(partial)
        sync(partial)
        os.replace(partial, path)
        sync(path.parent)
    except OSError as error:
        partial.unlink(missing_ok=True)
        raise OutputError(f"{path_text(str(path))}: can not write ({error.strerror or error})") from None


def write_text(path: Path, text: str) -> None:
    """Written beside, flushed and renamed, the rename flushed too: whole or absent."""
    replace_with(path, lambda partial: partial.write_text(text, encoding="utf-8"))


def read_parquet(path: Path, columns: list[str] | None = None):
    """A Parquet file as a DataFrame, read from an open file: pyarrow takes no path with bytes that are not UTF-8."""
    import pandas as pd

    with open(path, "rb") as file:
        return pd.read_parquet(file, columns=columns)


class TableFile:
    """One table's file, appended to frame by frame; `columns` (name -> dtype) fixes a Parquet schema."""

    def __init__(self, path: Path, fmt: str, columns: dict[str, str] | None = None, durable: bool = False):
        self.path = path
        self.partial = path.with_name(path.name + ".partial")
        self.fmt = fmt
        self.columns = columns
        self.durable = durable  # fsync before the rename: the file survives a power cut once renamed
        self.parquet: Any = None  # a pyarrow ParquetWriter (pyarrow has no types), from the first frame on
        self.file: BinaryIO | None = None  # the file it writes
        self.started = False
        self.rows = 0

    def append(self, frame) -> None:
        if self.started and len(frame) == 0:
            return
        try:
            self.write(frame)
        except OSError as error:
            raise OutputError(f"{self.partial}: can not write ({error.strerror or error})") from None
        self.started = True
        self.rows += len(frame)

    def write(self, frame) -> None:
        if self.fmt == "csv":
            frame.to_csv(self.partial, index=False, mode="a" if self.started else "w", header=not self.started)
        elif self.fmt == "jsonl":
            with open(self.partial, "a" if self.started else "w", encoding="utf-8") as file:
                if not frame.empty:
                    lines = frame.to_json(
                        orient="records", lines=True, force_ascii=False, date_format="iso", date_unit="s"
                    )
                    file.write(lines.rstrip("\n") + "\n")
        else:
            self.write_parquet(frame)

    def write_parquet(self, frame) -> None:
        """A DataFrame, or an Arrow table of the same columns (rows of another Parquet file, unconverted)."""
        import pyarrow as pa
        import pyarrow.parquet as pq

        if isinstance(frame, pa.Table):
            if self.parquet is not None:
                self.parquet.write_table(frame.cast(self.parquet.schema))
                return
            frame = frame.to_pandas().astype(self.columns or {})  # the first: its pandas metadata, as a frame's
        if self.parquet is None:
            schema = arrow_schema(self.columns) if self.columns else None
            table = pa.Table.from_pandas(frame, schema=schema, preserve_index=False)
            # pyarrow takes no path with bytes that are not UTF-8: a file it does
            self.file = open(self.partial, "wb")  # noqa: SIM115 - open across calls, closed in close()
            self.parquet = pq.ParquetWriter(self.file, table.schema)
        else:
            table = pa.Table.from_pandas(frame, schema=self.parquet.schema, preserve_index=False)
        self.parquet.write_table(table)

    def close(self) -> Path:
        try:
            if self.parquet is not None:
                self.parquet.close()
                self.parquet = None
                cast(BinaryIO, self.file).close()  # opened with the ParquetWriter
            if self.durable:
                sync(self.partial)
            os.replace(self.partial, self.path)
        except OSError as error:
            raise OutputError(f"{self.partial}: can not write ({error.strerror or error})") from None
        return self.path

    def discard(self) -> None:
        if self.parquet is not None:
            try:
                self.parquet.close()
                cast(BinaryIO, self.file).close()  # opened with the ParquetWriter
            except OSError:
                pass  # the disk that is full can not take the footer either: the file goes anyway
            self.parquet = None
        self.partial.unlink(missing_ok=True)


class TableWriter:
    """out/NAME.FMT for each table; `append` frames, `close` to finish them all."""

    def __init__(self, out: Path, fmt: str = "csv", schemas: dict[str, dict] | None = None, durable: bool = False):
        if fmt not in FILE_FORMATS:
            raise OutputError(f"unknown format {fmt!r} (expected one of {', '.join(FILE_FORMATS)})")
        prepare(out)
        self.out, self.fmt = out, fmt
        self.schemas = schemas or {}
        self.durable = durable
        self.files: dict[str, TableFile] = {}

    def path(self, name: str) -> Path:
        return self.out / f"{name}.{self.fmt}"

    def append(self, name: str, frame) -> None:
        if name not in self.files:
            self.files[name] = TableFile(self.path(name), self.fmt, self.schemas.get(name), self.durable)
        self.files[name].append(frame)

    def close(self) -> dict[str, Path]:
        return {name: file.close() for name, file in self.files.items()}

    @property
    def rows(self) -> dict[str, int]:
        return {name: file.rows for name, file in self.files.items()}

    def discard(self) -> None:
        for file in self.files.values():
            file.discard()
