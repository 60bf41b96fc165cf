"""mkdocs hook: `<!-- extractors -->` in a page becomes the table of the extractors' tables, read from their
declarations (entities.facts.catalog), so the docs list every extractor the code has, with its columns."""

from entities.facts.catalog import EXTRACTORS

MARKER = "<!-- extractors -->"


def extractors_table() -> str:
    rows = ["| table | what it holds | columns |", "|---|---|---|"]
    for extractor in EXTRACTORS:
        columns = ", ".join(f"`{column}`" for column in extractor.schema)
        rows.append(f"| `{extractor.name}` | {extractor.about} | {columns} |")
    return "\n".join(rows)


def on_page_markdown(markdown, **_):
    return markdown.replace(MARKER, extractors_table()) if MARKER in markdown else markdown
