"""Where the time of `entities extract --workers 1` goes, stage by stage, against each stage's floor.

    python benchmarks/stages.py [DIR ...]

Texts: every *.txt under the DIRs, by default FactRuEval dev+test from ../shared (the yardstick's
corpus), else the bundled corpora. One process, one BLAS thread, cold caches: the command's own
code (`run.local.extract_tables`, Parquet out) runs with a clock around each stage's function, so the
stages are the real calls of the real run, not a copy of them. Then, for the stages whose work is
someone else's arithmetic, the floor: what that work costs with nothing of ours around it:
  razdel        razdel's sentenize and tokenize on the same texts (Natasha pays the same);
  taggers       the two networks' matrix products alone, on arrays of the run's shapes (every row
                through the three convolutions and the head; each distinct word through the first
                layer once);
  lemmas        pymorphy3 parsing each distinct word form once, with a fresh analyzer.
Start-up (Python, imports, the command line) is the whole command on one short text, less its
models; the rest of the whole command (not clocked in a stage) is shown as "other". The whole
command and the start-up are the best of two runs, the floors the least of two.
"""

from __future__ import annotations

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # as a worker runs: before numpy loads

import argparse
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FACTRU = ROOT.parent / "shared" / "gold" / "factru"
BIN = Path(sys.executable).parent
SPENT: Counter = Counter()


def clock(owner, name: str, stage: str) -> None:
    """Time every call of owner.name into SPENT[stage] (calls inside a clocked call count once)."""
    function = getattr(owner, name)

    def clocked(*args, **kwargs):
        started = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            SPENT[stage] += time.perf_counter() - started

    setattr(owner, name, clocked)


def instrument() -> None:
    from entities import pipeline
    from entities.facts import catalog
    from entities.mentions import annotation
    from entities.nlp import tagger, weights
    from entities.run import assembly, local, staging

    clock(weights.Models, "load", "models")
    clock(pipeline, "segment", "razdel")
    clock(tagger.MorphTagger, "__call__", "taggers")
    clock(tagger.NERTagger, "__call__", "taggers")
    clock(annotation, "adapt_sentence", "tokens and lemmas")
    clock(annotation, "correct", "NER corrections")
    clock(annotation, "build_mention", "mentions and normal forms")
    clock(catalog, "found_facts", "dates and money")
    clock(assembly, "group_mentions", "entities in a document")
    clock(assembly, "row_tables", "table rows")
    clock(assembly, "mention_table", "table rows")
    clock(staging.Staging, "append", "staged writes")
    clock(local, "merge", "corpus tables and final files")


def run(corpus: Path, out: Path) -> float:
    from entities.run.engine import Settings
    from entities.run.local import extract_tables

    instrument()
    started = time.perf_counter()
    extract_tables([corpus], out, "parquet", settings=Settings(workers=1))
    return time.perf_counter() - started


def floors(texts: list[str]) -> dict[str, float]:
    import numpy as np
    import pymorphy3
    from razdel import sentenize, tokenize

    from entities.nlp.tagger import PACK_ROWS, MorphTagger, NERTagger
    from entities.nlp.weights import Models

    started = time.perf_counter()
    sentences = [[token.text for token in tokenize(sentence.text)] for text in texts for sentence in sentenize(text)]
    razdel = time.perf_counter() - started

    models = Models.load()
    words = {word for sentence in sentences for word in sentence}
    rows = sum(map(len, sentences)) + len(sentences)
    rng = np.random.default_rng(0)
    taggers = 0.0
    for tagger in (MorphTagger(models.morph), NERTagger(models.ner)):
        network = tagger.network
        weights = network.projection.weights
        vectors = rng.standard_normal((PACK_ROWS, weights.shape[0]), dtype=np.float32)
        first = rng.standard_normal((PACK_ROWS, network.first.taps[0].shape[1]), dtype=np.float32)
        arithmetic(vectors, weights, first, network)  # a warm-up: the first products of a process page in
        started = time.perf_counter()
        for start in range(0, max(rows, len(words)), PACK_ROWS):
            size = min(PACK_ROWS, rows - start)
            arithmetic(vectors[: min(PACK_ROWS, max(len(words) - start, 0))], weights, first[: max(size, 0)], network)
        taggers += time.perf_counter() - started

    started = time.perf_counter()
    analyzer = pymorphy3.MorphAnalyzer()
    loading = time.perf_counter() - started
    started = time.perf_counter()
    for word in {word.lower() for word in words}:
        analyzer.parse(word)
    return {"razdel": razdel, "taggers": taggers, "tokens and lemmas": time.perf_counter() - started,
            "pymorphy3 loading": loading}  # fmt: skip


def arithmetic(vectors, weights, x, network) -> None:
    """One pack's products: distinct words through the first layer, rows through the rest and the head."""
    _ = vectors @ weights
    for layer in network.layers:
        x = x @ layer.taps[0] + x @ layer.taps[1] + x @ layer.taps[2]
    _ = x @ network.proj_weight


def startup(tmp: Path) -> float:
    tiny = tmp / "tiny.txt"
    tiny.write_text("Игорь Бабушкин прибыл в Астрахань.", encoding="utf-8")
    started = time.perf_counter()
    command = [
        str(BIN / "entities"),
        "extract",
        str(tiny),
        "--out",
        tempfile.mkdtemp(dir=tmp),
        "--format",
        "parquet",
        "-q",
    ]
    subprocess.run(command, check=True, capture_output=True)
    return time.perf_counter() - started


def whole(corpus: Path, tmp: Path) -> float:
    started = time.perf_counter()
    command = [str(BIN / "entities"), "extract", str(corpus), "--out", tempfile.mkdtemp(dir=tmp), "--format", "parquet",
               "--workers", "1", "-q"]  # fmt: skip
    subprocess.run(command, check=True, capture_output=True)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("dirs", nargs="*", type=Path)
    args = parser.parse_args()
    dirs = args.dirs or ([FACTRU / "devset", FACTRU / "testset"] if FACTRU.is_dir() else [ROOT / "corpora"])
    paths = sorted(path for directory in dirs for path in directory.rglob("*.txt"))
    texts = [path.read_text(encoding="utf-8") for path in paths]
    print(f"texts: {len(texts)} documents, {sum(map(len, texts)):,} characters from {', '.join(map(str, dirs))}")
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        corpus = tmp / "in"
        corpus.mkdir()
        for number, text in enumerate(texts):
            (corpus / f"{number:05d}.txt").write_text(text, encoding="utf-8")
        total = min(whole(corpus, tmp) for _ in range(2))
        start = min(startup(tmp) for _ in range(2))
        inside = run(corpus, tmp / "out")
        runs = [floors(texts) for _ in range(2)]
        floor = {stage: min(_[stage] for _ in runs) for stage in runs[0]}
    stages = dict(SPENT)
    stages["start-up (the command on one sentence, less its models)"] = start - stages.get("models", 0)
    stages["other (reading, assembly, progress)"] = inside - sum(SPENT.values())
    print(f"\nthe whole command, --workers 1: {total:.2f} s; in this process: {inside:.2f} s + start-up\n")
    print(f"| stage | seconds | floor | {'':<0}")
    print("|---|---|---|")
    for stage, seconds in stages.items():
        print(
            f"| {stage} | {seconds:.2f} | {floor[stage]:.2f} |" if stage in floor else f"| {stage} | {seconds:.2f} | |"
        )
    print(f"| **sum of the floors** | | **{sum(floor[_] for _ in ('razdel', 'taggers', 'tokens and lemmas')):.2f}** |")


if __name__ == "__main__":
    main()
