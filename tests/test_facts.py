"""The seam for extractors: each declared table (dates, money, …) goes everywhere a table goes."""

import json
import sys
from dataclasses import dataclass, replace
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

import entities
from entities import Text, read_tables, to_frames
from entities.cli import cli
from entities.facts import catalog
from entities.facts.catalog import EXTRACTORS, NAMES
from entities.facts.extractor import STR, Extractor
from entities.io.database import SQL_TYPES, connect
from entities.tables import COLUMNS
from entities.text.piece import PIECE_CHARS

ENTITIES = Path(sys.executable).parent / "entities"
DATED = "Губернатор Игорь Бабушкин 11 июня 2017 года встретился с послом Ермеком Кошербаевым."


def extract(tmp_path, records, *args):
    source = tmp_path / "in.jsonl"
    source.write_text("".join(json.dumps(record, ensure_ascii=False) + "\n" for record in records), encoding="utf-8")
    return CliRunner().invoke(cli, ["extract", str(source), "--out", str(tmp_path / "out"), "-q", *args])


def test_a_record_must_be_its_columns():
    @dataclass(frozen=True)
    class Wrong:
        start: int
        stop: int

    with pytest.raises(TypeError, match="sent_id, start, stop, text first"):
        Extractor("wrong", Wrong, {"start": STR, "stop": STR}, lambda passage: [], "nothing", "WRONG")


def test_every_extractor_has_a_table_after_mentions():
    assert tuple(extractor.name for extractor in EXTRACTORS) == NAMES
    assert "dates" in NAMES
    order = list(COLUMNS)
    for extractor in EXTRACTORS:
        assert COLUMNS[extractor.name] == {"doc_id": STR, **extractor.columns}
        assert order.index("mentions") < order.index(extractor.name) < order.index("entities")


@pytest.mark.parametrize("fmt", ["csv", "parquet", "jsonl", "duckdb"])
def test_every_format_writes_and_reads_the_facts_typed(tmp_path, fmt):
    result = extract(tmp_path, [{"id": "a", "text": DATED}, {"id": "b", "text": "Нет ни дат, ни сумм."}], "-f", fmt)
    assert result.exit_code == 0, result.output
    tables = read_tables(tmp_path / "out")
    manifest = json.loads((tmp_path / "out" / "manifest.json").read_text(encoding="utf-8"))
    for name in NAMES:
        frame = tables[name]
        assert list(frame.columns) == list(COLUMNS[name])
        assert manifest["rows"][name] == len(frame)
        for column, dtype in COLUMNS[name].items():
            if dtype == STR:
                assert pd.api.types.is_string_dtype(frame[column]), (name, column)
            else:
                assert frame[column].dtype == dtype, (name, column)
    dates = tables["dates"]
    assert dates[["doc_id", "text", "value"]].values.tolist() == [["a", "11 июня 2017 года", "2017-06-11"]]
    assert dates["day"].tolist() == [pd.Timestamp("2017-06-11")]
    if fmt == "duckdb":
        with connect(tmp_path / "out" / "entities.duckdb", read_only=True) as connection:
            for name in NAMES:
                types = dict(connection.sql(f"SELECT column_name, column_type FROM (DESCRIBE {name})").fetchall())
                assert types == {column: SQL_TYPES[dtype] for column, dtype in COLUMNS[name].items()}


def test_the_library_gives_the_same_rows_as_the_command(tmp_path, nlp):
    texts = [Text(DATED, "a"), Text("Сделка закрыта 5 мая 2018 года. " * 3, "b")]
    result = extract(tmp_path, [{"id": text.id, "text": text.text} for text in texts], "-f", "parquet")
    assert result.exit_code == 0, result.output
    written, frames = read_tables(tmp_path / "out"), to_frames(nlp.pipe(texts))
    for name in NAMES:
        pd.testing.assert_frame_equal(written[name], frames[name], check_dtype=False)
    assert len(frames["dates"]) == 4


def test_a_long_documents_facts_keep_its_sentence_ids(tmp_path, nlp):
    # cut into pieces: the facts of later pieces count their sentences from the document's start
    paragraph = "Контракт подписали 11 июня 2017 года в Астрахани. Работы начались позже.\n\n"
    text = paragraph * (3 * PIECE_CHARS // len(paragraph))
    doc = nlp(Text(text, "long"))
    assert len(doc.dates) == text.count("11 июня 2017 года")
    for date in doc.dates:
        sentence = doc.sentences[date.sent_id]
        assert sentence.start <= date.start < date.stop <= sentence.stop
        assert text[date.start : date.stop] == date.text
    result = extract(tmp_path, [{"id": "long", "text": text}], "-f", "parquet", "--batch-size", "2")
    assert result.exit_code == 0, result.output
    written = read_tables(tmp_path / "out")
    pd.testing.assert_frame_equal(written["dates"], to_frames([doc])["dates"], check_dtype=False)
    sentences = written["sentences"].set_index("sent_id")
    starts = sentences.loc[written["dates"]["sent_id"], "start"].to_numpy()
    assert (starts <= written["dates"]["start"].to_numpy()).all()


def test_offsets_index_the_text_as_written(nlp):
    # the extractors read the plain view; a soft hyphen and a stress mark stay in the row's text
    text = "Бабушкин приехал 11 ию\xadня 2017 года, а уе\u0301хал позже."
    (date,) = nlp(text).dates
    assert text[date.start : date.stop] == date.text == "11 ию\xadня 2017 года"
    assert date.value == "2017-06-11"


def test_an_extractor_that_raises_loses_one_document(tmp_path, monkeypatch):
    def broken(passage):
        if "СЛОМАЕТ" in passage.text:
            raise ValueError("the extractor broke")
        return EXTRACTORS[0].find(passage)

    monkeypatch.setattr(catalog, "EXTRACTORS", (replace(EXTRACTORS[0], find=broken), *EXTRACTORS[1:]))
    records = [{"id": "a", "text": DATED}, {"id": "b", "text": "Это СЛОМАЕТ 5 мая 2018 года."}]
    result = extract(tmp_path, records, "-f", "csv")
    assert result.exit_code == 5, result.output
    tables = read_tables(tmp_path / "out")
    assert tables["errors"][["doc_id", "stage"]].values.tolist() == [["b", "extract"]]
    assert "the extractor broke" in tables["errors"]["error"][0]
    assert tables["documents"]["doc_id"].tolist() == ["a"]
    assert set(tables["dates"]["doc_id"]) == {"a"}


def test_show_marks_the_facts_with_a_legend(nlp):
    result = CliRunner().invoke(cli, ["show", "-", "--no-color"], input=DATED + "\n")
    assert result.exit_code == 0, result.output
    assert "[11 июня 2017 года]DATE" in result.output
    assert "2017-06-11" in result.output  # the table of facts under the text
    html = nlp(DATED)._repr_html_()
    assert 'title="DATE: 2017-06-11"' in html
    assert "dates<span" in html  # the legend: each extractor's table and its label


@pytest.mark.parametrize("workers", ["1", "2"])
def test_relative_dates_count_from_the_documents_date(tmp_path, workers):
    text = "Вчера губернатор подписал контракт, а в прошлом году — соглашение."
    records = [{"id": "dated", "text": text, "published": "2024-05-08"}, {"id": "undated", "text": text}]
    result = extract(tmp_path, records, "-f", "parquet", "--date-field", "published", "-w", workers)
    assert result.exit_code == 0, result.output
    dates = read_tables(tmp_path / "out")["dates"]
    rows = {(row.doc_id, row.text): (row.value, row.precision) for row in dates.itertuples()}
    assert rows == {
        ("dated", "Вчера"): ("2024-05-07", "day"), ("dated", "в прошлом году"): ("2023", "year"),
        ("undated", "Вчера"): ("", "day"), ("undated", "в прошлом году"): ("", "year"),
    }  # fmt: skip
    assert dates.set_index("doc_id").loc["undated", "day"].isna().all()


def test_the_library_dates_a_text_by_its_field(nlp):
    text = Text("Мост открыли в марте.", "a", meta={"published": "2024-05-08"})
    assert [date.value for date in entities.Pipeline(date_field="published")(text).dates] == ["2024-03"]
    assert [date.value for date in nlp(text).dates] == [""]  # the default field, `date`, is not there


def test_show_counts_relative_dates_from_date():
    result = CliRunner().invoke(cli, ["show", "-", "--no-color", "--date", "2024-05-08"], input="Вчера мост открыли.")
    assert result.exit_code == 0, result.output
    assert "[Вчера]DATE" in result.output and "2024-05-07" in result.output
    result = CliRunner().invoke(cli, ["show", "-", "--date", "вчера"], input="Мост открыли.")
    assert result.exit_code == 2
    assert result.output.strip().splitlines() == [
        "entities: error: --date 'вчера' names no day (expected a date such as 2024-05-08)"
    ]
