"""Corrections of the NER model's spans: small rules, each switchable, in a table by name (RULES).

They run in the table's order; `rules` (Pipeline's) only picks which of them run, its own order is ignored.

A rule takes the piece's sentences, the spans of each (token index ranges) and pymorphy3
(entities.nlp.morph.Morph, or None) and returns new spans. Sentence rules mend one sentence's spans
at a time (`sentence_rule` lifts them); document rules look at the whole piece:
'Топалов' tagged in one line and missed in the next is a person in both.
"""

from __future__ import annotations

import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator, Sequence

from ..nlp.bio import TagSpan
from ..records import LOC, ORG, PER, Sentence

Spans = list[list[TagSpan]]  # per sentence

# punctuation no name spans: 'Джошуа Вольфа (Joshua Wolf)', 'Овечкин, Фёдоров', 'Йемен • Замбия'
SPLITTERS = frozenset("()[]{},;:•·|/—–-") | {"--", "..."}
QUOTES = frozenset("«»„“”\"'‘’")
OPENING = frozenset("«„“")
EDGES = QUOTES | frozenset(".!?…*#№()[]")

# common nouns the model takes for names: 'по сообщениям СМИ'
GENERIC = frozenset({"сми", "смі"})

# unions of states act as organizations: 'ЕС наложил штраф', 'Евросоюз приостановил'
UNIONS = frozenset({
    "ес", "евросоюз", "европейский союз", "еврокомиссия", "европейская комиссия", "оон", "нато",
    "снг", "шос", "одкб", "еаэс", "асеан", "обсе", "опек", "брикс", "евразийский экономический союз",
    "организация объединенных наций", "африканский союз", "лига арабских государств",
})  # fmt: skip


def is_name_like(text: str) -> bool:
    # 'Вольфа', 'ЕС', 'iPhone': a capital somewhere in a word
    return any(char.isalpha() for char in text) and any(char.isupper() for char in text)


def split_at_punctuation(sentence: Sentence, spans: list[TagSpan]) -> Iterator[TagSpan]:
    """'Джошуа Вольфа (Joshua Wolf)' -> 'Джошуа Вольфа', 'Joshua Wolf'; 'Сёмин (Овечкин, Фёдоров)' -> three."""
    tokens = sentence.tokens
    for span in spans:
        start = span.start
        for index in range(span.start, span.stop + 1):
            if index == span.stop or tokens[index].text in SPLITTERS:
                if any(is_name_like(tokens[_].text) for _ in range(start, index)):
                    yield TagSpan(start, index, span.type)
                start = index + 1


SYMBOLS = frozenset({"So", "Sk", "Cf", "Mn", "Me"})  # emoji, their modifiers and joiners


def is_edge(text: str) -> bool:
    # '«', ')', '❤️', '👍🏽'; not '№' ('школа № 5')
    return text in EDGES or (text != "№" and all(unicodedata.category(char) in SYMBOLS for char in text))


def trim_edges(sentence: Sentence, spans: list[TagSpan]) -> Iterator[TagSpan]:
    """Quotes, stray marks and emoji at a span's ends go: '«Газпром»' -> 'Газпром', 'В.Л.)' -> 'В.Л.',
    'Мария Захарова ❤️' -> 'Мария Захарова'."""
    tokens = sentence.tokens
    for start, stop, type_ in spans:
        while start < stop and is_edge(tokens[start].text):
            start += 1
        while start < stop and is_edge(tokens[stop - 1].text):
            stop -= 1
        if start < stop:
            yield TagSpan(start, stop, type_)


def quoted_name(sentence: Sentence, spans: list[TagSpan]) -> Iterator[TagSpan]:
    """An organization's name is what stands in its quotes: 'ОАО «ВымпелКом»' -> 'ВымпелКом',
    'Концерн «Майкрософт»' -> 'Майкрософт'. The span must end with the closing quote."""
    tokens = sentence.tokens
    for span in spans:
        opening = next((_ for _ in range(span.start + 1, span.stop) if tokens[_].text in OPENING), None)
        closing = span.stop < len(tokens) and tokens[span.stop].text in QUOTES
        if span.type == ORG and opening is not None and closing and opening + 1 < span.stop:
            yield TagSpan(opening + 1, span.stop, span.type)
        else:
            yield span


# the lowercase particles of foreign names: 'ибн Эзра', 'бин Ладен', 'фон Браун', 'ван Гог', 'де Голль'
NAME_PARTICLES = frozenset(
    {"ибн", "бин", "бен", "аль", "эль", "фон", "ван", "де", "дер", "ди", "дель", "делла", "ле", "ла"}
)


def name_particles(sentence: Sentence, spans: list[TagSpan]) -> Iterator[TagSpan]:
    """A person's name takes the lowercase particles before it: 'работах ибн [Эзра]' -> '[ибн Эзра]'."""
    tokens, taken = sentence.tokens, untagged_runs(sentence, spans)
    for span in spans:
        start = span.start
        while span.type == PER and start > 0 and taken[start - 1] and tokens[start - 1].text in NAME_PARTICLES:
            start -= 1
        yield span._replace(start=start)


NAMED_AFTER = ("им", "имени")  # 'Театр им. Йозефа Бойса', 'МГУ имени Ломоносова'


def joined_by_name(tokens: Sequence, span: TagSpan, following: TagSpan) -> bool:
    # 'им.' or 'имени' between the two, or ending the first: '[Театра им]. [Йозефа Бойса]'
    last, *between = [token.text.lower() for token in tokens[span.stop - 1 : following.start]]
    if last in NAMED_AFTER:
        return between in ([], ["."])
    return bool(between) and between[0] in NAMED_AFTER and between[1:] in ([], ["."])


def named_after(sentence: Sentence, spans: list[TagSpan]) -> Iterator[TagSpan]:
    """An organization named after a person takes the name in: '[Театра] им. [Йозефа Бойса]' (ORG, PER)
    -> '[Театра им. Йозефа Бойса]' (ORG)."""
    index = 0
    while index < len(spans):
        span, following = spans[index], spans[index + 1] if index + 1 < len(spans) else None
        if (
            span.type == ORG
            and following
            and following.type == PER
            and joined_by_name(sentence.tokens, span, following)
        ):
            yield TagSpan(span.start, following.stop, ORG)
            index += 2
        else:
            yield span
            index += 1


def span_text(sentence: Sentence, span: TagSpan) -> str:
    return " ".join(token.text for token in sentence.tokens[span.start : span.stop])


def span_lemmas(sentence: Sentence, span: TagSpan) -> str:
    return " ".join(token.lemma for token in sentence.tokens[span.start : span.stop])


def drop_generic(sentence: Sentence, spans: list[TagSpan]) -> Iterator[TagSpan]:
    """'по сообщениям СМИ': mass media is not an organization."""
    return (span for span in spans if span_text(sentence, span).lower() not in GENERIC)


def is_common_word(morph, word: str) -> bool:
    # 'адвокат', 'маэстро': pymorphy3's dictionary has it as a noun only, and never as a name;
    # not 'мороз' (a surname too), not 'бабушкин' (an adjective too, and so a surname's shape)
    if morph is None or not morph.is_known(word) or morph.name_grams(word):
        return False
    return {form.parse.tag.POS for form in morph.forms(word.lower())} == {"NOUN"}


def starts_sentence(tokens: Sequence, index: int) -> bool:
    # its capital is the sentence's: first, or after an opening quote or a dash: '«Адвокат ведёт себя'
    return index == 0 or tokens[index - 1].text in OPENING | {"—", "–", "-"}


def is_not_a_name(tokens: Sequence, start: int, stop: int, morph) -> bool:
    # 'Адвокат' (a common noun alone), 'Формулы-1' (digits)
    words = tokens[start:stop]
    if any(char.isdigit() for token in words for char in token.text):
        return True
    alone = len(words) == 1 and (
        words[0].pos == "NOUN" or (starts_sentence(tokens, start) and is_common_word(morph, words[0].text))
    )
    return alone


def drop_common_nouns(sentence: Sentence, spans: list[TagSpan], morph=None) -> Iterator[TagSpan]:
    """'Адвокат ведёт себя...', 'Маэстро не видит звёзд', 'пилота Формулы-1': a common noun alone (by
    the tagger, or by pymorphy3's dictionary where the capital is the sentence's), or words with
    digits, are not a person."""
    for span in spans:
        if not (span.type == PER and is_not_a_name(sentence.tokens, span.start, span.stop, morph)):
            yield span


def unions_are_organizations(sentence: Sentence, spans: list[TagSpan]) -> Iterator[TagSpan]:
    """'ЕС наложил штраф', 'Посол Евросоюза': a union of states is an ORG, not a LOC."""
    for span in spans:
        lemmas = span_lemmas(sentence, span).replace("ё", "е")
        if span.type == LOC and (lemmas in UNIONS or span_text(sentence, span).lower() in UNIONS):
            yield span._replace(type=ORG)
        else:
            yield span


SentenceRule = Callable[[Sentence, list[TagSpan]], Iterator[TagSpan]]


def sentence_rule(rule: SentenceRule, uses_morph: bool = False) -> Callable[..., Spans]:
    def apply(sentences: Sequence[Sentence], spans: Spans, morph=None) -> Spans:
        extra = (morph,) if uses_morph else ()
        return [
            list(rule(sentence, own, *extra)) if own else own for sentence, own in zip(sentences, spans, strict=False)
        ]

    apply.__name__ = rule.__name__
    apply.__doc__ = rule.__doc__
    return apply


def tagged(sentences: Sequence[Sentence], spans: Spans) -> Iterator[tuple[str, Sequence]]:
    # (type, tokens) of every span
    for sentence, own in zip(sentences, spans, strict=False):
        for span in own:
            yield span.type, sentence.tokens[span.start : span.stop]


def span_keys(sentences: Sequence[Sentence], spans: Spans) -> dict[tuple[str, ...], Counter]:
    """Lemma sequences of the tagged spans, with the votes of their types."""
    keys: dict[tuple[str, ...], Counter] = defaultdict(Counter)
    for type_, tokens in tagged(sentences, spans):
        if all(is_name_like(token.text) for token in tokens):
            keys[tuple(token.lemma for token in tokens)][type_] += 1
    return keys


def is_name_word(text: str) -> bool:
    # 'Топалова', not 'В.', 'ибн' or 'МИД'
    return len(text) > 2 and text[:1].isupper() and text[1:].islower()


def person_words(sentences: Sequence[Sentence], spans: Spans) -> dict[tuple[str, ...], Counter]:
    """Each capitalized word of a person's name, alone: 'Веселина Топалова' -> ('топалов',)."""
    keys: dict[tuple[str, ...], Counter] = defaultdict(Counter)
    for type_, tokens in tagged(sentences, spans):
        if type_ == PER and len(tokens) > 1:
            for token in filter(lambda _: is_name_word(_.text), tokens):
                keys[(token.lemma,)][PER] += 1
    return keys


def can_start(sentence: Sentence, index: int) -> bool:
    # a capital that is the name's own, not the sentence's: 'Топалов' (PROPN) first in a line is
    token = sentence.tokens[index]
    return token.text[:1].isupper() and (index > 0 or token.pos == "PROPN")


def untagged_runs(sentence: Sentence, own: list[TagSpan]) -> list[bool]:
    free = [True] * len(sentence.tokens)
    for span in own:
        free[span.start : span.stop] = [False] * (span.stop - span.start)
    return free


def find_key(sentence: Sentence, index: int, free: list[bool], keys: dict, sizes: dict) -> TagSpan | None:
    # sizes: first lemma -> the lengths of the keys that start with it, longest first
    tokens = sentence.tokens
    for size in sizes.get(tokens[index].lemma, ()):
        votes = keys.get(tuple(token.lemma for token in tokens[index : index + size]))
        if votes and all(free[index : index + size]):
            return TagSpan(index, index + size, votes.most_common(1)[0][0])
    return None


def propagate(sentences: Sequence[Sentence], spans: Spans, morph=None) -> Spans:
    """A name tagged once is tagged everywhere in the document: 'Голоса Америки' (ORG) makes
    'Голос Америки:' an ORG too; 'Веселина Топалова' makes a lone 'Топалов' a PER."""
    keys = span_keys(sentences, spans)
    for key, votes in person_words(sentences, spans).items():
        keys.setdefault(key, votes)
    if not keys:
        return spans
    sizes: dict[str, list[int]] = defaultdict(list)
    for key in sorted(keys, key=len, reverse=True):
        if len(key) not in sizes[key[0]]:
            sizes[key[0]].append(len(key))
    result = []
    for sentence, own in zip(sentences, spans, strict=False):
        free, found = untagged_runs(sentence, own), list(own)
        index = 0
        while index < len(sentence.tokens):
            span = find_key(sentence, index, free, keys, sizes) if free[index] and can_start(sentence, index) else None
            if span:
                found.append(span)
                index = span.stop
            else:
                index += 1
        result.append(sorted(found))
    return result


def people_by_name(sentences: Sequence[Sentence], spans: Spans, morph=None) -> Spans:
    """A lone word that is part of a person's full name in the document is that person, whatever
    the model said: 'Егор Свиридов' ... 'о Свиридове' (LOC) -> PER."""
    words = person_words(sentences, spans)
    if not words:
        return spans
    return [
        [
            span._replace(type=PER) if span.stop - span.start == 1 and (sentence.tokens[span.start].lemma,) in words
            else span
            for span in own
        ]
        for sentence, own in zip(sentences, spans, strict=False)
    ]  # fmt: skip


RULES: dict[str, Callable[..., Spans]] = {  # run in this order, whichever of them `rules` names
    "split_at_punctuation": sentence_rule(split_at_punctuation),
    "trim_edges": sentence_rule(trim_edges),
    "quoted_name": sentence_rule(quoted_name),
    "drop_generic": sentence_rule(drop_generic),
    "drop_common_nouns": sentence_rule(drop_common_nouns, uses_morph=True),
    "name_particles": sentence_rule(name_particles),
    "named_after": sentence_rule(named_after),
    "unions_are_organizations": sentence_rule(unions_are_organizations),
    "people_by_name": people_by_name,
    "propagate": propagate,
}


def correct(sentences: Sequence[Sentence], spans: Spans, rules: Sequence[str], morph=None) -> Spans:
    """The spans after each of `rules` (names from RULES), in RULES' order; `morph` (entities.nlp.morph.Morph)
    lets a rule ask pymorphy3's dictionary about a word."""
    for name, rule in RULES.items():
        if name in rules:
            spans = rule(sentences, spans, morph)
    return spans
