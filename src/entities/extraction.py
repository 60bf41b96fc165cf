"""`entities extract`: inputs -> pipeline -> tables on disk, and a short summary."""

from __future__ import annotations

from pathlib import Path
from typing import Iterable, Mapping

from .pipeline import Pipeline
from .reader import Columns, read_texts
from .records import TYPES

TOP = 3


def with_progress(docs: Iterable, enabled: bool) -> Iterable:
    if not enabled:
        return docs
    from tqdm import tqdm

    return tqdm(docs, unit="doc", desc="extract", dynamic_ncols=True, leave=False)


def top_normals(mentions, type_: str, size: int = TOP) -> str:
    counts = mentions.loc[mentions["type"] == type_, "normal"].value_counts().head(size)
    return ", ".join(f"{normal} ({count})" for normal, count in counts.items())


def summarize(frames: Mapping, paths: Mapping[str, Path]) -> str:
    documents, mentions = frames["documents"], frames["mentions"]
    counts = mentions["type"].value_counts()
    by_type = ", ".join(f"{type_} {counts.get(type_, 0)}" for type_ in TYPES)
    lines = [
        f"{len(documents)} documents, {int(documents['n_sentences'].sum())} sentences, "
        f"{int(documents['n_tokens'].sum())} tokens, {len(mentions)} mentions ({by_type})",
    ]
    lines.extend(f"  {type_}: {top_normals(mentions, type_)}" for type_ in TYPES if counts.get(type_, 0))
    lines.append("wrote " + ", ".join(str(path) for path in paths.values()))
    return "\n".join(lines)


def extract_tables(inputs, out: Path, fmt: str, columns: Columns, batch_size: int, progress: bool) -> str:
    """Run the pipeline over the inputs, write the tables, return a summary."""
    from .tables import to_frames
    from .writer import write_tables

    texts = read_texts(inputs, columns)
    docs = Pipeline(batch_size=batch_size).pipe(texts)
    frames = to_frames(with_progress(docs, progress))
    paths = write_tables(frames, out, fmt)
    return summarize(frames, paths)
