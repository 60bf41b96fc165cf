# Two commands set everything up on a fresh machine:
#   make run   - create .venv, install entities, extract corpora/ into output/
#   make test  - install the test extras, lint, build the docs, and run the whole suite, notebooks included
# and one for the code's form:
#   make lint  - ruff (rules and formatting) and mypy, configured in pyproject.toml
#   make docs  - the reference site, docs/ -> site/, with mkdocs (mkdocs.yml), warnings as errors

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
OUT ?= output
CORPORA := corpora $(wildcard corpora/*.jsonl) $(wildcard corpora/*.csv)
LINTED := src tests benchmarks

.PHONY: run test pytest lint docs bench clean

run: $(VENV)/.installed
	$(BIN)/entities extract $(CORPORA) --out $(OUT)

# what `make test` runs, in order: the lint (ruff, mypy), the docs (a strict build), then the suite
test: lint docs pytest

pytest: $(VENV)/.installed-test
	$(BIN)/python -m pytest

lint: $(VENV)/.installed-test
	$(BIN)/ruff check $(LINTED)
	$(BIN)/ruff format --check $(LINTED)
	$(BIN)/mypy src

docs: $(VENV)/.installed-test
	$(BIN)/mkdocs build --strict --site-dir site

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# version.py holds the version (pyproject reads it): a new one reinstalls, so the installed metadata
# (`entities --version`, the manifest's version) follows it. An editable install compiles nothing, so
# the sources are compiled here, as pip compiles a wheel's: each command starts without compiling them.
$(VENV)/.installed: pyproject.toml src/entities/version.py | $(VENV)/bin/python
	$(BIN)/python -m pip install --quiet -e .
	$(BIN)/python -m compileall -q src
	touch $@

$(VENV)/.installed-test: pyproject.toml src/entities/version.py | $(VENV)/bin/python
	$(BIN)/python -m pip install --quiet -e ".[test]"
	$(BIN)/python -m compileall -q src
	touch $(VENV)/.installed $@

bench: $(VENV)/.installed-test   # throughput against Natasha's own pipeline: see README, Performance
	$(BIN)/python -m pip install --quiet -e ".[test,bench]"
	$(BIN)/python -m compileall -q src
	$(BIN)/python benchmarks/throughput.py
	$(BIN)/python benchmarks/stages.py

clean:
	rm -rf $(VENV) $(OUT) src/*.egg-info build dist site
