# The two commands of the README, plus lint. Each target is a thin call into tools/.
.PHONY: run test lint screenshots bench

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
