"""Acceptance on the seed article (corpora/news/astrakhan-kazakhstan.txt)."""

import pytest


def normals(doc, type_):
    return {mention.normal for mention in doc.mentions if mention.type == type_}


def test_people(seed_doc):
    assert {"Игорь Бабушкин", "Ермек Кошербаев"} <= normals(seed_doc, "PER")


def test_places(seed_doc):
    expected = {"Астраханская область", "Казахстан", "Россия", "Астрахань", "Каспий", "Братский сад"}
    assert expected <= normals(seed_doc, "LOC")


@pytest.mark.parametrize(
    "text, normal",
    [
        ("Ермеком Кошербаевым", "Ермек Кошербаев"),
        ("Астраханской области", "Астраханская область"),
        ("Каспии", "Каспий"),
        ("Братском саду", "Братский сад"),
        ("Бабушкина", "Бабушкин"),
    ],
)
def test_oblique_mentions(seed_doc, text, normal):
    assert {m.normal for m in seed_doc.mentions if m.text == text} == {normal}


def test_offsets(seed_doc, seed_text):
    assert seed_doc.mentions
    for mention in seed_doc.mentions:
        assert seed_text[mention.start : mention.stop] == mention.text
    for sentence in seed_doc.sentences:
        assert seed_text[sentence.start : sentence.stop] == sentence.text
        for token in sentence.tokens:
            assert sentence.start <= token.start < token.stop <= sentence.stop
            assert seed_text[token.start : token.stop] == token.text


def test_name_parts(seed_doc):
    (mention,) = [m for m in seed_doc.mentions if m.text == "Ермеком Кошербаевым"]
    assert (mention.first, mention.middle, mention.last) == ("Ермек", "", "Кошербаев")


def test_mentions_point_to_their_sentence(seed_doc):
    for mention in seed_doc.mentions:
        sentence = seed_doc.sentences[mention.sent_id]
        assert sentence.start <= mention.start < mention.stop <= sentence.stop
