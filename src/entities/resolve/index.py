"""Index: a document's groups by the keys of their mentions, so that a mention meets only the groups
it may join: those of its normal form, spelling, sound, alias, surname, first name, acronym."""

from __future__ import annotations

from ..records import PER, Mention
from .abbreviation import abbreviated, acronym_forms
from .aliases import Alias
from .declension import surname_variants
from .group import Group
from .spelling import fold, is_one_letter, name_sound, skeleton, sound
from .words import name_words, written_words


def name_keys(mention: Mention) -> set[tuple]:
    # the first letters of each name word: 'Кисидой' and 'Кисида' share 'кис'
    return {("name", skeleton(word, PER)[:3]) for word in name_words(mention)} if mention.type == PER else set()


def common_keys(mention: Mention, alias: Alias | None) -> set[tuple]:
    """What both a mention is looked up by and a group is found by: normal form, spelling, sound,
    alias, the start of its name words."""
    keys = {("normal", fold(mention.normal)), ("spelling", skeleton(mention.normal, mention.type)), *name_keys(mention)}
    keys.add(("sound", name_sound(mention.normal)))
    if alias is not None:
        keys.add(("alias", alias.key))
    return keys


def mention_keys(mention: Mention, alias: Alias | None = None) -> set[tuple]:
    """What a mention may be looked up by: the common keys, surname, first name, acronym, its first letters."""
    keys = common_keys(mention, alias)
    if mention.type == PER:
        keys.update(("name", skeleton(word, PER)[:3]) for word in written_words(mention))
    elif len(mention.text.split()) == 1:
        keys.add(("word", fold(mention.text)[:3]))
    if mention.last:
        keys.update(("last", variant) for variant in surname_variants(mention.last))
        keys.add(("consonants", sound(mention.last)))
    if mention.first and not is_one_letter(mention.first):
        keys.add(("first", fold(mention.first)))
    if abbreviated(mention.normal):
        keys.add(("acronym", fold(mention.normal)))
    return keys


def group_keys(mention: Mention, alias: Alias | None = None) -> set[tuple]:
    """What a group is found by, for each mention it takes in."""
    keys = common_keys(mention, alias)
    if mention.last:
        keys.add(("last", fold(mention.last)))
        keys.add(("consonants", sound(mention.last)))
    if mention.first and not is_one_letter(mention.first):
        keys.add(("first", fold(mention.first)))
    keys.update(("acronym", form) for form in acronym_forms(mention.normal))
    if mention.type != PER:  # 'Тоттенхэма', 'Большого', 'Минфин' look it up so
        keys.add(("word", fold(mention.normal)[:3]))
    return keys


class Index:
    """Groups by the keys of their mentions: candidates for a mention without a scan of them all."""

    def __init__(self):
        self.groups: list[Group] = []
        self.by_key: dict[tuple, dict[int, Group]] = {}

    def candidates(self, mention: Mention, alias: Alias | None) -> list[Group]:
        found = {}
        for key in mention_keys(mention, alias):
            found.update(self.by_key.get(key, {}))
        return list(found.values())

    def add(self, group: Group, mention: Mention) -> None:
        if not group.members:
            self.groups.append(group)  # a new group
        group.members.append(mention)
        written = (mention.type, mention.text, mention.normal, mention.first, mention.middle, mention.last)
        group.distinct.setdefault(written, mention)
        group.normals.add(fold(mention.normal))
        group.skeletons.add(skeleton(mention.normal, mention.type))
        group.acronyms.update(acronym_forms(mention.normal))
        for key in group_keys(mention, group.alias):
            self.by_key.setdefault(key, {})[id(group)] = group
