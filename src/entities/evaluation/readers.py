"""Reading gold by format: paths -> GoldDocument records, each format (`gold.GOLD_FORMATS`) by its reader module,
factru, brat or conll. Above the readers, which take their records from entities.evaluation.gold."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path

from ..errors import InputError
from . import brat, conll, factru
from .gold import GOLD_FORMATS, GoldDocument, types_map


def read_format(path: Path, fmt: str, types: Mapping[str, str]) -> list[GoldDocument]:
    if fmt == "factru":
        return factru.read_corpus(path, ties="first")  # of equal spans the first object's, as naeval
    return {"brat": brat, "conll": conll}[fmt].read_corpus(path, types)


def read_path(path: Path, fmt: str, types: Mapping[str, str]) -> list[GoldDocument]:
    if not path.exists():
        raise InputError(f"{path}: no such file or directory")
    documents = read_format(path, fmt, types)
    if not documents:
        raise InputError(f"{path}: no {fmt} documents found (see entities evaluate --help)")
    return documents


def read_gold(paths: str | Path | Iterable[str | Path], fmt: str = "factru", types=None) -> list[GoldDocument]:
    """Gold documents from one or more paths in one format (`GOLD_FORMATS`), their types mapped to PER/LOC/ORG by
    `types` (a mapping, `'PERSON=PER,GPE=LOC'`, a file of such lines, or None for the format's default)."""
    if fmt not in GOLD_FORMATS:
        raise InputError(f"unknown gold format {fmt!r}: expected one of {', '.join(GOLD_FORMATS)}")
    paths = [paths] if isinstance(paths, (str, Path)) else list(paths)
    mapping = types_map(types, fmt)
    return [document for path in paths for document in read_path(Path(path), fmt, mapping)]
