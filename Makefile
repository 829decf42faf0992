# make only bootstraps the virtual environment and hands over to invoke
# (tasks.py), which is the real command surface.
VENV ?= .venv
PYTHON ?= python3
STAMP := $(VENV)/.installed
INVOKE := $(VENV)/bin/invoke

.PHONY: serve test build check clean

$(STAMP): requirements.txt
	test -x $(VENV)/bin/python || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $(STAMP)

serve: $(STAMP)
	$(INVOKE) serve

test: $(STAMP)
	$(INVOKE) test

build: $(STAMP)
	$(INVOKE) build

check: $(STAMP)
	$(INVOKE) check

clean:
	rm -rf output .pytest_cache __pycache__ $(VENV)
