"""The package a user installs: the sdist and the wheel built from it, the wheel installed in a fresh venv.

The rest of the suite runs the editable checkout (src/); this module checks what `pip install dist/entities_ru-*.whl`
would put on a machine: the wheel's files (package data aliases.csv, py.typed, no tests), its metadata and
its `entities` entry point, run from the fresh venv's bin/ on the seed article.

How the fresh venv gets the dependencies without downloading them (a full install from PyPI takes minutes):
the wheel is installed with --no-deps, and the venv sees the packages already installed in the test venv
through a directory of symlinks to them, named in a .pth file. The symlinks leave out this project's own
installation (the editable `entities` finder and .pth, its dist-info under either name): the `entities`
package, its metadata and its command in the fresh venv are the wheel's and nothing else's. The directory
is added as a plain path, so the .pth files in it (the editable install's among them) are not run.
`pip check` then confirms that the wheel's declared dependencies are all satisfied there. About 10 s, most of it
the isolated build (python -m build fetches setuptools) and the command's first model load.
"""

import ast
import os
import re
import subprocess
import sys
import sysconfig
import tarfile
import zipfile
from pathlib import Path

import pytest

pytest.importorskip("build", reason="the build package is not installed: pip install -e '.[test]'")

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "corpora" / "news" / "astrakhan-kazakhstan.txt"  # the seed article, bundled
DISTRIBUTION = "entities-ru"
OWN = re.compile(r"(entities|entities_ru)([-.].*)?|__editable__.*|.*\.pth|.*\.egg-link")


def source_version() -> str:
    # entities.__version__ as written in src/, read without importing: the one place it is defined
    tree = ast.parse((ROOT / "src" / "entities" / "version.py").read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == "__version__" for t in node.targets):
            return ast.literal_eval(node.value)
    raise AssertionError("src/entities/version.py sets no __version__")


def clean_env() -> dict:
    # nothing of the checkout on the path: no PYTHONPATH (src/ on it would be imported, its egg-info taken for
    # the installed package), and every command runs from a directory outside the checkout
    return {key: value for key, value in os.environ.items() if key not in ("PYTHONPATH", "PYTHONHOME")}


def run(*args, cwd, check=True):
    command = [str(_) for _ in args]
    result = subprocess.run(command, cwd=cwd, env=clean_env(), capture_output=True, text=True, timeout=300)
    assert result.returncode == 0 or not check, f"{' '.join(command)}\n{result.stdout}\n{result.stderr}"
    return result.stdout


@pytest.fixture(scope="module")
def dist(tmp_path_factory):
    """The sdist, and the wheel built from it (python -m build: a clean build in an isolated environment)."""
    out = tmp_path_factory.mktemp("dist")
    run(sys.executable, "-m", "build", "--outdir", out, ROOT, cwd=out)
    (sdist,), (wheel,) = out.glob("*.tar.gz"), out.glob("*.whl")
    return sdist, wheel


@pytest.fixture(scope="module")
def venv(tmp_path_factory, dist):
    """A fresh venv (no system site-packages, no pip) with the wheel installed; its bin/ directory."""
    home = tmp_path_factory.mktemp("venv")
    run(sys.executable, "-m", "venv", "--without-pip", home / "venv", cwd=home)
    bin_ = home / "venv" / "bin"
    python = bin_ / "python"
    site = Path(run(python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))", cwd=home).strip())
    deps = home / "deps"
    deps.mkdir()
    for folder in dict.fromkeys(Path(sysconfig.get_path(_)) for _ in ("purelib", "platlib")):
        for entry in folder.iterdir():
            if not OWN.fullmatch(entry.name) and not (deps / entry.name).exists():
                (deps / entry.name).symlink_to(entry)
    (site / "test-venv-packages.pth").write_text(f"{deps}\n", encoding="utf-8")
    # the test venv's pip installs into the fresh one (--python), which needs no pip of its own
    pip = [sys.executable, "-m", "pip", "--python", python, "--disable-pip-version-check"]
    run(*pip, "install", "--quiet", "--no-deps", "--no-index", dist[1], cwd=home)
    broken = run(*pip, "check", cwd=home, check=False)  # of the wheel's requirements; the test venv's own are not ours
    assert not [line for line in broken.splitlines() if line.lower().startswith(DISTRIBUTION)], broken
    return bin_


def test_wheel_contents(dist):
    _, wheel = dist
    assert wheel.name.startswith("entities_ru-" + source_version() + "-")
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        info = next(name for name in names if name.endswith(".dist-info/METADATA"))
        metadata = archive.read(info).decode()
        entry_points = archive.read(info.replace("METADATA", "entry_points.txt")).decode()
    assert {"entities/__init__.py", "entities/cli.py", "entities/data/aliases.csv", "entities/py.typed"} <= names
    tests = [name for name in names if any(_ in ("test", "tests") or _.startswith("test_") for _ in name.split("/"))]
    assert not tests, tests
    assert {name.split("/")[0] for name in names} == {"entities", info.split("/")[0]}, "the package and its metadata"
    assert f"Name: {DISTRIBUTION}\n" in metadata
    assert f"Version: {source_version()}\n" in metadata, "the wheel's version is entities.__version__"
    assert re.search(r"^entities = entities\.cli:main$", entry_points, re.M)


def test_sdist_contents(dist):
    sdist, _ = dist
    assert sdist.name == f"entities_ru-{source_version()}.tar.gz"
    with tarfile.open(sdist) as archive:
        names = {name.split("/", 1)[1] for name in archive.getnames() if "/" in name}
    assert {"pyproject.toml", "README.md", "src/entities/py.typed", "src/entities/data/aliases.csv"} <= names


def test_installed_wheel_is_what_runs(venv, tmp_path):
    code = "import entities, entities.cli, sys; print(entities.__file__); print(entities.__version__); print(sys.path)"
    file, version, path = run(venv / "python", "-c", code, cwd=tmp_path).splitlines()
    site = venv.parent / "lib"
    assert Path(file).is_relative_to(site), f"entities imported from {file}, not the fresh venv's site-packages"
    assert version == source_version()
    assert str(ROOT / "src") not in path
    installed = Path(file).parent
    assert (installed / "data" / "aliases.csv").is_file() and (installed / "py.typed").is_file()
    assert run(venv / "entities", "--version", cwd=tmp_path).strip() == f"entities, version {version}"


def test_installed_command_extracts_the_seed(venv, tmp_path):
    out = tmp_path / "out"
    run(venv / "entities", "extract", SEED, "--out", out, "--workers", "1", cwd=tmp_path)
    assert (out / "manifest.json").is_file()
    assert {"documents.csv", "mentions.csv", "entities.csv", "corpus_entities.csv"} <= {_.name for _ in out.iterdir()}
    people = (out / "corpus_entities.csv").read_text(encoding="utf-8")
    assert "Игорь Бабушкин" in people and "Ермек Кошербаев" in people
