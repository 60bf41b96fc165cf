"""OUT/manifest.json: the tables of the last run that finished, and what of it a reader trusts.

    {"entities": "0.1.0", "run": "5f0c9a…", "format": "csv", "finished": "…",
     "tables": {"documents": "documents.csv", …}, "rows": {"documents": 14, …},
     "columns": {"documents": {"doc_id": "str", …, "date": "str"}, …}}

`run` is new for each run that publishes (`folder.publish`): one `run`, one set of tables. An output
folder is something people send each other, so its manifest is read as untrusted input (`checked`):
one of the known formats, known tables, and for each the name `entities extract` gives it in OUT
(documents.csv; documents, a Dask run's Parquet dataset; entities.duckdb), never a path ('../x.csv',
'/etc/passwd').
"""

from __future__ import annotations

import json
from pathlib import Path

from ..errors import TableError
from ..io.database import DATABASE, DUCKDB
from ..io.encoding import path_text
from ..io.writer import FORMATS
from ..tables import COLUMNS

MANIFEST = "manifest.json"
AGAIN = "run entities extract again to rewrite the folder"


def read_manifest(out: Path) -> dict | None:
    """OUT's manifest, `checked`; None when there is none. Not valid JSON, or not to be trusted: TableError."""
    path = out / MANIFEST
    where = path_text(str(path))
    try:
        text = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as error:
        raise TableError(f"{where}: can not read the manifest ({error.strerror})") from None
    try:
        manifest = json.loads(text)
    except ValueError as error:  # UnicodeDecodeError too
        raise TableError(f"{where}: the manifest is damaged, not valid JSON ({error}); {AGAIN}") from None
    return checked(manifest, where)


def checked(manifest: object, where: str) -> dict:
    """The manifest, if its format and every table's name and file are ones `entities extract` writes."""
    if not isinstance(manifest, dict) or not isinstance(manifest.get("tables"), dict):
        raise TableError(f'{where}: not an entities manifest (expected an object with "tables"); {AGAIN}')
    if not isinstance(manifest.get("rows", {}), dict):
        raise TableError(f'{where}: damaged "rows" (expected each table\'s row count); {AGAIN}')
    if not typed(manifest.get("columns", {})):
        raise TableError(f'{where}: damaged "columns" (expected each table\'s columns and dtypes, as text); {AGAIN}')
    fmt = manifest.get("format")
    if fmt not in FORMATS:
        raise TableError(f"{where}: unknown format {fmt!r} (expected one of {', '.join(FORMATS)}); {AGAIN}")
    for name, file in manifest["tables"].items():
        if name not in COLUMNS:
            raise TableError(f"{where}: unknown table {name!r} (expected one of {', '.join(COLUMNS)}); {AGAIN}")
        if file not in file_names(name, fmt):
            expected = " or ".join(file_names(name, fmt))
            raise TableError(f"{where}: table {name} is {path_text(str(file))!r}, expected {expected}, a file in "
                             "the folder: refused")  # fmt: skip
    return manifest


def typed(columns: object) -> bool:
    """{'documents': {'doc_id': 'str', 'n_chars': 'int64'}, …}: names and dtypes as text."""
    return isinstance(columns, dict) and all(
        isinstance(table, dict) and all(isinstance(text, str) for text in (*table, *table.values()))
        for table in columns.values()
    )


def file_names(name: str, fmt: str) -> tuple[str, ...]:
    """What `entities extract` calls a table's file in OUT: 'documents.csv'; 'documents.parquet' or the
    dataset 'documents' (--engine dask); 'entities.duckdb', every table's."""
    if fmt == DUCKDB:
        return (DATABASE,)
    return (f"{name}.{fmt}", name) if fmt == "parquet" else (f"{name}.{fmt}",)


def listed(out: Path) -> set[str]:
    """The files the manifest of OUT lists; none when it is missing, damaged or not to be trusted (the files
    are then left where they are)."""
    try:
        manifest = read_manifest(out)
    except TableError:
        return set()
    return set(manifest["tables"].values()) if manifest else set()
