"""Gold annotation: the records every reader gives, the formats (read by entities.evaluation.readers), and the
maps of a corpus's types to PER/LOC/ORG.

    factru  a FactRuEval set directory (`gold/factru/testset`), read by entities.evaluation.factru; its mapping is fixed
    brat    a directory of brat standoff pairs (`a.txt` + `a.ann`, below it, recursively), or one document:
            its .ann or its .txt (entities.evaluation.brat)
    conll   a CoNLL / IOB2 file, whatever its suffix, or a directory of .conll/.conllu/.iob/.iob2/.bio/.tsv
            files (below it, recursively); a .conllu is CoNLL-U, its FORM column the token (entities.evaluation.conll)
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from ..errors import InputError
from ..records import LOC, ORG, PER, TYPES

GOLD_FORMATS = ("factru", "brat", "conll")

# brat and CoNLL: type names as corpora spell them (letter case aside); other types are dropped
COMMON_TYPES = {
    "PER": PER, "PERSON": PER, "PERS": PER,
    "LOC": LOC, "LOCATION": LOC, "GPE": LOC, "GEOPOLIT": LOC,
    "ORG": ORG, "ORGANIZATION": ORG, "ORGANISATION": ORG, "MEDIA": ORG,
}  # fmt: skip


@dataclass(frozen=True, slots=True)
class GoldMention:
    """A gold mention: `text[start:stop]`, PER/LOC/ORG, its coref chain, its gold normal form (None: unknown).

    Readers without coreference (brat, CoNLL) leave `chain` empty and `normal` None."""

    start: int
    stop: int
    type: str
    chain: str = ""
    normal: str | None = None


@dataclass(frozen=True, slots=True)
class GoldDocument:
    id: str
    text: str
    mentions: tuple[GoldMention, ...]

    def __repr__(self) -> str:
        return f"GoldDocument(id={self.id!r}, mentions={len(self.mentions)})"


def parse_entry(entry: str) -> tuple[str, str]:
    # 'GPE=LOC' -> ('GPE', 'LOC'); 'MISC=' -> ('MISC', ''): dropped
    name, sign, target = (_.strip() for _ in entry.partition("="))
    if not sign or not name or target.upper() not in (*TYPES, ""):
        raise InputError(f"--types-map: expected TYPE=PER, TYPE=LOC, TYPE=ORG or TYPE= (dropped), got {entry!r}")
    return name.upper(), target.upper()


def map_entries(value: str) -> list[str]:
    # a file of TYPE=TARGET lines (# comments), or 'PERSON=PER,GPE=LOC'
    path = Path(value)
    if path.is_file():
        lines = path.read_text(encoding="utf-8").splitlines()
        return [_.split("#")[0] for _ in lines if _.split("#")[0].strip()]
    return [_ for _ in value.split(",") if _.strip()]


def types_map(value: str | Mapping[str, str] | None, fmt: str) -> dict[str, str]:
    """The map from a corpus's type names (upper case) to PER/LOC/ORG ('' drops a type). None: the format's
    default. A given map replaces the default; types it does not name are dropped."""
    if fmt == "factru":
        if value:
            raise InputError("--types-map does not apply to factru: its mapping is fixed (see README, Evaluate)")
        return {}
    if value is None:
        return dict(COMMON_TYPES)
    entries = map_entries(value) if isinstance(value, str) else [f"{k}={v}" for k, v in value.items()]
    return dict(map(parse_entry, entries))


def map_type(types: Mapping[str, str], name: str) -> str | None:
    # 'Person' -> 'PER'; unknown or dropped -> None
    return types.get(name.upper()) or None


def split_lines(text: str) -> list[str]:
    # on \n and \r\n only: a U+2028 inside a text field stays in its line
    return [_.removesuffix("\r") for _ in text.split("\n")]
