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

.PHONY: help install codegen codegen-check protocol-release run demo test test-python test-frontend clean bench bench-quick soak

help:
	@echo "make run            start the hub on http://$(HOST):$(PORT) with a development secret"
	@echo "make test           run every test (Python and frontend)"
	@echo "make codegen        regenerate generated/ from schemas/"
	@echo "make codegen-check  fail if generated/ differs from what schemas/ produce, or schemas/ break the"
	@echo "                    released protocol (protocol.lock.json) without a new major version"
	@echo "make protocol-release  record schemas/ as the next protocol version (MAJOR=1 for a breaking one)"
	@echo "make bench          notifyhub and its peers side by side; rewrites BENCHMARKS.md (~10 min)"
	@echo "make soak           10 minutes of traffic to 1,000 connections; fails unless memory stays flat"

$(PY_STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[server,dev]'
	touch $@

$(NODE_STAMP): package.json package-lock.json $(wildcard frontend/package.json)
	npm ci --no-audit --no-fund
	touch $@

install: $(PY_STAMP) $(NODE_STAMP)

codegen: install
	$(BIN)/python -m codegen

codegen-check: install
	$(BIN)/python -m codegen --check

# Records schemas/ in protocol.lock.json as the next version (minor for compatible changes, the next
# major with MAJOR=1, which breaking changes need) and regenerates generated/ for it.
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

# Ten minutes of steady traffic to 1,000 connections; fails unless memory stays flat (not in `make test`).
soak: install
	$(BIN)/python -m pip install --quiet -e '.[server,dev,bench]'
	$(BIN)/python -m bench.soak --minutes 10 --connections 1000
