# stepwire — `make demo` runs the sample job end to end; `make test` runs every test.
SHELL := /bin/bash
GO ?= go
export CGO_ENABLED ?= 0
export TESTCONTAINERS_RYUK_DISABLED := true

# Debian's AWS CLI v2 (the real client the tests drive).
AWS_CLI ?= /usr/bin/aws

.PHONY: all build lambdas tools test vet demo bench profile soak image images e2e conformance fuzz clean deploy destroy sam

all: build

build:
	@mkdir -p bin
	$(GO) build -o bin/stepwire ./cmd/stepwire
	$(GO) build -o bin/stepwire-worker ./cmd/stepwire-worker

# The Lambdas as AWS runs them: provided.al2023 wants a binary named
# bootstrap; template.yaml's CodeUri points at bin/lambda/* (x86_64, the
# template's Architectures); bin/lambda-arm64/* are the same for arm64.
LAMBDAS := dispatch complete cancel
lambdas:
	for f in $(LAMBDAS); do \
		GOOS=linux GOARCH=amd64 $(GO) build -tags lambda.norpc -o bin/lambda/$$f/bootstrap ./cmd/$$f-lambda || exit 1; \
		GOOS=linux GOARCH=arm64 $(GO) build -tags lambda.norpc -o bin/lambda-arm64/$$f/bootstrap ./cmd/$$f-lambda || exit 1; \
	done

# The same template on AWS, with the AWS SAM CLI and the default credential
# chain: make deploy [STACK_NAME=stepwire] [PARAMS="WorkerTopic=t/w LambdaTopic=t/l"].
# make destroy deletes the stack. TARGET=aws then runs the tests against it
# (README, "Targeting AWS").
STACK_NAME ?= stepwire
SAM ?= sam
PARAMS ?=

sam:
	@command -v $(SAM) >/dev/null || { echo "make deploy and make destroy need the AWS SAM CLI ($(SAM) not found):" \
		"https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/install-sam-cli.html" >&2; exit 1; }

deploy: sam lambdas
	$(SAM) deploy --template-file template.yaml --stack-name $(STACK_NAME) --resolve-s3 \
		--capabilities CAPABILITY_IAM CAPABILITY_AUTO_EXPAND --no-confirm-changeset --no-fail-on-empty-changeset \
		$(if $(PARAMS),--parameter-overrides $(PARAMS))

destroy: sam
	$(SAM) delete --stack-name $(STACK_NAME) --no-prompts

# Real clients and servers the tests use: Debian's awscli and mosquitto-clients,
# and postgresql, whose server internal/pgtest starts for the sql job's tests;
# mosquitto, the broker `make bench` compares stepwire's with.
tools:
	@if [ ! -x $(AWS_CLI) ] || ! command -v mosquitto_pub >/dev/null || ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || ! /usr/bin/python3 -c "import boto3" 2>/dev/null || ! command -v chromium >/dev/null || [ ! -x /usr/sbin/mosquitto ]; then \
		echo "installing awscli, mosquitto-clients, mosquitto, postgresql, python3-boto3 and chromium (the console's browser tests)"; \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -q && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -q awscli mosquitto-clients mosquitto postgresql python3-boto3 chromium; \
	fi

vet:
	$(GO) mod tidy -diff
	cd e2e && $(GO) mod tidy -diff
	$(GO) vet ./...
	cd e2e && $(GO) vet -tags e2e ./...
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || { gofmt -l $$(git ls-files '*.go'); echo "gofmt needed"; exit 1; }

test: tools build lambdas vet conformance
	STEPWIRE_AWS_CLI=$(AWS_CLI) STEPWIRE_CONFORMANCE_CASES=$(subst $(space),:,$(abspath $(CONFORMANCE_CASES))) \
		CGO_ENABLED=1 $(GO) test -race -count=1 ./...

# Step Functions conformance: replay the cases recorded on real AWS
# (testdata/conformance/sfn, format and provenance in its README) and fail
# below the bar. CONFORMANCE_CASES adds more case directories.
CASES := testdata/conformance/sfn/cases
CONFORMANCE_CASES ?=
space := $(subst ,, )

conformance: build
	./bin/stepwire conformance --min-pass 0.95 --min-category 0.90 --max-skip 0.05 --min-pass-jsonata 0.95 $(CASES) $(CONFORMANCE_CASES)

demo: build
	./scripts/demo.sh

# The container images, stepwire:dev (the emulator) and stepwire-worker:dev:
# static binaries on scratch (there is no registry to pull a base image
# from), with the system's CA bundle copied in (e2e/Dockerfile).
LINUX_BUILD := GOOS=linux GOARCH=$(shell $(GO) env GOARCH) $(GO) build -trimpath -ldflags="-s -w"

images:
	$(LINUX_BUILD) -o bin/linux/stepwire ./cmd/stepwire
	$(LINUX_BUILD) -o bin/linux/stepwire-worker ./cmd/stepwire-worker
	cp /etc/ssl/certs/ca-certificates.crt e2e/ca-certificates.crt
	docker build -q --target emulator -t stepwire:dev -f e2e/Dockerfile .
	docker build -q --target worker -t stepwire-worker:dev -f e2e/Dockerfile .
	@docker image ls --format '{{.Repository}}:{{.Tag}} {{.Size}}' | grep -E '^stepwire(-worker)?:dev '

image: images

# The emulator and workers as containers on a private network, with real
# faults: kill, pause, network disconnect, stop, restart. e2e/ is a module of its own, so that Docker's client stays out of the emulator's
# dependency graph.
e2e: images lambdas
	cd e2e && $(GO) test -tags e2e -count=1 -timeout 10m ./...

# Speed figures (benchmarks, never timed tests). The summary lists each
# figure line; the round trip comes last.
bench:
	@mkdir -p bin
	set -o pipefail; $(GO) test -run '^$$' -bench . -benchtime 1x -timeout 20m ./bench/ | tee bin/bench.out
	set -o pipefail; $(GO) test -run '^$$' -bench WorkerRoundTrip -benchtime 3000x ./worker/ | tee -a bin/bench.out
	@echo "== summary"
	@grep -E '^(broker_|interp_|jsonata_|soak_|cancel_|lambda_|scenarios_|roundtrip_process_|roundtrip_durable_|roundtrip_floor_|library_|restart_|statefile_|console_|flatcost_)|worker_concurrency=' bin/bench.out | sed 's/^Benchmark[^\t]*\t *//' || true
	@grep '^roundtrip_p50_ms=' bin/bench.out | tail -1
	@echo "== against bench/baseline.txt (now/baseline; informative: the machine may be noisy)"
	@./scripts/benchcmp.sh bench/baseline.txt bin/bench.out

# CPU and allocation profiles of the round trip, the interpreter and
# JSONata (docs/performance.md reads them): bin/profile/<name>.{cpu,mem}.pprof
# and a go tool pprof -top summary of each, <name>.{cpu,mem}.txt.
PROFILES := roundtrip:^BenchmarkRoundTrip$$:1x interp:^BenchmarkInterpreterExecution$$:3s jsonata:^BenchmarkJSONataExecution$$:3s
profile:
	@mkdir -p bin/profile
	$(GO) test -c -o bin/profile/bench.test ./bench/
	@set -e; for p in $(PROFILES); do \
		IFS=: read -r name bench time <<< "$$p"; out=$(CURDIR)/bin/profile/$$name; \
		echo "== $$name"; \
		(cd bench && ../bin/profile/bench.test -test.run '^$$' -test.bench "$$bench" -test.benchtime $$time \
			-test.cpuprofile $$out.cpu.pprof -test.memprofile $$out.mem.pprof) | grep -E '^(Benchmark|roundtrip_)'; \
		$(GO) tool pprof -top -nodecount 40 bin/profile/bench.test $$out.cpu.pprof > $$out.cpu.txt 2>/dev/null; \
		$(GO) tool pprof -top -sample_index=alloc_space -nodecount 40 bin/profile/bench.test $$out.mem.pprof > $$out.mem.txt 2>/dev/null; \
	done
	@ls bin/profile

# Memory under load: 16 clients start Standard (and describe them), then
# Express executions for 60 s each through the SDK; memory is sampled every
# 5 s, and for 30 s after the machines are deleted.
soak:
	@mkdir -p bin
	set -o pipefail; $(GO) test -run '^$$' -bench Soak -benchtime 1x -timeout 10m ./bench/ \
		-args -soak 60s -soak-clients 16 -soak-after 30s | tee bin/soak.out

# Fuzzing: every fuzz target for FUZZTIME, one after another
# (make fuzz FUZZTIME=30s). A failure writes its input to
# <package>/testdata/fuzz/<Target>/: report it, and keep it out of commits
# until the bug is fixed, so that go test stays green. A failure that writes
# no input is rerun once: Go 1.26 can fail at the end of -fuzztime for no
# input (go.dev/issue/75804); twice in a row suggests a hung input.
FUZZTIME ?= 10s
FUZZ_TARGETS := \
	emulator/asl/jsonv:FuzzDecode \
	emulator/asl/jsonpath:FuzzPath \
	emulator/asl/jsonata:FuzzCompile \
	emulator/asl:FuzzParse \
	emulator/asl:FuzzParseField \
	emulator/interp:FuzzParseAndRun \
	emulator/iotemu/policy:FuzzParse \
	emulator/iotemu/policy:FuzzMatch \
	emulator/iotemu/policy:FuzzParsePolicy \
	emulator/iotemu/rules:FuzzParseSQL \
	emulator/iotemu/rules:FuzzCompile \
	emulator/iotemu/rules:FuzzSQLStatement \
	emulator/iotemu/rules:FuzzExpand \
	emulator/template:FuzzParse \
	emulator/sfnemu/mockconfig:FuzzParse \
	scenarios:FuzzParseScenario \
	emulator/sfnemu/sfnapi:FuzzHandler \
	emulator/iotemu:FuzzHTTP

fuzz:
	@failed=""; \
	run() { $(GO) test -run '^$$' -fuzz "^$$2\$$" -fuzztime $(FUZZTIME) -fuzzminimizetime 10s ./$$1/; }; \
	inputs() { ls $$1/testdata/fuzz/$$2 2>/dev/null | wc -l; }; \
	for t in $(FUZZ_TARGETS); do \
		pkg=$${t%%:*}; name=$${t##*:}; before=$$(inputs $$pkg $$name); \
		echo "== $$name ($$pkg, $(FUZZTIME))"; \
		run $$pkg $$name && continue; \
		if [ "$$(inputs $$pkg $$name)" -gt "$$before" ]; then failed="$$failed $$t"; continue; fi; \
		echo "== $$name failed without an input; once more"; \
		run $$pkg $$name || failed="$$failed $$t(no-input)"; \
	done; \
	if [ -n "$$failed" ]; then echo "fuzz: failed:$$failed"; exit 1; fi; \
	echo "fuzz: all targets passed"

clean:
	rm -rf bin .stepwire
