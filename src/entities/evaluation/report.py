"""What `entities evaluate` does: gold documents and systems' spans -> precision, recall and F1 per type.

Each gold document's text is split with razdel (`razdel.tokenize`, as naeval does); gold and predicted spans
are adapted alike (entities.evaluation.scores: flattened outermost-first, spans off token bounds dropped) and counted
under each convention, per document, then summed over the corpus: per type, and micro-averaged over the
three (`micro`: the types' counts summed). A leading byte order mark, which brat counts as a character, is
a space to razdel and to the systems.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import InputError, OutputError
from ..records import TYPES, Text
from .gold import GoldDocument
from .scores import Counts, Labelled, adapt, flatten, span_counts, token_counts
from .system import COMPARED, adapt_span, predict

if TYPE_CHECKING:
    import pandas as pd  # imported when a table is made: the cli imports this module for CONVENTIONS

CONVENTIONS = ("token", "span")
MICRO = "micro"
SYSTEM = "entities"
COUNTS = ("tp", "fp", "fn")
SCORES = ("precision", "recall", "f1")


@dataclass(frozen=True, slots=True)
class Prepared:
    """Spans on one side of one document, adapted for scoring, and how many adapting dropped."""

    spans: tuple[Labelled, ...]
    nested: int
    off_tokens: int


@dataclass(frozen=True)
class Evaluation:
    """Scores over the corpus, counts per document, and a few lines on what was scored."""

    scores: pd.DataFrame  # convention, system, type, precision, recall, f1, tp, fp, fn
    documents: pd.DataFrame  # doc_id, convention, system, type, tp, fp, fn
    summary: tuple[str, ...]


def seen(text: str) -> str:
    # a byte order mark a gold reader kept (brat counts it) is a space to razdel and the systems:
    # '\ufeffИгорь' would be one token; offsets stay as they are
    return " " + text[1:] if text.startswith("\ufeff") else text


def tokenize(text: str) -> list[tuple[int, int]]:
    from razdel import tokenize as razdel_tokenize

    return [(_.start, _.stop) for _ in razdel_tokenize(text)]


def prepare_spans(spans: Iterable[Labelled], tokens: list[tuple[int, int]]) -> Prepared:
    spans = list(spans)
    flat, kept = flatten(spans), adapt(spans, tokens)
    return Prepared(tuple(kept), len(spans) - len(flat), len(flat) - len(kept))


@dataclass(frozen=True)
class GoldCorpus:
    """The gold documents, their razdel tokens and their adapted spans."""

    docs: list[GoldDocument]
    tokens: list[list[tuple[int, int]]]
    gold: list[Prepared]

    @classmethod
    def read(cls, docs: list[GoldDocument]) -> GoldCorpus:
        tokens = [tokenize(seen(_.text)) for _ in docs]
        return cls(
            docs, tokens, [prepare_spans(map(adapt_span, d.mentions), t) for d, t in zip(docs, tokens, strict=True)]
        )

    def predicted(self, source) -> list[Prepared]:
        spans = predict(source, [Text(seen(_.text), id=_.id) for _ in self.docs])
        return [prepare_spans(found, tokens) for found, tokens in zip(spans, self.tokens, strict=True)]


def counts(convention: str, tokens, gold: Prepared, predicted: Prepared) -> dict[str, Counts]:
    if convention == "token":
        return token_counts(tokens, gold.spans, predicted.spans, TYPES)
    return span_counts(gold.spans, predicted.spans, TYPES)


def document_counts(corpus: GoldCorpus, system: str, predicted: list[Prepared], conventions) -> Iterator[dict]:
    # a row per document, convention and type: doc_id, convention, system, type, tp, fp, fn
    for doc, tokens, gold, found in zip(corpus.docs, corpus.tokens, corpus.gold, predicted, strict=True):
        for convention in conventions:
            for kind, tally in counts(convention, tokens, gold, found).items():
                yield {"doc_id": doc.id, "convention": convention, "system": system, "type": kind,
                       "tp": tally.tp, "fp": tally.fp, "fn": tally.fn}  # fmt: skip


def score_rows(documents) -> list[dict]:
    # per convention, system and type: the counts summed over documents, and micro over types
    rows = []
    for (convention, system), group in documents.groupby(["convention", "system"], sort=False):
        sums = group.groupby("type", sort=False)[list(COUNTS)].sum()
        tallies = {kind: Counts(*map(int, sums.loc[kind])) for kind in TYPES}
        tallies[MICRO] = sum(tallies.values(), Counts())
        for kind, tally in tallies.items():
            rows.append({"convention": convention, "system": system, "type": kind, "precision": tally.precision,
                         "recall": tally.recall, "f1": tally.f1, "tp": tally.tp, "fp": tally.fp,
                         "fn": tally.fn})  # fmt: skip
    return rows


def describe(name: str, sides: list[Prepared]) -> str:
    # 'gold: 3689 spans (PER 1222, LOC 1214, ORG 1253); dropped: 0 nested, 2 off token bounds'
    spans = [span for side in sides for span in side.spans]
    per_type = ", ".join(f"{kind} {sum(_.type == kind for _ in spans)}" for kind in TYPES)
    nested, off = sum(_.nested for _ in sides), sum(_.off_tokens for _ in sides)
    return f"{name}: {len(spans)} spans ({per_type}); dropped: {nested} nested, {off} off token bounds"


def systems_of(system, compare) -> dict:
    # {'entities': Pipeline(), 'natasha': natasha}
    from ..pipeline import Pipeline

    systems = dict(system) if isinstance(system, Mapping) else {SYSTEM: Pipeline() if system is None else system}
    for name in [compare] if isinstance(compare, str) else list(compare or ()):
        if name not in COMPARED:
            raise InputError(f"--compare: expected one of {', '.join(COMPARED)}, got {name!r}")
        systems[name] = COMPARED[name]
    return systems


def gold_documents(gold, fmt: str, types_map) -> list[GoldDocument]:
    # paths, or GoldDocument records already read
    from .readers import read_gold  # only when reading: the cli imports this module for CONVENTIONS

    items: list = [gold] if isinstance(gold, (str, GoldDocument)) or not isinstance(gold, Iterable) else list(gold)
    if not items:
        raise InputError("no gold given: expected a path or GoldDocument records")
    if all(isinstance(_, GoldDocument) for _ in items):
        return items
    return read_gold(items, fmt, types_map)


def check_conventions(conventions: Sequence[str]) -> tuple[str, ...]:
    conventions = (conventions,) if isinstance(conventions, str) else tuple(conventions)
    unknown = [_ for _ in conventions if _ not in CONVENTIONS]
    if unknown or not conventions:
        raise InputError(f"expected conventions among {', '.join(CONVENTIONS)}, got {', '.join(unknown) or 'none'}")
    return conventions


def tables(rows: list[dict], conventions: tuple[str, ...]) -> tuple[pd.DataFrame, pd.DataFrame]:
    # (scores, documents) DataFrames; scores ordered by convention, then system as given
    import pandas as pd

    documents = pd.DataFrame(rows, columns=["doc_id", "convention", "system", "type", *COUNTS])
    scores = pd.DataFrame(score_rows(documents), columns=["convention", "system", "type", *SCORES, *COUNTS])
    order = scores.sort_values("convention", key=lambda _: _.map(conventions.index), kind="stable")
    return order.reset_index(drop=True), documents


def run_evaluation(gold, fmt="factru", types_map=None, system=None, compare=None, conventions=CONVENTIONS):
    """The whole measurement: `evaluate`'s table, the per-document counts behind it, and a summary."""
    conventions = check_conventions(conventions)
    corpus = GoldCorpus.read(gold_documents(gold, fmt, types_map))
    size = len(corpus.docs)
    summary = [f"{size} document{'s' * (size != 1)}", describe("gold", corpus.gold)]
    rows: list[dict] = []
    for name, source in systems_of(system, compare).items():
        predicted = corpus.predicted(source)
        summary.append(describe(name, predicted))
        rows.extend(document_counts(corpus, name, predicted, conventions))
    return Evaluation(*tables(rows, conventions), tuple(summary))


def evaluate(
    gold,
    format="factru",  # noqa: A002 - shadows the builtin: the public keyword, as the CLI's --format
    types_map=None,
    system=None,
    compare=None,
    conventions=CONVENTIONS,
    per_document=False,
):
    """Precision, recall and F1 of a system's PER/LOC/ORG spans against gold, as a DataFrame.

    Examples:
        >>> from entities.evaluation.gold import GoldDocument, GoldMention
        >>> gold = GoldDocument(
        ...     "1", "Игорь Бабушкин прибыл в Астрахань.", (GoldMention(0, 14, "PER"), GoldMention(24, 33, "LOC"))
        ... )
        >>> found = lambda texts: [[(6, 14, "PER"), (24, 33, "LOC")] for _ in texts]  # Бабушкин, Астрахань
        >>> entities.evaluate([gold], system=found).head(2)
          convention    system type  precision  recall        f1  tp  fp  fn
        0      token  entities  PER        1.0     0.5  0.666667   1   0   1
        1      token  entities  LOC        1.0     1.0  1.000000   1   0   0

    `entities.evaluate("factRuEval-2016/testset")` scores a `Pipeline()` on FactRuEval's test set (a
    clone of github.com/dialogue-evaluation/factRuEval-2016); its figures are in the docs (Evaluation).

    gold         a path or several (`format`: factru, brat, conll), or GoldDocument records already read
                 (`entities.evaluation.readers.read_gold`), to score several systems against one reading
    types_map    brat/conll type names -> PER/LOC/ORG: a mapping, 'PERSON=PER,GPE=LOC', or a file of such
                 lines; None: the format's default (see the docs, Evaluation)
    system       what predicts the spans: None, a new `Pipeline()`; a Pipeline (its documents' mentions);
                 a callable taking the documents as `entities.Text` records and giving, per document, its
                 spans (`Mention`s, objects with start/stop/type, or (start, stop, type) tuples); or a dict
                 {name: system} for several rows in one table
    compare      'natasha': adds Natasha's raw NER, computed in a subprocess
    conventions  'token' (naeval's, per token) and/or 'span' (exact start, stop and type)
    per_document the counts per document instead: doc_id, convention, system, type, tp, fp, fn

    Columns: convention, system, type (PER, LOC, ORG, micro), precision, recall, f1, tp, fp, fn.
    """
    evaluation = run_evaluation(gold, format, types_map, system, compare, conventions)
    return evaluation.documents if per_document else evaluation.scores


def format_scores(scores) -> str:
    """The table as aligned text, scores with three decimals."""
    return scores.to_string(index=False, float_format=lambda _: f"{_:.3f}")


def write_evaluation(evaluation: Evaluation, out: Path) -> list[Path]:
    """scores.csv and documents.csv in `out`, created if missing."""
    from ..io.writer import prepare

    prepare(out)
    tables = {out / "scores.csv": evaluation.scores, out / "documents.csv": evaluation.documents}
    for path, frame in tables.items():
        try:
            frame.to_csv(path, index=False)
        except OSError as error:
            raise OutputError(f"{path}: can not write ({error.strerror})") from None
    return list(tables)
