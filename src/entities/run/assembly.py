"""Batches of pieces -> rows of whole documents, the same for both engines.

A batch of pieces goes through the pipeline (in this process, a worker process or a Dask worker) and comes
back as table rows (`batch_rows`); `Assembly` puts them together into rows of whole documents: ids continue
across a document's pieces, its mentions are grouped into entities when its last piece is in, and a document
that failed becomes a row of the errors table. A batch that raises is run again a piece at a time, so only
the piece that raises loses its document.
"""

from __future__ import annotations

import json
from collections import deque
from collections.abc import Generator, Iterable
from dataclasses import replace
from typing import NamedTuple, cast

import numpy as np

from ..errors import DocumentError
from ..io.failure import EXTRACT, Failure, one_line
from ..io.reader import Item, item_id
from ..mentions.annotation import Annotation, join_records
from ..pipeline import Pipeline, piece_batches
from ..records import Mention, Text
from ..resolve.document import group_mentions
from ..tables import ROW_TABLES, mention_table, row_tables, schema_frame, shift_rows
from ..text.piece import Piece, item_pieces
from .staging import STAGED
from .workers import map_batches


class BatchRows(NamedTuple):
    """A batch of pieces: rows of sentences, tokens and facts (ids from 0 in each piece), and the mentions."""

    frames: dict  # name -> Arrow table, of each of ROW_TABLES
    counts: list[tuple[int, ...]]  # rows of each of ROW_TABLES (sentences, tokens, dates, …) of each piece
    mentions: list[tuple]  # each piece's Mention records; grouped once their document is whole
    errors: list[str | None]  # each piece's error, one line; None when it went through


def piece_rows(pipeline: Pipeline, batch: list[Piece]) -> BatchRows:
    annotations = pipeline.annotate(batch)
    doc_ids = [piece.doc_id for piece in batch]
    frames = row_tables(doc_ids, [_.sentences for _ in annotations], [_.facts for _ in annotations])
    counts = [row_counts(annotation) for annotation in annotations]
    return BatchRows(frames, counts, [_.mentions for _ in annotations], [None] * len(batch))


def row_counts(annotation: Annotation) -> tuple[int, ...]:
    """The piece's rows of each of ROW_TABLES: sentences, tokens, then each extractor's."""
    tokens = sum(len(sentence.tokens) for sentence in annotation.sentences)
    return len(annotation.sentences), tokens, *(len(annotation.facts.get(name, ())) for name in ROW_TABLES[2:])


def isolated_rows(pipeline: Pipeline, piece: Piece) -> BatchRows:
    try:
        return piece_rows(pipeline, [piece])
    except Exception as error:  # noqa: BLE001 - any error of one document is that document's
        return BatchRows(row_tables([], []), [(0,) * len(ROW_TABLES)], [()], [one_line(error)])


def joined_rows(rows: list[BatchRows]) -> BatchRows:
    import pyarrow as pa

    frames = {name: pa.concat_tables([_.frames[name] for _ in rows]) for name in ROW_TABLES}
    return BatchRows(frames, *([value for _ in rows for value in getattr(_, field)] for field in BatchRows._fields[1:]))


def batch_rows(pipeline: Pipeline, batch: list[Piece]) -> BatchRows:
    # a worker task: module level, so that it pickles
    pipeline.load()  # models that do not load stop the run: they are no document's fault
    try:
        return piece_rows(pipeline, batch)
    except Exception:  # noqa: BLE001 - find the piece that raises: the others are not lost
        return joined_rows([isolated_rows(pipeline, piece) for piece in batch])


def shared_strings(mention: Mention, strings: dict[str, str]) -> Mention:
    """The mention with each of its strings the one object `strings` keeps for that value."""

    def one(value: str) -> str:
        return strings.setdefault(value, value)

    return replace(mention, type=one(mention.type), text=one(mention.text), normal=one(mention.normal),
                   first=one(mention.first), middle=one(mention.middle), last=one(mention.last))  # fmt: skip


class Outcome(NamedTuple):
    """A whole document: its rows, or its failure."""

    item: Text | None
    sentences: int
    tokens: int
    mentions: tuple = ()
    entities: tuple = ()
    failure: Failure | None = None


def staged_frames(outcomes: list[Outcome]) -> dict:
    """documents, mentions, entities and errors rows of the documents a batch completed."""
    done = [(_, cast(Text, _.item)) for _ in outcomes if _.failure is None]  # no failure: it has its Text
    documents = [
        (item_id(text), text.source or "", len(text.text), outcome.sentences, outcome.tokens,
         json.dumps(dict(text.meta), ensure_ascii=False, default=str))
        for outcome, text in done
    ]  # fmt: skip
    entities = [
        (item_id(text), e.entity_id, e.type, e.canonical, e.first, e.middle, e.last, e.n_mentions, e.first_start, e.key)
        for outcome, text in done for e in outcome.entities
    ]  # fmt: skip
    errors = [tuple(getattr(_.failure, column) for column in STAGED["errors"]) for _ in outcomes if _.failure]
    return {
        "documents": schema_frame(STAGED["documents"], documents),
        "mentions": mention_table([item_id(text) for _, text in done], [outcome.mentions for outcome, _ in done]),
        "entities": schema_frame(STAGED["entities"], entities),
        "errors": schema_frame(STAGED["errors"], errors),
    }


class Assembly:
    """Batches of piece rows -> rows of whole documents: ids continue across a document's pieces,
    its mentions are grouped into entities when its last piece is in, and a document that failed
    (in reading, or in any of its pieces) becomes a row of the errors table."""

    def __init__(self, pending: deque, items: int = 0, strict: bool = False, aliases=None):
        self.pending = pending  # items (Text or Failure) whose pieces are in flight, in order
        self.aliases = aliases  # the table of names that link: aliases.Aliases, None for the built-in one
        self.items = items  # items done, counted from the start of the input
        self.last_id: str | None = None
        self.strict = strict
        self.sentences = self.tokens = 0  # the current document's so far
        self.pieces: list[tuple] = []  # the current document's (mentions, sentence count) so far
        self.error: str | None = None  # the current document's first error
        self.strings: dict[str, str] = {}  # the current document's mention strings, one object for each

    def offsets(self, batch, rows: BatchRows) -> tuple[np.ndarray, list[Outcome]]:
        """Sentence id offsets of the batch's pieces, and the documents it completes."""
        offsets, done = [], []
        for piece, (sentences, tokens, *_), mentions, error in zip(
            batch, rows.counts, rows.mentions, rows.errors, strict=True
        ):
            if piece.number == 0:
                self.sentences = self.tokens = 0
                self.strings = {}
            offsets.append(self.sentences)
            if not (piece.number == 0 and piece.last):  # a long document: its mentions wait here, names repeat
                mentions = tuple(shared_strings(mention, self.strings) for mention in mentions)
            self.pieces.append((mentions, sentences))
            self.error = self.error or error
            self.sentences, self.tokens = self.sentences + sentences, self.tokens + tokens
            if piece.last:
                done.append(self.finish(self.pending.popleft()))
        return np.array(offsets, dtype=np.int64), done

    def finish(self, item: Item) -> Outcome:
        pieces, error = self.pieces, self.error
        self.pieces, self.error, self.strings = [], None, {}
        self.items += 1
        self.last_id = item_id(item)
        if isinstance(item, Failure):
            return self.failed(item)
        if error:
            return self.failed(Failure(item_id(item), item.source or "", EXTRACT, error))
        try:
            joined = join_records(pieces)
            pieces.clear()  # a long document's mentions are in memory once, not twice
            mentions, entities = group_mentions(joined, aliases=self.aliases)
        except Exception as exc:  # noqa: BLE001
            return self.failed(Failure(item_id(item), item.source or "", EXTRACT, one_line(exc)))
        return Outcome(item, self.sentences, self.tokens, tuple(mentions), tuple(entities))

    def failed(self, failure: Failure) -> Outcome:
        if self.strict:
            raise DocumentError(f"{failure.doc_id}: {failure.error} (--strict stops at the first failed document)")
        return Outcome(None, 0, 0, failure=failure)

    def frames(self, batch, rows: BatchRows) -> dict:
        """The batch's rows of every staged table."""
        offsets, done = self.offsets(batch, rows)
        frames = {}
        for index, name in enumerate(ROW_TABLES):
            owner = np.repeat(np.arange(len(batch)), [count[index] for count in rows.counts])
            frames[name] = shift_rows(rows.frames[name], owner, offsets)
        frames.update(staged_frames(done))
        return frames


def with_progress(batches: Iterable, enabled: bool) -> Iterable:
    if not enabled:
        yield from batches
        return
    from tqdm import tqdm

    with tqdm(unit="doc", desc="extract", dynamic_ncols=True, leave=False) as bar:
        for batch, rows in batches:
            yield batch, rows
            bar.update(sum(piece.last for piece in batch))


def document_frames(
    pipeline: Pipeline, items: Iterable[Item], assembly: Assembly, workers: int = 1, progress: bool = False
) -> Generator[tuple[list[Piece], dict], None, None]:
    """(batch, its rows of every staged table) as the items go through the pipeline in batches."""
    batches = piece_batches(item_pieces(items, assembly.pending, pipeline.dating), pipeline.batch_size)
    for batch, rows in with_progress(map_batches(pipeline, batch_rows, batches, workers), progress):
        yield batch, assembly.frames(batch, rows)
