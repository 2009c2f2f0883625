#!/usr/bin/env bash
# Whole-process `ovs-anp verify` of the 86k-flow node of the sync benchmark (docs/benchmarks.md,
# "verify at scale"; issue 18 asks for at most 10 s), with the whole-process `compile` of the same
# node as the baseline in the same command (both load the same YAML; the machine is shared). Needs
# the distribution and GNU time (/usr/bin/time, for the peak RSS); build first:
#   ./mvnw -B package -DskipTests -pl distribution -am
# Three ways, RUNS times each in turn; wall-clock medians, ratios against compile, peak RSS medians:
#   compile   bin/ovs-anp compile --node worker-1 (its output is what verify reads)
#   verify    bin/ovs-anp verify --node worker-1 --flows FILE (equal: exit 0)
#   edited    the same with one Deny flow of the Admin tier deleted (different: exit 1)
#
#   docs/repro/verify-scale.sh [--runs N] [--anps N]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
runs=5 anps=285
while [[ $# -gt 0 ]]; do
  case "$1" in
    --runs) runs="${2:?}"; shift 2 ;;
    --anps) anps="${2:?}"; shift 2 ;;
    *) echo "usage: $0 [--runs N] [--anps N]" >&2; exit 2 ;;
  esac
done
tarball="$(find "$root/distribution/target" -maxdepth 1 -name 'ovs-anp-*-linux-x64.tar.gz' -print -quit 2>/dev/null || true)"
[[ -n $tarball ]] || { echo "$0: build first (./mvnw -B package -DskipTests -pl distribution -am)" >&2; exit 2; }
[[ -x /usr/bin/time ]] || { echo "$0: needs GNU time (apt-get install time)" >&2; exit 2; }
T="$(mktemp -d)"
trap 'rm -rf "$T"' EXIT
"$root/docs/repro/bench-snapshot.sh" "$T/snap" "$anps"
tar -xzf "$tarball" -C "$T"
bin="$(find "$T" -mindepth 1 -maxdepth 1 -type d -name 'ovs-anp-*' -print -quit)/bin/ovs-anp"
"$bin" compile --cluster "$T/snap" --node worker-1 >"$T/flows.txt"
# The edited copy: the first drop of table 3 (the Admin tier's egress) at a rule priority, gone.
deny="$(grep -m1 -E '^table=3,priority=[1-9][0-9]*,.* actions=drop$' "$T/flows.txt")"
grep -vxF "$deny" "$T/flows.txt" >"$T/edited.txt"

run() {
  local way="$1" want="$2" start end rc=0
  shift 2
  start=$(date +%s%N)
  /usr/bin/time -f '%M' -o "$T/rss" "$bin" "$@" >"$T/out" 2>"$T/err" || rc=$?
  end=$(date +%s%N)
  [[ $rc -eq $want ]] || { echo "$0: $way exited $rc, not $want" >&2; cat "$T/err" "$T/out" >&2; exit 1; }
  echo $(((end - start) / 1000000)) >>"$T/$way.ms"
  tail -1 "$T/rss" >>"$T/$way.rss"
  [[ $way == compile ]] || tail -1 "$T/out" >"$T/$way.line"
}
median() { sort -n "$1" | awk '{v[NR]=$1} END {print (NR%2) ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2}'; }

for ((i = 0; i < runs; i++)); do
  run compile 0 compile --cluster "$T/snap" --node worker-1
  run verify 0 verify --cluster "$T/snap" --node worker-1 --flows "$T/flows.txt"
  run edited 1 verify --cluster "$T/snap" --node worker-1 --flows "$T/edited.txt" --max-counterexamples 1
done
base="$(median "$T/compile.ms")"
echo "load: $(cut -d' ' -f1-3 /proc/loadavg); $runs runs each; $(grep -c '^table=' "$T/flows.txt") flows for worker-1 ($anps ANPs); deleted: $deny"
printf '%-8s %10s %8s %14s\n' way "median ms" ratio "peak RSS MB"
for way in compile verify edited; do
  m="$(median "$T/$way.ms")"
  printf '%-8s %10s %8s %14s\n' "$way" "$m" "$(awk -v m="$m" -v b="$base" 'BEGIN {printf "%.2f", m / b}')" \
    "$(awk -v k="$(median "$T/$way.rss")" 'BEGIN {printf "%.0f", k / 1024}')"
done
echo "verify: $(cat "$T/verify.line")"
echo "edited: $(cat "$T/edited.line")"
