"""Properties of any text through the public Pipeline: no exception, offsets inside the text and
equal to the records' text, sentences, tokens and mentions in order and not overlapping, every
token inside its sentence and every mention inside its sentence."""

from itertools import pairwise

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from entities import Text
from entities.mentions.annotation import build_document
from entities.text.piece import piece_bounds, split_text

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

WORDS = [
    "Игорь", "Бабушкин", "Астраханской", "области", "Москве", "Мария", "Захарова", "МИД", "России", "в", "и",
    "встретился", "с", "послом", "ОАО", "«РЖД»", "Санкт-Петербург", "Ё", "ёлка", "Путин", "В.", "В.", "iPhone",
    "café", "中国", "Ελλάδα", "العربية", "🇷🇺", "👍🏽", "❤️", "👨‍👩‍👧", "🔥", "\u200b", "\u0301", "\ufeff", "№", "5",
    "\xad", "\u200d", "\u2060", "\u0308", "Наваль\xadным", "Москве\u0301", "Фе\u0308дор", "Пу\u200bтин", "x\u0308",
]  # fmt: skip
GAPS = [
    " ",
    " ",
    " ",
    "\n",
    "\n\n",
    "\t",
    "\xa0",
    ", ",
    ". ",
    "! ",
    "? ",
    "... ",
    " — ",
    ": ",
    ";",
    "\r\n",
    "\u2028",
    "",
]

russian_mix = st.lists(st.tuples(st.sampled_from(WORDS), st.sampled_from(GAPS)), max_size=80).map(
    lambda pairs: "".join(word + gap for word, gap in pairs)
)
any_unicode = st.text(max_size=300)  # every code point but lone surrogates, which no decoded file holds
with_surrogates = st.text(st.characters(codec=None, exclude_categories=()), max_size=100)


def check_document(doc, text):
    assert doc.text == text
    previous = 0
    for sentence in doc.sentences:
        assert previous <= sentence.start < sentence.stop <= len(text)
        assert text[sentence.start : sentence.stop] == sentence.text
        previous = sentence.stop
        stop = sentence.start
        for token in sentence.tokens:
            assert stop <= token.start < token.stop <= sentence.stop  # inside its sentence, in order
            assert text[token.start : token.stop] == token.text
            stop = token.stop
    previous = 0
    for mention in doc.mentions:
        assert previous <= mention.start < mention.stop <= len(text)  # in order, no overlap
        assert text[mention.start : mention.stop] == mention.text
        sentence = doc.sentences[mention.sent_id]
        assert sentence.start <= mention.start and mention.stop <= sentence.stop
        assert 0 <= mention.entity_id < len(doc.entities)
        previous = mention.stop


@SETTINGS
@given(text=any_unicode)
def test_any_unicode_text(nlp, text):
    check_document(nlp(text), text)


@SETTINGS
@given(text=russian_mix)
def test_russian_words_punctuation_newlines_and_emoji(nlp, text):
    check_document(nlp(text), text)


@settings(max_examples=30, deadline=None)
@given(text=with_surrogates)
def test_lone_surrogates_do_not_break_the_library(nlp, text):
    check_document(nlp(text), text)


@settings(max_examples=30, deadline=None)
@given(texts=st.lists(russian_mix, min_size=1, max_size=6), batch_size=st.integers(1, 4))
def test_batched_documents_equal_single_ones(nlp, texts, batch_size):
    batched = list(nlp.pipe([Text(text, str(number)) for number, text in enumerate(texts)], batch_size=batch_size))
    for doc, text in zip(batched, texts, strict=True):
        check_document(doc, text)
        assert doc.mentions == nlp(text).mentions


@settings(max_examples=200, deadline=None)
@given(text=st.one_of(any_unicode, russian_mix), limit=st.integers(1, 60))
def test_pieces_cover_the_text_and_stay_under_the_limit(text, limit):
    bounds = piece_bounds(text, limit)
    assert bounds[0][0] == 0 and bounds[-1][1] == len(text)
    assert all(stop == start for (_, stop), (start, _) in pairwise(bounds))
    assert all(0 <= stop - start <= limit for start, stop in bounds)


@SETTINGS
@given(text=st.one_of(any_unicode, russian_mix), limit=st.integers(8, 80))
def test_documents_cut_in_pieces_keep_exact_offsets(nlp, text, limit):
    # what a document past PIECE_CHARS goes through, on small texts with a small limit
    pieces = split_text("x", text, limit)
    check_document(build_document(Text(text, "x"), nlp.annotate(pieces)), text)
