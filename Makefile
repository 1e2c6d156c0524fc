# Two commands do all set-up on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
EXAMPLE_CHALLENGE ?= Gezondheid & Zorg
EXAMPLE_TYPE ?= CoE

.PHONY: install run build test clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

build: $(STAMP)
	$(BIN)/hckg build

# Serve on http://$HCKG_HOST:$HCKG_PORT (default 127.0.0.1:8000); `hckg serve` first builds the store
# when it is missing or older than data/, ontology/ or shapes/.
run: $(STAMP)
	$(BIN)/hckg serve

test: $(STAMP)
	$(BIN)/python -m pytest

clean:
	rm -rf var .pytest_cache

# The validation benchmark of issue 4 (pySHACL, pyrudof, HCKG's gate); never part of `make test`.
bench-validate: $(STAMP)
	$(BIN)/pip install --quiet -e '.[dev,bench]'
	$(BIN)/python bench/validate.py --triples 10000 100000
