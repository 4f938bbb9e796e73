# Two commands matter: `make run` and `make test`. Both build .venv from nothing but python3.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-stamp
# The bench extra (pandera on pandas; Great Expectations is a main dependency), once.
BENCH_STAMP := $(VENV)/.bench-installed-stamp
OUT    ?= out
# `make run PORT=8001` when port 8000 is taken.
HOST   ?= 127.0.0.1
PORT   ?= 8000

.PHONY: run test lint bench check-peers sample clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

# The demo server: sample registry, one account per role (tokens printed), sample lists; Ctrl+C stops it.
run: $(STAMP)
	$(PY) -m api.demo --dir $(OUT)/demo --host $(HOST) --port $(PORT)

test: $(STAMP)
	$(PY) -m pytest -q

lint: $(STAMP)
	$(VENV)/bin/ruff check validator api tests benchmarks sample_data

$(BENCH_STAMP): $(STAMP)
	$(PY) -m pip install --quiet -e '.[dev,bench]'
	touch $(BENCH_STAMP)

bench: $(BENCH_STAMP)
	$(PY) -m benchmarks.run

# The peers and our engine agree on the core checks (a generated 2,000-row list).
check-peers: $(BENCH_STAMP)
	$(PY) -m benchmarks.check_peers

sample: $(STAMP)
	$(PY) -m sample_data.generate

clean:
	rm -rf $(VENV) $(OUT)
