"""A Pipeline's components are its arguments: a user's NER model or segmenter reaches the documents and the
tables, in this process and through worker processes (the Dask engine: tests/test_cluster.py)."""

from __future__ import annotations

import pandas as pd
import pytest

import entities
from components import CapitalNER, one_sentence
from entities import Pipeline, to_frames
from entities.run.engine import Settings
from entities.run.local import extract_tables

TEXTS = [
    "Игорь Бабушкин прилетел в Астрахань. Там его встретили.",
    "вчера в Москве прошёл форум «Россия».",
    "Губернатор Астраханской области Игорь Бабушкин открыл выставку.",
]


def capitalized(doc) -> list[str]:
    return [token.text for token in doc.tokens if token.text[:1].isupper()]


def test_a_fake_ner_model_makes_the_mentions():
    nlp = Pipeline(rules=[], ner_tagger=CapitalNER())
    for doc in nlp.pipe(TEXTS):
        assert [(m.text, m.type) for m in doc.mentions] == [(word, "ORG") for word in capitalized(doc)]


def test_the_fake_ner_reaches_the_workers_and_gives_the_same_tables():
    nlp = Pipeline(rules=[], ner_tagger=CapitalNER())
    one = to_frames(nlp.pipe(TEXTS))
    two = to_frames(nlp.pipe(TEXTS, workers=2))
    for name in one:
        pd.testing.assert_frame_equal(one[name], two[name], obj=name)
    assert set(two["mentions"]["type"]) == {"ORG"}
    assert "Губернатор" in set(two["mentions"]["text"])  # a capital the real model does not take


def test_the_fake_ner_reaches_the_tables_of_the_command_engine(tmp_path):
    inputs = tmp_path / "in"
    inputs.mkdir()
    for number, text in enumerate(TEXTS):
        (inputs / f"{number}.txt").write_text(text, encoding="utf-8")
    nlp = Pipeline(rules=[], ner_tagger=CapitalNER())
    extract_tables([str(inputs)], tmp_path / "out", "parquet", settings=Settings(workers=2, pipeline=nlp))
    tables = entities.read_tables(tmp_path / "out")
    expected = to_frames(nlp.pipe(entities.read_texts([str(inputs)])))
    pd.testing.assert_frame_equal(tables["mentions"], expected["mentions"], check_dtype=False)
    assert set(tables["mentions"]["type"]) == {"ORG"}


def test_a_segmenter_of_ones_own():
    doc = Pipeline(segmenter=one_sentence)(TEXTS[0])
    assert len(doc.sentences) == 1 and len(Pipeline()(TEXTS[0]).sentences) == 2
    assert doc.sentences[0].text == TEXTS[0]


def test_the_components_are_options_for_the_workers():
    ner = CapitalNER()
    options = Pipeline(ner_tagger=ner, segmenter=one_sentence).options
    assert options["ner_tagger"] is ner and options["segmenter"] is one_sentence and options["morph_tagger"] is None
    with pytest.raises(TypeError):
        Pipeline(32, None, None, one_sentence)  # components are keyword arguments
