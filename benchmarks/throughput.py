"""Throughput and memory of `entities extract` against Natasha's own pipeline, in one run.

    python benchmarks/throughput.py [--repeat 8] [--long-mb 5] [--out FILE.json]

Texts: the FactRuEval test set from ../shared/gold/factru when present, else the
bundled corpora repeated to at least 300,000 characters. On the same texts, one
after another:
  - the reference, benchmarks/reference.py: Natasha's README pipeline (segment,
    morph, syntax, NER, lemmas, span normal forms), per document, in a process of
    its own, models loaded before the clock starts. Twice: with pymorphy2 on the
    C DAWG extension (what this project's install brings into the environment)
    and on the pure-Python DAWG reader (what `pip install natasha` alone gives).
    The ratios are to the faster of the two;
  - `entities extract DIR --format parquet --workers 1`, then `--workers 2`: the
    whole command, and the same less its start-up (the same command on one short
    text), which is what the reference's clock measures;
  - the library, `Pipeline().pipe(texts, workers=N)` for N = 1, 2, as a whole process;
  - `--workers 2` on the texts repeated --repeat times (memory flatness), and on one
    document of --long-mb megabytes;
and prints characters/s, documents/s, the peak RSS of every process, and the ratios; then, when
../shared/bench/throughput.py is there, the yardstick's own run and ratios (whole processes on both
sides, on FactRuEval dev+test), which are the figures the issues state targets in.
Needs psutil: pip install -e '.[bench]'.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
FACTRU = ROOT.parent / "shared" / "gold" / "factru" / "testset"
YARDSTICK = ROOT.parent / "shared" / "bench" / "throughput.py"
BIN = Path(sys.executable).parent


def corpus_texts() -> tuple[str, list[str]]:
    if FACTRU.is_dir():
        return "FactRuEval test set", [p.read_text(encoding="utf-8") for p in sorted(FACTRU.glob("*.txt"))]
    texts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "corpora").rglob("*.txt"))]
    repeated = []
    while sum(map(len, repeated)) < 300_000:
        repeated.extend(texts)
    return "bundled corpora, repeated", repeated


def write_corpus(texts: list[str], directory: Path, repeat: int = 1) -> Path:
    directory.mkdir(parents=True)
    for copy in range(repeat):
        for number, text in enumerate(texts):
            (directory / f"{copy:03d}-{number:05d}.txt").write_text(text, encoding="utf-8")
    return directory


def watch(command: list[str]) -> tuple[float, list[float], str]:
    """Run a command: wall seconds, peak RSS (MB) of it and of each of its children, stdout."""
    started = time.perf_counter()
    process = psutil.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    peaks: dict[int, float] = {}
    while process.poll() is None:
        for member in [process, *safe_children(process)]:
            with contextlib.suppress(psutil.Error):
                peaks[member.pid] = max(peaks.get(member.pid, 0.0), member.memory_info().rss / 2**20)
        time.sleep(0.02)
    seconds = time.perf_counter() - started
    out, err = process.communicate()
    if process.returncode:
        raise SystemExit(f"{' '.join(command)} failed ({process.returncode}): {err.strip()}")
    return seconds, sorted(peaks.values(), reverse=True), out


def safe_children(process) -> list:
    try:
        return process.children(recursive=True)
    except psutil.Error:
        return []


def run_reference(directory: Path, dawg: str) -> dict:
    _, peaks, out = watch([sys.executable, str(ROOT / "benchmarks" / "reference.py"), str(directory), dawg])
    result = json.loads(out.strip().splitlines()[-1])
    result["peak_rss_mb"] = peaks[0]
    return result


def run_entities(source: Path, workers: int, out: Path) -> dict:
    shutil.rmtree(out, ignore_errors=True)
    command = [
        str(BIN / "entities"),
        "extract",
        str(source),
        "--out",
        str(out),
        "--format",
        "parquet",
        "--workers",
        str(workers),
        "--quiet",
    ]
    seconds, peaks, _ = watch(command)
    return {"seconds": seconds, "peaks_mb": peaks}


LIBRARY = """
import sys
from pathlib import Path
import entities
texts = (path.read_text(encoding="utf-8") for path in sorted(Path(sys.argv[1]).rglob("*.txt")))
print(sum(len(doc.mentions) for doc in entities.Pipeline().pipe(texts, workers=int(sys.argv[2]))))
"""


def run_library(directory: Path, workers: int) -> dict:
    """`Pipeline().pipe(texts, workers=N)` over the texts, Documents built and dropped: the whole process."""
    seconds, peaks, _ = watch([sys.executable, "-c", LIBRARY, str(directory), str(workers)])
    return {"seconds": seconds, "peaks_mb": peaks}


def startup() -> dict:
    started = time.perf_counter()
    subprocess.run([str(BIN / "entities"), "--help"], check=True, capture_output=True)
    help_seconds = time.perf_counter() - started
    code = (
        "import time; t = time.perf_counter(); import entities; nlp = entities.Pipeline().load(); "
        "ready = time.perf_counter() - t; nlp('Игорь Бабушкин прибыл в Астрахань.'); "
        "print(ready, time.perf_counter() - t)"
    )
    done = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True).stdout
    ready, first = map(float, done.split())
    return {"help_seconds": help_seconds, "pipeline_ready_seconds": ready, "first_document_seconds": first}


def long_document(megabytes: float, texts: list[str]) -> str:
    parts, total = [], 0
    while total < megabytes * 1_000_000:
        for text in texts:
            parts.append(text)
            total += len(text) + 2
    return "\n\n".join(parts)


def rate(chars: int, docs: int, seconds: float) -> str:
    return f"{chars / seconds:>9,.0f} chars/s {docs / seconds:>6.1f} docs/s"


def mb(peaks: list[float]) -> str:
    return ", ".join(f"{peak:.0f}" for peak in peaks) + " MB"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=8, help="corpus copies for the memory-flatness run")
    parser.add_argument("--long-mb", type=float, default=5, help="size of the one long document, in MB")
    parser.add_argument("--out", type=Path, help="also write the figures to this JSON file")
    args = parser.parse_args()

    name, texts = corpus_texts()
    chars, docs = sum(map(len, texts)), len(texts)
    print(f"texts: {name}: {docs} documents, {chars:,} characters; {os.cpu_count()} CPUs")
    figures: dict = {"corpus": name, "documents": docs, "chars": chars}
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        corpus = write_corpus(texts, tmp / "corpus")
        tiny = tmp / "tiny.txt"
        tiny.write_text("Игорь Бабушкин прибыл в Астрахань.", encoding="utf-8")
        figures["reference_c_dawg"] = run_reference(corpus, "c")
        figures["reference_python_dawg"] = run_reference(corpus, "python")
        for workers in (1, 2):
            run = run_entities(corpus, workers, tmp / "out")
            run["startup_seconds"] = run_entities(tiny, workers, tmp / "out")["seconds"]
            figures[f"workers_{workers}"] = run
            figures[f"library_{workers}"] = run_library(corpus, workers)
        figures[f"workers_2_x{args.repeat}"] = run_entities(
            write_corpus(texts, tmp / "big", args.repeat), 2, tmp / "out"
        )
        long_path = tmp / "long.txt"
        long_path.write_text(long_document(args.long_mb, texts), encoding="utf-8")
        figures["long_document"] = {
            "chars": len(long_path.read_text(encoding="utf-8")),
            **run_entities(long_path, 2, tmp / "out"),
        }
    figures.update(startup())
    report(figures, args.repeat)
    figures["yardstick"] = yardstick()
    if args.out:
        args.out.write_text(json.dumps(figures, indent=2), encoding="utf-8")


def report(figures: dict, repeat: int) -> None:
    chars, docs = figures["chars"], figures["documents"]
    references = {"c": figures["reference_c_dawg"], "python": figures["reference_python_dawg"]}
    for dawg, reference in references.items():
        print(
            f"reference, natasha, {dawg + ' DAWG':<10} {rate(chars, docs, reference['seconds'])}   "
            f"peak RSS {reference['peak_rss_mb']:.0f} MB"
        )
    best = min(reference["seconds"] for reference in references.values())
    ratios = {}
    for workers in (1, 2):
        run = figures[f"workers_{workers}"]
        steady = run["seconds"] - run["startup_seconds"]
        ratios[f"workers_{workers}"] = {"whole_command": best / run["seconds"], "less_startup": best / steady}
        print(
            f"entities --workers {workers}     {rate(chars, docs, run['seconds'])}   {best / run['seconds']:4.1f}x"
            f"   less start-up ({run['startup_seconds']:.1f} s): {rate(chars, docs, steady)}   {best / steady:4.1f}x"
            f"   peak RSS per process {mb(run['peaks_mb'])}"
        )
    for workers in (1, 2):
        library, command = figures[f"library_{workers}"], figures[f"workers_{workers}"]
        print(
            f"Pipeline().pipe(texts, workers={workers}) {rate(chars, docs, library['seconds'])}   "
            f"{command['seconds'] / library['seconds']:4.2f}x the command's speed   "
            f"peak RSS per process {mb(library['peaks_mb'])}"
        )
    big, base = figures[f"workers_2_x{repeat}"], figures["workers_2"]
    growth = big["peaks_mb"][0] / base["peaks_mb"][0] - 1
    print(
        f"{repeat}x the texts, --workers 2: {rate(chars * repeat, docs * repeat, big['seconds'])}   "
        f"peak RSS per process {mb(big['peaks_mb'])} ({growth:+.1%} on the largest)"
    )
    long = figures["long_document"]
    print(
        f"one {long['chars'] / 1e6:.1f} MB document, --workers 2: {rate(long['chars'], 1, long['seconds'])}   "
        f"peak RSS per process {mb(long['peaks_mb'])}"
    )
    print(
        f"entities --help {figures['help_seconds']:.2f} s; Pipeline ready {figures['pipeline_ready_seconds']:.2f} s, "
        f"its first document done {figures['first_document_seconds']:.2f} s after `import entities`; "
        f"the command on one sentence {figures['workers_1']['startup_seconds']:.2f} s"
    )
    figures["ratios"] = {**ratios, "memory_growth": growth}


def yardstick() -> list[str]:
    """The yardstick's table (../shared/bench/throughput.py, run with this python), printed and returned."""
    if not YARDSTICK.exists():
        print(f"yardstick: {YARDSTICK} is not there")
        return []
    print(f"yardstick: {YARDSTICK.name} (whole processes, natasha's and ours, start-up included)")
    done = subprocess.run([sys.executable, str(YARDSTICK)], capture_output=True, text=True, check=True)
    lines = [line for line in done.stdout.splitlines() if line.strip()]
    print("\n".join(lines))
    return lines


if __name__ == "__main__":
    main()
