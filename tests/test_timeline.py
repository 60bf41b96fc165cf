"""Documents' dates and the timeline table, through the installed command and the library."""

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from entities import Text, read_tables, to_frames
from entities.timeline import parse_date

ROOT = Path(__file__).resolve().parent.parent
CORPORA = ROOT / "corpora"
ENTITIES = Path(sys.executable).parent / "entities"
BUNDLED = [CORPORA, CORPORA / "wire.jsonl", CORPORA / "digest.csv"]


def run(*args):
    return subprocess.run([str(ENTITIES), *map(str, args)], capture_output=True, text=True)


@pytest.mark.parametrize(
    ("value", "day"),
    [
        ("2020-12-22", dt.date(2020, 12, 22)),
        ("2020-12-22T10:00:00+03:00", dt.date(2020, 12, 22)),
        ("22.12.2020", dt.date(2020, 12, 22)),
        ("5.6.2024", dt.date(2024, 6, 5)),
        ("22 декабря 2020", dt.date(2020, 12, 22)),
        ("22 декабря 2020 года", dt.date(2020, 12, 22)),
        ("5 мая 2021 г.", dt.date(2021, 5, 5)),
        ("1 марта 2024 года", dt.date(2024, 3, 1)),
        ("Dec 22, 2020", dt.date(2020, 12, 22)),
        (dt.datetime(2020, 12, 22, 23, 59), dt.date(2020, 12, 22)),
        ("декабрь 2020", dt.date(2020, 12, 1)),  # a month: its first day
        ("2020-12", dt.date(2020, 12, 1)),
        ("2020", dt.date(2020, 1, 1)),  # a year: its first day too
        (2020, dt.date(2020, 1, 1)),  # a JSON number
        (2020.0, dt.date(2020, 1, 1)),  # the same in a float column with gaps
        ("1000-01-01", dt.date(1000, 1, 1)),
        ("2200-12-31", dt.date(2200, 12, 31)),
        ("0001-01-01", None),  # placeholders, not dates: a year outside 1000-2200
        ("1-01-01", None),  # year 1 as strftime writes it, not 2001
        ("9999-12-31", None),
        ("0999-12-31", None),
        ("2201-01-01", None),
        ("0000", None),
        (dt.date(1, 1, 1), None),
        ("вчера", None),  # a relative day: nothing to count it from
        ("весной", None),
        ("31.02.2020", None),  # no such day
        ("", None),
        (None, None),
    ],
)
def test_parse_date(value, day):
    assert parse_date(value) == day


@pytest.fixture(scope="module")
def bundled(tmp_path_factory):
    out = tmp_path_factory.mktemp("bundled")
    result = run("extract", *BUNDLED, "--out", out, "--format", "parquet")
    assert result.returncode == 0, result.stderr
    return out, result.stdout, read_tables(out)


def expected_timeline(tables, period_of) -> pd.DataFrame:
    """The timeline computed here from the entities and the documents' dates, one row at a time."""
    dates = dict(zip(tables["documents"]["doc_id"], tables["documents"]["date"], strict=True))
    counts: dict = {}
    for row in tables["entities"].itertuples():
        if pd.isna(dates[row.doc_id]):
            continue
        key = (row.corpus_id, period_of(dates[row.doc_id]))
        documents, mentions = counts.get(key, (set(), 0))
        counts[key] = (documents | {row.doc_id}, mentions + row.n_mentions)
    rows = [
        (corpus_id, period, len(docs), mentions) for (corpus_id, period), (docs, mentions) in sorted(counts.items())
    ]
    return pd.DataFrame(rows, columns=["corpus_id", "period", "n_documents", "n_mentions"])


def test_bundled_corpora_are_dated_over_six_months(bundled):
    _, summary, tables = bundled
    documents = tables["documents"]
    dated = documents.dropna(subset=["date"])
    assert documents["date"].dtype == "datetime64[ms]"
    assert len(dated) == 9  # the wire's ISO dates and the digest's Russian ones; the news files have none
    assert documents.set_index("doc_id").loc["d2", "date"] == pd.Timestamp("2024-09-12")  # '12 сентября 2024 года'
    assert dated["date"].dt.to_period("M").nunique() >= 6
    assert "dated: 9 documents, 2024-01-25 to 2024-10-17" in summary
    assert "did not parse" not in summary


def test_timeline_counts_each_entity_s_documents_and_mentions_per_month(bundled):
    _, _, tables = bundled
    timeline = tables["timeline"]
    assert list(timeline.columns) == ["corpus_id", "period", "n_documents", "n_mentions"]
    assert (timeline["period"].dt.day == 1).all()
    expected = expected_timeline(tables, lambda day: pd.Timestamp(day.year, day.month, 1))
    pd.testing.assert_frame_equal(timeline.astype({"period": "datetime64[ns]"}),
                                  expected.astype({"period": "datetime64[ns]"}))  # fmt: skip
    # every mention of a dated document is in one period
    dated = set(tables["documents"].dropna(subset=["date"])["doc_id"])
    entities = tables["entities"]
    assert timeline["n_mentions"].sum() == entities[entities["doc_id"].isin(dated)]["n_mentions"].sum()


@pytest.mark.parametrize(
    ("period", "start"),
    [
        ("day", lambda day: pd.Timestamp(day)),
        ("week", lambda day: pd.Timestamp(day) - pd.Timedelta(days=day.weekday())),
    ],
)
def test_periods(tmp_path, period, start):
    result = run("extract", CORPORA / "wire.jsonl", CORPORA / "digest.csv", "--out", tmp_path, "--period", period)
    assert result.returncode == 0, result.stderr
    tables = read_tables(tmp_path)
    expected = expected_timeline(tables, start)
    pd.testing.assert_frame_equal(tables["timeline"].astype({"period": "datetime64[ns]"}),
                                  expected.astype({"period": "datetime64[ns]"}))  # fmt: skip
    if period == "week":
        assert (tables["timeline"]["period"].dt.day_of_week == 0).all()  # Mondays


def write_jsonl(path: Path, records: list[dict]) -> Path:
    path.write_text("".join(json.dumps(_, ensure_ascii=False) + "\n" for _ in records), encoding="utf-8")
    return path


RECORDS = [
    {"id": "a", "published": "22 декабря 2020 года", "text": "Губернатор Игорь Бабушкин провёл встречу в Астрахани."},
    {"id": "b", "published": "вчера", "text": "Игорь Бабушкин посетил Астрахань."},
    {"id": "c", "published": "ерунда", "text": "Сергей Собянин осмотрел стройку в Москве."},
    {"id": "d", "published": "", "text": "В Москве прошёл дождь."},
    {"id": "e", "published": "2021-01-05", "text": "Сергей Собянин открыл парк в Москве."},
]


@pytest.mark.parametrize("fmt", ["csv", "parquet", "jsonl"])
def test_dates_that_do_not_parse_are_empty_and_counted(tmp_path, fmt):
    source = write_jsonl(tmp_path / "news.jsonl", RECORDS)
    out = tmp_path / "out"
    result = run("extract", source, "--out", out, "--date-field", "published", "--format", fmt)
    assert result.returncode == 0, result.stderr
    assert "dated: 2 documents, 2020-12-22 to 2021-01-05; 2 dates did not parse (left empty)" in result.stdout
    tables = read_tables(out)
    documents = tables["documents"]
    assert documents["doc_id"].tolist() == ["a", "b", "c", "d", "e"]  # none lost
    assert list(documents.columns[-2:]) == ["published", "date"]  # the field as written, and its day
    assert documents["date"].isna().tolist() == [False, True, True, True, False]
    assert tables["errors"].empty
    periods = tables["timeline"]["period"].dt.strftime("%Y-%m-%d")
    assert sorted(set(periods)) == ["2020-12-01", "2021-01-01"]


PLACEHOLDERS = [
    {"id": "a", "date": "0001-01-01", "text": "Губернатор Игорь Бабушкин провёл встречу в Астрахани."},
    {"id": "b", "date": "9999-12-31", "text": "Игорь Бабушкин посетил Астрахань."},
    {"id": "c", "date": "1-01-01", "text": "Сергей Собянин осмотрел стройку в Москве."},
    {"id": "d", "date": "2020", "text": "В Москве прошёл дождь."},
    {"id": "e", "date": 2021, "text": "Сергей Собянин открыл парк в Москве."},
    {"id": "f", "text": "Игорь Бабушкин открыл мост."},  # no date, not counted
]


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_placeholder_years_are_no_dates_and_a_bare_year_is_its_first_day(tmp_path, fmt):
    source = write_jsonl(tmp_path / "news.jsonl", PLACEHOLDERS)
    out = tmp_path / "out"
    result = run("extract", source, "--out", out, "--format", fmt)
    assert result.returncode == 0, result.stderr
    assert "dated: 2 documents, 2020-01-01 to 2021-01-01; 3 dates did not parse (left empty)" in result.stdout
    tables = read_tables(out)
    dates = tables["documents"]["date"].dt.strftime("%Y-%m-%d").tolist()
    assert [_ if isinstance(_, str) else None for _ in dates] == [None, None, None, "2020-01-01", "2021-01-01", None]
    periods = tables["timeline"]["period"].dt.strftime("%Y-%m-%d")
    assert sorted(set(periods)) == ["2020-01-01", "2021-01-01"]


def test_no_date_field(tmp_path):
    source = write_jsonl(tmp_path / "news.jsonl", RECORDS)
    result = run("extract", source, "--out", tmp_path / "out", "--date-field", "")
    assert result.returncode == 0, result.stderr
    assert "dated:" not in result.stdout
    tables = read_tables(tmp_path / "out")
    assert "date" not in tables["documents"]
    assert tables["timeline"].empty and list(tables["timeline"].columns) == ["corpus_id", "period", "n_documents",
                                                                              "n_mentions"]  # fmt: skip


def test_bad_period_is_a_usage_error(tmp_path):
    result = run("extract", CORPORA / "wire.jsonl", "--out", tmp_path, "--period", "year")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr and "'year' is not one of 'day', 'week', 'month'" in result.stderr


def test_library_timeline_equals_the_command_s(tmp_path, nlp):
    source = write_jsonl(tmp_path / "news.jsonl", RECORDS)
    result = run("extract", source, "--out", tmp_path / "out", "--date-field", "published", "--format", "parquet",
                 "--period", "week")  # fmt: skip
    assert result.returncode == 0, result.stderr
    texts = [Text(_["text"], _["id"], str(source), {"published": _["published"]}) for _ in RECORDS]
    frames = to_frames(nlp.pipe(texts), date_field="published", period="week")
    tables = read_tables(tmp_path / "out")
    pd.testing.assert_frame_equal(frames["timeline"], tables["timeline"])
    pd.testing.assert_series_equal(frames["documents"]["date"], tables["documents"]["date"])
