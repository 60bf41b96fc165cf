# Two commands set everything up on a fresh machine:
#   make run   - create .venv, install entities, extract corpora/ into output/
#   make test  - install the test extras and run the whole suite, notebooks included

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
OUT ?= output
CORPORA := corpora $(wildcard corpora/*.jsonl) $(wildcard corpora/*.csv)

.PHONY: run test bench clean

run: $(VENV)/.installed
	$(BIN)/entities extract $(CORPORA) --out $(OUT)

test: $(VENV)/.installed-test
	$(BIN)/python -m pytest

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(VENV)/bin/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(VENV)/bin/python
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $(VENV)/.installed $@

bench: $(VENV)/.installed-test   # throughput against Natasha's own pipeline: see README, Performance
	$(BIN)/python -m pip install --quiet -e ".[test,bench]"
	$(BIN)/python benchmarks/throughput.py

clean:
	rm -rf $(VENV) $(OUT) src/*.egg-info
