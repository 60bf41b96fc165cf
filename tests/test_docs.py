"""Every code example of README.md and docs/*.md runs, and what it shows is what it prints.

One test per file, its fenced blocks in order, in a working directory of its own: a copy of one
prepared per session (corpora/, notebooks/, output/ from `entities extract` as `make run` runs it,
and factRuEval-2016 -> ../shared/gold/factru when that is there).

- ```python: the blocks of a file share one namespace, like the cells of a notebook. A block with
  `>>>` lines is a doctest (ELLIPSIS, NORMALIZE_WHITESPACE): its shown output must match; any
  other block is executed. A block whose first line is `# needs: factru` runs only when
  FactRuEval is there, with FACTRU, its folder, in the namespace.
- ```sh, ```bash, ```console: each `entities ...` line (or `$ entities ...`, `.venv/bin/entities
  ...`, `... | entities ...`) runs through bash, PATH starting with this environment's bin, and
  must exit 0, or N when a comment says `# exits N`. An output block right under a block whose
  lines all ran (an untagged or ```text fence), or the lines under a console block's `$ ` line,
  must be what it printed. Lines naming factRuEval-2016 need FactRuEval; `--engine dask` lines
  need dask; benchmarks/ scripts and setup lines (make, pip, git, cd...) are not run.
  A page whose FactRuEval examples can not run skips, or fails under ENTITIES_REQUIRE_SHARED=1 (.ci/run).
- ```sql is run by tests/test_duckdb.py; other fences are text.
"""

import doctest
import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
import traceback
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from importlib.util import find_spec
from pathlib import Path

import pytest

from conftest import ROOT, SHARED, shared_absent

ENTITIES = Path(sys.executable).parent / "entities"
FACTRU = SHARED / "gold" / "factru"
FACTRU_LINK = "factRuEval-2016"  # the name the docs give the corpus's folder
NEEDS_FACTRU = "# needs: factru"
FLAGS = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE
PYTHON = {"python", "py", "python3", "pycon"}
SHELL = {"sh", "bash", "console", "shell", "shell-session"}
OUTPUT = {"", "text"}  # fences that may show the output of the shell block above them
NOT_RUN = ("make ", "pip ", "git ", "source ", "cd ", "python benchmarks", ".venv/bin/pip", "mkdocs")
MAKE_RUN = "entities extract corpora corpora/*.jsonl corpora/*.csv --out output"  # what `make run` runs
TIMEOUT = 300  # seconds for one command or one python block: a hung example fails, not the suite

FENCE = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})\s*\{?\s*\.?(?P<lang>[\w+-]*)")
COMMAND = re.compile(r"^(?:\$\s+)?(?:\.venv/bin/)?entities(?:\s|$)")
PIPED = re.compile(r"\|\s*(?:\.venv/bin/)?entities\s")
EXITS = re.compile(r"#\s*exits\s+(\d+)\b")


def pages():
    return [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]


@dataclass
class Block:
    lang: str
    line: int  # of the opening fence, counting from 1
    text: str  # dedented by the fence's indentation

    @property
    def first(self):  # the line of the block's first line of code
        return self.line + 1


def blocks(path):
    """The fenced blocks of a Markdown file, in order."""
    lines = path.read_text(encoding="utf-8").splitlines()
    found, i = [], 0
    while i < len(lines):
        opening = FENCE.match(lines[i])
        if not opening:
            i += 1
            continue
        indent, fence = len(opening["indent"]), opening["fence"]
        body, j = [], i + 1
        while j < len(lines):
            stripped = lines[j].strip()
            if stripped.startswith(fence[0] * len(fence)) and not stripped.strip(fence[0]):
                break
            body.append(lines[j][indent:] if lines[j][:indent].strip() == "" else lines[j].lstrip())
            j += 1
        found.append(Block(opening["lang"].lower(), i + 1, "\n".join(body) + "\n"))
        i = j + 1
    return found


def between(path, before, after):
    """Only blank lines between the end of block `before` and the fence of block `after`."""
    lines = path.read_text(encoding="utf-8").splitlines()
    end = before.line + before.text.count("\n")  # the closing fence's index, counting from 0
    return all(not line.strip() for line in lines[end + 1 : after.line - 1])


@pytest.fixture(scope="session")
def prepared(tmp_path_factory, request):
    """corpora/, notebooks/, output/ from the `make run` command, and factRuEval-2016 if there."""
    base = tmp_path_factory.mktemp("docs") / "work"
    base.mkdir()
    for folder in ("corpora", "notebooks"):
        shutil.copytree(ROOT / folder, base / folder)
    result = run_bash(MAKE_RUN, base)
    assert result is not None and result.returncode == 0, result and result.stderr
    if FACTRU.is_dir():
        (base / FACTRU_LINK).symlink_to(FACTRU, target_is_directory=True)
    # The selected pages' `entities evaluate` lines (a FactRuEval set scored: seconds each) start now,
    # one at a time, in the background: the tests take their results when they come to them.
    here = Path(__file__)
    chosen = {item.callspec.params["path"] for item in request.session.items if item.path == here}
    selected = [path for path in pages() if path in chosen and path.exists()]
    with ThreadPoolExecutor(max_workers=1) as background:
        for path in selected:
            for block in blocks(path):
                for command in commands(block) if block.lang in SHELL else []:
                    if not why_not_run(command) and pure(command.code) and command.code not in SCORED:
                        SCORED[command.code] = background.submit(run_bash, command.code, base)
        yield base
        background.shutdown(cancel_futures=True)
    SCORED.clear()


@pytest.fixture
def workdir(prepared, tmp_path, monkeypatch):
    """A fresh copy of the prepared folder for one file's examples, the current directory."""
    work = tmp_path / "work"
    shutil.copytree(prepared, work, symlinks=True)
    monkeypatch.chdir(work)
    monkeypatch.setenv("MPLBACKEND", "Agg")
    return work


class Timeout(Exception):
    pass


def alarm(signum, frame):
    raise Timeout(f"still running after {TIMEOUT} s")


class Doctest(doctest.DocTestRunner):
    """Collects each failed example: its line, its source, and the difference or the error."""

    def __init__(self, **options):
        super().__init__(**options)
        self.failed = []

    def where(self, test, example):
        return f"line {test.lineno + example.lineno + 1}: >>> {example.source.strip()}"

    def report_failure(self, out, test, example, got):
        difference = self._checker.output_difference(example, got, self.optionflags).rstrip()
        self.failed.append(f"{self.where(test, example)}\n{difference}")

    def report_unexpected_exception(self, out, test, example, exc_info):
        error = "".join(traceback.format_exception_only(*exc_info[:2])).strip()
        self.failed.append(f"{self.where(test, example)}\nraised {error}")


def run_python(path, block, namespace):
    """None, or what went wrong."""
    code = block.text
    source = "\n" * block.line + code  # line numbers in tracebacks are the file's
    timed = hasattr(signal, "SIGALRM")  # not on Windows: there a hung example hangs
    if timed:
        previous = signal.signal(signal.SIGALRM, alarm)
        signal.alarm(TIMEOUT)
    try:
        if re.search(r"^\s*>>>", code, re.M):
            test = doctest.DocTestParser().get_doctest(code, {}, f"{path.name}:{block.line}", str(path), block.line)
            test.globs = namespace  # DocTest copies the globals it is given: the file's blocks share them
            runner = Doctest(optionflags=FLAGS)
            runner.run(test, out=lambda _: None, clear_globs=False)
            return "\n".join(runner.failed) or None
        exec(compile(source, str(path), "exec"), namespace)
    except Exception as error:  # noqa: BLE001 - any error of an example is its failure
        lines = [frame.lineno for frame in traceback.extract_tb(error.__traceback__) if frame.filename == str(path)]
        where = f" (line {lines[-1]})" if lines else ""
        detail = "".join(traceback.format_exception_only(type(error), error)).strip()
        return f"{where.strip()} {detail}".strip()
    finally:
        if timed:
            signal.alarm(0)
            signal.signal(signal.SIGALRM, previous)
    return None


def comment_of(line):
    """(code, comment) of a shell line: the comment starts at a # outside quotes after a space."""
    quote = None
    for i, char in enumerate(line):
        if quote:
            if char == quote:
                quote = None
        elif char in "'\"":
            quote = char
        elif char == "#" and (i == 0 or line[i - 1].isspace()):
            return line[:i].rstrip(), line[i:]
    return line.rstrip(), ""


def complete(command):
    try:
        shlex.split(command)
    except ValueError:  # an open quote: the string goes on on the next line
        return False
    return True


@dataclass
class Command:
    line: int
    text: str  # as written, continuation lines joined
    code: str  # without its comment and a leading `$ `
    comment: str
    output: list  # the lines a console block shows under it


def commands(block):
    """The logical lines of a shell block: continuations (\\) and open quotes joined."""
    lines = block.text.splitlines()
    console = block.lang in {"console", "shell-session"}
    found, i = [], 0
    while i < len(lines):
        start, line = i, lines[i]
        if console and not line.startswith("$"):  # output of the command above (or prose)
            if found:
                found[-1].output.append(line)
            i += 1
            continue
        while (line.rstrip().endswith("\\") or not complete(comment_of(line)[0])) and i + 1 < len(lines):
            i += 1
            line = (line.rstrip()[:-1] + " " if line.rstrip().endswith("\\") else line + "\n") + lines[i].strip()
        i += 1
        code, comment = comment_of(line.strip())
        if code.startswith("$"):
            code = code[1:].strip()
        if code:
            found.append(Command(block.first + start, line.strip(), code, comment, []))
    return found


def why_not_run(command):
    """None for a command to run; else why it is not run (skip: a needed thing is missing)."""
    code = command.code
    if code.startswith(NOT_RUN) or "benchmarks/" in code:
        return "not run", "setup or benchmark"
    if not (COMMAND.match(code) or PIPED.search(code)):
        return "not run", "not an entities command"
    if FACTRU_LINK in code and not FACTRU.is_dir():
        return "skip", f"needs FactRuEval ({FACTRU} is absent)"
    if "--engine dask" in code and (find_spec("dask") is None or find_spec("distributed") is None):
        return "skip", "needs dask"
    return None


def not_run(command):
    return (why_not_run(command) or ("",))[0] == "not run"


SCORED = {}  # code -> Future: an `entities evaluate` line without --out writes nothing, and runs once


def pure(code):
    return re.match(r"(?:\.venv/bin/)?entities evaluate\s", code) and not re.search(r"\s(-o|--out)(\s|=)", code)


def shell(code, cwd):
    if pure(code) and code in SCORED:
        return SCORED[code].result()
    return run_bash(code, cwd)


def run_bash(code, cwd):
    code = re.sub(r"^(?:\.venv/bin/)?entities(?=\s|$)", shlex.quote(str(ENTITIES)), code)
    env = {**os.environ, "PATH": f"{ENTITIES.parent}{os.pathsep}{os.environ['PATH']}", "COLUMNS": "80"}
    env.pop("FORCE_COLOR", None)
    try:
        return subprocess.run(
            code, shell=True, executable="/bin/bash", cwd=cwd, env=env, capture_output=True, text=True, timeout=TIMEOUT
        )
    except subprocess.TimeoutExpired:
        return None


def matches(shown, printed):
    return doctest.OutputChecker().check_output(shown.strip() + "\n", printed.strip() + "\n", FLAGS)


def difference(shown, printed):
    example = doctest.Example("command", shown.strip() + "\n")
    return doctest.OutputChecker().output_difference(example, printed.strip() + "\n", FLAGS).strip()


def run_shell(path, block, following, cwd):
    """(failures, skips, commands run) of a shell block; `following`: an output block right under it, or None."""
    failures, skips, printed, all_ran = [], [], [], True
    for command in commands(block):
        reason = why_not_run(command)
        if reason:
            all_ran = False
            if reason[0] == "skip":
                skips.append(f"{name(path)}:{command.line} {reason[1]}: {command.text}")
            continue
        exits = EXITS.search(command.comment)
        expected = int(exits.group(1)) if exits else 0
        result = shell(command.code, cwd)
        where = f"{name(path)}:{command.line} (sh block at line {block.line}) `{command.text}`"
        if result is None:
            failures.append(f"{where}: still running after {TIMEOUT} s")
            continue
        printed.append(result.stdout)
        if result.returncode != expected:
            said = (result.stderr or result.stdout).strip()[-1500:]
            failures.append(f"{where}: exit code {result.returncode}, not {expected}:\n{said}")
        elif command.output and not matches("\n".join(command.output), result.stdout):
            failures.append(
                f"{where}: the output shown under it is not what it prints:\n"
                + difference("\n".join(command.output), result.stdout)
            )
    if following is not None and all_ran and printed and not failures and not matches(following.text, "".join(printed)):
        failures.append(
            f"{name(path)}:{following.line} (output block under the sh block at line {block.line}) "
            f"is not what the commands print:\n" + difference(following.text, "".join(printed))
        )
    return failures, skips, len(printed)


def name(path):
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)


def check(path, workdir):
    """(failures, skips, blocks run) of one file's examples, run in order in workdir."""
    namespace = {"__name__": "__main__"}
    if FACTRU.is_dir():
        namespace["FACTRU"] = FACTRU
    found = blocks(path)
    failures, skips, ran = [], [], 0
    for i, block in enumerate(found):
        if block.lang in PYTHON:
            if block.text.lstrip().startswith(NEEDS_FACTRU) and not FACTRU.is_dir():
                skips.append(f"{name(path)}:{block.line} needs FactRuEval ({FACTRU} is absent)")
                continue
            error = run_python(path, block, namespace)
            ran += 1
            if error:
                failures.append(f"{name(path)}:{block.line} (python block): {error}")
        elif block.lang in SHELL:
            after = found[i + 1] if i + 1 < len(found) else None
            following = after if after and after.lang in OUTPUT and between(path, block, after) else None
            block_failures, block_skips, commands_run = run_shell(path, block, following, workdir)
            failures += block_failures
            skips += block_skips
            ran += commands_run > 0
    return failures, skips, ran


def needs_factru(path):
    """The page has an example that needs FactRuEval (see why_not_run and check)."""
    return path.exists() and any(
        (block.lang in PYTHON and block.text.lstrip().startswith(NEEDS_FACTRU))
        or (block.lang in SHELL and any(FACTRU_LINK in _.code and not not_run(_) for _ in commands(block)))
        for block in blocks(path)
    )


@pytest.mark.parametrize("path", [
    pytest.param(path, id=name(path), marks=[pytest.mark.shared] if needs_factru(path) else []) for path in pages()
])  # fmt: skip
def test_examples(path, workdir):
    if not path.exists():  # a page removed since collection
        pytest.skip(f"{name(path)} is gone")
    failures, skips, ran = check(path, workdir)
    if failures:
        pytest.fail(f"{len(failures)} failing example(s) in {name(path)}:\n\n" + "\n\n".join(failures), pytrace=False)
    if skips:
        missing = shared_absent if not FACTRU.is_dir() and needs_factru(path) else pytest.skip
        missing(f"{ran} blocks passed; not run: " + "; ".join(skips))
