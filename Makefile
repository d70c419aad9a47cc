# RLHF From Scratch, in Swift: build, test and run the course.
#
#   make course            set-up, release build, every chapter in order, every figure
#   make chapter-06        one chapter (and, first, the earlier chapters whose files it needs)
#   make test              set-up, then the test suite
#   make help              every target and variable
#
# Chapters run from the repository root. A default run writes checkpoints and metrics to
# runs/NN-name/ and figures to Figures/NN-name/; QUICK=1 and SEED=N runs keep to folders of
# their own (runs/quick/NN-name/, runs/seed-N/NN-name/, figures inside), so they never
# overwrite a committed figure or a default run's checkpoints.

SHELL := /bin/bash
.DEFAULT_GOAL := help
# Chapters use every core themselves, and two chapters must never write one checkpoint.
.NOTPARALLEL:

# ---- Variables a learner sets on the command line ----------------------------------------

## QUICK=1   run chapters on their tiny budgets (seconds each), as CI does
QUICK ?=
## SEED=N    seed every chapter's random draws with N (default: each chapter's 0)
SEED ?=
## ARGS=...  more options for the chapter, e.g. ARGS="--no-prose --steps 200"
ARGS ?=
## BUILD_DIR the Swift build directory (default .build)
BUILD_DIR ?= .build
## SWIFT_FLAGS=...  flags for the release build; default: code for this machine's CPU (on x86-64,
##                  e.g. -Xswiftc -target-cpu -Xswiftc znver4: AVX2 or AVX-512 in the vector loops)
SWIFT_FLAGS ?= $(shell [ "$$(uname -m)" = x86_64 ] && cpu=$$("$$(dirname "$$(readlink -f "$$(command -v $(SWIFT))")")/clang" -march=native -\#\#\# -x c -c /dev/null -o /dev/null 2>&1 | sed -n 's/.*"-target-cpu" "\([^"]*\)".*/\1/p') && [ -n "$$cpu" ] && echo "-Xswiftc -target-cpu -Xswiftc $$cpu")
## TORCH_PYTHON=path  a Python with torch: `make bench` then measures PyTorch in the same run
TORCH_PYTHON ?=

SWIFT ?= swift
RELEASE := $(BUILD_DIR)/release
CHAPTER_FLAGS := $(if $(QUICK),--quick) $(if $(SEED),--seed $(SEED)) $(ARGS)

# Where this kind of run keeps its files (the chapters' own rule, RunVariant in Notebook):
# runs/, runs/quick/, runs/seed-N/ or runs/quick-seed-N/.
NONZERO_SEED := $(filter-out 0,$(SEED))
VARIANT := $(subst $(eval) ,-,$(strip $(if $(QUICK),quick) $(if $(NONZERO_SEED),seed-$(NONZERO_SEED))))
RUNS := runs$(if $(VARIANT),/$(VARIANT))

# Homebrew installs OpenBLAS outside pkg-config's default search path.
ifeq ($(shell uname),Darwin)
export PKG_CONFIG_PATH := $(shell brew --prefix openblas 2>/dev/null)/lib/pkgconfig:$(PKG_CONFIG_PATH)
endif

# ---- The chapters ---------------------------------------------------------------------------

# Every folder Chapters/NN-name/ is a chapter, an executable named chapter-NN.
CHAPTER_FOLDERS := $(sort $(patsubst Chapters/%/,%,$(wildcard Chapters/[0-9][0-9]-*/)))
CHAPTER_NUMBERS := $(foreach folder,$(CHAPTER_FOLDERS),$(firstword $(subst -, ,$(folder))))
# $(call folder,NN): the folder name of chapter NN, e.g. 01-pretrained-model (empty if absent).
folder = $(patsubst Chapters/%/,%,$(firstword $(wildcard Chapters/$(1)-*/)))

# The artifact chain, as Course's CourseChain states it for the chapters (CourseTests checks
# that these lines say the same). What each chapter hands to later ones: files in its run
# folder ($(RUNS)/NN-name/).
ARTIFACTS_01 := model.safetensors
ARTIFACTS_02 := model.safetensors evaluation.json
ARTIFACTS_04 := reward_model.safetensors preferences.jsonl evaluation-sft.json

# What each chapter needs: NN/file is one artifact of chapter NN; a bare NN means a finished
# run of chapter NN (its .complete stamp, which a chapter writes when it finishes).
SFT_POLICY := 02/model.safetensors
NEEDS_02 := 01/model.safetensors
NEEDS_03 := $(SFT_POLICY)
NEEDS_04 := $(SFT_POLICY) 02/evaluation.json
NEEDS_05 := $(SFT_POLICY) 04/reward_model.safetensors 04/evaluation-sft.json
NEEDS_06 := $(NEEDS_05)
NEEDS_07 := $(NEEDS_05)
NEEDS_08 := $(NEEDS_05) 04/preferences.jsonl
NEEDS_09 := $(NEEDS_05)
NEEDS_10 := $(NEEDS_08) 03 05 06 07 08 09

# $(call outputs,NN): the files that show chapter NN has run: its artifacts, or the stamp
# a chapter leaves in its run folder when it finishes.
outputs = $(addprefix $(RUNS)/$(call folder,$(1))/,$(if $(ARTIFACTS_$(1)),$(ARTIFACTS_$(1)),.complete))
# $(call need_files,NN): the files behind chapter NN's needs, for the chapters that exist.
need_file = $(if $(call folder,$(firstword $(subst /, ,$(1)))),$(if $(findstring /,$(1)),$(RUNS)/$(call folder,$(firstword $(subst /, ,$(1))))/$(lastword $(subst /, ,$(1))),$(call outputs,$(1))))
need_files = $(foreach need,$(NEEDS_$(1)),$(call need_file,$(need)))

# $(call run,NN): runs chapter NN from the repository root (one shell line, so it can sit
# in a rule). The chapter checks what it reads and stamps its run folder when it finishes.
run = @echo "== chapter $(1): $(RELEASE)/chapter-$(1) $(strip $(CHAPTER_FLAGS))" && \
  $(RELEASE)/chapter-$(1) $(CHAPTER_FLAGS)

# For each chapter NN that exists:
#   chapter-NN   builds, makes sure what it needs exists (running earlier chapters if not), runs it;
#   run-NN       runs it alone (make course uses these, in order);
#   its outputs  are made by running it, when missing (order-only needs: only existence counts,
#                so re-running chapter 01 does not make chapter 02's model stale).
define chapter_rules
.PHONY: chapter-$(1) run-$(1)
chapter-$(1): | build $(call need_files,$(1))
	$$(call run,$(1))

run-$(1):
	$$(call run,$(1))

$(call outputs,$(1)): | build $(call need_files,$(1))
	@if [ ! -f $$@ ]; then $$(MAKE) --no-print-directory run-$(1); fi
endef
$(foreach number,$(CHAPTER_NUMBERS),$(eval $(call chapter_rules,$(number))))

# ---- Targets --------------------------------------------------------------------------------

.PHONY: help deps build course figures test bench world book clean clean-runs chapters

help:
	@echo "make course      set-up, release build, every chapter in order, every figure"
	@echo "make chapter-NN  one chapter, after the earlier chapters whose files it needs"
	@echo "make figures     re-render every Figures/*/*.gp with gnuplot (no training)"
	@echo "make test        set-up, then the test suite"
	@echo "make bench       set-up, release build, then the benchmarks"
	@echo "make world       a tour of the synthetic world the course trains on"
	@echo "make book        the course as Markdown pages in Book/, from the committed runs (no training)"
	@echo "make deps        install libopenblas-dev and gnuplot-nox when missing"
	@echo "make build       release build of the libraries, chapters and tools"
	@echo "make chapters    list the chapters that exist"
	@echo "make clean       remove the build directory ($(BUILD_DIR))"
	@echo "make clean-runs  remove runs/ (checkpoints and metrics of every kind of run; chapters must re-train)"
	@echo
	@grep -E '^## ' $(firstword $(MAKEFILE_LIST)) | sed 's/^## /  /'

chapters:
	@$(if $(CHAPTER_FOLDERS),printf '%s\n' $(CHAPTER_FOLDERS),echo "no chapters yet")

# Installs what the package links and draws with: OpenBLAS (through pkg-config) and gnuplot.
deps:
	@if [ "$$(uname)" = Darwin ]; then \
	  pkg-config --exists openblas 2>/dev/null || brew install openblas pkg-config; \
	  command -v gnuplot >/dev/null || brew install gnuplot; \
	else \
	  missing=""; \
	  command -v pkg-config >/dev/null || missing="$$missing pkg-config"; \
	  pkg-config --exists openblas 2>/dev/null || missing="$$missing libopenblas-dev"; \
	  command -v gnuplot >/dev/null || missing="$$missing gnuplot-nox"; \
	  if [ -n "$$missing" ]; then \
	    sudo=""; [ "$$(id -u)" -eq 0 ] || sudo=sudo; \
	    echo "installing:$$missing"; \
	    $$sudo apt-get update -qq && \
	    $$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing; \
	  fi; \
	fi

build: deps
	$(SWIFT) build -c release --scratch-path $(BUILD_DIR) $(SWIFT_FLAGS)

# Each chapter once, in order; then, for a default run, every committed figure re-rendered
# from its .dat and .gp (other runs render their own figures in their run folders).
course: build
	@for number in $(CHAPTER_NUMBERS); do \
	  start=$$(date +%s); \
	  $(MAKE) --no-print-directory run-$$number || exit 1; \
	  echo "== chapter $$number took $$(( $$(date +%s) - start )) s"; \
	done
	@$(if $(VARIANT)$(ARGS),echo "figures of this run are in $(RUNS)/NN-name/figures/",$(MAKE) --no-print-directory figures)

# Runs each figure's script from inside its directory, as a learner would.
figures:
	@scripts=$$(ls Figures/*/*.gp 2>/dev/null); \
	if [ -z "$$scripts" ]; then echo "no figures yet (chapters write them to Figures/NN-name/)"; exit 0; fi; \
	command -v gnuplot >/dev/null || { echo "gnuplot is not installed: run \`make deps\` first" >&2; exit 1; }; \
	for script in $$scripts; do \
	  ( cd "$$(dirname "$$script")" && gnuplot "$$(basename "$$script")" ) || { echo "gnuplot failed on $$script" >&2; exit 1; }; \
	  echo "rendered $${script%.gp}.png"; \
	done

# The suites are XCTest; with Swift Testing off, the run ends on XCTest's own summary line
# ("Executed N tests, with M failures") instead of an empty Swift Testing run.
test: deps
	$(SWIFT) test --disable-swift-testing --scratch-path $(BUILD_DIR)

# PyTorch's column comes from ../shared/baselines/torch_gpt.py, run by TORCH_PYTHON in the
# same sitting (without it the bench says the column is missing and why).
bench: build
	$(RELEASE)/Bench $(if $(TORCH_PYTHON),--torch-python $(TORCH_PYTHON)) $(ARGS)

world: build
	$(RELEASE)/world-tour $(ARGS)

# The book: Book/NN-name.md from each committed transcript (Figures/NN-name/transcript.jsonl).
book: build
	$(RELEASE)/book

clean:
	rm -rf $(BUILD_DIR)

clean-runs:
	rm -rf runs

# A chapter number without a folder: say so instead of make's "No rule to make target".
chapter-%:
	@echo "there is no chapter $* yet (no folder Chapters/$*-*/); \`make chapters\` lists those that exist" >&2; exit 1
