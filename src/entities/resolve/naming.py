"""What a document's entity and its mentions are called: a person's nominative as the text writes it,
a lone name in the form of the part of the full name it is, a place's or body's attested name."""

from __future__ import annotations

from dataclasses import replace

from ..records import PER, Mention
from .declension import declines_to, surname_variants
from .group import Group
from .spelling import fold, script, skeleton
from .words import completeness, declines_as, name_words, written_words


def nominative(group: Group) -> Mention:
    """The person's fullest name as the text writes it in the nominative: of 'Веселина Топалова' (a
    genitive pymorphy3 took for a woman's name) and 'Веселин Топалов', the one the other declines to,
    written so in the text."""
    best = group.best
    if group.type != PER:
        return best
    size = len(name_words(best))
    names = [member for member in group.members if len(name_words(member)) == size]
    if all(fold(member.normal) == fold(best.normal) for member in names):
        return best
    for name in sorted(names, key=completeness, reverse=True):
        # a nominative the text wrote, not one pymorphy3 made up
        if written_so(name) and all(declines_as(member, name) for member in names):
            return name
    return best


def written_so(mention: Mention) -> bool:
    return fold(mention.text) == fold(mention.normal)


def gendered(mention: Mention, group: Group) -> Mention:
    """A lone name takes the form of the part of the full name it is: 'Бабушкина' (his genitive) of
    'Игорь Бабушкин' is 'Бабушкин', and so is 'Бабушкиной' where it joined him (no woman of that
    name in the text: see docs/entities.md); 'Шольца' (pymorphy3 says 'Шолец') of 'Олаф Шольц' is
    'Шольц'; 'Кисидой' (taken for a first name) of 'Фумио Кисида' is the last name 'Кисида'. A full
    name that is a case form of the person's name takes it: 'Веселина Топалова' of 'Веселин Топалов'."""
    if mention.type != PER:
        return mention
    if len(name_words(mention)) > 1:
        full = group.best
        # its own spelling of the same name stays: 'Михаил Сааакашвили'
        other = skeleton(full.normal, PER) != skeleton(mention.normal, PER)
        if other and written_so(full) and declines_as(mention, full):
            return replace(mention, normal=full.normal, first=full.first, middle=full.middle, last=full.last)
        return mention
    fuller = [
        member
        for member in group.distinct.values()
        if len(name_words(member)) > 1 and script(member.normal) == script(mention.normal)
    ]
    best = max(fuller, key=completeness, default=None)
    if best is None:
        return mention
    if mention.first and best.first and fold(mention.first) == fold(best.first):
        return mention
    if mention.last and best.last and fold(mention.last) == fold(best.last):
        return mention
    forms = {skeleton(word, PER) for word in [*written_words(mention), *name_words(mention)]}
    for part in ("last", "first"):
        name = getattr(best, part)
        words = (
            name.split() if len(name_words(replace(best, normal=name))) > 1 else [name]
        )  # 'Тайип Эрдоган': 'Эрдоган'
        for word in words:
            if any(declines_to(form, skeleton(word, PER)) for form in forms):
                # its own spelling when it is the same name: 'Саакашвили' of 'Михаил Сааакашвили' (a typo)
                word = mention.normal if skeleton(mention.normal, PER) == skeleton(word, PER) else word
                return replace(mention, normal=word, first=word if part == "first" else "", middle="",
                               last=word if part == "last" else "")  # fmt: skip
    if mention.last and best.last and fold(best.last) in surname_variants(mention.last):
        return replace(mention, normal=best.last, last=best.last)
    return mention


def attested_name(group: Group) -> str:
    """The name of a place or body as the text writes it in the nominative: of 'Тоттенхэма' and
    'Тоттенхэм', the one the other declines to; else the fullest mention's normal form."""
    names = list(dict.fromkeys(fold(member.normal) for member in group.members if len(member.normal.split()) == 1))
    if group.type == PER or len(names) < 2 or len(group.best.normal.split()) != 1:
        return group.best.normal
    fits = [name for name in names if all(declines_to(other, name) for other in names)]
    if not fits or fold(group.best.normal) in fits:
        return group.best.normal
    return next(member.normal for member in group.members if fold(member.normal) == min(fits, key=len))
