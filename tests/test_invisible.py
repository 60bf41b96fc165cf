"""Web text: stress marks, soft hyphens, zero-width characters and decomposed letters inside names.

The taggers, lemmas, normal forms and entities read the text as a reader sees it ('Наваль\\xadным' is
'Навальным'), while every offset and `text` still index the text as written.

One case a line: ``text | mention as written -> normal form`` (the escapes are the invisible characters).
"""

from __future__ import annotations

import itertools
import json
import random
import re

import pytest

import entities
from test_cli import run

CASES = """
Встреча с Наваль\xadным прошла в Москве. | Наваль\xadным -> Навальный
Журналисты поговорили с Алексе\u0301ем Навальным. | Алексе\u0301ем Навальным -> Алексей Навальный
Делегация прибыла в Москве\u0301 утром. | Москве\u0301 -> Москва
Делегация прибыла в Москве\u0300 утром. | Москве\u0300 -> Москва
Письмо направили Пу\u200dтину вчера. | Пу\u200dтину -> Путин
Письмо направили Пу\u200bтину вчера. | Пу\u200bтину -> Путин
Письмо направили Пу\u200cтину вчера. | Пу\u200cтину -> Путин
Письмо направили Пу\u2060тину вчера. | Пу\u2060тину -> Путин
Письмо направили \ufeffПутину вчера. | Путину -> Путин
Фильм снял Фе\u0308дор Бондарчук. | Фе\u0308дор Бондарчук -> Фёдор Бондарчук
Фильм снял Фё\u0301дор Бондарчук. | Фё\u0301дор Бондарчук -> Фёдор Бондарчук
Концерт Аллы Пугаче\u0308\u0301вой перенесли. | Аллы Пугаче\u0308\u0301вой -> Алла Пугачёва
Губернатор Игорь Бабушкин встретился с послом Ермеком Кошерба\xadевым. | Ермеком Кошерба\xadевым -> Ермек Кошербаев
Переговоры прошли с Алекса\u0301ндром Лукаше\u0301нко. | Алекса\u0301ндром Лукаше\u0301нко -> Александр Лукашенко
"""


def cases(table: str) -> list[tuple[str, str, str]]:
    rows = []
    for line in table.strip().splitlines():
        text, mention = line.split(" | ")
        written, normal = mention.split(" -> ")
        rows.append((text, written, normal))
    return rows


def assert_exact_offsets(text: str, doc) -> None:
    for record in [*doc.sentences, *doc.tokens, *doc.mentions]:
        assert text[record.start : record.stop] == record.text, record


@pytest.mark.parametrize(("text", "written", "normal"), cases(CASES), ids=[_[1] for _ in cases(CASES)])
def test_normal_forms_read_past_invisible_characters(nlp, text, written, normal):
    doc = nlp(text)
    found = [mention for mention in doc.mentions if mention.text == written]
    assert [mention.normal for mention in found] == [normal], doc.mentions
    assert_exact_offsets(text, doc)


@pytest.mark.parametrize(("text", "written", "normal"), cases(CASES), ids=[_[1] for _ in cases(CASES)])
def test_lemmas_and_entities_are_plain(nlp, text, written, normal):
    doc = nlp(text)
    invisible = re.compile("[\xad\u0300\u0301\u0308\u200b-\u200d\u2060\ufeff]")
    assert not [token.lemma for token in doc.tokens if invisible.search(token.lemma)]
    assert normal in [entity.canonical for entity in doc.entities]


DOCUMENT = (
    "\ufeffПу\u200dтин прилетел в Москву. Пу\u2060тин провел совещание, Путин выступил. "
    "Журналисты спросили Пути\xadна о планах. Фе\u0308дор Бондарчук снял фильм, Фёдор Бондарчук доволен. "
    "В Москве\u0301 и в Моск\xadве прошли встречи."
)


def test_one_entity_however_its_name_is_written(nlp):
    doc = nlp(DOCUMENT)
    assert [(entity.type, entity.canonical, entity.n_mentions) for entity in doc.entities] == [
        ("PER", "Путин", 4),
        ("LOC", "Москва", 3),
        ("PER", "Фёдор Бондарчук", 2),
    ]
    assert_exact_offsets(DOCUMENT, doc)


def test_invisible_characters_change_nothing_but_offsets(nlp, seed_text):
    """The seed article with invisible characters strewn inside its words (between two letters):
    the same mentions, normal forms and entities, each mention's offsets those of the text as written."""
    rng = random.Random(23)
    chars, marks = [], "\xad\u200b\u200c\u200d\u2060\ufeff\u0301"
    for index, char in enumerate(seed_text):
        chars.append(char)
        if char.isalpha() and seed_text[index + 1 : index + 2].isalpha() and rng.random() < 0.1:
            chars.append(rng.choice(marks))
    written = "".join(chars)
    plain, doc = nlp(seed_text), nlp(written)
    assert written != seed_text
    assert [(m.type, m.normal, m.first, m.last) for m in doc.mentions] == [
        (m.type, m.normal, m.first, m.last) for m in plain.mentions
    ]
    assert [(e.type, e.canonical, e.n_mentions) for e in doc.entities] == [
        (e.type, e.canonical, e.n_mentions) for e in plain.entities
    ]
    assert [len(sentence.tokens) for sentence in doc.sentences] == [len(s.tokens) for s in plain.sentences]
    assert_exact_offsets(written, doc)


@pytest.mark.parametrize("word", ["Ы" * 1_000_000, "Путин" + "а" * 999_995])
def test_a_word_longer_than_any_name_is_no_mention(nlp, word):
    text = f"Он сказал: {word}. Путин приехал."
    doc = nlp(text)
    assert [(mention.text, mention.normal) for mention in doc.mentions] == [("Путин", "Путин")]
    assert_exact_offsets(text, doc)


def test_extract_joins_one_name_across_documents_however_written(tmp_path):
    texts = [
        "Президент Пу\u200dтин прилетел в Моск\xadву.",
        "Президент Пу\u2060тин провел совещание в Москве\u0301.",
        "\ufeffПрезидент \ufeffПутин выступил в Москве.",
        "Встреча с Путиным прошла в Москве.",
        "Фе\u0308дор Бондарчук снял фильм.",
        "Фёдор Бондарчук доволен.",
    ]
    path = tmp_path / "web.jsonl"
    lines = [json.dumps({"id": f"d{number}", "text": text}, ensure_ascii=False) for number, text in enumerate(texts)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = run("extract", path, "--out", tmp_path / "out")
    assert result.returncode == 0, result.stderr
    tables = entities.read_tables(tmp_path / "out")
    corpus = tables["corpus_entities"]
    assert sorted(zip(corpus["type"], corpus["canonical"], corpus["n_documents"], strict=True)) == [
        ("LOC", "Москва", 4),
        ("PER", "Путин", 4),
        ("PER", "Фёдор Бондарчук", 2),
    ]
    by_id = {f"d{number}": text for number, text in enumerate(texts)}
    for name in ("sentences", "tokens", "mentions"):
        frame = tables[name]
        slices = [
            by_id[doc][start:stop]
            for doc, start, stop in zip(frame["doc_id"], frame["start"], frame["stop"], strict=True)
        ]
        assert slices == frame["text"].tolist(), name


@pytest.mark.parametrize("text", ["Встреча в Москве,\u0301 и в Киеве.", "Знак 5\u0301 и x\u0308y в Москве\u0301."])
def test_a_mark_nothing_composes_stays_with_its_own_token(nlp, text):
    doc = nlp(text)
    assert_exact_offsets(text, doc)
    assert all(one.stop <= other.start for one, other in itertools.pairwise(doc.tokens))  # in order, apart
