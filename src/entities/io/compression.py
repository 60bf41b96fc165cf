"""What a file's name says of its bytes: the format inside ('News.JSONL.gz' -> '.jsonl') and the
compression around it, opened as a stream that decompresses as it is read.

    a.txt  A.TXT  a.txt.gz  news.jsonl.bz2  lenta-ru-news.csv.xz  i.parquet   one input file each
    f.zip  h.tar  h.tar.gz  h.tgz  h.tar.bz2  h.tar.xz                         archives of them (`archive`)

A Parquet file is not read compressed (pyarrow seeks in it; it compresses its own pages).
"""

from __future__ import annotations

import bz2
import gzip
import lzma
import tarfile
import zipfile
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import PurePosixPath
from typing import Any, BinaryIO

COMPRESSIONS: dict[str, Callable[..., Any]] = {".gz": gzip.open, ".bz2": bz2.open, ".xz": lzma.open}
FORMATS = (".txt", ".jsonl", ".csv", ".tsv", ".parquet")
ARCHIVES = (".zip", ".tar", ".tgz", ".tbz2", ".txz", ".tar.gz", ".tar.bz2", ".tar.xz")
ARCHIVE = "archive"
# what a damaged compressed file or archive raises as it is read (gzip.BadGzipFile, bz2's OSError too;
# RuntimeError: a zip member behind a password)
DAMAGED = (OSError, EOFError, zlib.error, lzma.LZMAError, zipfile.BadZipFile, tarfile.TarError, RuntimeError)


def compression(name: str) -> str | None:
    """'news.jsonl.GZ' -> '.gz'; 'a.txt' -> None."""
    return next((suffix for suffix in COMPRESSIONS if name.lower().endswith(suffix)), None)


def file_kind(name: str) -> str | None:
    """The format of a file by its name, whatever the case: '.txt', '.jsonl', '.csv', '.tsv', '.parquet',
    'archive', or None for a file of no format read ('x.docx', 'a.parquet.gz')."""
    lower = name.lower()
    if lower.endswith(ARCHIVES):
        return ARCHIVE
    packed = compression(lower)
    inner = PurePosixPath(lower[: -len(packed)] if packed else lower).suffix
    if inner not in FORMATS or (packed and inner == ".parquet"):
        return None
    return inner


@contextmanager
def decompressed(opener: Callable[[], BinaryIO], name: str) -> Iterator[BinaryIO]:
    """The bytes `opener` gives (a file, an archive's member), decompressed as `name` says, as a stream."""
    packed = compression(name)
    with opener() as raw:
        if packed is None:
            yield raw
        else:
            with COMPRESSIONS[packed](raw, "rb") as stream:
                yield stream


def damage(error: Exception, name: str) -> str:
    """A damaged file's error as one line, named by the suffix of the file or the archive it is in:
    'can not read its .gz data (Compressed file ended before …): …'."""
    packed = next((suffix for part in reversed(name.lower().split("/")) for suffix in (*ARCHIVES, *COMPRESSIONS)
                   if part.endswith(suffix)), "compressed")  # fmt: skip
    return f"can not read its {packed} data ({error}): damaged, cut short, or not what its suffix says"
