"""One small error hierarchy; each error knows the CLI exit code it maps to."""

from __future__ import annotations

import errno

try:
    import resource  # imported now: with no file descriptor left, an import fails
except ImportError:  # Windows
    resource = None  # type: ignore[assignment]


class EntitiesError(Exception):
    """Base of every error `entities` raises on purpose."""

    exit_code = 1


class InputError(EntitiesError):
    """An input can not be read: missing file, unknown format, absent column, changed since an interrupted run."""

    exit_code = 2


class TableError(InputError):
    """An output folder's manifest or table is damaged (cut short, not valid JSON, an unknown format), or
    can not be trusted (a table path outside the folder, a symbolic link): `read_tables`, `entities graph`."""


class ModelError(EntitiesError):
    """The bundled model files are missing or do not load."""

    exit_code = 3


class OutputError(EntitiesError):
    """Tables can not be written where asked."""

    exit_code = 4


def file_limit(error: BaseException | None) -> OutputError | None:
    """Too many open files (EMFILE, ENFILE), in the error or what it was raised from, as one line; None: not that.

    'too many open files (ulimit -n is 12; raise it: ulimit -n 4096)'"""
    for _ in range(8):  # the chain of an error raised while handling another
        if isinstance(error, OSError) and error.errno == errno.EMFILE:
            return OutputError(f"too many open files (ulimit -n is {open_files_limit()}; raise it: ulimit -n 4096)")
        if isinstance(error, OSError) and error.errno == errno.ENFILE:
            return OutputError("too many open files in the system (ENFILE): close some programs, or raise fs.file-max")
        if error is None:
            return None
        error = error.__cause__ or error.__context__
    return None


def open_files_limit() -> int | str:
    return "?" if resource is None else resource.getrlimit(resource.RLIMIT_NOFILE)[0]


class DocumentError(EntitiesError):
    """A document can not be read or processed; `entities extract` lists it in the errors table."""

    exit_code = 5


class Interrupted(EntitiesError):
    """The run was stopped (Ctrl-C, SIGTERM) before it finished."""

    exit_code = 130

    def __init__(self, message: str, exit_code: int = 130):
        super().__init__(message)
        self.exit_code = exit_code
