"""How records look in Jupyter and in a REPL: Document._repr_html_ and the compact reprs."""

from html.parser import HTMLParser

import pytest

from entities import Document, Entity, Mention, Sentence, Text, Token
from entities.facts.catalog import EXTRACTORS
from entities.show.markup import HTML_CHARS, HTML_ENTITIES, runs


class Rendered(HTMLParser):
    """The text of the document's body (type labels left out) and its <mark>s as (text, title)."""

    def __init__(self, html):
        super().__init__(convert_charrefs=True)
        self.tags, self.text, self.marks = [], [], []
        self.feed(html)
        self.text = "".join(self.text)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append((tag, attrs.get("style") or ""))
        if tag == "mark":
            self.marks.append(["", attrs.get("title")])

    def handle_endtag(self, tag):
        assert self.tags.pop()[0] == tag

    def handle_data(self, data):
        styles = [style for _, style in self.tags]
        if not any("pre-wrap" in _ for _ in styles) or any("user-select:none" in _ for _ in styles):
            return
        self.text.append(data)
        if any(tag == "mark" for tag, _ in self.tags):
            self.marks[-1][0] += data


def mention(text, piece, kind, entity_id):
    start = text.index(piece)
    return Mention(start, start + len(piece), kind, piece, piece, entity_id=entity_id)


def test_html_escapes_text_and_names():
    text = 'Фирма <script>alert("x")</script> & «Рога&Копыта» наняла Бабушкина.'
    written = ('<script>alert("x")</script>', "«Рога&Копыта»", "Бабушкина")
    mentions = tuple(
        mention(text, piece, kind, n)
        for n, (piece, kind) in enumerate(zip(written, ("ORG", "ORG", "PER"), strict=True))
    )
    entities = (
        Entity(0, "ORG", '<script>"x"</script>', n_mentions=1),
        Entity(1, "ORG", "Рога & Копыта", n_mentions=1),
        Entity(2, "PER", "Игорь <b>Бабушкин</b>", n_mentions=1),
    )
    doc = Document("<id>", text, mentions=mentions, entities=entities)
    html = doc._repr_html_()
    assert "<script" not in html and "<b>Бабушкин" not in html and "<id>" not in html
    assert "&lt;script&gt;" in html and "&amp;" in html and "&quot;x&quot;" in html
    rendered = Rendered(html)
    assert rendered.text == text
    assert [tuple(_) for _ in rendered.marks] == [
        (m.text, f"{m.type}: {e.canonical}") for m, e in zip(mentions, entities, strict=True)
    ]


def test_html_of_a_real_document_marks_every_mention_once(seed_doc, seed_text):
    html = seed_doc._repr_html_()
    rendered = Rendered(html)
    assert rendered.text == seed_text
    facts = [(extractor, _) for extractor in EXTRACTORS for _ in seed_doc.facts[extractor.name]]
    assert html.count("<mark") == len(seed_doc.mentions) + len(facts) > 10 and facts  # and the dates, the sums
    canonical = {entity.entity_id: entity.canonical for entity in seed_doc.entities}
    expected = [(m.start, m.text, f"{m.type}: {canonical[m.entity_id]}") for m in seed_doc.mentions]
    expected += [(_.start, _.text, f"{extractor.label}: {extractor.title(_)}") for extractor, _ in facts]
    assert [tuple(_) for _ in rendered.marks] == [(text, title) for _, text, title in sorted(expected)]
    assert "Игорь Бабушкин" in html.split("<table", 1)[1]  # the entities table under the text
    for kind in ("PER", "LOC", "ORG", *(extractor.label for extractor in EXTRACTORS)):
        assert kind in html.split("pre-wrap", 1)[0]  # the legend above it


def test_html_of_a_long_text_stops_with_a_note():
    text = "Москва и Казань. " * (HTML_CHARS // 10)
    starts = range(0, len(text), len("Москва и Казань. "))
    mentions = tuple(
        Mention(start + offset, start + offset + 6, "LOC", word, word, entity_id=entity_id)
        for start in starts
        for entity_id, (word, offset) in enumerate((("Москва", 0), ("Казань", 9)))
    )
    doc = Document("long", text, mentions=mentions, entities=(Entity(0, "LOC", "Москва"), Entity(1, "LOC", "Казань")))
    html = doc._repr_html_()
    rendered = Rendered(html)
    assert rendered.text == text[:HTML_CHARS]
    assert len(rendered.marks) == sum(m.stop <= HTML_CHARS for m in mentions) < len(mentions)
    assert f"first {HTML_CHARS:,} of {len(text):,} characters" in html


def test_entities_table_most_mentioned_first_and_bounded():
    entities = tuple(Entity(n, "PER", f"Персона {n}", n_mentions=n % 7 + 1) for n in range(HTML_ENTITIES + 5))
    html = Document("d", "", entities=entities)._repr_html_()
    rows = html.split("<table", 1)[1].split("<tr>")[2:]
    shown = [int(row.split("Персона ")[1].split("<")[0]) for row in rows[:-1]]
    assert len(shown) == HTML_ENTITIES and "… 5 more" in rows[-1]
    counts = [entities[n].n_mentions for n in shown]
    assert counts == sorted(counts, reverse=True)


def test_empty_document_renders():
    html = Document("empty", "")._repr_html_()
    assert "0 mentions, 0 entities" in html and "<table" not in html


OVERLAPS = [
    # mentions (start, stop) -> the ones highlighted; the text is "Москва-Сити и Казань"
    ([(0, 5), (3, 9)], [(0, 5)]),
    ([(3, 9), (0, 5)], [(0, 5)]),
    ([(0, 5), (0, 5)], [(0, 5)]),
    ([(14, 20), (0, 11)], [(0, 11), (14, 20)]),
    ([], []),
]


@pytest.mark.parametrize("spans, marked", OVERLAPS)
def test_runs_keep_the_text_and_skip_overlaps(spans, marked):
    text = "Москва-Сити и Казань"
    mentions = [Mention(a, b, "LOC", text[a:b], text[a:b]) for a, b in spans]
    cut = list(runs(text, mentions))
    assert "".join(run for run, _ in cut) == text
    assert [(m.start, m.stop) for _, m in cut if m is not None] == marked
    assert all(run == text[m.start : m.stop] for run, m in cut if m is not None)


def test_reprs_are_one_short_line():
    long = "Губернатор Астраханской области Игорь Бабушкин " * 50
    token = Token(0, len(long), long, long, "NOUN", {})
    records = [
        Text(long, id="x" * 200),
        token,
        Sentence(0, len(long), long, (token,)),
        Mention(0, len(long), "PER", long, long),
        Entity(0, "PER", long, n_mentions=3),
        Document("y" * 200, long, (Sentence(0, len(long), long),), (Mention(0, 5, "PER", long, long),)),
    ]
    for record in records:
        text = repr(record)
        assert len(text) < 150 and "\n" not in text, text
        assert text.startswith(type(record).__name__ + "(") and "…" in text
    assert repr(Text("Короткий текст.")) == "Text(id=None, text='Короткий текст.')"
