"""Throughput and memory of `entities extract` against Natasha's own pipeline, in one run.

    python benchmarks/throughput.py [--repeat 8] [--out FILE.json]

Texts: the FactRuEval test set from ../shared/gold/factru when present, else the
bundled corpora repeated to at least 300,000 characters. Runs, one after another
on the same texts:
  - the reference, benchmarks/reference.py (Natasha: segment, morph, syntax, NER,
    lemmas, span normal forms), timed over the processing, models loaded before;
  - `entities extract DIR --format parquet --workers 1` and `--workers 2`, timed
    over the whole command: start-up, model loading and writing included;
  - `--workers 2` again on the texts repeated --repeat times, for memory flatness;
and prints characters/s, documents/s, the peak RSS of every process and the ratios.
Needs psutil (pip install -e '.[bench]').
"""

from __future__ import annotations

import argparse
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


def watch(command: list[str], env=None) -> tuple[float, dict[int, float], str]:
    """Run a command; wall seconds, peak RSS (MB) of it and of each of its children, stdout."""
    started = time.perf_counter()
    process = psutil.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    peaks: dict[int, float] = {}
    while process.poll() is None:
        try:
            for member in [process, *process.children(recursive=True)]:
                rss = member.memory_info().rss / 2**20
                peaks[member.pid] = max(peaks.get(member.pid, 0.0), rss)
        except psutil.Error:
            pass
        time.sleep(0.02)
    seconds = time.perf_counter() - started
    out, err = process.communicate()
    if process.returncode:
        raise SystemExit(f"{' '.join(command)} failed ({process.returncode}): {err.strip()}")
    peaks[process.pid] = max(peaks.get(process.pid, 0.0), psutil.Process().memory_info().rss * 0)  # keep the key
    return seconds, {pid: peak for pid, peak in peaks.items() if peak}, out


def run_reference(directory: Path) -> dict:
    seconds, peaks, out = watch([sys.executable, str(ROOT / "benchmarks" / "reference.py"), str(directory)])
    result = json.loads(out.strip().splitlines()[-1])
    result["peak_rss_mb"] = max(peaks.values())
    return result


def run_entities(directory: Path, workers: int, out: Path) -> dict:
    shutil.rmtree(out, ignore_errors=True)
    command = [str(BIN / "entities"), "extract", str(directory), "--out", str(out), "--format", "parquet",
               "--workers", str(workers), "--quiet"]
    seconds, peaks, _ = watch(command)
    return {"seconds": seconds, "peaks_mb": sorted(peaks.values(), reverse=True)}


def startup() -> dict:
    started = time.perf_counter()
    subprocess.run([str(BIN / "entities"), "--help"], check=True, capture_output=True)
    help_seconds = time.perf_counter() - started
    code = "import time; t = time.perf_counter(); import entities; entities.Pipeline().load(); print(time.perf_counter() - t)"
    ready = float(subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True).stdout)
    return {"help_seconds": help_seconds, "pipeline_ready_seconds": ready}


def rate(chars: int, docs: int, seconds: float) -> str:
    return f"{chars / seconds:>9,.0f} chars/s {docs / seconds:>7.1f} docs/s"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=8, help="corpus copies for the memory-flatness run")
    parser.add_argument("--out", type=Path, help="also write the figures to this JSON file")
    args = parser.parse_args()

    name, texts = corpus_texts()
    chars, docs = sum(map(len, texts)), len(texts)
    print(f"texts: {name}: {docs} documents, {chars:,} characters; {os.cpu_count()} CPUs")
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        corpus = write_corpus(texts, tmp / "corpus")
        reference = run_reference(corpus)
        one = run_entities(corpus, 1, tmp / "out1")
        two = run_entities(corpus, 2, tmp / "out2")
        big = run_entities(write_corpus(texts, tmp / "big", args.repeat), 2, tmp / "out-big")
    figures = {"corpus": name, "documents": docs, "chars": chars, "reference": reference,
               "workers_1": one, "workers_2": two, f"workers_2_x{args.repeat}": big, **startup()}

    ref_rate = chars / reference["seconds"]
    print(f"reference (natasha)   {rate(chars, docs, reference['seconds'])}   peak RSS {reference['peak_rss_mb']:.0f} MB"
          f"   (models loaded before timing: {reference['load_seconds']:.1f} s)")
    for label, run in (("entities --workers 1", one), ("entities --workers 2", two)):
        ratio = chars / run["seconds"] / ref_rate
        peaks = ", ".join(f"{peak:.0f}" for peak in run["peaks_mb"])
        print(f"{label:<21} {rate(chars, docs, run['seconds'])}   {ratio:4.1f}x reference   peak RSS per process {peaks} MB")
    growth = max(big["peaks_mb"]) / max(two["peaks_mb"]) - 1
    print(f"memory, {args.repeat}x the texts, --workers 2: peak RSS per process "
          f"{', '.join(f'{peak:.0f}' for peak in big['peaks_mb'])} MB ({growth:+.1%} on the largest process)")
    print(f"entities --help {figures['help_seconds']:.2f} s; Pipeline ready {figures['pipeline_ready_seconds']:.2f} s")
    figures["ratios"] = {"workers_1": chars / one["seconds"] / ref_rate, "workers_2": chars / two["seconds"] / ref_rate,
                         "memory_growth": growth}
    if args.out:
        args.out.write_text(json.dumps(figures, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
