"""The batch engine: worker processes, streaming, long documents. Speed itself is
measured by benchmarks/throughput.py, not here."""

import subprocess

import pandas as pd
import pytest

from conftest import CORPORA
from entities import Pipeline, Text
from entities.run.workers import map_batches
from entities.text.piece import PIECE_CHARS, split_text
from test_cli import ENTITIES, TABLES, read

INPUTS = [CORPORA, *sorted(CORPORA.glob("*.jsonl")), *sorted(CORPORA.glob("*.csv"))]


def blas_threads(pipeline, batch):
    from threadpoolctl import threadpool_info

    return [pool["num_threads"] for pool in threadpool_info() if pool["user_api"] == "blas"]


def test_workers_use_one_blas_thread():
    batches = [[1], [2], [3]]
    results = [threads for _, threads in map_batches(Pipeline(), blas_threads, batches, workers=2)]
    assert results and all(threads and set(threads) == {1} for threads in results)


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    outs = {}
    for workers, batch_size in ((1, 32), (2, 32), (2, 1)):
        out = tmp_path_factory.mktemp(f"w{workers}b{batch_size}")
        result = subprocess.run(
            [ENTITIES, "extract", *map(str, INPUTS), "--out", str(out), "--format", "parquet",
             "--workers", str(workers), "--batch-size", str(batch_size), "--quiet"],
            capture_output=True, text=True,
        )  # fmt: skip
        assert result.returncode == 0, result.stderr
        outs[workers, batch_size] = out
    return outs


@pytest.mark.parametrize("name", TABLES)
def test_same_tables_for_any_workers_and_batch_size(runs, name):
    expected = read(runs[1, 32], name, "parquet")
    assert len(expected) > 0
    for key in ((2, 32), (2, 1)):
        pd.testing.assert_frame_equal(read(runs[key], name, "parquet"), expected)


def test_library_workers_give_the_same_documents(nlp):
    texts = [path.read_text(encoding="utf-8") for path in sorted(CORPORA.rglob("*.txt"))] * 3
    one = list(nlp.pipe(texts))
    two = list(Pipeline(batch_size=2).pipe(texts, workers=2))
    assert [(d.id, d.sentences, d.mentions) for d in one] == [(d.id, d.sentences, d.mentions) for d in two]


def long_text(size):
    paragraphs = [
        "Губернатор Астраханской области Игорь Бабушкин провёл встречу с послом Казахстана Ермеком Кошербаевым.",
        "Стороны обсудили поставки зерна в Актау и развитие порта Оля на Каспии. Министерство транспорта России "
        "поддержало проект, а «Российские железные дороги» обещали новые маршруты через Волгоград.",
        "Мэр Москвы Сергей Собянин открыл в Нижнем Новгороде выставку «Городская среда» вместе с Марией Захаровой.",
    ]
    parts, total, number = [], 0, 0
    while total < size:
        paragraph = f"{number}. {paragraphs[number % len(paragraphs)]}"
        parts.append(paragraph)
        total += len(paragraph) + 2
        number += 1
    return "\n\n".join(parts)


def test_long_document_in_pieces_with_exact_offsets(nlp):
    text = long_text(200_000)
    assert len(split_text("x", text)) > 5
    (doc,) = nlp.pipe([Text(text, "long")])
    assert len(doc.mentions) > 1000
    for mention in doc.mentions:
        assert text[mention.start : mention.stop] == mention.text
        sentence = doc.sentences[mention.sent_id]
        assert sentence.start <= mention.start < mention.stop <= sentence.stop
    starts = [sentence.start for sentence in doc.sentences]
    assert starts == sorted(starts) and len(set(starts)) == len(starts)
    assert {m.normal for m in doc.mentions} >= {"Игорь Бабушкин", "Ермек Кошербаев", "Мария Захарова", "Каспий"}


def test_five_megabyte_document_through_the_command(tmp_path):
    text = long_text(5_000_000)
    path = tmp_path / "long.txt"
    path.write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    result = subprocess.run(
        [ENTITIES, "extract", str(path), "--out", str(out), "--format", "parquet", "-q"], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    documents, sentences, mentions = (read(out, name, "parquet") for name in ("documents", "sentences", "mentions"))
    assert documents[["n_chars", "n_sentences"]].values.tolist() == [[len(text), len(sentences)]]
    assert sentences["sent_id"].tolist() == list(range(len(sentences)))
    assert mentions["mention_id"].tolist() == list(range(len(mentions)))
    assert len(text) // PIECE_CHARS < len(mentions)
    assert all(
        text[start:stop] == value for start, stop, value in mentions[["start", "stop", "text"]].itertuples(index=False)
    )
    first = sentences.set_index("sent_id").loc[mentions["sent_id"]]
    assert (first["start"].to_numpy() <= mentions["start"].to_numpy()).all()
    assert (mentions["stop"].to_numpy() <= first["stop"].to_numpy()).all()
