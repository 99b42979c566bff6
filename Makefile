# The two commands of the README, plus lint. Each target is a thin call into tools/.
.PHONY: run test lint screenshots bench test-integration

run:
	@tools/run

test:
	@tools/test

lint:
	@tools/lint

screenshots:
	@tools/screenshots

bench:
	@tools/bench

# By hand, not by CI: the add-on's tests in a database full of other apps.
test-integration:
	@tools/test-integration
