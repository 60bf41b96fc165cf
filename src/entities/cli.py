"""The `entities` command. Heavy modules (pandas, models) load only inside commands."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from .errors import EntitiesError
from .evaluation import CONVENTIONS
from .gold import FORMATS as GOLD_FORMATS

FORMATS = ("csv", "parquet", "jsonl")


def fail(message: str, code: int) -> None:
    click.echo(f"entities: error: {message}", err=True)
    sys.exit(code)


class Command(click.Group):
    """A click group whose errors are one line on stderr and an exit code, never a traceback."""

    def main(self, args=None, prog_name=None, **kwargs):
        kwargs["standalone_mode"] = False
        try:
            code = super().main(args, prog_name or "entities", **kwargs)
        except click.ClickException as error:
            hint = " (see --help)" if isinstance(error, click.UsageError) else ""
            fail(error.format_message() + hint, error.exit_code)
        except click.exceptions.Abort:
            fail("interrupted", 130)
        except EntitiesError as error:
            fail(str(error), error.exit_code)
        except BrokenPipeError:
            sys.exit(1)
        sys.exit(code if isinstance(code, int) else 0)


@click.group(cls=Command, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="entities", prog_name="entities")
def cli():
    """Russian news text -> tables of the people (PER), places (LOC) and organizations (ORG) it mentions.

    \b
    Examples:
      entities extract corpora/ --out output/ --format parquet
      entities show corpora/news/volga-bridge.txt
    """


@cli.command(short_help="Extract people, places and organizations into tables.")
@click.argument("inputs", metavar="INPUT...", nargs=-1, required=True)
@click.option("--out", "-o", "out", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Directory for the tables; created if missing, existing tables are replaced.")
@click.option("--format", "-f", "fmt", type=click.Choice(FORMATS), default="csv", show_default=True,
              help="Table file format.")
@click.option("--text-column", default="text", show_default=True,
              help="Field holding the text in .jsonl records and .csv/.tsv rows.")
@click.option("--id-column", default="id", show_default=True,
              help="Field holding the document id; without it the id is FILE:LINE or FILE:ROW.")
@click.option("--workers", "-w", type=click.IntRange(min=1), default=None,
              help="Worker processes, each with its own models and one BLAS thread. Default: one per CPU core.")
@click.option("--batch-size", default=32, show_default=True, type=click.IntRange(min=1),
              help="Documents (or pieces of long ones) per batch.")
@click.option("--progress/--no-progress", default=None,
              help="Progress bar on stderr. Default: shown when stderr is a terminal.")
@click.option("--quiet", "-q", is_flag=True, help="Do not print the summary.")
def extract(inputs, out, fmt, text_column, id_column, workers, batch_size, progress, quiet):
    """Extract mentions from INPUT... and write documents, sentences, tokens and mentions tables to --out.

    \b
    INPUT is one of:
      FILE.txt      one document; its doc_id is the path as given
      DIRECTORY     every *.txt below it, recursively, in sorted order;
                    doc_id is the path relative to DIRECTORY (news/a.txt)
      FILE.jsonl    one JSON object per line with a "text" field; "id" is
                    the doc_id (else FILE:LINE), other fields become
                    columns of the documents table
      FILE.csv/.tsv a table with a header; --text-column and --id-column
                    pick the fields (doc_id else FILE:ROW)
      -             standard input, one document with doc_id "stdin"

    \b
    Writes OUT/documents.FMT, OUT/sentences.FMT, OUT/tokens.FMT and
    OUT/mentions.FMT as it goes (inputs are read lazily, rows appended
    batch by batch, memory stays flat), then OUT/entities.FMT,
    OUT/corpus_entities.FMT and OUT/cooccurrences.FMT when the corpus
    ends. The output is the same, row for row, for any --workers. CSV
    reads back with pandas.read_csv(path, keep_default_na=False).
    """
    from .batch import default_workers
    from .extraction import extract_tables
    from .reader import Columns

    columns = Columns(text_column, id_column)
    workers = workers or default_workers()
    summary = extract_tables(inputs, out, fmt, columns, batch_size, show_progress(progress), workers)
    if not quiet:
        click.echo(summary)


@cli.command(short_help="Print a text with its entities highlighted, and a table of them.")
@click.argument("source", metavar="FILE|-")
@click.option("--color/--no-color", default=None,
              help="Colour the mentions by type, or mark them [like this]PER in plain text. "
                   "Default: colour when stdout is a terminal and NO_COLOR is not set.")
def show(source, color):
    """Print FILE (one UTF-8 text file, any suffix; - for standard input) with
    the mentions of people (PER), places (LOC) and organizations (ORG)
    highlighted, then a table of its entities: type, canonical name, first,
    middle and last name, and number of mentions.

    \b
    Examples:
      entities show corpora/news/volga-bridge.txt
      echo 'Игорь Бабушкин прибыл в Астрахань.' | entities show - --no-color
    """
    from .pipeline import Pipeline
    from .reader import read_document
    from .terminal import print_document

    doc = Pipeline()(read_document(source))
    print_document(doc, sys.stdout, use_color(color))


def use_color(flag: bool | None) -> bool:
    return sys.stdout.isatty() and not os.environ.get("NO_COLOR") if flag is None else flag


@cli.command(short_help="Score mentions against gold: precision, recall and F1 per type.")
@click.argument("gold", metavar="GOLD...", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--format", "-f", "fmt", type=click.Choice(GOLD_FORMATS), default="factru", show_default=True,
              help="The gold's format.")
@click.option("--types-map", metavar="MAP|FILE",
              help="brat/conll types to PER/LOC/ORG, as PERSON=PER,GPE=LOC,... or a file of TYPE=TARGET lines; "
                   "replaces the default map; types it does not name are dropped.")
@click.option("--compare", type=click.Choice(["natasha"]),
              help="Add the rows of Natasha's raw NER, computed in the same run (in a subprocess).")
@click.option("--convention", "conventions", type=click.Choice(CONVENTIONS), multiple=True,
              help="Score only under this convention (repeatable). Default: token and span.")
@click.option("--out", "-o", type=click.Path(file_okay=False, path_type=Path),
              help="Also write scores.csv and documents.csv (counts per document) to this directory.")
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
               the offsets), or a directory of .conll/.conllu/.iob/.iob2/
               .bio/.tsv files; default map as brat

    \b
    Conventions (gold and predicted spans alike: nested spans flattened
    outermost-first, spans off razdel token bounds dropped):
      token    naeval's, behind the published Natasha/slovnet tables: each
               token is in or out of a span of each type
      span     exact (start, stop, type) matches, as CoNLL
    """
    from .evaluation import format_scores, run_evaluation, write_evaluation

    evaluation = run_evaluation(gold, fmt, types_map, compare=compare, conventions=conventions or CONVENTIONS)
    click.echo("\n".join([*evaluation.summary, "", format_scores(evaluation.scores)]))
    if out:
        click.echo(f"wrote {', '.join(map(str, write_evaluation(evaluation, out)))}")


def show_progress(flag: bool | None) -> bool:
    return sys.stderr.isatty() if flag is None else flag


def main() -> None:
    cli()
