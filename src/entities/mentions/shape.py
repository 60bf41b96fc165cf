"""Give an inflected lowercase word the letter case of the word as written."""

from __future__ import annotations

import re

PART = re.compile(r"[^\W\d_]+|[\W\d_]+")


def parts(word: str) -> list[str]:
    # 'Жан-Клода' -> ['Жан', '-', 'Клода']
    return PART.findall(word)


def copy_case(word: str, ref: str) -> str:
    # 'мид', 'МИДа' -> 'МИД'
    return "".join(
        char.upper() if index < len(ref) and ref[index].isupper() else char for index, char in enumerate(word)
    )


def part_shape(part: str, ref: str) -> str:
    if ref.islower():
        return part.lower()
    if ref.isupper() and len(ref) > 1:
        return part.upper()
    if ref.istitle():
        return part.capitalize()
    return copy_case(part, ref)


def recover_shape(word: str, ref: str) -> str:
    """'захарова', 'Захаровой' -> 'Захарова'; 'ростов-на-дону', 'Ростове-на-Дону' -> 'Ростов-на-Дону'."""
    if word.lower() == ref.lower():
        return ref
    word_parts, ref_parts = parts(word), parts(ref)
    if len(word_parts) != len(ref_parts):
        return copy_case(word, ref)
    return "".join(part_shape(part, ref_part) for part, ref_part in zip(word_parts, ref_parts, strict=True))
