"""A document in the terminal (`entities show`): its text with the mentions coloured by type, or marked
`[Игорь Бабушкин]PER` in plain text, and a table of its entities under it. rich loads only here."""

from __future__ import annotations

import io
from typing import TextIO

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text as RichText

from ..facts.catalog import EXTRACTORS
from ..records import Document
from .markup import fact_counts, marks, runs

STYLES = {"PER": "bold blue", "LOC": "bold green", "ORG": "bold magenta"}
STYLES.update((extractor.label, f"bold {extractor.ink}") for extractor in EXTRACTORS)
HEADER = ("type", "canonical", "first", "middle", "last", "mentions")


def marked_text(doc: Document) -> str:
    # 'Такое заявление [Игорь Бабушкин]PER сделал [11 июня]DATE…'
    marked = (text if mention is None else f"[{text}]{mention.type}" for text, mention in runs(doc.text, marks(doc)))
    return "".join(marked)


def styled_text(doc: Document) -> RichText:
    text = RichText()
    for run, mention in runs(doc.text, marks(doc)):
        text.append(run, style=None if mention is None else STYLES.get(mention.type, "bold"))
    text.rstrip()
    return text


def entity_table(doc: Document, color: bool) -> Table:
    title = f"{len(doc.entities)} entities, {len(doc.mentions)} mentions"
    table = Table(*HEADER, box=box.SIMPLE_HEAD, title=title, title_justify="left", show_edge=False, pad_edge=False)
    table.columns[-1].justify = "right"
    for entity in doc.entities:
        kind = RichText(entity.type, style=STYLES.get(entity.type, "") if color else "")
        names = (entity.canonical, entity.first, entity.middle, entity.last)
        table.add_row(kind, *map(RichText, names), str(entity.n_mentions))  # RichText: no [markup] read
    return table


def facts_table(doc: Document, color: bool) -> Table | None:
    """Each extractor's records: what the text says ('11 июня 2017 года') and what it means ('2017-06-11')."""
    rows = [(extractor, record) for extractor in EXTRACTORS for record in doc.facts.get(extractor.name, ())]
    if not rows:
        return None
    table = Table("kind", "text", "value", box=box.SIMPLE_HEAD, title=fact_counts(doc), title_justify="left",
                  show_edge=False, pad_edge=False)  # fmt: skip
    for extractor, record in rows:
        kind = RichText(extractor.label, style=STYLES[extractor.label] if color else "")
        table.add_row(kind, RichText(record.text), RichText(extractor.title(record)))
    return table


def legend(color: bool) -> RichText:
    # 'PER LOC ORG DATE MONEY', each in its style: what the colours of the text mean
    text = RichText()
    for kind, style in STYLES.items():
        text.append(kind, style=style if color else None)
        text.append(" ")
    text.rstrip()
    return text


def make_console(file: TextIO, color: bool) -> Console:
    # plain: no escape codes at all, whatever the terminal; colour: forced, even into a pipe
    if color:
        return Console(file=file, force_terminal=True, no_color=False, highlight=False, emoji=False)
    return Console(file=file, force_terminal=False, no_color=True, color_system=None, highlight=False, emoji=False)


def plain_table(table: Table, width: int) -> str:
    # rich pads every line to the table's width; a pipe gets the lines without trailing spaces
    written = io.StringIO()
    console = make_console(written, color=False)
    console.width = width
    console.print(table)
    return "".join(line.rstrip() + "\n" for line in written.getvalue().splitlines())


def print_document(doc: Document, file: TextIO, color: bool) -> None:
    """The text, then the entities table. Plain text is written as it is: tabs, spaces and lines kept."""
    console, table = make_console(file, color), entity_table(doc, color)
    facts = facts_table(doc, color)
    if color:
        console.print(legend(color), styled_text(doc), "", table, *(["", facts] if facts else []), sep="\n")
    else:
        file.write(marked_text(doc).rstrip("\n") + "\n\n")
        file.write(plain_table(table, console.width))
        if facts:
            file.write("\n" + plain_table(facts, console.width))
