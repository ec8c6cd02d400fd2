#!/usr/bin/env bash
# benchcmp.sh BASELINE CURRENT: compares the figures (name=value) that
# make bench printed in CURRENT with those in BASELINE and prints their
# ratios. A rate (…_eps, …_per_s…) more than 20% below its baseline, or a
# time, size or ratio (…_ms, …_us, …_mb, …_ratio) more than 20% above, is marked
# "<< REGRESSION".
# Informative only: it always exits 0, as the machine may be shared and
# noisy; re-run before believing a mark.
set -euo pipefail
base=${1:?baseline file}
cur=${2:?current figures}
if [ ! -f "$base" ]; then
	echo "benchcmp: no baseline $base"
	exit 0
fi
awk -v tol=0.20 '
function figures(line, into,   n, i, kv, f, k, prefix) {
	n = split(line, f, /[ \t]+/)
	# A line led by a bare word (soak_standard executions=…) names its figures.
	prefix = (f[1] ~ /^[a-z][a-z0-9_]*$/) ? f[1] "." : ""
	for (i = 1; i <= n; i++) {
		if (f[i] ~ /^[a-z][a-z0-9_]*=-?[0-9.]+$/) {
			split(f[i], kv, "=")
			k = prefix kv[1]
			into[k] = kv[2] + 0
			if (!(k in order)) { order[k] = ++count; names[count] = k }
		}
	}
}
FNR == NR { figures($0, base); next }
{ figures($0, cur) }
END {
	printf "%-44s %12s %12s %7s\n", "figure", "baseline", "now", "ratio"
	for (i = 1; i <= count; i++) {
		k = names[i]
		if (!(k in cur) || !(k in base) || base[k] == 0) continue
		r = cur[k] / base[k]
		mark = ""
		if (k ~ /(_eps|_per_s)/ && r < 1 - tol) mark = "  << REGRESSION (rate below baseline)"
		else if (k ~ /(_ms|_us|_mb|_ratio)$/ && k !~ /_eps/ && r > 1 + tol) mark = "  << REGRESSION (above baseline)"
		printf "%-44s %12g %12g %7.2f%s\n", k, base[k], cur[k], r, mark
	}
}' "$base" "$cur"
