"""slovnet's syntax network on packed sentences (network.py): each word's head and relation.

slovnet's parser is biaffine. Over the CNN encoder's rows, with a learnt root row before each
sentence, it scores every (word, candidate head) pair of a sentence and takes each word's best head
(`SyntaxHead`); then it scores the relations of each word with that head and takes the best
(`SyntaxRel`). Here the feed-forward layers run once over all the rows of a pack, and the pair
scores sentence by sentence, without padding, in blocks of rows when a sentence is long.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .network import Encoder, Packed

SCORES = 1 << 20  # pair scores computed at a time (4 MB): a 10,000-word sentence, 104 words at a time
RELATION_ROWS = 2048  # words whose relation scores are computed at a time (12 MB)


class FF(NamedTuple):
    """A linear layer and a ReLU."""

    weight: np.ndarray
    bias: np.ndarray

    def __call__(self, x: np.ndarray) -> np.ndarray:
        return np.maximum(x @ self.weight + self.bias, 0)


class Biaffine(NamedTuple):
    head: FF  # of the word
    tail: FF  # of its (candidate) head
    root: np.ndarray  # the root's row, as the encoder would give it
    kernel: np.ndarray


def adapt_ff(ff) -> FF:
    return FF(ff.proj.weight.array, ff.proj.bias.array)


def adapt_biaffine(module) -> Biaffine:
    return Biaffine(adapt_ff(module.head), adapt_ff(module.tail), module.root.array, module.kernel.array)


def best_heads(words: np.ndarray, candidates: np.ndarray) -> np.ndarray:
    """Each word's best of the candidates (0 the root, i the sentence's i-th word), row blocks of SCORES."""
    block = max(1, SCORES // len(candidates))
    blocks = [(words[first : first + block] @ candidates.T).argmax(1) for first in range(0, len(words), block)]
    return np.concatenate(blocks) if blocks else np.zeros(0, dtype=np.int64)


class Parser(Encoder):
    """Embedding + CNN encoder + biaffine heads and relations of slovnet's Syntax model."""

    def __init__(self, model):
        super().__init__(model)
        self.arc = adapt_biaffine(model.head)
        self.rel = adapt_biaffine(model.rel)
        hidden, width = self.rel.kernel.shape
        self.relations = width // hidden

    def __call__(self, packed: Packed) -> np.ndarray:
        """Per row, its word's head (0 the root, else the head's index in the sentence from 1, as slovnet
        numbers them) and relation id: (rows, 2), zeros in the gap rows."""
        x = self.encode(packed)
        words = np.ones(len(x), dtype=bool)
        words[packed.gaps] = False
        rows = np.flatnonzero(words)
        heads = self.heads(x, packed)
        result = np.zeros((len(x), 2), dtype=np.int64)
        result[rows, 0] = heads
        # a word's head row: the row before its sentence (a gap) stands for the root
        head_rows = np.repeat(packed.starts - 1, packed.sizes) + heads
        result[rows, 1] = self.relation_ids(x, rows, head_rows, heads == 0)
        return result

    def heads(self, x: np.ndarray, packed: Packed) -> np.ndarray:
        arc = self.arc
        words = arc.head(x) @ arc.kernel
        candidates = arc.tail(x)
        root = arc.tail(arc.root)[None]
        sentences = [
            best_heads(words[start : start + size], np.concatenate((root, candidates[start : start + size])))
            for start, size in zip(packed.starts.tolist(), packed.sizes.tolist(), strict=True)
        ]
        return np.concatenate(sentences) if sentences else np.zeros(0, dtype=np.int64)

    def relation_ids(self, x: np.ndarray, rows: np.ndarray, head_rows: np.ndarray, roots: np.ndarray) -> np.ndarray:
        rel = self.rel
        heads = rel.head(x)
        heads[head_rows[roots]] = rel.head(rel.root)  # the gap before a sentence, where its root's head row is
        tails = rel.tail(x)
        hidden = rel.kernel.shape[0]
        ids = []
        for first in range(0, len(rows), RELATION_ROWS):
            own, head = rows[first : first + RELATION_ROWS], head_rows[first : first + RELATION_ROWS]
            scores = (heads[head] @ rel.kernel).reshape(len(own), self.relations, hidden) @ tails[own, :, None]
            ids.append(scores[..., 0].argmax(-1))
        return np.concatenate(ids) if ids else np.zeros(0, dtype=np.int64)
