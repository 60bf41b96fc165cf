"""One run's tables, read whole from an output folder, while another run may be putting its own in.

A run swaps its tables into OUT under a manifest that goes first and comes back last, with a `run` id
of its own (`folder.publish`). So a reader takes the manifest, opens every table it lists (an open file
keeps its inode, whatever is moved or removed after), and takes the manifest again: the same `run`,
and the files it holds are that run's. It reads them, and checks each name still holds the file it
opened (a dataset directory is read by its name). Anything changed meanwhile (no manifest, another
`run`, a table moved): it reads again, after a short wait, for up to PATIENCE seconds.
"""

from __future__ import annotations

import logging
import os
import stat
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

from ..errors import EntitiesError, InputError, TableError
from ..io.database import DUCKDB, read_database_table
from ..io.encoding import path_text
from ..io.writer import read_parquet
from ..tables import COLUMNS
from .folder import RUN, running
from .manifest import AGAIN, MANIFEST, read_manifest

PATIENCE = 5.0  # seconds a reader waits for a run to put its tables in place (milliseconds, on a calm disk)
FIRST_WAIT, LONGEST_WAIT = 0.01, 0.25  # seconds, doubled each time
NOFOLLOW = getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)  # a named pipe must not block the open

log = logging.getLogger("entities")


class Changed(Exception):
    """The folder changed while read: read it again; `error`, what to raise when it never stops changing."""

    def __init__(self, error: EntitiesError):
        super().__init__(str(error))
        self.error = error


def read_tables(out: str | os.PathLike) -> dict:
    """The tables `entities extract` wrote to the folder `out`, as pandas DataFrames by name: those of
    the last run that finished, as its manifest (OUT/manifest.json) lists them, with their dtypes.

    Examples:
        >>> tables = entities.read_tables("output/")
        >>> tables["corpus_entities"].head()

    The tables are one run's, whole, even while a run puts its own in place (a read then waits the
    milliseconds that takes, or reads again). A folder with no manifest holds no finished run (none yet,
    or one stopped while it swapped its tables in): InputError. A damaged manifest or table (not valid
    JSON, cut short), or one that can not be trusted (a table path outside the folder, a symbolic link):
    TableError, naming the file. A later run that did not finish (its chunks wait in OUT/.entities-run
    for --resume) is logged as a warning, one still running at the info level.
    """
    out = Path(out)
    deadline, wait = time.monotonic() + PATIENCE, FIRST_WAIT
    while True:
        try:
            tables, manifest = read_once(out)
        except Changed as change:
            if time.monotonic() > deadline:
                raise change.error from None
            time.sleep(wait)
            wait = min(2 * wait, LONGEST_WAIT)
        else:
            note_runs(out, manifest)
            return tables


def read_once(out: Path) -> tuple[dict, dict]:
    """The tables and the manifest that lists them; Changed when a run replaced them meanwhile."""
    manifest = current(out)
    fmt, files, columns = manifest["format"], manifest["tables"], manifest.get("columns") or {}
    with ExitStack() as stack:
        held = {file: stack.enter_context(holding(out, file, manifest)) for file in set(files.values())}
        unchanged(out, manifest, {})
        try:
            tables = {name: read_table(out / file, fmt, columns.get(name) or {}, name) for name, file in files.items()}
        except TableError:
            unchanged(out, manifest, held)  # a table a run moved out as it was read: not damaged, replaced
            raise
        unchanged(out, manifest, held)
    for name, table in tables.items():
        counted(out / files[name], table, (manifest.get("rows") or {}).get(name))
    return tables, manifest


def current(out: Path) -> dict:
    """The manifest of OUT; Changed when there is none while a run holds OUT (it is swapping its tables in)."""
    manifest = read_manifest(out)
    if manifest is not None:
        return manifest
    where = path_text(str(out))
    holder = running(out)
    if holder is None:
        unfinished = (out / RUN).is_dir()
        what = "a run that stopped before it finished" if unfinished else "no finished entities run"
        raise InputError(f"{where}: holds {what} (no {MANIFEST})")
    raise Changed(InputError(f"{where}: holds no finished entities run (no {MANIFEST}); a run is in progress "
                             f"({holder}): read it when the run ends"))  # fmt: skip


def unchanged(out: Path, manifest: dict, held: dict[str, os.stat_result]) -> None:
    """Changed, unless OUT's manifest is still `manifest` (the same run) and each file of `held` is still there."""
    again = TableError(f"{path_text(str(out))}: its tables were replaced while read, for {PATIENCE:g} s on end "
                       "(runs finishing one after the other?); read them again later")  # fmt: skip
    if read_manifest(out) != manifest:
        raise Changed(again)
    for file, found in held.items():
        try:
            if not os.path.samestat(os.lstat(out / file), found):
                raise Changed(again)
        except FileNotFoundError:
            raise Changed(again) from None


@contextmanager
def holding(out: Path, file: str, manifest: dict) -> Iterator[os.stat_result]:
    """The table `file` of OUT open while it is read (its inode stays its own): its stat. Refused: a
    symbolic link, anything but a file, or a directory of files for a Parquet dataset."""
    path = out / file
    where = path_text(str(path))
    try:
        fd = os.open(path, os.O_RDONLY | NOFOLLOW)
    except FileNotFoundError:
        unchanged(out, manifest, {})  # moved out by a run: read again
        raise TableError(f"{where}: not there, though {MANIFEST} lists it; {AGAIN}") from None
    except OSError as error:
        if path.is_symlink():
            raise TableError(f"{where}: a symbolic link, refused: a table must be a file in the folder") from None
        raise TableError(f"{where}: can not open ({error.strerror})") from None
    try:
        found = os.fstat(fd)
        if stat.S_ISDIR(found.st_mode) and manifest["format"] == "parquet":
            dataset_parts(path)
        elif not stat.S_ISREG(found.st_mode):
            raise TableError(f"{where}: not a file, refused")
        yield found
    finally:
        os.close(fd)


def dataset_parts(path: Path) -> None:
    """A Parquet dataset's directory (OUT/TABLE/part-00000.parquet, …) must hold files only: no link out."""
    with os.scandir(path) as entries:
        for entry in entries:
            if not entry.is_file(follow_symlinks=False):
                where = path_text(str(path / entry.name))
                raise TableError(f"{where}: not a file (a symbolic link?), refused: a table's parts must be files "
                                 "in the folder")  # fmt: skip


def counted(path: Path, table, rows: object) -> None:
    """A table of the rows the manifest counts: a CSV cut at a line end reads, short."""
    if isinstance(rows, int) and len(table) != rows:
        raise TableError(f"{path_text(str(path))}: {len(table)} rows, {MANIFEST} counts {rows}: the table is "
                         f"damaged (cut short?); {AGAIN}")  # fmt: skip


def note_runs(out: Path, manifest: dict) -> None:
    """A later run's chunks in OUT/.entities-run: the run is going on (info), or stopped (a warning)."""
    if not (out / RUN).is_dir():
        return
    where, finished = path_text(str(out)), manifest.get("finished")
    holder = running(out)
    if holder is not None:
        log.info(f"{where}: a run is in progress ({holder}); these tables are of the run that finished at {finished}")
    else:
        log.warning(f"{where}: a later run did not finish (see {RUN}); these tables are of the run that finished at "
                    f"{finished}")  # fmt: skip


def read_table(path: Path, fmt: str, columns: dict[str, str], name: str = ""):
    """One table, its columns of the dtypes the manifest names; one it can not read: TableError, naming it."""
    import pyarrow as pa

    try:
        frame = read_frame(path, fmt, columns, name)
        return frame.astype({column: dtype for column, dtype in columns.items() if column in frame})
    except (ValueError, TypeError, OSError, pa.ArrowException) as error:  # pandas' and pyarrow's own
        reason = (str(error).splitlines() or [type(error).__name__])[0][:200]
        raise TableError(f"{path_text(str(path))}: can not read the {name} table ({reason}); the folder is damaged: "
                         f"{AGAIN}") from None  # fmt: skip


def read_frame(path: Path, fmt: str, columns: dict[str, str], name: str):
    """In CSV an empty field of a fixed text column is an empty string (the tables write no null there), of
    any other column, a metadata field's included, a null: a missing metadata value reads back missing
    from every format. `name`: the table's name (a DuckDB database holds them all)."""
    import pandas as pd

    if fmt == "csv":
        fixed = COLUMNS.get(name, {})
        others = [column for column, dtype in columns.items() if dtype != "str" or column not in fixed]
        dates = [column for column, dtype in columns.items() if dtype.startswith("datetime")]
        typed = {column: dtype for column, dtype in columns.items() if column not in dates}
        return pd.read_csv(path, keep_default_na=False, na_values={column: [""] for column in others}, dtype=typed,
                           parse_dates=dates)  # fmt: skip
    if fmt == "jsonl":
        return (
            pd.read_json(path, lines=True, dtype=False) if path.stat().st_size else pd.DataFrame(columns=list(columns))
        )
    if fmt == DUCKDB:
        return read_database_table(path, name)
    return pd.read_parquet(path) if path.is_dir() else read_parquet(path)
