"""slovnet's CNN taggers, computed close to the arithmetic.

The weights are slovnet's own. What changes is the layout: all sentences of a
batch are packed into one (tokens, channels) matrix with a zero row between
sentences, so there is no padding to compute, and a kernel-3 convolution is
three matmuls over shifted views instead of a copy of every window.
A zero row is what slovnet's padding is: the pad embeddings are zero and every
layer zeroes padded positions again, so each sentence sees exactly its own words.
"""

from __future__ import annotations

from typing import NamedTuple, Sequence

import numpy as np


class Layer(NamedTuple):
    taps: tuple  # one (in, out) matrix per kernel position
    bias: np.ndarray
    mean: np.ndarray
    std: np.ndarray
    scale: np.ndarray
    shift: np.ndarray


def adapt_layer(layer) -> Layer:
    weight = layer.conv.weight.array  # filters x in x kernel
    taps = tuple(np.ascontiguousarray(weight[:, :, k].T) for k in range(weight.shape[2]))
    norm = layer.norm
    return Layer(taps, layer.conv.bias.array, norm.mean.array, norm.std.array, norm.weight.array, norm.bias.array)


class Packed(NamedTuple):
    """Sentences packed into rows: sentence i is rows[starts[i] : starts[i] + sizes[i]]."""

    word_ids: np.ndarray
    shape_ids: np.ndarray
    starts: np.ndarray
    sizes: np.ndarray
    gaps: np.ndarray  # the zero rows: one before the first sentence, one after each


def pack(ids: Sequence[tuple[list[int], list[int]]], word_pad: int, shape_pad: int) -> Packed:
    sizes = np.array([len(words) for words, _ in ids], dtype=np.int64)
    starts = np.cumsum(np.concatenate(([1], sizes[:-1] + 1))) if len(sizes) else sizes
    total = int(sizes.sum()) + len(sizes) + 1
    word_ids = np.full(total, word_pad, dtype=np.int64)
    shape_ids = np.full(total, shape_pad, dtype=np.int64)
    for start, (words, shapes) in zip(starts, ids):
        word_ids[start : start + len(words)] = words
        shape_ids[start : start + len(shapes)] = shapes
    gaps = np.concatenate(([0], starts + sizes)) if len(sizes) else np.array([0])
    return Packed(word_ids, shape_ids, starts, sizes, gaps)


class Network:
    """Embedding + CNN encoder + linear projection of a slovnet Tag model (NER or Morph)."""

    def __init__(self, model):
        emb = model.emb
        self.word_indexes = emb.word.indexes.array
        self.word_codes = emb.word.codes.array
        self.qdims = np.arange(self.word_codes.shape[0])
        self.shape_weight = emb.shape.weight.array
        self.layers = [adapt_layer(layer) for layer in model.encoder.layers]
        self.proj_weight = model.head.proj.weight.array
        self.proj_bias = model.head.proj.bias.array

    def embed(self, packed: Packed) -> np.ndarray:
        indexes = self.word_indexes[packed.word_ids]
        words = self.word_codes[self.qdims, indexes].reshape(len(packed.word_ids), -1)
        return np.concatenate((words, self.shape_weight[packed.shape_ids]), axis=1)

    def conv(self, x: np.ndarray, layer: Layer) -> np.ndarray:
        # out[i] = x[i-1] @ W0 + x[i] @ W1 + x[i+1] @ W2 + b, zero beyond both ends
        out = x @ layer.taps[1]
        out[1:] += x[:-1] @ layer.taps[0]
        out[:-1] += x[1:] @ layer.taps[2]
        out += layer.bias
        return out

    def encode(self, packed: Packed) -> np.ndarray:
        x = self.embed(packed)
        x[packed.gaps] = 0
        for layer in self.layers:
            x = self.conv(x, layer)
            np.maximum(x, 0, out=x)
            x = (x - layer.mean) / layer.std * layer.scale + layer.shift
            x[packed.gaps] = 0
        return x

    def __call__(self, packed: Packed) -> np.ndarray:
        """Per-row tag scores, (rows, tags)."""
        return self.encode(packed) @ self.proj_weight + self.proj_bias


def viterbi(emissions: Sequence[np.ndarray], transitions: np.ndarray) -> list[np.ndarray]:
    """Best tag paths of sequences of different lengths, all at once.

    As slovnet's CRF.decode: ties go to the lowest tag index.
    """
    if not emissions:
        return []
    sizes = np.array([len(_) for _ in emissions])
    batch, longest, tags = len(emissions), int(sizes.max()), transitions.shape[0]
    scores = np.zeros((batch, longest, tags), dtype=emissions[0].dtype)
    for index, emission in enumerate(emissions):
        scores[index, : len(emission)] = emission
    score = scores[:, 0]
    history = np.zeros((longest, batch, tags), dtype=np.int64)
    for step in range(1, longest):
        total = score[:, :, None] + transitions + scores[:, step, None, :]
        history[step] = total.argmax(1)
        score = np.where((step < sizes)[:, None], total.max(1), score)
    last = score.argmax(1)
    paths = np.zeros((batch, longest), dtype=np.int64)
    paths[np.arange(batch), sizes - 1] = last
    current = last
    for step in range(longest - 1, 0, -1):
        inside = step < sizes
        previous = history[step, np.arange(batch), current]
        current = np.where(inside, previous, current)
        paths[:, step - 1] = np.where(inside, current, paths[:, step - 1])
    return [paths[index, :size] for index, size in enumerate(sizes)]
