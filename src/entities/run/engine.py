"""What both engines share around their scheduling: the settings of a run, and its course.

The output folder is locked for the run (another run on it is a Busy error); the engine stages the
inputs' rows chunk by chunk (`staging`); the chunks are merged into the final tables (`merge`), which
replace the folder's tables as a set (`folder.publish`). An error or a stop leaves the staged chunks
for --resume and says so in one line. The local engine (`local`) and the Dask one (`cluster`) differ
only in how they schedule the work (batches in worker processes, partitions on a cluster) and how
they stage it (`staging.Staging`, `staging.Partitions`).
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import suppress
from pathlib import Path
from typing import NamedTuple, TypeVar

from ..errors import EntitiesError, InputError, Interrupted, file_limit
from ..facts.catalog import NAMES
from ..io.encoding import path_text
from ..io.writer import prepare
from ..records import TYPES
from ..timeline import DATE_FIELD, Dating
from .folder import Lock, publish
from .merge import Merged
from .signals import Stop, last
from .staging import Staged

TOP = 3
CHUNK_CHARS = 1_000_000  # input characters per committed chunk: what an interrupted run may have to redo
StagedT = TypeVar("StagedT", bound=Staged)  # an engine's own staging: Staging (local) or Partitions (Dask)


class Settings(NamedTuple):
    """How `entities extract` runs, besides what it reads and where it writes."""

    batch_size: int = 32
    workers: int = 1
    progress: bool = False
    strict: bool = False
    resume: bool = False
    chunk_chars: int = CHUNK_CHARS
    aliases: object = None  # the user's aliases.Aliases (--aliases FILE), or None
    pipeline: object = None  # a Pipeline of the caller's components; None: one of batch_size, aliases, dating, syntax
    dating: Dating = Dating()  # the documents' date field (--date-field) and the timeline's --period
    syntax: bool = False  # --syntax: the tokens' heads and relations

    def make_pipeline(self):
        from ..pipeline import Pipeline

        return self.pipeline or Pipeline(batch_size=self.batch_size, aliases=self.aliases, date_field=self.dating.field,
                                         syntax=self.syntax)  # fmt: skip


def not_ours(error: Exception) -> EntitiesError | None:
    """An error of the engine's machinery (a dead worker, a lost cluster) as one line; None: a bug, raised as it is."""
    return None


def stage_and_publish(out: Path, open_staging: Callable[[], StagedT], schedule: Callable[[StagedT], None],
                      build: Callable[[StagedT, str], Merged], fmt: str,
                      lost: Callable = not_ours) -> Merged:  # fmt: skip
    """Lock `out`, stage the run (`schedule` fills what `open_staging` gives), build the final tables
    and put them in `out` as a set."""
    made = not out.exists()
    prepare(out)
    with Lock(out):
        staged = open_staging()
        try:
            schedule(staged)
            merged = build(staged, fmt)
            read_any = bool(merged.rows.get("documents") or merged.rows.get("errors"))
            with last():
                paths = publish(out, merged, fmt, staged.root / "replaced") if read_any else {}
                staged.remove()
        except Stop as stop:
            staged.abandon()
            raise Interrupted(stop.message + staged.kept(stop), stop.exit_code) from None
        except KeyboardInterrupt as stop:  # not a signal: the code of a run that raised it
            staged.abandon()
            raise Interrupted("interrupted" + staged.kept(stop)) from None
        except EntitiesError as error:
            staged.abandon()
            error = file_limit(error) or error  # a table that can not be written for want of a file descriptor
            error.args = (f"{error}{staged.kept(error)}",)
            raise error from None
        except Exception as error:
            staged.abandon()
            found = file_limit(error) or lost(error)
            if found is None:
                raise
            found.args = (f"{found}{staged.kept(found)}",)
            raise found from None
        except BaseException:
            staged.abandon()
            raise
    if not read_any:  # inputs that held no document (an empty .jsonl with --engine dask): the last run's tables stay
        if made:
            with suppress(OSError):
                out.rmdir()
        raise InputError(f"no document to read in the inputs (see --help for the inputs read); "
                         f"{path_text(str(out))} is left as it was")  # fmt: skip
    return merged._replace(paths=paths)


def summary(merged: Merged) -> str:
    """The closing lines: documents, sentences, tokens, mentions, facts, most mentioned entities.

    Every mention belongs to one corpus entity, so their counts add up to the mentions.
    """
    documents, corpus_entities = merged.documents, merged.corpus_entities
    mentions = corpus_entities.groupby("type")["n_mentions"].sum()
    by_type = ", ".join(f"{type_} {mentions.get(type_, 0)}" for type_ in TYPES)
    lines = [
        f"{len(documents)} documents, {documents['n_sentences'].sum()} sentences, "
        f"{documents['n_tokens'].sum()} tokens, {mentions.sum()} mentions ({by_type}), "
        + ", ".join(f"{merged.rows.get(name, 0)} {name}" for name in NAMES),  # 12 dates, 3 money
    ]
    ranked = corpus_entities.sort_values(["n_mentions", "corpus_id"], ascending=[False, True])
    for type_ in TYPES:
        top = ranked[ranked["type"] == type_].head(TOP)
        if len(top):
            lines.append(f"  {type_}: " + ", ".join(f"{row.canonical} ({row.n_mentions})" for row in top.itertuples()))
    if DATE_FIELD in documents:
        lines.append(dates_line(documents))
    lines.append("wrote " + ", ".join(str(path) for path in dict.fromkeys(merged.paths.values())))  # duckdb: one
    return "\n".join(lines)


def dates_line(documents) -> str:
    """'dated: 120 documents, 2020-07-01 to 2020-12-31; 2 dates did not parse (left empty)'"""
    dates = documents[DATE_FIELD].dropna()
    line = f"dated: {len(dates)} documents"
    if len(dates):
        line += f", {dates.min():%Y-%m-%d} to {dates.max():%Y-%m-%d}"
    unparsed = documents.attrs.get("unparsed_dates", 0)
    if unparsed:
        line += f"; {unparsed} date{'s' if unparsed > 1 else ''} did not parse (left empty)"
    return line
