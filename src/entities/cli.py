"""The `entities` command. Heavy modules (pandas, models) load only inside commands."""

from __future__ import annotations

import logging
import os
import signal
import sys
from collections.abc import Sequence
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any, NoReturn

import click

from .errors import DocumentError, EntitiesError, InputError, file_limit
from .evaluation.gold import GOLD_FORMATS
from .evaluation.report import CONVENTIONS
from .facts.catalog import NAMES
from .io.encoding import path_text
from .io.writer import FORMATS
from .timeline import DATE_FIELD, PERIODS, Dating
from .version import __version__

ENGINES = ("local", "dask")
DASK_INSTALL = "pip install 'dask[dataframe,distributed]' (in a checkout: pip install '.[dask]')"  # the dask extra
CHUNK_CHARS = 1_000_000  # run.engine.CHUNK_CHARS, without importing the pipeline for --help
EXIT_CODES_HELP = """\b
Exit codes:
  0    every document is in the tables
  5    the run finished, but some documents are in OUT/errors.FMT
       instead (with --strict: the first such document stopped it)
  2    bad input or usage (no document in INPUT), or --out in use by
       another run; 3 model files
       missing; 4 the tables can not be written; 1 a worker process died
       or the Dask cluster was lost; 130 interrupted (Ctrl-C); 143 SIGTERM
"""


def fail(message: str, code: int) -> None:
    click.echo(f"entities: error: {path_text(message)}", err=True)
    sys.exit(code)


class Command(click.Group):
    """A click group whose errors are one line on stderr and an exit code, never a traceback.
    SIGINT and SIGTERM stop a command once (`signals.stopping`): the later ones wait for it to end."""

    def main(  # click's signature, both of its overloads: this one always exits
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,  # not used: errors are handled here, always
        **extra: Any,
    ) -> NoReturn:
        from .run.signals import Stop, stopping

        with stopping():
            try:
                code = super().main(
                    args, prog_name or "entities", complete_var=complete_var, standalone_mode=False, **extra
                )
            except click.ClickException as error:
                hint = " (see --help)" if isinstance(error, click.UsageError) else ""
                fail(error.format_message() + hint, error.exit_code)
            except click.exceptions.Abort as error:
                stop = error.__context__ if isinstance(error.__context__, Stop) else Stop(signal.SIGINT)
                fail(stop.message, stop.exit_code)
            except EntitiesError as error:
                fail(str(error), error.exit_code)
            except BrokenPipeError:
                sys.exit(1)
            except OSError as error:  # too many open files, wherever a command met it: one line
                found = file_limit(error)
                if found is None:
                    raise
                fail(str(found), found.exit_code)
        sys.exit(code if isinstance(code, int) else 0)


@contextmanager
def notes(quiet: bool):
    """What the library logs (a delimiter it detected, stale tables in --out) as 'entities: …' lines
    on stderr; with --quiet, warnings only."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("entities: %(message)s"))
    logger = logging.getLogger("entities")
    logger.addHandler(handler)
    logger.setLevel(logging.WARNING if quiet else logging.INFO)
    try:
        yield
    finally:
        logger.removeHandler(handler)


def listing_tables(command):
    """The command's help names the extractors' tables where it says {facts}: 'OUT/dates.FMT, OUT/money.FMT'."""
    command.__doc__ = command.__doc__.replace("{facts}", ", ".join(f"OUT/{name}.FMT" for name in NAMES))
    return command


@click.group(cls=Command, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="entities")
def cli():
    """Russian news text -> tables of the people (PER), places (LOC) and organizations (ORG) it mentions.

    \b
    Examples:
      entities extract corpora/ --out output/ --format parquet
      entities show corpora/news/volga-bridge.txt
    """


def encoding_name(ctx, param, value):
    from .io.encoding import check_encoding

    try:
        return value and check_encoding(value)
    except ValueError as error:
        raise click.BadParameter(str(error)) from None


def delimiter_char(ctx, param, value):
    named = {"tab": "\t", "\\t": "\t"}.get(value, value)
    if named is not None and len(named) != 1:
        raise click.BadParameter(f"expected one character (or 'tab'), got {value!r}")
    return named


@cli.command(short_help="Extract people, places and organizations into tables.", epilog=EXIT_CODES_HELP)
@click.argument("inputs", metavar="INPUT...", nargs=-1, required=True)
@click.option(
    "--out",
    "-o",
    "out",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Directory for the tables; created if missing, the last run's tables are replaced.",
)
@click.option(
    "--format",
    "-f",
    "fmt",
    type=click.Choice(FORMATS),
    default=None,
    help="Table file format. Default: csv; parquet (the only one) with --engine dask. duckdb: every table "
    "in one database, OUT/entities.duckdb (pip install duckdb).",
)
@click.option(
    "--text-column",
    default="text",
    show_default=True,
    help="Field holding the text in .jsonl records and .csv/.tsv rows.",
)
@click.option(
    "--id-column",
    default="id",
    show_default=True,
    help="Field holding the document id; without it the id is FILE:LINE or FILE:ROW.",
)
@click.option(
    "--delimiter",
    metavar="CHAR",
    callback=delimiter_char,
    help="The field delimiter of .csv/.tsv inputs. Default: of ',' ';' tab '|' (tab first for .tsv), "
    "the first that finds --text-column in the header; a note says which when it is not the usual.",
)
@click.option(
    "--aliases",
    "aliases",
    metavar="FILE",
    type=click.Path(dir_okay=False, path_type=Path),
    help="A CSV of alias,canonical[,type] rows: names that are one person, place or body, "
    "before the built-in table (countries, regions, international bodies). A header row of any names "
    "is told and skipped; an alias given twice keeps its first canonical name (a warning says so).",
)
@click.option(
    "--aliases-encoding",
    metavar="NAME",
    callback=encoding_name,
    help="Decode the --aliases file with this encoding. Default: detected, as inputs are.",
)
@click.option(
    "--encoding",
    metavar="NAME",
    callback=encoding_name,
    help="Decode with this encoding (cp866, utf-16 without a BOM...) the inputs detection can not read. "
    "Detection wins: a BOM, else UTF-8, else cp1251 or koi8-r, whichever reads as Russian.",
)
@click.option(
    "--workers",
    "-w",
    type=click.IntRange(min=1),
    default=None,
    help="Worker processes, each with its own models and one BLAS thread. Default: one per CPU core.",
)
@click.option(
    "--batch-size",
    default=32,
    show_default=True,
    type=click.IntRange(min=1),
    help="Documents (or pieces of long ones) per batch.",
)
@click.option(
    "--strict", is_flag=True, help="Stop at the first document that fails, instead of listing it in OUT/errors.FMT."
)
@click.option(
    "--resume",
    is_flag=True,
    help="Continue the interrupted run in --out (same inputs and options) after its last "
    "committed chunk; with none there, start anew.",
)
@click.option(
    "--chunk-chars",
    default=CHUNK_CHARS,
    show_default=True,
    type=click.IntRange(min=1),
    metavar="N",
    help="Input characters per committed chunk: what --resume may have to redo. With --engine "
    "dask: bytes of input files per partition.",
)
@click.option(
    "--engine",
    type=click.Choice(ENGINES),
    default="local",
    show_default=True,
    help="local: worker processes on this machine. dask: a Dask cluster; each table is a Parquet "
    "dataset, OUT/TABLE/part-*.parquet (in a checkout: pip install '.[dask]').",
)
@click.option(
    "--scheduler",
    metavar="ADDRESS",
    help="With --engine dask, the scheduler to use (tcp://host:8786). Default: a local cluster of --workers processes.",
)
@click.option(
    "--date-field",
    metavar="NAME",
    default=DATE_FIELD,
    show_default=True,
    help="The field of the input records that dates a document (ISO 8601, 22.12.2020, '22 декабря 2020'; "
    "a month or a bare year, 2020, is its first day): a date column in documents, and the timeline table. "
    "A value that is no date, or of a year outside 1000-2200, is left empty and counted. '' for none.",
)
@click.option(
    "--period",
    type=click.Choice(PERIODS),
    default="month",
    show_default=True,
    help="The timeline's period: each row counts an entity's documents and mentions from its first day.",
)
@click.option(
    "--syntax",
    is_flag=True,
    help="Fill head_id and rel of the tokens table: each token's head in its sentence (its token_id) and the "
    "Universal Dependencies relation to it (nsubj, obj...), from slovnet's syntax model; a sixth more time. "
    "Off: they are empty.",
)
@click.option(
    "--progress/--no-progress", default=None, help="Progress bar on stderr. Default: shown when stderr is a terminal."
)
@click.option("--quiet", "-q", is_flag=True, help="Do not print the summary.")
@listing_tables
def extract(inputs, out, fmt, text_column, id_column, delimiter, aliases, encoding, workers, batch_size, strict,
            resume, chunk_chars, engine, scheduler, date_field, period, syntax, progress, quiet,
            aliases_encoding):  # fmt: skip
    """Extract the people, places and organizations of INPUT... into tables in --out.

    \b
    INPUT is one of:
      FILE.txt      one document; its doc_id is the path as given
      FILE.jsonl    one JSON object per line with a "text" field; "id" is
                    the doc_id (else FILE:LINE), other fields become
                    columns of the documents table
      FILE.csv/.tsv a table with a header; --text-column and --id-column
                    pick the fields (doc_id else FILE:ROW)
      FILE.parquet  a table, as a CSV (read a batch of rows at a time)
      FILE.gz       any of these compressed, .gz, .bz2 or .xz:
                    news.jsonl.gz, lenta-ru-news.csv.bz2, a.txt.xz
      FILE.zip/.tar an archive (.tar.gz, .tgz, .tar.bz2, .tar.xz) of them,
                    each member read by its suffix: doc_id f.zip/in/a.txt
      DIRECTORY     every file of these below it, recursively, in sorted
                    order (but those given as INPUT too); doc_id is the
                    path relative to DIRECTORY (news/a.txt)
      -             standard input, one document with doc_id "stdin"

    \b
    Suffixes are read in any case (A.TXT). The other files of a folder or
    an archive (x.docx) are named in one line on stderr; hidden ones
    (.DS_Store) are not. A run that finds no document exits 2 and leaves
    OUT as it was.

    \b
    Writes OUT/documents.FMT, OUT/sentences.FMT, OUT/tokens.FMT,
    OUT/mentions.FMT, {facts}, OUT/entities.FMT, OUT/corpus_entities.FMT,
    OUT/cooccurrences.FMT, OUT/timeline.FMT and OUT/errors.FMT, and
    OUT/manifest.json, which lists them. Inputs are read lazily and rows staged in chunks under
    OUT/.entities-run (memory stays flat); the tables replace the last
    run's all at once when the run ends. The output is the same, row for
    row, for any --workers. CSV reads back with
    pandas.read_csv(path, keep_default_na=False), every format with
    entities.read_tables(OUT). One run at a time holds OUT: another
    exits 2 at once, naming it.

    \b
    A document that can not be read, decoded or processed (an unreadable
    or damaged file, binary data, a malformed JSON line, a record
    without text, an id seen before, an error in the pipeline) is a row
    of the errors table (doc_id, source, stage, error) and the run goes
    on. An empty text is a document with no sentences, not an error.

    \b
    A run that stops early (killed, Ctrl-C, SIGTERM, a full disk) keeps
    its committed chunks and the last run's tables: the same command with
    --resume continues it, and its tables equal those of an uninterrupted
    run.

    \b
    With --engine dask the pipeline runs on a Dask cluster (the one at
    --scheduler, or a local one of --workers processes, each loading the
    models once). INPUT may also be a quoted glob ('news/*.jsonl') or a
    Parquet dataset (FILE.parquet, or a directory of them; --text-column
    and --id-column name its columns). Each table is a Parquet dataset:
    OUT/TABLE/part-NNNNN.parquet, a part per partition for sentences,
    tokens and mentions, one part for the others; read one with
    pandas.read_parquet(OUT/TABLE). The rows are those of a local run.
    Ids are checked for duplicates within a partition. Partitions hold
    about --chunk-chars bytes of input files; --resume skips those an
    interrupted run finished (same inputs, options and --chunk-chars, on
    a cluster of any size).
    """
    from .io.reader import Reading
    from .resolve.aliases import read_aliases
    from .run.engine import Settings, summary
    from .run.local import extract_tables
    from .run.workers import default_workers

    reading = Reading(text_column, id_column, encoding, delimiter)
    if scheduler and engine != "dask":
        raise click.UsageError("--scheduler needs --engine dask")
    if aliases_encoding and not aliases:
        raise click.UsageError("--aliases-encoding needs --aliases")
    with notes(quiet):
        user_aliases = read_aliases(aliases, aliases_encoding) if aliases else None  # a bad file stops the run here
        settings = Settings(batch_size, workers or default_workers(), show_progress(progress), strict, resume,
                            chunk_chars, user_aliases, dating=Dating(date_field or None, period),
                            syntax=syntax)  # fmt: skip
        if engine == "dask":
            result = extract_on_dask(inputs, out, fmt, reading, settings, scheduler)
        else:
            result = extract_tables(inputs, out, fmt or "csv", reading, settings)
    if not quiet:
        click.echo(path_text(summary(result)))
    failed = len(result.errors)
    if failed:
        documents = "document" if failed == 1 else "documents"
        listed = result.paths["errors"]
        where = f"the errors table of {listed}" if listed.suffix == ".duckdb" else listed
        click.echo(f"entities: {failed} {documents} failed, listed in {where}", err=True)
        sys.exit(DocumentError.exit_code)


def extract_on_dask(inputs, out, fmt, reading, settings, scheduler):
    if fmt not in (None, "parquet"):
        raise click.UsageError(f"--engine dask writes Parquet datasets; --format {fmt} is not available with it")
    try:
        from .run.cluster import run_inputs
    except ImportError as error:
        raise InputError(f"--engine dask needs Dask ({error.msg}): {DASK_INSTALL}") from None
    return run_inputs(inputs, out, reading, settings, scheduler)


@cli.command(short_help="Print a text with its entities highlighted, and a table of them.")
@click.argument("source", metavar="FILE|-")
@click.option(
    "--color/--no-color",
    default=None,
    help="Colour the mentions by type, or mark them [like this]PER in plain text. "
    "Default: colour when stdout is a terminal and NO_COLOR is not set.",
)
@click.option("--date", "day", metavar="DAY", help="The text's date (2024-05-08): relative dates count from it.")
def show(source, color, day):
    """Print FILE (one text file, any suffix, decompressed when it ends in
    .gz, .bz2 or .xz; - for standard input) with
    the mentions of people (PER), places (LOC) and organizations (ORG),
    its dates (DATE) and sums of money (MONEY)
    highlighted, then a table of its entities: type, canonical name, first,
    middle and last name, and number of mentions, and a table of its dates
    and sums with their values. The encoding is detected
    as for extract: a BOM, else UTF-8, else cp1251 or koi8-r, whichever
    reads as Russian.

    \b
    Examples:
      entities show corpora/news/volga-bridge.txt
      echo 'Игорь Бабушкин прибыл в Астрахань.' | entities show - --no-color
      echo 'Вчера мост открыли.' | entities show - --date 2024-05-08
    """
    from .io.reader import read_document
    from .pipeline import Pipeline
    from .show.terminal import print_document
    from .timeline import parse_date

    text = read_document(source)
    if day is not None:
        if parse_date(day) is None:
            raise InputError(f"--date {day!r} names no day (expected a date such as 2024-05-08)")
        text = replace(text, meta={**text.meta, DATE_FIELD: day})
    doc = Pipeline()(text)
    print_document(doc, sys.stdout, use_color(color))


def use_color(flag: bool | None) -> bool:
    return sys.stdout.isatty() and not os.environ.get("NO_COLOR") if flag is None else flag


def graph_file(ctx, param, value):
    from .show.graph import SUFFIXES

    if value.suffix.lower() not in SUFFIXES:
        raise click.BadParameter(f"expected FILE.gexf or FILE.graphml, got {path_text(str(value))!r}")
    return value


def entity_types(ctx, param, value):
    from .show.graph import check_types

    try:
        return None if value is None else check_types(value)
    except InputError as error:
        raise click.BadParameter(str(error)) from None


@cli.command(short_help="Write the co-occurrence network of a run as a GEXF or GraphML file.")
@click.argument("out", metavar="OUT", type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "--to",
    "target",
    required=True,
    metavar="FILE",
    type=click.Path(dir_okay=False, path_type=Path),
    callback=graph_file,
    help="The graph file, FILE.gexf (Gephi) or FILE.graphml; replaced if it exists.",
)
@click.option(
    "--types", metavar="PER,LOC,ORG", callback=entity_types, help="Keep the entities of these types. Default: all."
)
@click.option(
    "--min-documents",
    default=1,
    show_default=True,
    metavar="N",
    type=click.IntRange(min=1),
    help="Keep the entities mentioned in at least N documents.",
)
@click.option(
    "--top",
    metavar="N",
    type=click.IntRange(min=1),
    help="Then keep the N entities mentioned in the most documents (ties: the lower corpus_id).",
)
@click.option("--quiet", "-q", is_flag=True, help="Do not print what was written.")
def graph(out, target, types, min_documents, top, quiet):
    """Write the co-occurrence network of the tables in OUT (an output folder
    of `entities extract`, in any format) to the file --to, as GEXF or
    GraphML by its suffix.

    \b
    nodes  the corpus entities (corpus_entities): id corpus_id, attributes
           label (the canonical name), type, key, n_documents, n_mentions
    edges  the pairs of kept entities mentioned in one document
           (cooccurrences): weight (documents together), n_sentences

    \b
    Examples:
      entities graph output/ --to network.gexf
      entities graph output/ --to people.graphml --types PER --top 50
    """
    from .run.snapshot import read_tables
    from .show.graph import graph as network_of
    from .show.graph import write_graph

    with notes(quiet):
        tables = read_tables(out)
    network = network_of(tables, types, min_documents, top)
    write_graph(network, target)
    if not quiet:
        click.echo(path_text(f"wrote {target}: {network_size(network, tables)}"))


def network_size(network, tables) -> str:
    """'164 nodes, 1197 edges'; '3 nodes, 1 edge'; '0 nodes, 0 edges (the tables hold no entities)'"""
    nodes, edges = network.number_of_nodes(), network.number_of_edges()
    size = f"{nodes} node{'s' * (nodes != 1)}, {edges} edge{'s' * (edges != 1)}"
    if nodes:
        return size
    return size + (
        " (the tables hold no entities)" if tables["corpus_entities"].empty else " (no entity passes the filters)"
    )


@cli.command(short_help="Score mentions against gold: precision, recall and F1 per type.")
@click.argument("gold", metavar="GOLD...", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--format",
    "-f",
    "fmt",
    type=click.Choice(GOLD_FORMATS),
    default="factru",
    show_default=True,
    help="The gold's format.",
)
@click.option(
    "--types-map",
    metavar="MAP|FILE",
    help="brat/conll types to PER/LOC/ORG, as PERSON=PER,GPE=LOC,... or a file of TYPE=TARGET lines; "
    "replaces the default map; types it does not name are dropped.",
)
@click.option(
    "--compare",
    type=click.Choice(["natasha"]),
    help="Add the rows of Natasha's raw NER, computed in the same run (in a subprocess).",
)
@click.option(
    "--convention",
    "conventions",
    type=click.Choice(CONVENTIONS),
    multiple=True,
    help="Score only under this convention (repeatable). Default: token and span.",
)
@click.option(
    "--out",
    "-o",
    type=click.Path(file_okay=False, path_type=Path),
    help="Also write scores.csv and documents.csv (counts per document) to this directory.",
)
def evaluate(gold, fmt, types_map, compare, conventions, out):
    """Score the PER/LOC/ORG mentions of `entities` against the gold GOLD... and print precision, recall
    and F1 per type and micro-averaged (the three types' counts summed).

    \b
    GOLD is, by --format:
      factru   a FactRuEval set directory (gold/factru/testset); the map
               is fixed: Person -> PER, an Org's org_name spans -> ORG,
               a Location's or LocOrg's loc_name spans -> LOC
      brat     a directory of .txt + .ann pairs (recursively) or one
               document; discontinuous spans are collapsed; default map:
               PER, PERSON, PERS -> PER; LOC, LOCATION, GPE, GEOPOLIT ->
               LOC; ORG, ORGANIZATION, ORGANISATION, MEDIA -> ORG
      conll    a CoNLL / IOB2 file (token ... tag; # text = lines give
               the offsets; a .conllu's token is its FORM column), or a
               directory of .conll/.conllu/.iob/.iob2/.bio/.tsv files;
               default map as brat

    \b
    Conventions (gold and predicted spans alike: nested spans flattened
    outermost-first, spans off razdel token bounds dropped):
      token    naeval's, behind the published Natasha/slovnet tables: each
               token is in or out of a span of each type
      span     exact (start, stop, type) matches, as CoNLL
    """
    from .evaluation.report import format_scores, run_evaluation, write_evaluation

    evaluation = run_evaluation(gold, fmt, types_map, compare=compare, conventions=conventions or CONVENTIONS)
    click.echo("\n".join([*evaluation.summary, "", format_scores(evaluation.scores)]))
    if out:
        click.echo(f"wrote {', '.join(map(str, write_evaluation(evaluation, out)))}")


def show_progress(flag: bool | None) -> bool:
    return sys.stderr.isatty() if flag is None else flag


def main() -> None:
    cli()
