#!/usr/bin/env bash
# Whole-process `ovs-anp sync --once` (JVM start, YAML loading, compile, connect, one bundle) against
# `ovs-ofctl --bundle add-flows` of the same flows, on a fresh bridge of a private ovs-vswitchd
# (userspace datapath, own run dir; the system OVS is not touched): docs/benchmarks.md, "Release
# start-up". Needs root and openvswitch-switch; build first:
#   ./mvnw -B package -DskipTests -pl distribution -am
# Snapshot: docs/repro/bench-snapshot.sh (examples/node-ports-blocked plus ANPS generated ANPs).
# Three ways, RUNS times each in turn; wall-clock medians and ratios against ovs-ofctl:
#   ofctl   ovs-ofctl -O OpenFlow13 --bundle add-flows of `ovs-anp compile --node worker-1`'s output
#   jar     java -jar ovs-controller/target/ovs-anp.jar sync --once (system JDK, as before the release)
#   dist    the distribution's bin/ovs-anp sync --once (jlink'd runtime, AppCDS archive)
#
#   docs/repro/whole-sync.sh [--runs N] [--anps N]
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
export PATH="$PATH:/usr/local/sbin:/usr/sbin:/sbin"
jar="$root/ovs-controller/target/ovs-anp.jar"
tarball="$(find "$root/distribution/target" -maxdepth 1 -name 'ovs-anp-*-linux-x64.tar.gz' -print -quit 2>/dev/null || true)"
[[ -f $jar && -n $tarball ]] || { echo "$0: build first (./mvnw -B package -DskipTests -pl distribution -am)" >&2; exit 2; }
T="$(mktemp -d)"
cleanup() {
  for f in "$T/ovs-vswitchd.pid" "$T/ovsdb-server.pid"; do
    if [[ -f $f ]]; then kill "$(cat "$f")" 2>/dev/null || true; fi
  done
  rm -rf "$T"
}
trap cleanup EXIT
export OVS_RUNDIR="$T" OVS_LOGDIR="$T" OVS_DBDIR="$T"

# The snapshot.
"$root/docs/repro/bench-snapshot.sh" "$T/snap" "$anps"

# The private switch.
ovsdb-tool create "$T/conf.db" /usr/share/openvswitch/vswitch.ovsschema
ovsdb-server "$T/conf.db" --remote="punix:$T/db.sock" --pidfile="$T/ovsdb-server.pid" --detach \
  --log-file="$T/ovsdb-server.log" 2>>"$T/daemons.log"
ovs-vsctl --db="unix:$T/db.sock" --no-wait init
ovs-vswitchd "unix:$T/db.sock" --pidfile="$T/ovs-vswitchd.pid" --detach \
  --log-file="$T/ovs-vswitchd.log" 2>>"$T/daemons.log"
ovs-vsctl --db="unix:$T/db.sock" add-br br-int -- set bridge br-int datapath_type=netdev fail_mode=secure
sw="unix:$T/br-int.mgmt"
for _ in $(seq 50); do [[ -S $T/br-int.mgmt ]] && break; sleep 0.1; done

tar -xzf "$tarball" -C "$T"
dist="$(find "$T" -mindepth 1 -maxdepth 1 -type d -name 'ovs-anp-*' -print -quit)"
"$dist/bin/ovs-anp" compile --cluster "$T/snap" --node worker-1 >"$T/flows.txt"
flows="$(grep -c '^table=' "$T/flows.txt")"

run() {
  local start end
  ovs-ofctl -O OpenFlow13 del-flows "$sw"
  start=$(date +%s%N)
  case "$1" in
    ofctl) ovs-ofctl -O OpenFlow13 --bundle add-flows "$sw" "$T/flows.txt" ;;
    jar) java -jar "$jar" sync --once --cluster "$T/snap" --node worker-1 --switch "$sw" >/dev/null 2>&1 ;;
    dist) "$dist/bin/ovs-anp" sync --once --cluster "$T/snap" --node worker-1 --switch "$sw" >/dev/null 2>&1 ;;
  esac
  end=$(date +%s%N)
  [[ $(ovs-ofctl -O OpenFlow13 dump-flows --no-stats "$sw" | grep -vc 'reply') -eq $flows ]] \
    || { echo "$0: $1 did not install the $flows flows" >&2; exit 1; }
  echo $(((end - start) / 1000000)) >>"$T/$1"
}
median() { sort -n "$T/$1" | awk '{v[NR]=$1} END {print (NR%2) ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2}'; }

for ((i = 0; i < runs; i++)); do
  for way in ofctl jar dist; do run "$way"; done
done
base="$(median ofctl)"
echo "load: $(cut -d' ' -f1-3 /proc/loadavg); $runs runs each; $flows flows for worker-1 ($anps ANPs)"
printf '%-6s %10s %8s\n' way "median ms" ratio
for way in ofctl jar dist; do
  m="$(median "$way")"
  printf '%-6s %10s %8s\n' "$way" "$m" "$(awk -v m="$m" -v b="$base" 'BEGIN {printf "%.2f", m / b}')"
done
