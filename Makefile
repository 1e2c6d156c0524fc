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

# Until the server lands: build the store, print its summary and the headline answer for one example.
run: build
	$(BIN)/hckg stats
	$(BIN)/hckg query regions-lacking-community --param challenge="$(EXAMPLE_CHALLENGE)" --param type=$(EXAMPLE_TYPE)

test: $(STAMP)
	$(BIN)/python -m pytest

clean:
	rm -rf var .pytest_cache
