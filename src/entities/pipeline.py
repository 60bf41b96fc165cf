"""Pipeline: texts -> Documents. `pipe` is the real call; `__call__` is `pipe` of one."""

from __future__ import annotations

from itertools import count, islice
from typing import Iterable, Iterator

from .annotation import build_document
from .errors import InputError
from .records import Document, Text
from .segment import segment
from .window import ner_sentence_tags

DOCUMENT_BATCH = 32


def adapt_text(item, number: int) -> Text:
    if isinstance(item, Text):
        return item if item.id is not None else Text(item.text, str(number), item.source, item.meta)
    if isinstance(item, str):
        return Text(item, str(number))
    raise InputError(f"expected a str or entities.Text, got {type(item).__name__}")


def chunks(items: Iterable, size: int) -> Iterator[list]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


class Pipeline:
    """razdel + slovnet (morphology, NER) + pymorphy3 (lemmas, normal forms).

    >>> nlp = Pipeline()
    >>> doc = nlp("Губернатор Игорь Бабушкин встретился с послом Ермеком Кошербаевым.")
    >>> [m.normal for m in doc.mentions]
    ['Игорь Бабушкин', 'Ермек Кошербаев']

    Models load on first use, once per Pipeline.
    """

    def __init__(self, batch_size: int = DOCUMENT_BATCH):
        if batch_size < 1:
            raise ValueError(f"batch_size must be at least 1, got {batch_size}")
        self.batch_size = batch_size
        self._taggers = None
        self._morph = None

    def __repr__(self) -> str:
        state = "loaded" if self._taggers else "not loaded"
        return f"Pipeline(batch_size={self.batch_size}, models {state})"

    @property
    def morph(self):
        if self._morph is None:
            from .morph import Morph

            self._morph = Morph()
        return self._morph

    @property
    def taggers(self):
        if self._taggers is None:
            from .models import Models
            from .tagger import MorphTagger, NERTagger

            models = Models.load()
            self._taggers = (
                MorphTagger(models.morph),
                NERTagger(models.ner),
            )
        return self._taggers

    def load(self) -> "Pipeline":
        """Load the models now instead of on the first text."""
        _ = (self.taggers, self.morph)
        return self

    def pipe(self, texts: Iterable[str | Text], batch_size: int | None = None) -> Iterator[Document]:
        """Documents for `texts` (str or Text), in order, processed `batch_size` documents at a time."""
        items = (adapt_text(item, number) for number, item in zip(count(1), texts))
        for batch in chunks(items, batch_size or self.batch_size):
            yield from self.process(batch)

    def process(self, batch: list[Text]) -> list[Document]:
        morph_tagger, ner_tagger = self.taggers
        segments = [segment(item.text) for item in batch]
        words = [[token.text for token in part.tokens] for parts in segments for part in parts]
        morph_tags = iter(morph_tagger(words))
        ner_tags = iter(ner_sentence_tags(ner_tagger, words, [len(parts) for parts in segments]))
        return [
            build_document(self.morph, item, parts, islice(morph_tags, len(parts)), islice(ner_tags, len(parts)))
            for item, parts in zip(batch, segments)
        ]

    def __call__(self, text: str | Text) -> Document:
        return next(self.pipe([text]))
