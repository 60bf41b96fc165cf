"""Group: an entity of one document as it grows, and the names its members give it."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..records import PER, Mention
from .aliases import Alias
from .spelling import fold, skeleton
from .words import name_words


@dataclass(slots=True)
class Group:
    """An entity as it grows: its mentions, the fullest of them, their normal forms and acronyms,
    and the alias that links it, if one does."""

    type: str
    best: Mention
    alias: Alias | None = None
    members: list = field(default_factory=list)
    # one member per way of being written and named (type, text, normal, name parts): what the rules compare,
    # so a name a long document repeats a thousand times is compared once
    distinct: dict = field(default_factory=dict)
    normals: set = field(default_factory=set)  # folded normal forms of the members
    skeletons: set = field(default_factory=set)  # their spellings' skeletons
    acronyms: set = field(default_factory=set)  # 'МИД' of a member 'Министерство иностранных дел'


def new_group(mention: Mention, alias: Alias | None) -> Group:
    return Group(mention.type, mention, alias)


def fuller_names(group: Group, words: int) -> list[list[str]]:
    """The spellings of the group's names of more than `words` name words: ['фумио', 'кисида']."""
    names = {tuple(skeleton(word, PER) for word in name_words(member)) for member in group.distinct.values()}
    return [list(name) for name in names if len(name) > words]


def group_names(group: Group) -> set[tuple[str, ...]]:
    """The group's names of more than one word, folded, word by word."""
    return {tuple(fold(member.normal).split()) for member in group.distinct.values() if len(member.normal.split()) > 1}
