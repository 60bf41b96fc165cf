"""Crash safety: a run killed with SIGKILL at a random point and continued with --resume writes
the tables an uninterrupted run writes, with no row missing and none twice."""

import json
import os
import random
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

import entities.cli as cli_module
from entities import extraction
from entities.cli import cli
from entities.staging import JOURNAL, RUN, Staging

from conftest import CORPORA
from test_cli import ENTITIES, TABLES, read

COPIES = 30  # the bundled articles 30 times: about 240,000 characters, 4 s for one worker
CHUNK = "30000"  # characters per chunk: about eight chunks


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """A folder of the bundled articles many times over, a binary file among them (an errors row),
    and the bundled JSONL and CSV inputs."""
    root = tmp_path_factory.mktemp("corpus")
    for number in range(COPIES):
        shutil.copytree(CORPORA / "news", root / "news" / f"{number:02d}")
    (root / "news" / "15" / "broken.txt").write_bytes(bytes(range(256)))
    return [root / "news", CORPORA / "wire.jsonl", CORPORA / "digest.csv"]


def command(inputs, out, *options):
    return [ENTITIES, "extract", *map(str, inputs), "--out", str(out), "--format", "parquet", "--chunk-chars", CHUNK,
            "-q", *options]  # fmt: skip


@pytest.fixture(scope="module")
def uninterrupted(corpus, tmp_path_factory):
    out = tmp_path_factory.mktemp("uninterrupted")
    result = subprocess.run(command(corpus, out, "-w", "1", "--chunk-chars", "1000000"), capture_output=True, text=True)
    assert result.returncode == 5, result.stderr  # the binary file
    return {name: read(out, name, "parquet") for name in [*TABLES, "errors"]}


def committed(out):
    try:
        return len((out / RUN / JOURNAL).read_text(encoding="utf-8").splitlines())
    except OSError:
        return 0


def alive(session):
    """Processes of the session that still run (zombies aside), from /proc."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[3]) == session and fields[0] != "Z":
            found.append(int(stat.parent.name))
    return found


def kill_after(args, chunks, delay):
    """Start the command in a session of its own; once `chunks` chunks are committed, wait `delay`
    seconds and SIGKILL it. Its workers must die with it. Returns the chunks committed by then."""
    out = Path(args[args.index("--out") + 1])
    process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
    deadline = time.monotonic() + 60
    while committed(out) < chunks and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)
    time.sleep(delay)
    finished = process.poll() is not None
    try:
        process.kill()
        process.wait()
        deadline = time.monotonic() + 5
        while alive(process.pid) and time.monotonic() < deadline:
            time.sleep(0.05)
        left = alive(process.pid)
    finally:
        if alive(process.pid):
            os.killpg(process.pid, signal.SIGKILL)  # workers, should they outlive the test
    assert not finished, f"the run ended before the kill ({process.returncode}): {process.stderr.read()}"
    assert left == [], "workers outlived the killed run"
    return committed(out)


@pytest.mark.parametrize("workers", ["1", "2"])
def test_resume_after_sigkill_equals_an_uninterrupted_run(corpus, uninterrupted, tmp_path, workers):
    # a random point: after the first to the fourth of about nine chunks, and up to 0.3 s into the next
    chunks, delay = random.randint(1, 4), random.uniform(0, 0.3)
    point = f"killed {delay:.2f} s after chunk {chunks}"
    out = tmp_path / "out"
    assert kill_after(command(corpus, out, "-w", workers), chunks, delay) >= chunks, point
    assert not (out / "documents.parquet").exists()
    result = subprocess.run(command(corpus, out, "-w", workers, "--resume"), capture_output=True, text=True)
    assert result.returncode == 5, result.stderr
    for name, expected in uninterrupted.items():
        pd.testing.assert_frame_equal(read(out, name, "parquet"), expected, obj=f"{name} ({point})")
    assert not (out / RUN).exists()


@pytest.fixture
def interrupted_after(monkeypatch):
    """Ctrl-C right after the n-th chunk is committed."""
    def interrupt(chunks):
        commit = Staging.commit

        def commit_then_interrupt(self, items, last_id):
            commit(self, items, last_id)
            if len(self.chunks) == chunks:
                raise KeyboardInterrupt

        monkeypatch.setattr(Staging, "commit", commit_then_interrupt)
        return lambda: monkeypatch.setattr(Staging, "commit", commit)

    return interrupt


def test_interrupted_run_keeps_its_chunks_and_resumes(corpus, uninterrupted, tmp_path, interrupted_after):
    out = tmp_path / "out"
    args = ["extract", *map(str, corpus), "--out", str(out), "--format", "parquet", "--chunk-chars", CHUNK, "-w", "1"]
    restore = interrupted_after(3)
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 130
    journal = [json.loads(line) for line in (out / RUN / JOURNAL).read_text(encoding="utf-8").splitlines()]
    assert [entry["chunk"] for entry in journal] == [0, 1, 2]
    assert result.stderr == f"entities: error: interrupted; {journal[-1]['items']} documents are saved in {out / RUN}: add --resume to continue\n"
    # a torn journal line and a half-written part of the next chunk, as a kill leaves them
    with open(out / RUN / JOURNAL, "a", encoding="utf-8") as file:
        file.write('{"chunk": 3, "ite')
    (out / RUN / "tokens" / "part-00003.parquet.partial").write_bytes(b"PAR1 torn")
    restore()
    # the same inputs in another order: not the run that was interrupted
    other = CliRunner().invoke(cli, ["extract", *map(str, corpus[::-1]), "--out", str(out), "--resume"])
    assert other.exit_code == 2 and "holds an interrupted run of other inputs or options" in other.stderr
    result = CliRunner().invoke(cli, [*args, "--resume", "--batch-size", "7"])
    assert result.exit_code == 5, result.output
    for name, expected in uninterrupted.items():
        pd.testing.assert_frame_equal(read(out, name, "parquet"), expected, obj=name)


def test_changed_inputs_are_caught_on_resume(tmp_path, interrupted_after):
    folder = tmp_path / "in"
    folder.mkdir()
    for number in range(6):
        (folder / f"{number}.txt").write_text(f"Мэр Москвы Сергей Собянин открыл станцию номер {number}.", encoding="utf-8")
    out = tmp_path / "out"
    args = ["extract", str(folder), "--out", str(out), "--chunk-chars", "100", "--batch-size", "1", "-w", "1"]
    interrupted_after(2)
    assert CliRunner().invoke(cli, args).exit_code == 130
    (folder / "0.txt").unlink()  # the documents before the resume point are not the same any more
    result = CliRunner().invoke(cli, [*args, "--resume"])
    assert result.exit_code == 2 and "the inputs changed since the interrupted run" in result.stderr


def test_resume_with_nothing_to_resume_starts_anew(tmp_path):
    result = CliRunner().invoke(cli, ["extract", str(CORPORA / "wire.jsonl"), "--out", str(tmp_path), "--resume", "-q"])
    assert result.exit_code == 0, result.output
    assert len(read(tmp_path, "documents", "csv")) > 0 and not (tmp_path / RUN).exists()


def test_the_command_and_the_library_share_the_chunk_size():
    assert cli_module.CHUNK_CHARS == extraction.CHUNK_CHARS
