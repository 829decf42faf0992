# make only sets up what the project needs and hands over to invoke (tasks.py),
# which is the real command surface. `make test` sets up everything the tests
# use: the virtual environment, the npm test tools and, when it can, the
# system packages (otherwise it names them, and the tests that need them skip).
VENV ?= .venv
PYTHON ?= python3
STAMP := $(VENV)/.installed
NPM_STAMP := node_modules/.installed
INVOKE := $(VENV)/bin/invoke

.PHONY: serve test build check clean setup system-packages npm-tools

$(STAMP): requirements.txt
	test -x $(VENV)/bin/python || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $(STAMP)

# Debian packages: rsync (invoke publish --target), Chromium (browser tests,
# invoke audit), Java (the Nu HTML Checker), a font for screenshots.
system-packages:
	@missing=""; \
	command -v rsync >/dev/null || missing="$$missing rsync"; \
	command -v chromium >/dev/null || missing="$$missing chromium"; \
	command -v java >/dev/null || missing="$$missing default-jre-headless"; \
	fc-list 2>/dev/null | grep -qi dejavu || missing="$$missing fonts-dejavu-core"; \
	if [ -z "$$missing" ]; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  export DEBIAN_FRONTEND=noninteractive; \
	  apt-get update -q && apt-get install -y -q --no-install-recommends $$missing; \
	else \
	  echo "make: missing system packages:$$missing"; \
	  echo "make: install them (e.g. sudo apt-get install$$missing); until then the tests that need them are skipped"; \
	fi

# npm test tools pinned in package-lock.json: vnu-jar, axe-core, lighthouse.
$(NPM_STAMP): package.json package-lock.json
	@if command -v npm >/dev/null; then \
	  npm ci --ignore-scripts --no-audit --no-fund && touch $(NPM_STAMP); \
	else \
	  echo "make: npm is missing (install Node.js 20 and npm); the browser tests are skipped"; \
	fi

npm-tools: $(NPM_STAMP)

setup: $(STAMP) system-packages npm-tools

serve: $(STAMP)
	$(INVOKE) serve

test: setup
	$(INVOKE) test

build: $(STAMP)
	$(INVOKE) build

check: $(STAMP)
	$(INVOKE) check

clean:
	rm -rf output .pytest_cache __pycache__ $(VENV) node_modules
