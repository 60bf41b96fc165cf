"""Nothing lost: every input document ends up in the tables or in the errors table, and the run goes on.

One real run of the command over a folder, a JSONL file and a CSV file full of bad inputs; then
the cases that need a run of their own (a forced encoding, --strict, an output that can not be
written, a full disk, an error inside the pipeline).
"""

import errno
import itertools
import json
import os
import resource
import shutil
import subprocess

import pandas as pd
import pytest
from click.testing import CliRunner

import entities
from conftest import SEED
from entities.cli import cli
from entities.io.writer import TableFile
from entities.pipeline import Pipeline
from entities.text.piece import PIECE_CHARS
from test_cli import ENTITIES, TABLES, read

RUSSIAN = "Губернатор Астраханской области Игорь Бабушкин встретился в Москве с послом Казахстана."
LONG_LINE_WORDS = ["Игорь", "Бабушкин", "приехал", "в", "Астрахань", "а", "Мария", "Захарова", "в", "Москву"]


def long_line(size=100_000):
    """A line of `size` characters with no punctuation at all."""
    words = itertools.cycle(LONG_LINE_WORDS)
    text = " ".join(next(words) for _ in range(size // 3))[:size]
    return text[:-1] + "ы" if text.endswith(" ") else text


FILES = {  # name in the folder -> bytes
    "empty.txt": b"",
    "blank.txt": b"  \n\t\n   \n",
    "binary.txt": bytes(range(256)) * 16,
    "invalid-utf8.txt": "Мэр Москвы Сергей Собянин открыл парк.".encode() + b" \xff\xfe",
    "cp1251.txt": RUSSIAN.encode("cp1251"),
    "koi8.txt": RUSSIAN.encode("koi8-r"),
    "utf16-le.txt": RUSSIAN.encode("utf-16"),  # with its BOM, little-endian here
    "utf16-be.txt": b"\xfe\xff" + RUSSIAN.encode("utf-16-be"),
    "utf8-bom.txt": b"\xef\xbb\xbf" + RUSSIAN.encode(),
    "long-line.txt": long_line().encode(),
    "emoji.txt": "Владимир Путин 🇷🇺 прилетел в Пекин 👍🏽 к Си Цзиньпину 中国 Ελλάδα العربية 𝔘𝔫𝔦𝔠𝔬𝔡𝔢.\n"
    "Официальный представитель МИД Мария Захарова ❤️ выступила в Москве‍🔥, café naïve.".encode(),
    "page.txt": '<html><body><p class="lead">Губернатор <b>Игорь Бабушкин</b> прибыл в '
    '<a href="https://astrakhan.ru/">Астрахань</a>.</p>\n'
    "<p>Встреча&nbsp;прошла в МИД России.</p></body></html>".encode(),
}
DECODED = {"cp1251.txt", "koi8.txt", "utf16-le.txt", "utf16-be.txt", "utf8-bom.txt"}  # all hold RUSSIAN

JSONL = [  # lines of wire.jsonl
    '{"id": "a", "text": "Сергей Лавров прибыл в Анкару.", "rubric": "Мир"}',
    '{"text": ',
    "[1, 2, 3]",
    '{"id": "no-text", "body": "Текст не в том поле."}',
    '{"id": "number", "text": 42}',
    '{"id": "a", "text": "Второй документ с тем же id."}',
    '{"id": "surrogate", "text": "Ломаный \\ud800 текст."}',
    "",
    '{"id": "c", "text": "В Казани открылся стадион."}',
]
JSONL_BAD_BYTES = b'{"id": "bad-bytes", "text": "\xff\xfe"}'  # line 10: not UTF-8, the other lines are
CSV = (
    "id,text,region\n"
    'r1,"Мэр Сочи открыл «Парк науки».",Кубань\n'
    'r2,"Лишнее поле",Кубань,лишнее\n'
    'r3,"Мало полей"\n'
    'r4,"Глава Татарстана посетил Казань.",Татарстан\n'
)

ERRORS = [  # doc_id (FOLDER, WIRE, DIGEST stand for the paths), stage, part of the message
    ("binary.txt", "decode", "binary data, not text (a NUL byte at 0)"),
    ("gone.txt", "read", "can not read (No such file or directory)"),
    ("invalid-utf8.txt", "decode", "not UTF-8 (invalid start byte at byte 71) nor Russian in cp1251 or koi8-r"),
    ("pipe.txt", "read", "not a regular file"),
    ("WIRE:2", "read", "not a JSON object (Expecting value at column 10)"),
    ("WIRE:3", "read", "expected a JSON object, got list"),
    ("no-text", "read", "no 'text' field (fields: id, body); choose one with --text-column"),
    ("number", "read", "'text' must be a string, got int"),
    ("a", "read", "duplicate doc_id (first in WIRE)"),
    ("WIRE:7", "decode", "lone surrogate"),
    ("WIRE:10", "decode", "not UTF-8 (invalid start byte at byte 29 of the line)"),
    ("DIGEST:2", "read", "4 fields where the header has 3"),
    ("DIGEST:3", "read", "2 fields where the header has 3"),
]


def write_bad_inputs(root):
    folder = root / "bad"
    folder.mkdir()
    for name, data in FILES.items():
        (folder / name).write_bytes(data)
    (folder / "gone.txt").symlink_to(folder / "missing-target.txt")  # a file that can not be read, even by root
    os.mkfifo(folder / "pipe.txt")  # reading it would wait for ever
    wire = root / "wire.jsonl"
    wire.write_bytes("\n".join(JSONL).encode() + b"\n" + JSONL_BAD_BYTES + b"\n")
    digest = root / "digest.csv"
    digest.write_text(CSV, encoding="utf-8")
    return folder, wire, digest


@pytest.fixture(scope="module")
def bad_run(tmp_path_factory):
    root = tmp_path_factory.mktemp("bad")
    folder, wire, digest = write_bad_inputs(root)
    out = root / "out"
    result = subprocess.run([ENTITIES, "extract", folder, wire, digest, "--out", out, "--format", "parquet", "-w", "1"],
                            capture_output=True, text=True)  # fmt: skip
    tables = {name: read(out, name, "parquet") for name in [*TABLES, "errors"]}
    return {"FOLDER": str(folder), "WIRE": str(wire), "DIGEST": str(digest)}, out, result, tables


def expand(text, paths):
    for key, path in paths.items():
        text = text.replace(key, path)
    return text


def test_bad_inputs_end_in_the_errors_table_and_the_run_goes_on(bad_run):
    paths, out, result, tables = bad_run
    assert result.returncode == 5, result.stderr
    assert result.stderr == f"entities: {len(ERRORS)} documents failed, listed in {out / 'errors.parquet'}\n"
    errors = tables["errors"]
    expected = [(expand(doc_id, paths), stage) for doc_id, stage, _ in ERRORS]
    assert list(zip(errors["doc_id"], errors["stage"], strict=True)) == expected
    for (_, _, message), error in zip(ERRORS, errors["error"], strict=True):
        assert expand(message, paths) in error
        assert "\n" not in error
    assert not (out / ".entities-run").exists()


def test_every_input_document_is_somewhere(bad_run):
    _paths, _, _, tables = bad_run
    documents, errors = tables["documents"], tables["errors"]
    folder = set(FILES) | {"gone.txt", "pipe.txt"}
    jsonl_lines = len([line for line in JSONL if line]) + 1
    csv_rows = CSV.count("\n") - 1
    assert len(documents) + len(errors) == len(folder) + jsonl_lines + csv_rows
    assert documents["doc_id"].is_unique
    assert folder - set(documents["doc_id"]) == {doc_id for doc_id, _, _ in ERRORS if doc_id.endswith(".txt")}
    assert set(documents["doc_id"]) >= {"a", "c", "r1", "r4"}


def test_empty_and_blank_texts_are_documents_without_sentences(bad_run):
    documents = bad_run[3]["documents"].set_index("doc_id")
    assert documents.loc["empty.txt", ["n_chars", "n_sentences", "n_tokens"]].tolist() == [0, 0, 0]
    assert documents.loc["blank.txt", ["n_chars", "n_sentences", "n_tokens"]].tolist() == [
        len(FILES["blank.txt"]),
        0,
        0,
    ]


def test_encodings_are_detected(bad_run):
    documents, mentions = bad_run[3]["documents"].set_index("doc_id"), bad_run[3]["mentions"]
    for name in DECODED:
        assert documents.loc[name, "n_chars"] == len(RUSSIAN), name  # the BOM is not text
        found = mentions[mentions["doc_id"] == name]
        assert found["text"].tolist() == [
            RUSSIAN[start:stop] for start, stop in zip(found["start"], found["stop"], strict=True)
        ]
        assert {"Астраханская область", "Игорь Бабушкин", "Москва"} <= set(found["normal"]), name


def offsets_hold(tables, doc_id, text):
    sentences, tokens, mentions = (
        tables[name][tables[name]["doc_id"] == doc_id] for name in ("sentences", "tokens", "mentions")
    )
    for frame in (sentences, tokens, mentions):
        assert frame["text"].tolist() == [
            text[start:stop] for start, stop in zip(frame["start"], frame["stop"], strict=True)
        ]
    return sentences, tokens, mentions


def test_a_100000_character_line_without_punctuation(bad_run):
    tables = bad_run[3]
    text = FILES["long-line.txt"].decode()
    assert len(text) == 100_000 and not any(char in text for char in ".,!?;:")
    sentences, tokens, mentions = offsets_hold(tables, "long-line.txt", text)
    assert len(sentences) > 1 and (sentences["stop"] - sentences["start"]).max() <= PIECE_CHARS
    assert sentences["sent_id"].tolist() == list(range(len(sentences)))
    assert tokens["stop"].max() == len(text) and len(tokens) == len(text.split())
    assert {"Игорь Бабушкин", "Мария Захарова"} <= set(mentions["normal"])


def test_emoji_and_mixed_scripts(bad_run, tmp_path):
    tables = bad_run[3]
    text = FILES["emoji.txt"].decode()
    _, tokens, mentions = offsets_hold(tables, "emoji.txt", text)
    assert {"🇷🇺", "中国", "Ελλάδα"} <= set(tokens["text"])
    assert {"Владимир Путин", "Пекин", "Мария Захарова"} <= set(mentions["normal"])  # the emoji trimmed off
    # the same rows through CSV
    result = CliRunner().invoke(
        cli, ["extract", os.path.join(bad_run[0]["FOLDER"], "emoji.txt"), "--out", str(tmp_path), "-q"]
    )
    assert result.exit_code == 0, result.output
    pd.testing.assert_frame_equal(read(tmp_path, "tokens", "csv").drop(columns="doc_id"),
                                  tokens.drop(columns="doc_id").reset_index(drop=True))  # fmt: skip


def test_html_markup_is_text_with_exact_offsets(bad_run):
    tables = bad_run[3]
    text = FILES["page.txt"].decode()
    _, _, mentions = offsets_hold(tables, "page.txt", text)
    assert {"Игорь Бабушкин", "Астрахань"} <= set(mentions["normal"])


def test_forced_encoding(tmp_path):
    path = tmp_path / "koi8.txt"
    path.write_bytes(RUSSIAN.encode("koi8-r"))
    result = CliRunner().invoke(
        cli, ["extract", str(path), "--out", str(tmp_path / "out"), "--encoding", "KOI8-R", "-q"]
    )
    assert result.exit_code == 0, result.output
    assert {"Игорь Бабушкин", "Москва"} <= set(read(tmp_path / "out", "mentions", "csv")["normal"])
    # forced on a file that detection can not read and that is not in it: a decode error, not a wrong text
    path.write_bytes("Café crème brûlée à Paris.".encode("latin-1"))
    result = CliRunner().invoke(
        cli, ["extract", str(path), "--out", str(tmp_path / "utf8"), "--encoding", "utf-8", "-q"]
    )
    assert result.exit_code == 5
    assert read(tmp_path / "utf8", "errors", "csv")["error"].tolist() == [
        "not utf-8 text (invalid continuation byte at byte 3)"
    ]


def test_strict_stops_at_the_first_failed_document(tmp_path):
    wire = tmp_path / "wire.jsonl"
    wire.write_text("\n".join(JSONL), encoding="utf-8")
    out = tmp_path / "out"
    result = subprocess.run(
        [ENTITIES, "extract", wire, "--out", out, "--strict", "-w", "1"], capture_output=True, text=True
    )
    assert result.returncode == 5
    assert result.stderr == (
        f"entities: error: {wire}:2: not a JSON object (Expecting value at column 10) "
        "(--strict stops at the first failed document)\n"
    )
    assert list(out.iterdir()) == []  # no tables, nothing staged


def one_line_error(result, code, *parts):
    # result: CliRunner's, or a subprocess's
    assert getattr(result, "exit_code", getattr(result, "returncode", None)) == code, result.stderr
    assert result.stderr.startswith("entities: error: ") and result.stderr.count("\n") == 1, result.stderr
    assert all(part in result.stderr for part in parts), result.stderr


# root's powers over file permissions (capabilities(7)); without them root is held to the permission bits
# like any user: its mode-0 file is unreadable, its 0o555 folder unwritable
FILE_POWERS = "--bounding-set=-dac_override,-dac_read_search"


@pytest.fixture
def as_user():
    """The start of a command line that runs the command held to the file permissions: as it is for a
    user; for root (CI runs as root) through setpriv, without root's powers over them."""
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("root reads and writes anything, and setpriv (util-linux) is not here to run without that")
    return [setpriv, FILE_POWERS]


def test_output_directory_that_is_not_writable(tmp_path, as_user):
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o555)
    try:
        result = subprocess.run([*as_user, ENTITIES, "extract", SEED, "--out", locked], capture_output=True, text=True)
        one_line_error(result, 4, f"{locked}: the output directory is not writable")
        args = [*as_user, ENTITIES, "extract", SEED, "--out", locked / "sub"]
        result = subprocess.run(args, capture_output=True, text=True)
        one_line_error(result, 4, f"{locked / 'sub'}: can not create the output directory (Permission denied)")
    finally:
        locked.chmod(0o755)
    assert list(locked.iterdir()) == []


def test_output_directory_on_a_filesystem_that_takes_no_files():
    # sysfs refuses new directories, to root too
    if not os.path.isdir("/sys/kernel"):
        pytest.skip("no /sys here")
    result = CliRunner().invoke(cli, ["extract", str(SEED), "--out", "/sys/entities-out"])
    one_line_error(result, 4, "/sys/entities-out: can not create the output directory")
    result = CliRunner().invoke(cli, ["extract", str(SEED), "--out", "/sys"])
    one_line_error(result, 4, "/sys/.entities-lock: can not create the lock file")


def test_unreadable_file(tmp_path, as_user):
    inputs, out = tmp_path / "in", tmp_path / "out"
    inputs.mkdir()
    (inputs / "ok.txt").write_text(RUSSIAN, encoding="utf-8")
    (inputs / "locked.txt").write_text(RUSSIAN, encoding="utf-8")
    (inputs / "locked.txt").chmod(0)
    (inputs / "closed").mkdir()
    (inputs / "closed" / "inside.txt").write_text(RUSSIAN, encoding="utf-8")
    (inputs / "closed").chmod(0)
    try:
        args = [*as_user, ENTITIES, "extract", inputs, "--out", out, "-q"]
        result = subprocess.run(args, capture_output=True, text=True)
    finally:
        (inputs / "closed").chmod(0o755)
    assert (result.returncode, result.stderr) == (5, f"entities: 2 documents failed, listed in {out / 'errors.csv'}\n")
    errors = read(out, "errors", "csv")
    assert errors[["doc_id", "error"]].values.tolist() == [
        ["closed", "can not list the folder (Permission denied)"], ["locked.txt", "can not read (Permission denied)"],
    ]  # fmt: skip
    assert read(out, "documents", "csv")["doc_id"].tolist() == ["ok.txt"]


def corpus_folder(root, copies):
    folder = root / "corpus"
    folder.mkdir()
    for number in range(copies):
        (folder / f"{number:03d}.txt").write_text(RUSSIAN + f" Номер {number}.", encoding="utf-8")
    return folder


def limit_file_size(size):
    def limit():
        resource.setrlimit(resource.RLIMIT_FSIZE, (size, size))

    return limit


def partial_files(out):
    return [path for path in out.rglob("*") if path.name.endswith(".partial")]


def test_full_disk_is_one_line_and_resume_finishes(tmp_path):
    # RLIMIT_FSIZE makes a write past 100 kB fail as a full disk does (EFBIG here, ENOSPC there)
    folder = corpus_folder(tmp_path, 600)
    out = tmp_path / "out"
    args = [ENTITIES, "extract", folder, "--out", out, "-w", "1", "--chunk-chars", "10000", "-q"]
    result = subprocess.run(args, capture_output=True, text=True, preexec_fn=limit_file_size(100_000))
    assert result.returncode == 4, result.stderr
    assert len(result.stderr.splitlines()) == 1 and result.stderr.startswith("entities: error: ")
    assert "can not write (File too large)" in result.stderr and "add --resume to continue" in result.stderr
    assert partial_files(out) == [] and not (out / "tokens.csv").exists()
    assert subprocess.run([*args, "--resume"], capture_output=True, text=True).returncode == 0
    expected = tmp_path / "expected"
    assert CliRunner().invoke(cli, ["extract", str(folder), "--out", str(expected), "-q"]).exit_code == 0
    for name in [*TABLES, "errors"]:
        pd.testing.assert_frame_equal(read(out, name, "csv"), read(expected, name, "csv"))
    assert not (out / ".entities-run").exists()


def test_no_space_left_on_the_device(tmp_path, monkeypatch):
    write = TableFile.write
    calls = []

    def fill_up(self, frame):
        calls.append(self.path)
        if len(calls) > 8:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        write(self, frame)

    monkeypatch.setattr(TableFile, "write", fill_up)
    folder = corpus_folder(tmp_path, 40)
    out = tmp_path / "out"
    result = CliRunner().invoke(
        cli, ["extract", str(folder), "--out", str(out), "--chunk-chars", "1000", "--batch-size", "4"]
    )
    assert result.exit_code == 4
    assert result.stderr.count("\n") == 1 and "can not write (No space left on device)" in result.stderr
    assert partial_files(out) == [] and list(out.glob("*.csv")) == []


BOMB = "💥"


@pytest.fixture
def exploding(monkeypatch):
    """Pipeline.annotate raises on any piece holding BOMB, as a bug would on one document."""
    annotate = Pipeline.annotate

    def explode(self, pieces):
        if any(BOMB in piece.text for piece in pieces):
            raise RuntimeError(f"boom\nin {len(pieces)} pieces")
        return annotate(self, pieces)

    monkeypatch.setattr(Pipeline, "annotate", explode)


def long_document(paragraphs):
    # the bomb in the third piece of a document that has many
    text = "\n\n".join(f"{number}. {RUSSIAN}" for number in range(paragraphs))
    return text[: 2 * PIECE_CHARS + 100] + BOMB + text[2 * PIECE_CHARS + 100 :]


@pytest.mark.parametrize("workers", ["1", "2"])
def test_an_error_in_the_pipeline_loses_only_its_document(tmp_path, exploding, workers):
    texts = {"a.txt": RUSSIAN, "b.txt": f"{BOMB} {RUSSIAN}", "c.txt": "Сергей Лавров прибыл в Анкару.",
             "d.txt": long_document(1200), "e.txt": "Мэр Сочи открыл «Парк науки»."}  # fmt: skip
    folder = tmp_path / "in"
    folder.mkdir()
    for name, text in texts.items():
        (folder / name).write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(
        cli, ["extract", str(folder), "--out", str(out), "-w", workers, "-q", "--format", "parquet"]
    )
    assert result.exit_code == 5, result.output
    errors = read(out, "errors", "parquet")
    assert errors[["doc_id", "stage"]].values.tolist() == [["b.txt", "extract"], ["d.txt", "extract"]]
    assert errors["error"].tolist() == ["RuntimeError: boom in 1 pieces"] * 2  # the batch again, a piece at a time
    kept = ["a.txt", "c.txt", "e.txt"]
    for name in ("documents", "sentences", "tokens", "mentions"):
        assert sorted(set(read(out, name, "parquet")["doc_id"])) == kept, name  # d.txt's first pieces dropped too
    expected = tmp_path / "expected"
    for name in texts.keys() - set(kept):
        (folder / name).unlink()
    assert (
        CliRunner().invoke(cli, ["extract", str(folder), "--out", str(expected), "--format", "parquet"]).exit_code == 0
    )
    for name in [*TABLES]:
        pd.testing.assert_frame_equal(read(out, name, "parquet"), read(expected, name, "parquet"))


def test_exit_code_zero_and_an_empty_errors_table_when_all_is_well(tmp_path):
    result = CliRunner().invoke(cli, ["extract", str(SEED), "--out", str(tmp_path), "-q", "--format", "jsonl"])
    assert result.exit_code == 0 and result.output == ""
    assert (tmp_path / "errors.jsonl").read_text(encoding="utf-8") == ""
    csv_run = CliRunner().invoke(cli, ["extract", str(SEED), "--out", str(tmp_path / "csv"), "-q"])
    assert csv_run.exit_code == 0
    assert (tmp_path / "csv" / "errors.csv").read_text(encoding="utf-8") == "doc_id,source,stage,error\n"


def test_bad_inputs_through_jsonl_output(bad_run, tmp_path):
    # the errors table in another format reads back the same
    paths = bad_run[0]
    result = CliRunner().invoke(cli, ["extract", paths["WIRE"], "--out", str(tmp_path), "--format", "jsonl", "-q"])
    assert result.exit_code == 5
    errors = [json.loads(line) for line in (tmp_path / "errors.jsonl").read_text(encoding="utf-8").splitlines()]
    wire_errors = bad_run[3]["errors"][bad_run[3]["errors"]["source"] == paths["WIRE"]]
    assert errors == wire_errors.to_dict(orient="records")


def test_a_worker_that_dies_is_one_line(tmp_path, monkeypatch):
    annotate = Pipeline.annotate

    def die(self, pieces):
        if any(BOMB in piece.text for piece in pieces):
            os._exit(9)  # as the kernel's OOM killer would end it
        return annotate(self, pieces)

    monkeypatch.setattr(Pipeline, "annotate", die)
    folder = corpus_folder(tmp_path, 3)
    (folder / "bomb.txt").write_text(BOMB, encoding="utf-8")
    result = CliRunner().invoke(cli, ["extract", str(folder), "--out", str(tmp_path / "out"), "-w", "2"])
    one_line_error(result, 1, "a worker process died")
    assert partial_files(tmp_path / "out") == []


# File names whose bytes are not UTF-8, broken CSV quoting, other delimiters, JSON values


@pytest.mark.parametrize("fmt", ["csv", "parquet", "jsonl"])
def test_a_file_name_that_is_not_utf8_is_a_document_like_any_other(tmp_path, fmt):
    # as unpacked from an archive made on Windows: b'bad\xff.txt', and 'Путин.txt' in cp1251
    folder = tmp_path / "in"
    folder.mkdir()
    names = {b"bad\xff.txt": "bad\\xff.txt", "Путин.txt".encode("cp1251"): "\\xcf\\xf3\\xf2\\xe8\\xed.txt"}
    for name in names:
        with open(os.path.join(os.fsencode(folder), name), "wb") as file:
            file.write("Путин в Москве.".encode())
    lone = os.fsdecode(os.path.join(os.fsencode(tmp_path), b"bad\xff.txt"))  # one file given by its name
    with open(lone, "wb") as file:
        file.write("Путин в Москве.".encode())
    out = tmp_path / "out"
    result = subprocess.run([ENTITIES, "extract", str(folder), lone, "--out", str(out), "-f", fmt, "-q"],
                            capture_output=True, text=True)  # fmt: skip
    assert result.returncode == 0, result.stderr
    documents = read(out, "documents", fmt)
    shown = f"{tmp_path}/bad\\xff.txt"
    assert documents["doc_id"].tolist() == [*sorted(names.values()), shown]
    assert documents["source"].tolist() == [f"{folder}/{name}" for name in sorted(names.values())] + [shown]
    assert set(read(out, "mentions", fmt)["normal"]) == {"Москва"}
    again = subprocess.run([ENTITIES, "extract", str(folder), lone, "--out", str(out), "-f", fmt, "-q", "--resume"],
                           capture_output=True, text=True)  # fmt: skip
    assert again.returncode == 0, again.stderr  # run.json holds the names too


def test_an_output_folder_whose_name_is_not_utf8(tmp_path):
    out = os.fsdecode(os.path.join(os.fsencode(tmp_path), b"out\xff"))
    result = subprocess.run(
        [ENTITIES, "extract", str(SEED), "--out", out, "-f", "parquet"], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert f"wrote {tmp_path}/out\\xff/documents.parquet" in result.stdout
    assert len(entities.read_tables(out)["documents"]) == 1


UNCLOSED = (  # id,text rows; row 2 opens a quote it never closes where a field may end
    "id,text\n"
    'a,"Путин прибыл в Москву."\n'
    'b,"Медведев прибыл в Сочи.\n'
    "c,Собянин открыл парк в Москве.\n"
    'd,"Лавров прилетел в Анкару."\n'
    "e,Шойгу прибыл в Казань.\n"
)


@pytest.mark.parametrize("text, failed", [
    (UNCLOSED, {"b": 3}),  # the quote of b closes at d's: b's line is lost, c, d and e are read
    (UNCLOSED + 'f,"Мишустин в Омске.\n', {"b": 3, "f": 7}),  # and one open to the end of the file
    ('id,text\na,"Путин в Москве.\nb,Медведев в Сочи.\nc,Собянин в Казани.\n', {"a": 2}),
])  # fmt: skip
def test_a_csv_quote_left_open_costs_its_row_only(tmp_path, text, failed):
    table = tmp_path / "digest.csv"
    table.write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    result = subprocess.run([ENTITIES, "extract", str(table), "--out", str(out), "-q"], capture_output=True, text=True)
    assert result.returncode == 5, result.stderr
    documents, errors = read(out, "documents", "csv"), read(out, "errors", "csv")
    rows = text.count("\n") - 1
    assert len(documents) + len(errors) == rows  # every row is somewhere
    ids = [line.split(",")[0] for line in text.splitlines()[1:]]
    assert documents["doc_id"].tolist() == [doc_id for doc_id in ids if doc_id not in failed]
    assert errors["doc_id"].tolist() == [f"{table}:{ids.index(doc_id) + 1}" for doc_id in failed]
    for error, line in zip(errors["error"], failed.values(), strict=True):
        assert error.startswith(f"malformed CSV: the quote opened on line {line} does not close")


def test_a_quote_astray_within_one_line_is_read_as_before(tmp_path):
    table = tmp_path / "digest.tsv"
    table.write_text('id\ttext\na\t"Газпром" сообщил о росте.\nb\tМэр Казани открыл парк.\n', encoding="utf-8")
    out = tmp_path / "out"
    result = subprocess.run([ENTITIES, "extract", str(table), "--out", str(out), "-q"], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert read(out, "documents", "csv")["doc_id"].tolist() == ["a", "b"]


@pytest.mark.parametrize("delimiter, options, note", [
    (";", [], "digest.csv: read with ';' as the delimiter"),
    ("\t", [], "digest.csv: read with '\\t' as the delimiter"),
    ("|", ["--delimiter", "|"], None),
    (",", [], None),
])  # fmt: skip
def test_the_delimiter_is_the_one_that_finds_the_text_column(tmp_path, delimiter, options, note):
    table = tmp_path / "digest.csv"
    rows = [["id", "title", "text"], ["1", "Визит", "Путин прибыл в Москву."], ["2", "Парк", "Мэр Казани открыл парк."]]
    table.write_text("".join(delimiter.join(row) + "\n" for row in rows), encoding="utf-8")
    out = tmp_path / "out"
    result = subprocess.run(
        [ENTITIES, "extract", str(table), "--out", str(out), *options], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr == (f"entities: {tmp_path}/{note} (found the 'text' column with it; "
                             "--delimiter names another)\n" if note else "")  # fmt: skip
    assert result.stdout.startswith("2 documents")
    documents = entities.read_tables(out)["documents"]
    assert documents[["doc_id", "title"]].values.tolist() == [["1", "Визит"], ["2", "Парк"]]


def test_a_csv_without_the_text_column_names_its_columns_by_their_delimiter(tmp_path):
    table = tmp_path / "digest.csv"
    table.write_text("id;title;body\n1;Визит;Путин прибыл в Москву.\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["extract", str(table), "--out", str(tmp_path / "out")])
    one_line_error(
        result, 2, "no 'text' column (columns: id, title, body); choose one with --text-column, or the delimiter"
    )
    bad = CliRunner().invoke(cli, ["extract", str(table), "--out", str(tmp_path / "out"), "--delimiter", ";;"])
    assert bad.exit_code == 2 and "expected one character (or 'tab')" in bad.stderr


JSON_VALUES = [
    '{"id": true, "text": "Путин в Москве.", "n": 3, "tags": ["мир", "политика"]}',
    '{"id": ["l"], "text": "Путин в Москве.", "meta": {"a": 1, "b": [2]}, "share": 0.5}',
    '{"id": 7, "text": "Путин в Москве.", "n": 4, "share": 1, "flag": false}',
    '{"id": "7", "text": "Путин в Москве."}',
    '{"id": 7.5, "text": "Путин в Москве.", "n": null}',
]


@pytest.mark.parametrize("fmt", ["csv", "parquet", "jsonl"])
def test_json_values_are_json_text_and_integers_stay_integers(tmp_path, fmt):
    wire = tmp_path / "wire.jsonl"
    wire.write_text("\n".join(JSON_VALUES) + "\n", encoding="utf-8")
    out = tmp_path / "out"
    result = subprocess.run(
        [ENTITIES, "extract", str(wire), "--out", str(out), "-f", fmt, "-q"], capture_output=True, text=True
    )
    assert result.returncode == 5, result.stderr  # "7" is the id 7 seen before
    documents = entities.read_tables(out)["documents"]
    assert documents["doc_id"].tolist() == ["true", '["l"]', "7", "7.5"]
    if fmt == "csv":  # a text file: the reader guesses the types; the text as written is what counts
        lines = (out / "documents.csv").read_text(encoding="utf-8").replace(str(wire), "WIRE").splitlines()
        assert lines[1:] == [
            'true,WIRE,15,1,4,3,"[""мир"", ""политика""]",,,',
            '"[""l""]",WIRE,15,1,4,,,"{""a"": 1, ""b"": [2]}",0.5,',
            '7,WIRE,15,1,4,4,,,1.0,False',
            '7.5,WIRE,15,1,4,,,,,',
        ]  # fmt: skip
    values = {column: [None if pd.isna(value) else value for value in documents[column]] for column in documents}
    assert values["n"] == [3, None, 4, None] and values["share"] == [None, 0.5, 1.0, None]
    assert values["tags"][0] == '["мир", "политика"]' and values["meta"][1] == '{"a": 1, "b": [2]}'
    assert values["flag"] == [None, None, False, None]
    meta = documents.dtypes[["n", "share", "flag"]].astype(str).tolist()
    assert meta == ["Int64", "Float64", "boolean"]  # the same in every format, through read_tables
    errors = entities.read_tables(out)["errors"]
    assert errors[["doc_id", "error"]].values.tolist() == [["7", f"duplicate doc_id (first in {wire})"]]
