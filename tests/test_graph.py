"""`entities graph`: the co-occurrence network of an output folder as GEXF or GraphML, through the installed command."""

import subprocess
import sys
from pathlib import Path

import networkx as nx
import pytest

import entities
from conftest import CORPORA
from entities.errors import InputError

ENTITIES = Path(sys.executable).parent / "entities"
INPUTS = [CORPORA, *sorted(CORPORA.glob("*.jsonl")), *sorted(CORPORA.glob("*.csv"))]
FORMATS = ["csv", "parquet"]
SUFFIXES = [".gexf", ".graphml"]
TYPES = ["PER", "LOC", "ORG"]


def run(*args, stdin=None):
    return subprocess.run([str(ENTITIES), *map(str, args)], input=stdin, capture_output=True, text=True)


@pytest.fixture(scope="module")
def outs(tmp_path_factory):
    """The bundled corpora extracted once per format: {'csv': OUT, 'parquet': OUT}."""
    folders = {}
    for fmt in FORMATS:
        out = tmp_path_factory.mktemp(f"out-{fmt}")
        result = run("extract", *INPUTS, "--out", out, "--format", fmt, "-q")
        assert result.returncode == 0, result.stderr
        folders[fmt] = out
    return folders


@pytest.fixture(scope="module")
def tables(outs):
    return entities.read_tables(outs["csv"])


def read_graph(path):
    path = Path(path)
    return nx.read_gexf(path, node_type=int) if path.suffix == ".gexf" else nx.read_graphml(path, node_type=int)


def write_graph(out, target, *options):
    result = run("graph", out, "--to", target, *options)
    assert result.returncode == 0, result.stderr
    return result, read_graph(target)


def wrote(target, nodes, edges):
    """The line the command prints: 'wrote network.gexf: 164 nodes, 1197 edges', '3 nodes, 1 edge'."""
    return f"wrote {target}: {nodes} node{'s' * (nodes != 1)}, {edges} edge{'s' * (edges != 1)}\n"


def expected_ids(tables, types=TYPES, min_documents=1, top=None):
    """The corpus_ids the filters keep, computed here with pandas."""
    kept = tables["corpus_entities"].sort_values("corpus_id")
    kept = kept[kept["type"].isin(types) & (kept["n_documents"] >= min_documents)]
    if top is not None:
        kept = kept.nlargest(top, "n_documents", keep="first")  # first of equals: the lower corpus_id
    return set(kept["corpus_id"])


def expected_edges(tables, ids):
    pairs = tables["cooccurrences"]
    pairs = pairs[pairs["corpus_id_a"].isin(ids) & pairs["corpus_id_b"].isin(ids)]
    return {(row.corpus_id_a, row.corpus_id_b): (row.n_documents, row.n_sentences) for row in pairs.itertuples()}


def edges_of(network):
    return {(min(a, b), max(a, b)): (data["weight"], data["n_sentences"]) for a, b, data in network.edges(data=True)}


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("suffix", SUFFIXES)
def test_nodes_and_edges_are_the_tables(outs, tables, tmp_path, fmt, suffix):
    target = tmp_path / f"network{suffix}"
    result, network = write_graph(outs[fmt], target)
    corpus, pairs = tables["corpus_entities"], tables["cooccurrences"]
    assert len(corpus) > 100 and len(pairs) > 1000
    assert result.stdout == wrote(target, len(corpus), len(pairs))
    assert result.stderr == ""
    assert sorted(network.nodes) == sorted(corpus["corpus_id"])
    for row in corpus.itertuples():
        assert network.nodes[row.corpus_id] == {
            "label": row.canonical,
            "type": row.type,
            "key": row.key,
            "n_documents": row.n_documents,
            "n_mentions": row.n_mentions,
        }
    assert edges_of(network) == expected_edges(tables, set(corpus["corpus_id"]))
    assert any(row.key for row in corpus.itertuples())  # alias keys are written, not only empty strings


@pytest.mark.parametrize(
    "options, filters",
    [
        (["--types", "PER"], {"types": ["PER"]}),
        (["--types", "LOC,ORG"], {"types": ["LOC", "ORG"]}),
        (["--min-documents", "2"], {"min_documents": 2}),
        (["--types", "PER,ORG", "--min-documents", "2"], {"types": ["PER", "ORG"], "min_documents": 2}),  # 1 edge
        (["--top", "5"], {"top": 5}),  # ties at 2 documents: the lower corpus_ids
        (["--types", "LOC", "--min-documents", "2", "--top", "3"], {"types": ["LOC"], "min_documents": 2, "top": 3}),
        (["--types", "PER", "--top", "10"], {"types": ["PER"], "top": 10}),  # --top after --types: ten people
    ],
)
@pytest.mark.parametrize("fmt", FORMATS)
def test_filters_keep_the_entities_pandas_finds(outs, tables, tmp_path, fmt, options, filters):
    target = tmp_path / "filtered.graphml"
    result, network = write_graph(outs[fmt], target, *options)
    ids = expected_ids(tables, **filters)
    assert 0 < len(ids) < len(tables["corpus_entities"])
    assert set(network.nodes) == ids
    assert edges_of(network) == expected_edges(tables, ids)
    assert result.stdout == wrote(target, len(ids), len(expected_edges(tables, ids)))
    kinds = {network.nodes[node]["type"] for node in network}
    assert kinds <= set(filters.get("types", TYPES))


def test_top_breaks_ties_by_corpus_id(tables, outs, tmp_path):
    corpus = tables["corpus_entities"]
    two = sorted(corpus.loc[corpus["n_documents"] == 2, "corpus_id"])
    more = set(corpus.loc[corpus["n_documents"] > 2, "corpus_id"])
    assert len(two) > 2  # the fifth place is shared
    _, network = write_graph(outs["csv"], tmp_path / "top.gexf", "--top", len(more) + 2)
    assert set(network.nodes) == more | set(two[:2])


@pytest.mark.parametrize("suffix", SUFFIXES)
def test_the_library_builds_what_the_command_writes(outs, tmp_path, suffix):
    options = {"types": ["PER", "ORG"], "min_documents": 1, "top": 20}
    _, written = write_graph(outs["parquet"], tmp_path / f"g{suffix}", "--types", "PER,ORG", "--top", "20")
    built = entities.graph(entities.read_tables(outs["parquet"]), **options)
    assert isinstance(built, nx.Graph) and built.number_of_nodes() == 20
    assert dict(built.nodes(data=True)) == dict(written.nodes(data=True))
    assert edges_of(built) == edges_of(written)
    for a, b, data in built.edges(data=True):
        assert set(data) == {"weight", "n_sentences"} and type(data["weight"]) is int, (a, b)


def test_the_library_takes_to_frames_and_a_comma_list(nlp):
    texts = [
        "Губернатор Игорь Бабушкин встретился в Астрахани с послом Ермеком Кошербаевым.",
        "Бабушкин прилетел в Москву.",
    ]
    network = entities.graph(entities.to_frames(nlp.pipe(texts)), types="PER")
    people = {data["label"]: data["n_documents"] for _, data in network.nodes(data=True)}
    assert people == {"Игорь Бабушкин": 2, "Ермек Кошербаев": 1}
    (edge,) = network.edges(data=True)
    assert edge[2] == {"weight": 1, "n_sentences": 1}
    assert entities.graph(entities.to_frames(nlp.pipe(texts)), min_documents=2).number_of_nodes() == 1
    with pytest.raises(InputError, match="PER, LOC, ORG"):
        entities.graph(entities.to_frames([]), types=["PERSON"])


def test_a_graph_replaces_the_file_whole(outs, tmp_path):
    target = tmp_path / "network.gexf"
    target.write_text("old", encoding="utf-8")
    result = run("graph", outs["csv"], "--to", target, "--types", "ORG", "-q")
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")
    assert {node["type"] for _, node in read_graph(target).nodes(data=True)} == {"ORG"}
    assert [path.name for path in tmp_path.iterdir()] == ["network.gexf"]  # no .partial left beside


@pytest.mark.parametrize("suffix", SUFFIXES)
def test_a_corpus_with_no_names_is_an_empty_graph(tmp_path, suffix):
    out = tmp_path / "out"
    assert run("extract", "-", "--out", out, "-q", stdin="Сегодня было тепло.\n").returncode == 0
    target = tmp_path / f"empty{suffix}"
    result, network = write_graph(out, target)
    assert result.stdout == f"wrote {target}: 0 nodes, 0 edges (the tables hold no entities)\n"
    assert network.number_of_nodes() == 0 and network.number_of_edges() == 0


def test_filters_that_keep_nothing_write_an_empty_graph(outs, tmp_path):
    target = tmp_path / "none.graphml"
    result, network = write_graph(outs["csv"], target, "--min-documents", "1000")
    assert result.stdout == f"wrote {target}: 0 nodes, 0 edges (no entity passes the filters)\n"
    assert network.number_of_nodes() == 0


def one_line_error(result, code):
    assert result.returncode == code
    assert result.stdout == ""
    assert result.stderr.startswith("entities: error: ") and result.stderr.count("\n") == 1, result.stderr
    assert "Traceback" not in result.stderr
    return result.stderr


def test_a_folder_with_no_run(tmp_path):
    (tmp_path / "empty").mkdir()
    for folder in (tmp_path / "empty", tmp_path / "missing"):
        error = one_line_error(run("graph", folder, "--to", tmp_path / "g.gexf"), 2)
        assert error == f"entities: error: {folder}: holds no finished entities run (no manifest.json)\n"
    assert not (tmp_path / "g.gexf").exists()


@pytest.mark.parametrize(
    "options, expected",
    [
        (["--to", "network.png"], "expected FILE.gexf or FILE.graphml, got 'network.png'"),
        (["--to", "network"], "expected FILE.gexf or FILE.graphml"),
        (["--to", "g.gexf", "--types", "PER,PERSON"], "expected entity types among PER, LOC, ORG, got 'PERSON'"),
        (["--to", "g.gexf", "--types", ""], "expected entity types among PER, LOC, ORG"),
        (["--to", "g.gexf", "--top", "0"], "--top"),
        (["--to", "g.gexf", "--min-documents", "0"], "--min-documents"),
    ],
)
def test_bad_options_are_one_line(outs, tmp_path, options, expected):
    result = subprocess.run(
        [str(ENTITIES), "graph", str(outs["csv"]), *options], capture_output=True, text=True, cwd=tmp_path
    )
    assert expected in one_line_error(result, 2)
    assert list(tmp_path.iterdir()) == []


def test_an_unwritable_destination(outs, tmp_path):
    error = one_line_error(run("graph", outs["csv"], "--to", tmp_path / "no" / "g.graphml"), 4)
    assert error == f"entities: error: {tmp_path / 'no' / 'g.graphml'}: can not write (No such file or directory)\n"
