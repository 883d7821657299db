# Two commands set everything up from a fresh clone: `make book` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
BUILD_FLAGS := -W -n --keep-going --all

.PHONY: book test lint bench clean wheel pdf

$(STAMP): requirements.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $(STAMP)

## book: build the static site into _build/html, executing every chapter
book: $(STAMP)
	$(BIN)/jupyter-book build . $(BUILD_FLAGS)

## wheel: build the library's wheel into _build/wheel (the site build also serves it)
wheel: $(STAMP)
	$(BIN)/python book/_ext/trv_notebooks.py _build/wheel

## lint: ruff over the library, tests, benchmarks and the site extension
lint: $(STAMP)
	$(BIN)/ruff check lib tests benchmarks book/_ext
	$(BIN)/ruff format --check lib tests benchmarks book/_ext

## test: lint, build the book (warnings are errors) and its PDF, then run the whole test suite
test: lint book pdf
	$(BIN)/python -m pytest

## data: download the public series the book uses into the cache (`python -m treasury_rv.data fetch`)
data: $(STAMP)
	$(BIN)/python -m treasury_rv.data fetch

## bench: build time, library throughput and page weight
bench: $(STAMP)
	$(BIN)/python benchmarks/run.py

## pdf: the whole book as one PDF, _build/pdf/treasury-rv.pdf, printed from the built site
## with Debian's Chromium (run `make book` first); also the kit's exercise sheets as PDFs
pdf: $(STAMP)
	$(BIN)/python book/_ext/trv_pdf.py

clean:
	rm -rf _build
