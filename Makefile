# The two commands a newcomer needs: `make run` serves the demo, `make test` runs the suite.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1:8000

.PHONY: run test fuzz lint demo worker beat messages bench-eval bench-eval-everyday clean

$(VENV)/.runtime: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install -q --upgrade pip
	$(VENV)/bin/pip install -q -r requirements.txt
	touch $@

$(VENV)/.dev: $(VENV)/.runtime requirements-dev.txt
	$(VENV)/bin/pip install -q -r requirements-dev.txt
	touch $@

demo: $(VENV)/.runtime
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo

# run_demo is runserver printing the logins and the pages' addresses after its banner.
run: demo
	$(PY) manage.py run_demo $(HOST)

test: $(VENV)/.dev
	$(PY) -m pytest $(PYTEST_ARGS)

# The thorough schemathesis run: 100 examples per operation, then sequences of linked calls.
fuzz: $(VENV)/.dev
	$(PY) -m pytest -m fuzz tests/api/test_schema_fuzz.py $(PYTEST_ARGS)

lint: $(VENV)/.dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

worker: $(VENV)/.runtime
	$(VENV)/bin/celery -A config worker -l info --concurrency 2

beat: $(VENV)/.runtime
	$(VENV)/bin/celery -A config beat -l info

messages: $(VENV)/.dev
	$(PY) manage.py makemessages -l es --no-location --ignore=.venv --ignore=bench
	$(PY) manage.py compilemessages --ignore=.venv

bench-eval: $(VENV)/.runtime
	$(PY) bench/evaluate_matching.py

bench-eval-everyday: $(VENV)/.runtime
	$(PY) bench/evaluate_matching.py --scenarios tests/data/scenarios_everyday.json

clean:
	rm -rf $(VENV) db.sqlite3 db.sqlite3-* staticfiles
