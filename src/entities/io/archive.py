"""The members of a .zip or .tar archive (.tar.gz, .tgz, .tar.bz2, .tar.xz), one at a time, in the
archive's order: a member is read while the archive is open and never extracted to disk, and a
tar archive is decompressed as it is walked, never held whole.

Folders, links and the `__MACOSX/` resource forks a Mac adds to a zip are not members here. A zip
member's name without the zip's UTF-8 flag is UTF-8 when its bytes are, else cp866 when that reads as
Cyrillic (archives made on Russian Windows), else cp437, as the zip format says (`zip_name`).
"""

from __future__ import annotations

import tarfile
import zipfile
from collections.abc import Callable, Iterator
from typing import BinaryIO

from .encoding import path_text

UTF8_FLAG = 0x800  # bit 11 of a zip entry's flags: its name is UTF-8
CYRILLIC = range(0x400, 0x500)

Opener = Callable[[], BinaryIO]


def file_opener(path: str) -> Opener:
    """The opener of a file on disk."""
    return lambda: open(path, "rb")


def members(path: str) -> Iterator[tuple[str, Opener]]:
    """(name, opener) of each file in the archive: 'inner/g.txt'; the opener gives its bytes while the
    archive is open (before the next member is asked for). Raises what a damaged archive raises."""
    if path.lower().endswith(".zip"):
        yield from zip_members(path)
    else:
        yield from tar_members(path)


def zip_members(path: str) -> Iterator[tuple[str, Opener]]:
    with zipfile.ZipFile(path) as archive:
        for info in archive.infolist():
            if not info.is_dir() and not info.filename.startswith("__MACOSX/"):
                yield path_text(zip_name(info)), lambda info=info: archive.open(info)  # type: ignore[misc]


def zip_name(info: zipfile.ZipInfo) -> str:
    """The member's name: 'Новости/1.txt' whether Russian Windows wrote it in cp866 without the UTF-8
    flag (zipfile reads it as cp437: 'ì«ó«ßΓ¿/1.txt'), or a tool wrote UTF-8 without it."""
    if info.flag_bits & UTF8_FLAG or info.filename.isascii():
        return info.filename
    data = info.filename.encode("cp437")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    name = data.decode("cp866")
    return name if all(char.isascii() or ord(char) in CYRILLIC for char in name) else info.filename


def tar_members(path: str) -> Iterator[tuple[str, Opener]]:
    with tarfile.open(path, "r:*") as archive:
        for member in archive:
            if member.isfile():
                yield path_text(member.name.removeprefix("./")), lambda member=member: archive.extractfile(member)  # type: ignore[misc]
