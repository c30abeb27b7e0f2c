# Một Cửa — one entry point. `make run` sets up and starts everything on SQLite with demo data;
# `make test` runs the whole suite on SQLite. Both install what they need themselves.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=

.PHONY: run install migrate demo serve test test-pg lint format bench messages migrations-check worker clean

run: install migrate demo
	@$(PY) manage.py demo_accounts
	@echo "Một Cửa đang chạy tại http://$(HOST):$(PORT)/  (Ctrl+C để dừng)"
	$(PY) manage.py runserver $(HOST):$(PORT)

install: $(STAMP)

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

migrate: install
	$(PY) manage.py migrate --noinput -v0

demo: migrate
	$(PY) manage.py load_demo

test: install
	$(PY) -m pytest $(PYTEST_ARGS)

# The same suite on the local PostgreSQL (pytest-django creates and drops test_<name> itself).
PG_URL ?= postgres://postgres@127.0.0.1:5432/motcua_dev
test-pg: install
	DATABASE_URL=$(PG_URL) $(PY) -m pytest $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .

format: install
	$(VENV)/bin/ruff format .

migrations-check: install
	$(PY) manage.py makemigrations --check --dry-run

# make bench: every bench/*_bench.py on 1,000,000 generated dossiers, one table + bench/results/*.json;
# make bench QUICK=1: 10,000 dossiers, fewer iterations.
bench: install
	$(PY) bench/run.py $(if $(QUICK),--quick,)

worker: install
	@echo "Tiến trình nền: theo dõi hạn hồ sơ (mỗi 60 giây) và hàng đợi tác vụ (Ctrl+C để dừng)"
	$(PY) manage.py dossier_watch --interval 60 & WATCH=$$!; trap 'kill $$WATCH 2>/dev/null' EXIT INT TERM; \
	$(PY) manage.py db_worker

messages: install
	$(PY) manage.py makemessages -l en --no-obsolete
	$(PY) manage.py compilemessages

clean:
	rm -rf $(VENV) var
