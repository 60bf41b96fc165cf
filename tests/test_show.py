"""`entities show FILE|-`: the text with its mentions highlighted, and its entities table."""

import codecs
import re
import subprocess

import pytest
from click.testing import CliRunner

from conftest import SEED
from entities.cli import cli
from entities.facts.catalog import EXTRACTORS
from test_cli import ENTITIES, run

LABELS = ["PER", "LOC", "ORG", *(extractor.label for extractor in EXTRACTORS)]  # DATE, MONEY
MARKER = re.compile(rf"\[([^[\]]*)\]({'|'.join(LABELS)})")
ANSI = re.compile(r"\x1b\[[\d;]*m")
SHORT = "Игорь Бабушкин прибыл в Астрахань на встречу с послом [ООН] и главой «Газпрома».\n"


def show(*args, text=None, env=None):
    result = CliRunner().invoke(cli, ["show", *args], input=text, env={"COLUMNS": "200", **(env or {})})
    assert result.exit_code == 0, result.output
    return result.output


def split(output, doc):
    """The text part and the table part of the output."""
    title = f"{len(doc.entities)} entities, {len(doc.mentions)} mentions"
    return output.split(title)


def check_plain(output, doc, text):
    marked, table = split(output, doc)
    assert MARKER.sub(r"\1", marked).strip() == text.strip()  # the text itself, only markers added
    marks = [(m.start, m.text, m.type) for m in doc.mentions]
    marks += [(_.start, _.text, extractor.label) for extractor in EXTRACTORS for _ in doc.facts[extractor.name]]
    assert MARKER.findall(marked) == [(text, kind) for _, text, kind in sorted(marks)]
    lines = table.splitlines()
    for entity in doc.entities:
        row = rf"^\s*{entity.type}\s+{re.escape(entity.canonical)}\s.*\s{entity.n_mentions}\s*$"
        assert any(re.match(row, line) for line in lines), (entity, table)
    assert not ANSI.search(output)


def test_plain_text_marks_every_mention_and_tables_entities(nlp, seed_text):
    check_plain(show("-", "--no-color", text=seed_text), nlp(seed_text), seed_text)


def test_plain_by_default_into_a_pipe(nlp):
    check_plain(show("-", text=SHORT), nlp(SHORT), SHORT)


def test_color_highlights_each_type_in_its_own_colour(nlp):
    output = show("-", "--color", text=SHORT, env={"NO_COLOR": "1"})  # --color wins over NO_COLOR
    doc = nlp(SHORT)
    assert not MARKER.search(output)
    styles = {}
    for mention in doc.mentions:
        found = re.search(rf"\x1b\[([\d;]+)m{re.escape(mention.text)}\x1b\[0m", output)
        assert found, mention
        styles.setdefault(mention.type, set()).add(found.group(1))
    assert {"PER", "LOC", "ORG"} <= set(styles)
    assert all(len(_) == 1 for _ in styles.values()) and len(set.union(*styles.values())) == len(styles)
    plain = ANSI.sub("", output)
    assert "[ООН]" in plain and "прибыл в Астрахань" in plain  # written text is not read as rich markup


def test_empty_input():
    output = show("-", text="")
    assert "0 entities, 0 mentions" in output


def test_real_command_on_a_file(nlp, seed_text):
    result = run("show", SEED)
    assert result.returncode == 0 and result.stderr == "", result.stderr
    check_plain(result.stdout, nlp(seed_text), seed_text)


@pytest.mark.parametrize("encoded", [
    SHORT.encode("cp1251"),
    codecs.BOM_UTF8 + SHORT.encode("utf-8"),
    SHORT.encode("utf-16"),  # with its BOM
], ids=["cp1251", "utf-8-bom", "utf-16"])  # fmt: skip
def test_the_encoding_is_detected_as_for_extract(nlp, tmp_path, encoded):
    (tmp_path / "news.txt").write_bytes(encoded)
    check_plain(show(str(tmp_path / "news.txt"), "--no-color"), nlp(SHORT), SHORT)
    assert "else cp1251 or koi8-r, whichever reads as Russian" in " ".join(show("--help").split())


ERRORS = [
    (["show", "missing.txt"], "missing.txt: no such file or directory"),
    (["show", "."], ".: is a directory"),
    (["show", "bytes.bin"], "bytes.bin: not UTF-8 (invalid start byte at byte 0) nor Russian in cp1251"),
    (["show", "nul.txt"], "nul.txt: binary data, not text (a NUL byte at 12)"),
    (["show"], "Missing argument 'FILE|-'"),
    (["show", "nul.txt", "--colour"], "Did you mean one of: '--color'"),
]


@pytest.mark.parametrize("args, message", ERRORS)
def test_errors_are_one_line(tmp_path, args, message):
    (tmp_path / "bytes.bin").write_bytes(bytes(range(128, 256)))
    (tmp_path / "nul.txt").write_text("Москва\x00Казань", encoding="utf-8")
    result = subprocess.run([ENTITIES, *args], capture_output=True, text=True, cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.startswith("entities: error: ") and len(result.stderr.splitlines()) == 1, result.stderr
    assert message in result.stderr
    assert result.stdout == ""
