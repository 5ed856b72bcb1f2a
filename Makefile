# streamguard — every target installs what it needs first, so any of them works on a fresh checkout.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
JOBS   ?= 2

.PHONY: install generate test test-fast test-checkov-range scan bench lint fuzz lock clean

install: $(STAMP)

$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade "pip>=23"
	$(BIN)/python -m pip install --quiet -c constraints.txt -e ".[test]"
	# Real OPA for the tests (the reference for what the policies mean): opa-golib-python-bindings
	# embeds OPA's Go library behind stdlib ctypes; its wheel declares Python >= 3.14 but runs on
	# 3.10+, so pip is told to ignore that one declaration; the version is pinned in constraints.txt.
	$(BIN)/python -m pip install --quiet --no-deps --ignore-requires-python -c constraints.txt opa-golib-python-bindings
	touch $(STAMP)

generate: install
	$(BIN)/streamguard generate

test: install
	$(BIN)/python -m pytest -n $(JOBS) -q
	$(MAKE) --no-print-directory test-checkov-range

# Under a minute: the fixture contract of both engines (Checkov runs once), in-process parity of
# every Python verdict's reasons with Rego's, catalog, generation and report tests.
test-fast: install
	$(BIN)/python -m pytest -n $(JOBS) -q -m fast

# The Checkov-engine fixture tests on the oldest Checkov pyproject.toml admits, in a venv of its own
# (make test runs them on the newest, pinned in constraints.txt).
test-checkov-range:
	.ci/checkov-range

scan: install
	-$(BIN)/streamguard scan examples/terraform examples/cloudformation --policy examples/custom-rules/policies
	@echo "(exit status 1 above means findings were reported, as expected for this example)"

bench: install
	$(BIN)/python bench/run.py

lint: install
	$(BIN)/ruff check src checks tests bench

fuzz: install
	SG_FUZZ_EXAMPLES=10000 SG_FUZZ_SHARDS=2 $(BIN)/python -m pytest -n 2 -q tests/test_fuzz.py

lock: install
	$(BIN)/python -m pip freeze --exclude-editable | sed '1i # Exact versions streamguard is tested with; regenerate with `make lock`.' > constraints.txt

clean:
	rm -rf $(VENV) .venv-checkov-* .pytest_cache build *.egg-info src/*.egg-info
