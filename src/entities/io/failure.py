"""Failures: input documents that did not make it into the tables, one row each of the errors table."""

from __future__ import annotations

from dataclasses import dataclass

READ = "read"  # the file or record can not be read: unreadable, malformed, no text field, duplicate id
DECODE = "decode"  # the bytes are not text in a known encoding
EXTRACT = "extract"  # the pipeline raised on the document
MAX_CHARS = 300


@dataclass(frozen=True, slots=True)
class Failure:
    """A document of the input that is in the errors table instead of the results."""

    doc_id: str
    source: str
    stage: str
    error: str


def one_line(error: BaseException | str) -> str:
    """'ValueError: bad\\n  value' -> 'ValueError: bad value', at most MAX_CHARS characters."""
    text = error if isinstance(error, str) else f"{type(error).__name__}: {error}"
    text = " ".join(text.split())
    return text if len(text) <= MAX_CHARS else text[: MAX_CHARS - 1] + "…"
