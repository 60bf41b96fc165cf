"""`entities extract` on this machine: the inputs' pieces go through the pipeline in batches, in this
process or in worker processes (`workers`), and their rows are staged chunk by chunk (`Staging`).

Chunks are committed at document boundaries, so an interrupted run resumes after the last one; when the
inputs end, the committed chunks are merged into the final tables (`merge`). A document that can not be
read or processed is a row of the errors table, and the run goes on.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures.process import BrokenProcessPool
from contextlib import closing
from functools import partial
from itertools import chain
from pathlib import Path

from ..errors import EntitiesError, InputError
from ..io.database import DUCKDB, duckdb_module
from ..io.reader import Item, Reading, item_id, nothing_read, read_items
from .assembly import Assembly, document_frames
from .engine import Settings, stage_and_publish
from .merge import Merged, merge
from .staging import Staging, run_key


def skipped(items: Iterable[Item], done: int, last_id: str | None) -> Iterator[Item]:
    """The items after the first `done`, which a resumed run has; the last of those must be `last_id`."""
    number = 0
    for number, item in enumerate(items, 1):
        if number > done:
            yield item
        elif number == done and item_id(item) != last_id:
            raise InputError(
                f"the inputs changed since the interrupted run (item {done} is {item_id(item)!r}, was {last_id!r}); "
                "run without --resume"
            )
    if number < done:
        raise InputError(
            f"the inputs changed since the interrupted run (it had read {done} items, there are {number}); "
            "run without --resume"
        )


def stage(items: Iterable[Item], staging: Staging, settings: Settings) -> None:
    """Run the pipeline over the items and append their rows to the staging chunks, committing
    a chunk at the first document end past `chunk_chars` characters."""
    pipeline = settings.make_pipeline()
    assembly = Assembly(deque(), staging.items, settings.strict, pipeline.aliases)
    chars = 0
    frames = document_frames(pipeline, items, assembly, settings.workers, settings.progress)
    with closing(frames):  # however this ends, the workers stop now, not when the generator is collected
        for batch, rows in frames:
            for name, frame_ in rows.items():
                staging.append(name, frame_)
            chars += sum(len(piece.text) for piece in batch)
            if batch[-1].last and chars >= settings.chunk_chars:
                staging.commit(assembly.items, assembly.last_id)
                chars = 0
    if staging.dirty:
        staging.commit(assembly.items, assembly.last_id)


def worker_died(error: Exception) -> EntitiesError | None:
    if isinstance(error, BrokenProcessPool):
        return EntitiesError("a worker process died (killed, or out of memory?)")
    return None


def extract_tables(
    inputs, out: Path, fmt: str, reading: Reading = Reading(), settings: Settings = Settings()
) -> Merged:
    """Run the pipeline over the inputs, stage the rows chunk by chunk, merge them into `out`."""
    if fmt == DUCKDB:
        duckdb_module()  # not installed: one line now, not after the run
    items = read_items(inputs, reading)
    first = next(items, None)  # before OUT is touched: no document, and its tables stay as they are
    if first is None:
        raise InputError(nothing_read(inputs, out))
    items = chain([first], items)

    def schedule(staging: Staging) -> None:
        stage(skipped(items, staging.items, staging.last_id), staging, settings)

    def open_staging() -> Staging:
        return Staging(out, run_key(inputs, reading, settings.make_pipeline()), settings.resume)

    return stage_and_publish(out, open_staging, schedule, partial(merge, dating=settings.dating), fmt, worker_died)
