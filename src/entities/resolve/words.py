"""A mention's name word by word, as normalized or as written (a particle goes with the word after it),
how full a name is, and whether one name is, word by word, a case form of another."""

from __future__ import annotations

from dataclasses import replace

from ..records import PER, Mention
from .declension import declines_to
from .spelling import fold, is_one_letter, script, skeleton

PARTICLES = {"фон", "дер", "ван", "де", "ди", "да", "дель", "ла", "ле", "бин", "ибн", "аль", "эль", "ад", "ас"}


def completeness(mention: Mention) -> tuple:
    # full names before surnames, full first names before initials, longer before shorter
    # and a Russian spelling before a Latin one: 'Джошуа Вольф' names the entity of 'Joshua Wolf'
    parts = [mention.first, mention.middle, mention.last]
    full, named = sum(bool(_) and not is_one_letter(_) for _ in parts), sum(bool(_) for _ in parts)
    return full, named, script(mention.normal) != "latin", len(mention.normal)


def name_words(mention: Mention) -> list[str]:
    # 'Урсула фон дер Ляйен' -> ['урсула', 'фондерляйен']: a particle goes with the name after it
    words, particles = [], ""
    for word in mention.normal.split():
        if fold(word) in PARTICLES:
            particles += fold(word)
        else:
            words.append(particles + fold(word))
            particles = ""
    return words


def written_words(mention: Mention) -> list[str]:
    return name_words(replace(mention, normal=mention.text))


def declines_as(form: Mention, name: Mention) -> bool:
    """Whether the person's name as `form` writes it is, word by word, a case form of `name`'s normal
    form: 'Веселина Топалова' of 'Веселин Топалов'."""
    written, words = written_words(form), name_words(name)
    return len(written) == len(words) and all(
        declines_to(skeleton(a, PER), skeleton(b, PER)) for a, b in zip(written, words, strict=True)
    )
