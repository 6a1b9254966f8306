# Two commands on a fresh machine: `make figures` and `make test`.
# Each creates .venv (pinned, from requirements.lock) when it is missing or out of date.

PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: figures build notebooks test test-unit test-notebooks lab venv clean-venv benchmark benchmark-scale

figures: build notebooks ## rebuild every table in data/processed/ and every figure in figures/

build: $(STAMP)
	$(PY) -m ipanalysis build

# Re-runs only the notebooks whose inputs (the notebook, the library, the pins,
# the tables) changed since their last run, in parallel; `ipanalysis run-notebooks --force` runs all.
notebooks: $(STAMP)
	$(PY) -m ipanalysis run-notebooks

# Only the project's numbered notebooks: researchers' own (notebooks/mine/) are tested
# only when asked, e.g. `make test-notebooks NOTEBOOKS=notebooks/mine/my_question.ipynb`.
NOTEBOOKS ?= notebooks/[0-9]*.ipynb
# Test processes (pytest-xdist): one per core; TEST_JOBS=0 runs every test in one process.
# --dist loadfile keeps each file on one worker: a notebook's cells run in order in one
# kernel, and a module's fixtures are built once.
TEST_JOBS ?= auto
XDIST = -n $(TEST_JOBS) --dist loadfile
NBVAL = --nbval --nbval-current-env --nbval-sanitize-with tests/nbval_sanitize.cfg

# One pytest session for both, so the notebooks' kernels fill the cores beside the unit tests.
test: $(STAMP) ## run the unit tests and re-run the notebooks under nbval, spread over the cores
	$(PY) -m pytest -p no:cacheprovider $(XDIST) tests $(NBVAL) $(NOTEBOOKS)

test-unit: $(STAMP)
	$(PY) -m pytest $(XDIST) tests

test-notebooks: $(STAMP)
	$(PY) -m pytest -p no:cacheprovider $(XDIST) $(NBVAL) $(NOTEBOOKS)

# Jupyter refuses to start as root (how containers run) unless told --allow-root.
lab: $(STAMP) ## open JupyterLab on the notebooks
	$(VENV)/bin/jupyter lab notebooks $$(test "$$(id -u)" = 0 && echo --allow-root)

venv: $(STAMP)

$(STAMP): requirements.lock pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $(STAMP)

clean-venv:
	rm -rf $(VENV)

benchmark: $(STAMP) ## every figure of issue 13 beside its goal (about 10 minutes); writes benchmarks/results.json
	$(PY) benchmarks/run.py

benchmark-scale: $(STAMP) ## the same, plus a 10,000-document build (about 20 minutes); writes benchmarks/results.json
	$(PY) benchmarks/run.py --scale
