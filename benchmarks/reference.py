"""The reference: Natasha's own pipeline, as its README shows it, over a directory of .txt files.

Run by throughput.py in a process of its own (natasha imports pymorphy2 and yargy,
which the project itself never loads). Prints one JSON line.
"""

import json
import resource
import sys
import time
from pathlib import Path


def main(directory: str, dawg: str = "c") -> None:
    if dawg == "python":
        # as `pip install natasha` alone has it: pymorphy2 on the pure-Python DAWG reader
        sys.modules["dawg"] = None
    from natasha import Doc, MorphVocab, NewsEmbedding, NewsMorphTagger, NewsNERTagger, NewsSyntaxParser, Segmenter

    started = time.perf_counter()
    segmenter, vocab, emb = Segmenter(), MorphVocab(), NewsEmbedding()
    morph, syntax, ner = NewsMorphTagger(emb), NewsSyntaxParser(emb), NewsNERTagger(emb)
    loaded = time.perf_counter()
    texts = [path.read_text(encoding="utf-8") for path in sorted(Path(directory).rglob("*.txt"))]
    began = time.perf_counter()
    mentions = 0
    for text in texts:
        doc = Doc(text)
        doc.segment(segmenter)
        doc.tag_morph(morph)
        doc.parse_syntax(syntax)
        doc.tag_ner(ner)
        for token in doc.tokens:
            token.lemmatize(vocab)
        for span in doc.spans:
            span.normalize(vocab)
        mentions += len(doc.spans)
    ended = time.perf_counter()
    print(
        json.dumps(
            {
                "load_seconds": loaded - started,
                "seconds": ended - began,
                "documents": len(texts),
                "chars": sum(map(len, texts)),
                "mentions": mentions,
                "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                "dawg": dawg,
            }
        )
    )


if __name__ == "__main__":
    main(*sys.argv[1:])
