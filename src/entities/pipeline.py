"""Pipeline: texts -> Documents. `pipe` is the real call; `__call__` is `pipe` of one."""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import count, islice, repeat
from typing import TYPE_CHECKING

from .errors import InputError
from .mentions.annotation import Annotation, annotate_piece, build_document, plain_piece, restored
from .mentions.correction import RULES
from .nlp.window import ner_sentence_tags
from .records import Document, Text
from .text.piece import Piece, item_pieces
from .text.segment import segment
from .timeline import DATE_FIELD

if TYPE_CHECKING:
    from .nlp.morph import Morph

BATCH_PIECES = 32
COMPONENTS = ("segmenter", "morph_tagger", "ner_tagger")  # options a user may plug in: see Pipeline
BATCH_CHARS = 20_000  # a batch closes at this many characters: work spreads evenly over workers


def adapt_text(item, number: int) -> Text:
    if isinstance(item, Text):
        return item if item.id is not None else Text(item.text, str(number), item.source, item.meta)
    if isinstance(item, str):
        return Text(item, str(number))
    raise InputError(f"expected a str or entities.Text, got {type(item).__name__}")


def check_rules(rules: Sequence[str]) -> tuple[str, ...]:
    unknown = [_ for _ in rules if _ not in RULES]
    if isinstance(rules, str) or unknown:
        raise ValueError(f"rules must be names from {list(RULES)}, got {unknown or rules!r}")
    return tuple(rules)


def piece_batches(pieces: Iterable[Piece], size: int, chars: int = BATCH_CHARS) -> Iterator[list[Piece]]:
    """Batches of at most `size` pieces, closed early at `chars` characters."""
    batch, total = [], 0
    for piece in pieces:
        batch.append(piece)
        total += len(piece.text)
        if len(batch) >= size or total >= chars:
            yield batch
            batch, total = [], 0
    if batch:
        yield batch


def with_facts(annotation: Annotation, piece: Piece) -> Annotation:
    """The annotation with every extractor's records of the piece (its plain view, as the taggers read it)."""
    from .facts.catalog import found_facts
    from .facts.extractor import Passage

    return annotation._replace(facts=found_facts(Passage(piece.text, piece.start, annotation.sentences, piece.day)))


def batch_annotations(pipeline: Pipeline, batch: list[Piece]) -> list[Annotation]:
    # a worker task: module level, so that it pickles
    return pipeline.annotate(batch)


class Pipeline:
    """razdel + slovnet (morphology, NER) + pymorphy3 (lemmas, normal forms).

    Models load on first use, once per Pipeline (once per worker process).

    Examples:
        >>> nlp = Pipeline()
        >>> doc = nlp("Губернатор Игорь Бабушкин встретился с послом Ермеком Кошербаевым.")
        >>> [m.normal for m in doc.mentions]
        ['Игорь Бабушкин', 'Ермек Кошербаев']
    """

    def __init__(self, batch_size: int = BATCH_PIECES, rules: Sequence[str] | None = None, aliases=None, *,
                 date_field: str | None = DATE_FIELD, segmenter: Callable | None = None,
                 morph_tagger: Callable | None = None, ner_tagger: Callable | None = None,
                 syntax: bool = False):  # fmt: skip
        """`rules`: the NER corrections to apply, names of `correction.RULES` (default all, [] none); they
        run in the table's order, whatever the order `rules` gives.
        `aliases`: the user's links of names, before the built-in table: a CSV file of
        `alias,canonical[,type]` rows, rows of that shape, or an `aliases.Aliases`.
        `date_field`: the field of a Text's `meta` that dates it ('2024-05-08'): relative dates in its text
        ('вчера', 'в прошлом году') count from it; None, or a Text with no such date: their `value` is empty.

        The components, None for the built-in ones (loaded on first use):
        `segmenter(text, offset)` -> the text's sentences and tokens (`text.segment.segment`, razdel); it and
        the taggers get the text as a reader sees it (soft hyphens, zero-width characters and stress marks
        left out, NFC: `text.plain`); its offsets are mapped back, so records index the text as written;
        `morph_tagger(sentences)` -> for each sentence (a list of words) a (pos, feats) pair per word,
        Universal Dependencies tags (slovnet's morphology model);
        `ner_tagger(sentences)` -> for each sequence of words its BIO tags, 'B-PER', 'I-LOC', 'O'
        (slovnet's NER model). With `workers`, the Dask engine or `entities extract` they go to the
        worker processes, pickled: give objects that pickle (module-level classes and functions).

        `syntax`: each token's head and relation (`Token.head_id`, `Token.rel`) from slovnet's syntax model,
        loaded only then; off, they are None and ''."""
        from .resolve.aliases import Aliases, read_aliases

        if batch_size < 1:
            raise ValueError(f"batch_size must be at least 1, got {batch_size}")
        self.batch_size = batch_size
        self.rules = tuple(RULES) if rules is None else check_rules(rules)
        self.user_aliases = aliases if aliases is None or isinstance(aliases, Aliases) else read_aliases(aliases)
        self.date_field = date_field
        self.segmenter = segmenter
        self.components = (morph_tagger, ner_tagger)  # what the user gave; None: the built-in one
        self._taggers: tuple[Callable, Callable] | None = None
        self._morph: Morph | None = None
        self.syntax = syntax
        self._syntax_tagger: Callable | None = None

    def __repr__(self) -> str:
        state = "loaded" if self._taggers else "not loaded"
        rules = "" if self.rules == tuple(RULES) else f", rules={list(self.rules)}"
        syntax = ", syntax=True" if self.syntax else ""
        return f"Pipeline(batch_size={self.batch_size}{rules}{syntax}, models {state})"

    @property
    def options(self) -> dict:
        """What a worker process needs to build the same Pipeline (`type(pipeline)(**options)`)."""
        morph_tagger, ner_tagger = self.components
        return {"batch_size": self.batch_size, "rules": self.rules, "aliases": self.user_aliases,
                "date_field": self.date_field, "segmenter": self.segmenter, "morph_tagger": morph_tagger,
                "ner_tagger": ner_tagger, "syntax": self.syntax}  # fmt: skip

    @property
    def aliases(self):
        """The table of names that link: the user's, then the built-in one."""
        from .resolve.aliases import user_first

        return user_first(self.user_aliases)

    @property
    def morph(self):
        if self._morph is None:
            from .nlp.morph import Morph

            self._morph = Morph()
        return self._morph

    @property
    def taggers(self) -> tuple[Callable, Callable]:
        """The morphology and NER taggers: the ones given, else slovnet's, loaded once."""
        if self._taggers is None:
            morph_tagger, ner_tagger = self.components
            if morph_tagger is None or ner_tagger is None:
                from .nlp.tagger import MorphTagger, NERTagger, shared_ids
                from .nlp.weights import Models

                models = Models.load()  # a load that raises leaves nothing half set: the next call tries again
                morph_tagger = morph_tagger or MorphTagger(models.morph)
                ids = shared_ids(morph_tagger, models.ner) if isinstance(morph_tagger, MorphTagger) else None
                ner_tagger = ner_tagger or NERTagger(models.ner, ids_cache=ids)
            self._taggers = (morph_tagger, ner_tagger)
        return self._taggers

    @property
    def syntax_tagger(self) -> Callable | None:
        """slovnet's syntax model, loaded once, when `syntax` is on (else None): words -> (head, rel) per word."""
        if self.syntax and self._syntax_tagger is None:
            from .nlp.tagger import SyntaxTagger

            self._syntax_tagger = SyntaxTagger.load(beside=self.taggers[0])  # its word ids cache, when built in
        return self._syntax_tagger

    def load(self) -> Pipeline:
        """Load the models now instead of on the first text."""
        _ = (self.taggers, self.morph, self.syntax_tagger)
        return self

    def annotate(self, pieces: list[Piece]) -> list[Annotation]:
        """The batch call: sentences of all pieces tagged together."""
        morph_tagger, ner_tagger = self.taggers
        segmenter = self.segmenter or segment
        plains = [plain_piece(piece) for piece in pieces]  # the taggers read past stress marks and soft hyphens
        segmented = [segmenter(plain.text, plain.start) for plain, _ in plains]  # each piece's segments
        words = [[token.text for token in sentence.tokens] for segments in segmented for sentence in segments]
        morph_tags = iter(morph_tagger(words))
        ner_tags = iter(ner_sentence_tags(ner_tagger, words, [len(segments) for segments in segmented]))
        syntax_tagger = self.syntax_tagger
        syntax_tags = iter(syntax_tagger(words)) if syntax_tagger else repeat(())
        annotations = [
            annotate_piece(
                self.morph, plain, segments, islice(morph_tags, len(segments)), islice(ner_tags, len(segments)),
                self.rules, islice(syntax_tags, len(segments)),
            )
            for (plain, _), segments in zip(plains, segmented, strict=True)
        ]  # fmt: skip
        return [
            restored(with_facts(annotation, plain), piece, view)
            for piece, (plain, view), annotation in zip(pieces, plains, annotations, strict=True)
        ]

    def dating(self, text: Text):
        """The day a Text's `date_field` names, or None."""
        if not self.date_field:
            return None
        from .timeline import parse_date

        return parse_date(text.meta.get(self.date_field))

    def batches(self, texts: Iterable[str | Text], pending: deque, batch_size: int | None = None) -> Iterator[list]:
        """Batches of pieces of the texts; each Text goes on `pending` as its pieces are cut."""
        items = (adapt_text(item, number) for number, item in zip(count(1), texts))
        return piece_batches(item_pieces(items, pending, self.dating), batch_size or self.batch_size)

    def pipe(self, texts: Iterable[str | Text], batch_size: int | None = None, workers: int = 1) -> Iterator[Document]:
        """Documents for `texts` (str or Text), in order.

        Texts are read lazily and processed `batch_size` pieces at a time (a piece is a
        document or, past 32,000 characters, a run of its paragraphs). With `workers` > 1
        the batches run in that many worker processes; the output is the same.
        """
        from .run.workers import map_batches

        pending: deque = deque()
        collected: list[Annotation] = []
        aliases = self.aliases
        batches = self.batches(texts, pending, batch_size)
        for batch, annotated in map_batches(self, batch_annotations, batches, workers):
            for piece, annotation in zip(batch, annotated, strict=True):
                collected.append(annotation)
                if piece.last:
                    yield build_document(pending.popleft(), collected, aliases)
                    collected = []

    def __call__(self, text: str | Text) -> Document:
        return next(self.pipe([text]))
