"""Mentions of one document -> entities: who and what is mentioned, once each.

Rules are small functions tried in order; the first verdict wins (razdel style):
True joins a mention to an entity, False keeps it out, None has no opinion.
Fuller mentions are placed first, so 'Бабушкина' finds 'Игорь Бабушкин' waiting.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Callable, NamedTuple, Sequence

from .records import PER, Entity, Mention

INITIAL_SKIP = {"и", "по", "в", "на", "для", "с", "о", "об", "при", "за", "к", "от", "из", "де", "фон", "ван"}
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


class Group(NamedTuple):
    """An entity as it grows: its mentions, the fullest of them, their normal forms and acronyms."""

    type: str  # noqa: A003
    best: Mention
    members: list
    normals: set  # folded normal forms of the members
    acronyms: set  # 'МИД' of a member 'Министерство иностранных дел'


def new_group(mention: Mention) -> Group:
    return Group(mention.type, mention, [], set(), set())


def fold(text: str) -> str:
    # 'Королёв' and 'королев' are one name
    return text.lower().replace("ё", "е")


def is_initial(part: str) -> bool:
    return len(part.rstrip(".")) == 1


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


def acronym(normal: str) -> str:
    # 'Министерство иностранных дел' -> 'МИД'
    words = [word for word in normal.replace("-", " ").split() if word.lower() not in INITIAL_SKIP]
    return "".join(word[0] for word in words if word[0].isalpha()).upper()


def is_acronym(normal: str) -> bool:
    return len(normal) > 1 and normal.isupper() and normal.isalpha()


def completeness(mention: Mention) -> tuple:
    # full names before surnames, full first names before initials, longer before shorter
    parts = [mention.first, mention.middle, mention.last]
    return (sum(bool(_) and not is_initial(_) for _ in parts), sum(bool(_) for _ in parts), len(mention.normal))


# --- rules: (mention, group) -> True, False or None


def other_type(mention: Mention, group: Group):
    return False if mention.type != group.type else None


def same_normal(mention: Mention, group: Group):
    # 'Астраханской области' and 'Астраханская область': one normal form, one place
    return True if fold(mention.normal) in group.normals else None


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


def surname_alone(mention: Mention, group: Group):
    # 'Бабушкина' -> 'Игорь Бабушкин'; 'Захаровой' -> 'Мария Захарова'; not 'Овечкин' -> 'Татьяна Овечкина'
    best = group.best
    if mention.type != PER or mention.first or mention.middle or not mention.last or not best.last:
        return None
    forms = surname_forms(best.last)
    return bool(best.first) and (fold(mention.text) in forms or fold(mention.normal) == fold(best.last))


def first_alone(mention: Mention, group: Group):
    # 'Ермек' -> 'Ермек Кошербаев'
    best = group.best
    if mention.type != PER or mention.last or not mention.first or is_initial(mention.first):
        return None
    return bool(best.last) and fold(best.first) == fold(mention.first)


def initials(mention: Mention, group: Group):
    # 'И. Бабушкин' -> 'Игорь Бабушкин'; 'В. В. Путин' -> 'Владимир Владимирович Путин'
    best = group.best
    if mention.type != PER or not is_initial(mention.first) or not mention.last:
        return None
    if fold(best.last) not in surname_variants(mention.last) or not best.first:
        return False
    pairs = [(mention.first, best.first), (mention.middle, best.middle)]
    return all(not short or (full and fold(full)[0] == fold(short)[0]) for short, full in pairs)


def abbreviation(mention: Mention, group: Group):
    # 'МИД' -> 'Министерство иностранных дел'
    if not is_acronym(mention.normal):
        return None
    return (mention.normal in group.acronyms) or None


RULES: list[Callable] = [other_type, same_normal, surname_alone, first_alone, initials, abbreviation]


def verdict(mention: Mention, group: Group, rules: Sequence[Callable] = RULES) -> bool:
    for rule in rules:
        result = rule(mention, group)
        if result is not None:
            return result
    return False


def mention_keys(mention: Mention) -> set[tuple]:
    """What a mention may be looked up by: its normal form, surname, first name, acronym."""
    keys = {("normal", fold(mention.normal))}
    if mention.last:
        keys.update(("last", variant) for variant in surname_variants(mention.last))
    if mention.first and not is_initial(mention.first):
        keys.add(("first", fold(mention.first)))
    if is_acronym(mention.normal):
        keys.add(("acronym", mention.normal))
    return keys


def group_keys(mention: Mention) -> set[tuple]:
    """What a group is found by, for each mention it takes in."""
    keys = {("normal", fold(mention.normal))}
    if mention.last:
        keys.add(("last", fold(mention.last)))
    if mention.first and not is_initial(mention.first):
        keys.add(("first", fold(mention.first)))
    if len(mention.normal.split()) > 1:
        keys.add(("acronym", acronym(mention.normal)))
    return keys


class Index:
    """Groups by the keys of their mentions: candidates for a mention without a scan of them all."""

    def __init__(self):
        self.groups: list[Group] = []
        self.by_key: dict[tuple, dict[int, Group]] = {}

    def candidates(self, mention: Mention) -> list[Group]:
        found = {}
        for key in mention_keys(mention):
            found.update(self.by_key.get(key, {}))
        return list(found.values())

    def add(self, group: Group, mention: Mention) -> None:
        if not group.members:
            self.groups.append(group)  # a new group
        group.members.append(mention)
        group.normals.add(fold(mention.normal))
        if len(mention.normal.split()) > 1:
            group.acronyms.add(acronym(mention.normal))
        for key in group_keys(mention):
            self.by_key.setdefault(key, {})[id(group)] = group


def choose(mention: Mention, groups: list[Group], rules: Sequence[Callable]) -> Group | None:
    """The one group the mention joins; none when no rule joins it or the choice is ambiguous."""
    joined = [group for group in groups if verdict(mention, group, rules)]
    if len(joined) > 1:
        exact = [group for group in joined if fold(group.best.normal) == fold(mention.normal)]
        joined = exact
    return joined[0] if len(joined) == 1 else None


def gendered(mention: Mention, best: Mention) -> Mention:
    # a surname alone takes the gender of the person it names: 'Бабушкиной' of 'Игорь Бабушкин'
    if mention.type != PER or mention.first or not mention.last or not best.last or best is mention:
        return mention
    if fold(mention.last) == fold(best.last):
        return mention
    return replace(mention, normal=best.last, last=best.last)


def to_entity(entity_id: int, group: Group) -> Entity:
    best = group.best
    first_start = min(member.start for member in group.members)
    return Entity(entity_id, group.type, best.normal, best.first, best.middle, best.last, len(group.members), first_start)


def group_mentions(mentions: Sequence[Mention], rules: Sequence[Callable] = RULES) -> tuple[tuple, tuple]:
    """(mentions with entity_id, entities) of one document; entity ids in order of first mention."""
    index_ = Index()
    owner: dict[int, Group] = {}
    for index in sorted(range(len(mentions)), key=lambda _: completeness(mentions[_]), reverse=True):
        mention = mentions[index]
        group = choose(mention, index_.candidates(mention), rules) or new_group(mention)
        index_.add(group, mention)
        owner[index] = group
    groups = sorted(index_.groups, key=lambda group: min(member.start for member in group.members))
    ids = {id(group): number for number, group in enumerate(groups)}
    grouped = tuple(
        replace(gendered(mention, owner[index].best), entity_id=ids[id(owner[index])])
        for index, mention in enumerate(mentions)
    )
    return grouped, tuple(to_entity(number, group) for number, group in enumerate(groups))
