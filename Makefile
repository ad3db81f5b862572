# Two commands on a fresh machine: `make serve` and `make test`.
VENV   := .venv
PYTHON ?= python3
BIN    := $(VENV)/bin

.PHONY: serve test install lint typecheck bench evaluate

$(BIN)/thighdx: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q -U pip
	$(BIN)/pip install -q -e '.[dev]'
	@touch $@

install: $(BIN)/thighdx

serve: install
	$(BIN)/thighdx serve

test: install
	$(BIN)/pytest

lint: install typecheck
	$(BIN)/ruff check src tests
	$(BIN)/thighdx kb check

# The core, strictly typed (configuration: [tool.mypy] in pyproject.toml).
typecheck: install
	$(BIN)/python -m mypy --strict src/thighdx/knowledge src/thighdx/engine src/thighdx/interview.py \
		src/thighdx/language src/thighdx/care src/thighdx/errors.py

bench: install
	$(BIN)/python benchmarks/engine_bench.py
	$(BIN)/python benchmarks/step_bench.py
	command -v wrk >/dev/null || { echo "http_bench.py needs wrk: apt-get install -y wrk"; exit 1; }
	$(BIN)/python benchmarks/http_bench.py --workers 1
	$(BIN)/python benchmarks/http_bench.py --workers 2
	$(BIN)/python benchmarks/parse_bench.py
	$(BIN)/python benchmarks/interview_load.py --workers 1 2

evaluate: install
	for mode in structured text interview; do $(BIN)/thighdx evaluate ../shared/cases/public.jsonl --mode $$mode; done
