"""The records of a CSV text, read from its lines as they come: a record whose quote never closes
costs its own row only.
"""

from __future__ import annotations

import csv
import io
import sys
from collections.abc import Iterable, Iterator

DELIMITERS = (",", ";", "\t", "|")  # tried in this order for a .csv file's header


class Lines:
    """The physical lines of a text as a csv reader takes them, how many it took, and the lines of the
    record being read, to read them again (`taken` set back)."""

    def __init__(self, lines: Iterable[str]):
        self.lines, self.first, self.taken = iter(lines), 0, 0
        self.kept: list[str] = []

    def __iter__(self) -> Lines:
        return self

    def __next__(self) -> str:
        if self.taken - self.first == len(self.kept):
            self.kept.append(next(self.lines))
        self.taken += 1
        return self.kept[self.taken - 1 - self.first]

    def forget(self) -> None:
        """The lines before the one to take next are not read again."""
        del self.kept[: self.taken - self.first]
        self.first = self.taken


def table_records(lines: Iterable[str], delimiter: str) -> Iterator[tuple[int, list[str] | None]]:
    """(first line, fields) of each record of a CSV text's lines (as `open(newline='')` gives them); fields
    None for a record whose quote runs on past its line and never closes where a field may end (the csv
    module's strict check): it would swallow the rows after it. Reading goes on at the line after that
    record's first, so those rows are rows of their own. A quote gone astray within one line is read as
    the csv module reads it."""
    csv.field_size_limit(sys.maxsize)  # a 5 MB document is one field
    taken = Lines(lines)
    strict = csv.reader(taken, delimiter=delimiter, strict=True)
    while True:
        taken.forget()
        start = taken.taken
        try:
            fields = next(strict)
        except StopIteration:
            return
        except csv.Error as error:
            taken.taken = start
            fields = next(csv.reader(taken, delimiter=delimiter))
            if taken.taken - start > 1 or str(error).startswith("unexpected end of data"):
                taken.taken = start + 1
                fields = None
        if fields != []:  # a blank line
            yield start + 1, fields


def table_fields(text: str, delimiter: str) -> list[str]:
    """The header of a CSV text: its first record's fields."""
    header = next(table_records(io.StringIO(text, newline=""), delimiter), (0, None))[1]
    return header or []


def sniffed(text: str, usual: str) -> str:
    """The delimiter csv.Sniffer sees in the first lines, else the usual one."""
    try:
        return csv.Sniffer().sniff("".join(text.splitlines(keepends=True)[:20]), "".join(DELIMITERS)).delimiter
    except csv.Error:
        return usual
