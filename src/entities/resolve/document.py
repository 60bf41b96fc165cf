"""Mentions of one document -> entities: who and what is mentioned, once each.

Mentions are taken fullest first, so 'Бабушкина' finds 'Игорь Бабушкин' waiting. Each joins the one
group, of those the index finds for it, that the rules join it to, or starts a group of its own; a
mention that fits two entities joins neither. Then the entities and their mentions take their names.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace

from ..records import Entity, Mention
from ..text.plain import plain
from .aliases import Alias, Aliases, builtin
from .group import Group, new_group
from .index import Index
from .naming import attested_name, gendered, nominative
from .rules import GROUPING_RULES, verdict
from .spelling import fold
from .words import completeness


def choose(mention: Mention, groups: list[Group], rules: Sequence[Callable], alias: Alias | None) -> Group | None:
    """The one group the mention joins; none when no rule joins it or the choice is ambiguous: a lone
    'Бут' where the text names 'Виктор Бут' and 'Алла Бут' joins neither. (Taking the one named last
    before it joined the devset's lone names right and the testset's wrong, more often than not.)"""
    joined = [group for group in groups if verdict(mention, group, rules, alias)]
    if len(joined) > 1:
        joined = [group for group in joined if fold(group.best.normal) == fold(mention.normal)]
    return joined[0] if len(joined) == 1 else None


def plain_mention(mention: Mention) -> Mention:
    # the rules compare names as a reader sees them: 'Наваль\xadным' is written 'Навальным'
    text = plain(mention.text)
    return mention if text is mention.text else replace(mention, text=text)


def to_entity(entity_id: int, group: Group) -> Entity:
    best, alias = group.best, group.alias
    first_start = min(member.start for member in group.members)
    canonical, key = (alias.canonical, alias.key) if alias else (attested_name(group), "")
    return Entity(
        entity_id, group.type, canonical, best.first, best.middle, best.last, len(group.members), first_start, key
    )


def group_mentions(mentions: Sequence[Mention], rules: Sequence[Callable] = GROUPING_RULES,
                   aliases: Aliases | None = None) -> tuple[tuple, tuple]:  # fmt: skip
    """(mentions with entity_id, entities) of one document; entity ids in order of first mention.
    `aliases`: the table of names that link (default: the built-in one)."""
    aliases = builtin() if aliases is None else aliases
    written, mentions = mentions, [plain_mention(mention) for mention in mentions]  # 'Пу\u200dтин' is 'Путин'
    index_ = Index()
    owner: dict[int, Group] = {}
    for index in sorted(range(len(mentions)), key=lambda _: completeness(mentions[_]), reverse=True):
        mention = mentions[index]
        alias = aliases.find(mention.type, mention.normal)
        group = choose(mention, index_.candidates(mention, alias), rules, alias) or new_group(mention, alias)
        if group.alias is None and alias is not None:
            group.alias = alias
        index_.add(group, mention)
        owner[index] = group
    groups = sorted(index_.groups, key=lambda group: min(member.start for member in group.members))
    for group in groups:
        group.best = nominative(group)
    ids = {id(group): number for number, group in enumerate(groups)}
    grouped = tuple(
        replace(gendered(mention, owner[index]), entity_id=ids[id(owner[index])], text=written[index].text)
        for index, mention in enumerate(mentions)
    )
    return grouped, tuple(to_entity(number, group) for number, group in enumerate(groups))
