"""slovnet's morphology, NER and syntax models on words that are already tokenized.

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
from .parser import Parser

Words = Sequence[str]
PACK_ROWS = 2048  # a pack's arrays stay small enough to be reused, not mapped afresh each call
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
    """What the taggers share: word ids, packing, the network."""

    network_class: type = Network  # packed sentences -> a row of scores per word

    def __init__(self, model, pack_rows: int = PACK_ROWS, ids_cache: Cache | None = None):
        """`ids_cache`: another tagger's, when both have the same vocabularies (`shared_ids`)."""
        self.network = self.network_class(model.network)
        self.words_vocab = model.words
        self.shapes_vocab = model.shapes
        self.tags = model.tags.items
        self.pack_rows = pack_rows
        self.ids_cache = Cache(ID_CACHE_WORDS) if ids_cache is None else ids_cache

    def word_ids(self, word: str) -> tuple[int, int]:
        ids = self.ids_cache.get(word)
        if ids is None:
            ids = self.ids_cache.put(
                word, (self.words_vocab.encode(word.lower()), self.shapes_vocab.encode(word_shape(word)))
            )
        return ids

    def ids(self, sentences: Sequence[Words]) -> tuple[np.ndarray, np.ndarray]:
        """Word and shape ids of all the words, end to end: looked up once per distinct word."""
        distinct: dict[str, int] = {}
        inverse = np.fromiter(
            (distinct.setdefault(word, len(distinct)) for words in sentences for word in words), dtype=np.int64
        )
        pairs = np.array([self.word_ids(word) for word in distinct], dtype=np.int64).reshape(-1, 2)
        return pairs[inverse, 0], pairs[inverse, 1]

    def scores(self, word_ids: np.ndarray, shape_ids: np.ndarray, sizes: np.ndarray) -> list[np.ndarray]:
        """One network call: the scores of a pack of consecutive sentences, their ids end to end."""
        packed = pack(word_ids, shape_ids, sizes, self.words_vocab.pad_id, self.shapes_vocab.pad_id)
        rows = self.network(packed)
        return [rows[start : start + size] for start, size in zip(packed.starts.tolist(), sizes.tolist(), strict=True)]

    def decode(self, scores: list[np.ndarray]) -> list[list]:
        """Each sentence's tags, a tag per word: the subclass's kind of tag."""
        raise NotImplementedError

    def __call__(self, sentences: Sequence[Words]) -> list:
        # the network pack by pack, then one decoding of every sentence
        sizes = np.array([len(_) for _ in sentences], dtype=np.int64)
        ends = np.cumsum(sizes).tolist()
        word_ids, shape_ids = self.ids(sentences)
        scores: list = []
        for members in packs_by_rows(range(len(sentences)), sizes.tolist(), self.pack_rows):
            first, last = members[0], members[-1] + 1
            start, stop = ends[first] - int(sizes[first]), ends[last - 1]
            scores.extend(self.scores(word_ids[start:stop], shape_ids[start:stop], sizes[first:last]))
        return self.decode(scores)


class MorphTagger(Tagger):
    """Words -> (UD pos, feats dict) per word, with slovnet's news morph model."""

    def __init__(self, model, pack_rows: int = PACK_ROWS, ids_cache: Cache | None = None):
        super().__init__(model, pack_rows, ids_cache)
        self.parsed = [parse_tag(tag) for tag in self.tags]

    def decode(self, scores: list[np.ndarray]) -> list[list[tuple[str, dict]]]:
        return [[self.parsed[_] for _ in rows.argmax(-1).tolist()] for rows in scores]


class NERTagger(Tagger):
    """Words -> BIO tags per word ('B-PER', 'I-PER', 'O'), with slovnet's news NER model."""

    def __init__(self, model, pack_rows: int = PACK_ROWS, ids_cache: Cache | None = None):
        super().__init__(model, pack_rows, ids_cache)
        self.transitions = model.network.head.crf.transitions.array

    def decode(self, scores: list[np.ndarray]) -> list[list[str]]:
        return [[self.tags[_] for _ in path.tolist()] for path in viterbi(scores, self.transitions)]


class SyntaxTagger(Tagger):
    """Words -> (head, relation) per word, with slovnet's news syntax model: the head's index in the sentence
    from 0 (None for the root) and the Universal Dependencies relation ('nsubj', 'root')."""

    network_class = Parser  # a row per word: its head (0 the root, else from 1) and relation id

    @classmethod
    def load(cls, beside=None) -> SyntaxTagger:
        """slovnet's model; with `beside`, a built-in tagger, its vocabularies and word ids cache (the same)."""
        from .weights import Model, load_syntax

        known = isinstance(beside, Tagger)
        model = load_syntax(Model(None, beside.words_vocab, beside.shapes_vocab, None) if known else None)
        return cls(model, ids_cache=shared_ids(beside, model) if known else None)

    def decode(self, scores: list[np.ndarray]) -> list[list[tuple[int | None, str]]]:
        # slovnet's head 2 -> token_id 1, its 0 (the root) -> None
        return [[(head - 1 if head else None, self.tags[rel]) for head, rel in rows.tolist()] for rows in scores]


def parse_tag(tag: str) -> tuple[str, dict]:
    # 'NOUN|Animacy=Inan|Case=Gen' -> ('NOUN', {'Animacy': 'Inan', 'Case': 'Gen'})
    pos, *feats = tag.split("|")
    return pos, dict(_.split("=", 1) for _ in feats)


def shared_ids(one: Tagger, model) -> Cache | None:
    """`one`'s word ids cache when `model` has the same vocabularies: slovnet's news models do."""
    same = one.words_vocab is model.words and one.shapes_vocab is model.shapes
    return one.ids_cache if same else None
