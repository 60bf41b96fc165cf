"""How a name is written: folded, reduced to a skeleton across transliterations, sounded across scripts.

'Королёв', 'королев'      one folded name      (fold)
'Жан-Клод', 'Жан Клод'    one skeleton         (skeleton)
'Джошуа', 'Joshua'        one sound, 's'       (sound)
'Бонер', 'Бенер'          one vowel apart      (one_vowel_apart)
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

from ..records import PER

SPELLINGS = 65_536  # names whose spelling and sound are kept: a corpus repeats its names
SKELETON = str.maketrans({"ё": "е", "э": "е", "-": None, " ": None, "ь": None})
ROMAN = str.maketrans({
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh", "з": "z", "и": "i", "й": "y",
    "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f",
    "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu", "я": "ya",
})  # fmt: skip
MISSPELT = 5  # the shortest name a misspelt vowel joins: 'Бонер' and 'Бенер'; not 'Ким' and 'Кем'
ENDING = 2  # the last letters, where a case or gender ending may be
VOWELS = set("аеёиоуыэюяaeiouy")
# what two scripts write alike, longest first: 'Джошуа' and 'Joshua', 'Хоровитц' and 'Horowitz', 'Фэйсбук'
# and 'Facebook' (c before e, i, y is s)
SOUNDS = (("shch", "s"), ("sch", "s"), ("ce", "se"), ("ci", "si"), ("cy", "sy"), ("dzh", "j"), ("zh", "j"),
          ("kh", "h"), ("tz", "ts"), ("th", "t"), ("ph", "f"), ("ck", "k"), ("sh", "s"), ("w", "v"), ("x", "ks"),
          ("q", "k"), ("z", "s"), ("c", "k"))  # fmt: skip


@lru_cache(maxsize=SPELLINGS)
def skeleton(text: str, type_: str) -> str:
    """A name's spelling with the variants of transliteration folded: 'Жан-Клод' and 'Жан Клод', 'Мэтт'
    and 'Мэт', 'Фейсбук' and 'Фэйсбук'; for a person 'Нетаньягу' and 'Нетаньяху' (г for h)."""
    text = text.lower().translate(SKELETON)
    if type_ == PER:
        text = text.replace("г", "х")
    return "".join(
        char for index, char in enumerate(text) if not index or char != text[index - 1] or not char.isalpha()
    )


def script(text: str) -> str:
    """'cyrillic', 'latin', or '' for a text with letters of both or neither."""
    cyrillic = any("а" <= char <= "я" or char == "ё" for char in text.lower())
    latin = any("a" <= char <= "z" for char in text.lower())
    return "cyrillic" if cyrillic and not latin else "latin" if latin and not cyrillic else ""


@lru_cache(maxsize=SPELLINGS)
def sound(word: str) -> str:
    """A word's consonants as either script writes them: 'Джошуа', 'Joshua' -> 's'; 'Вольф', 'Wolf' -> 'vlf'."""
    text = unicodedata.normalize("NFKD", word.lower()).translate(ROMAN)
    text = "".join(char for char in text if "a" <= char <= "z")
    for written, said in SOUNDS:
        text = text.replace(written, said)
    consonants = [char for char in text if char not in "aeiouyj"]
    return "".join(char for index, char in enumerate(consonants) if not index or char != consonants[index - 1])


@lru_cache(maxsize=SPELLINGS)
def name_sound(normal: str) -> str:
    # 'Joshua Wolf', 'Джошуа Вольф' -> 's vlf'
    return " ".join(sound(word) for word in normal.replace("-", " ").split())


def fold(text: str) -> str:
    # 'Королёв' and 'королев' are one name
    return text.lower().replace("ё", "е")


def is_one_letter(word: str) -> bool:
    # 'И', 'и.', 'J': an initial, whatever its case (mentions.name.is_initial wants a capital)
    return len(word.rstrip(".")) == 1


def one_vowel_apart(one: str, other: str) -> bool:
    if len(one) != len(other) or len(one) < MISSPELT or " " in one:
        return False
    apart = [index for index, (a, b) in enumerate(zip(one, other, strict=True)) if a != b]
    if len(apart) != 1 or not 0 < apart[0] < len(one) - ENDING:  # 'Иванову' is a case of 'Иванов', not 'Иванова'
        return False
    return one[apart[0]] in VOWELS and other[apart[0]] in VOWELS
