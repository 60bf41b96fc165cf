"""Model-free parts, one table each."""

import pytest

from entities.name import Name, split_name
from entities.ner import TagSpan, bio_spans
from entities.morph import strip_yo
from entities.shape import recover_shape
from entities.window import ner_sentence_tags, windows

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
    assert list(windows([5, 5, 5], 10)) == [(0, 2), (2, 3)]
    assert list(windows([50], 10)) == [(0, 1)]
    assert list(windows([], 10)) == []


def test_ner_sentence_tags_split_windows_back():
    seen = []

    def tagger(units):
        seen.extend(units)
        return [["B-ORG"] + ["I-ORG"] * (len(unit) - 1) for unit in units]

    sentences = [["a", "b"], ["c"], ["d", "e", "f"]]
    tags = ner_sentence_tags(tagger, sentences, [2, 1], limit=3)
    assert seen == [["a", "b", "c"], ["d", "e", "f"]]
    # a span cut at a sentence start opens there
    assert tags == [["B-ORG", "I-ORG"], ["B-ORG"], ["B-ORG", "I-ORG", "I-ORG"]]


def test_window_tags_decode_as_slovnet():
    def tagger(units):
        return [["I-PER", "O", "B-LOC", "I-ORG", "I-LOC"] for _ in units]

    # an I- with no open span is dropped; an I- of another type extends the open span
    tags = ner_sentence_tags(tagger, [["a", "b", "c"], ["d", "e"]], [2])
    assert tags == [["O", "O", "B-LOC"], ["B-LOC", "I-LOC"]]
