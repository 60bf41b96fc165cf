"""Are two output folders the same tables? Every table of `entities extract`, compared as Arrow tables:
the same columns and types, the same values, in the same row order.

    python benchmarks/same_tables.py BEFORE AFTER [BEFORE AFTER ...]

Each folder is what a run wrote (any format; with --engine dask, Parquet datasets): for a change that must
not change the output, run the command before and after it on the same inputs and options, and compare.
Exits 1 when a pair differs, naming each table that does and how.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pyarrow as pa
import pyarrow.dataset as ds

import entities


def arrow_table(path: Path) -> pa.Table:
    if path.is_dir() or path.suffix == ".parquet":
        return ds.dataset(path, format="parquet").to_table()
    return pa.Table.from_pandas(entities.read_tables(path.parent)[path.name.split(".")[0]], preserve_index=False)


def tables(out: Path) -> dict[str, pa.Table]:
    import json

    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    return {name: arrow_table(out / file) for name, file in manifest["tables"].items()}


def differences(before: Path, after: Path) -> list[str]:
    old, new = tables(before), tables(after)
    found = [f"tables: {sorted(old)} then {sorted(new)}"] if sorted(old) != sorted(new) else []
    for name in sorted(set(old) & set(new)):
        one, other = old[name], new[name]
        if one.schema.remove_metadata() != other.schema.remove_metadata():
            found.append(
                f"{name}: columns {one.schema.names} {one.schema.types} then {other.schema.names} {other.schema.types}"
            )
        elif not one.equals(other):
            found.append(f"{name}: {one.num_rows} rows then {other.num_rows}, values or order differ")
    return found


def main() -> None:
    folders = [Path(_) for _ in sys.argv[1:]]
    if not folders or len(folders) % 2:
        sys.exit(__doc__)
    failed = False
    for before, after in zip(folders[::2], folders[1::2], strict=True):
        found = differences(before, after)
        rows = sum(table.num_rows for table in tables(after).values())
        print(f"{before} = {after}: " + ("same, " + f"{rows} rows in all" if not found else "DIFFERENT"))
        for line in found:
            print("  " + line)
        failed = failed or bool(found)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
