"""Documents' dates, and the timeline: how many documents and mentions each corpus entity has per period.

A date comes from a field of the input records (`date` by default): ISO 8601 ('2020-12-22',
'2020-12-22T10:00:00+03:00'), '22.12.2020', or the forms Russian and English news write, read by
dateparser ('22 декабря 2020 года', '5 мая 2021 г.', 'Dec 22, 2020'). A month names its first day
('декабрь 2020', '2020-12' -> 2020-12-01), and so does a bare year ('2020', or the number 2020 -> 2020-01-01).
A value that names no day of a known month and year ('вчера', 'весной'), or a year outside 1000-2200
('0001-01-01', '1-01-01', '9999-12-31': placeholders, not dates), is no date: the document has an empty
date, and is counted.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    import pandas as pd  # imported where used: the command line reads PERIODS with no pandas loaded

DATE_FIELD = "date"
DATE = "datetime64[ms]"  # a day: documents.date, timeline.period (Parquet has no seconds unit)
TIMELINE = {"corpus_id": "int64", "period": DATE, "n_documents": "int64", "n_mentions": "int64"}  # its columns
PERIODS = ("day", "week", "month")  # a week starts on Monday; a period is named by its first day
NUMERIC = re.compile(r"(\d{1,2})[./](\d{1,2})[./](\d{4})")  # 22.12.2020, 22/12/2020: day first, as Russian news
YEAR = re.compile(r"\d{4}")  # 2020: its first day, as a month is ('декабрь 2020' -> 2020-12-01)
YEARS = range(1000, 2201)  # the years a news date may have; 1 and 9999 are placeholders
UNPADDED = re.compile(r"(\d|\d{3})-\d{2}-\d{2}(?!\d)")  # 1-01-01: year 1 as strftime writes it, not 2001
DATEPARSER = {
    "languages": ["ru", "en"],
    "settings": {
        "DATE_ORDER": "DMY",
        "REQUIRE_PARTS": ["month", "year"],
        "PREFER_DAY_OF_MONTH": "first",
        "RETURN_AS_TIMEZONE_AWARE": False,
        "PARSERS": ["timestamp", "custom-formats", "absolute-time"],  # no 'вчера': nothing to count it from
    },
}


class Dating(NamedTuple):
    """Where documents' dates come from and the timeline's period."""

    field: str | None = DATE_FIELD  # the records' field; None: no dates
    period: str = "month"


DEFAULT_DATING = Dating()


def parse_date(value) -> dt.date | None:
    """The day a field's value names; None when it names none or a year outside YEARS."""
    day = named_day(value)
    return day if day is not None and day.year in YEARS else None


def named_day(value) -> dt.date | None:
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, float) and value.is_integer():  # 2020.0: a JSON number in a column with gaps
        value = int(value)
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    if not text:
        return None
    if UNPADDED.match(text):
        return None  # a year below 1000
    if YEAR.fullmatch(text):
        return dt.date(int(text), 1, 1) if int(text) in YEARS else None
    try:
        return dt.datetime.fromisoformat(text).date()
    except ValueError:
        pass
    match = NUMERIC.fullmatch(text)
    if match:
        day, month, year = map(int, match.groups())
        try:
            return dt.date(year, month, day)
        except ValueError:
            return None
    import dateparser

    found = dateparser.parse(text, **DATEPARSER)
    return found.date() if found else None


def parse_dates(values: Iterable) -> pd.Series:
    """Days of the values (NaT where none), each distinct value parsed once."""
    import pandas as pd

    from .io.reader import missing  # the command line reads PERIODS with no reader loaded

    known: dict = {}
    days = []
    for value in values:
        key = value if isinstance(value, (str, int, float, dt.date)) else repr(value)
        if key not in known:
            known[key] = parse_date(None if missing(value) else value)
        days.append(known[key])
    return pd.Series(pd.to_datetime(days), dtype=DATE)


def dated(documents: pd.DataFrame, field: str | None) -> tuple[pd.DataFrame, int]:
    """The documents with a `date` column read from `field` (in place of the field when it is `date`),
    and how many gave a value that names no date. No such column: the documents as they are, 0."""
    from .io.reader import missing

    if not field or field not in documents:
        return documents, 0
    values = documents[field]
    dates = parse_dates(values.tolist())
    unparsed = int((dates.isna() & ~values.map(lambda value: missing(value) or str(value).strip() == "")).sum())
    documents = documents.copy()
    if field == DATE_FIELD:
        documents[DATE_FIELD] = dates.to_numpy()
    else:
        documents.insert(list(documents.columns).index(field) + 1, DATE_FIELD, dates.to_numpy())
    return documents, unparsed


def period_start(dates: pd.Series, period: str) -> pd.Series:
    """The first day of each date's period: the day itself, the Monday of its week, the 1st of its month."""
    import pandas as pd

    if period == "day":
        return dates
    if period == "week":
        return (dates - pd.to_timedelta(dates.dt.day_of_week, unit="D")).astype(DATE)
    if period == "month":
        return dates.dt.to_period("M").dt.start_time.astype(DATE)
    raise ValueError(f"period must be one of {', '.join(PERIODS)}, got {period!r}")


def timeline_frame(documents: pd.DataFrame, entities: pd.DataFrame, period: str = "month") -> pd.DataFrame:
    """corpus_id, period, n_documents, n_mentions: each corpus entity's dated documents and mentions
    per period, by corpus_id then period. Documents with no date count in no period."""
    if period not in PERIODS:
        raise ValueError(f"period must be one of {', '.join(PERIODS)}, got {period!r}")
    if DATE_FIELD not in documents or not len(entities):
        return no_timeline()
    dates = documents.set_index("doc_id")[DATE_FIELD]
    rows = entities[["doc_id", "corpus_id", "n_mentions"]].assign(date=entities["doc_id"].map(dates))
    rows = rows[rows["date"].notna()]
    if not len(rows):
        return no_timeline()
    rows = rows.assign(period=period_start(rows["date"].astype(DATE), period))
    grouped = rows.groupby(["corpus_id", "period"], sort=True).agg(
        n_documents=("doc_id", "nunique"), n_mentions=("n_mentions", "sum")
    )
    return grouped.reset_index()[list(TIMELINE)].astype(TIMELINE)


def no_timeline() -> pd.DataFrame:
    import pandas as pd

    return pd.DataFrame({name: pd.Series(dtype=dtype) for name, dtype in TIMELINE.items()})
