"""Segments and model tags -> owned records: the Annotation of one piece of a document."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from itertools import repeat
from types import MappingProxyType
from typing import NamedTuple

from ..nlp.bio import TagSpan, bio_spans
from ..records import PER, Document, Mention, Sentence, Text, Token
from ..resolve.document import group_mentions
from ..text.piece import Piece
from ..text.plain import PlainText, is_plain, plain_view
from ..text.segment import Segment, Span
from .correction import correct
from .name import Name, name_parts
from .norm import Word, join_words, normal_words

LONGEST_NAME = 200  # characters: a longer span names no one ('ааа…', a million letters with no space)


class Annotation(NamedTuple):
    """The sentences, mentions and facts of one piece; sent_id counts from the piece's first sentence."""

    sentences: tuple[Sentence, ...]
    mentions: tuple[Mention, ...]
    facts: Mapping[str, tuple] = MappingProxyType({})  # each extractor's records: 'dates' -> (Date, ...)


NO_SYNTAX = (None, "")  # a token's head_id and rel with syntax off


def adapt_token(morph, span: Span, tag: tuple[str, dict], syntax: tuple[int | None, str] = NO_SYNTAX) -> Token:
    pos, feats = tag
    return Token(span.start, span.stop, span.text, morph.lemma(span.text, pos, feats), pos, feats, *syntax)


def adapt_sentence(morph, segment: Segment, tags: Sequence[tuple[str, dict]], syntax: Sequence = ()) -> Sentence:
    # syntax: 'Мэр открыл мост' -> [(1, 'nsubj'), (None, 'root'), (1, 'obj')]; () with syntax off
    arcs = syntax or repeat(NO_SYNTAX)
    tokens = tuple(adapt_token(morph, *own) for own in zip(segment.tokens, tags, arcs, strict=False))
    return Sentence(segment.sentence.start, segment.sentence.stop, segment.sentence.text, tokens)


def mention_words(piece: Piece, tokens: Sequence[Token]) -> list[Word]:
    words, previous = [], tokens[0].start
    for token in tokens:
        gap = piece.text[previous - piece.start : token.start - piece.start]
        words.append(Word(token.text, token.pos, token.feats, gap))
        previous = token.stop
    return words


def build_mention(morph, piece: Piece, sentence: Sentence, span: TagSpan, sent_id: int) -> Mention:
    tokens = sentence.tokens[span.start : span.stop]
    words = mention_words(piece, tokens)
    normals = normal_words(morph, words, span.type)
    name = name_parts(morph, normals) if span.type == PER else Name()
    start, stop = tokens[0].start, tokens[-1].stop
    text = piece.text[start - piece.start : stop - piece.start]
    return Mention(start, stop, span.type, text, join_words(normals, words), *name, sent_id=sent_id)


def annotate_piece(
    morph, piece: Piece, segments: Sequence[Segment], morph_tags, ner_tags, rules: Sequence[str], syntax_tags
) -> Annotation:
    # syntax_tags: each sentence's (head, relation) per word, () with syntax off
    sentences = tuple(adapt_sentence(morph, *own) for own in zip(segments, morph_tags, syntax_tags, strict=False))
    spans = correct(sentences, [list(bio_spans(tags)) for tags in ner_tags], rules, morph)
    mentions = tuple(
        build_mention(morph, piece, sentence, span, sent_id)
        for sent_id, (sentence, own) in enumerate(zip(sentences, spans, strict=False))
        for span in own
        if fits_a_name(sentence, span)
    )
    return Annotation(sentences, mentions)


def fits_a_name(sentence: Sentence, span: TagSpan) -> bool:
    return sentence.tokens[span.stop - 1].stop - sentence.tokens[span.start].start <= LONGEST_NAME


def plain_piece(piece: Piece) -> tuple[Piece, PlainText | None]:
    """The piece as the taggers read it ('Наваль\xadным' -> 'Навальным'), and its plain view: None when
    the piece is plain already."""
    if is_plain(piece.text):
        return piece, None
    view = plain_view(piece.text)
    return piece._replace(text=view.text), view


def restored(annotation: Annotation, piece: Piece, view: PlainText | None) -> Annotation:
    """The annotation of a piece's plain view with the offsets and texts of the piece as written:
    'Навальным' (10, 19) -> 'Наваль\xadным' (10, 20); lemmas and normal forms stay plain."""
    if view is None:
        return annotation

    def place(record) -> tuple[int, int, str]:
        start, stop = view.span(record.start - piece.start, record.stop - piece.start)
        return piece.start + start, piece.start + stop, piece.text[start:stop]

    def token(token: Token) -> Token:
        return Token(*place(token), token.lemma, token.pos, token.feats, token.head_id, token.rel)

    def spanned(record):  # a Mention, or an extractor's record
        start, stop, text = place(record)
        return replace(record, start=start, stop=stop, text=text)

    sentences = tuple(Sentence(*place(_), tuple(map(token, _.tokens))) for _ in annotation.sentences)
    facts = {name: tuple(map(spanned, records)) for name, records in annotation.facts.items()}
    return Annotation(sentences, tuple(map(spanned, annotation.mentions)), facts)


def renumber(record, offset: int):
    # a Mention or an extractor's record of a piece, its sent_id counted from the document's start
    return replace(record, sent_id=record.sent_id + offset)


def join_records(pieces: Iterable[tuple[Sequence, int]]) -> list:
    """The records (mentions, or an extractor's) of a document's pieces, given as (records, sentence count)
    each, sent_id counted from the document's start."""
    records: list = []
    sentences = 0
    for piece_records, piece_sentences in pieces:
        records.extend(renumber(_, sentences) if sentences else _ for _ in piece_records)
        sentences += piece_sentences
    return records


def join_facts(pieces: Sequence[tuple[Mapping[str, tuple], int]]) -> dict[str, tuple]:
    """The facts of a document's pieces, given as (facts, sentence count) each: each table's records joined."""
    names = dict.fromkeys(name for facts, _ in pieces for name in facts)
    return {name: tuple(join_records((facts.get(name, ()), count) for facts, count in pieces)) for name in names}


def build_document(item: Text, annotations: Sequence[Annotation], aliases=None) -> Document:
    """One Document from the annotations of its pieces, in order, its mentions grouped into entities
    (`aliases`: the table of names that link; default the built-in one)."""
    sentences = tuple(sentence for annotation in annotations for sentence in annotation.sentences)
    pieces = ((annotation.mentions, len(annotation.sentences)) for annotation in annotations)
    mentions, entities = group_mentions(join_records(pieces), aliases=aliases)
    facts = join_facts([(annotation.facts, len(annotation.sentences)) for annotation in annotations])
    meta = dict(item.meta)
    return Document(item.id or "", item.text, sentences, mentions, item.source or "", meta, entities, facts)
