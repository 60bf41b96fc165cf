"""Aliases: places and bodies known by several names, linked to one canonical name and a stable key.

    'КНР', 'Китай', 'Китайская Народная Республика'  -> Китай, key iso:CN
    'РФ', 'Российская Федерация'                     -> Россия, key iso:RU
    'НАТО', 'Североатлантический альянс'              -> НАТО, key org:NATO

A mention matches by its normal form (the nominative: 'Китая' matches as 'Китай'), letter case and ё
aside. The built-in table (`builtin`) has every country by its Russian names from the Unicode CLDR
(babel) and ISO 3166 (pycountry's Russian translations, common and official), and a curated table
in the package (data/aliases.csv) for what they lack: acronyms, informal names, Russia's regions
and the major international organizations. A user's table (`read_aliases`, `--aliases FILE`) of
`alias,canonical[,type]` rows comes before it.

A user's file may start with a header of any names: the first row is one when it is not a name pair of
the kind every row below is (see `is_header`). A name linked to two canonical names keeps the first,
with a warning naming both lines.
"""

from __future__ import annotations

import csv
import gettext
import io
import logging
import re
from collections.abc import Iterable, Mapping
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import NamedTuple

from ..errors import InputError
from ..io.encoding import DecodeError, decode
from ..records import LOC, TYPES

log = logging.getLogger(__name__)
HEADER = ["alias", "canonical"]  # the header the docs show; any other is told by its shape (is_header)
CYRILLIC = re.compile("[а-яё]", re.IGNORECASE)


class Alias(NamedTuple):
    """What a name links to: the canonical name and the key of the place or body."""

    canonical: str
    key: str


def fold_name(text: str) -> str:
    # 'Соединённые  Штаты' and 'соединенные штаты' are one name
    return " ".join(text.lower().replace("ё", "е").split())


class Aliases:
    """Names by type -> Alias. `find` is the lookup; `add` keeps the first link of a name, and returns it."""

    def __init__(self, entries: Iterable[tuple[str, str, Alias]] = ()):
        self.names: dict[tuple[str, str], Alias] = {}
        for type_, name, alias in entries:
            self.add(type_, name, alias)

    def add(self, type_: str, name: str, alias: Alias) -> Alias:
        return self.names.setdefault((type_, fold_name(name)), alias)

    def find(self, type_: str, normal: str) -> Alias | None:
        return self.names.get((type_, fold_name(normal)))

    def __add__(self, other: Aliases) -> Aliases:
        joined = Aliases()
        joined.names = {**other.names, **self.names}  # self first
        return joined

    def __len__(self) -> int:
        return len(self.names)

    def __repr__(self) -> str:
        # the same links, the same text: a run's options compare by it (Dask --resume)
        return f"Aliases({sorted(self.names.items())!r})"

    def __eq__(self, other) -> bool:
        return isinstance(other, Aliases) and self.names == other.names


def curated_rows() -> list[dict]:
    text = files("entities").joinpath("data/aliases.csv").read_text(encoding="utf-8")
    return list(csv.DictReader(io.StringIO(text)))


def country_names() -> dict[str, list[str]]:
    """ISO code -> the Russian names of the country: CLDR's (babel), ISO 3166's common and official
    (pycountry's Russian translations). 'Мьянма (Бирма)' gives both names."""
    import pycountry
    from babel import Locale

    cldr = Locale("ru").territories
    iso = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["ru"], fallback=True)
    names: dict[str, list[str]] = {}
    for country in pycountry.countries:
        found = [cldr.get(country.alpha_2, ""), iso.gettext(country.name)]
        found += [iso.gettext(country.official_name)] if hasattr(country, "official_name") else []
        names[country.alpha_2] = [one for name in found for one in split_names(name)]
    return names


def split_names(name: str) -> list[str]:
    # 'Мьянма (Бирма)' -> ['Мьянма', 'Бирма']; Latin (an untranslated name) and 'Конго - Киншаса' are left out
    if not name or " - " in name or not any("а" <= char.lower() <= "я" for char in name):
        return []
    return [one.strip() for one in name.replace(")", "").split("(") if one.strip()]


@cache
def builtin() -> Aliases:
    """The built-in table, built once per process on first use."""
    aliases = Aliases()
    curated = curated_rows()
    canonical = {row["key"]: row["canonical"] for row in curated}
    for row in curated:
        for name in [row["canonical"], *row["aliases"].split("|")]:
            aliases.add(row["type"], name, Alias(row["canonical"], row["key"]))
    for code, names in country_names().items():
        key = f"iso:{code}"
        if names:
            alias = Alias(canonical.get(key, names[0]), key)
            for name in names:
                aliases.add(LOC, name, alias)
    return aliases


def read_aliases(source: str | Path | Iterable[Mapping | Iterable[str]], encoding: str | None = None) -> Aliases:
    """A user's aliases: a CSV file (or rows) of `alias,canonical[,type]`; type is PER, LOC, ORG or
    empty (any type). A header row may come first (`alias,canonical,type`, `name,target`: see
    `is_header`). The key of such a link is `user:` and the canonical name. A file is decoded in
    `encoding`, else as inputs are (a BOM, UTF-8, cp1251...). A malformed row is an InputError naming
    its line; a name linked twice keeps its first link, with a warning."""
    rows = csv_rows(source, encoding) if isinstance(source, (str, Path)) else list(enumerate(source, 1))
    named = bool(rows) and isinstance(rows[0][1], Mapping)  # a csv.DictReader's: its header is read
    rows = [(line, [str(_).strip() for _ in (row.values() if isinstance(row, Mapping) else row)]) for line, row in rows]
    if rows and not named and is_header(rows[0][1], [fields for _, fields in rows[1:]]):
        if [_.lower() for _ in rows[0][1][:2]] != HEADER:  # the documented header goes without a word
            log.info(f"{name_of(source)}: line {rows[0][0]} ({','.join(rows[0][1])}) taken as a header, not an alias")
        rows = rows[1:]
    aliases = Aliases()
    lines: dict[tuple[str, str], int] = {}  # (type, folded name) -> the line that linked it
    for line, fields in rows:
        type_ = checked_type(source, line, fields)
        alias = Alias(fields[1], f"user:{fields[1]}")
        links = [link(aliases, lines, kind, fields, alias, line) for kind in ([type_] if type_ else TYPES)]
        other = next(((kept, first) for kept, first in links if kept != alias), None)
        if other:
            log.warning(f"{name_of(source)}: {fields[0]!r} is linked to {other[0].canonical!r} on line {other[1]} "
                        f"and to {alias.canonical!r} on line {line}; the first is kept")  # fmt: skip
    return aliases


def link(aliases: Aliases, lines: dict, kind: str, fields: list[str], alias: Alias, line: int) -> tuple[Alias, int]:
    """Links the row's alias and canonical name; what the alias links to, and from which line."""
    for name in reversed(fields[:2]):  # the alias last: its line is the one returned
        kept = aliases.add(kind, name, alias)
        first = lines.setdefault((kind, fold_name(name)), line)
    return kept, first


def checked_type(source, line: int, fields: list[str]) -> str:
    """The row's type ('' for any), or an InputError naming the line."""
    if len(fields) not in (2, 3) or not fields[0] or not fields[1]:
        raise InputError(f"{source}: line {line}: expected alias,canonical[,type], got {','.join(fields)!r}")
    type_ = fields[2].upper() if len(fields) == 3 else ""
    if type_ not in (*TYPES, ""):
        raise InputError(f"{source}: line {line}: the type must be PER, LOC, ORG or empty, got {fields[2]!r}")
    return type_


def is_header(first: list[str], below: list[list[str]]) -> bool:
    """Whether the first row names the columns: it is `alias,canonical`, or it is not a name pair of the
    kind every row below is. Rows of names have a capital letter, Cyrillic letters, a type (or none)
    in the third field; a header lacks one of these: 'name,target', 'Name,Target', 'псевдоним,имя',
    'Псевдоним,Имя,Тип'. No row below: only `alias,canonical` is a header."""
    if [_.lower() for _ in first[:2]] == HEADER:
        return True
    return bool(below) and any(not kind(first) and all(map(kind, below)) for kind in (capitalized, cyrillic, typed))


def capitalized(fields: list[str]) -> bool:
    return any(char.isupper() for field in fields[:2] for char in field)  # 'ВВП', 'фон дер Ляйен'


def cyrillic(fields: list[str]) -> bool:
    return any(CYRILLIC.search(field) for field in fields[:2])


def typed(fields: list[str]) -> bool:
    return len(fields) < 3 or fields[2].upper() in (*TYPES, "")


def name_of(source) -> str:
    return str(source) if isinstance(source, (str, Path)) else "aliases"


def csv_rows(path: str | Path, encoding: str | None = None) -> list[tuple[int, list[str]]]:
    try:
        data = Path(path).read_bytes()
    except OSError as error:
        raise InputError(f"{path}: can not read the aliases ({error.strerror})") from None
    try:
        text = decode(data, encoding)
    except DecodeError as error:  # its hint names the option for the aliases
        raise InputError(f"{path}: the aliases are {error}".replace("--encoding", "--aliases-encoding")) from None
    rows = csv.reader(io.StringIO(text, newline=""))
    return [(number, row) for number, row in enumerate(rows, 1) if row and any(_.strip() for _ in row)]


def user_first(user: Aliases | None) -> Aliases:
    """The table a run uses: the user's links first, then the built-in ones. A user's canonical name
    the built-in table knows takes its key: 'Незалежная,Украина' links to iso:UA."""
    if not user:
        return builtin()
    known = builtin()
    linked = Aliases()
    for (type_, name), alias in user.names.items():
        found = known.find(type_, alias.canonical)
        linked.add(type_, name, Alias(alias.canonical, found.key) if found else alias)
    return linked + known
