"""CoNLL / IOB2 gold: a token a line with its tag in the last column, sentences apart by blank lines.

    # newdoc id = news-1                      <- or a -DOCSTART- line: a new document
    # text = Игорь Бабушкин прибыл в Астрахань.
    Игорь	B-PER
    Бабушкин	I-PER
    прибыл	O
    ...

A .conllu file has CoNLL-U's tab-separated columns, the token in the second (FORM) and the tag in the last:

    1	Игорь	Игорь	PROPN	_	Animacy=Anim|Case=Nom|Gender=Masc|Number=Sing	3	nsubj	_	B-PER

and its multiword-token lines ('1-2') and empty nodes ('8.1') are no tokens.

Tags are O, B-X, I-X, and E-X, S-X (BIOES); an I-X after O or after another type opens a span, as conlleval
reads IOB1. Comment lines (#) come before a sentence's first token. Tokens are found in order in the
sentence's `# text =` line (without one, the tokens joined by spaces are the text); a document's text is its
sentences' texts joined by newlines. Without document marks a file is one document. Its doc_id is the
`# newdoc id` when given, else the file's path below the directory (PATH:N for the N-th of several).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import NamedTuple

from ..errors import InputError
from ..io.reader import read_file
from ..records import shorten
from .gold import GoldDocument, GoldMention, map_type, split_lines

CONLL_SUFFIXES = (".conll", ".conllu", ".iob", ".iob2", ".bio", ".tsv")
NEWDOC = re.compile(r"#\s*newdoc\b(?:\s+id\s*=\s*(?P<id>.*))?")
TEXT = re.compile(r"#\s*text\s*=\s?(?P<text>.*)")
TAG = re.compile(r"(?P<prefix>[BIES])-(?P<kind>.+)")
CONLLU = ".conllu"
WORD_ID = re.compile(r"\d+")
NOT_A_WORD = re.compile(r"\d+-\d+|\d+\.\d+")  # a multiword token's range, an empty node
Rows = list[tuple[int, str]]  # (line number, line)


class TaggedToken(NamedTuple):
    start: int
    stop: int
    tag: str
    line: int


class Cell(NamedTuple):
    line: int
    token: str
    tag: str


class TaggedSentence(NamedTuple):
    text: str
    tokens: list[TaggedToken]


def mark(line: str) -> tuple[bool, str | None]:
    # '-DOCSTART- -X- O O' -> (True, None); '# newdoc id = news-1' -> (True, 'news-1')
    match = NEWDOC.match(line)
    found = match and match.group("id")
    return bool(match) or line.startswith("-DOCSTART-"), found.strip() if found else None


def documents(lines: list[str]) -> Iterator[tuple[str | None, list[Rows]]]:
    # (the `# newdoc id` or None, the sentences' rows)
    name: str | None = None
    sentences: list[Rows] = []
    rows: Rows = []
    for number, line in enumerate([*lines, ""], 1):
        starts, doc_id = mark(line)
        if rows and (starts or not line.strip()):
            sentences.append(rows)
            rows = []
        if starts and sentences:
            yield name, sentences
        if starts:
            name, sentences = doc_id, []
        elif line.strip():
            rows.append((number, line))
    if sentences:
        yield name, sentences


def split_rows(rows: Rows) -> tuple[str | None, Rows]:
    # leading '#' lines are comments ('# text = ...' among them); after the first token, '#' is a token
    first = next((i for i, (_, line) in enumerate(rows) if not line.startswith("#")), len(rows))
    texts = [TEXT.match(line) for _, line in rows[:first]]
    return next((_.group("text") for _ in texts if _), None), rows[first:]


def plain_cell(path: Path, number: int, line: str) -> Cell:
    # 'Игорь B-PER', 'Его _ O': the token first, the tag last
    fields = line.split()
    if len(fields) < 2:
        raise InputError(f"{path}:{number}: expected a token and its tag, got {line!r}")
    return Cell(number, fields[0], fields[-1])


def conllu_cell(path: Path, number: int, line: str) -> Cell | None:
    # '1\tИгорь\tИгорь\tPROPN\t...\tB-PER': FORM second, the tag last; '1-2' and '8.1' -> None
    fields = line.split("\t")
    if NOT_A_WORD.fullmatch(fields[0]):
        return None
    if len(fields) < 3 or not WORD_ID.fullmatch(fields[0]):
        raise InputError(f"{path}:{number}: expected CoNLL-U columns ID<TAB>FORM<TAB>...<TAB>TAG, got {line!r}")
    return Cell(number, fields[1], fields[-1].strip())


def cells_of(path: Path, rows: Rows) -> list[Cell]:
    if path.suffix == CONLLU:
        return [cell for number, line in rows if (cell := conllu_cell(path, number, line))]
    return [plain_cell(path, number, line) for number, line in rows]


def locate(path: Path, rows: Rows) -> TaggedSentence:
    # tokens found in order in the sentence's text
    text, rows = split_rows(rows)
    cells = cells_of(path, rows)
    text = text if text is not None else " ".join(cell.token for cell in cells)
    tokens, position = [], 0
    for cell in cells:
        start = text.find(cell.token, position)
        if start < 0:
            where = shorten(text[position:])
            raise InputError(f"{path}:{cell.line}: token {cell.token!r} is not in the sentence's text here: {where!r}")
        position = start + len(cell.token)
        tokens.append(TaggedToken(start, position, cell.tag, cell.line))
    return TaggedSentence(text, tokens)


def split_tag(path: Path, token: TaggedToken) -> tuple[str, str]:
    # 'B-PER' -> ('B', 'PER'); 'O' -> ('O', '')
    match = TAG.fullmatch(token.tag)
    if token.tag != "O" and not match:
        raise InputError(f"{path}:{token.line}: expected a tag O, B-TYPE, I-TYPE, E-TYPE or S-TYPE, got {token.tag!r}")
    return (match.group("prefix"), match.group("kind")) if match else ("O", "")


def tag_spans(path: Path, tokens: list[TaggedToken]) -> Iterator[tuple[int, int, str]]:
    # B-PER I-PER O I-LOC -> (0, 14, 'PER'), (20, 29, 'LOC')
    current = None
    for token in tokens:
        prefix, kind = split_tag(path, token)
        if current and (prefix in "OBS" or kind != current[2]):
            yield current
            current = None
        if prefix != "O":
            current = (current[0] if current else token.start, token.stop, kind)
        if current and prefix in "ES":
            yield current
            current = None
    if current:
        yield current


def gold_document(path: Path, doc_id: str, sentences: list[TaggedSentence], types: Mapping[str, str]) -> GoldDocument:
    mentions, offset = [], 0
    for sentence in sentences:
        for start, stop, kind in tag_spans(path, sentence.tokens):
            if mapped := map_type(types, kind):
                mentions.append(GoldMention(offset + start, offset + stop, mapped))
        offset += len(sentence.text) + 1
    return GoldDocument(doc_id, "\n".join(_.text for _ in sentences), tuple(mentions))


def file_documents(path: Path, name: str, types: Mapping[str, str]) -> list[GoldDocument]:
    found = list(documents(split_lines(read_file(path))))
    names = [doc_id or (f"{name}:{number}" if len(found) > 1 else name) for number, (doc_id, _) in enumerate(found, 1)]
    return [
        gold_document(path, doc_id, [locate(path, rows) for rows in sentences], types)
        for doc_id, (_, sentences) in zip(names, found, strict=True)
    ]


def read_corpus(path: str | Path, types: Mapping[str, str]) -> list[GoldDocument]:
    """One file, or every file with a CoNLL suffix (`CONLL_SUFFIXES`) below a directory, in sorted order."""
    path = Path(path)
    if path.is_file():
        return file_documents(path, path.name, types)
    files = sorted(_ for _ in path.rglob("*") if _.suffix in CONLL_SUFFIXES and _.is_file())
    return [doc for file in files for doc in file_documents(file, file.relative_to(path).as_posix(), types)]
