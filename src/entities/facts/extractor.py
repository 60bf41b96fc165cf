"""The seam for extractors: what one declares, and what it reads.

An extractor is one module: its rules, its record (a frozen dataclass whose fields are its table's columns
after `doc_id`, `sent_id` first) and an `Extractor` that names the table and types its columns. Listed in
`facts.catalog.EXTRACTORS`, its table goes everywhere a table goes: the records (`Document.facts[name]`),
`to_frames`, both engines, every format, `read_tables`, `entities show` and the docs' table list.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, fields
from typing import Any, NamedTuple, cast

STR = "str"
INT = "int64"
FLOAT = "float64"  # a number; missing: null
DAY = "datetime64[ms]"  # a day: a DATE in SQL; missing: null


class Passage(NamedTuple):
    """What an extractor reads: a piece of a document, its sentences, and the document's date."""

    text: str  # the piece's text
    start: int  # its offset in the document
    sentences: Sequence  # records.Sentence, offsets into the document; sent_id = index here. Not imported: the
    # records draw themselves with show.markup, which reads the extractors' declarations
    day: dt.date | None = None  # the document's date (--date-field), for relative dates; None: not dated


@dataclass(frozen=True)
class Extractor:
    """A table of facts: its name, its record, its columns' types, and the function that finds them."""

    name: str  # the table's: 'dates'
    record: type  # a frozen dataclass: sent_id, start, stop, text, then its own fields
    columns: dict[str, str]  # the record's fields as the table's columns and their dtypes (STR, INT, FLOAT, DAY)
    find: Callable[[Passage], Sequence]  # a passage's records, sent_id counted in it, offsets in the document
    about: str  # one line for the table list: 'one row per date or period the text names'
    label: str  # its spans' mark in `entities show`: '[11 июня 2017 года]DATE'
    title: Callable[[Any], str] = str  # a record as a tooltip says it: '2017-06-11'
    colour: str = "#e5e7eb"  # the background of its spans in HTML (light)
    ink: str = "#374151"  # its label's colour in HTML and its spans' in the terminal (dark)

    def __post_init__(self):
        names = [field.name for field in fields(self.record)]
        if names != list(self.columns) or names[:4] != ["sent_id", "start", "stop", "text"]:
            raise TypeError(f"{self.name}: the record's fields {names} must be the columns {list(self.columns)}, "
                            "sent_id, start, stop, text first")  # fmt: skip

    @property
    def schema(self) -> dict[str, str]:
        """The table's columns: doc_id, then the record's."""
        return {"doc_id": STR, **self.columns}


class Lazy:
    """A regular expression compiled on its first use, so that importing an extractor compiles nothing: a
    process that only names the tables (the parent of worker processes) never pays for its patterns."""

    def __init__(self, pattern: str, flags: int = 0):
        self.arguments = (pattern, flags)

    def __getattr__(self, name: str):  # only for what is not set yet: the first use
        compiled = re.compile(*self.arguments)
        for method in ("search", "match", "fullmatch", "finditer", "findall", "sub", "subn", "split"):
            setattr(self, method, getattr(compiled, method))
        return getattr(compiled, name)


def lazy(pattern: str, flags: int = 0) -> re.Pattern:
    """re.compile(pattern, flags) on its first use: `MONTH = lazy(r"январ[ьяе]")` at a module's top."""
    return cast(re.Pattern, Lazy(pattern, flags))
