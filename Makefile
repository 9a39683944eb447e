# Thin wrapper: the real build is CMake. Run as root on Debian 12.
BUILD ?= build
JOBS ?= 2
PACKAGES = cmake g++ make pkg-config libhiredis-dev libip4tc-dev nlohmann-json3-dev libgtest-dev libzstd-dev zstd \
           libboost-dev redis-server redis-sentinel redis-tools supervisor iproute2 iptables \
           iputils-arping iputils-ping openssh-server openssh-client chromium vagrant git \
           python3-redis ruby ruby-redis nodejs
# Client drivers (drivers/, docs/client-drivers.md): redis-py and redis-rb come
# from Debian; ioredis from the npm registry, pinned by its package-lock.json.

# ccache, when present, is used; it is not needed.
LAUNCHER = $(if $(shell command -v ccache),-DCMAKE_CXX_COMPILER_LAUNCHER=ccache,)

# The nightly job (README, "The nightly job"): OUT/NIGHT/ gets the suite, its
# reports, trend.html and summary.md; HISTORY keeps each night's suite.json.
# With NIGHTLY_HISTORY_BRANCH set, HISTORY is that branch of this repository,
# fetched before and pushed after (what CI does); otherwise a plain directory.
NIGHTLY_OUT ?= nightly
NIGHTLY_HISTORY ?= $(NIGHTLY_OUT)/history
NIGHTLY_HISTORY_BRANCH ?=
NIGHTLY_ARGS ?=

.PHONY: deps build demo test bench clean nightly

deps:
	@missing=$$(for p in $(PACKAGES); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q '^install ok installed' || echo $$p; done); \
	command -v npm >/dev/null 2>&1 || missing="$$missing nodejs npm"; \
	if [ -n "$$missing" ]; then \
	  echo "installing:" $$missing; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing; \
	fi
	@[ -d drivers/ioredis/node_modules/ioredis ] || npm ci --prefix drivers/ioredis --no-audit --no-fund --loglevel=error

build: deps
	cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo $(LAUNCHER) -USC_PARTS >/dev/null
	cmake --build $(BUILD) -j$(JOBS)

demo: build
	./$(BUILD)/sentinel-chaos cleanup
	./$(BUILD)/sentinel-chaos run scenarios/sentinel3/master-kill.chaos

test: build
	cd $(BUILD) && ctest --output-on-failure -j$(JOBS) --timeout 600

nightly: build
	@if [ -n "$(NIGHTLY_HISTORY_BRANCH)" ]; then tools/nightly-history.sh fetch $(NIGHTLY_HISTORY_BRANCH) $(NIGHTLY_HISTORY); fi
	@rc=0; ./$(BUILD)/sentinel-chaos nightly --out $(NIGHTLY_OUT) --history $(NIGHTLY_HISTORY) $(NIGHTLY_ARGS) || rc=$$?; \
	if [ -n "$(NIGHTLY_HISTORY_BRANCH)" ]; then tools/nightly-history.sh push $(NIGHTLY_HISTORY_BRANCH) $(NIGHTLY_HISTORY) || rc=3; fi; \
	exit $$rc

bench: build
	@for b in $$(find $(BUILD) -maxdepth 3 -type f -name "bench_*" -perm -u+x | sort); do echo "== $$b"; "$$b" || exit 1; done

clean:
	rm -rf $(BUILD)
