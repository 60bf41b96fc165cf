"""Locating and loading the navec and slovnet weights that ship in the natasha wheel.

The natasha package itself is never imported: it pulls in pymorphy2 and yargy.
"""

from __future__ import annotations

import gzip
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import IO, Any, NamedTuple, cast

from ..errors import ModelError

EMBEDDING = "natasha/data/emb/navec_news_v1_1B_250K_300d_100q.tar"
MORPH = "natasha/data/model/slovnet_morph_news_v1.tar"
NER = "natasha/data/model/slovnet_ner_news_v1.tar"
SYNTAX = "natasha/data/model/slovnet_syntax_news_v1.tar"


def data_path(name: str) -> Path:
    """Path of a file inside the installed natasha distribution, without importing it."""
    try:
        distribution = metadata.distribution("natasha")
    except metadata.PackageNotFoundError:
        raise ModelError("the natasha wheel is not installed: `pip install natasha` brings the model files") from None
    path = Path(str(distribution.locate_file(name)))
    if not path.is_file():
        raise ModelError(f"model file {name} is missing from the natasha install at {path}")
    return path


class Model(NamedTuple):
    """A slovnet tagger's network with its vocabularies."""

    network: Any  # slovnet.exec.model.Tag, weights and navec injected (slovnet has no types)
    words: Any  # slovnet Vocab
    shapes: Any
    tags: Any  # or the syntax model's relations


@dataclass(frozen=True)
class Models:
    """The slovnet news morphology tagger and NER model, sharing one navec and one word vocabulary."""

    morph: Model
    ner: Model

    @classmethod
    def load(cls) -> Models:
        from slovnet.exec.model import NER as NERNetwork
        from slovnet.exec.model import Morph as MorphNetwork

        navec = load_navec(data_path(EMBEDDING))
        morph = load_model(data_path(MORPH), MorphNetwork, navec)
        ner = load_model(data_path(NER), NERNetwork, navec, morph)
        return cls(morph, ner)


def load_syntax(other: Model | None = None) -> Model:
    """The slovnet news syntax model, with the word and shape vocabularies of `other` when the same."""
    from slovnet.exec.model import Syntax

    return load_model(data_path(SYNTAX), Syntax, load_navec(data_path(EMBEDDING)), other, "rel")


def load_model(path: Path, network_class, navec, other: Model | None = None, labels: str = "tag") -> Model:
    """A slovnet model file (its tar, a slovnet `Pack`), as slovnet's own API loads it; the word and shape
    vocabularies of `other` when the same; `labels`: the vocabulary of its outputs ('tag', the syntax
    model's 'rel')."""
    from slovnet.const import SHAPE, WORD
    from slovnet.exec.pack import Pack, vocab_name
    from slovnet.vocab import Vocab

    with Pack(str(path)) as archive:
        archive.load_meta().check_protocol()
        network = archive.load_model(network_class)
        arrays = dict(archive.load_arrays(network.weights))
        raw = gzip.decompress(archive.read(vocab_name(WORD)))
        # the models ship the same 250K words
        words = other.words if other is not None and other.words.raw == raw else Vocab(raw.decode("utf-8").splitlines())
        words.raw = raw
        shapes, tags = archive.load_vocab(SHAPE), archive.load_vocab(labels)
        if other is not None and other.shapes.items == shapes.items:
            shapes = other.shapes  # and the same shapes: the taggers can share their word ids
    network = network.inject_arrays(arrays).inject_navec(navec)
    return Model(network, words, shapes, tags)


def load_navec(path: Path):
    """navec's product-quantized vectors without its vocabulary (the models bring their own).

    The 25 MB index table is memory-mapped from the tar: no copy, pages shared by workers. The PQ is
    built without navec's `precompute` (norms of all 250K vectors and a centroid product table, for its
    similarity queries): the taggers only look vectors up, and the norms read every page of the table.
    """
    import tarfile

    import numpy as np
    from navec import Navec
    from navec.meta import Meta
    from navec.pq import PQ

    with tarfile.open(path) as tar:
        meta = Meta.from_file(tar.extractfile("meta.json"))
        member = tar.getmember("pq.bin")
        file = cast(IO[bytes], tar.extractfile(member))  # a regular file: never None
        vectors, dim, qdim, centroids = (int(_) for _ in np.frombuffer(file.read(16), np.uint32))
        file.seek(16 + vectors * qdim)
        codes = np.frombuffer(file.read(), np.float32).reshape(qdim, centroids, -1)
    indexes = np.memmap(path, np.uint8, mode="r", offset=member.offset_data + 16, shape=(vectors, qdim))
    pq = PQ.__new__(PQ)  # PQ(...) would call precompute
    pq.vectors, pq.dim, pq.qdim, pq.centroids, pq.indexes, pq.codes = vectors, dim, qdim, centroids, indexes, codes
    return Navec(meta, None, pq)
