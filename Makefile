# rnn-course: `make lab` to learn, `make test` to check everything.
# Both build .venv from uv.lock on first use (and again only when it changes).

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
LAB_ARGS ?=
# `make lab OFFLINE=build/offline-pack`: install from a pack made by `make offline-pack`
# (pip --no-index, so no network is used) and read the datasets from the pack.
COURSE := $(PYTHON) tools/course.py
OFFLINE_FLAG := $(if $(OFFLINE),--offline $(OFFLINE))
SHARED_DATA := $(wildcard $(abspath ../shared/data))

.PHONY: venv lab test student course clean site slides offline-pack gpu-check lock grade gradescope race

# Everything below goes through tools/course.py, which also runs on Windows without make:
# .venv is built from uv.lock (one lock for every platform) on first use.
venv:
	$(COURSE) venv $(OFFLINE_FLAG)

lab:
	$(COURSE) lab $(OFFLINE_FLAG) -- $(LAB_ARGS)

# ruff, then unit tests + every notebook + the committed student edition, all from fresh
# kernels, in fast mode.
test:
	$(COURSE) test

# student/: the lessons with solutions replaced by stubs (committed; a test keeps it current).
student: venv
	$(BIN)/python -m tools.student notebooks/ --out student/

# After editing pyproject.toml's dependencies: re-resolve uv.lock for every platform.
lock: venv
	$(BIN)/uv lock

# Full-mode run of every lesson into build/executed/, timings into build/timings.json,
# then the measured times are written into the title cells and the README table.
course: venv
	$(if $(SHARED_DATA),COURSE_DATA_DIR=$(SHARED_DATA)) $(BIN)/python -m tools.course_runner run
	$(BIN)/python -m tools.course_runner stamp

# The course as a website in build/site/ (Jupyter Book 1, offline, nothing executed;
# lessons that `make course` ran are shown with their outputs).
site: venv
	$(BIN)/python -m tools.book build

# One slide deck per lesson in build/slides/ (objectives, central figures, summary; from
# build/executed/ like the site), read offline: tools/slides.py.
slides: venv
	$(BIN)/python -m tools.slides build

# build/offline-pack/: wheels (course + cpu,lab extras, this platform), datasets, README.md.
offline-pack: venv
	$(if $(SHARED_DATA),COURSE_DATA_DIR=$(SHARED_DATA)) $(BIN)/python -m tools.offline_pack build

# Every lesson in full mode on a GPU, cuDNN required where it can run; refuses without a GPU.
# Commit its JSON (benchmarks/results/gpu_check.json): GPU times in the README come from it.
gpu-check: venv
	$(BIN)/python tools/gpu_check.py

# The character-model race of lessons 06b and 08 (issue #28), each step writing its JSON
# in benchmarks/results/: the tuning search, each contender's backend speed check
# (TensorFlow against JAX: the race runs each on the faster), the race over 3 seeds, the levers, the GRU's width against its matmul share, the tutorial's full recipe.
# Hours on 2 cores; keep the machine otherwise idle (runs on a busy machine are marked
# disturbed and run again). Needs Tiny Shakespeare.
race: venv
	$(if $(SHARED_DATA),COURSE_DATA_DIR=$(SHARED_DATA)) $(BIN)/python -m benchmarks.textgen_tune --minutes 5
	$(if $(SHARED_DATA),COURSE_DATA_DIR=$(SHARED_DATA)) $(BIN)/python -m benchmarks.textgen_backends --minutes 5 --seeds 3
	$(if $(SHARED_DATA),COURSE_DATA_DIR=$(SHARED_DATA)) $(BIN)/python -m benchmarks.textgen_backends --contender "tutorial GRU-1024" --minutes 1 --out benchmarks/results/textgen_backends_tutorial_gru_1024.json
	$(if $(SHARED_DATA),COURSE_DATA_DIR=$(SHARED_DATA)) $(BIN)/python -m benchmarks.textgen_backends --contender "Transformer 4x128" --minutes 1 --out benchmarks/results/textgen_backends_transformer_4x128.json
	$(if $(SHARED_DATA),COURSE_DATA_DIR=$(SHARED_DATA)) $(BIN)/python -m benchmarks.textgen_backends --contender "minGRU 2x256" --minutes 1 --out benchmarks/results/textgen_backends_mingru_2x256.json
	$(if $(SHARED_DATA),COURSE_DATA_DIR=$(SHARED_DATA)) $(BIN)/python -m benchmarks.textgen race --minutes 5
	$(if $(SHARED_DATA),COURSE_DATA_DIR=$(SHARED_DATA)) $(BIN)/python -m benchmarks.textgen_levers --minutes 5
	$(if $(SHARED_DATA),COURSE_DATA_DIR=$(SHARED_DATA)) $(BIN)/python -m benchmarks.textgen_width
	$(if $(SHARED_DATA),COURSE_DATA_DIR=$(SHARED_DATA)) $(BIN)/python -m benchmarks.textgen_recipe

# Grade learners' notebooks with the course's own checks (tools/grade.py): each runs in a
# fresh kernel, fast mode, a temporary copy; OUT gets grades.csv, feedback/, results/,
# learner by learner (a rerun skips those already in OUT; FRESH=1 grades everyone again).
# `make grade SUBMISSIONS=dir OUT=dir [LESSON=00] [HUB=1] [JOBS=2] [CELL_TIMEOUT=s]
# [NOTEBOOK_TIMEOUT=s] [FRESH=1]` (HUB=1: SUBMISSIONS holds the JupyterHub homes).
# It runs the learners' code: see notebooks/INSTRUCTORS.md, "Grading and progress".
GRADE_USAGE = usage: make grade SUBMISSIONS=dir OUT=dir [LESSON=00] [HUB=1] [JOBS=n] [CELL_TIMEOUT=s] [NOTEBOOK_TIMEOUT=s] [FRESH=1]
grade: venv
	@test -n "$(SUBMISSIONS)" -a -n "$(OUT)" || { echo "$(GRADE_USAGE)"; exit 2; }
	$(BIN)/python -m tools.grade $(SUBMISSIONS) --out $(OUT) $(if $(LESSON),--lesson $(LESSON)) \
		$(if $(HUB),--hub) $(if $(JOBS),--jobs $(JOBS)) $(if $(FRESH),--fresh) \
		$(if $(CELL_TIMEOUT),--cell-timeout $(CELL_TIMEOUT)) \
		$(if $(NOTEBOOK_TIMEOUT),--notebook-timeout $(NOTEBOOK_TIMEOUT))

# A Gradescope autograder bundle for one lesson: build/gradescope/lessonNN.zip.
# `make gradescope LESSON=00 [CELL_TIMEOUT=s] [NOTEBOOK_TIMEOUT=s]` (defaults 300 and 480:
# Gradescope stops an autograder after 10 minutes unless its settings say more).
gradescope: venv
	@test -n "$(LESSON)" || { echo "usage: make gradescope LESSON=00 [CELL_TIMEOUT=s] [NOTEBOOK_TIMEOUT=s]"; exit 2; }
	$(BIN)/python -m tools.gradescope --lesson $(LESSON) \
		$(if $(CELL_TIMEOUT),--cell-timeout $(CELL_TIMEOUT)) \
		$(if $(NOTEBOOK_TIMEOUT),--notebook-timeout $(NOTEBOOK_TIMEOUT))

clean:
	rm -rf build student .pytest_cache .ruff_cache .hypothesis
	find . -name __pycache__ -type d -not -path "./$(VENV)/*" -prune -exec rm -rf {} +
