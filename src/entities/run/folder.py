"""The output folder: one run at a time (`Lock`), and its tables replaced as a set (`publish`).

OUT/.entities-lock    the run that holds the folder: {"pid": 4242, "host": "box", "since": "…"}
OUT/manifest.json     the complete set of tables of the last run that finished, written last:
                      {"entities": "0.1.0", "format": "csv", "finished": "…",
                       "tables": {"documents": "documents.csv", …}, "rows": {"documents": 14, …},
                       "columns": {"documents": {"doc_id": "str", …, "date": "str"}, …}}

A run builds its final tables beside (under OUT/.entities-run) and only then swaps them in: the
old manifest goes first, the old run's tables (those it lists) move out, the new ones move in,
and the new manifest is written; SIGINT and SIGTERM wait while that happens. A folder whose
manifest is missing holds no finished run (a kill in the middle of the swap): readers say so
(`read_tables`), and `--resume` finishes the swap from the staged chunks.
"""

from __future__ import annotations

import errno
import json
import logging
import os
import shutil
import socket
import time
from pathlib import Path

from ..errors import InputError, OutputError
from ..io.database import DATABASE, DUCKDB, read_database_table
from ..io.encoding import path_text
from ..io.writer import FILE_FORMATS, read_parquet, sync, write_text
from ..tables import COLUMNS
from ..version import __version__
from .signals import held

LOCK = ".entities-lock"
MANIFEST = "manifest.json"
RUN = ".entities-run"  # where a run stages its work: see staging

log = logging.getLogger("entities")


class Busy(InputError):
    """Another run holds the output folder."""


class Lock:
    """An exclusive hold on an output folder for one run: `flock` on OUT/.entities-lock, which the kernel
    releases when the process is gone (killed too), and the holder's pid and host written in the file
    for the message another run gets."""

    def __init__(self, out: Path):
        self.path = out / LOCK
        self.fd: int | None = None

    def __enter__(self) -> Lock:
        self.acquire()
        return self

    def __exit__(self, *exc) -> None:
        self.release()

    def acquire(self) -> None:
        import fcntl

        while self.fd is None:
            fd = self.open()
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError as error:
                os.close(fd)
                if error.errno not in (errno.EAGAIN, errno.EACCES):
                    raise OutputError(f"{path_text(str(self.path))}: can not lock ({error.strerror})") from None
                raise Busy(f"{path_text(str(self.path.parent))} is in use by another entities run ({self.holder()}); "
                           "wait for it to end, or stop it") from None  # fmt: skip
            if self.same_file(fd):
                self.fd = fd
                self.write_holder(fd)
            else:  # the holder removed the file as we opened it: lock the new one
                os.close(fd)

    def open(self) -> int:
        try:
            return os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as error:
            raise OutputError(f"{path_text(str(self.path))}: can not create the lock file ({error.strerror})") from None

    def same_file(self, fd: int) -> bool:
        try:
            return os.path.samestat(os.fstat(fd), os.stat(self.path))
        except FileNotFoundError:
            return False

    def write_holder(self, fd: int) -> None:
        since = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime())
        holder = json.dumps({"pid": os.getpid(), "host": socket.gethostname(), "since": since})
        os.ftruncate(fd, 0)
        os.pwrite(fd, holder.encode(), 0)

    def holder(self) -> str:
        """'pid 4242 on box, since 2026-12-03 12:00:01', as the holder wrote it."""
        try:
            found = json.loads(self.path.read_text(encoding="utf-8"))
            return f"pid {found['pid']} on {found['host']}, since {found['since']}"
        except (OSError, ValueError, KeyError, TypeError):
            return "its pid is not written yet"

    def release(self) -> None:
        if self.fd is None:
            return
        self.path.unlink(missing_ok=True)  # before the unlock: a run waiting on this file tries again
        os.close(self.fd)
        self.fd = None


def read_manifest(out: Path) -> dict | None:
    try:
        manifest = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return manifest if isinstance(manifest, dict) and isinstance(manifest.get("tables"), dict) else None


def write_json(path: Path, value: dict) -> None:
    """Written beside, flushed and renamed: whole or absent."""
    write_text(path, json.dumps(value, ensure_ascii=False, indent=1) + "\n")


def stale_tables(out: Path, kept: set[str], old: dict | None) -> list[str]:
    """Tables in OUT that no manifest lists and this run does not replace: an older version's, or
    another format's (documents.csv beside a run that writes Parquet)."""
    listed = set((old or {}).get("tables", {}).values()) | kept
    names = [f"{name}.{fmt}" for name in COLUMNS for fmt in FILE_FORMATS] + list(COLUMNS)  # files, datasets
    names.append(DATABASE)  # --format duckdb: one file
    return [name for name in names if name not in listed and (out / name).exists()]


def publish(out: Path, merged, fmt: str, trash: Path) -> dict[str, Path]:
    """Move the tables of `merged` (a merge.Merged, built beside OUT on the same filesystem) into OUT
    in place of the last run's, and write the manifest naming them; signals wait meanwhile. Returns
    the tables' paths in OUT."""
    built = merged.paths
    old = read_manifest(out)
    placed = {name: out / path.name for name, path in built.items()}
    stale = stale_tables(out, {path.name for path in placed.values()}, old)
    if stale:
        log.warning(f"{path_text(str(out))} also holds {', '.join(stale)}, not written by this run (no manifest "
                    "lists them): an older run's tables?")  # fmt: skip
    manifest = {
        "entities": __version__, "format": fmt, "finished": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "tables": {name: path.name for name, path in built.items()}, "rows": merged.rows, "columns": merged.columns,
    }  # fmt: skip
    try:
        with held():
            (out / MANIFEST).unlink(missing_ok=True)
            sync(out)
            trash.mkdir(parents=True, exist_ok=True)
            leaving = {*(old or {}).get("tables", {}).values(), *(path.name for path in placed.values())}
            for name in leaving:
                if (out / name).exists() or (out / name).is_symlink():
                    os.replace(out / name, trash / name)
            for path in dict.fromkeys(built.values()):  # --format duckdb: one file, every table's
                os.replace(path, out / path.name)
            write_json(out / MANIFEST, manifest)
    except OSError as error:
        raise OutputError(
            f"{path_text(str(out))}: can not put the tables in place ({error.strerror or error})"
        ) from None
    shutil.rmtree(trash, ignore_errors=True)
    return placed


def read_tables(out: str | os.PathLike) -> dict:
    """The tables `entities extract` wrote to the folder `out`, as pandas DataFrames by name: those of
    the last run that finished, as its manifest (OUT/manifest.json) lists them, with their dtypes.

    Examples:
        >>> tables = entities.read_tables("output/")
        >>> tables["corpus_entities"].head()

    A folder with no manifest holds no finished run (none yet, or one stopped while it swapped its
    tables in): InputError. A later run that did not finish (its chunks wait in OUT/.entities-run
    for --resume) is logged as a warning; the tables returned are still one run's, whole.
    """
    out = Path(out)
    manifest = read_manifest(out)
    unfinished = (out / RUN).is_dir()
    if manifest is None:
        what = "a run that stopped before it finished" if unfinished else "no finished entities run"
        raise InputError(f"{path_text(str(out))}: holds {what} (no {MANIFEST})")
    if unfinished:
        log.warning(f"{path_text(str(out))}: a later run did not finish (see {RUN}); these tables are of the run "
                    f"that finished at {manifest.get('finished')}")  # fmt: skip
    columns = manifest.get("columns", {})
    return {
        name: read_table(out / file, manifest["format"], columns.get(name, {}), name)
        for name, file in manifest["tables"].items()
    }


def read_table(path: Path, fmt: str, columns: dict[str, str], name: str = ""):
    """One table, its columns of the dtypes the manifest names. In CSV an empty field of a fixed text
    column is an empty string (the tables write no null there), of any other column, a metadata field's
    included, a null: a missing metadata value reads back missing from every format. `name`: the table's
    name (a DuckDB database holds them all)."""
    import pandas as pd

    if fmt == "csv":
        fixed = COLUMNS.get(name, {})
        others = [column for column, dtype in columns.items() if dtype != "str" or column not in fixed]
        dates = [column for column, dtype in columns.items() if dtype.startswith("datetime")]
        typed = {column: dtype for column, dtype in columns.items() if column not in dates}
        frame = pd.read_csv(path, keep_default_na=False, na_values={column: [""] for column in others}, dtype=typed,
                            parse_dates=dates)  # fmt: skip
    elif fmt == "jsonl":
        frame = (
            pd.read_json(path, lines=True, dtype=False) if path.stat().st_size else pd.DataFrame(columns=list(columns))
        )
    elif fmt == DUCKDB:
        frame = read_database_table(path, name)
    else:
        frame = pd.read_parquet(path) if path.is_dir() else read_parquet(path)
    return frame.astype({column: dtype for column, dtype in columns.items() if column in frame})
