"""One small error hierarchy; each error knows the CLI exit code it maps to."""


class EntitiesError(Exception):
    """Base of every error `entities` raises on purpose."""

    exit_code = 1


class InputError(EntitiesError):
    """An input can not be read: missing file, unknown format, absent column."""

    exit_code = 2


class ModelError(EntitiesError):
    """The bundled model files are missing or do not load."""

    exit_code = 3


class OutputError(EntitiesError):
    """Tables can not be written where asked."""

    exit_code = 4
