"""`entities extract --format duckdb`: every table in one database, OUT/entities.duckdb, through the
installed command; the README's SQL run on it; the Parquet tables read by DuckDB."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

import entities
from conftest import CORPORA, ROOT
from entities.cli import cli
from entities.run.staging import RUN

duckdb = pytest.importorskip("duckdb")

ENTITIES = Path(sys.executable).parent / "entities"
INPUTS = [CORPORA, *sorted(CORPORA.glob("*.jsonl")), *sorted(CORPORA.glob("*.csv"))]
INSTALL = "pip install duckdb (in a checkout: pip install '.[duckdb]')"
SQL_TYPES = {"str": "VARCHAR", "int64": "BIGINT", "Int64": "BIGINT", "Float64": "DOUBLE", "boolean": "BOOLEAN"}


def run(*args, env=None):
    return subprocess.run([ENTITIES, *map(str, args)], capture_output=True, text=True, env=env)


def manifest(out):
    return json.loads((Path(out) / "manifest.json").read_text(encoding="utf-8"))


def query(out, sql):
    with duckdb.connect(str(Path(out) / "entities.duckdb"), read_only=True) as connection:
        return connection.sql(sql).df()


@pytest.fixture(scope="module")
def parquet_out(tmp_path_factory):
    out = tmp_path_factory.mktemp("parquet")
    result = run("extract", *INPUTS, "--out", out, "--format", "parquet", "-q")
    assert result.returncode == 0, result.stderr
    return out


@pytest.fixture(scope="module")
def duckdb_out(tmp_path_factory):
    out = tmp_path_factory.mktemp("duckdb")
    result = run("extract", *INPUTS, "--out", out, "--format", "duckdb")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == f"wrote {out / 'entities.duckdb'}"  # once, not once a table
    return out


def test_the_database_holds_every_table_of_a_parquet_run(parquet_out, duckdb_out):
    assert sorted(path.name for path in duckdb_out.iterdir()) == ["entities.duckdb", "manifest.json"]
    expected = entities.read_tables(parquet_out)
    listed = manifest(duckdb_out)
    assert listed["format"] == "duckdb"
    assert listed["tables"] == dict.fromkeys(expected, "entities.duckdb")
    assert listed["rows"] == manifest(parquet_out)["rows"]
    assert set(query(duckdb_out, "SHOW TABLES")["name"]) == set(expected)
    for name, table in expected.items():
        found = query(duckdb_out, f"SELECT * FROM {name}")
        pd.testing.assert_frame_equal(found.astype(table.dtypes.to_dict()), table, obj=name)


def test_columns_have_the_documented_sql_types(duckdb_out):
    for name, columns in manifest(duckdb_out)["columns"].items():
        described = query(duckdb_out, f"DESCRIBE {name}")
        assert described["column_name"].tolist() == list(columns), name
        types = dict(zip(described["column_name"], described["column_type"], strict=True))
        for column, dtype in columns.items():
            if dtype in SQL_TYPES:
                assert types[column] == SQL_TYPES[dtype], (name, column)


def test_read_tables_reads_the_database_as_the_parquet_tables(parquet_out, duckdb_out):
    found, expected = entities.read_tables(duckdb_out), entities.read_tables(parquet_out)
    assert list(found) == list(expected)
    for name, table in expected.items():
        pd.testing.assert_frame_equal(found[name], table, obj=name)


def test_metadata_keeps_its_types_and_nulls(tmp_path):
    records = [
        {"id": "a", "text": "Игорь Бабушкин прибыл в Астрахань.", "n": 3, "ok": True, "x": 1.5, "big": 2**53 + 1},
        {"id": "b", "text": "Путин в Москве.", "x": 2, "none": None, "tags": ["a"]},
        {"id": "c", "text": ""},
    ]
    wire = tmp_path / "meta.jsonl"
    wire.write_text("".join(json.dumps(record, ensure_ascii=False) + "\n" for record in records), encoding="utf-8")
    parquet, database = tmp_path / "parquet", Path(os.fsdecode(bytes(tmp_path / "out") + b"\xff"))  # not UTF-8
    assert run("extract", wire, "--out", parquet, "-f", "parquet", "-q").returncode == 0
    result = run("extract", wire, "--out", database, "-f", "duckdb", "-q")
    assert result.returncode == 0, result.stderr
    found, expected = entities.read_tables(database), entities.read_tables(parquet)
    for name, table in expected.items():
        pd.testing.assert_frame_equal(found[name], table, obj=name)
    documents = found["documents"]
    assert documents["n"].tolist()[1:] == [pd.NA, pd.NA] and documents["big"][0] == 2**53 + 1
    assert documents[["n", "ok", "x"]].dtypes.astype(str).tolist() == ["Int64", "boolean", "Float64"]


def readme_queries():
    """The ```sql blocks of the README's "SQL with DuckDB" section."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = re.search(r"^### SQL with DuckDB\n(.*?)^## ", text, re.S | re.M)
    assert section, "README has no 'SQL with DuckDB' section"
    return re.findall(r"```sql\n(.*?)```", section.group(1), re.S)


README_COLUMNS = [  # the database queries, in order: the most mentioned people, who appears with one, the documents
    ["canonical", "n_documents", "n_mentions"],
    ["canonical", "type", "n_sentences", "n_documents"],
    ["doc_id", "source", "n_chars", "n_mentions", "first_start"],
]


def test_the_readme_queries_run_on_the_database(duckdb_out):
    queries = [sql for sql in readme_queries() if "read_parquet" not in sql]
    assert len(queries) == len(README_COLUMNS)
    tables = entities.read_tables(duckdb_out)
    results = [query(duckdb_out, sql) for sql in queries]
    for result, columns in zip(results, README_COLUMNS, strict=True):
        assert len(result) > 0 and result.columns.tolist() == columns
    people, together, documents = results
    corpus = tables["corpus_entities"]
    assert set(people["canonical"]) <= set(corpus.loc[corpus["type"] == "PER", "canonical"])
    assert people["n_mentions"].tolist() == sorted(people["n_mentions"], reverse=True)
    assert people["n_mentions"][0] == corpus.loc[corpus["type"] == "PER", "n_mentions"].max()
    assert "Игорь Бабушкин" not in set(together["canonical"]) and "Ермек Кошербаев" in set(together["canonical"])
    russia = corpus.loc[(corpus["type"] == "LOC") & (corpus["canonical"] == "Россия"), "corpus_id"].item()
    mentioned = tables["entities"].loc[tables["entities"]["corpus_id"] == russia, "doc_id"]
    assert sorted(documents["doc_id"]) == sorted(mentioned) and len(mentioned) > 1


def test_the_parquet_tables_read_in_duckdb_as_in_pandas(parquet_out):
    for name, table in entities.read_tables(parquet_out).items():
        path = parquet_out / f"{name}.parquet"
        found = duckdb.sql(f"SELECT * FROM read_parquet('{path}')").df()
        pd.testing.assert_frame_equal(found.astype(table.dtypes.to_dict()), table, obj=name)
    # the README's query of the Parquet tables: the sums named per month, by currency
    (sql,) = [sql for sql in readme_queries() if "read_parquet" in sql]
    found = duckdb.sql(sql.replace("'output/", f"'{parquet_out}/")).df()
    money = pd.read_parquet(parquet_out / "money.parquet").merge(
        pd.read_parquet(parquet_out / "documents.parquet")[["doc_id", "date"]], on="doc_id"
    )
    money["month"] = money["date"].dt.to_period("M").dt.start_time
    expected = money.groupby(["month", "currency"], as_index=False, dropna=False).agg(
        sums=("amount", "size"), total=("amount", "sum")
    )
    assert len(expected) > 0
    found["month"] = found["month"].astype("datetime64[ns]")
    expected["month"] = expected["month"].astype("datetime64[ns]")
    pd.testing.assert_frame_equal(found, expected, check_dtype=False)


def test_a_failed_run_leaves_no_database_and_resume_finishes_it(tmp_path):
    folder, out = tmp_path / "news", tmp_path / "out"
    folder.mkdir()
    (folder / "a.txt").write_text("Губернатор Игорь Бабушкин провёл встречу в Астрахани.", encoding="utf-8")
    (folder / "b.txt").write_bytes(bytes(range(256)))  # a decode error: with --strict, the run stops
    (folder / "c.txt").write_text("Мэр Москвы Сергей Собянин открыл станцию.", encoding="utf-8")
    assert run("extract", CORPORA / "wire.jsonl", "--out", out, "-q").returncode == 0  # the last run's, CSV
    args = ["extract", folder, "--out", out, "-f", "duckdb", "--chunk-chars", "10", "-w", "1", "--batch-size", "1",
            "-q"]  # fmt: skip
    failed = run(*args, "--strict")
    assert failed.returncode == 5 and len(failed.stderr.splitlines()) == 1, failed.stderr
    assert failed.stderr.endswith(f"1 documents are saved in {out / RUN}: add --resume to continue\n")
    assert not (out / "entities.duckdb").exists() and (out / RUN).is_dir()
    assert manifest(out)["format"] == "csv" and len(entities.read_tables(out)["documents"]) == 5  # untouched
    resumed = run(*args, "--resume")
    assert resumed.returncode == 5, resumed.stderr  # b.txt is in the errors table now
    assert resumed.stderr == f"entities: 1 document failed, listed in the errors table of {out / 'entities.duckdb'}\n"
    assert sorted(path.name for path in out.iterdir()) == ["entities.duckdb", "manifest.json"]
    tables = entities.read_tables(out)
    assert tables["documents"]["doc_id"].tolist() == ["a.txt", "c.txt"]
    assert tables["errors"]["doc_id"].tolist() == ["b.txt"]


FULL_DISK = """
import errno, os
_replace = os.replace
def replace(source, target, *args, **kwargs):
    if os.path.basename(os.fsdecode(source)) == "entities.duckdb.partial":
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
    _replace(source, target, *args, **kwargs)
os.replace = replace
"""


def test_a_disk_full_as_the_database_is_written_leaves_none_and_resume_finishes(tmp_path):
    hook, out, fresh = tmp_path / "hook", tmp_path / "out", tmp_path / "fresh"
    hook.mkdir()
    (hook / "sitecustomize.py").write_text(FULL_DISK, encoding="utf-8")
    args = ["extract", CORPORA / "wire.jsonl", "--out", out, "-f", "duckdb", "-q"]
    failed = run(*args, env={**os.environ, "PYTHONPATH": str(hook)})
    assert failed.returncode == 4 and len(failed.stderr.splitlines()) == 1, failed.stderr
    assert "entities.duckdb.partial: can not write (No space left on device)" in failed.stderr
    assert sorted(path.name for path in out.iterdir()) == [RUN]  # no database, no manifest
    assert run(*args, "--resume").returncode == 0
    assert run("extract", CORPORA / "wire.jsonl", "--out", fresh, "-f", "parquet", "-q").returncode == 0
    found, expected = entities.read_tables(out), entities.read_tables(fresh)
    for name, table in expected.items():
        pd.testing.assert_frame_equal(found[name], table, obj=name)


def test_a_run_in_another_format_replaces_the_database(tmp_path):
    out, wire = tmp_path / "out", CORPORA / "wire.jsonl"
    assert run("extract", wire, "--out", out, "-f", "duckdb", "-q").returncode == 0
    result = run("extract", wire, "--out", out, "-f", "jsonl", "-q")
    assert result.returncode == 0 and result.stderr == ""
    assert "entities.duckdb" not in {path.name for path in out.iterdir()}
    result = run("extract", wire, "--out", out, "-f", "duckdb", "-q")
    assert result.returncode == 0 and result.stderr == ""
    assert sorted(path.name for path in out.iterdir()) == ["entities.duckdb", "manifest.json"]


NO_DUCKDB = "raise ImportError('duckdb is hidden for this test')\n"


def test_without_duckdb_the_command_says_how_to_install_it(tmp_path):
    hidden, out = tmp_path / "hidden", tmp_path / "out"
    hidden.mkdir()
    (hidden / "duckdb.py").write_text(NO_DUCKDB, encoding="utf-8")
    result = run("extract", CORPORA / "wire.jsonl", "--out", out, "-f", "duckdb",
                 env={**os.environ, "PYTHONPATH": str(hidden)})  # fmt: skip
    assert result.returncode == 2
    message = f"--format duckdb needs DuckDB (duckdb is hidden for this test): {INSTALL}"
    assert result.stderr == f"entities: error: {message}\n"
    assert not out.exists()  # at once: before any work


def test_the_dask_engine_writes_parquet_only(tmp_path):
    args = ["extract", str(CORPORA / "wire.jsonl"), "--out", str(tmp_path), "-f", "duckdb", "--engine", "dask"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 2
    assert "--engine dask writes Parquet datasets; --format duckdb is not available with it" in result.stderr
