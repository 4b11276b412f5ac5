# Two entry points: `make run` and `make test`. Both create .venv on first use.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
PORT   ?= 5000

.PHONY: run test bench clean translations

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# The stamp is rebuilt whenever pyproject.toml changes, so a pull that adds a dependency installs it.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

# run: migrate, seed demonstration data into an empty database, then serve with gunicorn.
# Background processes of a non-interactive shell ignore Ctrl-C, so the trap stops them all.
# The server's settings are gunicorn.conf.py's, as in production; TALENTPOOL_ENV=development lets
# the service run with the development SECRET_KEY (production refuses it).
HOST    ?= 127.0.0.1
run: export TALENTPOOL_ENV ?= development
# SCHEDULER: the process started beside gunicorn (nightly re-rank, invitation rounds, mail).
SCHEDULER ?= $(BIN)/flask --app app scheduler run
# MAIL_SERVER: the development mail server the scheduler sends to; its messages are at /dev/mail.
MAIL_PORT ?= 8025
MAIL_SERVER ?= $(BIN)/flask --app app mail dev-server --port $(MAIL_PORT)
run: export TALENTPOOL_MAIL_HOST ?= 127.0.0.1
run: export TALENTPOOL_MAIL_PORT ?= $(MAIL_PORT)
run: export TALENTPOOL_MAIL_SECURITY ?= none
run: export TALENTPOOL_PUBLIC_URL ?= http://$(HOST):$(PORT)
run: $(VENV)/.installed
	$(BIN)/flask --app app db upgrade
	$(BIN)/flask --app app demo seed
	$(BIN)/flask --app app rounds demo
	@echo "serving on http://$(HOST):$(PORT)  (API docs: http://$(HOST):$(PORT)/api/docs; mail sent: http://$(HOST):$(PORT)/dev/mail; Ctrl-C stops)"
	@pids=""; \
	trap 'kill $$pids 2>/dev/null; wait; exit 0' INT TERM; \
	if [ -n "$(MAIL_SERVER)" ]; then $(MAIL_SERVER) & pids="$$pids $$!"; fi; \
	$(BIN)/gunicorn --config gunicorn.conf.py --bind $(HOST):$(PORT) wsgi:app & pids="$$pids $$!"; \
	if [ -n "$(SCHEDULER)" ]; then $(SCHEDULER) & pids="$$pids $$!"; fi; \
	wait

test: $(VENV)/.installed
	$(BIN)/python -m pytest

bench: $(VENV)/.installed
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis

# translations: collect the texts to translate from app/ (app/translations/babel.cfg), add them to
# every language's catalog, and compile the catalogs the service reads (.mo files are committed,
# so a fresh clone or `pip install -e .` needs no step). Languages: the EU's 24 official ones.
EU_LANGUAGES := bg cs da de el en es et fi fr ga hr hu it lt lv mt nl pl pt ro sk sl sv
CATALOGS     := app/translations
.PHONY: translations
translations: $(VENV)/.installed
	$(BIN)/pybabel extract -F $(CATALOGS)/babel.cfg -k _l --no-location --sort-output \
	    --project="Talent Pool" --copyright-holder="Talent Pool" -o $(CATALOGS)/messages.pot.new .
	@# Keep the old template when only its date changed, so the catalogs do not change for nothing.
	@if diff -q -I '^"POT-Creation-Date' $(CATALOGS)/messages.pot $(CATALOGS)/messages.pot.new >/dev/null 2>&1; \
	then rm $(CATALOGS)/messages.pot.new; else mv $(CATALOGS)/messages.pot.new $(CATALOGS)/messages.pot; fi
	@for lang in $(EU_LANGUAGES); do \
	    [ -f $(CATALOGS)/$$lang/LC_MESSAGES/messages.po ] || \
	    $(BIN)/pybabel init -i $(CATALOGS)/messages.pot -d $(CATALOGS) -l $$lang; \
	done
	$(BIN)/pybabel update -i $(CATALOGS)/messages.pot -d $(CATALOGS) --no-fuzzy-matching --ignore-obsolete
	$(BIN)/pybabel compile -d $(CATALOGS) --statistics
