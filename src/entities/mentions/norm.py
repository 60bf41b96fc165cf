"""A mention's normal form: its words put in the nominative with pymorphy3.

Only the words that agree with the head change:
'Министерства иностранных дел России' -> 'Министерство иностранных дел России',
'Ермеком Кошербаевым' -> 'Ермек Кошербаев'. Case, hyphens and ё stay as written.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import NamedTuple

from ..records import LOC, PER
from .foreign import foreign_nominative, has_case_ending
from .shape import recover_shape

NOMINAL = ("NOUN", "PROPN")
MODIFIERS = ("ADJ", "DET", "VERB")  # 'Соединенному' is a participle to pymorphy
SPACE = re.compile(r"\s+")

# grammemes a parse of each type's words should carry: 'Иванове' LOC is the town, not the surname
PREFER = {PER: frozenset({"Name", "Surn", "Patr"}), LOC: frozenset({"Geox"})}


class Word(NamedTuple):
    """A token inside a mention, with its slovnet tag."""

    text: str
    pos: str
    feats: Mapping[str, str]
    gap: str  # the text between this token and the previous one


def is_word(word: Word) -> bool:
    return any(char.isalpha() for char in word.text)


def in_capitals(word: Word) -> bool:
    # 'ДПНИ', 'ЗАЗ' stay as written; 'МИДа' declines
    return len(word.text) > 1 and word.text.isupper()


def phrase_case(morph, words: Sequence[Word]) -> str | None:
    """The one case of words that agree: the tagger's vote among the cases all of them allow.

    'Ермеком Кошербаевым' (Ins, mistagged Nom) -> Ins; 'Алсу Фаридовна Шарипова' -> Nom;
    'Верховной рады' (рады mistagged Nom Plur) -> Gen. Words in pymorphy3's dictionary
    rule cases out; words it only guesses at break ties: 'Антониу Гутеррешу' (Ins, Dat) -> Dat.
    """
    votes = [word.feats["Case"] for word in words if "Case" in word.feats]
    cases = [(morph.is_known(word.text), morph.cases(word.text)) for word in words]
    allowed = [case for case in votes if all(case in allow for known, allow in cases if known and allow)]
    if not allowed:
        return votes[0] if votes else None
    guessed = [allow for known, allow in cases if not known]
    return max(allowed, key=lambda case: (sum(case in allow for allow in guessed), allowed.count(case)))


def trusted_feats(word: Word, case: str) -> dict:
    # a word whose case the tagger missed keeps none of its number either: 'рады' Nom Plur -> Gen
    feats = {**word.feats, "Case": case}
    if word.feats.get("Case") != case:
        feats.pop("Number", None)
    return feats


def head_index(morph, words: Sequence[Word]) -> int | None:
    """The first noun after leading modifiers, quotes and 'и': 'Астраханской области' -> 1.

    With no noun, the last of the modifiers: 'Большого' (театра) -> 0.
    """
    last = None
    for index, word in enumerate(words):
        if word.pos in NOMINAL and not morph.is_modifier(word.text):
            return index
        if word.pos in NOMINAL + MODIFIERS:
            last = index
        elif word.pos not in ("PUNCT", "CCONJ"):
            return None
    return last


def agreeing(morph, words: Sequence[Word], type_: str) -> tuple[list[int], int | None]:
    """Indexes of the words that take the nominative, and the head's (None for a person)."""
    if type_ == PER:
        # name parts stand in apposition: 'Ермеком Кошербаевым'
        indexes = [
            index for index, word in enumerate(words)
            if word.pos in NOMINAL + MODIFIERS and is_word(word) and not in_capitals(word)
        ]  # fmt: skip
        return indexes, None
    head = head_index(morph, words)
    if head is None:
        return [], None
    before = [index for index in range(head) if words[index].pos in NOMINAL + MODIFIERS]
    return [_ for _ in [*before, head, *name_after(morph, words, head)] if not in_capitals(words[_])], head


def name_after(morph, words: Sequence[Word], head: int) -> list[int]:
    # a team or ship named after a person declines as the name: 'Салавата Юлаева' -> 'Салават Юлаев'
    if "Name" not in morph.name_grams(words[head].text):
        return []
    indexes = []
    for index in range(head + 1, len(words)):
        if words[index].pos not in NOMINAL or not morph.name_grams(words[index].text) & {"Surn", "Patr"}:
            break
        indexes.append(index)
    return indexes


def inflect(morph, word: Word, feats: dict, type_: str, number: str | None = None, confirmed: bool = False) -> str:
    prefer = PREFER.get(type_, frozenset())
    nominative = morph.nominative(word.text, word.pos, feats, prefer, number)
    if type_ == PER and confirmed and not knows_name(morph, word, feats, prefer):
        nominative = foreign_nominative(word.text.lower(), feats.get("Case"), feats.get("Gender")) or nominative
    if nominative is None:
        return word.text
    return recover_shape(nominative, word.text)


def knows_name(morph, word: Word, feats: dict, prefer: frozenset) -> bool:
    # pymorphy3's dictionary has this form, or its guess is a name: 'Кошербаевым' by '-баевым'
    form = morph.case_form(word.text, word.pos, feats, prefer)
    return form is not None and (morph.is_known(word.text) or bool(form.grams & prefer))


def phrase_feats(morph, words: Sequence[Word], head: Word, case: str, type_: str) -> dict:
    # modifiers agree with the head's parse: 'Верховной' takes 'рады' as Gen Sing Fem
    feats = trusted_feats(head, case)
    form = morph.case_form(head.text, head.pos, feats, PREFER.get(type_, frozenset()))
    if form is not None:
        feats.update({key: form.feats[key] for key in ("Gender", "Number") if key in form.feats})
    return feats


def normal_words(morph, words: Sequence[Word], type_: str) -> list[str]:
    """Each word of the mention as it stands in the normal form."""
    indexes, head_at = agreeing(morph, words, type_)
    case = phrase_case(morph, [words[index] for index in indexes])
    texts = [word.text for word in words]
    if case in (None, "Nom"):
        return texts
    head = words[indexes[-1] if head_at is None else head_at]
    agreement = phrase_feats(morph, words, head, case, type_) if type_ != PER else {}
    modifiers = [words[index] for index in indexes if words[index] is not head]
    number = "Sing" if singular_ellipsis(morph, modifiers, agreement, case) else None
    confirmed = type_ == PER and case_confirmed(morph, [words[index] for index in indexes], case)
    for index in indexes:
        word = words[index]
        if type_ == PER:
            texts[index] = inflect(morph, word, trusted_feats(word, case), type_, confirmed=confirmed)
        elif word is head:
            texts[index] = inflect(morph, word, trusted_feats(word, case), type_, number)
        else:
            feats = {**trusted_feats(word, case), **agreement, **({"Number": number} if number else {})}
            texts[index] = inflect(morph, word, feats, type_)
    return texts


def case_confirmed(morph, words: Sequence[Word], case: str) -> bool:
    """Evidence the name is in this case: a part pymorphy3 knows declined in it ('Йенса Лемана':
    Йенса is Gen), or every part ending as that case ends ('Олафу Шольцу'). Only then are the parts
    it does not know inflected by their endings: 'Лемана' -> 'Леман', but not a lone 'Ларрионда'
    (a nominative the tagger took for a genitive)."""
    declined = [
        word for word in words
        if morph.is_known(word.text) and case in morph.cases(word.text) and len(morph.cases(word.text)) < 6
    ]  # fmt: skip
    endings = [word for word in words if has_case_ending(word.text.lower(), case, word.feats.get("Gender"))]
    return bool(declined) or (len(words) > 1 and len(endings) == len(words))


def singular_ellipsis(morph, modifiers: Sequence[Word], agreement: dict, case: str) -> bool:
    """'(Бийского и) Змеиногорского районов' names one district: 'Змеиногорский район'."""
    if agreement.get("Number") != "Plur" or not modifiers:
        return False
    return all(
        morph.case_form(word.text, word.pos, {"Case": case, "Number": "Plur"}) is None
        and morph.case_form(word.text, word.pos, {"Case": case, "Number": "Sing"}) is not None
        for word in modifiers
    )


def join_words(texts: Sequence[str], words: Sequence[Word]) -> str:
    parts = []
    for index, (text, word) in enumerate(zip(texts, words, strict=True)):
        if index:
            parts.append(SPACE.sub(" ", word.gap))
        parts.append(text)
    return "".join(parts)
