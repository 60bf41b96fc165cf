"""The installed `entities` command, in real subprocesses, on every input and output format."""

import csv
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

import entities
from conftest import CORPORA, SEED
from entities import Text, read_tables, to_frames
from entities.cli import cli
from entities.tables import COLUMNS, SCHEMAS

ENTITIES = shutil.which("entities", path=str(Path(sys.executable).parent)) or shutil.which("entities")
TABLES = list(SCHEMAS)  # and errors, which the library does not make

ARTICLES = {
    "first.txt": "Губернатор Игорь Бабушкин провёл встречу в Астрахани.",
    "sub/second.txt": "Министерство иностранных дел России прокомментировало визит Марии Захаровой в Берлин.",
}


def run(*args, stdin=None):
    assert ENTITIES, "the entities console script is not installed"
    return subprocess.run([ENTITIES, *map(str, args)], input=stdin, capture_output=True, text=True)


def read(out, name, fmt):
    path = Path(out) / f"{name}.{fmt}"
    if fmt == "csv":  # CSV knows no types: an empty table's columns are text, a date is its ISO text
        nullable = {column: dtype for column, dtype in COLUMNS[name].items() if dtype == "Int64"}  # empty: null
        frame = pd.read_csv(path, keep_default_na=False, na_values={column: [""] for column in nullable})
        dates = {column: dtype for column, dtype in COLUMNS[name].items() if dtype.startswith("datetime")}
        return frame.astype(COLUMNS[name] if frame.empty else {**dates, **nullable})
    if fmt == "parquet":
        return pd.read_parquet(path)
    if not path.stat().st_size:  # a table with no rows is an empty file: no line to name the columns
        return pd.DataFrame(columns=list(COLUMNS[name])).astype(COLUMNS[name])
    frame = pd.read_json(path, lines=True, dtype=False)
    return frame.astype({column: dtype for column, dtype in COLUMNS[name].items() if column in frame})


def write_texts(root):
    for name, text in ARTICLES.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")


@pytest.fixture(scope="module")
def directory_run(tmp_path_factory):
    root = tmp_path_factory.mktemp("articles")
    write_texts(root)
    out = tmp_path_factory.mktemp("out")
    result = run("extract", root, "--out", out)
    assert result.returncode == 0, result.stderr
    return root, out, result


def test_directory_input(directory_run):
    root, out, _result = directory_run
    documents = read(out, "documents", "csv")
    assert documents["doc_id"].tolist() == ["first.txt", "sub/second.txt"]
    assert documents["source"].tolist() == [str(root / "first.txt"), str(root / "sub/second.txt")]
    mentions = read(out, "mentions", "csv")
    assert {"Игорь Бабушкин", "Министерство иностранных дел", "Мария Захарова"} <= set(mentions["normal"])
    for row in mentions.itertuples():
        assert ARTICLES[row.doc_id][row.start : row.stop] == row.text


def test_summary_on_stdout_and_quiet_stderr(directory_run):
    _, _, result = directory_run
    assert result.stdout.startswith("2 documents")
    assert "Игорь Бабушкин" in result.stdout
    assert result.stderr == ""  # no progress bar when stderr is not a terminal


def test_tables_equal_the_library(directory_run, nlp):
    root, out, _ = directory_run
    texts = [Text(text, name, str(root / name)) for name, text in ARTICLES.items()]
    expected = to_frames(nlp.pipe(texts))
    for name in TABLES:
        pd.testing.assert_frame_equal(read(out, name, "csv"), expected[name])


@pytest.mark.parametrize("fmt", ["parquet", "jsonl"])
def test_output_formats_read_back_equal(directory_run, tmp_path, fmt):
    root, csv_out, _ = directory_run
    result = run("extract", root, "--out", tmp_path, "--format", fmt, "--quiet")
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""
    for name in TABLES:
        pd.testing.assert_frame_equal(read(tmp_path, name, fmt), read(csv_out, name, "csv"))


def test_jsonl_input_keeps_metadata(tmp_path):
    path = tmp_path / "wire.jsonl"
    records = [
        {"id": "w1", "date": "2024-03-14", "rubric": "Общество", "text": "В Казани открылся новый стадион."},
        {"text": "Сергей Собянин осмотрел стройку в Москве.", "rubric": "Город"},
    ]
    path.write_text("\n".join(json.dumps(_, ensure_ascii=False) for _ in records) + "\n\n", encoding="utf-8")
    result = run("extract", path, "--out", tmp_path / "out")
    assert result.returncode == 0, result.stderr
    documents = read(tmp_path / "out", "documents", "csv")
    assert documents["doc_id"].tolist() == ["w1", f"{path}:2"]
    assert documents[["date", "rubric"]].values.tolist() == [["2024-03-14", "Общество"], ["", "Город"]]


def test_csv_and_tsv_input_with_chosen_columns(tmp_path):
    rows = [{"key": "n1", "body": "Мэр Сочи, Алексей Копайгородский, открыл «Парк науки».", "region": "Краснодарский"}]
    for suffix, delimiter in ((".csv", ","), (".tsv", "\t")):
        path = tmp_path / f"digest{suffix}"
        with open(path, "w", encoding="utf-8", newline="") as file:
            writer = csv.DictWriter(file, fieldnames=list(rows[0]), delimiter=delimiter)
            writer.writeheader()
            writer.writerows(rows)
        out = tmp_path / suffix[1:]
        result = run("extract", path, "--out", out, "--text-column", "body", "--id-column", "key")
        assert result.returncode == 0, result.stderr
        documents = read(out, "documents", "csv")
        assert documents[["doc_id", "region"]].values.tolist() == [["n1", "Краснодарский"]]
        assert "Сочи" in read(out, "mentions", "csv")["normal"].tolist()


def test_stdin_and_single_file(tmp_path):
    result = run("extract", "-", "--out", tmp_path / "stdin", stdin=SEED.read_text(encoding="utf-8"))
    assert result.returncode == 0, result.stderr
    result = run("extract", SEED, "--out", tmp_path / "file")
    assert result.returncode == 0, result.stderr
    from_stdin = read(tmp_path / "stdin", "mentions", "csv")
    from_file = read(tmp_path / "file", "mentions", "csv")
    assert set(from_stdin["doc_id"]) == {"stdin"} and set(from_file["doc_id"]) == {SEED.as_posix()}
    assert from_stdin.drop(columns="doc_id").equals(from_file.drop(columns="doc_id"))


def test_bundled_corpora_all_formats(tmp_path):
    inputs = [CORPORA, *sorted(CORPORA.glob("*.jsonl")), *sorted(CORPORA.glob("*.csv"))]
    result = run("extract", *inputs, "--out", tmp_path, "--format", "parquet")
    assert result.returncode == 0, result.stderr
    documents = read(tmp_path, "documents", "parquet")
    assert "news/astrakhan-kazakhstan.txt" in documents["doc_id"].tolist()
    assert documents["doc_id"].is_unique
    assert len(read(tmp_path, "mentions", "parquet")) > 0


USER_ERRORS = [
    (["extract", "missing.txt", "--out", "OUT"], "missing.txt: no such file or directory"),
    (["extract", "notes.md", "--out", "OUT"], "notes.md: unsupported input"),
    (["extract", "table.csv", "--out", "OUT"], "no 'text' column (columns: id, body)"),
    (["extract", "first.txt", "--out", "OUT", "--encoding", "klingon"], "unknown encoding 'klingon'"),
    (["extract", "first.txt"], "Missing option '--out'"),
    (["extract", "first.txt", "--out", "OUT", "--format", "xlsx"], "'xlsx' is not one of"),
    (["extract", "--out", "OUT"], "Missing argument 'INPUT...'"),
    (["extract", "first.txt", "--out", "first.txt"], "first.txt"),
]


@pytest.mark.parametrize("args, message", USER_ERRORS)
def test_user_errors_are_one_line(tmp_path, args, message):
    (tmp_path / "notes.md").write_text("# notes", encoding="utf-8")
    (tmp_path / "first.txt").write_text("Текст.", encoding="utf-8")
    (tmp_path / "table.csv").write_text("id,body\n1,Текст\n", encoding="utf-8")
    args = [str(tmp_path / "out") if arg == "OUT" else arg for arg in args]
    result = subprocess.run([ENTITIES, *args], capture_output=True, text=True, cwd=tmp_path)
    assert result.returncode != 0
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert result.stderr.startswith("entities: error: ")
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_help_explains_every_option():
    result = CliRunner().invoke(cli, ["extract", "--help"])
    assert result.exit_code == 0
    for option in ("--out", "--format", "--text-column", "--id-column", "--batch-size", "--progress", "--quiet"):
        assert option in result.output
    top = run("--help")
    assert top.returncode == 0 and "extract" in top.stdout


def test_progress_bar_when_asked(tmp_path):
    result = run("extract", SEED, "--out", tmp_path, "--progress", "--quiet")
    assert result.returncode == 0
    assert "doc" in result.stderr


def test_a_run_in_another_format_replaces_the_last_run_s_tables(tmp_path):
    out = tmp_path / "out"
    assert run("extract", CORPORA / "wire.jsonl", "--out", out, "-q").returncode == 0
    assert run("extract", CORPORA / "digest.csv", "--out", out, "-q", "-f", "parquet").returncode == 0
    assert sorted(path.name for path in out.iterdir()) == sorted(
        ["manifest.json", *(f"{name}.parquet" for name in [*TABLES, "errors"])]
    )
    documents = entities.read_tables(out)["documents"]
    assert documents["source"].unique().tolist() == [str(CORPORA / "digest.csv")]


def test_tables_no_manifest_lists_are_named_in_a_warning(tmp_path):
    # an older version's run left documents.csv with no manifest: not this tool's to delete
    out = tmp_path / "out"
    out.mkdir()
    (out / "documents.csv").write_text("doc_id\nold\n", encoding="utf-8")
    result = run("extract", CORPORA / "wire.jsonl", "--out", out, "-q", "-f", "jsonl")
    assert result.returncode == 0
    assert result.stderr == (
        f"entities: {out} also holds documents.csv, not written by this run (no manifest lists them): "
        "an older run's tables?\n"
    )
    assert (out / "documents.csv").exists() and len(entities.read_tables(out)["documents"]) == 5


def test_read_tables_of_a_folder_with_no_run(tmp_path):
    with pytest.raises(entities.EntitiesError, match="holds no finished entities run"):
        entities.read_tables(tmp_path)


def test_extract_help_names_every_table_it_writes():
    result = run("extract", "--help")
    assert result.returncode == 0
    text = " ".join(result.stdout.split())
    for name in [*COLUMNS]:
        assert f"OUT/{name}.FMT" in text, name


def test_read_tables_is_the_same_from_every_format(tmp_path):
    # records of two files with different fields: each document lacks some metadata; a missing value
    # reads back missing (NA) from csv, jsonl, parquet and duckdb alike, dates included
    inputs = [CORPORA / "wire.jsonl", CORPORA / "digest.csv"]
    tables = {}
    for fmt in ("parquet", "csv", "jsonl", "duckdb"):
        assert run("extract", *inputs, "--out", tmp_path / fmt, "--format", fmt, "-q").returncode == 0
        tables[fmt] = read_tables(tmp_path / fmt)
    assert tables["parquet"]["documents"]["rubric"].isna().sum() == 4  # the digest's records have no rubric
    for fmt in ("csv", "jsonl", "duckdb"):
        for name, frame in tables["parquet"].items():
            pd.testing.assert_frame_equal(tables[fmt][name], frame, obj=f"{fmt} {name}")
