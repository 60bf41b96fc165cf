"""First, middle and last name of a person mention, from its normal-form words.

'Игорь Бабушкин' -> first 'Игорь', last 'Бабушкин';
'Путин Владимир Владимирович' -> last 'Путин', first 'Владимир', middle 'Владимирович';
'И. Бабушкин' -> first 'И.', last 'Бабушкин'.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple


class Name(NamedTuple):
    first: str = ""
    middle: str = ""
    last: str = ""


def join_initials(texts: Sequence[str]) -> list[str]:
    # ['И', '.', 'Бабушкин'] -> ['И.', 'Бабушкин']
    words: list[str] = []
    for text in texts:
        if text == "." and words and is_initial(words[-1]):
            words[-1] += "."
        elif any(char.isalpha() for char in text):
            words.append(text)
    return words


def is_initial(word: str) -> bool:
    letters = word.rstrip(".")
    return len(letters) == 1 and letters.isupper()


def is_given(word: str, grams: frozenset) -> bool:
    return is_initial(word) or ("Name" in grams and "Surn" not in grams)


def is_patronymic(word: str, grams: frozenset, previous: str) -> bool:
    return "Patr" in grams or (is_initial(word) and is_initial(previous))


def one_word(word: str, grams: frozenset) -> Name:
    # 'Игорь' -> first; 'Бабушкин' -> last
    return Name(first=word) if is_given(word, grams) else Name(last=word)


def surname_first(words: Sequence[str], grams: Sequence[frozenset]) -> bool:
    # 'Путин Владимир' or 'Путин Владимир Владимирович'
    return not is_given(words[0], grams[0]) and is_given(words[1], grams[1])


def split_name(words: Sequence[str], grams: Sequence[frozenset]) -> Name:
    if not words:
        return Name()
    if len(words) == 1:
        return one_word(words[0], grams[0])
    if surname_first(words, grams):
        middle = " ".join(words[2:])
        return Name(first=words[1], middle=middle, last=words[0])
    if len(words) >= 3 and is_patronymic(words[1], grams[1], words[0]):
        return Name(first=words[0], middle=words[1], last=" ".join(words[2:]))
    if len(words) == 2 and is_patronymic(words[1], grams[1], words[0]):
        return Name(first=words[0], middle=words[1])
    return Name(first=words[0], last=" ".join(words[1:]))


def name_parts(morph, texts: Sequence[str]) -> Name:
    """Name parts of a person from the words of its normal form."""
    words = join_initials(texts)
    grams = [morph.name_grams(word) for word in words]
    return split_name(words, grams)
