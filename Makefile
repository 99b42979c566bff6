# The two commands of the README, plus lint. Each target is a thin call into tools/,
# which finds or brings Odoo 19, PostgreSQL and Chromium (everything brought is in var/).
.PHONY: run test lint screenshots bench python test-integration

run: python
	@tools/run

test: python
	@tools/test

lint: python
	@tools/lint

screenshots: python
	@tools/screenshots

bench: python
	@tools/bench

# By hand, not by CI: the add-on's tests in a database full of other apps.
test-integration: python
	@tools/test-integration

# The tools are Python 3.10+ scripts: say so in one line rather than fail inside them.
python:
	@python3 -c 'import sys; sys.exit(sys.version_info < (3, 10))' 2>/dev/null || \
	  { echo "error: the tools need Python 3.10 or newer as 'python3' (found: $$(python3 --version 2>&1 || echo none))" >&2; exit 2; }
