"""`entities extract --engine dask`: partitions of documents run on a Dask cluster, each
staging its rows as parts; when all are in, the client makes the tables, Parquet datasets:

    OUT/sentences/part-00000.parquet, part-00001.parquet, ...   one part per partition
    OUT/tokens/part-*.parquet, OUT/mentions/part-*.parquet
    OUT/documents/, OUT/entities/, OUT/corpus_entities/, OUT/cooccurrences/, OUT/errors/
                                                                  one part each

Each worker process loads the models once (a worker plugin) and runs numpy on one BLAS
thread. A partition goes through the steps of a local run (`assembly.Assembly`): its
failed documents are rows of the errors table. It stages its parts under OUT/.entities-run
(written beside and renamed, the errors part last), so with --resume the partitions an
interrupted run finished are not run again. The tables are built beside too and swapped into
OUT as a set when every partition is in (`output.publish`); the client holds OUT's lock meanwhile.

Files, folders and globs are cut into partitions by the inputs alone (about --chunk-chars bytes
of files each, in the order given), never by the number of workers: a run resumes on a cluster
of any size. Needs the `dask` extra: pip install '.[dask]' in a checkout.
"""

from __future__ import annotations

import hashlib
import json
import logging
import math
from collections import deque
from collections.abc import Sequence
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import NamedTuple

from distributed import WorkerPlugin

from ..errors import EntitiesError, InputError
from ..io.failure import EXTRACT, Failure
from ..io.reader import Item, Reading
from ..pipeline import COMPONENTS
from ..records import Text
from ..timeline import DEFAULT_DATING, Dating
from .engine import stage_and_publish
from .merge import STREAMED, Merged, datasets, without
from .signals import blocked
from .staging import RUN, STAGED, Partitions, part_name, run_key, stage_chunk
from .workers import limit_blas_threads

PLUGIN = "entities-pipeline"
SOURCE = "__entities_source__"  # the dataset a row of a Parquet input came from

_pipeline = None  # the worker's own Pipeline, set by the plugin


class PipelinePlugin(WorkerPlugin):
    """Loads a pipeline of the client's class and options once in each worker process, with one BLAS thread."""

    name = PLUGIN

    def __init__(self, kind: type, options: dict):
        self.kind, self.options = kind, options

    def setup(self, worker=None) -> None:
        global _pipeline
        limit_blas_threads()
        _pipeline = self.kind(**self.options).load()


def worker_pipeline(kind: type, options: dict):
    if _pipeline is None:  # a worker that joined without the plugin
        PipelinePlugin(kind, options).setup()
    return _pipeline


def record_id(value):
    # a DataFrame's ids: None and NaN are missing; 7.0 (an int column with a gap) is 7
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return int(value) if isinstance(value, float) and value.is_integer() else value


def adapt_item(item, partition: int, number: int, reading: Reading) -> Item:
    """A bag item (Text, Failure, str) or a DataFrame row (a dict) -> Text or Failure;
    without an id, 'part-00003:12' (the partition and the row in it)."""
    if isinstance(item, (Text, Failure)):
        return item
    where = part_name(partition).split(".")[0]
    if isinstance(item, str):
        return Text(item, f"{where}:{number}")
    from ..io.reader import record_text

    record = dict(item)
    source = record.pop(SOURCE, where)
    record[reading.id] = record_id(record.get(reading.id))
    return replace(record_text(record, reading, where, number), source=source)


def partition_frames(pipeline, items: list[Item], strict: bool) -> dict:
    """Every staged table's rows for a partition's items, as a local run makes them."""
    import pandas as pd
    import pyarrow as pa

    from ..tables import ARROW_TABLES, mention_table, row_tables, schema_frame
    from .assembly import Assembly, document_frames

    empty = {name: schema_frame(columns, []) for name, columns in STAGED.items()}
    empty.update(row_tables([], []), mentions=mention_table([], []))
    collected: dict[str, list] = {name: [frame] for name, frame in empty.items()}
    for _, frames in document_frames(pipeline, items, Assembly(deque(), strict=strict, aliases=pipeline.aliases)):
        for name, frame in frames.items():
            collected[name].append(frame)
    frames = {name: pa.concat_tables(found) if name in ARROW_TABLES else pd.concat(found, ignore_index=True)
              for name, found in collected.items()}  # fmt: skip
    failed = set(frames["errors"].loc[frames["errors"]["stage"] == EXTRACT, "doc_id"])
    for name in STREAMED:  # a document that failed in a later piece leaves its first pieces' rows
        frames[name] = without(frames[name], failed)
    return frames


def run_partition(items: Sequence, out: str, number: int, kind: type, options: dict, reading: Reading,
                  strict: bool) -> int:  # fmt: skip
    """A Dask task: one partition through the pipeline (a `kind(**options)`), its chunk staged; the count of
    its items."""
    from ..io.reader import unique

    items = list(unique(adapt_item(item, number, index, reading) for index, item in enumerate(items, 1)))
    stage_chunk(Path(out) / RUN, number, partition_frames(worker_pipeline(kind, options), items, strict))
    return len(items)


def delayed_partitions(data) -> list:
    """The delayed partitions of a Dask Bag or DataFrame (a DataFrame's as lists of row dicts)."""
    import dask

    if hasattr(data, "columns"):  # a Dask DataFrame
        return [dask.delayed(frame_records)(partition) for partition in data.to_delayed()]
    return list(data.to_delayed())


def frame_records(frame) -> list[dict]:
    return frame.to_dict(orient="records")


def staging_key(key: dict | None, count: int, options: dict) -> dict:
    """What a resumed run must share with the interrupted one: the data (`key`), its partitions, the options."""
    named = {name: described(value) if name in COMPONENTS else value for name, value in options.items()}
    return {**(key or {}), "partitions": count, "options": repr(named)}


def described(component) -> str | None:
    # a component by the name of its function or class: its repr may hold an address
    if component is None:
        return None
    kind = component if hasattr(component, "__qualname__") else type(component)
    return f"{kind.__module__}.{kind.__qualname__}"


def extract(
    data,
    out,
    client=None,
    reading: Reading | None = None,
    pipeline=None,
    strict: bool = False,
    resume: bool = False,
    progress: bool = False,
    key: dict | None = None,
    dating: Dating = DEFAULT_DATING,
) -> Merged:
    """Run the pipeline over a Dask Bag (of str, entities.Text or dicts) or a Dask DataFrame (with a
    text column, and an id column if it has one: `reading` names them) on the cluster of `client`
    (the default one if None), and write the tables under `out` as Parquet datasets, a part per
    partition: read each with pandas.read_parquet(out / "mentions").

    The tables are the ones `entities extract` writes for the same documents in the same order.
    With `resume`, the partitions an interrupted run of the same data (`key` says what it is; the
    number of partitions is always checked) finished are not run again. `out` is locked for the run
    (another run on it is an InputError) and its tables are replaced as a set at the end. Returns
    merge.Merged: paths, documents, corpus_entities, errors and the rows of each table.
    """
    import dask
    from distributed import default_client

    from ..pipeline import Pipeline

    out = Path(out)
    client = client or default_client()
    pipeline = pipeline or Pipeline(date_field=dating.field)
    kind, options, reading = type(pipeline), pipeline.options, reading or Reading()
    partitions = delayed_partitions(data)

    def schedule(staged: Partitions) -> None:
        done = staged.done()
        client.register_plugin(PipelinePlugin(kind, options), name=PLUGIN)
        tasks = [
            dask.delayed(run_partition)(partition, str(out), number, kind, options, reading, strict)
            for number, partition in enumerate(partitions) if number not in done
        ]  # fmt: skip
        futures = client.compute(tasks)
        if progress:
            watch(futures, len(partitions), len(done))
        client.gather(futures)

    def open_staging() -> Partitions:
        return Partitions(out, staging_key(key, len(partitions), options), len(partitions), resume)

    build = partial(datasets, dating=dating)
    return stage_and_publish(out, open_staging, schedule, build, "parquet", lambda error: lost(error, client))


def lost(error: Exception, client) -> EntitiesError | None:
    """What a run that lost its scheduler or a worker raises, in one line; None: an error of the
    pipeline itself (a bug), raised as it is."""
    from distributed import CancelledError
    from distributed import TimeoutError as DaskTimeoutError
    from distributed.comm import CommClosedError
    from distributed.scheduler import KilledWorker

    if isinstance(error, KilledWorker):
        return EntitiesError("a Dask worker died (killed, or out of memory?)")
    if isinstance(error, (CancelledError, CommClosedError, OSError, DaskTimeoutError)) or client.status != "running":
        return EntitiesError(f"lost the Dask scheduler ({type(error).__name__})")
    return None


def watch(futures: list, total: int, done: int) -> None:
    from distributed import as_completed
    from tqdm import tqdm

    with tqdm(total=total, initial=done, unit="part", desc="extract", leave=False) as bar:
        for _ in as_completed(futures):
            bar.update()


def expand(name: str) -> list[str]:
    # 'corpora/*.jsonl' -> the files it matches, sorted; anything else as it is
    import glob

    return (sorted(glob.glob(name)) or [name]) if glob.has_magic(name) else [name]


def is_parquet(name: str) -> bool:
    # a .parquet file, or a directory of them (a dataset) with no .txt below it
    path = Path(name)
    if path.suffix.lower() == ".parquet":
        return True
    return path.is_dir() and any(path.glob("*.parquet")) and not any(path.rglob("*.txt"))


class Entry(NamedTuple):
    """A file of an input folder, named by its path below it, as `entities extract` names it."""

    folder: str
    doc_id: str
    file: Path | OSError  # its Path, or the OSError of a folder that could not be listed


def input_files(source, named: frozenset[str], skipped: list[str]) -> list:
    """The files of an input: an input file (a reader.Source) itself; a folder's files, one Entry each, but
    those `named` as inputs of their own; the files of no format read go to `skipped`."""
    if source.kind != "directory":
        return [source]
    from ..io.listing import directory_files

    listing = directory_files(Path(source.name), named)
    skipped.extend(listing.skipped)
    return [Entry(source.name, doc_id, file) for doc_id, file in listing.files]


def file_bytes(file) -> int:
    path = file.file if isinstance(file, Entry) else Path(file.name)
    if isinstance(path, OSError):  # a folder that could not be listed
        return 0
    try:
        return path.stat().st_size
    except (OSError, AttributeError):
        return 0


def read_files(files: list, reading: Reading) -> list[Item]:
    """A partition's items, read in the worker as `entities extract` reads them."""
    from ..io.reader import directory_items, read_input

    items: list[Item] = []
    for file in files:
        if isinstance(file, Entry):
            items.extend(directory_items(Path(file.folder), file.doc_id, file.file, reading, []))  # skipped: not told
        else:
            items.extend(read_input(file, reading))
    return items


def file_groups(files: list, limit: int) -> list[list]:
    """The files in order, cut into groups of about `limit` bytes: the partitions."""
    groups: list[list] = [[]]
    size = 0
    for file in files:
        if groups[-1] and size >= limit:
            groups.append([])
            size = 0
        groups[-1].append(file)
        size += file_bytes(file)
    return groups if groups[-1] else []


def file_bag(groups: list[list], reading: Reading):
    import dask.bag as db

    return db.from_sequence(groups, npartitions=len(groups)).map_partitions(
        lambda found: read_files([file for group in found for file in group], reading))  # fmt: skip


def dataset_bag(name: str):
    import dask.dataframe as dd

    return dd.read_parquet(name).to_bag(format="dict").map(lambda row: {**row, SOURCE: name})


class Plan(NamedTuple):
    """The partitions of the inputs: a Parquet dataset by its own, other inputs in groups of files."""

    partitions: list  # a dataset's name, or a group of files
    digest: str  # of every group's files and their sizes: --resume checks it


def plan_inputs(inputs: Sequence[str], reading: Reading, limit: int) -> Plan:
    from ..io.reader import check_input, log, named_files, skipped_line

    partitions: list[str | list] = []
    files: list = []
    skipped: list[str] = []
    names = [path for item in inputs for path in expand(item)]
    named = named_files(names)
    for name in names:
        if is_parquet(name):
            partitions.extend(file_groups(files, limit))
            partitions.append(name)
            files = []
        else:
            files.extend(input_files(check_input(name, reading), named, skipped))
    partitions.extend(file_groups(files, limit))
    if skipped:
        log.warning(skipped_line(skipped))
    shape = [
        partition if isinstance(partition, str) else [(repr(file[:2]), file_bytes(file)) for file in partition]
        for partition in partitions
    ]
    return Plan(partitions, hashlib.sha256(json.dumps(shape).encode("utf-8", "backslashreplace")).hexdigest())


def input_bag(plan: Plan, reading: Reading):
    """A Dask Bag over the planned partitions, in order: files are read in the workers."""
    import dask.bag as db

    bags: list = []  # dask Bags
    groups: list[list] = []
    for partition in plan.partitions:
        if isinstance(partition, str):
            if groups:
                bags.append(file_bag(groups, reading))
                groups = []
            bags.append(dataset_bag(partition))
        else:
            groups.append(partition)
    if groups:
        bags.append(file_bag(groups, reading))
    return db.concat(bags) if bags else db.from_sequence([], npartitions=1)


def connect(scheduler: str | None, workers: int):
    """A client of the scheduler at `scheduler`, or of a new local cluster of `workers` processes."""
    from distributed import Client, LocalCluster

    quiet()
    if scheduler is None:
        from multiprocessing import resource_tracker

        resource_tracker.ensure_running()  # started later, it would let SIGINT and SIGTERM through in its thread
        with (
            blocked()
        ):  # the worker processes start with SIGINT and SIGTERM held: Ctrl-C stops the client, which stops them
            cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=":0",
                                   silence_logs=logging.CRITICAL)  # fmt: skip
        return Client(cluster)
    try:
        return Client(scheduler, timeout="10s")
    except (OSError, TimeoutError, ValueError) as error:
        raise InputError(f"can not reach the Dask scheduler at {scheduler} ({error})") from None


def quiet() -> None:
    """Dask's own logging off: a lost scheduler is one line of ours, not 70 of its tracebacks."""
    names = [name for name in logging.root.manager.loggerDict if name.split(".")[0] in ("distributed", "tornado")]
    for name in ("distributed", "tornado", "asyncio", *names):
        logging.getLogger(name).setLevel(logging.CRITICAL)


def run_inputs(inputs: Sequence[str], out: Path, reading: Reading, settings, scheduler: str | None):
    """What `entities extract --engine dask` does; returns merge.Merged."""
    from ..io.reader import STDIN

    if STDIN in inputs:
        raise InputError("standard input can not be read with --engine dask: give files, directories or datasets")
    plan = plan_inputs(inputs, reading, settings.chunk_chars)
    if not plan.partitions:
        from ..io.reader import nothing_read

        raise InputError(nothing_read(inputs, out))
    with connect(scheduler, settings.workers) as client:
        merged = extract(input_bag(plan, reading), out, client, reading, settings.make_pipeline(), settings.strict,
                         settings.resume, settings.progress,
                         key={**run_key(inputs, reading), "plan": plan.digest}, dating=settings.dating)  # fmt: skip
        if scheduler is None:
            client.cluster.close()
    return merged
