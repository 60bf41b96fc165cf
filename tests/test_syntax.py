"""Syntax on request (`Pipeline(syntax=True)`, `entities extract --syntax`): each token's head and relation are
slovnet's own, token for token; off by default, with nothing loaded and the columns empty."""

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

import entities
from conftest import need_shared
from entities import Pipeline
from entities.nlp import weights
from entities.nlp.parser import SCORES
from entities.nlp.weights import EMBEDDING, SYNTAX, data_path

ENTITIES = Path(sys.executable).parent / "entities"
TEXTS = {
    "a.txt": "Губернатор открыл новый мост через Волгу.\n\nНа церемонии выступил министр транспорта.",
    "b.txt": "Суд арестовал бывшего мэра города. Его обвиняют в получении взятки.",
    "c.txt": "Депутаты приняли закон во втором чтении.",
}

# sentence | word relation head, ...: the head's text, '-' for the root
ARCS = """
Губернатор открыл новый мост через Волгу. | открыл root -, Губернатор nsubj открыл, мост obj открыл, новый amod мост
Правительство утвердило бюджет на следующий год. | утвердило root -, Правительство nsubj утвердило, бюджет obj утвердило
Министр представил депутатам проект закона. | представил root -, Министр nsubj представил, депутатам iobj представил
В Казани прошёл международный форум. | прошёл root -, форум nsubj прошёл, Казани obl прошёл, В case Казани
Суд арестовал бывшего мэра города. | арестовал root -, Суд nsubj арестовал, мэра obj арестовал, города nmod мэра
Полиция задержала подозреваемого в краже. | задержала root -, Полиция nsubj задержала, подозреваемого obj задержала
Завод выпустил первую партию автомобилей. | выпустил root -, Завод nsubj выпустил, партию obj выпустил, . punct выпустил
Депутаты приняли закон во втором чтении. | приняли root -, Депутаты nsubj приняли, закон obj приняли, чтении obl приняли
"""  # fmt: skip


def parse_arcs(line: str) -> tuple[str, list[tuple[str, str, str]]]:
    sentence, arcs = line.split(" | ")
    return sentence, [tuple(arc.split()) for arc in arcs.split(", ")]


@pytest.fixture(scope="session")
def parser():
    return Pipeline(syntax=True)


@pytest.fixture(scope="module")
def slovnet_syntax():
    """slovnet's own API, as Natasha loads it: the heads and relations ours must equal."""
    from navec import Navec
    from slovnet import Syntax

    return Syntax.load(str(data_path(SYNTAX))).navec(Navec.load(str(data_path(EMBEDDING))))


def slovnet_arcs(markup) -> list[tuple[int | None, str]]:
    # slovnet numbers a sentence's words from 1 and its root 0: head '3' -> token_id 2, '0' -> None
    return [(None if token.head_id == "0" else int(token.head_id) - 1, token.rel) for token in markup.tokens]


def test_heads_and_relations_equal_slovnet_on_factru_dev(parser, slovnet_syntax):
    paths = sorted((need_shared() / "gold" / "factru" / "devset").glob("*.txt"))
    docs = list(parser.pipe(entities.Text(path.read_text(encoding="utf-8"), path.name) for path in paths))
    sentences = [(doc.id, sentence) for doc in docs for sentence in doc.sentences]
    theirs = slovnet_syntax.map([[token.text for token in sentence.tokens] for _, sentence in sentences])
    differ = [
        (doc_id, sentence.text[:60], ours, expected)
        for (doc_id, sentence), markup in zip(sentences, theirs, strict=True)
        if (ours := [(token.head_id, token.rel) for token in sentence.tokens]) != (expected := slovnet_arcs(markup))
    ]
    assert len(paths) == 122 and len(sentences) > 1500
    assert differ == []


def test_a_sentence_longer_than_a_block_of_scores_equals_slovnet(parser, slovnet_syntax):
    # 3,200 words and no full stop: one sentence, its pair scores computed 327 words at a time
    words = ["мэр", "открыл", "мост", "и", "губернатор", "приехал", "в", "город"] * 400
    (sentence,) = parser(" ".join(words)).sentences
    assert len(sentence.tokens) == len(words) > SCORES // len(words)
    assert [(token.head_id, token.rel) for token in sentence.tokens] == slovnet_arcs(slovnet_syntax(words))


class NounTagger:
    """A morphology tagger of the user's: every word a noun."""

    def __call__(self, sentences):
        return [[("NOUN", {}) for _ in words] for words in sentences]


def test_a_morph_tagger_of_the_user_s_leaves_the_syntax_as_it_is(parser):
    text = "Суд арестовал бывшего мэра города. Его обвиняют в получении взятки."
    own = Pipeline(syntax=True, morph_tagger=NounTagger())(text)
    assert {token.pos for token in own.tokens} == {"NOUN"}
    assert [(t.head_id, t.rel) for t in own.tokens] == [(t.head_id, t.rel) for t in parser(text).tokens]


@pytest.mark.parametrize("line", ARCS.strip().splitlines())
def test_relations_read_by_eye(parser, line):
    sentence, arcs = parse_arcs(line)
    tokens = parser(sentence).tokens
    found = {token.text: (token.rel, "-" if token.head_id is None else tokens[token.head_id].text) for token in tokens}
    assert [(word, *found[word]) for word, _, _ in arcs] == arcs


def test_heads_point_into_the_sentence(parser):
    doc = parser("Мэр открыл станцию. Её построили за год.\n\nПассажиры довольны.")
    for sentence in doc.sentences:
        heads = [token.head_id for token in sentence.tokens]
        assert heads.count(None) >= 1 and all(0 <= head < len(heads) for head in heads if head is not None)
        assert [token.rel for token in sentence.tokens if token.head_id is None] == ["root"] * heads.count(None)


def refuse(*args, **kwargs):
    raise AssertionError("the syntax model was loaded with syntax off")


def test_off_by_default_nothing_loads(monkeypatch):
    monkeypatch.setattr(weights, "load_syntax", refuse)
    nlp = Pipeline().load()
    tokens = nlp("Губернатор открыл новый мост через Волгу.").tokens
    assert [(token.head_id, token.rel) for token in tokens] == [(None, "")] * len(tokens)
    assert nlp.syntax_tagger is None and "syntax" not in repr(nlp)
    assert Pipeline(syntax=True).options["syntax"] and not nlp.options["syntax"]


def test_soft_hyphens_keep_the_syntax(parser):
    # the taggers read 'Губер\xadнатор' as 'Губернатор'; the restored tokens keep what they were given
    plain, written = parser("Губернатор открыл мост."), parser("Губер\xadнатор открыл мост.")
    assert [(t.head_id, t.rel) for t in written.tokens] == [(t.head_id, t.rel) for t in plain.tokens]
    assert written.tokens[0].text == "Губер\xadнатор"


@pytest.fixture(scope="module")
def inputs(tmp_path_factory):
    folder = tmp_path_factory.mktemp("inputs")
    for name, text in TEXTS.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def extract(inputs, out, *options) -> pd.DataFrame:
    # the installed command; --batch-size 1: with -w 2 both workers get documents
    command = [ENTITIES, "extract", inputs, "--out", out, "-q", "--batch-size", "1", *options]
    result = subprocess.run(list(map(str, command)), capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return entities.read_tables(out)["tokens"]


@pytest.fixture(scope="module")
def syntax_tokens(inputs, tmp_path_factory):
    return extract(inputs, tmp_path_factory.mktemp("parquet"), "-f", "parquet", "-w", "1", "--syntax")


def test_the_command_fills_the_columns_with_syntax_only(inputs, tmp_path, syntax_tokens, parser):
    plain = extract(inputs, tmp_path, "-f", "parquet", "-w", "1")
    assert plain["head_id"].isna().all() and (plain["rel"] == "").all()
    columns = [column for column in plain.columns if column not in ("head_id", "rel")]
    pd.testing.assert_frame_equal(plain[columns], syntax_tokens[columns])
    docs = parser.pipe(entities.Text(text, name) for name, text in TEXTS.items())
    expected = entities.to_frames(docs)["tokens"]
    pd.testing.assert_frame_equal(syntax_tokens, expected)
    assert syntax_tokens["head_id"].isna().any() and syntax_tokens["head_id"].notna().any()


def test_two_workers_give_the_tokens_of_one(inputs, tmp_path, syntax_tokens):
    pd.testing.assert_frame_equal(extract(inputs, tmp_path, "-f", "parquet", "-w", "2", "--syntax"), syntax_tokens)


@pytest.mark.parametrize("fmt", ["csv", "jsonl", "duckdb"])
def test_every_format_reads_back_the_nulls(inputs, tmp_path, syntax_tokens, fmt):
    if fmt == "duckdb":
        pytest.importorskip("duckdb")
    pd.testing.assert_frame_equal(extract(inputs, tmp_path, "-f", fmt, "-w", "1", "--syntax"), syntax_tokens)


def test_the_dask_engine_gives_the_tokens_of_a_local_run(inputs, tmp_path, syntax_tokens):
    # a partition per file: both workers build the pipeline of the options, syntax on
    pytest.importorskip("distributed", reason="the dask extra is not installed: pip install -e '.[dask]'")
    tokens = extract(inputs, tmp_path, "--engine", "dask", "-w", "2", "--chunk-chars", "50", "--syntax")
    keys = ["doc_id", "sent_id", "token_id"]
    found = tokens.sort_values(keys).reset_index(drop=True)
    pd.testing.assert_frame_equal(found, syntax_tokens.sort_values(keys).reset_index(drop=True))
