# remarkdeck: `make slides` builds every deck, `make test` runs every check.
# Setup (the Python venv, npm packages, a browser) runs only when its inputs changed: each step
# leaves a stamp file inside what it installed.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY_STAMP := $(VENV)/.installed
NPM_STAMP := node_modules/.installed
BROWSER_STAMP := $(VENV)/.browser

.PHONY: slides test pdf site dist serve bench matrix clean distclean lock setup browser

slides: $(PY_STAMP) $(NPM_STAMP)
	$(BIN)/remarkdeck build

test: $(PY_STAMP) $(NPM_STAMP) $(BROWSER_STAMP)
	$(BIN)/pytest -n 2

pdf: slides $(BROWSER_STAMP)
	$(BIN)/remarkdeck pdf

# What gets published: every deck, its single file and its PDFs, and the index linking them.
site: pdf
	$(BIN)/remarkdeck build --standalone

# The wheel and sdist of remarkdeck, carrying Remark.js, KaTeX and the fonts from node_modules.
dist: $(PY_STAMP) $(NPM_STAMP)
	$(BIN)/python -m build --outdir dist

# `make serve DECK=intro-ml PORT=8001`: one deck, another port (defaults: every deck, 8000).
serve: $(PY_STAMP) $(NPM_STAMP)
	$(BIN)/remarkdeck serve $(DECK) $(if $(PORT),--port $(PORT))

bench: $(PY_STAMP) $(NPM_STAMP) $(BROWSER_STAMP)
	$(BIN)/python benchmarks/run.py

# The lecture's snippets on the cells of [tool.remarkdeck.matrix] (keras2, newest), the lock first;
# `make matrix CELL=keras2` runs one of them. Environments under build/.cache/matrix/, reused.
matrix: $(PY_STAMP)
	$(BIN)/remarkdeck matrix $(if $(CELL),--cell $(CELL)) $(if $(GITHUB_STEP_SUMMARY),--summary "$(GITHUB_STEP_SUMMARY)") $(DECK)

setup: $(PY_STAMP) $(NPM_STAMP) $(BROWSER_STAMP)

browser: $(BROWSER_STAMP)

$(PY_STAMP): pyproject.toml requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $@

$(NPM_STAMP): package.json package-lock.json
	PUPPETEER_SKIP_DOWNLOAD=1 npm ci --no-audit --no-fund
	touch $@

$(BROWSER_STAMP): $(PY_STAMP)
	$(BIN)/remarkdeck browser --install
	touch $@

lock: $(PY_STAMP)
	$(BIN)/python -m pip install --quiet -e '.[lecture,dev]'
	{ sed -n '1,2p' requirements.lock; $(BIN)/python -m pip freeze --exclude-editable; } > requirements.lock.new
	mv requirements.lock.new requirements.lock

clean:
	rm -rf build

distclean: clean
	rm -rf $(VENV) node_modules dist
