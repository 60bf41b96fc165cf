"""The extractors every run applies, in the order of their tables."""

from __future__ import annotations

from .dates import DATES
from .extractor import Extractor, Passage
from .money import MONEY

EXTRACTORS: tuple[Extractor, ...] = (DATES, MONEY)
NAMES = tuple(extractor.name for extractor in EXTRACTORS)  # their tables


def found_facts(passage: Passage) -> dict[str, tuple]:
    """Every extractor's records of a passage: table name -> records."""
    return {extractor.name: tuple(extractor.find(passage)) for extractor in EXTRACTORS}
