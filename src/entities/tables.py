"""Documents -> pandas DataFrames with fixed columns and dtypes.

documents: doc_id, source, n_chars, n_sentences, n_tokens, then metadata columns
sentences: doc_id, sent_id, start, stop, text
tokens:    doc_id, sent_id, token_id, start, stop, text, lemma, pos, feats
mentions:  doc_id, sent_id, mention_id, start, stop, type, text, normal, first, middle, last
"""

from __future__ import annotations

from typing import Iterable

import pandas as pd

from .grams import format_feats
from .records import Document

STR = "str"
INT = "int64"

SCHEMAS: dict[str, dict[str, str]] = {
    "documents": {"doc_id": STR, "source": STR, "n_chars": INT, "n_sentences": INT, "n_tokens": INT},
    "sentences": {"doc_id": STR, "sent_id": INT, "start": INT, "stop": INT, "text": STR},
    "tokens": {
        "doc_id": STR, "sent_id": INT, "token_id": INT, "start": INT, "stop": INT,
        "text": STR, "lemma": STR, "pos": STR, "feats": STR,
    },
    "mentions": {
        "doc_id": STR, "sent_id": INT, "mention_id": INT, "start": INT, "stop": INT,
        "type": STR, "text": STR, "normal": STR, "first": STR, "middle": STR, "last": STR,
    },
}  # fmt: skip

TABLES = tuple(SCHEMAS)


def document_rows(doc: Document):
    n_tokens = sum(len(sentence.tokens) for sentence in doc.sentences)
    yield (doc.id, doc.source, len(doc.text), len(doc.sentences), n_tokens)


def sentence_rows(doc: Document):
    for sent_id, sentence in enumerate(doc.sentences):
        yield (doc.id, sent_id, sentence.start, sentence.stop, sentence.text)


def token_rows(doc: Document):
    for sent_id, sentence in enumerate(doc.sentences):
        for token_id, token in enumerate(sentence.tokens):
            yield (doc.id, sent_id, token_id, token.start, token.stop, token.text, token.lemma, token.pos, format_feats(token.feats))


def mention_rows(doc: Document):
    for mention_id, mention in enumerate(doc.mentions):
        yield (
            doc.id, mention.sent_id, mention_id, mention.start, mention.stop, mention.type,
            mention.text, mention.normal, mention.first, mention.middle, mention.last,
        )  # fmt: skip


ROWS = {"documents": document_rows, "sentences": sentence_rows, "tokens": token_rows, "mentions": mention_rows}


def frame(name: str, rows: list[tuple]) -> pd.DataFrame:
    schema = SCHEMAS[name]
    columns = list(zip(*rows)) if rows else [()] * len(schema)
    return pd.DataFrame({column: pd.Series(values, dtype=dtype) for (column, dtype), values in zip(schema.items(), columns)})


def metadata_frame(docs: list[Document]) -> pd.DataFrame:
    # keys in order of first appearance; a document without a key gets a missing value
    keys = list(dict.fromkeys(key for doc in docs for key in doc.meta if key not in SCHEMAS["documents"]))
    return pd.DataFrame({key: [doc.meta.get(key) for doc in docs] for key in keys}, index=range(len(docs)))


def to_frames(docs: Iterable[Document]) -> dict[str, pd.DataFrame]:
    """{'documents': ..., 'sentences': ..., 'tokens': ..., 'mentions': ...} for the documents."""
    docs = list(docs)
    frames = {name: frame(name, [row for doc in docs for row in ROWS[name](doc)]) for name in TABLES}
    frames["documents"] = pd.concat([frames["documents"], metadata_frame(docs)], axis=1)
    return frames
