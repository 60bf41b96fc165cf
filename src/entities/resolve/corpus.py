"""Entities across documents, and who is mentioned with whom.

A document's entity joins a corpus entity of the same type and key (the place or body an
alias links it to: 'КНР' of one document and 'Китай' of another), or, with no key, of the same
canonical name as spelt (ё, letter case, hyphens and transliteration variants aside: 'Фейсбук'
and 'Фэйсбук'), or of a name one document gives it beside its canonical one ('Facebook' and
'Фэйсбук' in one text join the 'Facebook' of another; names of as many words, not acronyms or
lone surnames). A person named by surname alone in one document joins
the person named in full in another only when that surname belongs to exactly one
full name in the whole corpus: 'Бабушкин' joins 'Игорь Бабушкин', but 'Иванов'
stays apart when the corpus has both 'Сергей Иванов' and 'Пётр Иванов'.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from itertools import combinations
from typing import Protocol, cast

from ..records import PER, Entity
from ..text.plain import plain
from .declension import declines_to, surname_variants
from .spelling import skeleton

Key = tuple[str, str]  # (type, 'key:iso:CN') or (type, the canonical name's spelling)
PAIRED_ENTITIES = 300  # past this many entities in one document, only pairs that share a sentence count


class Linked(Protocol):
    """What the corpus reads of a mention: a Mention, or the merge's Link of one."""

    @property
    def sent_id(self) -> int: ...
    @property
    def entity_id(self) -> int: ...
    @property
    def text(self) -> str: ...
    @property
    def normal(self) -> str: ...


def entity_key(entity: Entity) -> Key:
    return entity.type, f"key:{entity.key}" if entity.key else skeleton(entity.canonical, entity.type)


class Stats:
    """One corpus entity key as the documents come: its name and counts."""

    __slots__ = (
        "canonical",
        "first",
        "first_doc_id",
        "forms",
        "key",
        "last",
        "n_documents",
        "n_mentions",
        "order",
        "type",
    )  # fmt: skip

    def __init__(self, entity: Entity, doc_id: str, order: int):
        self.type, self.canonical, self.key = entity.type, entity.canonical, entity.key
        self.first, self.last = entity.first, entity.last
        self.n_documents, self.n_mentions, self.first_doc_id, self.order = 0, 0, doc_id, order
        self.forms: set[str] = set()  # a lone name's forms as written: 'шольца', which pymorphy3 reads as 'Шолец'


def ordered(one, other) -> tuple:
    """The two, smaller first: sorted((one, other)) without building a list, once per pair of entities."""
    return (other, one) if other < one else (one, other)


def sentence_pairs(mentions: Sequence[Linked]) -> Counter:
    """(entity_id, entity_id) -> sentences the two share, within one document."""
    by_sentence: dict[int, set] = defaultdict(set)
    for mention in mentions:
        by_sentence[mention.sent_id].add(mention.entity_id)
    pairs: Counter = Counter()
    for ids in by_sentence.values():
        pairs.update(combinations(sorted(ids), 2))
    return pairs


class Corpus:
    """Documents' entities in, corpus tables out."""

    def __init__(self):
        self.stats: dict[Key, Stats] = {}
        self.pairs: dict[tuple[Key, Key], list[int]] = defaultdict(lambda: [0, 0])  # n_sentences, n_documents
        self.rows: list[tuple] = []  # (doc_id, entity, key) for the entities table
        self.parent: dict[Key, Key] = {}  # one entity's names, joined by the documents that give them together

    def find(self, key: Key) -> Key:
        while self.parent.setdefault(key, key) != key:
            self.parent[key] = key = self.parent[self.parent[key]]
        return key

    def join(self, one: Key, other: Key) -> None:
        one, other = self.find(one), self.find(other)
        if one != other:
            self.parent[max(one, other)] = min(one, other)

    def add(self, doc_id: str, entities: Sequence[Entity], mentions: Sequence[Linked]) -> None:
        keys = [entity_key(entity) for entity in entities]
        for entity, key in zip(entities, keys, strict=True):
            stats = self.stats.get(key) or self.stats.setdefault(key, Stats(entity, doc_id, len(self.stats)))
            stats.n_mentions += entity.n_mentions
            self.rows.append((doc_id, entity, key))
        for mention in mentions:
            linked = entities[mention.entity_id] if mention.entity_id < len(entities) else None
            if linked is None:
                continue
            if linked.type == PER and not linked.first and len(mention.text.split()) == 1:
                self.stats[keys[mention.entity_id]].forms.add(skeleton(plain(mention.text), PER))
            if not linked.key and len(mention.normal.split()) == len(linked.canonical.split()):
                self.join(keys[mention.entity_id], (linked.type, skeleton(mention.normal, linked.type)))
        for key in set(keys):
            self.stats[key].n_documents += 1
        shared = sentence_pairs(mentions)
        # a book-length document would pair everyone with everyone: keep to sentence neighbours there
        pairs = combinations(range(len(entities)), 2) if len(entities) <= PAIRED_ENTITIES else sorted(shared)
        for a, b in pairs:
            first, second = ordered(keys[a], keys[b])
            if first == second:
                continue
            counts = self.pairs[first, second]
            counts[0] += shared.get((a, b), 0)
            counts[1] += 1

    def merged(self) -> dict[Key, Key]:
        """Each key -> the key of its corpus entity: a lone surname joins its one full name in the corpus,
        as spelt, in the other gender's form ('Захарова' of 'Мария Захарова'), or, for a name pymorphy3
        does not know, as a case form of it ('Шольца' of 'Олаф Шольц'); never one of two (two Ивановы)."""
        root = self.roots()
        by_surname: dict[str, set[Key]] = defaultdict(set)
        for key, stats in self.stats.items():
            if stats.type == PER and stats.first and stats.last:
                by_surname[skeleton(stats.last, PER)].add(root[key])
        by_start: dict[str, list[str]] = defaultdict(list)
        for surname in by_surname:
            by_start[surname[:3]].append(surname)
        target = {}
        for key, stats in self.stats.items():
            alone = stats.type == PER and stats.last and not stats.first
            names = self.surnames(stats, by_start) if alone else set()
            owners = {owner for name in names for owner in by_surname[name]}
            target[key] = owners.pop() if len(owners) == 1 else root[key]
        return target

    def roots(self) -> dict[Key, Key]:
        """Each key -> the first-come key of the names joined with it."""
        first: dict[Key, Key] = {}
        for key in sorted(self.stats, key=lambda key: self.stats[key].order):
            first.setdefault(self.find(key), key)
        return {key: first[self.find(key)] for key in self.stats}

    @staticmethod
    def surnames(stats: Stats, by_start: dict[str, list[str]]) -> set[str]:
        """The full names' surnames a lone surname may be: its variants, or those its written forms decline to."""
        variants = {skeleton(variant, PER) for variant in surname_variants(stats.last)}
        found = {name for variant in variants for name in by_start.get(variant[:3], []) if name == variant}
        if found:
            return found
        return {name for form in stats.forms for name in by_start.get(form[:3], []) if declines_to(form, name)}

    def tables(self) -> tuple[list[dict], list[dict], list[dict]]:
        """Rows of the entities (with corpus_id), corpus_entities and cooccurrences tables."""
        target = self.merged()
        roots = sorted({target[key] for key in self.stats}, key=lambda key: self.stats[key].order)
        ids = {key: number for number, key in enumerate(roots)}
        corpus_id = {key: ids[target[key]] for key in self.stats}
        return self.entity_rows(corpus_id), self.corpus_rows(target, ids), self.pair_rows(corpus_id, roots)

    def entity_rows(self, corpus_id: dict) -> list[dict]:
        return [
            {"doc_id": doc_id, "entity_id": e.entity_id, "type": e.type, "canonical": e.canonical, "first": e.first,
             "middle": e.middle, "last": e.last, "n_mentions": e.n_mentions, "first_start": e.first_start,
             "key": e.key, "corpus_id": corpus_id[key]}
            for doc_id, e, key in self.rows
        ]  # fmt: skip

    def corpus_rows(self, target: dict, ids: dict) -> list[dict]:
        rows: dict[int, dict | None] = dict.fromkeys(ids.values())
        for key, stats in sorted(self.stats.items(), key=lambda item: item[1].order):
            root = self.stats[target[key]]
            row = rows[ids[target[key]]] or {
                "corpus_id": ids[target[key]], "type": root.type, "canonical": root.canonical, "key": root.key,
                "n_documents": 0, "n_mentions": 0, "first_doc_id": stats.first_doc_id,
            }  # fmt: skip
            row["n_documents"] += stats.n_documents  # a surname joining from another document adds it
            row["n_mentions"] += stats.n_mentions
            rows[ids[target[key]]] = row
        return cast(list[dict], list(rows.values()))  # each corpus_id is a key's target: none is left None

    def pair_rows(self, corpus_id: dict, roots: list) -> list[dict]:
        counts: dict[tuple[int, int], list[int]] = defaultdict(lambda: [0, 0])
        for (a, b), (sentences, documents) in self.pairs.items():
            pair = ordered(corpus_id[a], corpus_id[b])
            if pair[0] != pair[1]:
                counts[pair][0] += sentences
                counts[pair][1] += documents
        names = {number: self.stats[key] for number, key in enumerate(roots)}
        return [
            {"corpus_id_a": a, "type_a": names[a].type, "canonical_a": names[a].canonical,
             "corpus_id_b": b, "type_b": names[b].type, "canonical_b": names[b].canonical,
             "n_sentences": sentences, "n_documents": documents}
            for (a, b), (sentences, documents) in sorted(counts.items())
        ]  # fmt: skip
