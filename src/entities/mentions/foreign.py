"""Nominatives of names pymorphy3 does not know: a case ending off, the nominative ending on.

'Райкконена' Masc Gen -> 'Райкконен', 'Шольцу' Masc Dat -> 'Шольц', 'Асию' Fem Acc -> 'Асия',
'Маехары' Gen -> 'Маехара'. Used for person names only, when pymorphy3 has no dictionary
parse of the word, or guesses one that is not a name.
"""

from __future__ import annotations

CYRILLIC_VOWELS = set("аеёиоуыэюя")

# (gender, case) -> (ending in that case, ending in the nominative), longest first
ENDINGS: dict[tuple[str, str], tuple[tuple[str, str], ...]] = {
    ("Masc", "Gen"): (("а", ""), ("я", "ь"), ("ы", "а"), ("и", "а")),
    ("Masc", "Acc"): (("а", ""), ("я", "ь"), ("у", "а")),
    ("Masc", "Dat"): (("у", ""), ("ю", "ь")),
    ("Masc", "Ins"): (("ом", ""), ("ем", ""), ("ём", ""), ("ой", "а")),
    ("Masc", "Loc"): (("е", ""),),
    ("Fem", "Gen"): (("ы", "а"), ("и", "я")),
    ("Fem", "Dat"): (("е", "а"), ("и", "я")),
    ("Fem", "Acc"): (("у", "а"), ("ю", "я")),
    ("Fem", "Ins"): (("ой", "а"), ("ей", "я"), ("ою", "а")),
    ("Fem", "Loc"): (("е", "а"), ("и", "я")),
}


VELARS = set("гкхжшчщ")  # -и, not -ы, after them: 'Дерипаски' -> 'Дерипаска'


def stem_fits(stem: str, ending: str, nominative_ending: str) -> bool:
    # a consonant before a dropped ending: 'Райкконен', not 'Тор' from 'Тору' (no consonant rule for -у)
    if ending == "и" and nominative_ending == "а" and stem[-1:] not in VELARS:
        return False
    return len(stem) >= 2 and (bool(nominative_ending) or stem[-1] not in CYRILLIC_VOWELS)


def foreign_nominative(word: str, case: str | None, gender: str | None) -> str | None:
    """The nominative of a lowercase name form, or None when no ending fits."""
    for ending, nominative in ENDINGS.get((gender or "Masc", case or ""), ()):
        if word.endswith(ending):
            stem = word[: -len(ending)]
            if nominative == "ь" and stem[-1:] in CYRILLIC_VOWELS:
                nominative = "й"  # 'Бесселя' -> 'Бессель', 'Хосея' -> 'Хосей'
            if stem_fits(stem, ending, nominative):
                return stem + nominative
            return None
    return None


def has_case_ending(word: str, case: str | None, gender: str | None) -> bool:
    """'шольцу' Dat Masc -> True: the word ends as a name in that case does."""
    return any(word.endswith(ending) for ending, _ in ENDINGS.get((gender or "Masc", case or ""), ()))
