# notifyhub: `make run` starts the hub, `make test` runs every test. Each installs what it needs.
.DEFAULT_GOAL := help
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY_STAMP := $(VENV)/.installed
NODE_STAMP := node_modules/.installed
HOST ?= 127.0.0.1
PORT ?= 8080

.PHONY: help install codegen codegen-check protocol-release run demo test test-python test-frontend clean bench bench-quick bench-capacity soak

help:
	@echo "Needs Python >= 3.11 (PYTHON=... picks one) and Node.js >= 20 with npm. Redis tests use"
	@echo "redis-server, the browser test /usr/bin/chromium (each skipped when absent). See docs/operations.md."
	@echo ""
	@echo "make run            start the hub on http://$(HOST):$(PORT) with development credentials"
	@echo "                    (make run PORT=9000 HOST=0.0.0.0 to listen elsewhere)"
	@echo "make demo           build the browser demo and serve it from a development hub at /demo/"
	@echo "make test           run every test (Python and frontend)"
	@echo "make test-python    run the Python tests (pytest)"
	@echo "make test-frontend  run the frontend tests (vitest)"
	@echo "make install        create .venv/ and install the Python and npm packages (the other targets do it when needed)"
	@echo "make codegen        regenerate generated/ from schemas/"
	@echo "make codegen-check  fail if generated/ differs from what schemas/ produce, or schemas/ break the"
	@echo "                    released protocol (protocol.lock.json) without a new major version, or the"
	@echo "                    npm package's version (frontend/package.json) is not of the protocol's major.minor"
	@echo "make protocol-release  record schemas/ as the next protocol version (MAJOR=1 for a breaking one);"
	@echo "                    the npm package becomes <major>.<minor>.0 of it"
	@echo "make bench          notifyhub and its peers side by side; rewrites BENCHMARKS.md (~16 min)"
	@echo "make bench-quick    the same, smaller (~3 min); prints the tables, leaves BENCHMARKS.md alone"
	@echo "make bench-capacity 1-3 hubs over one Redis and over clusters of 1-3 masters: CPU per delivery of"
	@echo "                    each hub and each redis-server, memory; the sizing in docs/capacity.md (~7 min)"
	@echo "make soak           10 minutes of traffic to 1,000 connections; fails unless memory stays flat"
	@echo "make clean          remove .venv/ and node_modules/"

# What `make run` and `make test` install the first time (about a minute) is announced step by step.
$(PY_STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null || \
	  { echo "notifyhub needs Python >= 3.11; '$(PYTHON)' is not (give another: make PYTHON=python3.12 ...)" >&2; exit 1; }
	@test -x $(BIN)/python || { echo "==> creating the virtualenv $(VENV)/ with $(PYTHON)"; $(PYTHON) -m venv $(VENV); }
	@echo "==> installing Python packages into $(VENV)/ (pip install -e '.[server,dev]'; about a minute the first time)"
	@$(BIN)/python -m pip install --quiet --upgrade pip
	@$(BIN)/python -m pip install --quiet -e '.[server,dev]'
	@touch $@
	@echo "==> Python packages installed"

$(NODE_STAMP): package.json package-lock.json $(wildcard frontend/package.json)
	@command -v npm >/dev/null || { echo "notifyhub needs Node.js >= 20 with npm, and npm is not on PATH" >&2; exit 1; }
	@echo "==> installing npm packages into node_modules/ (npm ci)"
	@npm ci --no-audit --no-fund
	@touch $@

install: $(PY_STAMP) $(NODE_STAMP)

codegen: install
	$(BIN)/python -m codegen

codegen-check: install
	$(BIN)/python -m codegen --check

# Records schemas/ in protocol.lock.json as the next version (minor for compatible changes, the next
# major with MAJOR=1, which breaking changes need), sets the npm package (frontend/) to the first
# release of it, and regenerates generated/ for it.
protocol-release: install
	$(BIN)/python -m codegen --release $(if $(MAJOR),--major)

run: $(PY_STAMP)
	$(BIN)/notifyhub serve --dev --host $(HOST) --port $(PORT)

# The demo page (frontend/demo) built and served by a development hub at /demo/; the hub prints
# the URL to open, with a token.
demo: install
	npm run demo:build --workspace frontend
	NOTIFYHUB_DEMO_DIR=$(CURDIR)/frontend/demo/dist $(BIN)/notifyhub serve --dev --host $(HOST) --port $(PORT)

test: test-python test-frontend

test-python: install
	$(BIN)/python -m pytest

test-frontend: install
	@if grep -q '"test"' frontend/package.json; then npm test --workspace frontend; fi

clean:
	rm -rf $(VENV) node_modules frontend/node_modules

# Benchmarks (bench/README.md): notifyhub and its peers side by side, loopback only.
bench: install
	$(BIN)/python -m pip install --quiet -e '.[server,dev,bench]'
	$(BIN)/python -m bench --size full --write-md

bench-quick: install
	$(BIN)/python -m pip install --quiet -e '.[server,dev,bench]'
	$(BIN)/python -m bench --size quick

# How cost grows with hubs and Redis shards, and the sizing it gives (docs/capacity.md); not in `make test`.
bench-capacity: install
	$(BIN)/python -m bench.capacity --size full --write-md

# Ten minutes of steady traffic to 1,000 connections; fails unless memory stays flat (not in `make test`).
soak: install
	$(BIN)/python -m pip install --quiet -e '.[server,dev,bench]'
	$(BIN)/python -m bench.soak --minutes 10 --connections 1000
