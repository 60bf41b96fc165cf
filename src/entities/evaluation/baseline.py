"""Natasha's raw NER, the baseline of `entities evaluate --compare natasha`.

Runs as `python -m entities.evaluation.baseline` in a process of its own: natasha imports pymorphy2 and yargy, which
entities never loads. Reads JSON lines {"text": ...} on stdin and writes, a line per text, the spans of
natasha's `Doc.segment` + `Doc.tag_ner(NewsNERTagger)` as [[start, stop, type], ...]: slovnet's news NER
over the whole text, nothing after it.
"""

from __future__ import annotations

import io
import json
import sys
from typing import cast


def main() -> None:
    from natasha import Doc, NewsEmbedding, NewsNERTagger, Segmenter

    segmenter, tagger = Segmenter(), NewsNERTagger(NewsEmbedding())
    # a process of its own, its streams the text ones Python opens
    cast(io.TextIOWrapper, sys.stdin).reconfigure(encoding="utf-8")
    cast(io.TextIOWrapper, sys.stdout).reconfigure(encoding="utf-8")
    for line in sys.stdin:
        doc = Doc(json.loads(line)["text"])
        doc.segment(segmenter)
        doc.tag_ner(tagger)
        print(json.dumps([[_.start, _.stop, _.type] for _ in doc.spans]), flush=False)


if __name__ == "__main__":
    main()
