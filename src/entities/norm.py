"""A mention's normal form: its words put in the nominative with pymorphy3.

Only the words that agree with the head change:
'Министерства иностранных дел России' -> 'Министерство иностранных дел России',
'Ермеком Кошербаевым' -> 'Ермек Кошербаев'. Case, hyphens and ё stay as written.
"""

from __future__ import annotations

import re
from typing import NamedTuple, Sequence

from .records import PER
from .shape import recover_shape

NOMINAL = ("NOUN", "PROPN")
MODIFIERS = ("ADJ", "DET", "VERB")  # 'Соединенному' is a participle to pymorphy
AGREEMENT = ("Case", "Gender", "Number")
SPACE = re.compile(r"\s+")


class Word(NamedTuple):
    """A token inside a mention, with its slovnet tag."""

    text: str
    pos: str
    feats: dict
    gap: str  # the text between this token and the previous one


def needs_inflection(word: Word, feats: dict) -> bool:
    return feats.get("Case") not in (None, "Nom") and any(char.isalpha() for char in word.text)


def head_index(words: Sequence[Word]) -> int | None:
    """The first noun after leading modifiers and quotes: 'Астраханской области' -> 1."""
    for index, word in enumerate(words):
        if word.pos in NOMINAL:
            return index
        if word.pos not in MODIFIERS and word.pos != "PUNCT":
            return None
    return None


def agreeing_feats(word: Word, head: Word) -> dict:
    # an adjective takes the head's case, gender and number: tagger slips do not split the phrase
    feats = dict(word.feats)
    feats.update({key: head.feats[key] for key in AGREEMENT if key in head.feats})
    return feats


def allowed_cases(morph, word: Word) -> set[str]:
    # the cases pymorphy3 allows the written form: 'Фаридовна' -> {'Nom'}, 'Ермеком' -> {'Ins'}
    return {form.feats["Case"] for form in morph.forms(word.text.lower()) if "Case" in form.feats}


def person_case(morph, words: Sequence[Word]) -> str | None:
    """The one case of all name parts: the tagger's vote among the cases every part allows.

    'Ермеком Кошербаевым' (Ins, mistagged Nom) -> Ins; 'Алсу Фаридовна Шарипова' -> Nom.
    """
    parts = [word for word in words if word.pos in NOMINAL + MODIFIERS]
    votes = [word.feats["Case"] for word in parts if "Case" in word.feats]
    allowed = set.intersection(*(allowed_cases(morph, word) or {*votes} for word in parts)) if parts else set()
    agreed = [case for case in votes if case in allowed]
    if agreed:
        return max(agreed, key=agreed.count)
    return votes[0] if votes else None


def person_plan(morph, words: Sequence[Word]) -> dict[int, dict]:
    # name parts stand in apposition and share one case
    case = person_case(morph, words)
    if case in (None, "Nom"):
        return {}
    return {index: {**word.feats, "Case": case} for index, word in enumerate(words) if word.pos in NOMINAL + MODIFIERS}


def inflection_plan(morph, words: Sequence[Word], type_: str) -> dict[int, dict]:
    """Indexes of the words to inflect, with the feats to choose their parse by."""
    if type_ == PER:
        return person_plan(morph, words)
    head = head_index(words)
    if head is None:
        return {}
    plan = {index: agreeing_feats(words[index], words[head]) for index in range(head) if words[index].pos in MODIFIERS}
    plan[head] = words[head].feats
    return plan


def inflect(morph, word: Word, feats: dict) -> str:
    if not needs_inflection(word, feats):
        return word.text
    nominative = morph.nominative(word.text, word.pos, feats)
    if nominative is None:
        return word.text
    return recover_shape(nominative, word.text)


def join_words(texts: Sequence[str], words: Sequence[Word]) -> str:
    parts = []
    for index, (text, word) in enumerate(zip(texts, words)):
        if index:
            parts.append(SPACE.sub(" ", word.gap))
        parts.append(text)
    return "".join(parts)


def normal_words(morph, words: Sequence[Word], type_: str) -> list[str]:
    """Each word of the mention as it stands in the normal form."""
    plan = inflection_plan(morph, words, type_)
    return [inflect(morph, word, plan[index]) if index in plan else word.text for index, word in enumerate(words)]


def normalize(morph, words: Sequence[Word], type_: str) -> str:
    """'Астраханской области' LOC -> 'Астраханская область'."""
    return join_words(normal_words(morph, words, type_), words)
