"""entities: Russian news text -> tables of people, places and organizations.

>>> from entities import Pipeline, to_frames
>>> nlp = Pipeline()
>>> frames = to_frames(nlp.pipe(["Игорь Бабушкин прибыл в Астрахань."]))
"""

from typing import TYPE_CHECKING

from .errors import EntitiesError
from .pipeline import Pipeline
from .records import Document, Entity, Mention, Sentence, Text, Token
from .version import __version__ as __version__

if TYPE_CHECKING:  # what __getattr__ below imports on first use: for type checkers and the API docs
    from .evaluation.report import evaluate
    from .io.reader import read_texts
    from .run.snapshot import read_tables
    from .show.graph import graph
    from .tables import to_frames

__all__ = [
    "Document",
    "EntitiesError",
    "Entity",
    "Mention",
    "Pipeline",
    "Sentence",
    "Text",
    "Token",
    "evaluate",
    "graph",
    "read_tables",
    "read_texts",
    "to_frames",
]


def __getattr__(name):
    # pandas loads only when tables are asked for
    if name == "to_frames":
        from .tables import to_frames

        return to_frames
    if name == "evaluate":
        from .evaluation.report import evaluate

        return evaluate
    if name == "read_texts":
        from .io.reader import read_texts

        return read_texts
    if name == "read_tables":
        from .run.snapshot import read_tables

        return read_tables
    if name == "graph":
        from .show.graph import graph

        return graph
    raise AttributeError(f"module 'entities' has no attribute {name!r}")
