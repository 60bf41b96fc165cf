"""The rules that join a mention to a group: small functions of (mention, group, the mention's alias)
tried in order; the first verdict wins (razdel style): True joins a mention to an entity, False keeps
it out, None has no opinion.

What joins, beyond one normal form: the names an alias table links ('КНР', 'Китай'); one
spelling of a name ('Фейсбук', 'Фэйсбук'; 'Жан-Клод', 'Жан Клод'; 'Нетаньягу', 'Нетаньяху'); a
lone name that is a case form of one part of a full name, whether pymorphy3 knows it or not
('Кисидой' of 'Фумио Кисида', 'Шольца' of 'Олаф Шольц'); initials; an acronym.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from ..records import PER, Mention
from .abbreviation import INITIAL_SKIP, abbreviated, starts_of
from .aliases import Alias
from .declension import ADJECTIVE_ENDINGS, ADJECTIVES, declines_to, in_order, surname_forms, surname_variants
from .group import Group, fuller_names, group_names
from .spelling import fold, is_one_letter, one_vowel_apart, script, skeleton, sound
from .words import declines_as, name_words, written_words

SOUND_LETTERS = 4  # consonants two names in two scripts must share at least


def other_type(mention: Mention, group: Group, alias: Alias | None = None):
    return False if mention.type != group.type else None


def same_alias(mention: Mention, group: Group, alias: Alias | None = None):
    # 'КНР' and 'Китай': one key; 'Совет Европы' and 'Европейский совет': two, never one entity
    if alias is None or group.alias is None:
        return None
    return alias.key == group.alias.key


def same_normal(mention: Mention, group: Group, alias: Alias | None = None):
    # 'Астраханской области' and 'Астраханская область': one normal form, one place
    return True if fold(mention.normal) in group.normals else None


def same_spelling(mention: Mention, group: Group, alias: Alias | None = None):
    # 'Жан-Клод Юнкер' and 'Жан Клод Юнкер'; 'Нетаньягу' and 'Нетаньяху'
    return True if skeleton(mention.normal, mention.type) in group.skeletons else None


def surname_alone(mention: Mention, group: Group, alias: Alias | None = None):
    # 'Бабушкина' -> 'Игорь Бабушкин'; 'Захаровой' -> 'Мария Захарова'; not 'Овечкин' -> 'Татьяна Овечкина'
    best = group.best
    if mention.type != PER or mention.first or mention.middle or not mention.last or not best.last:
        return None
    forms = surname_forms(best.last)
    return (bool(best.first) and (fold(mention.text) in forms or fold(mention.normal) == fold(best.last))) or None


def first_alone(mention: Mention, group: Group, alias: Alias | None = None):
    # 'Ермек' -> 'Ермек Кошербаев', 'Игорь Петрович' -> 'Игорь Петрович Бабушкин'; not by the first name
    # alone 'Игорь Петрович' -> 'Игорь Сергеевич Бабушкин': another patronymic (the later rules may still join)
    best = group.best
    if mention.type != PER or mention.last or not mention.first or is_one_letter(mention.first):
        return None
    if mention.middle and best.middle and not same_word(fold(mention.middle), fold(best.middle)):
        return None
    return (bool(best.last) and fold(best.first) == fold(mention.first)) or None


def same_word(one: str, other: str) -> bool:
    # 'иосифовне' and 'иосифовна': one patronymic, in two cases
    return declines_to(one, other) or declines_to(other, one)


def initials(mention: Mention, group: Group, alias: Alias | None = None):
    # 'И. Бабушкин' -> 'Игорь Бабушкин'; 'В. В. Путин' -> 'Владимир Владимирович Путин'
    best = group.best
    if mention.type != PER or not is_one_letter(mention.first) or not mention.last:
        return None
    if fold(best.last) not in surname_variants(mention.last) or not best.first:
        return False
    pairs = [(mention.first, best.first), (mention.middle, best.middle)]
    return all(not short or (full and fold(full)[0] == fold(short)[0]) for short, full in pairs)


def abbreviation(mention: Mention, group: Group, alias: Alias | None = None):
    # 'МИД' -> 'Министерство иностранных дел'; 'МИД России' -> 'Министерство иностранных дел России'
    if not abbreviated(mention.normal):
        return None
    return (fold(mention.normal) in group.acronyms) or None


def lone_name(mention: Mention, group: Group, alias: Alias | None = None):
    # 'Кисидой' -> 'Фумио Кисида', 'Шольца' -> 'Олаф Шольц', 'Фон дер Ляйен' -> 'Урсула фон дер Ляйен',
    # 'Реджеп Эрдоган' -> 'Реджеп Тайип Эрдоган': fewer name words, as written or as normalized, each a case
    # form of a word of a fuller name, in its order
    words = name_words(mention)
    if mention.type != PER or not words:
        return None
    written = written_words(mention)
    forms = [{skeleton(word, PER)} | ({skeleton(written[index], PER)} if len(written) == len(words) else set())
             for index, word in enumerate(words)]  # fmt: skip
    return any(in_order(forms, parts) for parts in fuller_names(group, len(words))) or None


def name_case_form(mention: Mention, group: Group, alias: Alias | None = None):
    # 'Веселина Топалова' -> 'Веселин Топалов' (pymorphy3 took the genitive for a woman's name), 'Наине
    # Иосифовне' -> 'Наина Иосифовна': as many name words, each a case form of the other's
    if mention.type != PER or len(name_words(mention)) < 2:
        return None
    members = group.distinct.values()
    return any(declines_as(mention, member) or declines_as(member, mention) for member in members) or None


def misspelt(mention: Mention, group: Group, alias: Alias | None = None):
    # 'Бонер' -> 'Джон Бенер', 'Vistas' -> 'Vestas': a name of five letters or more written with one other
    # vowel, neither its first letter nor in its last two, where case and gender endings are; for a person,
    # the surname
    if mention.type == PER:
        ours, theirs = mention.last, {member.last for member in group.distinct.values() if member.last}
    else:
        ours, theirs = mention.normal, {member.normal for member in group.distinct.values()}
    return any(one_vowel_apart(fold(ours), fold(name)) for name in theirs) or None


def other_script(mention: Mention, group: Group, alias: Alias | None = None):
    # 'Joshua Wolf' -> 'Джошуа Вольф', 'Facebook' -> 'Фэйсбук': the same name in the other script, word by
    # word by its consonants, when it is the only one that fits
    scripts = {script(mention.normal), script(group.best.normal)}
    if scripts != {"cyrillic", "latin"}:
        return None
    ours, theirs = mention.normal.replace("-", " ").split(), group.best.normal.replace("-", " ").split()
    if len(ours) != len(theirs) or sum(len(sound(word)) for word in ours) < SOUND_LETTERS:
        return None  # 'Apple' and 'Опель' sound 'pl' both: too little to tell
    return all(sound(a) and sound(a) == sound(b) for a, b in zip(ours, theirs, strict=True)) or None


def case_form(mention: Mention, group: Group, alias: Alias | None = None):
    # 'Тоттенхэма' -> 'Тоттенхэм', 'Славянку' -> 'Славянка', 'Большим театром' -> 'Большой театр': a place
    # or body pymorphy3 normalized wrongly, word by word a case form of the other's name
    if mention.type == PER:
        return None
    name = fold(group.best.normal).split()
    for form in {fold(mention.text), fold(mention.normal)}:
        words = form.split()
        if len(words) == len(name) and (all(map(declines_to, words, name)) or all(map(declines_to, name, words))):
            return True
    return None


def adjective_alone(mention: Mention, group: Group, alias: Alias | None = None):
    # 'Большого' -> 'Большой театр', 'Мариинского' -> 'Мариинский театр': the name's adjective alone
    words = mention.text.split()
    if mention.type == PER or len(words) != 1 or not fold(words[0]).endswith(ADJECTIVE_ENDINGS):
        return None
    word = fold(words[0])
    names = group_names(group)
    return any(len(name) > 1 and name[0].endswith(ADJECTIVES) and declines_to(word, name[0]) for name in names) or None


def syllabic(mention: Mention, group: Group, alias: Alias | None = None):
    # 'Минфин' -> 'Министерство финансов', 'Минсельхоз' -> 'Министерство сельского хозяйства', 'Мосгорсуд'
    # -> 'Московский городской суд': a word of the starts of the name's first words, in order
    words = mention.text.split()
    if mention.type == PER or len(words) != 1 or abbreviated(mention.text):
        return None
    word = fold(words[0])
    return any(starts_of(word, [_ for _ in name if _ not in INITIAL_SKIP]) for name in group_names(group)) or None


GROUPING_RULES: list[Callable] = [
    other_type,
    same_alias,
    same_normal,
    same_spelling,
    surname_alone,
    first_alone,
    initials,
    abbreviation,
    lone_name,
    case_form,
    adjective_alone,
    syllabic,
    name_case_form,
    misspelt,
    other_script,
]


def verdict(mention: Mention, group: Group, rules: Sequence[Callable] = GROUPING_RULES,
            alias: Alias | None = None) -> bool:  # fmt: skip
    for rule in rules:
        result = rule(mention, group, alias)
        if result is not None:
            return result
    return False
