"""A document in the terminal (`entities show`): its text with the mentions coloured by type, or marked
`[Игорь Бабушкин]PER` in plain text, and a table of its entities under it. rich loads only here."""

from __future__ import annotations

import io
from typing import TextIO

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text as RichText

from ..records import Document
from .markup import runs

STYLES = {"PER": "bold blue", "LOC": "bold green", "ORG": "bold magenta"}
HEADER = ("type", "canonical", "first", "middle", "last", "mentions")


def marked_text(doc: Document) -> str:
    # 'Такое заявление [Игорь Бабушкин]PER сделал…'
    marked = (text if mention is None else f"[{text}]{mention.type}" for text, mention in runs(doc.text, doc.mentions))
    return "".join(marked)


def styled_text(doc: Document) -> RichText:
    text = RichText()
    for run, mention in runs(doc.text, doc.mentions):
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
    if color:
        console.print(styled_text(doc), "", table, sep="\n")
    else:
        file.write(marked_text(doc).rstrip("\n") + "\n\n")
        file.write(plain_table(table, console.width))
