"""The public API: what `import entities` gives, and what it must not pull in."""

import json
import subprocess
import sys

import pytest

import entities
from entities import Document, EntitiesError, Mention, Pipeline, Text

PUBLIC = [
    "Pipeline",
    "Document",
    "Sentence",
    "Token",
    "Mention",
    "Entity",
    "Text",
    "EntitiesError",
    "to_frames",
    "evaluate",
    "read_texts",
    "read_tables",
    "graph",
]
FORBIDDEN = ("pymorphy2", "yargy", "natasha", "ipymarkup.dep")


def test_all_is_the_documented_api():
    assert sorted(entities.__all__) == sorted(PUBLIC)
    for name in PUBLIC:
        assert getattr(entities, name) is not None


def run_python(code):
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return json.loads(result.stdout)


def test_import_is_cheap():
    # a document drawn for Jupyter needs nothing heavy either
    code = (
        "import sys, json, entities; entities.Document('d', 'Москва')._repr_html_(); "
        "print(json.dumps(sorted(sys.modules)))"
    )
    heavy = ("pandas", "numpy", "slovnet", "navec", "pymorphy3", "pyarrow", "rich", "networkx")
    assert [m for m in run_python(code) if m.split(".")[0] in heavy] == []


def test_pipeline_run_never_imports_pymorphy2_yargy_natasha():
    code = (
        "import sys, json, entities\n"
        "doc = entities.Pipeline()('Игорь Бабушкин прилетел в Астрахань.')\n"
        "frames = entities.to_frames([doc])\n"
        "assert doc.mentions\n"
        "print(json.dumps(sorted(sys.modules)))"
    )
    modules = run_python(code)
    assert "slovnet" in modules and "pymorphy3" in modules
    assert [m for m in modules if m.split(".")[0] in FORBIDDEN] == []


def test_models_load_lazily_once():
    nlp = Pipeline()
    assert "not loaded" in repr(nlp)
    nlp("Мэр Москвы Сергей Собянин открыл станцию.")
    taggers = nlp.taggers
    nlp("Ещё один текст.")
    assert nlp.taggers is taggers


def test_call_is_pipe_of_one(nlp):
    text = "Министр иностранных дел России Сергей Лавров прибыл в Анкару."
    assert nlp(text).mentions == next(nlp.pipe([text])).mentions


def test_pipe_streams_and_batches_across_documents(nlp, seed_text):
    texts = [seed_text, "", "Владимир Путин встретился с Си Цзиньпином в Пекине.", seed_text[:500]] * 3
    one = list(Pipeline(batch_size=1).pipe(texts))
    many = list(nlp.pipe(texts, batch_size=5))
    assert [d.mentions for d in one] == [d.mentions for d in many]
    assert [d.id for d in many] == [str(n) for n in range(1, len(texts) + 1)]
    assert many[1].sentences == () and many[1].mentions == ()


def test_pipe_is_lazy(nlp):
    def texts():
        yield "Первый текст о Москве."
        raise AssertionError("read past the first batch")

    docs = nlp.pipe(texts(), batch_size=1)
    assert next(docs).mentions[0].normal == "Москва"


def test_text_records_keep_id_source_and_meta(nlp):
    doc = nlp(Text("Глава Татарстана посетил Казань.", id="a-1", source="wire.jsonl", meta={"rubric": "Регион"}))
    assert (doc.id, doc.source, dict(doc.meta)) == ("a-1", "wire.jsonl", {"rubric": "Регион"})
    assert isinstance(doc, Document) and all(isinstance(m, Mention) for m in doc.mentions)


def test_bad_item_is_a_clear_error(nlp):
    with pytest.raises(EntitiesError, match=r"expected a str or entities\.Text, got int"):
        list(nlp.pipe([42]))


def test_records_print_compactly(seed_doc):
    assert len(repr(seed_doc)) < 150
    assert repr(seed_doc.mentions[0]).startswith("Mention(")


def test_read_texts_reads_what_extract_reads(tmp_path):
    (tmp_path / "news").mkdir()
    (tmp_path / "news" / "a.txt").write_text("Мэр Казани открыл парк.", encoding="utf-8")
    (tmp_path / "wire.jsonl").write_text(
        '{"id": "w-1", "text": "Глава Татарстана", "rubric": "Регион"}\n', encoding="utf-8"
    )
    texts = list(entities.read_texts([str(tmp_path / "news"), str(tmp_path / "wire.jsonl")]))
    assert [(_.id, _.text, dict(_.meta)) for _ in texts] == [
        ("a.txt", "Мэр Казани открыл парк.", {}),
        ("w-1", "Глава Татарстана", {"rubric": "Регион"}),
    ]
    with pytest.raises(EntitiesError, match=r"absent\.txt: no such file"):
        entities.read_texts([str(tmp_path / "news"), str(tmp_path / "absent.txt")])  # at the call, before reading


def test_read_texts_raises_at_a_document_it_can_not_read(tmp_path):
    (tmp_path / "wire.jsonl").write_text(
        '{"id": "w-1", "text": "Казань"}\n{"id": "w-2", "body": "?"}\n', encoding="utf-8"
    )
    texts = entities.read_texts([str(tmp_path / "wire.jsonl")])
    assert next(texts).id == "w-1"
    with pytest.raises(EntitiesError, match="w-2: no 'text' field"):
        next(texts)
    texts = entities.read_texts([str(tmp_path / "wire.jsonl")], text_column="body")
    with pytest.raises(EntitiesError, match="w-1: no 'body' field"):
        list(texts)
