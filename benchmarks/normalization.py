"""Normal forms and grouping of mentions against the FactRuEval gold: entities vs Natasha, in one run.

    python benchmarks/normalization.py [--gold DIR] [--sets devset testset] [--errors N] [--json FILE]

For each set (DIR/SET: DIR a factRuEval-2016 checkout, by default ../shared/gold/factru; read by
entities.evaluation.factru), the same texts go through
  - ours: `entities.Pipeline().pipe`;
  - Natasha's README pipeline with syntax: segment, tag_morph, parse_syntax, tag_ner, span.normalize.
and it prints:
  - normal forms: accuracy per type and overall on the gold mentions both systems found with exactly the gold
    span and type (and that have a gold normal form, see entities.evaluation.factru). Strings compare with ё as е; the
    strict figure compares them as they are, the `any case` one also ignores case;
  - grouping: pairwise precision/recall/F1 of "these two mentions are one entity" inside each document, over
    the pairs of a system's mentions that match a gold mention exactly, summed over the corpus. Gold: same
    chain; ours: same entity_id; Natasha's baseline (and ours, for reference): same type and normal form.
  - across the corpus: the same over every pair of the set's matched mentions, the set run as one corpus.
    Gold: two chains are one entity when their normalized attributes agree (a person's first and last name;
    a place's or body's name, any of its names); ours: same corpus_id; the baseline: same type and normal form.
Tune on devset only.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Hashable, Iterator
from dataclasses import dataclass
from pathlib import Path

import entities
from entities.evaluation.factru import GoldDocument, GoldMention, parse_chains, read_corpus, read_lines
from entities.evaluation.scores import Counts
from entities.records import TYPES
from gold_scores import pair_counts, strict, tally, unify_yo

GOLD = Path(__file__).resolve().parent.parent.parent / "shared" / "gold" / "factru"
OVERALL = "all"


@dataclass(frozen=True)
class Found:
    """A system's mention: span, type, normal form, and the key that groups it with others."""

    start: int
    stop: int
    type: str
    normal: str
    key: Hashable


@dataclass(frozen=True)
class Compared:
    """A gold mention both systems found exactly, with the three normal forms."""

    doc_id: str
    text: str
    type: str
    gold: str
    ours: str
    natasha: str


def entity_key(mention) -> Hashable:
    # entity_id when the pipeline groups (>= 0); before it did, mentions equal in type and normal form
    entity_id = getattr(mention, "entity_id", -1)
    return entity_id if entity_id >= 0 else (mention.type, mention.normal)


def run_ours(docs: list[GoldDocument]) -> tuple[list[list[Found]], list[list[Found]]]:
    """Our mentions keyed by entity_id, and keyed by corpus_id (the set as one corpus)."""
    texts = [entities.Text(doc.text, id=doc.id) for doc in docs]
    found = list(entities.Pipeline().pipe(texts))
    tables = entities.to_frames(found)
    corpus_id = dict(
        zip(
            zip(tables["entities"]["doc_id"], tables["entities"]["entity_id"], strict=True),
            tables["entities"]["corpus_id"],
            strict=True,
        )
    )
    in_document = [[Found(m.start, m.stop, m.type, m.normal, entity_key(m)) for m in doc.mentions] for doc in found]
    in_corpus = [
        [Found(m.start, m.stop, m.type, m.normal, corpus_id[doc.id, m.entity_id]) for m in doc.mentions]
        for doc in found
    ]
    return in_document, in_corpus


def fold_name(text: str) -> str:
    return " ".join(unify_yo(text).lower().split())


def gold_identities(folder: Path, golds: list[GoldDocument]) -> dict[tuple[str, str], str]:
    """(doc id, chain id) -> the entity across the set: a person by first and last name; a place or body
    by its names (chains that share one are one entity)."""
    parent: dict[str, str] = {}

    def find(node: str) -> str:
        while parent.setdefault(node, node) != node:
            node = parent[node]
        return node

    types = {(gold.id, m.chain): m.type for gold in golds for m in gold.mentions}
    for gold in golds:
        chains = parse_chains("\n".join(read_lines(folder / f"{gold.id}.coref")))
        for chain in chains:
            node, kind = f"{gold.id}/{chain.id}", types.get((gold.id, chain.id))
            first, last = chain.values("firstname"), chain.values("lastname")
            if kind == "PER" and first and last:
                parent[find(node)] = find(f"PER:{fold_name(first[0])} {fold_name(last[0])}")
            elif kind in ("LOC", "ORG"):
                for value in chain.values("name"):
                    parent[find(node)] = find(f"{kind}:{fold_name(value)}")
    return {(gold.id, m.chain): find(f"{gold.id}/{m.chain}") for gold in golds for m in gold.mentions}


def corpus_grouping(
    golds: list[GoldDocument], runs: list[list[Found]], identities: dict, key=lambda _: _.key
) -> Counts:
    """Pairwise counts over every pair of the set's matched mentions, from the contingency table."""
    from collections import Counter

    pairs = [
        (identities[gold.id, m.chain], key(f))
        for gold, found in zip(golds, runs, strict=True)
        for m, f in matched(gold, found)
    ]
    same = lambda counts: sum(n * (n - 1) // 2 for n in counts.values())  # noqa: E731
    both, gold_same, ours_same = (
        same(Counter(pairs)),
        same(Counter(g for g, _ in pairs)),
        same(Counter(k for _, k in pairs)),
    )
    return Counts(both, ours_same - both, gold_same - both)


def run_natasha(docs: list[GoldDocument]) -> Iterator[list[Found]]:
    from natasha import Doc, MorphVocab, NewsEmbedding, NewsMorphTagger, NewsNERTagger, NewsSyntaxParser, Segmenter

    segmenter, vocab, emb = Segmenter(), MorphVocab(), NewsEmbedding()
    morph, syntax, ner = NewsMorphTagger(emb), NewsSyntaxParser(emb), NewsNERTagger(emb)
    for gold in docs:
        doc = Doc(gold.text)
        doc.segment(segmenter)
        doc.tag_morph(morph)
        doc.parse_syntax(syntax)
        doc.tag_ner(ner)
        for span in doc.spans:
            span.normalize(vocab)
        yield [Found(s.start, s.stop, s.type, s.normal or s.text, (s.type, s.normal)) for s in doc.spans]


def by_span(found: list[Found]) -> dict[tuple, Found]:
    return {(_.start, _.stop, _.type): _ for _ in found}


def span_of(mention: GoldMention) -> tuple:
    return mention.start, mention.stop, mention.type


def matched(gold: GoldDocument, found: list[Found]) -> list[tuple[GoldMention, Found]]:
    # gold mentions found with exactly their span and type
    index = by_span(found)
    return [(_, index[span_of(_)]) for _ in gold.mentions if span_of(_) in index]


def compared(gold: GoldDocument, ours: list[Found], natasha: list[Found]) -> Iterator[Compared]:
    ours, natasha = by_span(ours), by_span(natasha)
    for mention in gold.mentions:
        span = span_of(mention)
        if mention.normal is not None and span in ours and span in natasha:
            text = gold.text[mention.start : mention.stop]
            yield Compared(gold.id, text, mention.type, mention.normal, ours[span].normal, natasha[span].normal)


def accuracies(rows: list[Compared], system: str) -> dict[str, dict]:
    # {'PER': {'n': 500, 'correct': 480, 'strict': 470, 'any_case': 485, 'accuracy': 0.96}, ..., 'all': {...}}
    folds = {"correct": unify_yo, "strict": strict, "any_case": lambda _: unify_yo(_).lower()}
    figures = {}
    for kind in (*TYPES, OVERALL):
        pairs = [(getattr(_, system), _.gold) for _ in rows if kind in (_.type, OVERALL)]
        counts = {name: tally(pairs, fold) for name, fold in folds.items()}
        correct = {name: count.correct for name, count in counts.items()}
        figures[kind] = {"n": len(pairs), **correct, "accuracy": counts["correct"].accuracy}
    return figures


def grouping(golds: list[GoldDocument], runs: list[list[Found]], key=lambda _: _.key) -> Counts:
    counts = Counts()
    for gold, found in zip(golds, runs, strict=True):
        pairs = matched(gold, found)
        counts += pair_counts([m.chain for m, _ in pairs], [key(f) for _, f in pairs])
    return counts


def pairs_figures(counts: Counts) -> dict:
    return {"tp": counts.tp, "fp": counts.fp, "fn": counts.fn,
            "precision": counts.precision, "recall": counts.recall, "f1": counts.f1}  # fmt: skip


def evaluate(golds: list[GoldDocument], ours: list[list[Found]], natasha: list[list[Found]], corpus: list[list[Found]],
             identities: dict) -> tuple[dict, list]:  # fmt: skip
    rows = [row for gold, o, n in zip(golds, ours, natasha, strict=True) for row in compared(gold, o, n)]
    mentions = [_ for gold in golds for _ in gold.mentions]
    figures = {
        "documents": len(golds),
        "gold_mentions": len(mentions),
        "gold_normals": sum(_.normal is not None for _ in mentions),
        "found_exactly": {
            "ours": sum(len(matched(g, o)) for g, o in zip(golds, ours, strict=True)),
            "natasha": sum(len(matched(g, n)) for g, n in zip(golds, natasha, strict=True)),
            "both_with_normal": len(rows),
        },
        "normal": {"ours": accuracies(rows, "ours"), "natasha": accuracies(rows, "natasha")},
        "grouping": {
            "ours (entity_id)": pairs_figures(grouping(golds, ours)),
            "ours (type+normal)": pairs_figures(grouping(golds, ours, lambda _: (_.type, _.normal))),
            "natasha (type+normal)": pairs_figures(grouping(golds, natasha)),
        },
        "corpus grouping": {
            "ours (corpus_id)": pairs_figures(corpus_grouping(golds, corpus, identities)),
            "ours (type+normal)": pairs_figures(corpus_grouping(golds, ours, identities, lambda _: (_.type, _.normal))),
            "natasha (type+normal)": pairs_figures(corpus_grouping(golds, natasha, identities)),
        },
    }
    return figures, rows


def percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}" if whole else "-"


def normal_table(normal: dict) -> Iterator[str]:
    # normal form      n  ours ё=е  strict  any case  natasha ё=е ...
    heads = ("ours ё=е", "strict", "any case", "natasha ё=е", "strict", "any case")
    yield f"{'normal form':12}{'n':>6}" + "".join(f"{_:>12}" for _ in heads)
    for kind in (*TYPES, OVERALL):
        rows = [normal[system][kind] for system in ("ours", "natasha")]
        cells = [percent(row[_], row["n"]) for row in rows for _ in ("correct", "strict", "any_case")]
        yield f"{kind:12}{rows[0]['n']:6}" + "".join(f"{_:>12}" for _ in cells)


def grouping_table(grouping_figures: dict, title: str = "grouping (pairs)") -> Iterator[str]:
    yield f"{title:24}{'tp':>7}{'fp':>7}{'fn':>7}{'P':>7}{'R':>7}{'F1':>7}"
    for system, row in grouping_figures.items():
        scores = "".join(f"{100 * row[_]:7.1f}" for _ in ("precision", "recall", "f1"))
        yield f"{system:24}{row['tp']:7}{row['fp']:7}{row['fn']:7}{scores}"


def report(name: str, figures: dict) -> Iterator[str]:
    found = figures["found_exactly"]
    yield (f"{name}: {figures['documents']} documents, {figures['gold_mentions']} gold mentions "
           f"({figures['gold_normals']} with a normal form); exact span and type: ours {found['ours']}, "
           f"natasha {found['natasha']}, both (with a normal form) {found['both_with_normal']}")  # fmt: skip
    yield from normal_table(figures["normal"])
    yield from grouping_table(figures["grouping"])
    yield from grouping_table(figures["corpus grouping"], "across the corpus")


def errors(rows: list[Compared], size: int) -> Iterator[str]:
    # per type, the first `size` of our wrong normal forms: 'book_58 | Ахмату Кадырову -> ours ... gold ...'
    for kind in TYPES:
        wrong = [_ for _ in rows if _.type == kind and unify_yo(_.ours) != unify_yo(_.gold)]
        yield f"our {kind} errors: {len(wrong)}"
        for row in wrong[:size]:
            yield f"  {row.doc_id:10} {row.text!r} -> ours {row.ours!r}, gold {row.gold!r}, natasha {row.natasha!r}"


def run_set(name: str, size: int, gold: Path = GOLD) -> dict:
    golds = read_corpus(gold / name)
    (ours, corpus), natasha = run_ours(golds), list(run_natasha(golds))
    figures, rows = evaluate(golds, ours, natasha, corpus, gold_identities(gold / name, golds))
    print("\n".join(report(name, figures)))
    if size:
        print("\n".join(errors(rows, size)))
    print()
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sets", nargs="+", default=["devset", "testset"], choices=["devset", "testset"])
    parser.add_argument("--gold", type=Path, default=GOLD, help="the factru directory holding the sets")
    parser.add_argument("--errors", type=int, default=0, metavar="N", help="print N of our errors per type")
    parser.add_argument("--json", type=Path, metavar="FILE", help="write the figures here")
    args = parser.parse_args()
    if not args.gold.is_dir():
        parser.error(f"no FactRuEval gold at {args.gold}")
    figures = {name: run_set(name, args.errors, args.gold) for name in args.sets}
    if args.json:
        args.json.write_text(json.dumps(figures, ensure_ascii=False, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
