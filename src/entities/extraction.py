"""`entities extract`: inputs -> pipeline -> tables on disk, streamed, and a short summary.

Pieces of documents go through the pipeline in batches (in worker processes
with --workers); each batch comes back as table rows and is appended to the
output files at once, so memory stays flat however large the corpus.
"""

from __future__ import annotations

from collections import deque
from pathlib import Path
from typing import Iterable, NamedTuple

import numpy as np

from .annotation import join_mentions
from .batch import map_batches
from .corpus import Corpus
from .group import group_mentions
from .pipeline import Pipeline
from .reader import Columns, read_texts
from .records import TYPES
from .tables import (
    ROW_TABLES, TABLES, corpus_frames, document_row, documents_frame, frame, mentions_frame, row_frames, shift_ids,
)  # fmt: skip
from .writer import TableWriter

STREAMED = (*ROW_TABLES, "mentions")
TOP = 3


class BatchRows(NamedTuple):
    """A batch of pieces: sentence and token rows (ids from 0 in each piece), and the mentions."""

    frames: dict
    counts: list[tuple[int, int]]  # sentences, tokens of each piece
    mentions: list[tuple]  # each piece's Mention records; grouped once their document is whole


def batch_rows(pipeline: Pipeline, batch: list) -> BatchRows:
    # a worker task: module level, so that it pickles
    parts = pipeline.parts(batch)
    frames = row_frames([piece.doc_id for piece in batch], [_.sentences for _ in parts])
    counts = [(len(_.sentences), sum(len(s.tokens) for s in _.sentences)) for _ in parts]
    return BatchRows(frames, counts, [_.mentions for _ in parts])


def summary(documents, corpus_entities, paths: dict) -> str:
    """The closing lines: documents, sentences, tokens, mentions, most mentioned entities.

    Every mention belongs to one corpus entity, so their counts add up to the mentions.
    """
    mentions = corpus_entities.groupby("type")["n_mentions"].sum()
    by_type = ", ".join(f"{type_} {mentions.get(type_, 0)}" for type_ in TYPES)
    lines = [
        f"{len(documents)} documents, {documents['n_sentences'].sum()} sentences, "
        f"{documents['n_tokens'].sum()} tokens, {mentions.sum()} mentions ({by_type})",
    ]
    ranked = corpus_entities.sort_values(["n_mentions", "corpus_id"], ascending=[False, True])
    for type_ in TYPES:
        top = ranked[ranked["type"] == type_].head(TOP)
        if len(top):
            lines.append(f"  {type_}: " + ", ".join(f"{row.canonical} ({row.n_mentions})" for row in top.itertuples()))
    lines.append("wrote " + ", ".join(str(path) for path in paths.values()))
    return "\n".join(lines)


class Assembly:
    """Batches of piece rows -> document rows: ids continue across a document's pieces, and a
    document's mentions are grouped into entities when its last piece is in."""

    def __init__(self, pending: deque, corpus: Corpus):
        self.pending = pending  # Texts whose pieces are in flight, in order
        self.corpus = corpus
        self.sentences = self.tokens = 0  # the current document's so far
        self.pieces: list[tuple] = []  # the current document's (mentions, sentence count) so far
        self.documents: list[dict] = []

    def offsets(self, batch, rows: BatchRows) -> tuple[np.ndarray, list[tuple[str, tuple]]]:
        """Sentence id offsets of the batch's pieces, and (doc_id, mentions) of the documents it completes."""
        offsets, done = [], []
        for piece, (sentences, tokens), mentions in zip(batch, rows.counts, rows.mentions):
            if piece.number == 0:
                self.sentences = self.tokens = 0
            offsets.append(self.sentences)
            self.pieces.append((mentions, sentences))
            self.sentences, self.tokens = self.sentences + sentences, self.tokens + tokens
            if piece.last:
                done.append(self.finish(self.pending.popleft()))
        return np.array(offsets, dtype=np.int64), done

    def finish(self, item) -> tuple[str, tuple]:
        mentions, entities = group_mentions(join_mentions(self.pieces))
        self.corpus.add(item.id, entities, mentions)
        self.documents.append(document_row(item, self.sentences, self.tokens))
        self.pieces = []
        return item.id, mentions

    def frames(self, batch, rows: BatchRows) -> dict:
        offsets, done = self.offsets(batch, rows)
        frames = {}
        for index, name in enumerate(ROW_TABLES):
            owner = np.repeat(np.arange(len(batch)), [count[index] for count in rows.counts])
            frames[name] = shift_ids(rows.frames[name], owner, {"sent_id": offsets})
        frames["mentions"] = mentions_frame([doc_id for doc_id, _ in done], [mentions for _, mentions in done])
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


def extract_tables(
    inputs, out: Path, fmt: str, columns: Columns, batch_size: int, progress: bool, workers: int = 1
) -> str:
    """Run the pipeline over the inputs, stream the tables to `out`, return a summary."""
    texts = read_texts(inputs, columns)
    writer = TableWriter(out, fmt)
    pipeline = Pipeline(batch_size=batch_size)
    pending: deque = deque()
    corpus = Corpus()
    assembly = Assembly(pending, corpus)
    try:
        results = map_batches(pipeline, batch_rows, pipeline.batches(texts, pending), workers)
        for batch, rows in with_progress(results, progress):
            frames = assembly.frames(batch, rows)
            for name in STREAMED:
                writer.append(name, frames[name])
        finals = {"documents": documents_frame(assembly.documents), **corpus_frames(corpus)}
        for name, frame_ in finals.items():
            writer.append(name, frame_)
        for name in STREAMED:
            writer.append(name, frame(name, []))  # the header of a table that got no rows
        paths = writer.close()
    except BaseException:
        writer.discard()
        raise
    return summary(finals["documents"], finals["corpus_entities"], {name: paths[name] for name in TABLES})
