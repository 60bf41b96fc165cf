"""A document's text cut into runs of plain text and marks (mentions, and the extractors' dates, sums, …),
and drawn as self-contained HTML for Jupyter.

Stdlib only: `Document._repr_html_` calls it, and `import entities` stays cheap. It takes a document as
records.Document is, and does not import it: the records import their renderer (lazily), not the other way.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from html import escape
from typing import NamedTuple, Protocol

from ..facts.catalog import EXTRACTORS


class Mention(Protocol):
    """What is drawn of a mention (records.Mention): read-only fields."""

    @property
    def start(self) -> int: ...
    @property
    def stop(self) -> int: ...
    @property
    def type(self) -> str: ...
    @property
    def normal(self) -> str: ...
    @property
    def entity_id(self) -> int: ...


class Entity(Protocol):
    """What is drawn of an entity (records.Entity)."""

    @property
    def entity_id(self) -> int: ...
    @property
    def type(self) -> str: ...
    @property
    def canonical(self) -> str: ...
    @property
    def n_mentions(self) -> int: ...


class Document(Protocol):
    """What is drawn of a document (records.Document)."""

    @property
    def id(self) -> str: ...
    @property
    def text(self) -> str: ...
    @property
    def mentions(self) -> Sequence[Mention]: ...
    @property
    def entities(self) -> Sequence[Entity]: ...
    @property
    def facts(self) -> Mapping[str, Sequence]: ...


class Mark(NamedTuple):
    """A fact's span drawn as a mention is: 'DATE' its type, what it says its title."""

    start: int
    stop: int
    type: str
    normal: str
    entity_id: int = -1


HTML_CHARS = 50_000  # a longer text is drawn up to here, with a note
HTML_ENTITIES = 50  # rows of the entities table under the text

# background, label colour; dark text on a light background reads in light and dark themes alike
COLORS = {"PER": ("#dbeafe", "#1e40af"), "LOC": ("#dcfce7", "#166534"), "ORG": ("#fef3c7", "#92400e")}
COLORS.update((extractor.label, (extractor.colour, extractor.ink)) for extractor in EXTRACTORS)
OTHER = ("#e5e7eb", "#374151")
NAMES = {"PER": "person", "LOC": "place", "ORG": "organization"}
NAMES.update((extractor.label, extractor.name) for extractor in EXTRACTORS)

BOX = "font-family:sans-serif;font-size:14px;line-height:1.9;max-width:60em"
HEAD = "font-size:12px;color:#555;margin-bottom:4px"
BODY = "white-space:pre-wrap;overflow-wrap:break-word"
MARK = "background:{};color:#111;padding:1px 3px;border-radius:3px"
LABEL = "font-size:9px;font-weight:bold;color:{};margin-left:3px;user-select:none"
TABLE = "font-size:12px;border-collapse:collapse;margin-top:8px"
CELL = "padding:1px 8px;text-align:left;border-bottom:1px solid #ddd"


Run = tuple[str, "Mention | None"]


def runs(text: str, mentions: Sequence[Mention], stop: int | None = None) -> Iterator[Run]:
    """('Губернатор ', None), ('Игорь Бабушкин', Mention), (' встретился…', None): the text, in order.

    Mentions are taken by start; one that overlaps the one before it (the pipeline makes none)
    stays plain text. With `stop`, the text ends there and mentions past it are left out.
    """
    stop = len(text) if stop is None else min(stop, len(text))
    position = 0
    for mention in sorted(mentions, key=lambda _: (_.start, _.stop)):
        if mention.start < position or mention.stop > stop:
            continue
        if mention.start > position:
            yield text[position : mention.start], None
        yield text[mention.start : mention.stop], mention
        position = mention.stop
    if position < stop:
        yield text[position:stop], None


def marks(doc: Document) -> list:
    """The document's mentions, then each extractor's records as Marks: what is highlighted."""
    found: list = list(doc.mentions)
    for extractor in EXTRACTORS:
        records = doc.facts.get(extractor.name, ())
        found += [Mark(_.start, _.stop, extractor.label, extractor.title(_)) for _ in records]
    return found


def fact_counts(doc: Document) -> str:
    # '1 dates, 2 money': each extractor's records
    return ", ".join(f"{len(doc.facts.get(_.name, ()))} {_.name}" for _ in EXTRACTORS)


def canonical_names(doc: Document) -> dict[int, str]:
    return {entity.entity_id: entity.canonical for entity in doc.entities}


def mention_title(mention: Mention, names: dict[int, str]) -> str:
    # 'PER: Игорь Бабушкин', the canonical name of the mention's entity
    return f"{mention.type}: {names.get(mention.entity_id, mention.normal)}"


def label_html(kind: str) -> str:
    # the small 'PER' after a mention
    return f'<span style="{LABEL.format(COLORS.get(kind, OTHER)[1])}">{escape(kind)}</span>'


def legend_html() -> str:
    items = (f'<span style="{MARK.format(COLORS[_][0])}">{NAMES[_]}{label_html(_)}</span>' for _ in COLORS)
    return " ".join(items)


def mark_html(text: str, mention: Mention, names: dict[int, str]) -> str:
    background = COLORS.get(mention.type, OTHER)[0]
    title = escape(mention_title(mention, names))
    return f'<mark title="{title}" style="{MARK.format(background)}">{escape(text)}{label_html(mention.type)}</mark>'


def text_html(doc: Document, limit: int = HTML_CHARS) -> str:
    names = canonical_names(doc)
    parts = (
        escape(text) if mention is None else mark_html(text, mention, names)
        for text, mention in runs(doc.text, marks(doc), limit)
    )
    return f'<div style="{BODY}">{"".join(parts)}</div>'


def head_html(doc: Document, limit: int = HTML_CHARS) -> str:
    counts = f"{len(doc.mentions)} mentions, {len(doc.entities)} entities, {fact_counts(doc)}"
    cut = f", first {limit:,} of {len(doc.text):,} characters shown" if len(doc.text) > limit else ""
    return f'<div style="{HEAD}"><b>{escape(str(doc.id))}</b> · {counts}{cut} · {legend_html()}</div>'


def row_html(cells: Sequence[object], tag: str = "td") -> str:
    return "<tr>" + "".join(f'<{tag} style="{CELL}">{escape(str(_))}</{tag}>' for _ in cells) + "</tr>"


def entities_html(doc: Document, rows: int = HTML_ENTITIES) -> str:
    """The document's entities, most mentioned first."""
    if not doc.entities:
        return ""
    ranked = sorted(doc.entities, key=lambda _: (-_.n_mentions, _.entity_id))
    lines = [row_html(("type", "canonical", "mentions"), "th")]
    lines += [row_html((_.type, _.canonical, _.n_mentions)) for _ in ranked[:rows]]
    if len(ranked) > rows:
        lines.append(row_html(("", f"… {len(ranked) - rows} more", "")))
    return f'<table style="{TABLE}">{"".join(lines)}</table>'


def document_html(doc: Document) -> str:
    """The text with each mention highlighted in its type's colour (its entity's name as a tooltip),
    a legend, and the entities table; inline styles only, every string escaped."""
    return f'<div style="{BOX}">{head_html(doc)}{text_html(doc)}{entities_html(doc)}</div>'
