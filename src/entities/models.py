"""Locating and loading the navec and slovnet weights that ship in the natasha wheel.

The natasha package itself is never imported: it pulls in pymorphy2 and yargy.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from .errors import ModelError

EMBEDDING = "natasha/data/emb/navec_news_v1_1B_250K_300d_100q.tar"
MORPH = "natasha/data/model/slovnet_morph_news_v1.tar"
NER = "natasha/data/model/slovnet_ner_news_v1.tar"


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


@dataclass(frozen=True)
class Models:
    """The loaded slovnet morphology tagger and NER model, sharing one navec."""

    morph: object
    ner: object

    @classmethod
    def load(cls) -> "Models":
        from navec import Navec
        from slovnet import NER as SlovnetNER
        from slovnet import Morph as SlovnetMorph

        navec = Navec.load(str(data_path(EMBEDDING)))
        morph = SlovnetMorph.load(str(data_path(MORPH))).navec(navec)
        ner = SlovnetNER.load(str(data_path(NER))).navec(navec)
        share_words_vocab(morph, ner)
        return cls(morph, ner)  # navec's own vocabulary goes: the models keep its arrays only


def share_words_vocab(morph, ner) -> None:
    # both models ship the same 250K-word vocabulary: keep one copy (45 MB)
    morph_vocab, ner_vocab = morph.infer.encoder.words_vocab, ner.infer.encoder.words_vocab
    if morph_vocab.items == ner_vocab.items:
        ner.infer.encoder.words_vocab = morph_vocab
