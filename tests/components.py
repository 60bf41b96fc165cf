"""Components a user might plug into a Pipeline, at module level so that worker processes unpickle them."""

from __future__ import annotations

from entities.text.segment import Segment, Span, segment


class CapitalNER:
    """A tiny NER model: every word that starts with a capital letter is an organization of its own."""

    def __call__(self, sentences: list[list[str]]) -> list[list[str]]:
        return [["B-ORG" if word[:1].isupper() else "O" for word in words] for words in sentences]


def one_sentence(text: str, offset: int = 0) -> list[Segment]:
    """A segmenter that takes the whole text as one sentence (razdel's tokens)."""
    found = segment(text, offset)
    if not found:
        return found
    start, stop = found[0].sentence.start, found[-1].sentence.stop
    whole = Span(start, stop, text[start - offset : stop - offset])
    return [Segment(whole, [token for part in found for token in part.tokens])]
