"""How Russian names decline, whatever pymorphy3 knows of them: case forms by paradigm, a surname's
forms in its own gender, and its form in the other gender.

    'Кисидой' of 'Кисида', 'Шольца' of 'Шольц'      (declines_to)
    'Захарова' -> захарова, захаровой, захарову ...  (surname_forms)
    'Захаров' -> захаров, захарова                   (surname_variants)
"""

from __future__ import annotations

from .spelling import fold

FEMININE = (("ова", "ов"), ("ева", "ев"), ("ёва", "ёв"), ("ина", "ин"), ("ына", "ын"), ("ская", "ский"),
            ("цкая", "цкий"), ("ая", "ой"))  # fmt: skip

# (nominative ending, what the case forms put in its place): the gender stays, the case varies
SURNAME_FORMS = (
    ("а", ("а", "ой", "у", "ою", "ы", "е")),  # Захарова, Дерипаска
    ("ая", ("ая", "ой", "ую")),  # Жуковская
    ("ий", ("ий", "ого", "ому", "им", "ом")),  # Жуковский
    ("", ("", "а", "у", "ым", "ом", "ем", "е")),  # Бабушкин, Шольц
)
VOWEL_ENDS = set("еёиоуыэюя")  # Шойгу, Биби, Матвиенко: no case forms

# (nominative ending, the endings of its case forms): how a name declines, whatever pymorphy3 knows of it
PARADIGMS = (
    ("", ("а", "у", "ом", "ем", "ём", "е", "ым")),  # Шольц, Шольца, Шольцем; Путиным
    ("ь", ("я", "ю", "ем", "ём", "е")),  # Игорь
    ("й", ("я", "ю", "ем", "е")),  # Андрей
    ("а", ("ы", "и", "е", "у", "ой", "ою")),  # Кисида, Кисидой
    ("я", ("и", "е", "ю", "ей", "ёй", "ею")),  # Мария
    ("ий", ("ого", "ому", "им", "ом")),  # Жуковский
    ("ый", ("ого", "ому", "ым", "ом")),
    ("ой", ("ого", "ому", "ым", "им", "ом")),  # Толстой; Большим (и after ш, ж, ч, щ, к, г, х)
    ("ая", ("ой", "ую")),  # Жуковская
)
ADJECTIVES = ("ый", "ий", "ой", "ая", "яя", "ое", "ее", "ые", "ие")  # an adjective's nominative: 'Большой'
ADJECTIVE_ENDINGS = ("ого", "его", "ому", "ему", "ым", "им", "ой", "ей", "ый", "ий", "ая", "яя", "ую", "юю", "ое", "ее")


def declines_to(form: str, nominative: str) -> bool:
    """Whether `form` is a case form of the name `nominative`, by a paradigm of Russian case endings:
    'кисидой' of 'кисида', 'шольца' of 'шольц'; not 'кисиды' of 'кисид' (no such paradigm)."""
    if form == nominative:
        return True
    for ending, endings in PARADIGMS:
        if nominative.endswith(ending) and len(nominative) - len(ending) >= 2:
            stem = nominative[: len(nominative) - len(ending)]
            # 'Шойгу' declines not
            if form.startswith(stem) and form[len(stem) :] in endings and (ending or stem[-1] not in VOWEL_ENDS):
                return True
    return False


def surname_variants(last: str) -> set[str]:
    """'Захаров' -> {'захаров', 'захарова'}; 'Захарова' -> {'захарова', 'захаров'}."""
    last = fold(last)
    variants = {last}
    for feminine, masculine in FEMININE:
        if last.endswith(feminine):
            variants.add(last[: -len(feminine)] + masculine)
        if last.endswith(masculine):
            variants.add(last[: -len(masculine)] + feminine)
    return variants


def surname_forms(last: str) -> set[str]:
    """The case forms of a surname in its own gender: 'Захарова' -> захарова, захаровой, захарову, ..."""
    last = fold(last)
    if last[-1:] in VOWEL_ENDS:
        return {last}
    for ending, forms in SURNAME_FORMS:
        if last.endswith(ending) and not (ending == "" and last.endswith(("а", "я"))):
            stem = last[: len(last) - len(ending)]
            return {stem + form for form in forms}
    return {last}


def in_order(forms: list[set[str]], parts: list[str]) -> bool:
    """Whether each word (its forms) declines to a part, the parts taken in order."""
    at = 0
    for candidates in forms:
        while at < len(parts) and not any(declines_to(form, parts[at]) for form in candidates):
            at += 1
        if at == len(parts):
            return False
        at += 1
    return True
