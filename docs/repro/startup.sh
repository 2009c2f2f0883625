#!/usr/bin/env bash
# Start-up of `ovs-anp compile` on a tiny snapshot (docs/benchmarks.md, "Release start-up"): the same
# command three ways, each run RUNS times in turn (round robin, so load drifts hit all three alike),
# medians of wall-clock and CPU (user + system) time and their ratios against the first:
#   jar      java -jar ovs-controller/target/ovs-anp.jar   (the system JDK: how it ran before the release)
#   nocds    the distribution's bin/ovs-anp with OVSANP_CDS=off (its jlink'd runtime, JDK classes only)
#   cds      the distribution's bin/ovs-anp (its AppCDS archive, made before timing)
# Build first: ./mvnw -B package -DskipTests -pl distribution -am
#
#   docs/repro/startup.sh [--runs N] [--cluster PATH]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
runs=15 cluster="$root/examples/node-ports-blocked"
while [[ $# -gt 0 ]]; do
  case "$1" in
    --runs) runs="${2:?}"; shift 2 ;;
    --cluster) cluster="${2:?}"; shift 2 ;;
    *) echo "usage: $0 [--runs N] [--cluster PATH]" >&2; exit 2 ;;
  esac
done
jar="$root/ovs-controller/target/ovs-anp.jar"
tarball="$(find "$root/distribution/target" -maxdepth 1 -name 'ovs-anp-*-linux-x64.tar.gz' -print -quit 2>/dev/null || true)"
[[ -f $jar && -n $tarball ]] || { echo "$0: build first (./mvnw -B package -DskipTests -pl distribution -am)" >&2; exit 2; }
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
tar -xzf "$tarball" -C "$work"
dist="$(find "$work" -mindepth 1 -maxdepth 1 -type d -print -quit)"
# Unpacked like a user would; the first run makes the archive (not timed).
"$dist/bin/ovs-anp" --version >/dev/null 2>&1

# run NAME: one timed run; wall-clock and CPU (user + system) milliseconds appended to $work/NAME.*
run() {
  local TIMEFORMAT='%R %U %S' t
  t="$({ time case "$1" in
    jar) java -jar "$jar" compile --cluster "$cluster" >/dev/null 2>&1 ;;
    nocds) OVSANP_CDS=off "$dist/bin/ovs-anp" compile --cluster "$cluster" >/dev/null 2>&1 ;;
    cds) "$dist/bin/ovs-anp" compile --cluster "$cluster" >/dev/null 2>&1 ;;
  esac; } 2>&1)"
  awk '{printf "%d\n", $1 * 1000}' <<<"$t" >>"$work/$1.wall"
  awk '{printf "%d\n", ($2 + $3) * 1000}' <<<"$t" >>"$work/$1.cpu"
}
median() { sort -n "$work/$1" | awk '{v[NR]=$1} END {print (NR%2) ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2}'; }
ratio() { awk -v m="$1" -v b="$2" 'BEGIN {printf "%.2f", m / b}'; }

for ((i = 0; i < runs; i++)); do
  for way in jar nocds cds; do run "$way"; done
done
wall="$(median jar.wall)" cpu="$(median jar.cpu)"
echo "load: $(cut -d' ' -f1-3 /proc/loadavg); $runs runs each; snapshot $cluster"
printf '%-6s %14s %6s %13s %6s\n' way "wall median ms" ratio "CPU median ms" ratio
for way in jar nocds cds; do
  w="$(median "$way.wall")" c="$(median "$way.cpu")"
  printf '%-6s %14s %6s %13s %6s\n' "$way" "$w" "$(ratio "$w" "$wall")" "$c" "$(ratio "$c" "$cpu")"
done
