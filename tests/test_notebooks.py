"""Every notebook in notebooks/ runs top to bottom without an error."""

from io import StringIO
from pathlib import Path

import nbformat
import pandas as pd
import pytest
from nbclient import NotebookClient

import entities
from conftest import need_shared

FOLDER = Path(__file__).resolve().parent.parent / "notebooks"
NOTEBOOKS = sorted(FOLDER.glob("*.ipynb"))
SCORES_FACTRU = "evaluate.ipynb"  # by default it scores ../shared/gold/factru/testset


def execute(notebook, folder=FOLDER):
    # folder: the kernel's working directory
    NotebookClient(
        notebook, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(folder)}}
    ).execute()
    outputs = [output for cell in notebook.cells if cell.cell_type == "code" for output in cell.outputs]
    assert not [output for output in outputs if output.output_type == "error"]
    return outputs


def with_settings(name, settings):
    # the notebook, its first code cell's settings replaced: {"CORPUS = None": "CORPUS = '/tmp/x'"}
    notebook = nbformat.read(FOLDER / name, as_version=4)
    first = next(cell for cell in notebook.cells if cell.cell_type == "code")
    for default, value in settings.items():
        assert default in first.source
        first.source = first.source.replace(default, value)
    return notebook


def printed(outputs):
    return "".join(output.get("text", "") for output in outputs if output.output_type == "stream")


def test_there_are_notebooks():
    assert NOTEBOOKS, "notebooks/ holds no notebook"


@pytest.mark.parametrize("path", [
    pytest.param(path, id=path.name, marks=[pytest.mark.shared] if path.name == SCORES_FACTRU else [])
    for path in NOTEBOOKS
])  # fmt: skip
def test_notebook_runs(path):
    notebook = nbformat.read(path, as_version=4)
    assert all(not cell.get("outputs") for cell in notebook.cells), f"{path.name} is committed with outputs"
    if path.name == SCORES_FACTRU:
        need_shared()  # without it, the notebook only says so: test_evaluate_without_gold_says_why_in_one_line
    outputs = execute(notebook)
    if path.name == SCORES_FACTRU:
        assert "documents scored in" in printed(outputs)


def test_explore_reads_the_folder_of_its_first_cell(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "a.txt").write_text("Мэр Казани Ильсур Метшин открыл парк.", encoding="utf-8")
    (tmp_path / "b.txt").write_text("Сегодня тепло.", encoding="utf-8")  # no entities at all
    notebook = with_settings("explore.ipynb", {"CORPUS = None": f"CORPUS = {str(tmp_path)!r}"})
    outputs = execute(notebook)
    assert f"2 documents from {tmp_path}" in printed(outputs)
    shown = [output.data["text/html"] for output in outputs if "text/html" in output.get("data", {})]
    assert any("Ильсур Метшин" in html and "<mark" in html for html in shown)


# a tiny brat gold: the corrections win in a ("Евросоюз" is an ORG, the raw model says LOC) and lose in b
# (the gold ORG keeps "ОАО «...»", which the quoted_name rule cuts off)
BRAT = {
    "a.txt": "Евросоюз и Россия подписали соглашение в Брюсселе.",
    "a.ann": "T1\tORG 0 8\tЕвросоюз\nT2\tLOC 11 17\tРоссия\nT3\tLOC 41 49\tБрюсселе\n",
    "b.txt": "Глава ОАО «ВымпелКом» Александр Изосимов приехал в Москву.",
    "b.ann": "T1\tORG 6 21\tОАО «ВымпелКом»\nT2\tPER 22 40\tАлександр Изосимов\nT3\tLOC 51 57\tМоскву\n",
}


def test_evaluate_scores_the_gold_of_its_first_cell(tmp_path, nlp):
    for name, text in BRAT.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    settings = {"GOLD = None": f"GOLD = {str(tmp_path)!r}", "FORMAT = 'factru'": "FORMAT = 'brat'",
                "COMPARE = 'natasha'": "COMPARE = None"}  # fmt: skip
    notebook = with_settings("evaluate.ipynb", settings)
    notebook.cells.append(nbformat.v4.new_code_cell("print(scores.to_csv(index=False), end='')"))
    outputs = execute(notebook)
    *shown, table = printed(outputs).split("convention,system,", 1)
    assert "2 documents, 6 gold spans (PER 1, LOC 3, ORG 2)" in shown[0]
    html = [output.data["text/html"] for output in outputs if "text/html" in output.get("data", {})]
    assert any("<table" in _ and "entities" in _ and "raw model" in _ for _ in html)
    assert [output for output in outputs if "image/png" in output.get("data", {})]
    # the notebook's table, summed from the counts per document, is entities.evaluate's own
    systems = {"entities": nlp, "raw model": entities.Pipeline(rules=[])}
    expected = entities.evaluate(str(tmp_path), format="brat", system=systems)
    pd.testing.assert_frame_equal(pd.read_csv(StringIO("convention,system," + table)), expected)
    # b is where the corrections lose tokens: its gold ORG is the raw model's span, not ours
    assert "documents with fewer: 1, more: 1, as many: 0" in shown[0]
    assert "b: system, offset, type, text\n  raw model      6  ORG  'ОАО «ВымпелКом»' ✓\n" in shown[0]


@pytest.mark.parametrize("absent", ["default", "given"])
def test_evaluate_without_gold_says_why_in_one_line(tmp_path, absent):
    # run from tmp_path: no shared/gold/factru above it; or GOLD names a missing path
    gold = tmp_path / "missing"
    if absent == "default":
        notebook = with_settings("evaluate.ipynb", {})
        message = f"FactRuEval not found: no shared/gold/factru above {tmp_path.resolve()}"
    else:
        notebook = with_settings("evaluate.ipynb", {"GOLD = None": f"GOLD = {str(gold)!r}"})
        message = f"gold not found at {gold}"
    outputs = execute(notebook, folder=tmp_path)
    assert [(output.output_type, output.text) for output in outputs] == [
        ("stream", f"{message}; set GOLD to a gold corpus to score\n")
    ]


def test_explore_draws_the_timeline_the_network_and_sql():
    # the bundled corpora are dated over ten months: a timeline chart, a network, a table from DuckDB
    notebook = nbformat.read(FOLDER / "explore.ipynb", as_version=4)
    outputs = execute(notebook)
    cells = [cell for cell in notebook.cells if cell.cell_type == "code"]
    timeline = next(cell for cell in cells if "frames['timeline']" in cell.source)
    assert any("image/png" in output.get("data", {}) for output in timeline.outputs)
    network = next(cell for cell in cells if "entities.graph(frames" in cell.source)
    assert "Graph with" in printed(network.outputs)
    assert any("image/png" in output.get("data", {}) for output in network.outputs)
    sql = next(cell for cell in cells if "duckdb.sql" in cell.source)
    shown = [output.data["text/html"] for output in sql.outputs if "text/html" in output.get("data", {})]
    assert shown and "canonical" in shown[0] and "Игорь Бабушкин" in shown[0]
    assert outputs
