# Two commands matter: `make run` and `make test`. Both build .venv from nothing but python3.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-stamp
OUT    ?= out

.PHONY: run test lint bench sample clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

run: $(STAMP)
	$(VENV)/bin/bansos validate sample_data/lists/pkh_medan_baru_berantakan.xlsx \
		--program pkh --kecamatan 12.71.17 --period 2026-T1 --out $(OUT)/pkh_medan_baru

test: $(STAMP)
	$(PY) -m pytest -q

lint: $(STAMP)
	$(VENV)/bin/ruff check validator api tests benchmarks sample_data

bench: $(STAMP)
	$(PY) -m benchmarks.run

sample: $(STAMP)
	$(PY) -m sample_data.generate

clean:
	rm -rf $(VENV) $(OUT)
