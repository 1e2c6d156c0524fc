# Two commands do all set-up on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
EXAMPLE_CHALLENGE ?= Gezondheid & Zorg
EXAMPLE_TYPE ?= CoE

.PHONY: install run build test test-fast lint-imports clean browser bench-server bench test-virtuoso bench-virtuoso-load vendor

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP) vendor

# The browser assets the server serves from hckg_web/static/vendor/ (git-ignored; nothing from a CDN at run
# time): YASGUI for /editor and Swagger UI for /docs. `npm pack` fetches only each package's own tarball (its
# prebuilt bundle), so no dependency tree and no install scripts; bump a version here to update.
VENDOR := hckg_web/static/vendor
VENDOR_STAMP := $(VENDOR)/.stamp
YASGUI_VERSION := 4.2.28
SWAGGER_UI_VERSION := 5.35.0
$(VENDOR_STAMP): Makefile
	rm -rf $(VENDOR) && mkdir -p $(VENDOR)/.npm $(VENDOR)/yasgui $(VENDOR)/swagger-ui
	cd $(VENDOR)/.npm && npm pack --silent @triply/yasgui@$(YASGUI_VERSION) swagger-ui-dist@$(SWAGGER_UI_VERSION) >/dev/null
	tar -xzf $(VENDOR)/.npm/triply-yasgui-$(YASGUI_VERSION).tgz -C $(VENDOR)/.npm
	cp $(VENDOR)/.npm/package/build/yasgui.min.js $(VENDOR)/.npm/package/build/yasgui.min.css \
	  $(VENDOR)/.npm/package/build/yasgui.min.js.LICENSE.txt $(VENDOR)/yasgui/
	rm -rf $(VENDOR)/.npm/package
	tar -xzf $(VENDOR)/.npm/swagger-ui-dist-$(SWAGGER_UI_VERSION).tgz -C $(VENDOR)/.npm
	cd $(VENDOR)/.npm/package && cp swagger-ui-bundle.js swagger-ui.css favicon-32x32.png LICENSE NOTICE ../../swagger-ui/
	rm -rf $(VENDOR)/.npm
	touch $(VENDOR_STAMP)

vendor: $(VENDOR_STAMP)

build: $(STAMP)
	$(BIN)/hckg build

# Serve on http://$HCKG_HOST:$HCKG_PORT (default 127.0.0.1:8000); `hckg serve` first builds the store
# when it is missing or older than data/, ontology/ or shapes/.
run: $(STAMP) vendor
	$(BIN)/hckg serve

# The layer contract of docs/architecture.md ([tool.importlinter] in pyproject.toml), then the whole suite.
test: $(STAMP) vendor browser lint-imports
	$(BIN)/python -m pytest

# Everything but the tests marked slow (browser, server subprocesses, big loads, the bench suite): under 3 minutes.
test-fast: $(STAMP) vendor lint-imports
	$(BIN)/python -m pytest -m "not slow"

lint-imports: $(STAMP)
	$(BIN)/lint-imports

# Headless Chromium and its driver from Debian's packages, for tests/test_browser.py; installed only when missing.
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
browser:
	command -v chromium >/dev/null && command -v chromedriver >/dev/null || \
	  ($(SUDO) apt-get update -qq && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver)

clean:
	rm -rf var .pytest_cache

# The validation benchmark of issue 4 (pySHACL, pyrudof, HCKG's gate); never part of `make test`.
bench-validate: $(STAMP)
	$(BIN)/pip install --quiet -e '.[dev,bench]'
	$(BIN)/python bench/validate.py --triples 10000 100000

# The server load test of issue 6 (HCKG vs Oxigraph's own server, 127.0.0.1 only); never part of `make test`.
bench-server: $(STAMP)
	$(BIN)/pip install --quiet -e '.[dev,bench]'
	$(BIN)/python bench/server.py

# The benchmark suite of issue 8 (load, saved queries, validation, export, server; ratios against baselines in
# the same run, goals met/missed, growth exponents; JSON in var/bench/); never part of `make test`.
# BENCH_SIZES=10k,100k,1M,5M for the largest size; BENCH_ARGS for more flags (bench/run.py --help).
BENCH_SIZES ?= 10k,100k,1M
bench: $(STAMP)
	$(BIN)/pip install --quiet -e '.[dev,bench]'
	$(BIN)/python bench/run.py --sizes $(BENCH_SIZES) $(BENCH_ARGS)

# `hckg load` of the synthetic file into a private Virtuoso through the remote store, against Virtuoso's own bulk
# loader in the same run (issue 16); a cProfile of HCKG's side in var/virtuoso-load.prof. Never part of `make test`.
VIRTUOSO_LOAD_SIZE ?= 1M
bench-virtuoso-load: $(STAMP)
	$(BIN)/python bench/virtuoso_load.py --size $(VIRTUOSO_LOAD_SIZE) --profile var/virtuoso-load.prof --workdir var

# The catalogue and the remote-store tests on Virtuoso (issue 8): start a private instance on
# 127.0.0.1 (installs virtuoso-opensource when missing), build the data into it through HCKG, run the
# tests marked `virtuoso`, and stop it, also when a step fails. Not part of `make test` (README).
VIRTUOSO_DIR ?= var/virtuoso
VIRTUOSO_HTTP_PORT ?= 18891
VIRTUOSO_ISQL_PORT ?= 11112
VIRTUOSO_ENV = HCKG_ENDPOINT=http://127.0.0.1:$(VIRTUOSO_HTTP_PORT)/sparql \
  HCKG_UPDATE_ENDPOINT=http://127.0.0.1:$(VIRTUOSO_HTTP_PORT)/sparql-auth \
  HCKG_GSP_ENDPOINT=http://127.0.0.1:$(VIRTUOSO_HTTP_PORT)/sparql-graph-crud-auth \
  HCKG_ENDPOINT_USER=dba HCKG_ENDPOINT_PASSWORD=dba HCKG_ENDPOINT_AUTH=digest
test-virtuoso: $(STAMP)
	bash scripts/virtuoso.sh start $(VIRTUOSO_DIR) $(VIRTUOSO_HTTP_PORT) $(VIRTUOSO_ISQL_PORT)
	status=0; \
	  $(VIRTUOSO_ENV) $(BIN)/hckg build || status=$$?; \
	  [ $$status != 0 ] || HCKG_TEST_VIRTUOSO=$(VIRTUOSO_HTTP_PORT) $(BIN)/python -m pytest -m virtuoso -p no:cacheprovider \
	    tests/test_catalog_answers.py tests/test_remote_store.py || status=$$?; \
	  bash scripts/virtuoso.sh stop $(VIRTUOSO_DIR); exit $$status
