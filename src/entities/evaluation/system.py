"""What predicts the spans `entities evaluate` scores: a Pipeline, any callable, or Natasha's raw NER.

A system is called once with the gold documents as `entities.Text` records and gives, per document in
order, its spans: `Mention`s or anything with `start`, `stop`, `type`, or `(start, stop, type)` tuples.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable, Iterable

from ..errors import EntitiesError, InputError
from ..records import TYPES, Text
from .scores import Labelled

Predict = Callable[[list[Text]], Iterable[Iterable]]


def adapt_span(item) -> Labelled:
    # Mention(11, 25, PER, ...) or (11, 25, 'PER') -> Labelled(11, 25, 'PER')
    return Labelled(*item) if isinstance(item, tuple) else Labelled(item.start, item.stop, item.type)


def pipeline_spans(pipeline) -> Predict:
    # our Pipeline (or anything with .pipe giving documents with .mentions): its final mentions
    return lambda texts: (doc.mentions for doc in pipeline.pipe(texts))


def natasha(texts: list[Text]) -> list[list[tuple]]:
    """Natasha's raw NER spans (`entities.evaluation.baseline`), computed in a subprocess."""
    lines = "".join(json.dumps({"text": _.text}) + "\n" for _ in texts)
    command = [sys.executable, "-m", "entities.evaluation.baseline"]
    done = subprocess.run(command, input=lines, capture_output=True, text=True, encoding="utf-8")
    if done.returncode:
        reason = (done.stderr.strip().splitlines() or ["no message"])[-1]
        raise EntitiesError(f"natasha's NER failed in its subprocess: {reason}")
    return [[tuple(_) for _ in json.loads(line)] for line in done.stdout.splitlines()]


COMPARED = {"natasha": natasha}


def predictor(system) -> Predict:
    if hasattr(system, "pipe"):
        return pipeline_spans(system)
    if callable(system):
        return system
    raise InputError(
        f"expected a Pipeline or a callable giving spans per text as a system, got {type(system).__name__}"
    )


def predict(system, texts: list[Text]) -> list[list[Labelled]]:
    """The system's PER/LOC/ORG spans for each text; spans of other types are left out."""
    found = [[adapt_span(_) for _ in spans] for spans in predictor(system)(texts)]
    if len(found) != len(texts):
        raise EntitiesError(f"a system gave spans for {len(found)} documents, expected {len(texts)}")
    return [[_ for _ in spans if _.type in TYPES] for spans in found]
