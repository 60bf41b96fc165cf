"""`entities extract`: inputs -> pipeline -> tables on disk, streamed, and a short summary.

Pieces of documents go through the pipeline in batches (in worker processes
with --workers); each batch comes back as table rows and is appended to the
output files at once, so memory stays flat however large the corpus.
"""

from __future__ import annotations

from collections import Counter, deque
from pathlib import Path
from typing import Iterable, NamedTuple

import numpy as np

from .batch import map_batches
from .pipeline import Pipeline
from .reader import Columns, read_texts
from .records import TYPES
from .tables import ROW_TABLES, document_row, documents_frame, frame, row_frames, shift_ids
from .writer import TableWriter

TOP = 3
SUMMARY_KEEP = 100_000  # distinct normal forms counted for the summary before rare ones are dropped


class BatchRows(NamedTuple):
    """A batch of pieces as table rows; ids count from 0 in each piece."""

    frames: dict
    counts: list[tuple[int, int, int]]  # sentences, tokens, mentions of each piece


def batch_rows(pipeline: Pipeline, batch: list) -> BatchRows:
    # a worker task: module level, so that it pickles
    parts = pipeline.parts(batch)
    frames = row_frames([piece.doc_id for piece in batch], [_.sentences for _ in parts], [_.mentions for _ in parts])
    counts = [(len(_.sentences), sum(len(s.tokens) for s in _.sentences), len(_.mentions)) for _ in parts]
    return BatchRows(frames, counts)


class Summary:
    """Counts for the closing lines: documents, sentences, tokens, mentions, most frequent names."""

    def __init__(self):
        self.documents = self.sentences = self.tokens = 0
        self.types: Counter = Counter()
        self.normals: Counter = Counter()

    def add_mentions(self, mentions) -> None:
        self.types.update(mentions["type"].tolist())
        self.normals.update(zip(mentions["type"].tolist(), mentions["normal"].tolist()))
        if len(self.normals) > SUMMARY_KEEP:
            self.normals = Counter(dict(self.normals.most_common(SUMMARY_KEEP // 2)))

    def top(self, type_: str) -> str:
        counts = [(normal, count) for (kind, normal), count in self.normals.most_common() if kind == type_][:TOP]
        return ", ".join(f"{normal} ({count})" for normal, count in counts)

    def format(self, paths: dict) -> str:
        by_type = ", ".join(f"{type_} {self.types.get(type_, 0)}" for type_ in TYPES)
        lines = [
            f"{self.documents} documents, {self.sentences} sentences, {self.tokens} tokens, "
            f"{sum(self.types.values())} mentions ({by_type})",
        ]
        lines.extend(f"  {type_}: {self.top(type_)}" for type_ in TYPES if self.types.get(type_))
        lines.append("wrote " + ", ".join(str(path) for path in paths.values()))
        return "\n".join(lines)


class Assembly:
    """Turns batches of piece rows into document rows: ids continue across a document's pieces."""

    def __init__(self, pending: deque):
        self.pending = pending  # Texts whose pieces are in flight, in order
        self.sentences = self.tokens = self.mentions = 0  # the current document's so far
        self.documents: list[dict] = []

    def offsets(self, batch, counts) -> tuple[np.ndarray, np.ndarray]:
        sent_offsets, mention_offsets = [], []
        for piece, (sentences, tokens, mentions) in zip(batch, counts):
            if piece.number == 0:
                self.sentences = self.tokens = self.mentions = 0
            sent_offsets.append(self.sentences)
            mention_offsets.append(self.mentions)
            self.sentences, self.tokens, self.mentions = self.sentences + sentences, self.tokens + tokens, self.mentions + mentions
            if piece.last:
                self.documents.append(document_row(self.pending.popleft(), self.sentences, self.tokens))
        return np.array(sent_offsets, dtype=np.int64), np.array(mention_offsets, dtype=np.int64)

    def frames(self, batch, rows: BatchRows) -> dict:
        sent_offsets, mention_offsets = self.offsets(batch, rows.counts)
        index = {"sentences": 0, "tokens": 1, "mentions": 2}
        frames = {}
        for name in ROW_TABLES:
            owner = np.repeat(np.arange(len(batch)), [count[index[name]] for count in rows.counts])
            offsets = {"sent_id": sent_offsets, **({"mention_id": mention_offsets} if name == "mentions" else {})}
            frames[name] = shift_ids(rows.frames[name], owner, offsets)
        return frames

    def take_documents(self):
        rows, self.documents = self.documents, []
        return rows


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
    assembly, summary, documents = Assembly(pending), Summary(), []
    try:
        results = map_batches(pipeline, batch_rows, pipeline.batches(texts, pending), workers)
        for batch, rows in with_progress(results, progress):
            frames = assembly.frames(batch, rows)
            for name in ROW_TABLES:
                writer.append(name, frames[name])
            summary.add_mentions(frames["mentions"])
            summary.sentences += len(frames["sentences"])
            summary.tokens += len(frames["tokens"])
            documents.extend(assembly.take_documents())
        summary.documents = len(documents)
        writer.append("documents", documents_frame(documents))
        for name in ROW_TABLES:
            writer.append(name, frame(name, []))  # the header of a table that got no rows
        paths = writer.close()
    except BaseException:
        writer.discard()
        raise
    order = ["documents", *ROW_TABLES]
    return summary.format({name: paths[name] for name in order})
