"""Tables: columns, dtypes, offsets, and a lossless CSV round trip."""

import io

import pandas as pd
import pytest

from entities import Text, to_frames
from entities.facts.catalog import NAMES
from entities.tables import SCHEMAS

TEXTS = [
    Text("Игорь Бабушкин прибыл в Астрахань.\n\nОн встретился с Марией Захаровой из МИД России.", "a", "x.jsonl",
         {"rubric": "Политика", "views": 10}),
    Text("", "empty", "x.jsonl", {"rubric": "Пусто"}),
    Text("В Нижнем Новгороде открыли мост через Волгу.", "b", "x.jsonl", {"views": 3}),
]  # fmt: skip


@pytest.fixture(scope="module")
def frames(nlp):
    return to_frames(nlp.pipe(TEXTS))


def test_columns_and_dtypes(frames):
    assert list(frames) == [
        "documents", "sentences", "tokens", "mentions", *NAMES, "entities", "corpus_entities", "cooccurrences",
        "timeline",
    ]  # fmt: skip
    assert "dates" in NAMES
    for name, schema in SCHEMAS.items():
        frame = frames[name]
        assert list(frame.columns[: len(schema)]) == list(schema)
        for column, dtype in schema.items():
            if dtype == "str":
                assert pd.api.types.is_string_dtype(frame[column]), column
            else:
                assert frame[column].dtype == dtype, column


def test_documents_carry_metadata(frames):
    documents = frames["documents"]
    assert list(documents.columns) == [*SCHEMAS["documents"], "rubric", "views"]
    assert documents["doc_id"].tolist() == ["a", "empty", "b"]
    assert documents["n_chars"].tolist() == [len(_.text) for _ in TEXTS]
    assert documents.loc[1, ["n_sentences", "n_tokens"]].tolist() == [0, 0]
    assert documents["rubric"].tolist()[:2] == ["Политика", "Пусто"]


def test_entities_tables(frames):
    mentions, entities = frames["mentions"], frames["entities"]
    захарова = entities.set_index("canonical").loc["Мария Захарова"]
    assert (захарова["type"], захарова["first"], захарова["last"], захарова["n_mentions"]) == (
        "PER",
        "Мария",
        "Захарова",
        1,
    )
    # every mention points to an entity of its document and type
    merged = mentions.merge(entities, on=["doc_id", "entity_id"], suffixes=("", "_entity"))
    assert len(merged) == len(mentions) and (merged["type"] == merged["type_entity"]).all()
    counts = mentions.groupby(["doc_id", "entity_id"]).size()
    assert counts.to_dict() == entities.set_index(["doc_id", "entity_id"])["n_mentions"].to_dict()
    corpus = frames["corpus_entities"]
    assert corpus["corpus_id"].tolist() == list(range(len(corpus)))
    assert set(entities["corpus_id"]) == set(corpus["corpus_id"])


def test_every_row_points_into_its_text(frames):
    texts = {text.id: text.text for text in TEXTS}
    for name in ("sentences", "tokens", "mentions"):
        for row in frames[name].itertuples():
            assert texts[row.doc_id][row.start : row.stop] == row.text


def test_ids_count_from_zero_per_document(frames):
    tokens = frames["tokens"]
    for _, group in tokens.groupby(["doc_id", "sent_id"]):
        assert group["token_id"].tolist() == list(range(len(group)))
    mentions = frames["mentions"]
    for _, group in mentions.groupby("doc_id"):
        assert group["mention_id"].tolist() == list(range(len(group)))


def test_mention_values(frames):
    mentions = frames["mentions"].set_index("text")
    assert mentions.loc["Марией Захаровой", ["type", "normal", "first", "last"]].tolist() == [
        "PER", "Мария Захарова", "Мария", "Захарова",
    ]  # fmt: skip
    assert mentions.loc["Нижнем Новгороде", "normal"] == "Нижний Новгород"
    assert mentions.loc["Астрахань", "first"] == ""


def test_feats_are_ud_strings(frames):
    tokens = frames["tokens"].set_index("text")
    assert tokens.loc["Астрахань", "feats"].split("|")[:2] == ["Animacy=Inan", "Case=Acc"]
    assert tokens.loc[".", "feats"].tolist()[0] == ""


@pytest.mark.parametrize("name", ["sentences", "tokens", "mentions"])
def test_csv_round_trip(frames, name):
    buffer = io.StringIO()
    frames[name].to_csv(buffer, index=False)
    buffer.seek(0)
    nullable = [column for column, dtype in SCHEMAS[name].items() if dtype == "Int64"]  # tokens.head_id: empty is null
    read = pd.read_csv(buffer, keep_default_na=False, na_values={column: [""] for column in nullable})
    pd.testing.assert_frame_equal(read.astype(dict.fromkeys(nullable, "Int64")), frames[name])


def test_empty_input_gives_empty_tables_with_columns():
    frames = to_frames([])
    for name, schema in SCHEMAS.items():
        assert frames[name].empty and list(frames[name].columns) == list(schema)
