"""Reading an output folder: one run's tables while runs publish into it, nothing followed outside it,
a damaged folder told in one line (`entities.read_tables` and `entities graph`), and a run out of file
descriptors told in one line and resumed."""

import json
import logging
import resource
import shlex
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

import entities
from conftest import CORPORA
from entities.errors import TableError
from entities.run.folder import Lock
from entities.run.staging import RUN
from test_graph import one_line_error

ENTITIES = Path(sys.executable).parent / "entities"
FORMATS = ["csv", "parquet"]


def run(*args, **options):
    return subprocess.run([str(ENTITIES), *map(str, args)], capture_output=True, text=True, **options)


def counts(tables):
    return {name: len(table) for name, table in tables.items()}


# --- a run publishing while a notebook reads -----------------------------------------------------------


@pytest.fixture(scope="module")
def corpora(tmp_path_factory):
    """Two corpora whose tables differ in size: the bundled articles, and three short generated texts."""
    small = tmp_path_factory.mktemp("small")
    for number, (city, person) in enumerate([("Казани", "Ивана Петрова"), ("Самаре", "Олега Смирнова"),
                                             ("Туле", "Анну Козлову")]):  # fmt: skip
        text = f"В {city} губернатор наградил {person}. Мэр {city} поблагодарил его."
        (small / f"small-{number}.txt").write_text(text, encoding="utf-8")
    return [CORPORA / "news", small]


@pytest.mark.parametrize("fmt", FORMATS)
def test_reads_while_runs_publish_are_each_one_run_s_tables(corpora, tmp_path, caplog, fmt):
    out = tmp_path / "out"
    expected = []
    for corpus in corpora:  # each corpus's tables, for the reads to be compared with
        assert run("extract", corpus, "--out", out, "--format", fmt, "-w", "1", "-q").returncode == 0
        expected.append(counts(entities.read_tables(out)))
    assert expected[0]["documents"] != expected[1]["documents"]
    runs = " && ".join(shlex.join(map(str, [ENTITIES, "extract", corpora[number % 2], "--out", out, "--format", fmt,
                                            "-w", "1", "-q"])) for number in range(6))  # fmt: skip
    writer = subprocess.Popen(["sh", "-c", runs], stderr=subprocess.PIPE, text=True)  # a notebook's neighbour
    reads, mixed = 0, []
    caplog.set_level(logging.INFO, logger="entities")
    try:
        deadline = time.monotonic() + 120  # a bound, should the writer hang: not what the test measures
        while writer.poll() is None and reads < 5000 and time.monotonic() < deadline:
            tables = entities.read_tables(out)
            reads += 1
            found = counts(tables)
            documents = set(tables["documents"]["doc_id"])
            if found not in expected or not set(tables["mentions"]["doc_id"]) <= documents:
                mixed.append(found)
    finally:
        writer.kill()
        _, errors = writer.communicate()
    assert writer.returncode == 0, errors
    assert mixed == [], f"{len(mixed)} of {reads} reads mixed two runs' tables"
    assert [record.message for record in caplog.records if record.levelno >= logging.WARNING] == []


def test_a_run_in_progress_is_told_apart_from_one_that_stopped(corpora, tmp_path, caplog):
    out = tmp_path / "out"
    assert run("extract", corpora[1], "--out", out, "-w", "1", "-q").returncode == 0
    (out / RUN).mkdir()  # a later run's chunks
    caplog.set_level(logging.INFO, logger="entities")
    with Lock(out):  # the later run still holds OUT
        entities.read_tables(out)
    assert [(record.levelname, "a run is in progress" in record.message) for record in caplog.records] == [
        ("INFO", True)
    ]
    gone = subprocess.Popen(["true"])
    gone.wait()
    for lock in ("", json.dumps({"pid": gone.pid, "host": socket.gethostname(), "since": "2026-12-03 12:00:01"})):
        if lock:  # what a run killed with SIGKILL leaves: its lock file, naming a process that is gone
            (out / ".entities-lock").write_text(lock, encoding="utf-8")
        caplog.clear()
        entities.read_tables(out)  # it stopped
        assert [(record.levelname, "a later run did not finish" in record.message) for record in caplog.records] == [
            ("WARNING", True)
        ]


# --- what a manifest may point at, and a damaged folder ------------------------------------------------


@pytest.fixture(scope="module")
def finished(tmp_path_factory):
    """The bundled articles extracted once per format: {'csv': OUT, 'parquet': OUT}."""
    folders = {}
    for fmt in FORMATS:
        folders[fmt] = tmp_path_factory.mktemp(f"finished-{fmt}")
        assert run("extract", CORPORA / "news", "--out", folders[fmt], "--format", fmt, "-q").returncode == 0
    return folders


def listing(out, name, file):
    """The manifest of OUT with the table `name` listed as `file`."""
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    manifest["tables"][name] = str(file)
    (out / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")


def pointing_out(out, file):
    """documents listed as `file`, a CSV outside OUT of other rows (a documents table of one row)."""
    pd.DataFrame({"doc_id": ["outside"], "source": ["x"], "n_chars": [1], "n_sentences": [1], "n_tokens": [1]}).to_csv(
        out.parent / "outside.csv", index=False
    )
    listing(out, "documents", file)


def linked(out, fmt):
    """documents.FMT a symbolic link to a table outside OUT."""
    (out / f"documents.{fmt}").rename(out.parent / f"outside.{fmt}")
    (out / f"documents.{fmt}").symlink_to(out.parent / f"outside.{fmt}")


def linked_part(out, fmt):
    """documents a Parquet dataset (as --engine dask writes) whose part is a link to a file outside OUT."""
    (out / "documents").mkdir()
    (out / f"documents.{fmt}").rename(out.parent / "outside.parquet")
    (out / "documents" / "part-00000.parquet").symlink_to(out.parent / "outside.parquet")
    listing(out, "documents", "documents")


def cut(path, keep=0.5):
    data = path.read_bytes()
    path.write_bytes(data[: int(len(data) * keep)])


def cut_in_a_row(path):
    # a CSV row cut in its first column: its numbers are missing, so it can not be read ('a,0,3,8,мост' -> 'a,')
    data = path.read_bytes()
    path.write_bytes(data[: data.rfind(b"\n", 0, len(data) // 2) + 3])


def manifest_edit(**fields):
    def edit(out, fmt):
        manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
        (out / "manifest.json").write_text(json.dumps({**manifest, **fields}), encoding="utf-8")

    return edit


def cut_at_a_line(out, fmt):
    """tokens.csv without its last line: it reads, short of the manifest's count."""
    lines = (out / "tokens.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    (out / "tokens.csv").write_text("".join(lines[:-1]), encoding="utf-8")


UNTRUSTED = {
    "an absolute path": (lambda out, fmt: pointing_out(out, out.parent / "outside.csv"), "table documents is '/"),
    "a path up": (lambda out, fmt: pointing_out(out, "../outside.csv"), "table documents is '../outside.csv'"),
    "/etc/passwd": (lambda out, fmt: listing(out, "documents", "/etc/passwd"), "table documents is '/etc/passwd'"),
    "an unknown table": (lambda out, fmt: listing(out, "passwd", "passwd.csv"), "unknown table 'passwd'"),
    "a symbolic link out": (linked, "documents.{fmt}: a symbolic link, refused"),
    "a dataset's part linked out": (linked_part, "part-00000.parquet: not a file (a symbolic link?), refused"),
}
DAMAGED = {
    "a table cut short": (
        lambda out, fmt: cut_in_a_row(out / f"tokens.{fmt}"),
        "tokens.{fmt}: can not read the tokens table (",
    ),
    "a CSV cut at a line end": (cut_at_a_line, "/tokens.csv: {rows_less} rows, manifest.json counts {rows}: "),
    "a table missing": (lambda out, fmt: (out / f"entities.{fmt}").unlink(), "entities.{fmt}: not there"),
    "an unknown format": (manifest_edit(format="xlsx"), "manifest.json: unknown format 'xlsx' (expected one of"),
    "damaged columns": (manifest_edit(columns={"documents": {"doc_id": 3}}), 'manifest.json: damaged "columns"'),
    "damaged rows": (manifest_edit(rows=[1, 2]), 'manifest.json: damaged "rows"'),
    "a manifest not JSON": (
        lambda out, fmt: cut(out / "manifest.json"),
        "manifest.json: the manifest is damaged, not valid JSON (",
    ),
    "a manifest not an object": (lambda out, fmt: (out / "manifest.json").write_text("[]"), "not an entities manifest"),
}
CASES = [
    pytest.param(fmt, damage, expected, id=f"{what}-{fmt}")
    for what, (damage, expected) in {**UNTRUSTED, **DAMAGED}.items()
    for fmt in FORMATS
    if not (fmt == "csv" and what == "a dataset's part linked out") and not (fmt != "csv" and "CSV" in what)
]


@pytest.mark.parametrize("fmt, damage, expected", CASES)
def test_an_untrusted_or_damaged_folder_is_one_line(finished, tmp_path, fmt, damage, expected):
    out = tmp_path / "out"
    shutil.copytree(finished[fmt], out)
    rows = len(entities.read_tables(out)["tokens"])
    damage(out, fmt)
    expected = expected.format(fmt=fmt, rows=rows, rows_less=rows - 1)
    with pytest.raises(TableError) as raised:
        entities.read_tables(out)
    assert expected in str(raised.value) and "\n" not in str(raised.value)
    error = one_line_error(run("graph", out, "--to", tmp_path / "g.gexf"), 2)
    assert expected in error
    assert not (tmp_path / "g.gexf").exists()


def test_a_run_into_a_folder_whose_manifest_points_out_moves_nothing_out(finished, tmp_path):
    out = tmp_path / "out"
    shutil.copytree(finished["csv"], out)
    victim = tmp_path / "victim.csv"
    victim.write_text("mine\n", encoding="utf-8")
    listing(out, "documents", "../victim.csv")
    assert run("extract", CORPORA / "news" / "volga-bridge.txt", "--out", out, "-q").returncode == 0
    assert victim.read_text(encoding="utf-8") == "mine\n"
    assert len(entities.read_tables(out)["documents"]) == 1


# --- out of file descriptors ---------------------------------------------------------------------------


def limited(files):
    return lambda: resource.setrlimit(resource.RLIMIT_NOFILE, (files, resource.getrlimit(resource.RLIMIT_NOFILE)[1]))


@pytest.mark.parametrize("workers", ["1", "2"])
def test_too_few_file_descriptors_is_one_line_and_resume_completes(tmp_path, workers):
    inputs = [CORPORA / "news", CORPORA / "wire.jsonl"]
    command = ["extract", *inputs, "--format", "parquet", "--chunk-chars", "3000", "-w", workers, "-q"]
    assert run(*command, "--out", tmp_path / "whole").returncode == 0
    whole = entities.read_tables(tmp_path / "whole")
    failed, resumed = [], []
    for files in range(10, 40):  # up from a limit too low to start, to one a run finishes under
        out = tmp_path / f"limit-{files}"
        result = run(*command, "--out", out, preexec_fn=limited(files))
        if result.returncode == 0:
            break
        error = one_line_error(result, 4)
        assert f"entities: error: too many open files (ulimit -n is {files}; raise it: ulimit -n 4096)" in error
        failed.append(out)
        if "add --resume to continue" in error:  # chunks saved: the same command, with files to spare, ends it
            assert run(*command, "--out", out, "--resume").returncode == 0
            resumed.append(files)
            for name, table in entities.read_tables(out).items():
                pd.testing.assert_frame_equal(table, whole[name], obj=name)
    assert failed, "no limit made the run fail"
    assert resumed or workers != "1", "no limit stopped the run after a chunk"  # one worker: the merge needs the most
