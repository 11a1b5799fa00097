# Vigil: the two commands a newcomer needs are `make demo` and `make test`.
# This wraps CMake; builds go to build/ (normal) and build-asan/ (ASan+UBSan).
BUILD      ?= build
ASAN_BUILD ?= build-asan
JOBS       ?= $(shell nproc)
CMAKE_ARGS ?=
# Both builds share oscap's cached answers (tests/oracle): oscap runs once per checkout.
ORACLE_CACHE := -DVIGIL_ORACLE_CACHE=$(abspath $(BUILD))/oracle-cache
# -j2: the oracle suites mostly wait on oscap, the others run beside them.
CTEST_ARGS ?= --output-on-failure --timeout 1500 -j $(JOBS)

.PHONY: all deps build build-asan test test-normal test-asan demo bench format check-format clean

all: build

deps:
	@scripts/install-deps.sh

$(BUILD)/CMakeCache.txt:
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo $(ORACLE_CACHE) $(CMAKE_ARGS)

$(ASAN_BUILD)/CMakeCache.txt:
	cmake -S . -B $(ASAN_BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	  -DVIGIL_SANITIZE=address,undefined $(ORACLE_CACHE) $(CMAKE_ARGS)

build: deps $(BUILD)/CMakeCache.txt
	cmake --build $(BUILD) -j $(JOBS)

build-asan: deps $(ASAN_BUILD)/CMakeCache.txt
	cmake --build $(ASAN_BUILD) -j $(JOBS)

# Every suite in the normal build, then the same suites under ASan+UBSan.
test: test-normal test-asan

test-normal: build
	ctest --test-dir $(BUILD) $(CTEST_ARGS)

test-asan: build-asan
	ctest --test-dir $(ASAN_BUILD) $(CTEST_ARGS)

# Runs the main job end to end on this machine and prints where the report is.
demo: build
	@scripts/demo.sh $(BUILD)

# Performance against the anchors, same run; figures go to docs/PERFORMANCE.md.
bench: build
	@perf/bench.sh $(BUILD)

format:
	clang-format -i $$(git ls-files '*.cpp' '*.h')

check-format:
	clang-format --dry-run --Werror $$(git ls-files '*.cpp' '*.h')

clean:
	rm -rf $(BUILD) $(ASAN_BUILD)
