"""slovnet's CNN taggers, computed close to the arithmetic.

The weights are slovnet's own. What changes is the layout: the sentences of a
pack (what one network call computes) go into one (tokens, channels) matrix with a
zero row between sentences, so there is no padding to compute, and a kernel-3
convolution is three matmuls over shifted views instead of a copy of the input per
kernel position.
A zero row is what slovnet's padding is: the pad embeddings are zero and every
layer zeroes padded positions again, so each sentence sees exactly its own words.

The first layer is two thirds of the arithmetic, and it is linear in the
embedding, which is a word vector and a shape vector side by side. So each word's
product with the three kernel taps is computed once per pack, and kept for the first
PROJECTION_ROWS words seen (frequent words come early); the shapes' products are a table over all shapes.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

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


def pack(word_ids: np.ndarray, shape_ids: np.ndarray, sizes: np.ndarray, word_pad: int, shape_pad: int) -> Packed:
    """The words of consecutive sentences (ids end to end, `sizes` words each), a zero row around each."""
    sizes = np.asarray(sizes, dtype=np.int64)
    starts = np.cumsum(np.concatenate(([1], sizes[:-1] + 1))) if len(sizes) else sizes
    total = int(sizes.sum()) + len(sizes) + 1
    rows = np.arange(len(word_ids)) + np.repeat(np.arange(1, len(sizes) + 1), sizes)  # a word's row
    packed_words = np.full(total, word_pad, dtype=np.int64)
    packed_shapes = np.full(total, shape_pad, dtype=np.int64)
    packed_words[rows] = word_ids
    packed_shapes[rows] = shape_ids
    gaps = np.concatenate(([0], starts + sizes)) if len(sizes) else np.array([0])
    return Packed(packed_words, packed_shapes, starts, sizes, gaps)


PROJECTION_ROWS = 8192  # words whose first-layer products are kept (the first seen): 3 KB each


class Projection:
    """Words' products with the first layer's taps, (taps x filters) per word id, the frequent ones kept."""

    def __init__(self, indexes: np.ndarray, codes: np.ndarray, weights: np.ndarray, rows: int = PROJECTION_ROWS):
        self.indexes, self.codes = indexes, codes
        self.qdims = np.arange(codes.shape[0])
        self.weights = weights  # words_dim x (taps * filters)
        self.table = np.zeros((rows, weights.shape[1]), dtype=weights.dtype)
        self.slots = np.full(len(indexes), -1, dtype=np.int64)  # word id -> row of table
        self.used = 0

    def compute(self, word_ids: np.ndarray) -> np.ndarray:
        vectors = self.codes[self.qdims, self.indexes[word_ids]].reshape(len(word_ids), -1)
        return vectors @ self.weights

    def __call__(self, word_ids: np.ndarray) -> np.ndarray:
        unique, inverse = np.unique(word_ids, return_inverse=True)
        slots = self.slots[unique]
        values = np.empty((len(unique), self.weights.shape[1]), dtype=self.weights.dtype)
        known = slots >= 0
        values[known] = self.table[slots[known]]
        missing = np.flatnonzero(~known)
        if len(missing):
            values[missing] = self.compute(unique[missing])
            self.keep(unique[missing], values[missing])
        return values[inverse]

    def keep(self, word_ids: np.ndarray, values: np.ndarray) -> None:
        room = min(len(word_ids), len(self.table) - self.used)
        if room > 0:
            rows = np.arange(self.used, self.used + room)
            self.table[rows] = values[:room]
            self.slots[word_ids[:room]] = rows
            self.used += room


class Encoder:
    """Embedding + CNN encoder of a slovnet model: a row of features per word."""

    def __init__(self, model):
        emb = model.emb
        layers = [adapt_layer(layer) for layer in model.encoder.layers]
        first = np.concatenate(layers[0].taps, axis=1)  # in x (taps * filters)
        words_dim = emb.word.codes.array.shape[0] * emb.word.codes.array.shape[2]
        self.projection = Projection(
            emb.word.indexes.array, emb.word.codes.array, np.ascontiguousarray(first[:words_dim])
        )
        self.shapes = emb.shape.weight.array @ first[words_dim:]  # every shape's product, a small table
        self.first, self.layers = layers[0], layers[1:]

    def first_layer(self, packed: Packed) -> np.ndarray:
        # out[i] = y0[i-1] + y1[i] + y2[i+1] + b, y_k the products with tap k; gap rows are zero
        y = self.projection(packed.word_ids) + self.shapes[packed.shape_ids]
        y[packed.gaps] = 0
        y = y.reshape(len(y), len(self.first.taps), -1)
        out = y[:, 1].copy()
        out[1:] += y[:-1, 0]
        out[:-1] += y[1:, 2]
        out += self.first.bias
        return out

    def conv(self, x: np.ndarray, layer: Layer) -> np.ndarray:
        # out[i] = x[i-1] @ W0 + x[i] @ W1 + x[i+1] @ W2 + b, zero beyond both ends
        out = x @ layer.taps[1]
        out[1:] += x[:-1] @ layer.taps[0]
        out[:-1] += x[1:] @ layer.taps[2]
        out += layer.bias
        return out

    def normalize(self, x: np.ndarray, layer: Layer, packed: Packed) -> np.ndarray:
        # relu, then batch norm, in place: the same operations in the same order, no temporaries
        np.maximum(x, 0, out=x)
        np.subtract(x, layer.mean, out=x)
        np.divide(x, layer.std, out=x)
        np.multiply(x, layer.scale, out=x)
        np.add(x, layer.shift, out=x)
        x[packed.gaps] = 0
        return x

    def encode(self, packed: Packed) -> np.ndarray:
        x = self.normalize(self.first_layer(packed), self.first, packed)
        for layer in self.layers:
            x = self.normalize(self.conv(x, layer), layer, packed)
        return x


class Network(Encoder):
    """Embedding + CNN encoder + linear projection of a slovnet Tag model (NER or Morph)."""

    def __init__(self, model):
        super().__init__(model)
        self.proj_weight = model.head.proj.weight.array
        self.proj_bias = model.head.proj.bias.array

    def __call__(self, packed: Packed) -> np.ndarray:
        """Per-row tag scores, (rows, tags)."""
        return self.encode(packed) @ self.proj_weight + self.proj_bias


def viterbi(emissions: Sequence[np.ndarray], transitions: np.ndarray) -> list[np.ndarray]:
    """Best tag paths of sequences of different lengths, all at once.

    As slovnet's CRF.decode: ties go to the lowest tag index. The sequences run longest
    first, so the ones still going at a step are a prefix of the rows: no masks.
    """
    sizes = np.array([len(_) for _ in emissions], dtype=np.int64)
    if not sizes.any():
        return [np.zeros(0, dtype=np.int64) for _ in emissions]
    order = np.argsort(-sizes, kind="stable")
    sizes = sizes[order]
    count, longest, tags = len(emissions), int(sizes[0]), transitions.shape[0]
    scores = np.zeros((longest, count, tags), dtype=emissions[0].dtype)
    for row, index in enumerate(order.tolist()):
        scores[: sizes[row], row] = emissions[index]
    going = np.searchsorted(-sizes, -np.arange(longest), side="left")  # how many are longer than each step
    score = scores[0].copy()
    history = np.zeros((longest, count, tags), dtype=np.int64)
    for step in range(1, longest):
        alive = going[step]
        total = score[:alive, :, None] + transitions + scores[step, :alive, None, :]
        history[step, :alive] = total.argmax(1)
        score[:alive] = total.max(1)
    paths = np.zeros((longest, count), dtype=np.int64)
    current = score.argmax(1)
    rows = np.arange(count)
    for step in range(longest - 1, -1, -1):
        alive = going[step]
        paths[step, :alive] = current[:alive]
        if step:
            current[:alive] = history[step, rows[:alive], current[:alive]]
    result: list = [None] * count
    for row, index in enumerate(order.tolist()):
        result[index] = paths[: sizes[row], row]
    return result
