"""Tables as one DuckDB database, OUT/entities.duckdb (`entities extract --format duckdb`).

The merge writes every table as Parquet, then `write_database` loads each into a table of its name,
with its columns' types: str -> VARCHAR, int64 and Int64 -> BIGINT (Int64 nullable), Float64 -> DOUBLE,
boolean -> BOOLEAN, a day (datetime64[ms]) -> DATE; a column of another dtype keeps the type DuckDB gives
its Arrow type. duckdb is an optional dependency (pip install duckdb), imported only here,
only when used.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from ..errors import InputError, OutputError, TableError
from .encoding import path_text

DUCKDB = "duckdb"  # the --format
DATABASE = "entities.duckdb"  # its one file
INSTALL = "pip install duckdb (in a checkout: pip install '.[duckdb]')"
SQL_TYPES = {
    "str": "VARCHAR", "int64": "BIGINT", "Int64": "BIGINT", "float64": "DOUBLE", "Float64": "DOUBLE",
    "bool": "BOOLEAN", "boolean": "BOOLEAN", "datetime64[ms]": "DATE",  # documents.date, timeline.period: days
}  # fmt: skip
READ_ROWS = 65_536  # rows of a Parquet table loaded at a time


def duckdb_module() -> Any:
    """The duckdb module, or an InputError that says how to install it."""
    try:
        import duckdb
    except ImportError as error:
        raise InputError(f"--format duckdb needs DuckDB ({error.msg}): {INSTALL}") from None
    return duckdb


@contextmanager
def connect(path: Path, read_only: bool = False) -> Iterator[Any]:
    """A DuckDB connection to the database file `path`, closed after. DuckDB takes no path with bytes
    that are not UTF-8 (bad\\xff/entities.duckdb): such a path is opened through its folder's descriptor."""
    duckdb = duckdb_module()
    folder = None
    name = str(path)
    if not utf8(name):
        folder = os.open(path.parent, os.O_RDONLY)
        name = f"/proc/self/fd/{folder}/{path.name}"
    try:
        connection = duckdb.connect(name, read_only=read_only)
        try:
            yield connection
        finally:
            connection.close()
    finally:
        if folder is not None:
            os.close(folder)


def utf8(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def quoted(name: str) -> str:
    """'first' -> '"first"', a " inside doubled: an SQL identifier."""
    return '"' + name.replace('"', '""') + '"'


def select(columns: dict[str, str] | None) -> str:
    """'CAST("doc_id" AS VARCHAR) AS "doc_id", ...': the columns with their SQL types; '*' when not known."""
    if not columns:
        return "*"
    return ", ".join(
        f"CAST({quoted(column)} AS {SQL_TYPES[dtype]}) AS {quoted(column)}" if dtype in SQL_TYPES else quoted(column)
        for column, dtype in columns.items()
    )


def load(connection: Any, name: str, path: Path, columns: dict[str, str] | None) -> None:
    """The Parquet table `path` as the table `name`, READ_ROWS rows at a time (memory stays flat);
    read from an open file: pyarrow takes no path with bytes that are not UTF-8."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    with open(path, "rb") as file:
        parquet = pq.ParquetFile(file)
        rows = pa.RecordBatchReader.from_batches(parquet.schema_arrow, parquet.iter_batches(batch_size=READ_ROWS))
        connection.register("parquet_rows", rows)
        connection.execute(f"CREATE TABLE {quoted(name)} AS SELECT {select(columns)} FROM parquet_rows")
        connection.unregister("parquet_rows")


def write_database(paths: dict[str, Path], columns: dict[str, dict[str, str]], path: Path) -> dict[str, Path]:
    """Load the Parquet tables `paths` (name -> file) into the database `path`, written as PATH.partial
    and renamed when whole; the Parquet files go. Returns `path` for every table."""
    duckdb = duckdb_module()
    partial = path.with_name(path.name + ".partial")
    partial.unlink(missing_ok=True)
    try:
        with connect(partial) as connection:
            for name, table in paths.items():
                load(connection, name, table, columns.get(name))
        os.replace(partial, path)
        for table in paths.values():
            table.unlink()
    except (duckdb.Error, OSError) as error:
        reason = getattr(error, "strerror", None) or str(error).splitlines()[0]
        raise OutputError(f"{path_text(str(partial))}: can not write ({reason})") from None
    return dict.fromkeys(paths, path)


def read_database_table(path: Path, name: str):
    """The table `name` of the database `path` as a DataFrame: nullable integers, numbers and booleans
    as pandas' nullable dtypes (never 3.0 for 3)."""
    import pandas as pd
    import pyarrow as pa

    nullable = {pa.int64(): pd.Int64Dtype(), pa.float64(): pd.Float64Dtype(), pa.bool_(): pd.BooleanDtype()}
    duckdb = duckdb_module()
    try:
        with connect(path, read_only=True) as connection:
            relation = connection.sql(f"SELECT * FROM {quoted(name)}")
            # to_arrow_table: duckdb 1.4 on; fetch_arrow_table before it (deprecated since)
            table = getattr(relation, "to_arrow_table", None) or relation.fetch_arrow_table
            return table().to_pandas(types_mapper=nullable.get)
    except duckdb.Error as error:
        raise TableError(f"{path_text(str(path))}: can not read table {name} ({str(error).splitlines()[0]})") from None
