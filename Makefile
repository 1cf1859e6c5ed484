# assessor: `make run` serves the app, `make test` runs the whole suite.
# Both set everything up on a fresh Debian machine first (system packages, .venv).

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 5000
# Debian packages the app needs: WeasyPrint (pango, harfbuzz subsetting) and a CJK font.
# fonts-hanazono covers the rare CJK Extension B-F characters Noto lacks; chromium runs the
# browser tests (Playwright drives Debian's build: no browser download).
DEB_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-noto-cjk fonts-hanazono \
	chromium
# Debian packages the benchmarks need: wrk drives the load run (benchmarks/load.py).
BENCH_PACKAGES := wrk
# The province-sized database of the load run (PostgreSQL too when ASSESSOR_BENCH_DATABASE_URL is
# set, e.g. postgresql+psycopg://postgres@127.0.0.1:5432/bench: that database is emptied).
BENCH_DB := sqlite:///$(CURDIR)/instance/bench/province.sqlite3

.PHONY: run test lint system venv clean benchmark bench-system translations messages worker fuzz
CATALOG := assessor/translations/en/LC_MESSAGES
FONTS := static/certificates/fonts

# Installs the Debian packages in $(1) that are missing (with sudo unless root), waiting for
# another apt run (unattended upgrades, a second checkout) to finish rather than failing.
define apt_install
	@missing=""; for p in $(1); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "installing Debian packages:$$missing"; \
	  SUDO=""; [ "$$(id -u)" -eq 0 ] || SUDO=sudo; \
	  APT="$$SUDO apt-get -o DPkg::Lock::Timeout=900"; \
	  $$APT update -qq && DEBIAN_FRONTEND=noninteractive $$APT install -y -qq $$missing; \
	fi
endef

system:
	$(call apt_install,$(DEB_PACKAGES))

$(BIN)/.installed: pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
	  (echo "Python 3.11 or newer is needed" && exit 1)
	@$(PYTHON) -m venv $(VENV) 2>/dev/null || ( \
	  SUDO=""; [ "$$(id -u)" -eq 0 ] || SUDO=sudo; \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq python3-venv && $(PYTHON) -m venv $(VENV))
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	@touch $@

venv: system $(BIN)/.installed $(CATALOG)/messages.mo $(FONTS)/AssessorSans-Bold.otf

# The certificates' compact copy of Noto Sans CJK SC (assessor/certificates/fonts.py).
$(FONTS)/AssessorSans-Bold.otf: $(BIN)/.installed
	$(BIN)/flask --app assessor certificates fonts

# English interface: the catalogue is compiled from the committed .po file.
$(CATALOG)/messages.mo: $(CATALOG)/messages.po $(BIN)/.installed
	$(BIN)/pybabel compile -d assessor/translations -D messages

# After changing interface text: extract, then merge into the English catalogue.
messages: venv
	$(BIN)/pybabel extract -F babel.cfg -k _l -o assessor/translations/messages.pot .
	$(BIN)/pybabel update -i assessor/translations/messages.pot -d assessor/translations -l en

lint: venv
	$(BIN)/ruff check .

test: venv
	$(BIN)/ruff check .
	$(BIN)/flask --app assessor criteria validate
	$(BIN)/python -m pytest -p no:cacheprovider

run: venv
	$(BIN)/flask --app assessor db upgrade
	$(BIN)/flask --app assessor certificates setup
	$(BIN)/flask --app assessor demo --if-empty --base-url http://127.0.0.1:$(PORT)
	@echo "在浏览器中打开 / open http://127.0.0.1:$(PORT)/ （Ctrl+C 停止 / to stop）"
	@$(BIN)/gunicorn --bind 127.0.0.1:$(PORT) --threads 4 'assessor:create_app()'

# The job queue's worker, when ASSESSOR_QUEUE_URL (or QUEUE_URL in instance/config.py) names a
# Redis: certificates, re-scoring and large exports run there instead of in the request.
worker: venv
	$(BIN)/flask --app assessor jobs worker

# Every route as every role with hostile values, 10,000+ requests in-process: prints the count
# of requests and of 5xx (FUZZ_URL: a PostgreSQL database to empty and use instead of SQLite).
fuzz: venv
	$(BIN)/python benchmarks/fuzz_routes.py --requests $${FUZZ_REQUESTS:-10000} \
	  $${FUZZ_URL:+--url "$$FUZZ_URL"}

bench-system:
	$(call apt_install,$(BENCH_PACKAGES))

benchmark: venv bench-system
	$(BIN)/python benchmarks/engine_speed.py
	$(BIN)/python benchmarks/criteria_versions.py
	$(BIN)/python benchmarks/certificate_speed.py
	$(BIN)/python benchmarks/form_pdf_speed.py
	$(BIN)/python benchmarks/excel_speed.py
	$(BIN)/python benchmarks/charts_speed.py
	$(BIN)/python benchmarks/claims_sweep.py
	$(BIN)/python benchmarks/province --url $(BENCH_DB) --replace
	$(BIN)/python benchmarks/load.py --url $(BENCH_DB)
	@if [ -n "$$ASSESSOR_BENCH_DATABASE_URL" ]; then \
	  $(BIN)/python benchmarks/province --url "$$ASSESSOR_BENCH_DATABASE_URL" --replace && \
	  $(BIN)/python benchmarks/load.py --url "$$ASSESSOR_BENCH_DATABASE_URL" --other-share 0.25; \
	fi

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
