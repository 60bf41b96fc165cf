"""slovnet's morphology and NER models on words that are already tokenized.

Sentences from many documents are tagged together: the sentences of a batch go to the
network in packs of about PACK_ROWS tokens, with no padding (see network.py). Word and
shape ids are cached per word form on the instance.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import numpy as np
from slovnet.shape import word_shape

from .cache import Cache
from .network import Network, pack, viterbi

Words = Sequence[str]
PACK_ROWS = 8192
ID_CACHE_WORDS = 100_000


def packs_by_rows(order: Sequence[int], sizes: Sequence[int], limit: int) -> Iterator[list[int]]:
    """The packs: consecutive runs of `order` (sentence indexes) holding about `limit` tokens each."""
    members: list[int] = []
    rows = 0
    for index in order:
        if members and rows + sizes[index] > limit:
            yield members
            members, rows = [], 0
        members.append(index)
        rows += sizes[index] + 1
    if members:
        yield members


class Tagger:
    """What the two taggers share: word ids, packing, the network."""

    def __init__(self, model, pack_rows: int = PACK_ROWS):
        self.network = Network(model.network)
        self.words_vocab = model.words
        self.shapes_vocab = model.shapes
        self.tags = model.tags.items
        self.pack_rows = pack_rows
        self.ids_cache = Cache(ID_CACHE_WORDS)

    def word_ids(self, word: str) -> tuple[int, int]:
        ids = self.ids_cache.get(word)
        if ids is None:
            ids = self.ids_cache.put(
                word, (self.words_vocab.encode(word.lower()), self.shapes_vocab.encode(word_shape(word)))
            )
        return ids

    def sentence_ids(self, words: Words) -> tuple[list[int], list[int]]:
        pairs = [self.word_ids(word) for word in words]
        return [_[0] for _ in pairs], [_[1] for _ in pairs]

    def scores(self, sentences: Sequence[Words], members: list[int]) -> list[np.ndarray]:
        """One network call: the scores of a pack, the sentences `members` indexes."""
        packed = pack(
            [self.sentence_ids(sentences[index]) for index in members],
            self.words_vocab.pad_id,
            self.shapes_vocab.pad_id,
        )
        rows = self.network(packed)
        return [rows[start : start + size] for start, size in zip(packed.starts, packed.sizes, strict=True)]

    def decode(self, scores: list[np.ndarray]) -> list[list]:
        """Each sentence's tags, a tag per word: the subclass's kind of tag."""
        raise NotImplementedError

    def order(self, sentences: Sequence[Words]) -> list[int]:
        return list(range(len(sentences)))

    def __call__(self, sentences: Sequence[Words]) -> list:
        results: list = [None] * len(sentences)
        sizes = [len(_) for _ in sentences]
        for members in packs_by_rows(self.order(sentences), sizes, self.pack_rows):
            for index, result in zip(members, self.decode(self.scores(sentences, members)), strict=True):
                results[index] = result
        return results


class MorphTagger(Tagger):
    """Words -> (UD pos, feats dict) per word, with slovnet's news morph model."""

    def __init__(self, model, pack_rows: int = PACK_ROWS):
        super().__init__(model, pack_rows)
        self.parsed = [parse_tag(tag) for tag in self.tags]

    def decode(self, scores: list[np.ndarray]) -> list[list[tuple[str, dict]]]:
        return [[self.parsed[_] for _ in rows.argmax(-1).tolist()] for rows in scores]


class NERTagger(Tagger):
    """Words -> BIO tags per word ('B-PER', 'I-PER', 'O'), with slovnet's news NER model."""

    def __init__(self, model, pack_rows: int = PACK_ROWS):
        super().__init__(model, pack_rows)
        self.transitions = model.network.head.crf.transitions.array

    def order(self, sentences: Sequence[Words]) -> list[int]:
        # similar lengths together: the Viterbi loop runs to the longest in a pack
        return sorted(range(len(sentences)), key=lambda index: len(sentences[index]))

    def decode(self, scores: list[np.ndarray]) -> list[list[str]]:
        return [[self.tags[_] for _ in path.tolist()] for path in viterbi(scores, self.transitions)]


def parse_tag(tag: str) -> tuple[str, dict]:
    # 'NOUN|Animacy=Inan|Case=Gen' -> ('NOUN', {'Animacy': 'Inan', 'Case': 'Gen'})
    pos, *feats = tag.split("|")
    return pos, dict(_.split("=", 1) for _ in feats)
