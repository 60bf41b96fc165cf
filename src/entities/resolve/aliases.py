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
"""

from __future__ import annotations

import csv
import gettext
import io
from collections.abc import Iterable, Mapping
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import NamedTuple

from ..errors import InputError
from ..records import LOC, TYPES


class Alias(NamedTuple):
    """What a name links to: the canonical name and the key of the place or body."""

    canonical: str
    key: str


def fold_name(text: str) -> str:
    # 'Соединённые  Штаты' and 'соединенные штаты' are one name
    return " ".join(text.lower().replace("ё", "е").split())


class Aliases:
    """Names by type -> Alias. `find` is the lookup; `add` keeps the first link of a name."""

    def __init__(self, entries: Iterable[tuple[str, str, Alias]] = ()):
        self.names: dict[tuple[str, str], Alias] = {}
        for type_, name, alias in entries:
            self.add(type_, name, alias)

    def add(self, type_: str, name: str, alias: Alias) -> None:
        self.names.setdefault((type_, fold_name(name)), alias)

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


def read_aliases(source: str | Path | Iterable[Mapping | Iterable[str]]) -> Aliases:
    """A user's aliases: a CSV file (or rows) of `alias,canonical[,type]`; type is PER, LOC, ORG or
    empty (any type). A header row `alias,canonical,type` may come first. The key of such a link
    is `user:` and the canonical name. A malformed row is an InputError naming its line."""
    rows = csv_rows(source) if isinstance(source, (str, Path)) else enumerate(source, 1)
    aliases = Aliases()
    for line, row in rows:
        fields = [str(_).strip() for _ in (row.values() if isinstance(row, Mapping) else row)]
        if line == 1 and [_.lower() for _ in fields[:2]] == ["alias", "canonical"]:
            continue
        if len(fields) not in (2, 3) or not fields[0] or not fields[1]:
            raise InputError(f"{source}: line {line}: expected alias,canonical[,type], got {','.join(fields)!r}")
        type_ = fields[2].upper() if len(fields) == 3 else ""
        if type_ not in (*TYPES, ""):
            raise InputError(f"{source}: line {line}: the type must be PER, LOC, ORG or empty, got {fields[2]!r}")
        alias = Alias(fields[1], f"user:{fields[1]}")
        for kind in [type_] if type_ else TYPES:
            aliases.add(kind, fields[0], alias)
            aliases.add(kind, fields[1], alias)
    return aliases


def csv_rows(path: str | Path) -> Iterable[tuple[int, list[str]]]:
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except OSError as error:
        raise InputError(f"{path}: can not read the aliases ({error.strerror})") from None
    except UnicodeDecodeError as error:
        raise InputError(f"{path}: the aliases are not UTF-8 text ({error.reason} at byte {error.start})") from None
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
