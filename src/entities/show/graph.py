"""The co-occurrence network: corpus entities as nodes, the pairs mentioned in one document as edges.

>>> tables = entities.read_tables("output/")
>>> network = entities.graph(tables)
>>> network.nodes[1]     # {'label': 'Казахстан', 'type': 'LOC', 'key': 'iso:KZ', 'n_documents': 2, 'n_mentions': 6}
>>> network.edges[0, 1]  # {'weight': 1, 'n_sentences': 2}: together in one document, in two of its sentences
>>> entities.graph(tables, types=["PER", "ORG"], min_documents=2, top=50)
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from ..errors import InputError
from ..io.writer import replace_with
from ..records import TYPES

SUFFIXES = (".gexf", ".graphml")
NODE = {"canonical": "label", "type": "type", "key": "key", "n_documents": "n_documents", "n_mentions": "n_mentions"}
EDGE = {"n_documents": "weight", "n_sentences": "n_sentences"}


def graph(frames: dict, types: Iterable[str] | str | None = None, min_documents: int = 1, top: int | None = None):
    """The co-occurrence network of the tables `frames` (what `read_tables` or `to_frames` returns) as
    a `networkx.Graph`: a node per corpus entity (id: corpus_id; label: canonical, type, key,
    n_documents, n_mentions), an edge per pair in cooccurrences (weight: n_documents, n_sentences).

    Only entities of `types` ('PER', 'LOC', 'ORG'; default all) in at least `min_documents`
    documents are kept, then the `top` with the most documents (ties: the lower corpus_id);
    edges join kept nodes only.
    """
    import networkx as nx

    nodes = kept_entities(table(frames, "corpus_entities"), check_types(types), min_documents, top)
    pairs = table(frames, "cooccurrences")
    kept = nodes["corpus_id"]
    pairs = pairs[pairs["corpus_id_a"].isin(kept) & pairs["corpus_id_b"].isin(kept)]
    network = nx.Graph()
    network.add_nodes_from(zip(kept.tolist(), attributes(nodes, NODE), strict=True))
    ends = pairs["corpus_id_a"].tolist(), pairs["corpus_id_b"].tolist()
    network.add_edges_from(zip(*ends, attributes(pairs, EDGE), strict=True))
    return network


def check_types(types: Iterable[str] | str | None) -> tuple[str, ...]:
    """'PER,LOC' or ['PER', 'LOC'] -> ('PER', 'LOC'); None -> all three."""
    if types is None:
        return TYPES
    chosen = tuple(kind.strip() for kind in (types.split(",") if isinstance(types, str) else types))
    unknown = [kind for kind in chosen if kind not in TYPES]
    if unknown or not chosen:
        got = ", ".join(map(repr, unknown)) or "none"
        raise InputError(f"expected entity types among {', '.join(TYPES)}, got {got}")
    return chosen


def table(frames: dict, name: str):
    if name not in frames:
        raise InputError(f"the tables have no {name} table: expected those of read_tables or to_frames")
    return frames[name]


def kept_entities(entities, types: tuple[str, ...], min_documents: int, top: int | None):
    kept = entities[entities["type"].isin(types) & (entities["n_documents"] >= min_documents)]
    if top is None:
        return kept
    return kept.sort_values(["n_documents", "corpus_id"], ascending=[False, True], kind="stable").head(top)


def attributes(frame, names: dict[str, str]) -> list[dict]:
    """The rows as dicts of plain Python values (GEXF and GraphML writers know no numpy types)."""
    return frame[list(names)].rename(columns=names).to_dict("records")


def write_graph(network, path: Path) -> None:
    """GEXF or GraphML by the suffix, written beside and renamed: whole or absent."""
    write = write_gexf if path.suffix.lower() == ".gexf" else write_graphml
    replace_with(path, lambda partial: write(network, partial))


def write_gexf(network, path: Path) -> None:
    import networkx as nx

    with open(path, "w", encoding="utf-8") as file:
        file.write("<?xml version='1.0' encoding='utf-8'?>\n")
        for line in nx.generate_gexf(network):
            # networkx declares a "key" attribute as "networkx_key" (its name for multigraph edge keys):
            # <attribute id="1" title="networkx_key" type="string" />
            file.write(line.replace(' title="networkx_key" ', ' title="key" ') + "\n")


def write_graphml(network, path: Path) -> None:
    import networkx as nx

    nx.write_graphml(network, path)
