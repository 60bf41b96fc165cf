"""Every notebook in notebooks/ runs top to bottom without an error."""

from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

FOLDER = Path(__file__).resolve().parent.parent / "notebooks"
NOTEBOOKS = sorted(FOLDER.glob("*.ipynb"))


def execute(notebook):
    NotebookClient(notebook, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(FOLDER)}}).execute()
    outputs = [output for cell in notebook.cells if cell.cell_type == "code" for output in cell.outputs]
    assert not [output for output in outputs if output.output_type == "error"]
    return outputs


def test_there_are_notebooks():
    assert NOTEBOOKS, "notebooks/ holds no notebook"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[_.name for _ in NOTEBOOKS])
def test_notebook_runs(path):
    notebook = nbformat.read(path, as_version=4)
    assert all(not cell.get("outputs") for cell in notebook.cells), f"{path.name} is committed with outputs"
    execute(notebook)


def test_explore_reads_the_folder_of_its_first_cell(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "a.txt").write_text("Мэр Казани Ильсур Метшин открыл парк.", encoding="utf-8")
    (tmp_path / "b.txt").write_text("Сегодня тепло.", encoding="utf-8")  # no entities at all
    notebook = nbformat.read(FOLDER / "explore.ipynb", as_version=4)
    first = next(cell for cell in notebook.cells if cell.cell_type == "code")
    assert "CORPUS = None" in first.source
    first.source = first.source.replace("CORPUS = None", f"CORPUS = {str(tmp_path)!r}")
    outputs = execute(notebook)
    printed = "".join(output.get("text", "") for output in outputs if output.output_type == "stream")
    assert f"2 documents from {tmp_path}" in printed
    shown = [output.data["text/html"] for output in outputs if "text/html" in output.get("data", {})]
    assert any("Ильсур Метшин" in html and "<mark" in html for html in shown)
