"""`entities extract --engine dask`: partitions of documents run on a Dask cluster, each
writing its rows as a part of a Parquet dataset; the corpus tables are made when all are in.

    OUT/sentences/part-00000.parquet, part-00001.parquet, ...   one part per partition
    OUT/tokens/part-*.parquet, OUT/mentions/part-*.parquet
    OUT/documents/, OUT/entities/, OUT/corpus_entities/, OUT/cooccurrences/, OUT/errors/
                                                                  one part each, from the client

Each worker process loads the models once (a worker plugin) and runs numpy on one BLAS
thread. A partition goes through the same steps as a local run (`extraction.Assembly`):
its failed documents are rows of the errors table. A partition's parts are written beside
and renamed, its staged documents, entities and errors last, so with --resume the
partitions that finished are skipped. Needs the `dask` extra: pip install 'entities[dask]'.
"""

from __future__ import annotations

import os
import shutil
from collections import deque
from pathlib import Path
from typing import Iterable, Sequence

from distributed import WorkerPlugin

from .batch import limit_blas_threads, run_inline
from .failure import EXTRACT, READ, Failure
from .reader import Item, Reading
from .records import Text
from .staging import RUN, STAGED, part_name

ROWS = ("sentences", "tokens", "mentions")  # written by the partitions, as the final tables
KEPT = ("documents", "entities", "errors")  # staged by the partitions, made final by the client
PLUGIN = "entities-pipeline"

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


def adapt_item(item, part: int, number: int, reading: Reading) -> Item:
    """A bag item (Text, Failure, str) or a DataFrame row (a dict) -> Text or Failure;
    without an id, 'part-00003:12' (the partition and the row in it)."""
    if isinstance(item, (Text, Failure)):
        return item
    where = part_name(part).split(".")[0]
    if isinstance(item, str):
        return Text(item, f"{where}:{number}")
    from .reader import record_text

    return record_text(dict(item), reading, Path(where), number)


def write_part(folder: Path, number: int, frame) -> None:
    # written beside, then renamed: a part is whole or absent
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / part_name(number)
    partial = path.with_name(path.name + ".partial")
    frame.to_parquet(partial, index=False)
    os.replace(partial, path)


def partition_frames(pipeline, items: list[Item], strict: bool) -> dict:
    """Every staged table's rows for a partition's items, as a local run makes them."""
    import pandas as pd

    from .extraction import Assembly, batch_rows, item_pieces
    from .pipeline import chunks
    from .tables import schema_frame

    pending: deque = deque()
    assembly = Assembly(pending, strict=strict)
    batches = chunks(item_pieces(items, pending), pipeline.batch_size)
    parts: dict[str, list] = {name: [schema_frame(columns, [])] for name, columns in STAGED.items()}
    for batch, rows in run_inline(pipeline, batch_rows, batches):
        for name, frame in assembly.frames(batch, rows).items():
            parts[name].append(frame)
    frames = {name: pd.concat(found, ignore_index=True) for name, found in parts.items()}
    failed = set(frames["errors"].loc[frames["errors"]["stage"] == EXTRACT, "doc_id"])
    for name in ROWS:  # a document that failed in a later piece leaves its first pieces' rows
        frames[name] = frames[name][~frames[name]["doc_id"].isin(failed)].reset_index(drop=True)
    return frames


def run_partition(items: Sequence, out: str, number: int, options: dict, reading: Reading, strict: bool) -> int:
    """A Dask task: one partition through the pipeline, its parts written; the count of its items."""
    items = [adapt_item(item, number, index, reading) for index, item in enumerate(items, 1)]
    frames = partition_frames(worker_pipeline(options), items, strict)
    out = Path(out)
    for name in ROWS:
        write_part(out / name, number, frames[name])
    for name in KEPT:  # errors last: it marks the partition done
        write_part(out / RUN / name, number, frames[name])
    return len(items)


def done_partitions(out: Path) -> set[int]:
    return {int(path.name[5:10]) for path in (out / RUN / "errors").glob("part-*.parquet")}


def partitions(data) -> list:
    """The delayed partitions of a Dask Bag or DataFrame (a DataFrame's as lists of row dicts)."""
    import dask

    if hasattr(data, "columns"):  # a Dask DataFrame
        return [dask.delayed(frame_records)(part) for part in data.to_delayed()]
    return list(data.to_delayed())


def frame_records(frame) -> list[dict]:
    return frame.to_dict(orient="records")


def gathered(paths: list[Path], name: str):
    import pandas as pd

    from .merge import read_part
    from .tables import frame

    parts = [read_part(path, name) for path in paths]
    return pd.concat(parts, ignore_index=True) if parts else frame(name, [])


def finish(out: Path, count: int):
    """The documents, corpus and errors tables from the partitions' parts, in partition order."""
    from .corpus import Corpus
    from .merge import Merged, add_documents, document_rows, read_part
    from .tables import corpus_frames, documents_frame

    staged = {name: [out / RUN / name / part_name(_) for _ in range(count)] for name in KEPT}
    corpus = Corpus()
    for entities, mentions in zip(staged["entities"], (out / "mentions" / part_name(_) for _ in range(count))):
        links = read_part(mentions, "mentions", ["doc_id", "sent_id", "entity_id"])
        add_documents(corpus, read_part(entities, "entities"), links)
    documents = documents_frame(document_rows(gathered(staged["documents"], "documents")))
    finals = {"documents": documents, **corpus_frames(corpus), "errors": gathered(staged["errors"], "errors")}
    for name, table in finals.items():
        write_part(out / name, 0, table)
    paths = {name: out / name for name in ("documents", *ROWS, *finals)}
    return Merged(paths, documents, finals["corpus_entities"], finals["errors"])


def extract(data, out, client=None, reading: Reading | None = None, pipeline=None, strict: bool = False,
            resume: bool = False, progress: bool = False):
    """Run the pipeline over a Dask Bag (of str, entities.Text or dicts) or a Dask DataFrame (with a
    text column, and an id column if it has one: `reading` names them) on the cluster of `client`
    (the default one if None), and write the tables under `out` as Parquet datasets, a part per
    partition: read each with pandas.read_parquet(out / "mentions").

    The tables are the ones `entities extract` writes for the same documents in the same order.
    With `resume`, partitions an interrupted run finished are not run again (the data and its
    partitioning must be the same). Returns entities.merge.Merged: paths, documents,
    corpus_entities and errors.
    """
    import dask
    from distributed import default_client

    from .pipeline import Pipeline
    from .writer import prepare

    out = Path(out)
    prepare(out)
    if not resume:
        for name in (RUN, *ROWS, *KEPT, "corpus_entities", "cooccurrences"):
            shutil.rmtree(out / name, ignore_errors=True)
    client = client or default_client()
    options = (pipeline or Pipeline()).options
    client.register_plugin(PipelinePlugin(options), name=PLUGIN)
    reading = reading or Reading()
    parts = partitions(data)
    done = done_partitions(out) if resume else set()
    tasks = [
        dask.delayed(run_partition)(part, str(out), number, options, reading, strict)
        for number, part in enumerate(parts) if number not in done
    ]  # fmt: skip
    futures = client.compute(tasks)
    if progress:
        watch(futures, len(parts), len(done))
    client.gather(futures)
    merged = finish(out, len(parts))
    shutil.rmtree(out / RUN, ignore_errors=True)
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
    # a .parquet file, or a directory of them (a dataset)
    path = Path(name)
    return path.suffix == ".parquet" or (path.is_dir() and any(path.glob("*.parquet")))


Unit = tuple[str, str, str | None]  # (path, kind, doc_id of a directory's file)


def file_units(name: str, kind: str) -> list[Unit]:
    # a directory's files are named by their path below it, as `entities extract` names them
    if kind != "directory":
        return [(name, kind, None)]
    from .reader import directory_files

    return [(str(file if isinstance(file, Path) else name), ".txt", doc_id) for doc_id, file in directory_files(Path(name))]


def read_units(units: list[Unit], reading: Reading) -> list[Item]:
    """A partition's items, read in the worker; a doc_id seen before in it is a failure."""
    from .reader import file_text, read_input, unique

    def items():
        for name, kind, doc_id in units:
            path = Path(name)
            if doc_id is None:
                yield from read_input(name, kind, reading)
            elif path.is_dir():  # a folder that can not be listed
                yield Failure(doc_id, name, READ, "can not list the folder")
            else:
                yield file_text(path, doc_id, reading)

    return list(unique(items()))


def input_bag(inputs: Sequence[str], reading: Reading, parts: int):
    """A Dask Bag over the inputs: Parquet datasets by their partitions; other inputs (files,
    directories, globs of them) as lists of files, read in the workers, `parts` partitions."""
    import dask.bag as db
    import dask.dataframe as dd

    from .reader import check_input

    bags, units = [], []
    for name in (path for item in inputs for path in expand(item)):
        if is_parquet(name):
            bags.append(dd.read_parquet(name).to_bag(format="dict"))
        else:
            units.extend(file_units(name, check_input(name, reading)))
    if units:
        size = -(-len(units) // parts)
        groups = [units[start : start + size] for start in range(0, len(units), size)]
        bags.insert(0, db.from_sequence(groups, npartitions=len(groups)).map_partitions(
            lambda group: read_units([unit for units in group for unit in units], reading)))
    return db.concat(bags)


def local_client(workers: int):
    import logging

    from distributed import Client, LocalCluster

    cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=":0",
                           silence_logs=logging.ERROR)  # fmt: skip
    return Client(cluster)


def connect(scheduler: str | None, workers: int):
    """A client of the scheduler at `scheduler`, or of a new local cluster of `workers` processes."""
    from .errors import EntitiesError

    if scheduler is None:
        return local_client(workers)
    from distributed import Client

    try:
        return Client(scheduler, timeout="10s")
    except (OSError, TimeoutError, ValueError) as error:
        raise EntitiesError(f"can not reach the Dask scheduler at {scheduler} ({error})") from None


def run_inputs(inputs: Sequence[str], out: Path, reading: Reading, settings, scheduler: str | None,
               partitions_per_worker: int = 2):
    """What `entities extract --engine dask` does; returns extraction.Extraction."""
    from .extraction import Extraction, summary
    from .pipeline import Pipeline
    from .reader import STDIN

    if STDIN in inputs:
        from .errors import InputError

        raise InputError("standard input can not be read with --engine dask: give files, directories or datasets")
    with connect(scheduler, settings.workers) as client:
        workers = max(1, len(client.scheduler_info().get("workers", {})))
        bag = input_bag(inputs, reading, workers * partitions_per_worker)
        merged = extract(bag, out, client, reading, Pipeline(batch_size=settings.batch_size), settings.strict,
                         settings.resume, settings.progress)  # fmt: skip
        if scheduler is None:
            client.cluster.close()
    return Extraction(summary(merged.documents, merged.corpus_entities, merged.paths), len(merged.errors),
                      merged.paths["errors"])  # fmt: skip
