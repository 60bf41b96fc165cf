"""FactRuEval-2016 gold: each document's text and its PER/LOC/ORG mentions, with gold chains and normal forms.

The NER mapping is the usual one (naeval): a Person is one PER mention over the whole object; an Org gives an
ORG mention per org_name span; a Location or LocOrg gives a LOC mention per loc_name span; Project and
Facility are dropped. Overlapping mentions are flattened outermost-first: the longest one at a start wins,
and one starting inside a kept one is dropped (`Госпиталя принцессы [Марины]` keeps the ORG only). Of equal
spans, the tightest object's wins (`Солидарность` is the org_name of `движения Солидарность` and of
`московского отделения движения Солидарность`: it is the first's); for the NER evaluation (`ties="first"`)
the first object's in the file, as naeval has it (`Уильяма и Флоры Хьюлетт` is the org_name of `Фонда Уильяма
и Флоры Хьюлетт` and the whole of the Person `Уильяма Хьюлетт`: ORG). A span id listed with two kinds (`org_name`
and `loc_name` of `Сколково`) keeps both; naeval's reader (corus) keeps only the last.

`chain` is the id of the .coref chain of the mention's object; an object in no chain is a chain of its own
(`object:10547`). `normal` is the gold normal form of the mention itself, derived from the chain's
attributes; None when unknown. Two words are akin when they share a stem: their first 4 letters, fewer for
short words, case and ё folded (`Конгресса` `Конгресс`, `Крыму` `Крым`, `миде` `МИД`).

PER   The mention's name-part spans (name, surname, patronymic, nickname; nested ones flattened
      outermost-first), in the mention's order, each replaced by the chain's value for that part:
      `Бабушкина Игоря` -> lastname + firstname `Бабушкин Игорь`; `Бабушкина` -> `Бабушкин`.
      - numbered keys are further names (firstname, firstname1): a span takes as many as it has words,
        joined as in the span: `Реджеп` -> `Реджеп`; `Саишвили-Чантурия` (lastname, lastname1) -> the same;
      - a key given twice holds alternatives (`Bernd`, `Бернд`): the one akin to the span wins;
      - a span whose value is not akin to it, while another name value of the chain is, takes that one
        (`Ху` spanned as a name, the chain's firstname `Цзиньтао` and lastname `Ху`): `Ху Цзиньтао`;
      - an initial stays an initial, with a dot: `А. Кудрин` -> `А. Кудрин` (the chain says `Алексей`);
      - a part the chain has no value for: None.
LOC   The chain's `name`. Of several (`КНР`, `Китай`), the one with most words akin to the mention's, then
ORG   the closest in word count, then the first: `Китая` -> `Китай`; `Конгресса` -> `Конгресс`, not
      `Конгресс США`. A name longer than the mention (it names the whole object) is cut to its run of words
      akin to the mention's: `миде` -> `МИД` (of `МИД Грузии`); `Тверской` -> `Тверская` (of `Тверская
      площадь`). No `name`: None.
All   - a normal form in another script than the mention is a translation, not a normal form: None
        (`Joshua Wolf` -> `Джошуа Вольф`, `Amnesty International` -> `Международная амнистия`);
      - the first letter is a capital when the mention's is and the first words are akin: `Движение в защиту
        Химкинского леса` -> `Движение в защиту Химкинского леса`, where the chain says `движение в ...`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import cast

from ..errors import InputError
from ..records import LOC, ORG, PER
from ..resolve.spelling import fold
from .gold import GoldDocument, GoldMention
from .scores import flatten

NAME_PARTS = {"name": "firstname", "surname": "lastname", "patronymic": "patronymic", "nickname": "nickname"}
SPAN_TYPES = {"Org": ("org_name",), "Location": ("loc_name",), "LocOrg": ("loc_name",), "Person": tuple(NAME_PARTS)}
NER_TYPES = {"Person": PER, "Org": ORG, "Location": LOC, "LocOrg": LOC}
STEM = 4
WORD = re.compile(r"\w+")
INITIAL = re.compile(r"^\w\.?$")


@dataclass(frozen=True, slots=True)
class GoldSpan:
    """A line of a .spans file: its kind (surname, org_name, ...) and its offsets."""

    kind: str
    start: int
    stop: int


@dataclass(frozen=True, slots=True)
class Object:
    id: str
    kind: str
    spans: tuple[GoldSpan, ...]

    @property
    def width(self) -> int:
        return max(_.stop for _ in self.spans) - min(_.start for _ in self.spans)


@dataclass(frozen=True, slots=True)
class Chain:
    id: str
    objects: tuple[str, ...]
    attributes: tuple[tuple[str, str], ...]

    def values(self, key: str) -> list[str]:
        # 'name' -> ['КНР', 'Китай']: alternatives
        return [value for name, value in self.attributes if name == key]

    def names(self, key: str) -> list[list[str]]:
        # 'firstname' -> [['Реджеп'], ['Тайип']] from firstname, firstname1: a sequence of alternatives
        keys = dict.fromkeys(name for name, _ in self.attributes if name.rstrip("0123456789") == key)
        return [self.values(_) for _ in keys]


def read_lines(path: Path) -> list[str]:
    with open(path, encoding="utf-8", newline="") as file:
        return file.read().splitlines()


def parse_spans(lines: Iterable[str]) -> dict[str, list[GoldSpan]]:
    # 22783 surname 973 11 143935 1  # 143935 Долгорукому
    # 22783 nickname 973 11 143935 1  # 143935 Долгорукому   <- one id, two spans
    spans: dict[str, list[GoldSpan]] = {}
    for line in filter(str.strip, lines):
        span_id, kind, start, size = line.split()[:4]
        spans.setdefault(span_id, []).append(GoldSpan(kind, int(start), int(start) + int(size)))
    return spans


def parse_objects(lines: Iterable[str], spans: dict[str, list[GoldSpan]]) -> list[Object]:
    # 10433 Org 22763 22764 # Москвы мэрии
    objects = []
    for line in filter(str.strip, lines):
        object_id, kind, *span_ids = line.split("#")[0].split()
        objects.append(Object(object_id, kind, tuple(span for _ in span_ids for span in spans[_])))
    return objects


def parse_chain(block: str) -> Chain:
    # 48 10435 10441
    # firstname Юрий
    # lastname Лужков
    # wikidata          <- no value: skipped
    head, *lines = block.splitlines()
    chain_id, *object_ids = head.split()
    pairs = (line.strip().split(None, 1) for line in lines)
    return Chain(chain_id, tuple(object_ids), tuple((_[0], _[1].strip()) for _ in pairs if len(_) == 2))


def parse_chains(text: str) -> list[Chain]:
    return [parse_chain(block) for block in re.split(r"\n\s*\n", text.strip()) if block.strip()]


def object_chains(objects: list[Object], chains: list[Chain]) -> dict[str, Chain]:
    # an object in no chain is a chain of its own: 'object:10547'
    found = {object_id: chain for chain in chains for object_id in chain.objects}
    return {_.id: found.get(_.id) or Chain(f"object:{_.id}", (_.id,), ()) for _ in objects}


def count_words(text: str) -> int:
    return len(WORD.findall(text))


def akin(one: str, other: str) -> bool:
    # one stem: 'Конгресса' 'Конгресс' share 4 letters; 'Крыму' 'Крым' 3; 'миде' 'МИД', 'Ису' 'Иса' 2
    size = min(STEM, max(min(len(one), len(other)) - 1, 2))
    return fold(one)[:size] == fold(other)[:size]


def shared(mention: str, name: str) -> int:
    # 'Конгресса США', 'Конгресс' -> 1
    words = WORD.findall(name)
    return sum(any(akin(_, word) for word in words) for _ in WORD.findall(mention))


def scripts(text: str) -> set[str]:
    # 'ИА Regnum' -> {'cyrillic', 'latin'}
    found = {"cyrillic": re.search("[а-яё]", text, re.I), "latin": re.search("[a-z]", text, re.I)}
    return {name for name, match in found.items() if match}


def translated(mention: str, normal: str) -> bool:
    # 'Joshua Wolf' -> 'Джошуа Вольф'
    return bool(scripts(mention)) and bool(scripts(normal)) and scripts(mention).isdisjoint(scripts(normal))


def best_name(mention: str, names: list[str]) -> str | None:
    # 'Китая' from ['КНР', 'Китай'] -> 'Китай'
    def fit(name: str) -> tuple[int, int]:
        return shared(mention, name), -abs(count_words(mention) - count_words(name))

    return max(names, key=fit) if names else None


def cut_name(mention: str, name: str) -> str:
    # 'миде' in 'МИД Грузии' -> 'МИД'; no run of words akin to the mention's -> the name as it is
    words, mention_words = list(WORD.finditer(name)), WORD.findall(mention)
    size = len(mention_words)
    for index in range(len(words) - size + 1 if size < len(words) else 0):
        run = words[index : index + size]
        if all(akin(word.group(), _) for word, _ in zip(run, mention_words, strict=True)):
            return name[run[0].start() : run[-1].end()]
    return name


def place_normal(mention: str, chain: Chain) -> str | None:
    name = best_name(mention, chain.values("name"))
    return cut_name(mention, name) if name else None


def initial(text: str) -> str | None:
    # 'А' followed by '.' in 'А. Кудрин' -> 'А.'
    return text.rstrip(".") + "." if INITIAL.match(text) else None


def follow_case(mention: str, normal: str) -> str:
    # 'Движение в защиту Химкинского леса' -> 'движение в защиту ...' gets its capital back
    first, word = WORD.match(mention), WORD.match(normal)
    if first and word and mention[0].isupper() and akin(first[0], word[0]):
        return normal[0].upper() + normal[1:]
    return normal


def span_values(text: str, names: list[list[str]]) -> list[str]:
    # takes names (consumed from the list) until they have as many words as the span: 'Реджеп Тайип' takes two
    taken: list[str] = []
    while names and sum(map(count_words, taken)) < count_words(text):
        taken.append(cast(str, best_name(text, names.pop(0))))  # a key's alternatives are never none
    return taken


def join_values(written: str, taken: list[str]) -> str:
    # 'Саишвили-Чантурия' takes 'Саишвили', 'Чантурия': joined as the span is -> 'Саишвили-Чантурия'
    gaps = WORD.split(written)[1:-1]
    if len(taken) != len(gaps) + 1:
        return " ".join(taken)
    return "".join(value + gap for value, gap in zip(taken, [*gaps, ""], strict=True))


def relabel(written: str, taken: list[str], chain: Chain) -> list[str]:
    # 'Ху' spanned as a name while the chain's firstname is 'Цзиньтао': the chain's value akin to 'Ху' instead
    values = [value for key, value in chain.attributes if key.rstrip("0123456789") in NAME_PARTS.values()]
    found = next((_ for _ in values if shared(written, _) == count_words(written)), None)
    return [found] if found and not shared(written, " ".join(taken)) else taken


def person_normal(text: str, name_spans: list[GoldSpan], chain: Chain) -> str | None:
    # 'Бабушкина Игоря' -> 'Бабушкин Игорь'; a name span with no gold value -> None
    names = {kind: chain.names(key) for kind, key in NAME_PARTS.items()}
    words = []
    for span in name_spans:
        written = text[span.start : span.stop]
        letter = initial(written)
        taken = [letter] if letter else span_values(written, names[span.kind])
        if not taken:
            return None
        words.append(join_values(written, relabel(written, taken, chain)))
    return " ".join(words)


def mention_normal(text: str, item: Object, span: GoldSpan, chain: Chain) -> str | None:
    if span.kind == PER:
        normal = person_normal(text, flatten(_ for _ in item.spans if _.kind in NAME_PARTS), chain)
    else:
        normal = place_normal(text[span.start : span.stop], chain)
    mention = text[span.start : span.stop]
    return None if normal is None or translated(mention, normal) else follow_case(mention, normal)


def object_spans(item: Object) -> list[GoldSpan]:
    # the mention spans of an object: 'org_name' of an Org; the whole extent of a Person
    spans = flatten(_ for _ in item.spans if _.kind in SPAN_TYPES[item.kind])
    if item.kind == "Person" and spans:
        return [GoldSpan(PER, min(_.start for _ in item.spans), max(_.stop for _ in item.spans))]
    return spans


def object_mentions(text: str, item: Object, chain: Chain) -> Iterator[GoldMention]:
    for span in object_spans(item):
        normal = mention_normal(text, item, span, chain)
        yield GoldMention(span.start, span.stop, NER_TYPES[item.kind], chain.id, normal)


def read_document(path: str | Path, ties: str = "tightest") -> GoldDocument:
    """One document from its files' common path without a suffix: `devset/book_100` reads book_100.txt,
    .spans, .objects and .coref. Of equal spans of two objects, `ties` picks: "tightest" (the narrower
    object's, for chains and normal forms) or "first" (the first object's in the file, as naeval)."""
    path = Path(path)
    with open(path.with_suffix(".txt"), encoding="utf-8", newline="") as file:
        text = file.read()
    spans = parse_spans(read_lines(path.with_suffix(".spans")))
    objects = [_ for _ in parse_objects(read_lines(path.with_suffix(".objects")), spans) if _.kind in NER_TYPES]
    chains = object_chains(objects, parse_chains("\n".join(read_lines(path.with_suffix(".coref")))))
    ranked = objects if ties == "first" else sorted(objects, key=lambda _: _.width)
    mentions = [mention for _ in ranked for mention in object_mentions(text, _, chains[_.id])]
    return GoldDocument(path.name, text, tuple(flatten(mentions)))


def read_checked(path: Path, ties: str) -> GoldDocument:
    try:
        return read_document(path, ties)
    except OSError as error:
        raise InputError(f"{error.filename or path}: {error.strerror}") from None
    except (ValueError, KeyError) as error:
        raise InputError(f"{path}: not a FactRuEval document ({type(error).__name__}: {error})") from None


def read_corpus(directory: str | Path, ties: str = "tightest") -> list[GoldDocument]:
    """Every document of a set directory (`gold/factru/devset`), ordered by number: book_3, book_25, book_100.
    A missing or malformed file is an InputError."""
    paths = sorted(Path(directory).glob("book_*.txt"), key=lambda _: int(_.stem.split("_")[1]))
    return [read_checked(_.with_suffix(""), ties) for _ in paths]
