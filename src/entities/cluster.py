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
interrupted run finished are not run again, and OUT holds tables only once a run is done.
Needs the `dask` extra: pip install 'entities[dask]'.
"""

from __future__ import annotations

import json
import logging
import math
import os
import shutil
from collections import deque
from dataclasses import replace
from pathlib import Path
from typing import Sequence

from distributed import WorkerPlugin

from .batch import limit_blas_threads
from .errors import InputError
from .failure import EXTRACT, Failure
from .merge import STREAMED, Merged, final_frames, without
from .reader import Item, Reading
from .records import Text
from .staging import MANIFEST, RUN, STAGED, chunk_number, drop_parts, part_name, run_key
from .writer import TableFile, prepare

PLUGIN = "entities-pipeline"
PARTS_PER_WORKER = 2
SOURCE = "__entities_source__"  # the dataset a row of a Parquet input came from

_pipeline = None  # the worker's own Pipeline, set by the plugin


class PipelinePlugin(WorkerPlugin):
    """Loads a Pipeline once in each worker process, with one BLAS thread."""

    name = PLUGIN

    def __init__(self, options: dict):
        self.options = options

    def setup(self, worker=None) -> None:
        global _pipeline
        from .pipeline import Pipeline

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
    from .reader import record_text

    record = dict(item)
    source = record.pop(SOURCE, where)
    record[reading.id] = record_id(record.get(reading.id))
    return replace(record_text(record, reading, Path(where), number), source=source)


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
        manifest.write_text(json.dumps(key, ensure_ascii=False), encoding="utf-8")


def write_part(path: Path, frame, columns: dict | None = None) -> None:
    # written beside, then renamed: a part is whole or absent
    path.parent.mkdir(parents=True, exist_ok=True)
    part = TableFile(path, "parquet", columns, durable=True)
    part.append(frame)
    part.close()


def partition_frames(pipeline, items: list[Item], strict: bool) -> dict:
    """Every staged table's rows for a partition's items, as a local run makes them."""
    import pandas as pd

    from .extraction import Assembly, document_frames
    from .tables import schema_frame

    parts: dict[str, list] = {name: [schema_frame(columns, [])] for name, columns in STAGED.items()}
    for _, frames in document_frames(pipeline, items, Assembly(deque(), strict=strict)):
        for name, frame in frames.items():
            parts[name].append(frame)
    frames = {name: pd.concat(found, ignore_index=True) for name, found in parts.items()}
    failed = set(frames["errors"].loc[frames["errors"]["stage"] == EXTRACT, "doc_id"])
    for name in STREAMED:  # a document that failed in a later piece leaves its first pieces' rows
        frames[name] = without(frames[name], failed)
    return frames


def run_partition(items: Sequence, out: str, number: int, options: dict, reading: Reading, strict: bool) -> int:
    """A Dask task: one partition through the pipeline, its parts staged; the count of its items."""
    from .reader import unique

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


def finish(out: Path, staged: Partitions) -> Merged:
    """The tables from the staged parts, in partition order: the row tables' parts moved to OUT,
    the others made here."""
    finals = final_frames(staged)
    for name in (*STREAMED, *finals):
        shutil.rmtree(out / name, ignore_errors=True)
        (out / name).mkdir()
    for name in STREAMED:
        for number, path in enumerate(staged.parts(name)):
            os.replace(path, out / name / part_name(number))
    for name, table in finals.items():
        write_part(out / name / part_name(0), table)
    paths = {name: out / name for name in ("documents", *STREAMED, *list(finals)[1:])}
    return Merged(paths, finals["documents"], finals["corpus_entities"], finals["errors"])


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
    number of partitions is always checked) finished are not run again. Returns merge.Merged: paths,
    documents, corpus_entities and errors.
    """
    import dask
    from distributed import default_client

    from .pipeline import Pipeline

    out = Path(out)
    prepare(out)
    client = client or default_client()
    options = (pipeline or Pipeline()).options
    reading = reading or Reading()
    parts = partitions(data)
    staged = Partitions(out, len(parts))
    staged.start(staging_key(key, len(parts), options), resume)
    done = staged.done()
    client.register_plugin(PipelinePlugin(options), name=PLUGIN)
    tasks = [
        dask.delayed(run_partition)(part, str(out), number, options, reading, strict)
        for number, part in enumerate(parts) if number not in done
    ]  # fmt: skip
    futures = client.compute(tasks)
    if progress:
        watch(futures, len(parts), len(done))
    client.gather(futures)
    merged = finish(out, staged)
    shutil.rmtree(staged.root, ignore_errors=True)
    return merged


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


Unit = tuple  # (name, kind) of an input file, or (folder, doc_id, entry) of a folder's entry


def file_units(name: str, kind: str) -> list[Unit]:
    # a folder's entries are named by their path below it, as `entities extract` names them
    if kind != "directory":
        return [(name, kind)]
    from .reader import directory_files

    return [(name, doc_id, entry) for doc_id, entry in directory_files(Path(name))]


def read_units(units: list[Unit], reading: Reading) -> list[Item]:
    """A partition's items, read in the worker as `entities extract` reads them."""
    from .reader import directory_item, read_input

    items = []
    for unit in units:
        if len(unit) == 2:
            items.extend(read_input(*unit, reading))
        else:
            folder, doc_id, entry = unit
            items.append(directory_item(Path(folder), doc_id, entry, reading))
    return items


def file_bag(units: list[Unit], reading: Reading, parts: int):
    import dask.bag as db

    size = -(-len(units) // parts)
    groups = [units[start : start + size] for start in range(0, len(units), size)]
    return db.from_sequence(groups, npartitions=len(groups)).map_partitions(
        lambda found: read_units([unit for group in found for unit in group], reading))  # fmt: skip


def dataset_bag(name: str):
    import dask.dataframe as dd

    return dd.read_parquet(name).to_bag(format="dict").map(lambda row: {**row, SOURCE: name})


def input_bag(inputs: Sequence[str], reading: Reading, parts: int):
    """A Dask Bag over the inputs, in the order given: Parquet datasets by their own partitions;
    other inputs (files, directories, globs of them) as lists of files, read in the workers."""
    import dask.bag as db

    from .reader import check_input

    bags, units = [], []
    for name in (path for item in inputs for path in expand(item)):
        if is_parquet(name):
            if units:
                bags.append(file_bag(units, reading, parts))
                units = []
            bags.append(dataset_bag(name))
        else:
            units.extend(file_units(name, check_input(name, reading)))
    if units:
        bags.append(file_bag(units, reading, parts))
    return db.concat(bags)


def connect(scheduler: str | None, workers: int):
    """A client of the scheduler at `scheduler`, or of a new local cluster of `workers` processes."""
    from distributed import Client, LocalCluster

    if scheduler is None:
        cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=":0",
                               silence_logs=logging.CRITICAL)  # fmt: skip
        return Client(cluster)
    try:
        return Client(scheduler, timeout="10s")
    except (OSError, TimeoutError, ValueError) as error:
        raise InputError(f"can not reach the Dask scheduler at {scheduler} ({error})") from None


def run_inputs(inputs: Sequence[str], out: Path, reading: Reading, settings, scheduler: str | None):
    """What `entities extract --engine dask` does; returns extraction.Extraction."""
    from .extraction import Extraction, summary
    from .pipeline import Pipeline
    from .reader import STDIN

    if STDIN in inputs:
        raise InputError("standard input can not be read with --engine dask: give files, directories or datasets")
    with connect(scheduler, settings.workers) as client:
        workers = max(1, len(client.scheduler_info().get("workers", {})))
        bag = input_bag(inputs, reading, workers * PARTS_PER_WORKER)
        pipeline = Pipeline(batch_size=settings.batch_size)
        merged = extract(bag, out, client, reading, pipeline, settings.strict, settings.resume, settings.progress,
                         key=run_key(inputs, reading))  # fmt: skip
        if scheduler is None:
            client.cluster.close()
    return Extraction(summary(merged.documents, merged.corpus_entities, merged.paths), len(merged.errors),
                      merged.paths["errors"])  # fmt: skip
