"""The files of a folder to read, below it, in sorted order, and those of no format read.

news/a.txt  news/B.TXT  wire.jsonl.gz  f.zip  i.parquet   read (`compression.file_kind`)
notes.docx  scan.pdf                                         skipped: named in one line
.DS_Store  .git/HEAD                                         hidden: neither read nor named, unless of a format read
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import NamedTuple

from .compression import file_kind
from .encoding import path_text


def hidden(name: str) -> bool:
    """'.DS_Store', '.git/HEAD': a file no one means as an input."""
    return any(part.startswith(".") for part in name.split("/"))


class Listing(NamedTuple):
    """A folder's files to read, as (doc_id, file) in sorted order, and the files of no format read."""

    files: list[tuple[str, Path | OSError]]  # an OSError: a folder below that could not be listed
    skipped: list[str]


def directory_files(path: Path, named: frozenset[str] = frozenset()) -> Listing:
    """Every file below `path` of a format read (`file_kind`), but those `named` (absolute paths given as
    inputs of their own); the others, hidden ones aside, as skipped."""
    found: list[tuple[str, Path | OSError]] = []
    skipped: list[str] = []

    def unlisted(error: OSError) -> None:
        folder = Path(error.filename)
        found.append((path_text((path if folder == path else folder.relative_to(path)).as_posix()), error))

    for folder, _, names in os.walk(path, onerror=unlisted):
        for name in names:  # a broken link too: its failure to read is reported
            file = Path(folder, name)
            doc_id = path_text(file.relative_to(path).as_posix())
            if file_kind(name) is None:
                skipped.extend([] if hidden(doc_id) else [doc_id])
            elif os.path.abspath(file) not in named:
                found.append((doc_id, file))
    return Listing(sorted(found, key=lambda entry: entry[0]), sorted(skipped))
