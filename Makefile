# The README's commands, nothing clever.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: demo test install clean

$(BIN)/lednews: pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test]'
	touch $@

install: $(BIN)/lednews

demo: install
	$(BIN)/lednews crawl --mirror tests/sites --sources tests/fixtures/user-sources.toml
	@echo "next: $(BIN)/lednews serve  (browse stories, search, Atom feeds at http://127.0.0.1:8001/)"
	@echo "      $(BIN)/lednews status (source health); tables: docs/schema.md; more: README.md"

test: install
	$(BIN)/python -m pytest -q

clean:
	rm -rf $(VENV) data/news.db data/news.db-wal data/news.db-shm data/archive
