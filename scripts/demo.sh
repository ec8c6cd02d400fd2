#!/usr/bin/env bash
# The sample job end to end on the embedded emulator: start the emulator
# from template.yaml, issue the worker's certificate, start the worker, run
# an execution with {"a":15,"b":42} through the AWS SDK, stop everything.
set -euo pipefail
cd "$(dirname "$0")/.."

work=$(mktemp -d)
pids=()
cleanup() {
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
	wait 2>/dev/null || true
	rm -rf "$work"
}
trap cleanup EXIT

wait_for() { # wait_for <seconds> <description> <command...>
	local deadline=$((SECONDS + $1)) what=$2
	shift 2
	until "$@" >/dev/null 2>&1; do
		if ((SECONDS >= deadline)); then echo "demo: timed out waiting for $what" >&2; exit 1; fi
		sleep 0.05
	done
}

echo "== starting the emulator from template.yaml"
bin/stepwire up --template template.yaml --data-dir "$work/emu" --http 127.0.0.1:0 --mqtt 127.0.0.1:0 \
	> >(tee "$work/emulator.log" | sed -u 's/^/[emulator] /') 2>&1 &
pids+=($!)
wait_for 20 "the emulator's endpoints" test -s "$work/emu/endpoints.json"
mqtt=$(sed -n 's/.*"mqtt": *"\([^"]*\)".*/\1/p' "$work/emu/endpoints.json")

echo "== issuing the worker's certificate (thing mqtt-container-client)"
bin/stepwire certs issue --thing mqtt-container-client --out "$work/certs" --data-dir "$work/emu"

echo "== starting the worker"
ENDPOINT="$mqtt" CA_FILE="$work/certs/root-CA.crt" DEVICE_CERT="$work/certs/cert.pem" \
PRIVATE_KEY="$work/certs/priv.key" CLIENT_ID=mqtt-container-client \
SUBSCRIBE_TOPIC=tenant1/to/worker SUBMIT_TOPIC=tenant1/to/lambda \
	bin/stepwire-worker > >(tee "$work/worker.log" | sed -u 's/^/[worker]   /') 2>&1 &
pids+=($!)
wait_for 20 "the worker to subscribe" grep -q "worker ready" "$work/worker.log"

echo "== starting an execution with {\"a\":15,\"b\":42}"
bin/stepwire run --data-dir "$work/emu" --input '{"a":15,"b":42}' | tee "$work/run.log"

# The two processes log to separate pipes, so their lines can reach the
# terminal out of order; sorted by their microsecond timestamps they give
# the job's path.
echo "== the job's path, hop by hop"
grep -h '  hop  ' "$work/emulator.log" "$work/worker.log" | sort -s -k1,1 | awk '
	function us(t,  p) { split(t, p, ":"); return ((p[1] * 60 + p[2]) * 60 + p[3]) * 1e6 }
	NR == 1 { t0 = us($1) }
	{ printf "  +%7.3f ms  %-18s", (us($1) - t0) / 1000, $3; for (i = 4; i <= NF; i++) if ($i !~ /^(executionArn|service|jobId|jobType)=/) printf " %s", $i; print "" }'
echo "== done"
