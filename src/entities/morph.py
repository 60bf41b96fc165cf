"""pymorphy3: lemmas, name grammemes and nominative inflection, cached per word form.

The caches live on the instance (not on the class), so a Morph pickles and
every worker process keeps its own.
"""

from __future__ import annotations

from typing import Mapping, NamedTuple

from .grams import ud_feats, ud_pos

NOMINATIVE = frozenset({"nomn"})
NAME_GRAMS = ("Name", "Patr", "Surn")

# PROPN is a NOUN to pymorphy; 'был' AUX is a VERB; 'чтобы' SCONJ is a CCONJ
NORMAL_POS = {"PROPN": "NOUN", "AUX": "VERB", "SCONJ": "CCONJ"}

# feats that decide a lemma; Animacy, Voice and the like are ignored
LEMMA_FEATS = ("Case", "Gender", "Number", "Aspect", "NumForm", "Person", "Tense", "Variant")


class Form(NamedTuple):
    """One pymorphy3 parse, with its tag in UD terms."""

    parse: object
    pos: str
    feats: Mapping[str, str]
    grams: frozenset


def adapt_parse(parse) -> Form:
    return Form(parse, ud_pos(parse.tag), ud_feats(parse.tag), frozenset(parse.tag.grammemes))


def normal_pos(pos: str) -> str:
    return NORMAL_POS.get(pos, pos)


def grams_sim(form: Form, pos: str, feats: Mapping[str, str]) -> int:
    same = sum(form.feats[_] == feats[_] for _ in LEMMA_FEATS if _ in form.feats and _ in feats)
    return (normal_pos(form.pos) == normal_pos(pos)) + same


def best_lemma_form(forms, pos: str, feats: Mapping[str, str]) -> Form | None:
    # natasha's MorphVocab.lemmatize: an exact tag match, else the most similar
    best, best_sim = None, 0
    for form in forms:
        if form.pos == pos and form.feats == feats:
            return form
        sim = grams_sim(form, pos, feats)
        if sim > best_sim:
            best, best_sim = form, sim
    return best


def inflect_key(form: Form, pos: str, feats: Mapping[str, str]) -> tuple:
    return (
        normal_pos(form.pos) == normal_pos(pos),
        form.feats.get("Gender") == feats.get("Gender"),
        form.feats.get("Number") == feats.get("Number"),
        form.parse.score,
    )


def fits(form: Form, feats: Mapping[str, str]) -> bool:
    # same case, and same number when both say: 'Корсаков' Acc Sing is no plural of 'корсак'
    number = form.feats.get("Number")
    return form.feats.get("Case") == feats.get("Case") and (number is None or number == feats.get("Number", number))


def best_case_form(forms, pos: str, feats: Mapping[str, str]) -> Form | None:
    """The parse in the tagged case and number closest to the tagged pos and gender."""
    forms = [_ for _ in forms if fits(_, feats)]
    if not forms:
        return None
    return max(forms, key=lambda form: inflect_key(form, pos, feats))


def restore_yo(word: str, original: str) -> str:
    # ё as written: 'партнеров' keeps е, 'партнёров' keeps ё
    chars = list(word)
    for index, char in enumerate(chars):
        written = original[index].lower() if index < len(original) else ""
        if char == "ё" and written != "ё":
            chars[index] = "е"
        elif char == "е" and written == "ё":
            chars[index] = "ё"
    return "".join(chars)


class Morph:
    """pymorphy3 with per-instance caches of parses, lemmas and nominatives."""

    def __init__(self, analyzer=None):
        if analyzer is None:
            import pymorphy3

            analyzer = pymorphy3.MorphAnalyzer()
        self.analyzer = analyzer
        self.forms_cache: dict[str, list[Form]] = {}
        self.lemma_cache: dict[tuple, str] = {}
        self.nominative_cache: dict[tuple, str | None] = {}

    def forms(self, word: str) -> list[Form]:
        """All pymorphy3 parses of a lowercased word."""
        forms = self.forms_cache.get(word)
        if forms is None:
            forms = [adapt_parse(_) for _ in self.analyzer.parse(word)]
            self.forms_cache[word] = forms
        return forms

    def lemma(self, word: str, pos: str, feats: Mapping[str, str]) -> str:
        """'областях' NOUN Case=Loc -> 'область'; lowercase, ё as written."""
        key = (word, pos, tuple(sorted(feats.items())))
        lemma = self.lemma_cache.get(key)
        if lemma is None:
            lower = word.lower()
            form = best_lemma_form(self.forms(lower), pos, feats)
            lemma = restore_yo(form.parse.normal_form, lower) if form else lower
            self.lemma_cache[key] = lemma
        return lemma

    def nominative(self, word: str, pos: str, feats: Mapping[str, str]) -> str | None:
        """'кошербаевым' PROPN Case=Ins -> 'кошербаев'; None when no parse fits the tag."""
        key = (word, pos, tuple(sorted(feats.items())))
        if key not in self.nominative_cache:
            self.nominative_cache[key] = self.inflect_nominative(word.lower(), pos, feats)
        return self.nominative_cache[key]

    def inflect_nominative(self, lower: str, pos: str, feats: Mapping[str, str]) -> str | None:
        form = best_case_form(self.forms(lower), pos, feats)
        if form is None:
            return None
        inflected = form.parse.inflect(NOMINATIVE)
        if inflected is None:
            return None
        return restore_yo(inflected.word, lower)

    def name_grams(self, word: str) -> frozenset:
        """Which of Name, Patr, Surn any parse of the word carries: 'ивановна' -> {'Patr'}."""
        grams: set = set()
        for form in self.forms(word.lower()):
            grams.update(_ for _ in NAME_GRAMS if _ in form.grams)
        return frozenset(grams)
