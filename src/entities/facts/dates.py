"""Dates the text names (a first cut: '11 июня 2017 года'): the `dates` table."""

from __future__ import annotations

import datetime as dt
import re
from bisect import bisect_right
from dataclasses import dataclass

from .extractor import DAY, INT, STR, Extractor, Passage

MONTHS = ("январ", "феврал", "март", "апрел", "ма", "июн", "июл", "август", "сентябр", "октябр", "ноябр", "декабр")
DAY_MONTH_YEAR = re.compile(r"\b(\d{1,2}) (" + "|".join(MONTHS) + r")[а-я]* (\d{4})\b")


@dataclass(frozen=True, slots=True)
class Date:
    """A date the text names: `value` in ISO 8601, `day` its first day."""

    sent_id: int
    start: int
    stop: int
    text: str
    value: str
    day: dt.date | None
    precision: str


def find_dates(passage: Passage) -> list[Date]:
    starts = [sentence.start - passage.start for sentence in passage.sentences]
    found = []
    for match in DAY_MONTH_YEAR.finditer(passage.text):
        day = dt.date(int(match[3]), MONTHS.index(match[2]) + 1, int(match[1]))
        sent_id = max(bisect_right(starts, match.start()) - 1, 0)
        start, stop = passage.start + match.start(), passage.start + match.end()
        found.append(Date(sent_id, start, stop, match[0], day.isoformat(), day, "day"))
    return found


DATES = Extractor(
    "dates",
    Date,
    {"sent_id": INT, "start": INT, "stop": INT, "text": STR, "value": STR, "day": DAY, "precision": STR},
    find_dates,
    about="one row per date or period the text names",
    label="DATE",
    title=lambda date: date.value or "relative date, no document date",
    colour="#fce7f3",
    ink="#9d174d",
)
