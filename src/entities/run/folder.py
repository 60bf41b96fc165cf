"""The output folder: one run at a time (`Lock`), and its tables replaced as a set (`publish`).

OUT/.entities-lock    the run that holds the folder: {"pid": 4242, "host": "box", "since": "…"}
OUT/manifest.json     the complete set of tables of the last run that finished, written last (`manifest`)

A run builds its final tables beside (under OUT/.entities-run) and only then swaps them in: the
old manifest goes first, the old run's tables (those it lists) move out, the new ones move in,
and the new manifest is written; SIGINT and SIGTERM wait while that happens. A folder whose
manifest is missing holds no finished run (a kill in the middle of the swap), or one whose run is
swapping its tables in right now (`running`): readers wait for the one, say so for the other
(`snapshot.read_tables`), and `--resume` finishes the swap from the staged chunks.
"""

from __future__ import annotations

import errno
import json
import logging
import os
import shutil
import socket
import time
import uuid
from pathlib import Path

from ..errors import InputError, OutputError
from ..io.database import DATABASE
from ..io.encoding import path_text
from ..io.writer import FILE_FORMATS, sync, write_text
from ..tables import COLUMNS
from ..version import __version__
from .manifest import MANIFEST, listed
from .signals import held

LOCK = ".entities-lock"
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


def running(out: Path) -> str | None:
    """'pid 4242 on box, since 2026-12-03 12:00:01': the run that holds OUT now; None when none does (no
    lock file, or one a killed run left: its pid is gone). Read, never locked: a reader does not stand in
    a run's way. A run of another machine (a shared folder) can not be told from a killed one: taken as running."""
    lock = Lock(out)
    try:
        found = json.loads(lock.path.read_text(encoding="utf-8"))
        pid, host = int(found["pid"]), found["host"]
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError):
        return lock.holder()  # its holder is writing it now
    if host == socket.gethostname() and pid > 0 and os.name == "posix":  # Windows' os.kill would end it
        try:
            os.kill(pid, 0)  # signal 0: is it there?
        except ProcessLookupError:
            return None
        except PermissionError:  # another user's
            pass
    return lock.holder()


def write_json(path: Path, value: dict) -> None:
    """Written beside, flushed and renamed: whole or absent."""
    write_text(path, json.dumps(value, ensure_ascii=False, indent=1) + "\n")


def stale_tables(out: Path, known: set[str]) -> list[str]:
    """Tables in OUT that no manifest lists and this run does not replace: an older version's, or
    another format's (documents.csv beside a run that writes Parquet)."""
    names = [f"{name}.{fmt}" for name in COLUMNS for fmt in FILE_FORMATS] + list(COLUMNS)  # files, datasets
    names.append(DATABASE)  # --format duckdb: one file
    return [name for name in names if name not in known and (out / name).exists()]


def publish(out: Path, merged, fmt: str, trash: Path) -> dict[str, Path]:
    """Move the tables of `merged` (a merge.Merged, built beside OUT on the same filesystem) into OUT
    in place of the last run's, and write the manifest naming them; signals wait meanwhile. Returns
    the tables' paths in OUT."""
    built = merged.paths
    old = listed(out)  # the last run's tables, those its manifest names as it should (never '../x.csv')
    placed = {name: out / path.name for name, path in built.items()}
    stale = stale_tables(out, old | {path.name for path in placed.values()})
    if stale:
        log.warning(f"{path_text(str(out))} also holds {', '.join(stale)}, not written by this run (no manifest "
                    "lists them): an older run's tables?")  # fmt: skip
    manifest = {
        "entities": __version__, "run": uuid.uuid4().hex, "format": fmt,
        "finished": time.strftime("%Y-%m-%dT%H:%M:%S%z"), "tables": {name: path.name for name, path in built.items()},
        "rows": merged.rows, "columns": merged.columns,
    }  # fmt: skip
    try:
        with held():
            (out / MANIFEST).unlink(missing_ok=True)
            sync(out)
            trash.mkdir(parents=True, exist_ok=True)
            leaving = {*old, *(path.name for path in placed.values())}
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
