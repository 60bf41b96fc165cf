"""Writing tables as CSV, Parquet or JSON Lines, one file per table."""

from __future__ import annotations

from pathlib import Path
from typing import Mapping

from .errors import OutputError

FORMATS = ("csv", "parquet", "jsonl")


def write_frame(frame, path: Path, fmt: str) -> None:
    if fmt == "csv":
        frame.to_csv(path, index=False)
    elif fmt == "parquet":
        frame.to_parquet(path, index=False)
    else:
        frame.to_json(path, orient="records", lines=True, force_ascii=False)


def prepare(out: Path) -> None:
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise OutputError(f"{out}: can not create the output directory ({error.strerror})") from None


def write_tables(frames: Mapping, out: Path, fmt: str = "csv") -> dict[str, Path]:
    """Write each frame to out/NAME.FMT; returns the paths written."""
    if fmt not in FORMATS:
        raise OutputError(f"unknown format {fmt!r} (expected one of {', '.join(FORMATS)})")
    prepare(out)
    paths = {}
    for name, frame in frames.items():
        path = out / f"{name}.{fmt}"
        try:
            write_frame(frame, path, fmt)
        except OSError as error:
            raise OutputError(f"{path}: can not write ({error.strerror})") from None
        paths[name] = path
    return paths
