# The README's two commands: `make run` builds everything from data/ into out/,
# `make test` runs the test suite. Both create .venv on first use.
# `make test-fast` leaves out the tests marked browser, virtuoso, notebooks or slow (pyproject.toml).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SOURCES := pyproject.toml $(shell find graph ontology -type f -not -name '*.pyc' -not -path '*/__pycache__/*' 2>/dev/null)

.PHONY: run test test-fast clean

run: $(VENV)/.installed
	@# keep the previous build's outputs, together, for the diff below (out/previous/ once this build succeeds)
	@rm -rf out/.previous && if [ -f out/graph.trig ]; then mkdir -p out/.previous && \
		cp -p out/graph.* out/exposure* out/.previous/ 2>/dev/null || true; fi
	$(BIN)/kg build data --out out
	$(BIN)/kg exposure --graph out/graph.trig --save out/exposure.csv --save out/exposure.json
	$(BIN)/kg exposure --graph out/graph.trig --long --save out/exposure-long.csv --save out/exposure-long.json > /dev/null
	$(BIN)/kg render --graph out/graph.trig --out out/graph.html
	$(BIN)/kg render --graph out/graph.trig --exposure --out out/exposure.html
	$(BIN)/kg render --graph out/graph.trig --exposure --format svg --out out/exposure.svg
	$(BIN)/kg site --graph out/graph.trig --out out/site
	@if [ -f out/.previous/graph.trig ]; then rm -rf out/previous && mv out/.previous out/previous && \
		$(BIN)/kg diff out/previous/graph.trig out/graph.trig --summary; fi

# Test files are spread over the cores (pytest-xdist); a file stays on one worker, so its
# module fixtures (a Virtuoso server, the executed notebooks) start once. Files are handed out in
# the order tests/conftest.py gives them (the longest first), not re-sorted by their size.
# pytest rewrites each test module for its assertions; the result is kept as bytecode in
# tests/__pycache__ (ignored by git) even where the environment turns bytecode off, so a second
# run skips seconds of rewriting in each worker.
PYTEST := PYTHONDONTWRITEBYTECODE= $(BIN)/pytest --dist loadfile --no-loadscope-reorder
# The whole suite has a worker more than the machine has cores: its servers wait out their
# deadlines (tests/test_connections.py, test_serve.py, test_screen_http.py) and a worker that
# waits would leave its core idle. The fast set waits little and keeps one worker a core.
WORKERS := $(shell n=$$(nproc 2>/dev/null) && echo $$((n + 1)) || echo auto)

test: $(VENV)/.installed-test
	$(PYTEST) -n $(WORKERS)

test-fast: $(VENV)/.installed-test
	$(PYTEST) -n auto -m "not browser and not virtuoso and not notebooks and not slow"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# A regular (non-editable) install, so that tests prove the installed package finds its
# ontology and named queries without the source tree. `make run` uses the extras of the
# README's main job: the endpoint (serve), spaCy's extraction (extract) and scipy (fast).
$(VENV)/.installed: $(BIN)/python $(SOURCES)
	$(BIN)/python -m pip install --quiet '.[serve,extract,fast]'
	$(BIN)/python -m pip install --quiet --no-deps --force-reinstall .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(BIN)/python -m pip install --quiet '.[test]'
	touch $@

clean:
	rm -rf out build dist *.egg-info
