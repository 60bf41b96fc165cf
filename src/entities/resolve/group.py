"""Mentions of one document -> entities: who and what is mentioned, once each.

Rules are small functions of (mention, group, the mention's alias) tried in order; the first verdict
wins (razdel style): True joins a mention to an entity, False keeps it out, None has no opinion.
Fuller mentions are placed first, so 'Бабушкина' finds 'Игорь Бабушкин' waiting.

What joins, beyond one normal form: the names an alias table links ('КНР', 'Китай'); one
spelling of a name ('Фейсбук', 'Фэйсбук'; 'Жан-Клод', 'Жан Клод'; 'Нетаньягу', 'Нетаньяху'); a
lone name that is a case form of one part of a full name, whether pymorphy3 knows it or not
('Кисидой' of 'Фумио Кисида', 'Шольца' of 'Олаф Шольц'); initials; an acronym. A mention that
fits two entities joins neither.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Callable, Sequence

from .aliases import Alias, Aliases, builtin
from ..records import PER, Entity, Mention

INITIAL_SKIP = {
    "и", "по", "в", "на", "для", "с", "о", "об", "при", "за", "к", "от", "из", "де", "фон", "ван", "против", "под", "над",
    "без", "через", "между", "до", "у", "а", "или", "of", "the", "and", "for",
}  # fmt: skip
CONJUNCTIONS = {"и", "а", "или", "and", "of", "the"}  # what an acronym that keeps its prepositions skips: 'ДПНИ'
FEMININE = (("ова", "ов"), ("ева", "ев"), ("ёва", "ёв"), ("ина", "ин"), ("ына", "ын"), ("ская", "ский"),
            ("цкая", "цкий"), ("ая", "ой"))  # fmt: skip


# (nominative ending, what the case forms put in its place): the gender stays, the case varies
SURNAME_FORMS = (
    ("а", ("а", "ой", "у", "ою", "ы", "е")),  # Захарова, Дерипаска
    ("ая", ("ая", "ой", "ую")),  # Жуковская
    ("ий", ("ий", "ого", "ому", "им", "ом")),  # Жуковский
    ("", ("", "а", "у", "ым", "ом", "ем", "е")),  # Бабушкин, Шольц
)
SPELLINGS = 65_536  # names whose spelling and sound are kept: a corpus repeats its names
VOWEL_ENDS = set("еёиоуыэюя")  # Шойгу, Биби, Матвиенко: no case forms

# (nominative ending, the endings of its case forms): how a name declines, whatever pymorphy3 knows of it
PARADIGMS = (
    ("", ("а", "у", "ом", "ем", "ём", "е", "ым")),  # Шольц, Шольца, Шольцем; Путиным
    ("ь", ("я", "ю", "ем", "ём", "е")),  # Игорь
    ("й", ("я", "ю", "ем", "е")),  # Андрей
    ("а", ("ы", "и", "е", "у", "ой", "ою")),  # Кисида, Кисидой
    ("я", ("и", "е", "ю", "ей", "ёй", "ею")),  # Мария
    ("ий", ("ого", "ому", "им", "ом")),  # Жуковский
    ("ый", ("ого", "ому", "ым", "ом")),
    ("ой", ("ого", "ому", "ым", "им", "ом")),  # Толстой; Большим (и after ш, ж, ч, щ, к, г, х)
    ("ая", ("ой", "ую")),  # Жуковская
)
PARTICLES = {"фон", "дер", "ван", "де", "ди", "да", "дель", "ла", "ле", "бин", "ибн", "аль", "эль", "ад", "ас"}
SKELETON = str.maketrans({"ё": "е", "э": "е", "-": None, " ": None, "ь": None})
ROMAN = str.maketrans({
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh", "з": "z", "и": "i", "й": "y",
    "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f",
    "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu", "я": "ya",
})  # fmt: skip
ADJECTIVES = ("ый", "ий", "ой", "ая", "яя", "ое", "ее", "ые", "ие")  # an adjective's nominative: 'Большой'
ADJECTIVE_ENDINGS = ("ого", "его", "ому", "ему", "ым", "им", "ой", "ей", "ый", "ий", "ая", "яя", "ую", "юю", "ое", "ее")
SYLLABLE = 3  # the shortest start of a word in a syllabic abbreviation: 'Мин|фин', 'Мос|гор|суд'
MISSPELT = 5  # the shortest name a misspelt vowel joins: 'Бонер' and 'Бенер'; not 'Ким' and 'Кем'
ENDING = 2  # the last letters, where a case or gender ending may be
VOWELS = set("аеёиоуыэюяaeiouy")
SOUND_LETTERS = 4  # consonants two names in two scripts must share at least
# what two scripts write alike, longest first: 'Джошуа' and 'Joshua', 'Хоровитц' and 'Horowitz', 'Фэйсбук'
# and 'Facebook' (c before e, i, y is s)
SOUNDS = (("shch", "s"), ("sch", "s"), ("ce", "se"), ("ci", "si"), ("cy", "sy"), ("dzh", "j"), ("zh", "j"), ("kh", "h"),
          ("tz", "ts"), ("th", "t"), ("ph", "f"), ("ck", "k"), ("sh", "s"), ("w", "v"), ("x", "ks"), ("q", "k"), ("z", "s"),
          ("c", "k"))  # fmt: skip


@dataclass(slots=True)
class Group:
    """An entity as it grows: its mentions, the fullest of them, their normal forms and acronyms,
    and the alias that links it, if one does."""

    type: str  # noqa: A003
    best: Mention
    alias: Alias | None = None
    members: list = field(default_factory=list)
    normals: set = field(default_factory=set)  # folded normal forms of the members
    skeletons: set = field(default_factory=set)  # their spellings' skeletons
    acronyms: set = field(default_factory=set)  # 'МИД' of a member 'Министерство иностранных дел'


def new_group(mention: Mention, alias: Alias | None) -> Group:
    return Group(mention.type, mention, alias)


@lru_cache(maxsize=SPELLINGS)
def skeleton(text: str, type_: str) -> str:
    """A name's spelling with the variants of transliteration folded: 'Жан-Клод' and 'Жан Клод', 'Мэтт'
    and 'Мэт', 'Фейсбук' and 'Фэйсбук'; for a person 'Нетаньягу' and 'Нетаньяху' (г for h)."""
    text = text.lower().translate(SKELETON)
    if type_ == PER:
        text = text.replace("г", "х")
    return "".join(char for index, char in enumerate(text) if not index or char != text[index - 1] or not char.isalpha())


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


def declines_to(form: str, nominative: str) -> bool:
    """Whether `form` is a case form of the name `nominative`, by a paradigm of Russian case endings:
    'кисидой' of 'кисида', 'шольца' of 'шольц'; not 'кисиды' of 'кисид' (no such paradigm)."""
    if form == nominative:
        return True
    for ending, endings in PARADIGMS:
        if nominative.endswith(ending) and len(nominative) - len(ending) >= 2:
            stem = nominative[: len(nominative) - len(ending)]
            if form.startswith(stem) and form[len(stem) :] in endings:
                if ending or stem[-1] not in VOWEL_ENDS:  # 'Шойгу' declines not
                    return True
    return False


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


def acronym(normal: str, skip: set[str] = INITIAL_SKIP) -> str:
    # 'Министерство иностранных дел' -> 'МИД'; 'Движение против нелегальной иммиграции' -> 'ДНИ', and,
    # skipping conjunctions only, 'ДПНИ'
    words = [word for word in normal.replace("-", " ").split() if word.lower() not in skip]
    return "".join(word[0] for word in words if word[0].isalpha()).upper()


def is_acronym(normal: str) -> bool:
    return len(normal) > 1 and normal.isupper() and normal.isalpha()


def acronym_forms(normal: str) -> set[str]:
    """What a multiword name is abbreviated to: 'Министерство иностранных дел России' -> 'МИДР', and, a
    dependent genitive after it, 'МИД России'; 'Hewlett-Packard' -> 'HP'."""
    words = normal.replace("-", " ").split()
    forms = {acronym(normal), acronym(normal, CONJUNCTIONS)} if len(words) > 1 else set()
    for cut in range(2, len(words)):
        short = acronym(" ".join(words[:cut]))
        if len(short) >= 2:
            forms.add(f"{short} {' '.join(words[cut:])}")
    return {fold(form) for form in forms if form}


def abbreviated(normal: str) -> bool:
    # 'МИД', 'МИД России', 'HP'
    words = normal.split()
    return bool(words) and is_acronym(words[0])


def completeness(mention: Mention) -> tuple:
    # full names before surnames, full first names before initials, longer before shorter
    # and a Russian spelling before a Latin one: 'Джошуа Вольф' names the entity of 'Joshua Wolf'
    parts = [mention.first, mention.middle, mention.last]
    full, named = sum(bool(_) and not is_initial(_) for _ in parts), sum(bool(_) for _ in parts)
    return full, named, script(mention.normal) != "latin", len(mention.normal)


# --- rules: (mention, group, the mention's alias) -> True, False or None


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


def surname_alone(mention: Mention, group: Group, alias: Alias | None = None):
    # 'Бабушкина' -> 'Игорь Бабушкин'; 'Захаровой' -> 'Мария Захарова'; not 'Овечкин' -> 'Татьяна Овечкина'
    best = group.best
    if mention.type != PER or mention.first or mention.middle or not mention.last or not best.last:
        return None
    forms = surname_forms(best.last)
    return (bool(best.first) and (fold(mention.text) in forms or fold(mention.normal) == fold(best.last))) or None


def first_alone(mention: Mention, group: Group, alias: Alias | None = None):
    # 'Ермек' -> 'Ермек Кошербаев'
    best = group.best
    if mention.type != PER or mention.last or not mention.first or is_initial(mention.first):
        return None
    return (bool(best.last) and fold(best.first) == fold(mention.first)) or None


def initials(mention: Mention, group: Group, alias: Alias | None = None):
    # 'И. Бабушкин' -> 'Игорь Бабушкин'; 'В. В. Путин' -> 'Владимир Владимирович Путин'
    best = group.best
    if mention.type != PER or not is_initial(mention.first) or not mention.last:
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


def fuller_names(group: Group, words: int) -> list[list[str]]:
    """The spellings of the group's names of more than `words` name words: ['фумио', 'кисида']."""
    names = {tuple(skeleton(word, PER) for word in name_words(member)) for member in group.members}
    return [list(name) for name in names if len(name) > words]


def in_order(forms: list[set[str]], parts: list[str]) -> bool:
    """Whether each word (its forms) declines to a part, the parts taken in order."""
    at = 0
    for candidates in forms:
        while at < len(parts) and not any(declines_to(form, parts[at]) for form in candidates):
            at += 1
        if at == len(parts):
            return False
        at += 1
    return True


def declines_as(form: Mention, name: Mention) -> bool:
    """Whether the person's name as `form` writes it is, word by word, a case form of `name`'s normal
    form: 'Веселина Топалова' of 'Веселин Топалов'."""
    written, words = written_words(form), name_words(name)
    return len(written) == len(words) and all(declines_to(skeleton(a, PER), skeleton(b, PER)) for a, b in zip(written, words))


def name_case_form(mention: Mention, group: Group, alias: Alias | None = None):
    # 'Веселина Топалова' -> 'Веселин Топалов' (pymorphy3 took the genitive for a woman's name), 'Наине
    # Иосифовне' -> 'Наина Иосифовна': as many name words, each a case form of the other's
    if mention.type != PER or len(name_words(mention)) < 2:
        return None
    return any(declines_as(mention, member) or declines_as(member, mention) for member in group.members) or None


def misspelt(mention: Mention, group: Group, alias: Alias | None = None):
    # 'Бонер' -> 'Джон Бенер', 'Vistas' -> 'Vestas': a name of five letters or more written with one other
    # vowel, neither its first letter nor in its last two, where case and gender endings are; for a person,
    # the surname
    if mention.type == PER:
        ours, theirs = mention.last, {member.last for member in group.members if member.last}
    else:
        ours, theirs = mention.normal, {member.normal for member in group.members}
    return any(one_vowel_apart(fold(ours), fold(name)) for name in theirs) or None


def one_vowel_apart(one: str, other: str) -> bool:
    if len(one) != len(other) or len(one) < MISSPELT or " " in one:
        return False
    apart = [index for index, (a, b) in enumerate(zip(one, other)) if a != b]
    if len(apart) != 1 or not 0 < apart[0] < len(one) - ENDING:  # 'Иванову' is a case of 'Иванов', not 'Иванова'
        return False
    return one[apart[0]] in VOWELS and other[apart[0]] in VOWELS


def other_script(mention: Mention, group: Group, alias: Alias | None = None):
    # 'Joshua Wolf' -> 'Джошуа Вольф', 'Facebook' -> 'Фэйсбук': the same name in the other script, word by
    # word by its consonants, when it is the only one that fits
    scripts = {script(mention.normal), script(group.best.normal)}
    if scripts != {"cyrillic", "latin"}:
        return None
    ours, theirs = mention.normal.replace("-", " ").split(), group.best.normal.replace("-", " ").split()
    if len(ours) != len(theirs) or sum(len(sound(word)) for word in ours) < SOUND_LETTERS:
        return None  # 'Apple' and 'Опель' sound 'pl' both: too little to tell
    return all(sound(a) and sound(a) == sound(b) for a, b in zip(ours, theirs)) or None


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
    return any(starts_of(word, [part for part in name if part not in INITIAL_SKIP]) for name in group_names(group)) or None


def starts_of(word: str, parts: list[str], pieces: int = 0) -> bool:
    """Whether `word` is the starts (of 3 letters or more) of `parts[0]`, `parts[1]`, ..., at least two."""
    if not word:
        return pieces >= 2
    if not parts:
        return False
    part = parts[0]
    return any(word.startswith(part[:size]) and starts_of(word[size:], parts[1:], pieces + 1)
               for size in range(min(len(part), len(word)), SYLLABLE - 1, -1))  # fmt: skip


def group_names(group: Group) -> set[tuple[str, ...]]:
    """The group's names of more than one word, folded, word by word."""
    return {tuple(fold(member.normal).split()) for member in group.members if len(member.normal.split()) > 1}


RULES: list[Callable] = [
    other_type, same_alias, same_normal, same_spelling, surname_alone, first_alone, initials, abbreviation, lone_name,
    case_form, adjective_alone, syllabic, name_case_form, misspelt, other_script,
]


def verdict(mention: Mention, group: Group, rules: Sequence[Callable] = RULES, alias: Alias | None = None) -> bool:
    for rule in rules:
        result = rule(mention, group, alias)
        if result is not None:
            return result
    return False


def name_keys(mention: Mention) -> set[tuple]:
    # the first letters of each name word: 'Кисидой' and 'Кисида' share 'кис'
    return {("name", skeleton(word, PER)[:3]) for word in name_words(mention)} if mention.type == PER else set()


@lru_cache(maxsize=SPELLINGS)
def name_sound(normal: str) -> str:
    # 'Joshua Wolf', 'Джошуа Вольф' -> 's vlf'
    return " ".join(sound(word) for word in normal.replace("-", " ").split())


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
    if mention.first and not is_initial(mention.first):
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
    if mention.first and not is_initial(mention.first):
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
        group.normals.add(fold(mention.normal))
        group.skeletons.add(skeleton(mention.normal, mention.type))
        group.acronyms.update(acronym_forms(mention.normal))
        for key in group_keys(mention, group.alias):
            self.by_key.setdefault(key, {})[id(group)] = group


def choose(mention: Mention, groups: list[Group], rules: Sequence[Callable], alias: Alias | None) -> Group | None:
    """The one group the mention joins; none when no rule joins it or the choice is ambiguous: a lone
    'Бут' where the text names 'Виктор Бут' and 'Алла Бут' joins neither. (Taking the one named last
    before it joined the devset's lone names right and the testset's wrong, more often than not.)"""
    joined = [group for group in groups if verdict(mention, group, rules, alias)]
    if len(joined) > 1:
        joined = [group for group in joined if fold(group.best.normal) == fold(mention.normal)]
    return joined[0] if len(joined) == 1 else None


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
    """A lone name takes the form of the part of the full name it is: 'Бабушкиной' of 'Игорь Бабушкин'
    is 'Бабушкин'; 'Шольца' (pymorphy3 says 'Шолец') of 'Олаф Шольц' is 'Шольц'; 'Кисидой' (taken
    for a first name) of 'Фумио Кисида' is the last name 'Кисида'. A full name that is a case form of
    the person's name takes it: 'Веселина Топалова' of 'Веселин Топалов'."""
    if mention.type != PER:
        return mention
    if len(name_words(mention)) > 1:
        best = group.best
        # its own spelling of the same name stays: 'Михаил Сааакашвили'
        other = skeleton(best.normal, PER) != skeleton(mention.normal, PER)
        if other and written_so(best) and declines_as(mention, best):
            return replace(mention, normal=best.normal, first=best.first, middle=best.middle, last=best.last)
        return mention
    fuller = [member for member in group.members if len(name_words(member)) > 1 and script(member.normal) == script(mention.normal)]
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
        words = name.split() if len(name_words(replace(best, normal=name))) > 1 else [name]  # 'Тайип Эрдоган': 'Эрдоган'
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


def to_entity(entity_id: int, group: Group) -> Entity:
    best, alias = group.best, group.alias
    first_start = min(member.start for member in group.members)
    canonical, key = (alias.canonical, alias.key) if alias else (attested_name(group), "")
    return Entity(entity_id, group.type, canonical, best.first, best.middle, best.last, len(group.members), first_start, key)


def group_mentions(mentions: Sequence[Mention], rules: Sequence[Callable] = RULES,
                   aliases: Aliases | None = None) -> tuple[tuple, tuple]:  # fmt: skip
    """(mentions with entity_id, entities) of one document; entity ids in order of first mention.
    `aliases`: the table of names that link (default: the built-in one)."""
    aliases = builtin() if aliases is None else aliases
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
        replace(gendered(mention, owner[index]), entity_id=ids[id(owner[index])])
        for index, mention in enumerate(mentions)
    )
    return grouped, tuple(to_entity(number, group) for number, group in enumerate(groups))
