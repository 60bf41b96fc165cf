"""Span corrections, rule by rule, on hand-built sentences; then through the Pipeline.

A case is 'rule | model spans | corrected spans'. Tokens are split on spaces; '[' opens a span
and ']TYPE' closes it; 'word|lemma|POS' gives a token's lemma and tag (default: lowercase, PROPN).
Sentences of one document are separated by ' / '.
"""

from __future__ import annotations

import re

import pytest

from entities import Pipeline
from entities.mentions.correction import RULES, correct
from entities.nlp.bio import TagSpan
from entities.records import Sentence, Token

CASES = """
split_at_punctuation | [Джошуа Вольфа ( Joshua Wolf )]PER сказал | [Джошуа Вольфа]PER ( [Joshua Wolf]PER ) сказал
split_at_punctuation | [Сёмин ( Овечкин , Фёдоров )]PER | [Сёмин]PER ( [Овечкин]PER , [Фёдоров]PER )
split_at_punctuation | [Йемен • Замбия]LOC | [Йемен]LOC • [Замбия]LOC
split_at_punctuation | [Союз координационных советов ( СКС )]ORG | [Союз координационных советов]ORG ( [СКС]ORG )
split_at_punctuation | [Бернс (]PER Рой | [Бернс]PER ( Рой
split_at_punctuation | [Ростов-на-Дону]LOC | [Ростов-на-Дону]LOC
split_at_punctuation | [ОАО « РЖД »]ORG | [ОАО « РЖД »]ORG
trim_edges | [« Газпром »]ORG | « [Газпром]ORG »
trim_edges | [В.Л. )]PER | [В.Л.]PER )
trim_edges | [«]ORG | «
trim_edges | [Мария Захарова ❤️]PER | [Мария Захарова]PER ❤️
trim_edges | [школа № 5]ORG | [школа № 5]ORG
quoted_name | [ОАО « ВымпелКом]ORG » | ОАО « [ВымпелКом]ORG »
quoted_name | [Концерн « Майкрософт]ORG » представил | Концерн « [Майкрософт]ORG » представил
quoted_name | [Русской службе « Голоса Америки]ORG » | Русской службе « [Голоса Америки]ORG »
quoted_name | [ОАО « ВымпелКом » Москвы]ORG | [ОАО « ВымпелКом » Москвы]ORG
quoted_name | [Партия « Яблоко]LOC » | [Партия « Яблоко]LOC »
drop_generic | по сообщениям [СМИ]ORG , [Reuters]ORG | по сообщениям СМИ , [Reuters]ORG
drop_common_nouns | [Адвокат|адвокат|NOUN]PER ведёт себя | Адвокат|адвокат|NOUN ведёт себя
drop_common_nouns | [Топалов]PER выиграл | [Топалов]PER выиграл
drop_common_nouns | пилота [Формулы-1]PER | пилота Формулы-1
drop_common_nouns | [Людовик XIV]PER | [Людовик XIV]PER
drop_common_nouns | [Игорь|игорь|NOUN Бабушкин]PER | [Игорь|игорь|NOUN Бабушкин]PER
name_particles | работах ибн [Эзра]PER | работах [ибн Эзра]PER
name_particles | лидера [Усамы]PER бин [Ладена]PER | лидера [Усамы]PER [бин Ладена]PER
name_particles | город де [Голль]LOC | город де [Голль]LOC
name_particles | сказал [Путин]PER | сказал [Путин]PER
named_after | [Театра им]ORG . [Йозефа Бойса]PER | [Театра им . Йозефа Бойса]ORG
named_after | [МГУ]ORG имени [Ломоносова]PER | [МГУ имени Ломоносова]ORG
named_after | [МГУ]ORG и [Ломоносов]PER | [МГУ]ORG и [Ломоносов]PER
named_after | [Москва]LOC имени [Ленина]PER | [Москва]LOC имени [Ленина]PER
unions_are_organizations | [ЕС|ес]LOC наложил штраф | [ЕС|ес]ORG наложил штраф
unions_are_organizations | посол [Евросоюза|евросоюз]LOC | посол [Евросоюза|евросоюз]ORG
unions_are_organizations | [Европейского|европейский союза|союз]LOC | [Европейского|европейский союза|союз]ORG
unions_are_organizations | в [Европе|европа]LOC | в [Европе|европа]LOC
people_by_name | [Егор Свиридова|свиридов]PER погиб / о [Свиридове|свиридов]LOC | [Егор Свиридова|свиридов]PER погиб / о [Свиридове|свиридов]PER
people_by_name | [Свиридова|свиридов]PER / о [Свиридове|свиридов]LOC | [Свиридова|свиридов]PER / о [Свиридове|свиридов]LOC
propagate | [Веселин Топалова|топалов]PER / Топалов|топалов выиграл | [Веселин Топалова|топалов]PER / [Топалов|топалов]PER выиграл
propagate | [Голоса|голос Америки|америка]ORG / Голос|голос Америки|америка : | [Голоса|голос Америки|америка]ORG / [Голос|голос Америки|америка]ORG :
propagate | [Иван Мороз|мороз]PER / Мороз|мороз|NOUN ударил | [Иван Мороз|мороз]PER / Мороз|мороз|NOUN ударил
propagate | [Иван Мороз|мороз]PER / ударил мороз|мороз|NOUN | [Иван Мороз|мороз]PER / ударил мороз|мороз|NOUN
propagate | [Москва]LOC / [Москва]LOC | [Москва]LOC / [Москва]LOC
"""  # noqa: E501 - one case a line

TOKEN = re.compile(r"^(\[?)(.+?)(\](\w+))?$")


def parse_sentence(text: str) -> tuple[Sentence, list[TagSpan]]:
    tokens, spans, start, offset = [], [], None, 0
    for index, item in enumerate(text.split()):
        opened, body, _, closed = TOKEN.match(item).groups()
        word, lemma, pos = [*body.split("|"), None, None][:3]
        tokens.append(Token(offset, offset + len(word), word, lemma or word.lower(), pos or "PROPN", {}))
        offset += len(word) + 1
        start = index if opened else start
        if closed:
            spans.append(TagSpan(start, index + 1, closed))
    return Sentence(0, offset - 1, text, tuple(tokens)), spans


def parse_document(text: str) -> tuple[list[Sentence], list[list[TagSpan]]]:
    pairs = [parse_sentence(_) for _ in text.split(" / ")]
    return [sentence for sentence, _ in pairs], [spans for _, spans in pairs]


def parse_cases(text: str) -> list[tuple[str, str, str]]:
    return [tuple(_.strip() for _ in line.split("|", 1)[:1] + line.split("|", 1)[1].rsplit(" | ", 1))
            for line in text.strip().splitlines()]  # fmt: skip


@pytest.mark.parametrize("rule, given, expected", parse_cases(CASES))
def test_rule(rule, given, expected):
    sentences, spans = parse_document(given)
    assert correct(sentences, spans, [rule]) == parse_document(expected)[1]


MORPH_CASES = """
drop_common_nouns | [Маэстро]PER не видит звёзд | Маэстро не видит звёзд
drop_common_nouns | « [Супруга]PER барона | « Супруга барона
drop_common_nouns | сказал [Маэстро]PER | сказал [Маэстро]PER
drop_common_nouns | [Мороз]PER ответил | [Мороз]PER ответил
drop_common_nouns | [Топалов]PER выиграл | [Топалов]PER выиграл
drop_common_nouns | [Хаббл]PER сказал | [Хаббл]PER сказал
drop_common_nouns | [Бабушкин]PER провёл совещание | [Бабушкин]PER провёл совещание
"""


@pytest.mark.parametrize("rule, given, expected", parse_cases(MORPH_CASES))
def test_rule_with_the_dictionary(rule, given, expected, nlp):
    # a capital the sentence gives, on a word pymorphy3 knows only as a common noun: not a name
    sentences, spans = parse_document(given)
    assert correct(sentences, spans, [rule], nlp.morph) == parse_document(expected)[1]


def test_every_rule_has_cases():
    assert {case[0] for case in parse_cases(CASES)} == set(RULES)


@pytest.mark.parametrize("rule, given, expected", parse_cases(CASES))
def test_no_rule_runs_unasked_and_the_spans_given_stay(rule, given, expected):
    sentences, spans = parse_document(given)
    assert correct(sentences, spans, []) == parse_document(given)[1]
    correct(sentences, spans, [rule])
    assert spans == parse_document(given)[1]


TEXT = (
    "Об этом сообщает Комитет защиты журналистов (КЗЖ). "
    "Адвокат истцов Томас Винье (Thomas Vinje) не согласен. "
    "Штраф на «Майкрософт» наложил ЕС."
)


@pytest.fixture(scope="module")
def raw(nlp):
    return Pipeline(rules=[])(TEXT)


def spans_of(doc):
    return [(m.text, m.type) for m in doc.mentions]


def test_pipeline_applies_the_rules(nlp, raw):
    # the raw model takes the acronym and the Latin spelling into the names, and the union for a place
    assert spans_of(raw) == [
        ("Комитет защиты журналистов (КЗЖ)", "ORG"), ("Томас Винье (Thomas Vinje)", "PER"),
        ("Майкрософт", "ORG"), ("ЕС", "LOC"),
    ]  # fmt: skip
    assert spans_of(nlp(TEXT)) == [
        ("Комитет защиты журналистов", "ORG"), ("КЗЖ", "ORG"), ("Томас Винье", "PER"), ("Thomas Vinje", "PER"),
        ("Майкрософт", "ORG"), ("ЕС", "ORG"),
    ]  # fmt: skip


def test_rules_are_chosen_by_name(raw):
    doc = Pipeline(rules=["unions_are_organizations"])(TEXT)
    assert spans_of(doc) == [*spans_of(raw)[:3], ("ЕС", "ORG")]
    assert Pipeline(rules=["trim_edges"]).options["rules"] == ("trim_edges",)


def test_unknown_rule_is_refused():
    with pytest.raises(ValueError, match="rules must be names"):
        Pipeline(rules=["no_such_rule"])
    with pytest.raises(ValueError, match="rules must be names"):
        Pipeline(rules="trim_edges")


def test_a_name_the_document_knows_comes_back(nlp):
    # 'Лебедь' alone is a noun to pymorphy3, but the document named Александр Лебедь first
    sentences, spans = parse_document("[Александр Лебедь|лебедь]PER прибыл / [Лебедь|лебедь]PER заявил")
    assert correct(sentences, spans, ["drop_common_nouns"], nlp.morph)[1] == []
    assert correct(sentences, spans, ["drop_common_nouns", "propagate"], nlp.morph) == spans


# one case a line: a text || a lone surname the model tags LOC = the person's full name elsewhere in it
SURNAMES = """
Конструктор Сергей Королёв родился в Житомире. О Королёве рассказали коллеги. || Королёве = Сергей Королёв
О Королёве рассказали коллеги. Конструктор Сергей Королёв родился в Житомире. || Королёве = Сергей Королёв
Депутат Владимир Киров выступил в Думе. Журналисты написали о Кирове. || Кирове = Владимир Киров
Журналисты написали о Кирове и Королёве. Депутат Владимир Киров и конструктор Сергей Королёв выступили в Думе. || Кирове = Владимир Киров; Королёве = Сергей Королёв
"""  # noqa: E501 - one case a line


@pytest.mark.parametrize("text, pairs", [line.split(" || ") for line in SURNAMES.strip().splitlines()])
def test_a_surname_of_a_person_the_document_names_is_that_person(nlp, text, pairs):
    # people_by_name: the model's LOC 'Королёве' is a PER, and joins 'Сергей Королёв'
    raw = {m.text: m.type for m in Pipeline(rules=[])(text).mentions}
    mentions = {m.text: m for m in nlp(text).mentions}
    for pair in pairs.split("; "):
        alone, full = pair.split(" = ")
        assert (raw[alone], raw[full]) == ("LOC", "PER")
        assert (mentions[alone].type, mentions[alone].entity_id) == ("PER", mentions[full].entity_id), pair
