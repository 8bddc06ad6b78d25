# cleaner: `make all` builds every edition of seeds/ into outputs/, `make test` runs the tests.
# Both set up what they need: the virtualenv (.venv) and, with apt-get, the system packages.

PYTHON  ?= python3
VENV    := .venv
BIN     := $(VENV)/bin
SEEDS   := $(wildcard seeds/*.txt)
STEMS   := $(notdir $(SEEDS:.txt=))
SOURCES := $(shell find cleaner -name '*.py' -o -name '*.toml' -o -name '*.css' -o -path 'cleaner/data/*' -type f 2>/dev/null)
# Dates written into the editions come from the document, else SOURCE_DATE_EPOCH if you
# set it, else 2000-01-01: never the clock. outputs/ is built without SOURCE_DATE_EPOCH.

EDITIONS = txt md report.json docx pdf zh-Hant.docx zh-Hant.pdf

.PHONY: all test test-fast baselines lint fuzz bench screenshots clean distclean sysdeps sysdeps-test

all: $(foreach s,$(STEMS),outputs/$(s).report.json)

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test,dask]'
	touch $@

.stamp-sysdeps: scripts/system-deps.sh
	scripts/system-deps.sh build
	touch $@

.stamp-sysdeps-test: scripts/system-deps.sh
	scripts/system-deps.sh test
	touch $@

sysdeps: .stamp-sysdeps
sysdeps-test: .stamp-sysdeps-test

# One run of `cleaner build` writes every edition of a seed; the report is the target
# make tracks, so a seed is rebuilt only when it or the code changed. The run also
# records it in outputs/manifest.json (with summary.json/csv and manifest-sha256.txt):
# --force, since make has already decided it is out of date, and the manifest cannot
# see a change of code that keeps the version.
outputs/%.report.json: seeds/%.txt $(SOURCES) | $(VENV)/.installed .stamp-sysdeps
	@mkdir -p outputs
	env -u SOURCE_DATE_EPOCH $(BIN)/cleaner build $< -o outputs --quiet --force

test: $(VENV)/.installed .stamp-sysdeps-test
	$(BIN)/python -m pytest

# The editing loop: everything but the tests marked slow (over ~5 s each).
test-fast: $(VENV)/.installed .stamp-sysdeps-test
	$(BIN)/python -m pytest -m "not slow"

lint: $(VENV)/.installed
	$(BIN)/ruff check cleaner tests

fuzz: $(VENV)/.installed
	FUZZ_EXAMPLES=10000 $(BIN)/python -m pytest tests/test_properties.py -q -p no:cacheprovider --hypothesis-show-statistics --durations=0

# The corpus scores of cleaner, `cat` and trafilatura 2.3 (in a venv of its own) for the README.
baselines: $(VENV)/.installed
	scripts/corpus_baselines.sh

bench: $(VENV)/.installed .stamp-sysdeps
	$(BIN)/python scripts/bench.py

screenshots: all .stamp-sysdeps-test
	scripts/screenshots.sh

clean:
	rm -rf build *.egg-info .pytest_cache .ruff_cache .hypothesis .stamp-* 
	find . -name __pycache__ -prune -exec rm -rf {} +

distclean: clean
	rm -rf $(VENV)
