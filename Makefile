# labcarbon — the two commands a newcomer needs are `make run` and `make test`.

GO       ?= go
BIN      := bin/labcarbon
VERSION  := $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS  := -s -w -X labcarbon.Version=$(VERSION)
FUZZTIME ?= 30s
SCALE_JOBS ?= 1000000

.PHONY: build run test bench bench-go bench-scale fuzz clean slurm-test

## build: compile bin/labcarbon
build:
	$(GO) build -trimpath -ldflags '$(LDFLAGS)' -o $(BIN) ./cmd/labcarbon

## run: build, then the demo end to end; reports land in ./reports/
run: build
	$(BIN) demo --out demo --reports reports

## test: vet, formatting and the test suite (a few minutes at most)
test:
	@unformatted=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	  if [ -n "$$unformatted" ]; then echo "gofmt needed:"; echo "$$unformatted"; exit 1; fi
	$(GO) vet ./...
	$(GO) test ./...

## bench: the benchmarks of every stage, then the end-to-end run of
## bench-scale (about five minutes with a million jobs)
bench: bench-go bench-scale

## bench-go: the Go benchmarks of every stage on generated data (jobs/s, MB/s)
bench-go:
	$(GO) test -run '^$$' -bench . -benchmem ./...

## bench-scale: end to end on a large centre's quarter (SCALE_JOBS jobs, default
## a million), in a new store and then in one holding the quarter before: time,
## CPU time, throughput and peak memory of each stage, as the README's
## Performance tables; needs about 5 GB of temporary disk, freed after
bench-scale: build
	$(GO) run ./cmd/scalebench -labcarbon $(BIN) -jobs $(SCALE_JOBS)
	$(GO) run ./cmd/scalebench -labcarbon $(BIN) -jobs $(SCALE_JOBS) -history

## fuzz: run every fuzz target for FUZZTIME each (default 30s)
fuzz:
	@for pkg in $$($(GO) list ./...); do \
	  for t in $$($(GO) test -list '^Fuzz' $$pkg | grep '^Fuzz'); do \
	    echo "== $$pkg $$t"; \
	    $(GO) test -run '^$$' -fuzz "^$$t$$" -fuzztime $(FUZZTIME) $$pkg || exit 1; \
	  done; \
	done

## slurm-test: a real single-node Slurm (root, Debian 12): install and start
## it, run a job mix, read its sacct, --json and jobcomp output, stop it
slurm-test:
	.ci/slurm/setup.sh
	@out=$$(mktemp -d /tmp/labcarbon-slurm.XXXXXX); status=0; \
	  .ci/slurm/jobs.sh "$$out" && \
	  LABCARBON_SLURM_OUT="$$out" $(GO) test -count=1 -tags slurm ./ingest/slurm/ -run Integration -v || status=$$?; \
	  .ci/slurm/stop.sh; \
	  echo "slurm-test: captures kept in $$out"; \
	  exit $$status

## clean: remove what build and run wrote
clean:
	rm -rf bin demo reports
