"""`entities extract --engine dask`: partitions of documents run on a Dask cluster, each
staging its rows as parts; when all are in, the client makes the tables, Parquet datasets:

    OUT/sentences/part-00000.parquet, part-00001.parquet, ...   one part per partition
    OUT/tokens/part-*.parquet, OUT/mentions/part-*.parquet
    OUT/documents/, OUT/entities/, OUT/corpus_entities/, OUT/cooccurrences/, OUT/errors/
                                                                  one part each

Each worker process loads the models once (a worker plugin) and runs numpy on one BLAS
thread. A partition goes through the steps of a local run (`extraction.Assembly`): its
failed documents are rows of the errors table. It stages its parts under OUT/.entities-run
(written beside and renamed, the errors part last), so with --resume the partitions an
interrupted run finished are not run again. The tables are built beside too and swapped into
OUT as a set when every partition is in (`output.publish`); the client holds OUT's lock meanwhile.

Files, folders and globs are cut into partitions by the inputs alone (about --chunk-chars bytes
of files each, in the order given), never by the number of workers: a run resumes on a cluster
of any size. Needs the `dask` extra: pip install 'entities[dask]'.
"""

from __future__ import annotations

import hashlib
import json
import logging
import math
import os
import shutil
from collections import deque
from dataclasses import replace
from pathlib import Path
from typing import NamedTuple, Sequence

from distributed import WorkerPlugin

from .workers import limit_blas_threads
from ..errors import EntitiesError, InputError, Interrupted
from ..io.failure import EXTRACT, Failure
from .merge import STREAMED, Merged, final_frames, table_columns, without
from .folder import Lock, publish, write_json
from ..io.reader import Item, Reading
from ..records import Text
from .signals import Stop, blocked, last
from .staging import MANIFEST, RUN, STAGED, TABLES, chunk_number, drop_parts, part_name, run_key
from ..io.writer import TableFile, prepare

PLUGIN = "entities-pipeline"
SOURCE = "__entities_source__"  # the dataset a row of a Parquet input came from

_pipeline = None  # the worker's own Pipeline, set by the plugin


class PipelinePlugin(WorkerPlugin):
    """Loads a Pipeline once in each worker process, with one BLAS thread."""

    name = PLUGIN

    def __init__(self, options: dict):
        self.options = options

    def setup(self, worker=None) -> None:
        global _pipeline
        from ..pipeline import Pipeline

        limit_blas_threads()
        _pipeline = Pipeline(**self.options).load()


def worker_pipeline(options: dict):
    if _pipeline is None:  # a worker that joined without the plugin
        PipelinePlugin(options).setup()
    return _pipeline


def record_id(value):
    # a DataFrame's ids: None and NaN are missing; 7.0 (an int column with a gap) is 7
    if value is None or isinstance(value, float) and math.isnan(value):
        return None
    return int(value) if isinstance(value, float) and value.is_integer() else value


def adapt_item(item, part: int, number: int, reading: Reading) -> Item:
    """A bag item (Text, Failure, str) or a DataFrame row (a dict) -> Text or Failure;
    without an id, 'part-00003:12' (the partition and the row in it)."""
    if isinstance(item, (Text, Failure)):
        return item
    where = part_name(part).split(".")[0]
    if isinstance(item, str):
        return Text(item, f"{where}:{number}")
    from ..io.reader import record_text

    record = dict(item)
    source = record.pop(SOURCE, where)
    record[reading.id] = record_id(record.get(reading.id))
    return replace(record_text(record, reading, where, number), source=source)


class Partitions:
    """The staged parts of a Dask run: OUT/.entities-run/TABLE/part-N.parquet for N < count."""

    def __init__(self, out: Path, count: int):
        self.root, self.count = out / RUN, count

    def parts(self, name: str) -> list[Path]:
        return [self.root / name / part_name(number) for number in range(self.count)]

    def done(self) -> set[int]:
        # a partition is done once its errors part, written last, is there
        return {chunk_number(path) for path in (self.root / "errors").glob("part-*.parquet")}

    def start(self, key: dict, resume: bool) -> None:
        """A new staging directory; or, with `resume`, the one of an interrupted run of the same key,
        its parts of no partition (a run cut short, or partitioned otherwise) deleted."""
        manifest = self.root / MANIFEST
        if resume and manifest.exists():
            if json.loads(manifest.read_text(encoding="utf-8")) != key:
                raise InputError(f"{self.root.parent} holds an interrupted run of other inputs, partitions or "
                                 "options; run without --resume to start over")  # fmt: skip
            drop_parts(self.root, self.count)
            return
        shutil.rmtree(self.root, ignore_errors=True)
        for name in STAGED:
            (self.root / name).mkdir(parents=True)
        write_json(manifest, key)


def write_part(path: Path, frame, columns: dict | None = None) -> None:
    # written beside, then renamed: a part is whole or absent
    path.parent.mkdir(parents=True, exist_ok=True)
    part = TableFile(path, "parquet", columns, durable=True)
    part.append(frame)
    part.close()


def partition_frames(pipeline, items: list[Item], strict: bool) -> dict:
    """Every staged table's rows for a partition's items, as a local run makes them."""
    import pandas as pd

    from .local import Assembly, document_frames
    from ..tables import schema_frame

    parts: dict[str, list] = {name: [schema_frame(columns, [])] for name, columns in STAGED.items()}
    for _, frames in document_frames(pipeline, items, Assembly(deque(), strict=strict, aliases=pipeline.aliases)):
        for name, frame in frames.items():
            parts[name].append(frame)
    frames = {name: pd.concat(found, ignore_index=True) for name, found in parts.items()}
    failed = set(frames["errors"].loc[frames["errors"]["stage"] == EXTRACT, "doc_id"])
    for name in STREAMED:  # a document that failed in a later piece leaves its first pieces' rows
        frames[name] = without(frames[name], failed)
    return frames


def run_partition(items: Sequence, out: str, number: int, options: dict, reading: Reading, strict: bool) -> int:
    """A Dask task: one partition through the pipeline, its parts staged; the count of its items."""
    from ..io.reader import unique

    items = list(unique(adapt_item(item, number, index, reading) for index, item in enumerate(items, 1)))
    frames = partition_frames(worker_pipeline(options), items, strict)
    staged = Partitions(Path(out), number + 1)
    for name in STAGED:  # errors last: it marks the partition done
        write_part(staged.parts(name)[number], frames[name], STAGED[name])
    return len(items)


def partitions(data) -> list:
    """The delayed partitions of a Dask Bag or DataFrame (a DataFrame's as lists of row dicts)."""
    import dask

    if hasattr(data, "columns"):  # a Dask DataFrame
        return [dask.delayed(frame_records)(part) for part in data.to_delayed()]
    return list(data.to_delayed())


def frame_records(frame) -> list[dict]:
    return frame.to_dict(orient="records")


def build(staged: Partitions) -> Merged:
    """The tables from the staged parts, in partition order, built beside OUT, under
    .entities-run/tables: the row tables' parts linked there, the others made."""
    finals = final_frames(staged)
    built = staged.root / TABLES
    shutil.rmtree(built, ignore_errors=True)
    for name in (*STREAMED, *finals):
        (built / name).mkdir(parents=True)
    rows = {name: len(table) for name, table in finals.items()}
    for name in STREAMED:  # linked, not moved: until the tables are in OUT, the staged parts stay whole
        rows[name] = 0
        for number, path in enumerate(staged.parts(name)):
            rows[name] += parquet_rows(path)
            link(path, built / name / part_name(number))
    for name, table in finals.items():
        write_part(built / name / part_name(0), table)
    order = ("documents", *STREAMED, *list(finals)[1:])
    paths = {name: built / name for name in order}
    return Merged(paths, finals["documents"], finals["corpus_entities"], finals["errors"], {name: rows[name] for name in order},
                  table_columns(finals["documents"]))  # fmt: skip


def link(path: Path, to: Path) -> None:
    try:
        os.link(path, to)
    except OSError:  # a filesystem without hard links
        shutil.copyfile(path, to)


def parquet_rows(path: Path) -> int:
    import pyarrow.parquet as pq

    with open(path, "rb") as file:
        return pq.ParquetFile(file).metadata.num_rows


def staging_key(key: dict | None, count: int, options: dict) -> dict:
    """What a resumed run must share with the interrupted one: the data (`key`), its partitions, the options."""
    return {**(key or {}), "partitions": count, "options": repr(options)}


def extract(data, out, client=None, reading: Reading | None = None, pipeline=None, strict: bool = False,
            resume: bool = False, progress: bool = False, key: dict | None = None) -> Merged:
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
    out = Path(out)
    prepare(out)
    with Lock(out):
        return run_partitions(data, out, client, reading or Reading(), pipeline, strict, resume, progress, key)


def run_partitions(data, out: Path, client, reading: Reading, pipeline, strict: bool, resume: bool, progress: bool,
                   key: dict | None) -> Merged:  # fmt: skip
    import dask
    from distributed import default_client

    from ..pipeline import Pipeline

    client = client or default_client()
    options = (pipeline or Pipeline()).options
    parts = partitions(data)
    staged = Partitions(out, len(parts))
    staged.start(staging_key(key, len(parts), options), resume)
    done = staged.done()
    try:
        client.register_plugin(PipelinePlugin(options), name=PLUGIN)
        tasks = [
            dask.delayed(run_partition)(part, str(out), number, options, reading, strict)
            for number, part in enumerate(parts) if number not in done
        ]  # fmt: skip
        futures = client.compute(tasks)
        if progress:
            watch(futures, len(parts), len(done))
        client.gather(futures)
    except Stop as stop:
        raise Interrupted(stop.message + kept(staged), stop.exit_code) from None
    except EntitiesError as error:
        error.args = (f"{error}{kept(staged)}",)
        raise
    except Exception as error:  # noqa: BLE001 - the cluster, not the data: say so in one line
        raise lost(error, client, staged) from None
    merged = build(staged)
    with last():
        paths = publish(out, merged, "parquet", staged.root / "replaced")
        shutil.rmtree(staged.root, ignore_errors=True)
    return merged._replace(paths=paths)


def lost(error: Exception, client, staged: Partitions) -> Exception:
    """What a run that lost its scheduler or a worker raises: one line, and what --resume keeps;
    an error of the pipeline itself (a bug) as it is."""
    from distributed import CancelledError, TimeoutError
    from distributed.comm import CommClosedError
    from distributed.scheduler import KilledWorker

    if isinstance(error, KilledWorker):
        return EntitiesError(f"a Dask worker died (killed, or out of memory?){kept(staged)}")
    if isinstance(error, (CancelledError, CommClosedError, OSError, TimeoutError)) or client.status != "running":
        return EntitiesError(f"lost the Dask scheduler ({type(error).__name__}){kept(staged)}")
    return error


def kept(staged: Partitions) -> str:
    """'; 3 of 8 partitions are saved in OUT/.entities-run: add --resume to continue', or nothing."""
    done = len(staged.done()) if staged.root.is_dir() else 0
    return f"; {done} of {staged.count} partitions are saved in {staged.root}: add --resume to continue" if done else ""


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
    if path.suffix == ".parquet":
        return True
    return path.is_dir() and any(path.glob("*.parquet")) and not any(path.rglob("*.txt"))


class Entry(NamedTuple):
    """A file of an input folder, named by its path below it, as `entities extract` names it."""

    folder: str
    doc_id: str
    file: object  # its Path, or the OSError of a folder that could not be listed


def file_units(source) -> list:
    """An input file (a reader.Source) as one unit of work; a folder as its files, one Entry each."""
    if source.kind != "directory":
        return [source]
    from ..io.reader import directory_files

    return [Entry(source.name, doc_id, file) for doc_id, file in directory_files(Path(source.name))]


def unit_bytes(unit) -> int:
    path = unit.file if isinstance(unit, Entry) else Path(unit.name)
    try:
        return path.stat().st_size
    except (OSError, AttributeError):
        return 0


def read_units(units: list, reading: Reading) -> list[Item]:
    """A partition's items, read in the worker as `entities extract` reads them."""
    from ..io.reader import directory_item, read_input

    items = []
    for unit in units:
        if isinstance(unit, Entry):
            items.append(directory_item(Path(unit.folder), unit.doc_id, unit.file, reading))
        else:
            items.extend(read_input(unit, reading))
    return items


def unit_groups(units: list, limit: int) -> list[list]:
    """The units in order, cut into groups of about `limit` bytes of files: the partitions."""
    groups, size = [[]], 0
    for unit in units:
        if groups[-1] and size >= limit:
            groups.append([])
            size = 0
        groups[-1].append(unit)
        size += unit_bytes(unit)
    return groups if groups[-1] else []


def file_bag(groups: list[list], reading: Reading):
    import dask.bag as db

    return db.from_sequence(groups, npartitions=len(groups)).map_partitions(
        lambda found: read_units([unit for group in found for unit in group], reading))  # fmt: skip


def dataset_bag(name: str):
    import dask.dataframe as dd

    return dd.read_parquet(name).to_bag(format="dict").map(lambda row: {**row, SOURCE: name})


class Plan(NamedTuple):
    """The partitions of the inputs: a Parquet dataset by its own, other inputs in groups of files."""

    parts: list  # a dataset's name, or a group of units
    digest: str  # of every group's files and their sizes: --resume checks it


def plan_inputs(inputs: Sequence[str], reading: Reading, limit: int) -> Plan:
    from ..io.reader import check_input

    parts, units = [], []
    for name in (path for item in inputs for path in expand(item)):
        if is_parquet(name):
            parts.extend(unit_groups(units, limit))
            parts.append(name)
            units = []
        else:
            units.extend(file_units(check_input(name, reading)))
    parts.extend(unit_groups(units, limit))
    shape = [part if isinstance(part, str) else [(repr(unit[:2]), unit_bytes(unit)) for unit in part] for part in parts]
    return Plan(parts, hashlib.sha256(json.dumps(shape).encode("utf-8", "backslashreplace")).hexdigest())


def input_bag(plan: Plan, reading: Reading):
    """A Dask Bag over the planned partitions, in order: files are read in the workers."""
    import dask.bag as db

    bags, groups = [], []
    for part in plan.parts:
        if isinstance(part, str):
            if groups:
                bags.append(file_bag(groups, reading))
                groups = []
            bags.append(dataset_bag(part))
        else:
            groups.append(part)
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
        with blocked():  # the worker processes start with SIGINT and SIGTERM held: Ctrl-C stops the client, which stops them
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
    """What `entities extract --engine dask` does; returns extraction.Extraction."""
    from .local import Extraction, summary
    from ..pipeline import Pipeline
    from ..io.reader import STDIN

    if STDIN in inputs:
        raise InputError("standard input can not be read with --engine dask: give files, directories or datasets")
    plan = plan_inputs(inputs, reading, settings.chunk_chars)
    with connect(scheduler, settings.workers) as client:
        pipeline = Pipeline(batch_size=settings.batch_size, aliases=settings.aliases)
        merged = extract(input_bag(plan, reading), out, client, reading, pipeline, settings.strict, settings.resume,
                         settings.progress, key={**run_key(inputs, reading), "plan": plan.digest})  # fmt: skip
        if scheduler is None:
            client.cluster.close()
    return Extraction(summary(merged.documents, merged.corpus_entities, merged.paths), len(merged.errors),
                      merged.paths["errors"])  # fmt: skip
