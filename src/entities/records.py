"""The records the pipeline hands out: owned here, frozen, printable."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from typing import Any

PER = "PER"
LOC = "LOC"
ORG = "ORG"
TYPES = (PER, LOC, ORG)


def shorten(text: str, size: int = 40) -> str:
    # 'Губернатор Астраханской области назвал…'
    if len(text) <= size:
        return text
    return text[: size - 1] + "…"


def reduce_record(record) -> tuple:
    # pickles as the class and its field values: 3x faster than slots state, for worker results
    return type(record), tuple(getattr(record, _.name) for _ in fields(record))


@dataclass(frozen=True, slots=True)
class Text:
    """One input document: its text, an id, where it came from, and metadata."""

    text: str
    id: str | None = None
    source: str | None = None
    meta: Mapping[str, Any] = field(default_factory=dict)

    __reduce__ = reduce_record

    def __repr__(self) -> str:
        doc_id = None if self.id is None else shorten(self.id)
        return f"Text(id={doc_id!r}, text={shorten(self.text)!r})"


@dataclass(frozen=True, slots=True)
class Token:
    """A word or punctuation mark: offsets into the document, lemma, UD tag; with syntax on (`Pipeline(syntax=True)`)
    its head, the token_id in the sentence (None for the root), and the UD relation to it ('nsubj')."""

    start: int
    stop: int
    text: str
    lemma: str
    pos: str
    feats: Mapping[str, str]
    head_id: int | None = None
    rel: str = ""

    __reduce__ = reduce_record

    def __repr__(self) -> str:
        return f"Token({self.start}, {self.stop}, {shorten(self.text)!r}, {shorten(self.lemma)!r}, {self.pos})"


@dataclass(frozen=True, slots=True)
class Sentence:
    """A sentence: offsets into the document, its text and tokens."""

    start: int
    stop: int
    text: str
    tokens: tuple[Token, ...] = ()

    __reduce__ = reduce_record

    def __repr__(self) -> str:
        return f"Sentence({self.start}, {self.stop}, {shorten(self.text)!r}, tokens={len(self.tokens)})"


@dataclass(frozen=True, slots=True)
class Mention:
    """A named entity mention: `doc.text[start:stop] == text`, `normal` in the nominative."""

    start: int
    stop: int
    type: str
    text: str
    normal: str
    first: str = ""
    middle: str = ""
    last: str = ""
    sent_id: int = 0
    entity_id: int = -1  # mentions of one entity in a document share it

    __reduce__ = reduce_record

    def __repr__(self) -> str:
        text, normal = shorten(self.text), shorten(self.normal)
        return f"Mention({self.start}, {self.stop}, {self.type}, {text!r} -> {normal!r})"


@dataclass(frozen=True, slots=True)
class Entity:
    """One person, place or organization of a document, named by its fullest mention."""

    entity_id: int
    type: str
    canonical: str
    first: str = ""
    middle: str = ""
    last: str = ""
    n_mentions: int = 0
    first_start: int = 0
    key: str = ""  # of the place or body an alias links it to: 'iso:CN'; empty when none does

    __reduce__ = reduce_record

    def __repr__(self) -> str:
        return f"Entity({self.entity_id}, {self.type}, {shorten(self.canonical)!r}, mentions={self.n_mentions})"


@dataclass(frozen=True, slots=True)
class Document:
    """A processed text: sentences with tokens, mentions, and the entities they name."""

    id: str
    text: str
    sentences: tuple[Sentence, ...] = ()
    mentions: tuple[Mention, ...] = ()
    source: str = ""
    meta: Mapping[str, Any] = field(default_factory=dict)
    entities: tuple[Entity, ...] = ()
    facts: Mapping[str, tuple] = field(default_factory=dict)  # each extractor's records: 'dates' -> (Date, ...)

    @property
    def tokens(self) -> list[Token]:
        return [token for sentence in self.sentences for token in sentence.tokens]

    @property
    def dates(self) -> tuple:
        """The dates and periods the text names (`facts.dates.Date`)."""
        return self.facts.get("dates", ())

    @property
    def money(self) -> tuple:
        """The sums of money the text names (`facts.money.Money`)."""
        return self.facts.get("money", ())

    __reduce__ = reduce_record

    def __repr__(self) -> str:
        return (
            f"Document(id={shorten(self.id)!r}, text={shorten(self.text)!r}, "
            f"sentences={len(self.sentences)}, mentions={len(self.mentions)}, entities={len(self.entities)})"
        )

    def _repr_html_(self) -> str:
        # Jupyter: the text with its entities highlighted, and a table of them
        from .show.markup import document_html

        return document_html(self)
