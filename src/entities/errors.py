"""One small error hierarchy; each error knows the CLI exit code it maps to."""


class EntitiesError(Exception):
    """Base of every error `entities` raises on purpose."""

    exit_code = 1


class InputError(EntitiesError):
    """An input can not be read: missing file, unknown format, absent column, changed since an interrupted run."""

    exit_code = 2


class ModelError(EntitiesError):
    """The bundled model files are missing or do not load."""

    exit_code = 3


class OutputError(EntitiesError):
    """Tables can not be written where asked."""

    exit_code = 4


class DocumentError(EntitiesError):
    """A document can not be read or processed; `entities extract` lists it in the errors table."""

    exit_code = 5


class Interrupted(EntitiesError):
    """The run was stopped (Ctrl-C, SIGTERM) before it finished."""

    exit_code = 130

    def __init__(self, message: str, exit_code: int = 130):
        super().__init__(message)
        self.exit_code = exit_code
