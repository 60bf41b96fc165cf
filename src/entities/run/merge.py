"""Staged chunks -> the final tables, the corpus tables computed here: one file per table
(`merge`, a local run), or one Parquet dataset per table (`datasets`, a Dask run).

The final tables come from the staged parts alone, so a resumed run and an uninterrupted
one write the same tables. Rows of a document that failed after some of its pieces were
staged (an error in a later piece) are dropped here.
"""

from __future__ import annotations

import json
import os
import shutil
from collections import defaultdict
from collections.abc import Iterator
from itertools import groupby
from operator import itemgetter
from pathlib import Path
from typing import NamedTuple

import pandas as pd

from ..io.database import DATABASE, DUCKDB, write_database
from ..io.failure import EXTRACT
from ..io.writer import TableWriter, read_parquet
from ..records import Entity
from ..resolve.corpus import Corpus
from ..tables import COLUMNS, ROW_TABLES, SCHEMAS, corpus_frames, documents_frame, frame, frame_columns, schema_frame
from ..timeline import DEFAULT_DATING, Dating, dated, timeline_frame
from .staging import STAGED, Staged, part_name, write_part

STREAMED = (*ROW_TABLES, "mentions")  # written part by part: sentences, tokens, the extractors', mentions
READ_ROWS = 65_536  # rows read from a part at a time
FIXED = {name: columns for name, columns in COLUMNS.items() if name != "documents"}  # documents: metadata columns vary


class Merged(NamedTuple):
    """What a run wrote: the path of every table, the tables a summary needs, the rows and columns of every table."""

    paths: dict[str, Path]
    documents: pd.DataFrame
    corpus_entities: pd.DataFrame
    errors: pd.DataFrame
    rows: dict[str, int]  # of every table
    columns: dict[str, dict[str, str]]  # of every table: name -> dtype


def read_part(path: Path, name: str, columns: list[str] | None = None) -> pd.DataFrame:
    return read_parquet(path, columns).astype({column: STAGED[name][column] for column in columns or STAGED[name]})


def part_rows(path: Path, name: str) -> Iterator[pd.DataFrame]:
    """A part's rows READ_ROWS at a time: a chunk holding a 5 MB document is a million tokens."""
    for rows in part_arrow_rows(path):
        yield rows.to_pandas().astype(STAGED[name])


def part_arrow_rows(path: Path) -> Iterator:
    """A part's rows READ_ROWS at a time, as Arrow tables: what a Parquet table is written from, unconverted."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    with open(path, "rb") as file:
        for record_batch in pq.ParquetFile(file).iter_batches(batch_size=READ_ROWS):  # pyarrow's batches
            yield pa.Table.from_batches([record_batch])


def read_all(staged: Staged, name: str) -> pd.DataFrame:
    """All the parts of a staged table (its staged columns, `meta` of documents included)."""
    frames = [read_part(path, name) for path in staged.parts(name)]
    return pd.concat(frames, ignore_index=True) if frames else schema_frame(STAGED[name], [])


def without(rows, failed: set):
    """The rows (a DataFrame, or an Arrow table) but those of the failed documents."""
    if not failed:
        return rows
    if isinstance(rows, pd.DataFrame):
        return rows[~rows["doc_id"].isin(failed)].reset_index(drop=True)
    import pyarrow as pa
    import pyarrow.compute as pc

    return rows.filter(pc.invert(pc.is_in(rows["doc_id"], value_set=pa.array(sorted(failed), pa.string()))))


def document_rows(staged: pd.DataFrame) -> list[dict]:
    rows = []
    for *values, meta in columns(staged, STAGED["documents"]):
        row = dict(zip(SCHEMAS["documents"], values, strict=True))
        row.update((key, value) for key, value in json.loads(meta).items() if key not in row)
        rows.append(row)
    return rows


class Link(NamedTuple):
    """What the corpus needs of a mention: its sentence, its entity, its text as written, its normal form."""

    sent_id: int
    entity_id: int
    text: str
    normal: str


def columns(table: pd.DataFrame, names) -> Iterator[tuple]:
    return zip(*(table[name].tolist() for name in names), strict=True)


def add_documents(corpus: Corpus, entities: pd.DataFrame, mentions: pd.DataFrame) -> None:
    """Each document's entities and mentions of one chunk into the corpus, in document order."""
    links = defaultdict(list)
    for doc_id, *link in columns(mentions, ("doc_id", *Link._fields)):
        links[doc_id].append(Link(*link))
    fields = list(STAGED["entities"])[1:]
    for doc_id, rows in groupby(columns(entities, STAGED["entities"]), key=itemgetter(0)):
        records = [Entity(**dict(zip(fields, row[1:], strict=True))) for row in rows]
        corpus.add(doc_id, records, links.get(doc_id, []))


def corpus_of(staged: Staged) -> Corpus:
    """The corpus of the staged documents, part by part in order: entities, and the mentions' links."""
    corpus = Corpus()
    for entities, mentions in zip(staged.parts("entities"), staged.parts("mentions"), strict=True):
        links = read_part(mentions, "mentions", ["doc_id", *Link._fields])
        add_documents(corpus, read_part(entities, "entities"), links)
    return corpus


def final_frames(staged: Staged, dating: Dating = DEFAULT_DATING) -> dict[str, pd.DataFrame]:
    """documents (dated by `dating.field`), entities, corpus_entities, cooccurrences, timeline and errors from
    the staged parts. The count of dates that do not parse is the documents' attrs["unparsed_dates"]."""
    documents, unparsed = dated(documents_frame(document_rows(read_all(staged, "documents"))), dating.field)
    documents.attrs["unparsed_dates"] = unparsed
    corpus = corpus_frames(corpus_of(staged))
    timeline = timeline_frame(documents, corpus["entities"], dating.period)
    return {"documents": documents, **corpus, "timeline": timeline, "errors": read_all(staged, "errors")}


def merge(staged: Staged, fmt: str, dating: Dating = DEFAULT_DATING) -> Merged:
    """Write TABLE.FMT for every table from the staged chunks, in the staging directory's `tables` folder."""
    out = staged.tables()
    finals = {name: frame(name, []) for name in STREAMED}  # the header of a table that got no rows
    finals.update(final_frames(staged, dating))
    errors = finals["errors"]
    failed = set(errors.loc[errors["stage"] == EXTRACT, "doc_id"])
    writer = TableWriter(out, "parquet" if fmt == DUCKDB else fmt, FIXED)  # duckdb: loaded from the Parquet tables
    try:
        for name in STREAMED:  # Parquet to Parquet without pandas in between
            for path in staged.parts(name):
                if writer.fmt == "parquet":
                    for table in part_arrow_rows(path):
                        writer.append(name, without(table, failed))
                else:
                    for rows in part_rows(path, name):
                        writer.append(name, without(rows, failed))
        for name, table in finals.items():
            writer.append(name, table)
        paths = writer.close()
    except BaseException:
        writer.discard()
        raise
    order = [*SCHEMAS, "errors"]
    counts = writer.rows
    merged = Merged({name: paths[name] for name in order}, finals["documents"], finals["corpus_entities"], errors,
                  {name: counts[name] for name in order}, table_columns(finals["documents"]))  # fmt: skip
    return into_database(merged, out / DATABASE) if fmt == DUCKDB else merged


def into_database(merged: Merged, path: Path) -> Merged:
    """The merged Parquet tables loaded into one DuckDB database, `path`, which then names every table."""
    return merged._replace(paths=write_database(merged.paths, merged.columns, path))


def table_columns(documents: pd.DataFrame) -> dict[str, dict[str, str]]:
    """The columns of every table: the fixed ones', and the documents' with their metadata."""
    return {name: frame_columns(documents) if name == "documents" else COLUMNS[name] for name in [*SCHEMAS, "errors"]}


def datasets(staged: Staged, fmt: str = "parquet", dating: Dating = DEFAULT_DATING) -> Merged:
    """A Parquet dataset for every table from the staged chunks, in the staging directory's `tables` folder:
    the row tables' parts linked there, a part per chunk, the others written as one part."""
    finals = final_frames(staged, dating)
    built = staged.tables()
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
    return Merged(paths, finals["documents"], finals["corpus_entities"], finals["errors"],
                  {name: rows[name] for name in order}, table_columns(finals["documents"]))  # fmt: skip


def link(path: Path, to: Path) -> None:
    try:
        os.link(path, to)
    except OSError:  # a filesystem without hard links
        shutil.copyfile(path, to)


def parquet_rows(path: Path) -> int:
    import pyarrow.parquet as pq

    with open(path, "rb") as file:
        return pq.ParquetFile(file).metadata.num_rows
