# rnn-course: `make lab` to learn, `make test` to check everything.
# Both build .venv from pyproject.toml on first use (and again only when it changes).

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
LAB_ARGS ?=
# Jupyter refuses to run as root (containers, CI) unless told it is deliberate.
AS_ROOT := $(if $(filter 0,$(shell id -u 2>/dev/null)),--allow-root)
# Extras installed into .venv: the CPU TensorFlow wheel, JupyterLab, test tools, Jupyter Book.
EXTRAS ?= cpu,lab,test,site
# `make lab OFFLINE=build/offline-pack`: install from a pack made by `make offline-pack`
# (pip --no-index, so no network is used) and read the datasets from the pack.
ifdef OFFLINE
EXTRAS := cpu,lab
PIP_SOURCE := --no-index --find-links $(abspath $(OFFLINE))/wheels
export COURSE_DATA_DIR := $(abspath $(OFFLINE))/datasets
export COURSE_OFFLINE := 1
endif
# Tests use the shared copy of the corpora when it exists; everything passes without it.
SHARED_DATA := $(wildcard $(abspath ../shared/data))
TEST_ENV := COURSE_FAST=1 $(if $(SHARED_DATA),COURSE_DATA_DIR=$(SHARED_DATA))
NBVAL := --nbval-lax --nbval-current-env --sanitize-with tests/sanitize.cfg
XDIST := -n auto --dist loadfile

.PHONY: venv lab test lint pytest student course clean site offline-pack

$(STAMP): pyproject.toml setup.py
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet $(PIP_SOURCE) --upgrade pip
	$(BIN)/python -m pip install --quiet $(PIP_SOURCE) -e ".[$(EXTRAS)]"
	@touch $(STAMP)

venv: $(STAMP)

lab: $(STAMP)
	$(BIN)/jupyter lab notebooks/ $(AS_ROOT) $(LAB_ARGS)

# ruff, then unit tests + every notebook + the student edition, all from fresh kernels.
test: lint student
	$(TEST_ENV) $(BIN)/python -m pytest $(XDIST) $(NBVAL) tests notebooks student

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

student: $(STAMP)
	$(BIN)/python -m course_utils.student notebooks/ --out student/

# Full-mode run of every lesson into build/executed/, timings into build/timings.json,
# then the measured times are written into the title cells and the README table.
course: $(STAMP)
	$(if $(SHARED_DATA),COURSE_DATA_DIR=$(SHARED_DATA)) $(BIN)/python -m course_utils.course_runner run
	$(BIN)/python -m course_utils.course_runner stamp

# The course as a website in build/site/ (Jupyter Book 1, offline, nothing executed;
# lessons that `make course` ran are shown with their outputs).
site: $(STAMP)
	$(BIN)/python -m course_utils.site build

# build/offline-pack/: wheels (course + cpu,lab extras, this platform), datasets, README.md.
offline-pack: $(STAMP)
	$(if $(SHARED_DATA),COURSE_DATA_DIR=$(SHARED_DATA)) $(BIN)/python -m course_utils.offline_pack build

clean:
	rm -rf build student .pytest_cache .ruff_cache .hypothesis
	find . -name __pycache__ -type d -not -path "./$(VENV)/*" -prune -exec rm -rf {} +
