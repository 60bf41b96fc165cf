"""Segments and model tags -> the owned Document record, with lemmas and normal forms."""

from __future__ import annotations

from typing import Sequence

from .name import Name, name_parts
from .ner import TagSpan, bio_spans
from .norm import Word, normal_words, join_words
from .records import PER, Document, Mention, Sentence, Text, Token
from .segment import Segment, Span


def adapt_token(morph, span: Span, tag: tuple[str, dict]) -> Token:
    pos, feats = tag
    return Token(span.start, span.stop, span.text, morph.lemma(span.text, pos, feats), pos, feats)


def adapt_sentence(morph, segment: Segment, tags: Sequence[tuple[str, dict]]) -> Sentence:
    tokens = tuple(adapt_token(morph, span, tag) for span, tag in zip(segment.tokens, tags))
    return Sentence(segment.sentence.start, segment.sentence.stop, segment.sentence.text, tokens)


def mention_words(text: str, tokens: Sequence[Token]) -> list[Word]:
    words, previous = [], tokens[0].start
    for token in tokens:
        words.append(Word(token.text, token.pos, token.feats, text[previous : token.start]))
        previous = token.stop
    return words


def build_mention(morph, text: str, sentence: Sentence, span: TagSpan, sent_id: int) -> Mention:
    tokens = sentence.tokens[span.start : span.stop]
    words = mention_words(text, tokens)
    normals = normal_words(morph, words, span.type)
    name = name_parts(morph, normals) if span.type == PER else Name()
    start, stop = tokens[0].start, tokens[-1].stop
    return Mention(start, stop, span.type, text[start:stop], join_words(normals, words), *name, sent_id=sent_id)


def build_document(morph, item: Text, segments: Sequence[Segment], morph_tags, ner_tags) -> Document:
    sentences = tuple(adapt_sentence(morph, *pair) for pair in zip(segments, morph_tags))
    mentions = tuple(
        build_mention(morph, item.text, sentence, span, sent_id)
        for sent_id, (sentence, tags) in enumerate(zip(sentences, ner_tags))
        for span in bio_spans(tags)
    )
    return Document(item.id or "", item.text, sentences, mentions, item.source or "", dict(item.meta))
