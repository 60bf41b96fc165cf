"""Our batched model calls give slovnet's own outputs, tag for tag."""

import pytest

from conftest import CORPORA
from entities import Pipeline
from entities.nlp.weights import EMBEDDING, MORPH, NER, data_path


class SlovnetModels:
    """slovnet's own API, as Natasha uses it: the outputs ours must equal."""

    def __init__(self):
        from navec import Navec
        from slovnet import NER as SlovnetNER
        from slovnet import Morph as SlovnetMorph

        navec = Navec.load(str(data_path(EMBEDDING)))
        self.morph = SlovnetMorph.load(str(data_path(MORPH))).navec(navec)
        self.ner = SlovnetNER.load(str(data_path(NER))).navec(navec)


@pytest.fixture(scope="module")
def slovnet_models():
    return SlovnetModels()


def corpus_texts():
    return [path.read_text(encoding="utf-8") for path in sorted((CORPORA / "news").rglob("*.txt"))]


def factru_texts(shared):
    return [p.read_text(encoding="utf-8") for p in sorted((shared / "gold" / "factru" / "testset").glob("*.txt"))]


@pytest.fixture(params=["corpora", pytest.param("factru", marks=pytest.mark.shared)])
def texts(request):
    if request.param == "corpora":
        return corpus_texts()
    return factru_texts(request.getfixturevalue("shared"))


def test_morph_tags_equal_slovnet(nlp, slovnet_models, texts):
    docs = list(nlp.pipe(texts))
    sentences = [[token.text for token in sentence.tokens] for doc in docs for sentence in doc.sentences]
    expected = [[(token.pos, token.feats) for token in markup.tokens] for markup in slovnet_models.morph.map(sentences)]
    got = [[(token.pos, dict(token.feats)) for token in sentence.tokens] for doc in docs for sentence in doc.sentences]
    assert got == expected


def cut_at_sentences(spans, doc):
    # slovnet may run a span over a paragraph break ('Волгу\n\nНижний Новгород'); we cut it there
    for span in spans:
        for sentence in doc.sentences:
            inside = [t for t in sentence.tokens if span.start <= t.start and t.stop <= span.stop]
            if inside:
                yield inside[0].start, inside[-1].stop, span.type


def test_ner_spans_equal_slovnet_on_whole_documents(slovnet_models, texts):
    # the model's own spans: no corrections (entities.mentions.correction)
    for doc, text in zip(Pipeline(rules=[]).pipe(texts), texts, strict=True):
        expected = list(cut_at_sentences(slovnet_models.ner(text).spans, doc))
        assert [(m.start, m.stop, m.type) for m in doc.mentions] == expected
