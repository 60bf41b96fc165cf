"""Model-free functions, one table each."""

import re

import pytest

from entities.io.encoding import DecodeError, check_encoding, decode, lines
from entities.io.failure import MAX_CHARS, one_line
from entities.mentions.name import Name, split_name
from entities.mentions.shape import recover_shape
from entities.nlp.bio import TagSpan, bio_spans
from entities.nlp.morph import strip_yo
from entities.nlp.window import ner_sentence_tags, window_bounds

BIO = """
B-PER I-PER O B-LOC -> PER:0:2 LOC:3:4
O O O ->
B-ORG I-ORG I-ORG -> ORG:0:3
B-PER B-PER -> PER:0:1 PER:1:2
O I-LOC O ->
B-LOC I-ORG O -> LOC:0:2
B-LOC O B-LOC I-LOC -> LOC:0:1 LOC:2:4
"""


def parse_spans(text):
    return [TagSpan(int(start), int(stop), type_) for type_, start, stop in (_.split(":") for _ in text.split())]


@pytest.mark.parametrize("line", BIO.strip().splitlines())
def test_bio_spans(line):
    tags, spans = line.split("->")
    assert list(bio_spans(tags.split())) == parse_spans(spans)


SHAPES = """
захарова | Захаровой -> Захарова
ростов-на-дону | Ростове-на-Дону -> Ростов-на-Дону
мид | МИДа -> МИД
область | области -> область
сша | США -> США
жан-клод | Жан-Клода -> Жан-Клод
"""


@pytest.mark.parametrize("line", SHAPES.strip().splitlines())
def test_recover_shape(line):
    args, expected = line.split("->")
    word, ref = (_.strip() for _ in args.split("|"))
    assert recover_shape(word, ref) == expected.strip()


YO = """
партнёр | партнёров -> партнёр
партнёр | партнеров -> партнер
соединённое | соединенному -> соединенное
провести | провёл -> провести
звезда | звёзды -> звезда
"""


@pytest.mark.parametrize("line", YO.strip().splitlines())
def test_strip_yo(line):
    args, expected = line.split("->")
    word, original = (_.strip() for _ in args.split("|"))
    assert strip_yo(word, original) == expected.strip()


N, P, S, G = frozenset({"Name"}), frozenset({"Patr"}), frozenset({"Surn"}), frozenset()

NAMES = [
    (["Игорь", "Бабушкин"], [N, G], Name("Игорь", "", "Бабушкин")),
    (["Бабушкин"], [G], Name("", "", "Бабушкин")),
    (["Игорь"], [N], Name("Игорь", "", "")),
    (["Владимир", "Владимирович", "Путин"], [N, P, S], Name("Владимир", "Владимирович", "Путин")),
    (["Путин", "Владимир", "Владимирович"], [S, N, P], Name("Владимир", "Владимирович", "Путин")),
    (["И.", "Бабушкин"], [G, G], Name("И.", "", "Бабушкин")),
    (["В.", "В.", "Путин"], [G, G, S], Name("В.", "В.", "Путин")),
    (["Людвиг", "ван", "Бетховен"], [N, G, G], Name("Людвиг", "", "ван Бетховен")),
    ([], [], Name()),
]


@pytest.mark.parametrize("words, grams, name", NAMES)
def test_split_name(words, grams, name):
    assert split_name(words, grams) == name


def test_windows_bound_and_cover():
    assert list(window_bounds([5, 5, 5], 10)) == [(0, 2), (2, 3)]
    assert list(window_bounds([50], 10)) == [(0, 1)]
    assert list(window_bounds([], 10)) == []


def test_ner_sentence_tags_split_windows_back():
    seen = []

    def tagger(windows):
        seen.extend(windows)
        return [["B-ORG"] + ["I-ORG"] * (len(window) - 1) for window in windows]

    sentences = [["a", "b"], ["c"], ["d", "e", "f"]]
    tags = ner_sentence_tags(tagger, sentences, [2, 1], limit=3)
    assert seen == [["a", "b", "c"], ["d", "e", "f"]]
    # a span cut at a sentence start opens there
    assert tags == [["B-ORG", "I-ORG"], ["B-ORG"], ["B-ORG", "I-ORG", "I-ORG"]]


def test_window_tags_decode_as_slovnet():
    def tagger(windows):
        return [["I-PER", "O", "B-LOC", "I-ORG", "I-LOC"] for _ in windows]

    # an I- with no open span is dropped; an I- of another type extends the open span
    tags = ner_sentence_tags(tagger, [["a", "b", "c"], ["d", "e"]], [2])
    assert tags == [["O", "O", "B-LOC"], ["B-LOC", "I-LOC"]]


RUSSIAN = "Мэр Москвы Сергей Собянин открыл «Парк науки» — №1, iPhone-ы и всё."
KOI8 = RUSSIAN.replace("«", '"').replace("»", '"').replace("—", "-").replace("№", "N")  # what KOI8-R can hold
ENCODED = [  # how the bytes are made -> the text decode() gives, or 'error: part of the message'
    ("utf-8", RUSSIAN.encode(), RUSSIAN),
    ("utf-8 BOM", b"\xef\xbb\xbf" + RUSSIAN.encode(), RUSSIAN),
    ("utf-16 LE BOM", b"\xff\xfe" + RUSSIAN.encode("utf-16-le"), RUSSIAN),
    ("utf-16 BE BOM", b"\xfe\xff" + RUSSIAN.encode("utf-16-be"), RUSSIAN),
    ("utf-32 BOM", RUSSIAN.encode("utf-32"), RUSSIAN),
    ("cp1251", RUSSIAN.encode("cp1251"), RUSSIAN),
    ("ascii", b"plain ASCII text", "plain ASCII text"),
    ("empty", b"", ""),
    ("koi8-r", KOI8.encode("koi8-r"), KOI8),  # detected as cp1251 is: the one of the two that reads as Russian
    ("utf-8 with a bad byte", RUSSIAN.encode() + b"\xff", "error: nor Russian in cp1251 or koi8-r"),  # not п°я█я─
    ("utf-16 without BOM", RUSSIAN.encode("utf-16-le"), "error: name it with --encoding utf-16"),
    ("utf-16-be without BOM", RUSSIAN.encode("utf-16-be"), "error: name it with --encoding utf-16-be"),
    ("latin-1", "café crème brûlée".encode("latin-1"), "error: not UTF-8 (invalid continuation byte at byte 3)"),
    ("utf-8 cut in a letter", RUSSIAN.encode()[:5], "error: unexpected end of data at byte 4"),
    ("NUL byte", b"text\x00more", "error: binary data, not text (a NUL byte at 4)"),
    ("utf-16 BOM, then garbage", b"\xff\xfe\x00\xd8", "error: not utf-16 text (unexpected end of data at byte 2)"),
    ("utf-16 BOM, a NUL inside", b"\xff\xfe" + "a\x00b".encode("utf-16-le"), "error: a NUL character at 1"),
]


@pytest.mark.parametrize("label, data, expected", ENCODED, ids=[_[0] for _ in ENCODED])
def test_decode(label, data, expected):
    if expected.startswith("error: "):
        with pytest.raises(DecodeError, match=re.escape(expected[len("error: ") :])):
            decode(data)
    else:
        assert decode(data) == expected


FORCED = [  # the bytes, --encoding -> the text: the encoding named decodes only what detection can not
    (KOI8.encode("koi8-r"), "KOI8-R", KOI8),
    (KOI8.encode("koi8-r"), "utf-8", KOI8),  # detected, not refused as not UTF-8
    (RUSSIAN.encode(), "koi8-r", RUSSIAN),  # UTF-8 stays UTF-8
    (RUSSIAN.encode("cp1251"), "koi8-r", RUSSIAN),
    (b"\xef\xbb\xbf" + RUSSIAN.encode(), "koi8-r", RUSSIAN),  # a BOM wins
    (b"\xef\xbb\xbfabc", "utf-8", "abc"),
    (RUSSIAN.encode("utf-16-le"), "utf-16", RUSSIAN),  # NUL bytes, in the encoding named
    (RUSSIAN.encode("utf-16-be"), "UTF-16-BE", RUSSIAN),
    ("Привет".encode("cp866"), "cp866", "Привет"),  # read as Russian in neither cp1251 nor KOI8-R
]


@pytest.mark.parametrize("data, encoding, expected", FORCED)
def test_forced_encoding(data, encoding, expected):
    assert decode(data, encoding) == expected


def test_forced_encoding_and_lines():
    assert check_encoding("CP1251") == "cp1251"
    with pytest.raises(ValueError, match="unknown encoding 'klingon'"):
        check_encoding("klingon")
    got = list(lines(b'{"a": 1}\n{"b": "\xff"}\n{"c": "\xd0\x9f"}'))
    assert got[0] == '{"a": 1}' and isinstance(got[1], DecodeError) and got[2] == '{"c": "П"}'


ONE_LINE = [
    (ValueError("bad\n  value"), "ValueError: bad value"),
    ("already one line", "already one line"),
    (RuntimeError("x" * 400), "RuntimeError: " + "x" * 285 + "…"),
]


@pytest.mark.parametrize("error, expected", ONE_LINE)
def test_one_line(error, expected):
    assert one_line(error) == expected and len(one_line(error)) <= MAX_CHARS
