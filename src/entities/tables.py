"""Records -> pandas DataFrames with fixed columns and dtypes.

documents:       doc_id, source, n_chars, n_sentences, n_tokens, then metadata columns (and date)
sentences:       doc_id, sent_id, start, stop, text
tokens:          doc_id, sent_id, token_id, start, stop, text, lemma, pos, feats, head_id, rel (empty without syntax)
mentions:        doc_id, sent_id, mention_id, start, stop, type, text, normal, first, middle, last, entity_id
entities:        doc_id, entity_id, type, canonical, first, middle, last, n_mentions, first_start, key, corpus_id
corpus_entities: corpus_id, type, canonical, key, n_documents, n_mentions, first_doc_id
cooccurrences:   corpus_id_a, type_a, canonical_a, corpus_id_b, type_b, canonical_b, n_sentences, n_documents
dates, money, …: doc_id and the columns each extractor declares (facts/catalog.py), after mentions
timeline:        corpus_id, period, n_documents, n_mentions (documents with a date: see timeline.py)
errors:          doc_id, source, stage, error (written by `entities extract`: the documents it could not process)
"""

from __future__ import annotations

import numbers
from collections.abc import Iterable, Mapping, Sequence
from operator import attrgetter
from typing import cast

import numpy as np
import pandas as pd

from .facts.catalog import EXTRACTORS, NAMES
from .facts.extractor import DAY, Extractor
from .io.reader import json_text, missing
from .io.writer import arrow_schema
from .nlp.grams import format_feats
from .records import Document, Mention, Sentence, Text
from .timeline import TIMELINE, dated, timeline_frame

STR = "str"
INT = "int64"

SCHEMAS: dict[str, dict[str, str]] = {
    "documents": {"doc_id": STR, "source": STR, "n_chars": INT, "n_sentences": INT, "n_tokens": INT},
    "sentences": {"doc_id": STR, "sent_id": INT, "start": INT, "stop": INT, "text": STR},
    "tokens": {
        "doc_id": STR, "sent_id": INT, "token_id": INT, "start": INT, "stop": INT,
        "text": STR, "lemma": STR, "pos": STR, "feats": STR, "head_id": "Int64", "rel": STR,
    },
    "mentions": {
        "doc_id": STR, "sent_id": INT, "mention_id": INT, "start": INT, "stop": INT,
        "type": STR, "text": STR, "normal": STR, "first": STR, "middle": STR, "last": STR, "entity_id": INT,
    },
    **{extractor.name: extractor.schema for extractor in EXTRACTORS},
    "entities": {
        "doc_id": STR, "entity_id": INT, "type": STR, "canonical": STR, "first": STR, "middle": STR,
        "last": STR, "n_mentions": INT, "first_start": INT, "key": STR, "corpus_id": INT,
    },
    "corpus_entities": {
        "corpus_id": INT, "type": STR, "canonical": STR, "key": STR, "n_documents": INT, "n_mentions": INT,
        "first_doc_id": STR,
    },
    "cooccurrences": {
        "corpus_id_a": INT, "type_a": STR, "canonical_a": STR, "corpus_id_b": INT, "type_b": STR,
        "canonical_b": STR, "n_sentences": INT, "n_documents": INT,
    },
    "timeline": TIMELINE,
}  # fmt: skip

ERROR_COLUMNS = {"doc_id": STR, "source": STR, "stage": STR, "error": STR}
COLUMNS = {**SCHEMAS, "errors": ERROR_COLUMNS}

ROW_TABLES = ("sentences", "tokens", *NAMES)  # rows a worker makes per piece; mentions wait for the whole document
CORPUS_TABLES = ("entities", "corpus_entities", "cooccurrences")  # known when the corpus ends


TOKEN_FIELDS = ("start", "stop", "text", "lemma", "pos", "feats", "head_id", "rel")  # a Token's, as columns


def row_tables(doc_ids: Sequence[str], sentences: Sequence[Sequence[Sentence]],
               facts: Sequence[Mapping[str, Sequence]] | None = None) -> dict:  # fmt: skip
    """sentences, tokens and the extractors' tables of many documents (or pieces), ids from 0 in each, as Arrow
    tables built column by column: what `entities extract` stages, with no Python tuple or pandas frame per
    batch. `facts`: each document's records, table name -> records (None: none)."""
    import pyarrow as pa

    rows: dict[str, list] = {column: [] for column in COLUMNS["sentences"]}
    tokens: dict[str, list] = {"doc_id": [], "sent_id": [], "token_id": []}
    every: list = []  # the tokens of every sentence, in order: their own columns are read once, at the end
    for doc_id, own in zip(doc_ids, sentences, strict=True):
        for sent_id, sentence in enumerate(own):
            for column, value in zip(
                rows, (doc_id, sent_id, sentence.start, sentence.stop, sentence.text), strict=True
            ):
                rows[column].append(value)
            count = len(sentence.tokens)
            tokens["doc_id"] += [doc_id] * count
            tokens["sent_id"] += [sent_id] * count
            tokens["token_id"] += range(count)
            every += sentence.tokens
    for column in TOKEN_FIELDS:
        tokens[column] = list(map(attrgetter(column), every))
    tokens["feats"] = [format_feats(feats) for feats in tokens["feats"]]
    if not any(head is not None for head in tokens["head_id"]):  # syntax off: nothing to read
        tokens["head_id"] = pa.nulls(len(every), pa.int64())
    tables = {"sentences": pa.table(rows, schema=arrow_schema(COLUMNS["sentences"])),
              "tokens": pa.table({column: tokens[column] for column in COLUMNS["tokens"]},
                                 schema=arrow_schema(COLUMNS["tokens"]))}  # fmt: skip
    for extractor in EXTRACTORS:
        records = [own.get(extractor.name, ()) for own in facts] if facts is not None else [()] * len(doc_ids)
        tables[extractor.name] = fact_table(extractor, doc_ids, records)
    return tables


def fact_table(extractor: Extractor, doc_ids: Sequence[str], records: Sequence[Sequence]):
    """An extractor's records of many documents as its Arrow table: doc_id, then the record's fields."""
    import pyarrow as pa

    schema = arrow_schema(extractor.schema)
    columns = {"doc_id": pa.array([doc_id for doc_id, own in zip(doc_ids, records, strict=True) for _ in own],
                                  pa.string())}  # fmt: skip
    for column, dtype in extractor.columns.items():
        values = [getattr(record, column) for own in records for record in own]
        if dtype == DAY:  # datetime.date -> a day at midnight: Arrow takes a date only as a date32
            columns[column] = pa.array(values, pa.date32()).cast(schema.field(column).type)
        else:
            columns[column] = pa.array(values, schema.field(column).type)
    return pa.table(columns, schema=schema)


def shift_rows(table, owner: np.ndarray, offsets: np.ndarray, column: str = "sent_id"):
    """An Arrow table with offsets[owner[row]] added to `column`: piece-local ids -> document ids."""
    if not offsets.any():
        return table
    import pyarrow as pa

    shifted = table[column].to_numpy() + offsets[owner]
    return table.set_column(table.schema.get_field_index(column), column, pa.array(shifted, pa.int64()))


def mention_table(doc_ids: Sequence[str], mentions: Sequence[Sequence[Mention]]):
    """The mentions of many documents as an Arrow table built column by column, as `entities extract` stages
    them: a long document's hundred thousand mentions make no tuple per row and no pandas frame."""
    import pyarrow as pa

    columns: dict[str, list] = {column: [] for column in COLUMNS["mentions"]}
    for doc_id, own in zip(doc_ids, mentions, strict=True):
        columns["doc_id"] += [doc_id] * len(own)
        columns["mention_id"] += range(len(own))
        for column in MENTION_FIELDS:
            columns[column] += [getattr(mention, column) for mention in own]
    return pa.table(columns, schema=arrow_schema(COLUMNS["mentions"]))


MENTION_FIELDS = [_ for _ in SCHEMAS["mentions"] if _ not in ("doc_id", "mention_id")]  # a Mention's own
ARROW_TABLES = (*ROW_TABLES, "mentions")  # staged as Arrow tables; the others as DataFrames


def frame(name: str, rows: list[tuple]) -> pd.DataFrame:
    return schema_frame(COLUMNS[name], rows)


def schema_frame(schema: dict[str, str], rows: list[tuple]) -> pd.DataFrame:
    columns = list(zip(*rows, strict=True)) if rows else [()] * len(schema)
    return pd.DataFrame(
        {
            column: pd.Series(values, dtype=dtype)
            for (column, dtype), values in zip(schema.items(), columns, strict=True)
        }
    )


def document_row(item: Text | Document, n_sentences: int, n_tokens: int) -> dict:
    row = {"doc_id": item.id, "source": item.source or "", "n_chars": len(item.text)}
    row.update(n_sentences=n_sentences, n_tokens=n_tokens)
    row.update((key, value) for key, value in item.meta.items() if key not in row)
    return row


def documents_frame(rows: list[dict]) -> pd.DataFrame:
    """The documents table; metadata keys in order of first appearance, each a column of its values'
    type (`meta_column`), missing values as nulls."""
    base = dict_frame("documents", rows)
    keys = list(dict.fromkeys(key for row in rows for key in row if key not in SCHEMAS["documents"]))
    meta = pd.DataFrame({key: meta_column([row.get(key) for row in rows]) for key in keys}, index=range(len(rows)))
    return pd.concat([base, meta], axis=1)


def meta_column(values: list) -> pd.Series:
    """A metadata field's values as one column: booleans, integers or numbers as nullable columns of
    that type (3, missing -> 3, <NA>; never 3.0); anything else as text, a value that is not a string
    written as JSON ({"a": 1} -> '{"a": 1}', never a Python repr). None and NaN are missing."""
    values = [None if missing(value) else value for value in values]
    kinds = {meta_kind(value) for value in values if value is not None}
    if kinds in ({"boolean"}, {"Int64"}, {"Float64"}, {"Int64", "Float64"}):
        return pd.Series(values, dtype="Float64" if "Float64" in kinds else kinds.pop())
    return pd.Series([None if value is None else json_text(value) for value in values], dtype=object)


def meta_kind(value) -> str:
    if isinstance(value, (bool, np.bool_)):
        return "boolean"
    if isinstance(value, numbers.Integral):
        return "Int64"
    return "Float64" if isinstance(value, numbers.Real) else "text"


def frame_columns(frame_: pd.DataFrame) -> dict[str, str]:
    """A table's columns and their dtypes, as the schemas name them: {'doc_id': 'str', 'n': 'Int64'}."""
    return {
        # the columns are named by strings (pandas types a name Hashable); `dtype == object` compares dtypes
        cast(str, column): "str" if dtype == object or str(dtype) == "str" else str(dtype)  # noqa: E721
        for column, dtype in frame_.dtypes.items()
    }


def row_frames(doc_ids: Sequence[str], sentences: Sequence, facts: Sequence | None = None) -> dict[str, pd.DataFrame]:
    """sentences, tokens and the extractors' frames of many documents (or pieces), ids from 0 in each."""
    tables = row_tables(doc_ids, sentences, facts)
    return {name: table.to_pandas().astype(COLUMNS[name]) for name, table in tables.items()}


def mentions_frame(doc_ids: Sequence[str], mentions: Sequence) -> pd.DataFrame:
    return mention_table(doc_ids, mentions).to_pandas().astype(COLUMNS["mentions"])


def dict_frame(name: str, rows: list[dict]) -> pd.DataFrame:
    return frame(name, [tuple(row[column] for column in SCHEMAS[name]) for row in rows])


def corpus_frames(corpus) -> dict[str, pd.DataFrame]:
    """entities, corpus_entities and cooccurrences frames of a Corpus."""
    return {name: dict_frame(name, rows) for name, rows in zip(CORPUS_TABLES, corpus.tables(), strict=True)}


def to_frames(
    docs: Iterable[Document], date_field: str | None = "date", period: str = "month"
) -> dict[str, pd.DataFrame]:
    """Every table for the documents: documents, sentences, tokens, mentions, the extractors' (dates, money),
    entities, corpus_entities, cooccurrences, timeline. `date_field`: the metadata field that dates a document
    (a `date` column of documents, None for none); `period`: the timeline's, day, week or month."""
    from .resolve.corpus import Corpus

    docs = list(docs)
    rows = [document_row(doc, len(doc.sentences), sum(len(s.tokens) for s in doc.sentences)) for doc in docs]
    frames = {"documents": dated(documents_frame(rows), date_field)[0]}
    frames.update(row_frames([doc.id for doc in docs], [doc.sentences for doc in docs], [doc.facts for doc in docs]))
    frames["mentions"] = mentions_frame([doc.id for doc in docs], [doc.mentions for doc in docs])
    corpus = Corpus()
    for doc in docs:
        corpus.add(doc.id, doc.entities, doc.mentions)
    frames.update(corpus_frames(corpus))
    frames["timeline"] = timeline_frame(frames["documents"], frames["entities"], period)
    return {name: frames[name] for name in SCHEMAS}
