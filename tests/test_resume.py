"""Crash safety: a run killed with SIGKILL in the middle of committing a chunk and continued with
--resume writes the tables an uninterrupted run writes, with no row missing and none twice."""

import glob
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

import entities
import entities.cli as cli_module
from conftest import CORPORA
from entities.cli import cli
from entities.run import engine
from entities.run.staging import JOURNAL, RUN, Staging, part_name
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


def run_killed(args, env):
    """Run the command in a session of its own until the hook of `env` kills it with SIGKILL; its
    workers must die with it. Returns the chunks committed by then."""
    out = Path(args[args.index("--out") + 1])
    process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True, env=env)
    try:
        stderr = process.communicate(timeout=120)[1]
        deadline = time.monotonic() + 5
        while alive(process.pid) and time.monotonic() < deadline:
            time.sleep(0.05)
        left = alive(process.pid)
    finally:
        if alive(process.pid):
            os.killpg(process.pid, signal.SIGKILL)  # workers, should they outlive the test
    assert process.returncode == -signal.SIGKILL, f"the run was not killed ({process.returncode}): {stderr}"
    assert left == [], "workers outlived the killed run"
    return committed(out)


@pytest.mark.parametrize("workers, table, chunk", [
    ("1", "sentences", 1),  # chunk 1's first part renamed into place, its other parts half-written
    ("2", "errors", 3),  # chunk 3's parts all in place (errors is the last), its journal line not written
])  # fmt: skip
def test_resume_after_sigkill_equals_an_uninterrupted_run(corpus, uninterrupted, tmp_path, workers, table, chunk):
    point = f"killed as chunk {chunk}'s {table} part was renamed"
    out = tmp_path / "out"
    at = with_hook(tmp_path, out / RUN / table / part_name(chunk), "SIGKILL")
    assert run_killed(command(corpus, out, "-w", workers), at) == chunk, point  # the chunks before it, committed
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
    assert result.stderr == (
        f"entities: error: interrupted; {journal[-1]['items']} documents are saved in {out / RUN}: "
        "add --resume to continue\n"
    )
    # a torn journal line and a half-written part of the next chunk, as a kill leaves them
    with open(out / RUN / JOURNAL, "a", encoding="utf-8") as file:
        file.write('{"chunk": 3, "ite')
    (out / RUN / "tokens" / "part-00003.parquet.partial").write_bytes(b"PAR1 torn")
    restore()
    # the same inputs in another order: not the run that was interrupted
    other = CliRunner().invoke(cli, ["extract", *map(str, corpus[::-1]), "--out", str(out), "--resume"])
    assert other.exit_code == 2 and "holds an interrupted run of other inputs or options" in other.stderr
    for option in (["--syntax"], ["--date-field", "published"]):  # options that change the rows: not that run
        other = CliRunner().invoke(cli, [*args, "--resume", *option])
        assert other.exit_code == 2 and "holds an interrupted run of other inputs or options" in other.stderr
    result = CliRunner().invoke(cli, [*args, "--resume", "--batch-size", "7"])
    assert result.exit_code == 5, result.output
    for name, expected in uninterrupted.items():
        pd.testing.assert_frame_equal(read(out, name, "parquet"), expected, obj=name)


def test_changed_inputs_are_caught_on_resume(tmp_path, interrupted_after):
    folder = tmp_path / "in"
    folder.mkdir()
    for number in range(6):
        (folder / f"{number}.txt").write_text(
            f"Мэр Москвы Сергей Собянин открыл станцию номер {number}.", encoding="utf-8"
        )
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
    assert cli_module.CHUNK_CHARS == engine.CHUNK_CHARS


def stopped_by(args, signals, chunks=1):
    """Start the command in a process group of its own; once `chunks` chunks are committed, send the
    group `signals` (names), 0.1 s apart. Returns the exit code, stderr, and the seconds it took
    to end after the first signal; fails if it does not end within 20 s or leaves a process."""
    out = Path(args[args.index("--out") + 1])
    process = subprocess.Popen(
        args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, start_new_session=True
    )
    try:
        deadline = time.monotonic() + 60
        while committed(out) < chunks and process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.01)
        assert process.poll() is None, f"the run ended before the signal: {process.stderr.read()}"
        sent = time.monotonic()
        for name in signals:
            os.killpg(process.pid, getattr(signal, name))
            time.sleep(0.1)
        stderr = process.communicate(timeout=20)[1]
        took = time.monotonic() - sent
        deadline = time.monotonic() + 5
        while alive(process.pid) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert alive(process.pid) == [], "workers outlived the run"
    finally:
        if alive(process.pid):
            os.killpg(process.pid, signal.SIGKILL)
    return process.returncode, stderr, took


@pytest.mark.parametrize("signals, code, message", [
    (["SIGINT", "SIGINT"], 130, "interrupted"),  # Ctrl-C pressed twice
    (["SIGTERM"], 143, "stopped by SIGTERM"),
    (["SIGINT", "SIGTERM", "SIGINT", "SIGINT"], 130, "interrupted"),
])  # fmt: skip
def test_any_number_of_signals_end_the_run_at_once_and_resume_finishes_it(corpus, uninterrupted, tmp_path, signals,
                                                                          code, message):  # fmt: skip
    out = tmp_path / "out"
    returncode, stderr, took = stopped_by(command(corpus, out, "-w", "2"), signals)
    assert returncode == code and took < 10, (returncode, took, stderr)
    saved = json.loads((out / RUN / JOURNAL).read_text(encoding="utf-8").splitlines()[-1])["items"]
    # one line: no traceback of the workers, which leave the signal to the parent
    assert (
        stderr == f"entities: error: {message}; {saved} documents are saved in {out / RUN}: add --resume to continue\n"
    )
    result = subprocess.run(command(corpus, out, "-w", "2", "--resume"), capture_output=True, text=True)
    assert result.returncode == 5, result.stderr
    for name, expected in uninterrupted.items():
        pd.testing.assert_frame_equal(read(out, name, "parquet"), expected, obj=name)


KILLED_WHILE_WRITING = """
import multiprocessing, sys, time
from concurrent.futures import ProcessPoolExecutor
from entities.run.workers import stop

def result(number):
    return bytes(50_000_000)  # takes the worker a while to write into the results pipe

if __name__ == "__main__":
    pool = ProcessPoolExecutor(2, mp_context=multiprocessing.get_context("fork"))
    futures = [pool.submit(result, number) for number in range(6)]
    time.sleep(float(sys.argv[1]))
    stop(pool)
"""


@pytest.mark.parametrize("delay", [0.3, 0.5, 0.7])
def test_workers_killed_while_they_write_a_result_do_not_hold_the_process_at_exit(tmp_path, delay):
    # a half-written result in the pipe once held the pool's manager thread, and the process, for ever
    script = tmp_path / "pool.py"
    script.write_text(KILLED_WHILE_WRITING, encoding="utf-8")
    result = subprocess.run([sys.executable, str(script), str(delay)], capture_output=True, text=True, timeout=30)
    assert result.returncode == 0 and result.stderr == "", result.stderr


HOOK = """
import fnmatch, os, signal
_replace = os.replace
def replace(source, target, *args, **kwargs):
    _replace(source, target, *args, **kwargs)
    if fnmatch.fnmatch(os.path.abspath(os.fsdecode(target)), os.environ["HOOK_AT"]):
        os.kill(os.getpid(), getattr(signal, os.environ["HOOK_SIGNAL"]))  # as the file is renamed into place
os.replace = replace
"""


def with_hook(tmp_path, at, signal_name):
    """The environment of a command whose process gets `signal_name` the moment a file `at` (its name
    may be a glob: OUT/sentences.*) is renamed into place (a sitecustomize module wraps os.replace).
    SIGSTOP pauses it there: os.waitpid(pid, os.WUNTRACED) returns once it has stopped."""
    hook = tmp_path / "hook"
    hook.mkdir(exist_ok=True)
    (hook / "sitecustomize.py").write_text(HOOK, encoding="utf-8")
    pattern = os.path.join(glob.escape(str(at.parent.resolve())), at.name)
    return {**os.environ, "PYTHONPATH": str(hook), "HOOK_AT": pattern, "HOOK_SIGNAL": signal_name}


def one_run(tables):
    """The doc_ids of the tables, when they all hold the same documents (one run's tables)."""
    ids = {name: set(tables[name]["doc_id"]) for name in ("documents", "sentences", "tokens", "mentions", "entities")}
    assert ids["sentences"] == ids["tokens"] == ids["documents"], "the tables are of two runs"
    assert ids["mentions"] <= ids["documents"] and ids["entities"] <= ids["documents"], "the tables are of two runs"
    return ids["documents"]


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_a_signal_as_the_tables_are_swapped_in_leaves_one_run_s_tables(tmp_path, fmt):
    out = tmp_path / "out"
    old = subprocess.run([ENTITIES, "extract", str(CORPORA / "wire.jsonl"), "--out", str(out), "-f", fmt, "-q"])
    assert old.returncode == 0
    old_ids = one_run(entities.read_tables(out))
    args = [ENTITIES, "extract", str(CORPORA / "news"), "--out", str(out), "-f", fmt, "-q", "-w", "1"]
    hooked = with_hook(tmp_path, out / "sentences.*", "SIGINT")  # as the new sentences table appears
    result = subprocess.run(args, capture_output=True, text=True, env=hooked)
    # the signal waits for the swap, and then there is nothing left to stop: the new run's tables, whole
    assert result.returncode == 0, result.stderr
    tables = entities.read_tables(out)
    assert one_run(tables) != old_ids and one_run(tables) == set(read(out, "documents", fmt)["doc_id"])
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["rows"] == {name: len(table) for name, table in tables.items()}
    assert sorted(path.name for path in out.iterdir()) == sorted([*manifest["tables"].values(), "manifest.json"])


def test_a_kill_as_the_tables_are_swapped_in_is_told_and_resume_finishes(tmp_path):
    out, fresh = tmp_path / "out", tmp_path / "fresh"
    assert subprocess.run([ENTITIES, "extract", str(CORPORA / "wire.jsonl"), "--out", str(out), "-q"]).returncode == 0
    args = [ENTITIES, "extract", str(CORPORA / "news"), "--out", str(out), "-q", "-w", "1"]
    hooked = with_hook(tmp_path, out / "sentences.*", "SIGKILL")
    killed = subprocess.run(args, capture_output=True, text=True, env=hooked)
    assert killed.returncode == -signal.SIGKILL
    with pytest.raises(entities.EntitiesError, match="holds a run that stopped before it finished"):
        entities.read_tables(out)
    assert subprocess.run([*args, "--resume"]).returncode == 0
    assert subprocess.run([*args[:3], "--out", str(fresh), "-q"]).returncode == 0
    finished, expected = entities.read_tables(out), entities.read_tables(fresh)
    for name, table in expected.items():
        pd.testing.assert_frame_equal(finished[name], table, obj=name)


def test_a_second_run_on_the_same_folder_is_refused_at_once(corpus, uninterrupted, tmp_path):
    out = tmp_path / "out"
    paused = with_hook(tmp_path, out / RUN / "errors" / part_name(0), "SIGSTOP")  # its first chunk staged
    first = subprocess.Popen(command(corpus, out, "-w", "1"), stderr=subprocess.PIPE, text=True, env=paused)
    try:
        stopped = os.waitpid(first.pid, os.WUNTRACED)[1]
        assert os.WIFSTOPPED(stopped), f"the first run ended before its first chunk: {first.stderr.read()}"
        second = subprocess.run(command(corpus, out, "-w", "1"), capture_output=True, text=True, timeout=60)
        resumed = subprocess.run(
            command(corpus, out, "-w", "1", "--resume"), capture_output=True, text=True, timeout=60
        )
    finally:
        first.send_signal(signal.SIGCONT)  # nothing, once it has ended
        first.wait(timeout=120)
    for refused in (second, resumed):
        prefix = f"entities: error: {out} is in use by another entities run (pid {first.pid} on "
        assert refused.returncode == 2 and refused.stderr.startswith(prefix), (refused.returncode, refused.stderr)
        assert len(refused.stderr.splitlines()) == 1
    assert first.returncode == 5, first.stderr.read()  # the binary file
    for name, expected in uninterrupted.items():  # the first run's work is whole
        pd.testing.assert_frame_equal(read(out, name, "parquet"), expected, obj=name)
    assert not (out / ".entities-lock").exists()


def test_a_lock_left_by_a_killed_run_is_broken(tmp_path):
    # the file stays when its holder is killed; the kernel's lock on it does not
    out = tmp_path / "out"
    out.mkdir()
    (out / ".entities-lock").write_text('{"pid": 999999999, "host": "gone", "since": "yesterday"}', encoding="utf-8")
    result = subprocess.run(
        [ENTITIES, "extract", str(CORPORA / "wire.jsonl"), "--out", str(out), "-q"], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
