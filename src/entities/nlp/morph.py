"""pymorphy3: lemmas, name grammemes and nominative inflection, cached per word form.

The caches live on the instance (not on the class), so a Morph pickles and
every worker process keeps its own.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, NamedTuple

from .cache import Cache
from .grams import ud_feats, ud_pos

if TYPE_CHECKING:
    from pymorphy3.analyzer import Parse  # no types: Any to mypy

NOMINATIVE = frozenset({"nomn"})
CACHE_WORDS = 50_000  # word forms kept parsed; news vocabularies repeat, memory stays bounded
NAME_GRAMS = ("Name", "Patr", "Surn")

# PROPN is a NOUN to pymorphy; 'был' AUX is a VERB; 'чтобы' SCONJ is a CCONJ
NORMAL_POS = {"PROPN": "NOUN", "AUX": "VERB", "SCONJ": "CCONJ"}

# feats that decide a lemma; Animacy, Voice and the like are ignored
LEMMA_FEATS = ("Case", "Gender", "Number", "Aspect", "NumForm", "Person", "Tense", "Variant")


class Form(NamedTuple):
    """One pymorphy3 parse, with its tag in UD terms."""

    parse: Parse
    pos: str
    feats: Mapping[str, str]
    grams: frozenset


def adapt_tag(tag) -> tuple[str, dict, frozenset]:
    return ud_pos(tag), ud_feats(tag), frozenset(tag.grammemes)


def normal_pos(pos: str) -> str:
    return NORMAL_POS.get(pos, pos)


def agreement(form: Form, pos: str, feats: Mapping[str, str]) -> tuple[bool, int, int]:
    """(same pos, feats that agree, feats that contradict) of a parse and a slovnet tag."""
    keys = [_ for _ in LEMMA_FEATS if _ in form.feats and _ in feats]
    if feats.get("Number") == "Plur":
        # a plural shows no gender: 'выборах' (tagged Masc Plur) is 'выборы', not 'выбор'
        keys = [_ for _ in keys if _ != "Gender"]
    same = sum(form.feats[_] == feats[_] for _ in keys)
    return normal_pos(form.pos) == normal_pos(pos), same, len(keys) - same


def lemma_key(form: Form, pos: str, feats: Mapping[str, str]) -> tuple:
    # pos, fewest contradictions, most agreements, then pymorphy's score
    same_pos, same, conflicts = agreement(form, pos, feats)
    return same_pos, -conflicts, same, form.parse.score


def best_lemma_form(forms, pos: str, feats: Mapping[str, str]) -> Form | None:
    """natasha's MorphVocab.lemmatize, with pymorphy's score deciding between parses the tag allows."""
    if forms and len({_.parse.normal_form for _ in forms}) == 1:
        # one lemma for every parse: a parse of the tagged pos is best, whichever it is ('областях')
        wanted = normal_pos(pos)
        same = next((_ for _ in forms if normal_pos(_.pos) == wanted), None)
        if same is not None:
            return same
    best = max(forms, key=lambda form: lemma_key(form, pos, feats), default=None)
    if best is None:
        return None
    same_pos, same, _ = agreement(best, pos, feats)
    # a parse agreeing on nothing is no parse: 'его' DET stays 'его'
    return best if same_pos or same else None


def inflect_key(form: Form, pos: str, feats: Mapping[str, str], prefer: frozenset) -> tuple:
    # 'Иванове' Masc Inan (tagger) -> the town 'Иваново', not the animate surname 'Иванов'
    same = [form.feats.get(_) == feats.get(_) for _ in ("Animacy", "Gender")]
    return (
        normal_pos(form.pos) == normal_pos(pos),
        *same,
        bool(prefer & form.grams),
        is_dictionary_parse(form.parse),  # a known indeclinable 'Аркади' over a guess 'Аркадь'
        "Fixd" not in form.grams,  # 'Ангеле' -> 'Ангела', not an indeclinable 'Ангеле'
        form.parse.score,
        keeps_stem(form.parse.normal_form, form.parse.word),  # 'Петрова-Водкина' -> '-Водкин', not '-Водкино'
    )


def keeps_stem(normal: str, word: str) -> bool:
    # each hyphen part of the lemma starts the written part: 'водкин' / 'водкина'
    normals, words = normal.split("-"), word.split("-")
    return len(normals) == len(words) and all(w.startswith(n) for n, w in zip(normals, words, strict=True))


def keeps_accusative(forms, pos: str, feats: Mapping[str, str]) -> bool:
    # an inanimate accusative that is also a nominative is one: 'в Корсаков', 'в Нижний Новгород'
    return (
        feats.get("Case") == "Acc"
        and feats.get("Animacy") != "Anim"
        and any(_.feats.get("Case") == "Nom" and normal_pos(_.pos) == normal_pos(pos) for _ in forms)
    )


def fits(form: Form, feats: Mapping[str, str]) -> bool:
    # the tagged case, and the tagged number when there is one: 'Беназир' Sing is no plural of 'беназира'
    number = feats.get("Number")
    return form.feats.get("Case") == feats.get("Case") and (
        number is None or form.feats.get("Number") in (None, number)
    )


def best_case_form(forms, pos: str, feats: Mapping[str, str], prefer: frozenset = frozenset()) -> Form | None:
    """The parse in the tagged case and number closest to the tagged pos, animacy and gender."""
    forms = [_ for _ in forms if fits(_, feats)]
    return max(forms, key=lambda form: inflect_key(form, pos, feats, prefer), default=None)


def common_prefix(a: str, b: str) -> int:
    size = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        size += 1
    return size


CASES = frozenset({"nomn", "gent", "gen1", "gen2", "datv", "accs", "ablt", "loct", "loc2", "voct"})


NUMBERS = {"Sing": "sing", "Plur": "plur"}


def nominative_forms(parse, number: str | None = None) -> list:
    # the nominatives of the parse's lexeme with all its other grammemes:
    # 'соединенных' (past passive participle) -> 'соединённые', not 'соединившие'
    target = (parse.tag.grammemes - CASES) | NOMINATIVE
    if number:
        target = (target - {"sing", "plur"}) | {NUMBERS[number]}
    return [_ for _ in parse.lexeme if _.tag.grammemes == target]


def nominative_word(parse, written: str, number: str | None = None) -> str | None:
    """The nominative closest to the written stem: 'высшей' -> 'высшая', not 'высочайшая'."""
    forms = nominative_forms(parse, number)
    if not forms:
        inflected = parse.inflect(NOMINATIVE | ({NUMBERS[number]} if number else set()))
        return inflected.word if inflected else None
    return max(forms, key=lambda _: common_prefix(_.word, written)).word


def is_dictionary_parse(parse) -> bool:
    # ((DictionaryAnalyzer(), 'слово', ...),) - found as it is, not by a prefix or suffix guess
    return len(parse.methods_stack) == 1 and type(parse.methods_stack[0][0]).__name__ == "DictionaryAnalyzer"


def strip_yo(word: str, written: str) -> str:
    # ё as written: 'партнеров' -> 'партнер'; a written ё keeps pymorphy's own: 'провёл' -> 'провести'
    return word if "ё" in written else word.replace("ё", "е")


class Morph:
    """pymorphy3 with per-instance caches of parses, lemmas and nominatives."""

    def __init__(self, analyzer=None):
        if analyzer is None:
            import pymorphy3

            analyzer = pymorphy3.MorphAnalyzer()
        self.analyzer = analyzer
        self.forms_cache = Cache(CACHE_WORDS)
        self.tags: dict = {}  # tag -> (pos, feats, grams), shared by every parse with that tag
        self.feats_keys = Cache(1024)
        self.lemma_cache = Cache(2 * CACHE_WORDS)
        self.nominative_cache = Cache(CACHE_WORDS)

    def feats_key(self, feats: Mapping[str, str]) -> tuple:
        # the tagger hands out one dict per tag: key it by identity, holding it so the id stays its own
        entry = self.feats_keys.get(id(feats))
        if entry is None or entry[0] is not feats:
            entry = self.feats_keys.put(id(feats), (feats, tuple(sorted(feats.items()))))
        return entry[1]

    def forms(self, word: str) -> list[Form]:
        """All pymorphy3 parses of a lowercased word."""
        forms = self.forms_cache.get(word)
        if forms is None:
            forms = self.forms_cache.put(word, [self.adapt_parse(_) for _ in self.parses(word)])
        return forms

    def parses(self, word: str) -> list:
        try:
            return self.analyzer.parse(word)
        except ValueError:  # '𗀀': pymorphy3 asks unicodedata for the name of a letter that has none
            return []

    def adapt_parse(self, parse) -> Form:
        tag = self.tags.get(parse.tag)
        if tag is None:
            tag = self.tags[parse.tag] = adapt_tag(parse.tag)
        return Form(parse, *tag)

    def lemma(self, word: str, pos: str, feats: Mapping[str, str]) -> str:
        """'областях' NOUN Case=Loc -> 'область'; lowercase, ё as written."""
        key = (word, pos, self.feats_key(feats))
        lemma = self.lemma_cache.get(key)
        if lemma is None:
            lower = word.lower()
            if not (word.isalpha() or any(char.isalpha() for char in word)):
                return self.lemma_cache.put(key, lower)  # '2020', '17:44', '«': no parse to choose
            form = best_lemma_form(self.forms(lower), pos, feats)
            lemma = self.lemma_cache.put(key, strip_yo(form.parse.normal_form, lower) if form else lower)
        return lemma

    def case_form(self, word: str, pos: str, feats: Mapping[str, str], prefer: frozenset = frozenset()) -> Form | None:
        """The parse of `word` that fits the tag; None when none is in the tagged case."""
        return best_case_form(self.forms(word.lower()), pos, feats, prefer)

    def nominative(
        self, word: str, pos: str, feats: Mapping[str, str], prefer: frozenset = frozenset(), number: str | None = None
    ) -> str | None:
        """'кошербаевым' PROPN Case=Ins -> 'кошербаев'; None when no parse fits the tag.

        `number` asks for another number: 'районов' with 'Sing' -> 'район'.
        """
        key = (word, pos, tuple(sorted(feats.items())), prefer, number)
        if key not in self.nominative_cache:
            return self.nominative_cache.put(key, self.inflect_nominative(word.lower(), pos, feats, prefer, number))
        return self.nominative_cache[key]

    def inflect_nominative(self, lower: str, pos, feats, prefer: frozenset, number: str | None) -> str | None:
        forms = self.forms(lower)
        if number is None and keeps_accusative(forms, pos, feats):
            return lower
        form = best_case_form(forms, pos, feats, prefer)
        if form is None:
            return None
        word = nominative_word(form.parse, lower, number)
        return strip_yo(word, lower) if word else None

    def cases(self, word: str) -> frozenset:
        """The cases pymorphy3 allows the written form: 'Фаридовна' -> {'Nom'}."""
        return frozenset(form.feats["Case"] for form in self.forms(word.lower()) if "Case" in form.feats)

    def is_known(self, word: str) -> bool:
        """Whether pymorphy3's dictionary has the word, rather than guessing by its ending."""
        return any(is_dictionary_parse(form.parse) for form in self.forms(word.lower()))

    def is_modifier(self, word: str) -> bool:
        """Only adjective or participle readings: 'Объединённых' (slovnet may say PROPN)."""
        poses = {form.parse.tag.POS for form in self.forms(word.lower())}
        return bool(poses) and poses <= {"ADJF", "PRTF"}

    def name_grams(self, word: str) -> frozenset:
        """Which of Name, Patr, Surn any parse of the word carries: 'ивановна' -> {'Patr'}."""
        grams: set = set()
        for form in self.forms(word.lower()):
            grams.update(_ for _ in NAME_GRAMS if _ in form.grams)
        return frozenset(grams)
