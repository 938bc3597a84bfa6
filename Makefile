# The two commands a newcomer needs: `make run` and `make test`.
# Each creates its own virtual environment (.venv) on first use.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: run test test-fast index serve-prod clean

$(BIN)/kb: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(BIN)/kb

## run: serve the shipped corpus at http://127.0.0.1:5000/ (builds the index first if needed)
run: $(BIN)/kb
	$(BIN)/kb serve --host $(HOST) --port $(PORT)

## test: run the whole test suite (browser tests need Debian's chromium: apt-get install chromium,
##       and npm for axe-core, the accessibility checker they inject)
test: $(BIN)/kb node_modules/axe-core/axe.min.js
	$(BIN)/python -m pytest

node_modules/axe-core/axe.min.js: package.json
	@if command -v npm >/dev/null 2>&1; then npm install --no-audit --no-fund --silent && touch $@; \
	else echo "npm not found: the accessibility checks will be skipped (apt-get install npm)"; fi

## test-fast: the quick local subset: no browser, no long fuzz or kill -9 runs (CI runs everything)
test-fast: $(BIN)/kb
	$(BIN)/python -m pytest -m "not browser and not slow" -q

## index: rebuild the index from the corpus
index: $(BIN)/kb
	$(BIN)/kb index

## serve-prod: serve with gunicorn and two workers
serve-prod: $(BIN)/kb index
	$(BIN)/gunicorn --workers 2 --limit-request-line 8190 --bind $(HOST):$(PORT) 'web:create_app()'

clean:
	rm -rf $(VENV) kb-data *.egg-info
