"""slovnet's morphology and NER models on words that are already tokenized.

Sentences from many documents are tagged together, in batches of similar length.
Padding does not change the outputs: the pad embeddings are zero and the CNN
re-masks padded positions after every layer.
"""

from __future__ import annotations

from typing import Callable, Iterator, Sequence

Words = Sequence[str]


def length_batches(sentences: Sequence[Words], batch_size: int) -> Iterator[list[int]]:
    """Indexes of sentences, grouped into batches of similar length."""
    order = sorted(range(len(sentences)), key=lambda index: len(sentences[index]))
    for start in range(0, len(order), batch_size):
        yield order[start : start + batch_size]


def run_batches(sentences: Sequence[Words], batch_size: int, tag_batch: Callable) -> list:
    """Tag every sentence with `tag_batch`, in length batches, results in input order."""
    results: list = [None] * len(sentences)
    for indexes in length_batches(sentences, batch_size):
        for index, result in zip(indexes, tag_batch([sentences[_] for _ in indexes])):
            results[index] = result
    return results


def encode(infer, batch: Sequence[Words]):
    items = [infer.encoder.item(words) for words in batch]
    return infer.encoder.input(items)


class MorphTagger:
    """Words -> (UD pos, feats dict) per word, with slovnet's news morph model."""

    def __init__(self, api, batch_size: int = 64):
        self.infer = api.infer
        self.batch_size = batch_size

    def tag_batch(self, batch: Sequence[Words]) -> list[list[tuple[str, dict]]]:
        infer = self.infer
        input = encode(infer, batch)
        pred = infer.model(input.word_id, input.shape_id, input.pad_mask)
        ids = infer.model.head.decode(pred)
        decode = infer.decoder.tags_vocab.decode
        return [[parse_tag(decode(_)) for _ in ids[index, : len(words)]] for index, words in enumerate(batch)]

    def __call__(self, sentences: Sequence[Words]) -> list[list[tuple[str, dict]]]:
        return run_batches(sentences, self.batch_size, self.tag_batch)


class NERTagger:
    """Words -> BIO tags per word ('B-PER', 'I-PER', 'O'), with slovnet's news NER model."""

    def __init__(self, api, batch_size: int = 64):
        self.infer = api.infer
        self.batch_size = batch_size

    def tag_batch(self, batch: Sequence[Words]) -> list[list[str]]:
        infer = self.infer
        input = encode(infer, batch)
        pred = infer.model(input.word_id, input.shape_id, input.pad_mask)
        paths = infer.model.head.crf.decode(pred, ~input.pad_mask)
        decode = infer.decoder.tags_vocab.decode
        return [[decode(_) for _ in path] for path in paths]

    def __call__(self, sentences: Sequence[Words]) -> list[list[str]]:
        return run_batches(sentences, self.batch_size, self.tag_batch)


def parse_tag(tag: str) -> tuple[str, dict]:
    # 'NOUN|Animacy=Inan|Case=Gen' -> ('NOUN', {'Animacy': 'Inan', 'Case': 'Gen'})
    pos, *feats = tag.split("|")
    return pos, dict(_.split("=", 1) for _ in feats)
