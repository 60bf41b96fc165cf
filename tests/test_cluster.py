"""--engine dask and entities.run.cluster: the tables of a local run, as Parquet datasets of parts."""

from __future__ import annotations

import gzip
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import zipfile
from contextlib import contextmanager
from pathlib import Path

import pandas as pd
import pytest

pytest.importorskip("distributed", reason="the dask extra is not installed: pip install -e '.[dask]'")

import dask.bag as db
import dask.dataframe as dd
from click.testing import CliRunner
from distributed import Client, LocalCluster

import entities
from conftest import CORPORA
from entities.cli import cli
from entities.facts.catalog import NAMES
from entities.run import cluster
from entities.run.staging import Partitions

ENTITIES = str(Path(sys.executable).with_name("entities"))
INPUTS = [str(CORPORA), str(CORPORA / "wire.jsonl"), str(CORPORA / "digest.csv")]
KEYS = {
    "documents": ["doc_id"], "sentences": ["doc_id", "sent_id"], "tokens": ["doc_id", "sent_id", "token_id"],
    "mentions": ["doc_id", "mention_id"], "entities": ["doc_id", "entity_id"], "corpus_entities": ["corpus_id"],
    "cooccurrences": ["corpus_id_a", "corpus_id_b"], "timeline": ["corpus_id", "period"], "errors": ["doc_id"],
    **{name: ["doc_id", "start", "stop"] for name in NAMES},  # dates, money, …
}  # fmt: skip


def sorted_table(table: pd.DataFrame, name: str) -> pd.DataFrame:
    return table.sort_values(KEYS[name]).reset_index(drop=True)


def assert_same_tables(dask_out: Path, local_out: Path) -> None:
    for name in KEYS:
        parts = sorted((dask_out / name).glob("part-*.parquet"))
        assert parts, f"{name}: no parts"
        ours = sorted_table(pd.read_parquet(dask_out / name), name)
        local = sorted_table(pd.read_parquet(local_out / f"{name}.parquet"), name)
        pd.testing.assert_frame_equal(ours, local, check_dtype=False, obj=name)


@pytest.fixture(scope="module")
def client():
    with (
        LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0") as local,
        Client(local) as connected,
    ):
        yield connected


@pytest.fixture(scope="module")
def bad_corpus(tmp_path_factory):
    # good documents and bad ones: each ends in the tables or in errors, on either engine
    root = tmp_path_factory.mktemp("bad")
    (root / "texts").mkdir()
    (root / "texts" / "a.txt").write_text("Губернатор Игорь Бабушкин посетил Астрахань.", encoding="utf-8")
    (root / "texts" / "binary.txt").write_bytes(b"\x00\x01\x02 not text")
    (root / "texts" / "cp1251.txt").write_bytes("Мэр Казани Ильсур Метшин открыл парк.".encode("cp1251"))
    (root / "texts" / "KOI8.TXT.GZ").write_bytes(gzip.compress("Мэр Омска открыл мост.".encode("koi8-r")))
    with zipfile.ZipFile(root / "texts" / "more.zip", "w") as archive:
        archive.writestr("inner/b.txt", "Шойгу прибыл в Читу.")
        archive.writestr("inner/cut.txt.gz", b"\x1f\x8b cut")
    lines = [
        '{"id": "w-1", "text": "Посол Ермек Кошербаев прибыл в Москву."}',
        "{not json",
        '{"id": "w-1", "text": "дубль"}',
    ]
    (root / "wire.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return [str(root / "texts"), str(root / "wire.jsonl")]


@pytest.fixture(scope="module")
def local_out(tmp_path_factory, bad_corpus):
    out = tmp_path_factory.mktemp("local")
    done = subprocess.run([ENTITIES, "extract", *INPUTS, *bad_corpus, "-o", str(out), "-f", "parquet", "-q", "-w", "1"],
                          capture_output=True, text=True)  # fmt: skip
    assert done.returncode == 5, done.stderr  # some documents failed, listed in errors
    return out


def test_command_on_a_local_cluster_writes_the_local_tables(tmp_path, local_out, bad_corpus):
    out = tmp_path / "out"
    done = subprocess.run([ENTITIES, "extract", *INPUTS, *bad_corpus, "-o", str(out), "--engine", "dask", "-w", "2",
                           "--chunk-chars", "4000"],
                          capture_output=True, text=True)  # fmt: skip
    assert done.returncode == 5, done.stderr
    assert "4 documents failed, listed in" in done.stderr
    assert done.stdout.startswith("19 documents")  # 14 bundled, a, cp1251, KOI8.TXT.GZ, more.zip/inner/b.txt, w-1
    assert_same_tables(out, local_out)
    assert len(list((out / "tokens").glob("part-*.parquet"))) > 1  # partitions, not one file
    assert not (out / ".entities-run").exists()


def test_library_on_a_bag_of_texts(tmp_path, client, local_out):
    texts = list(entities.read_texts(INPUTS))
    merged = cluster.extract(db.from_sequence(texts, npartitions=3), tmp_path, client)
    assert sorted(merged.paths) == sorted(KEYS)
    assert len(merged.documents) == len(texts) and merged.errors.empty
    local = {name: pd.read_parquet(local_out / f"{name}.parquet") for name in ("tokens", "mentions")}
    for name, table in local.items():
        ids = {text.id for text in texts}
        expected = sorted_table(table[table["doc_id"].isin(ids)], name)
        pd.testing.assert_frame_equal(sorted_table(pd.read_parquet(tmp_path / name), name), expected, check_dtype=False)


def test_a_pipeline_of_ones_own_components_runs_on_the_dask_workers(tmp_path, client):
    # the worker processes build the caller's pipeline: its NER model is a fake one
    from components import CapitalNER

    texts = [
        "Губернатор Игорь Бабушкин прилетел в Астрахань.",
        "вчера в Москве прошёл форум.",
        "Мэр Казани открыл парк.",
    ]
    nlp = entities.Pipeline(rules=[], ner_tagger=CapitalNER())
    cluster.extract(db.from_sequence(texts, npartitions=2), tmp_path, client, pipeline=nlp)
    expected = entities.to_frames(nlp.pipe(texts))["mentions"]
    mentions = pd.read_parquet(tmp_path / "mentions")
    # ids differ: a bag's texts are named by their partition ('part-00001:1')
    pd.testing.assert_frame_equal(mentions.drop(columns="doc_id"), expected.drop(columns="doc_id"), check_dtype=False)
    assert set(mentions["type"]) == {"ORG"} and "Губернатор" in set(mentions["text"])


def test_library_on_a_dataframe_with_a_text_column(tmp_path, client):
    frame = pd.DataFrame({"uid": ["a", "b", "c"], "body": [
        "Губернатор Игорь Бабушкин встретился с послом Ермеком Кошербаевым.", "", "Мэр Казани открыл парк.",
    ], "rubric": ["политика", "пусто", "город"]})  # fmt: skip
    reading = entities.io.reader.Reading(text="body", id="uid")
    merged = cluster.extract(dd.from_pandas(frame, npartitions=2), tmp_path, client, reading=reading)
    documents = pd.read_parquet(tmp_path / "documents")
    assert documents[["doc_id", "rubric"]].values.tolist() == [["a", "политика"], ["b", "пусто"], ["c", "город"]]
    mentions = pd.read_parquet(tmp_path / "mentions")
    assert ("a", "Ермек Кошербаев") in set(zip(mentions["doc_id"], mentions["normal"], strict=True))
    assert set(merged.corpus_entities["canonical"]) >= {"Игорь Бабушкин", "Ермек Кошербаев", "Казань"}


def test_parquet_dataset_input_and_pyarrow_reading(tmp_path):
    records = [json.loads(line) for line in (CORPORA / "wire.jsonl").read_text(encoding="utf-8").splitlines()]
    (tmp_path / "in").mkdir()
    half = len(records) // 2
    for number, rows in enumerate((records[:half], records[half:])):
        pd.DataFrame(rows).to_parquet(tmp_path / "in" / f"part-{number}.parquet")
    out = tmp_path / "out"
    result = CliRunner().invoke(
        cli, ["extract", str(tmp_path / "in"), "-o", str(out), "--engine", "dask", "-w", "1", "-q"]
    )
    assert result.exit_code == 0, result.output
    import pyarrow.dataset as ds

    documents = ds.dataset(out / "documents", format="parquet").to_table().to_pandas()
    assert documents["doc_id"].tolist() == [record["id"] for record in records]
    assert ds.dataset(out / "mentions", format="parquet").count_rows() == len(pd.read_parquet(out / "mentions"))


def interrupted(out: Path, bag, finished: list[int]) -> None:
    # the staging of a run that finished these partitions and then died
    pipeline = entities.Pipeline()
    Partitions(out, cluster.staging_key(None, bag.npartitions, pipeline.options), bag.npartitions)
    for number in finished:
        items = bag.to_delayed()[number].compute()
        cluster.run_partition(
            items, str(out), number, type(pipeline), pipeline.options, entities.io.reader.Reading(), False
        )
        for path in (out / ".entities-run").glob(f"*/part-{number:05d}.parquet"):
            os.utime(path, (1, 1))  # a mark: a part written again would have a new time


def test_resume_skips_the_partitions_that_finished(tmp_path, client):
    bag = db.from_sequence(list(entities.read_texts(INPUTS)), npartitions=3)
    interrupted(tmp_path, bag, [0, 2])
    merged = cluster.extract(bag, tmp_path, client, resume=True)
    assert [(tmp_path / "tokens" / f"part-0000{_}.parquet").stat().st_mtime == 1 for _ in range(3)] == [
        True,
        False,
        True,
    ]
    fresh = cluster.extract(bag, tmp_path / "fresh", client)
    for name in KEYS:
        pd.testing.assert_frame_equal(pd.read_parquet(merged.paths[name]), pd.read_parquet(fresh.paths[name]), obj=name)
    assert not (tmp_path / ".entities-run").exists()


def test_resume_refuses_other_partitions(tmp_path, client):
    texts = list(entities.read_texts(INPUTS))
    interrupted(tmp_path, db.from_sequence(texts, npartitions=3), [0])
    with pytest.raises(entities.EntitiesError, match="interrupted run of other inputs or options"):
        cluster.extract(db.from_sequence(texts, npartitions=2), tmp_path, client, resume=True)


def test_a_failed_run_leaves_no_tables(tmp_path, bad_corpus):
    done = subprocess.run([ENTITIES, "extract", *bad_corpus, "-o", str(tmp_path), "--engine", "dask", "-w", "1",
                           "--strict"], capture_output=True, text=True, timeout=120)  # fmt: skip
    assert done.returncode == 5
    assert done.stderr.startswith("entities: error: ") and len(done.stderr.splitlines()) == 1, done.stderr
    assert not any((tmp_path / name).exists() for name in KEYS)


def test_empty_and_odd_inputs(tmp_path):
    (tmp_path / "empty").mkdir()
    done = subprocess.run([ENTITIES, "extract", str(tmp_path / "empty"), "-o", str(tmp_path / "out"),
                           "--engine", "dask", "-w", "1", "-q"],
                          capture_output=True, text=True, timeout=120)  # fmt: skip
    assert done.returncode == 2, done.stderr  # no document: OUT is left as it was, here not even made
    assert done.stderr == f"entities: error: no document to read in {tmp_path / 'empty'} (see --help for the " \
                          f"inputs read); {tmp_path / 'out'} is left as it was\n"  # fmt: skip
    assert not (tmp_path / "out").exists()
    (tmp_path / "none.jsonl").write_text("\n", encoding="utf-8")  # a file, but no document in it
    done = subprocess.run([ENTITIES, "extract", str(tmp_path / "none.jsonl"), "-o", str(tmp_path / "out"),
                           "--engine", "dask", "-w", "1", "-q"],
                          capture_output=True, text=True, timeout=120)  # fmt: skip
    assert done.returncode == 2, done.stderr
    assert done.stderr.startswith("entities: error: no document to read in the inputs")
    assert "Traceback" not in done.stderr and not (tmp_path / "out").exists()
    # a Parquet dataset with gaps in its ids, a duplicate, a timestamp column; then a folder, in that order
    frame = pd.DataFrame({"id": [1, None, 3, 3], "text": ["Москва", "Казань", "Омск", "Томск"],
                          "date": pd.to_datetime(["2024-01-01"] * 4)})  # fmt: skip
    frame.to_parquet(tmp_path / "rows.parquet")
    (tmp_path / "texts").mkdir()
    (tmp_path / "texts" / "a.txt").write_text("Тверь", encoding="utf-8")
    os.mkfifo(tmp_path / "texts" / "pipe.txt")  # would block a reader
    out = tmp_path / "out2"
    done = subprocess.run([ENTITIES, "extract", str(tmp_path / "rows.parquet"), str(tmp_path / "texts"),
                           "-o", str(out), "--engine", "dask", "-w", "1", "-q"],
                          capture_output=True, text=True, timeout=120)  # fmt: skip
    assert done.returncode == 5, done.stderr
    documents = pd.read_parquet(out / "documents")
    assert documents["doc_id"].tolist() == ["1", "part-00000:2", "3", "a.txt"]
    assert documents["source"].tolist()[:3] == [str(tmp_path / "rows.parquet")] * 3
    assert documents["date"].tolist()[:3] == [pd.Timestamp("2024-01-01")] * 3  # the column dates them: a day
    assert pd.isna(documents["date"].tolist()[3])
    errors = pd.read_parquet(out / "errors")
    assert errors[["doc_id", "error"]].values.tolist() == [
        ["3", f"duplicate doc_id (first in {tmp_path / 'rows.parquet'})"], ["pipe.txt", "not a regular file"],
    ]  # fmt: skip


@pytest.mark.parametrize("args, message", [
    (["--engine", "dask", "--format", "csv"], "--engine dask writes Parquet datasets; --format csv"),
    (["--scheduler", "tcp://127.0.0.1:9"], "--scheduler needs --engine dask"),
    (["--engine", "dask", "--scheduler", "tcp://127.0.0.1:9"], "can not reach the Dask scheduler at tcp://127.0.0.1:9"),
])  # fmt: skip
def test_errors_are_one_line(tmp_path, args, message):
    done = subprocess.run([ENTITIES, "extract", str(CORPORA / "wire.jsonl"), "-o", str(tmp_path), *args],
                          capture_output=True, text=True, timeout=120)  # fmt: skip
    assert done.returncode == 2
    assert done.stderr.startswith("entities: error: ") and len(done.stderr.splitlines()) == 1, done.stderr
    assert message in done.stderr


def test_standard_input_is_refused(tmp_path):
    result = CliRunner().invoke(cli, ["extract", "-", "-o", str(tmp_path), "--engine", "dask"], input="Москва")
    assert result.exit_code == 2
    assert "standard input can not be read with --engine dask" in result.output


def worker_state() -> dict:
    from threadpoolctl import threadpool_info

    from entities.run import cluster as module

    return {"loaded": module._pipeline is not None, "threads": {_["num_threads"] for _ in threadpool_info()}}


def test_each_worker_loads_the_models_once_with_one_blas_thread(tmp_path, client):
    cluster.extract(db.from_sequence(["Москва"], npartitions=1), tmp_path, client)
    states = client.run(worker_state)
    assert len(states) == 2
    assert all(state == {"loaded": True, "threads": {1}} for state in states.values()), states


@pytest.fixture(scope="module")
def many(tmp_path_factory):
    """The bundled articles 12 times over: about 40 partitions of 10,000 bytes."""
    root = tmp_path_factory.mktemp("many")
    for number in range(12):
        shutil.copytree(CORPORA / "news", root / f"{number:02d}")
    return root


@pytest.fixture(scope="module")
def many_local(tmp_path_factory, many):
    out = tmp_path_factory.mktemp("many-local")
    done = subprocess.run([ENTITIES, "extract", str(many), "-o", str(out), "-f", "parquet", "-q", "-w", "1"])
    assert done.returncode == 0
    return out


def finished_partitions(out: Path) -> int:
    return len(list((out / ".entities-run" / "errors").glob("part-*.parquet")))


def wait_for(out: Path, partitions: int, process) -> None:
    deadline = time.monotonic() + 120
    while finished_partitions(out) < partitions and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert process.poll() is None, f"the run ended first: {process.communicate()}"


def test_ctrl_c_on_a_local_cluster_is_one_line_and_resume_needs_not_the_same_workers(tmp_path, many, many_local):
    out = tmp_path / "out"
    args = [ENTITIES, "extract", str(many), "-o", str(out), "--engine", "dask", "--chunk-chars", "10000", "-q"]
    process = subprocess.Popen([*args, "-w", "2"], stderr=subprocess.PIPE, text=True, start_new_session=True)
    try:
        wait_for(out, 3, process)
        os.killpg(process.pid, signal.SIGINT)  # Ctrl-C: the whole process group, the cluster's workers too
        stderr = process.communicate(timeout=30)[1]
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
    assert process.returncode == 130
    assert re.fullmatch(r"entities: error: interrupted; \d+ of \d+ partitions are saved in .*: "
                        r"add --resume to continue\n", stderr), stderr  # fmt: skip
    resumed = subprocess.run([*args, "-w", "1", "--resume"], capture_output=True, text=True, timeout=300)
    assert resumed.returncode == 0, resumed.stderr
    assert_same_tables(out, many_local)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def dask_cluster(port: int):
    """A scheduler and a worker, each a process of its own, as `dask scheduler` and `dask worker` start them."""
    dask = str(Path(sys.executable).with_name("dask"))
    address = f"tcp://127.0.0.1:{port}"
    scheduler = subprocess.Popen([dask, "scheduler", "--host", "127.0.0.1", "--port", str(port),
                                  "--dashboard-address", ":0"],
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                 start_new_session=True)  # fmt: skip
    worker = subprocess.Popen([dask, "worker", address, "--nthreads", "1", "--dashboard-address", ":0"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)  # fmt: skip
    try:
        with Client(address, timeout="30s") as client:
            client.wait_for_workers(1, timeout=60)
        yield scheduler
    finally:
        for process in (worker, scheduler):
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def test_a_lost_scheduler_is_one_line_and_resume_finishes_on_a_new_one(tmp_path, many, many_local):
    port, out = free_port(), tmp_path / "out"
    args = [ENTITIES, "extract", str(many), "-o", str(out), "--engine", "dask", "--scheduler", f"tcp://127.0.0.1:{port}",
            "--chunk-chars", "10000", "-q"]  # fmt: skip
    with dask_cluster(port) as scheduler:
        process = subprocess.Popen(args, stderr=subprocess.PIPE, text=True)
        try:
            wait_for(out, 3, process)
            scheduler.kill()
            stderr = process.communicate(timeout=60)[1]
        finally:
            if process.poll() is None:
                process.kill()
    assert process.returncode == 1
    assert re.fullmatch(r"entities: error: lost the Dask scheduler \(\w+\); \d+ of \d+ partitions are saved in .*: "
                        r"add --resume to continue\n", stderr), stderr  # fmt: skip
    saved = finished_partitions(out)
    with dask_cluster(port):
        resumed = subprocess.run([*args, "--resume"], capture_output=True, text=True, timeout=300)
    assert resumed.returncode == 0, resumed.stderr
    assert saved >= 3 and not (out / ".entities-run").exists()
    assert_same_tables(out, many_local)
