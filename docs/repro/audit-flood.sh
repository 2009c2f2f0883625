#!/usr/bin/env bash
# The audit log under a flood of denied connections (docs/benchmarks.md, "Audit log under a flood"):
# a lab of two nodes with the central controller writing the audit log (lab/up.sh --audit-log-rate),
# examples/internet-blocked-intranet-allowed applied, and a pod on worker-1 sending UDP at
# 203.0.113.10:443 (denied) at each offered rate for SECONDS. Every row is measured twice in turn:
#   off   the policy without the annotation (the meter is installed, no flow copies anything)
#   on    the same policy annotated ovs-anp.io/log: "true" (every denied packet is copied, metered)
# Per row: packets the kernel sent, packets the deny rule's flows counted (enforcement: every one
# dropped), audit lines written, ovs-vswitchd's CPU (worker-1) and the controller's CPU in % of one
# core, the controller's peak RSS, and the median time to connect to the allowed intranet host while
# the flood runs. Needs root, OVS and what lab/up.sh needs; builds nothing (bin/ovs-anp builds itself).
#
#   docs/repro/audit-flood.sh [--meter PPS] [--seconds N] [--rates "1000 10000 0"]   (0: unpaced)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
meter=100 seconds=10 rates="1000 10000 0"
while [[ $# -gt 0 ]]; do
  case "$1" in
    --meter) meter="${2:?}"; shift 2 ;;
    --seconds) seconds="${2:?}"; shift 2 ;;
    --rates) rates="${2:?}"; shift 2 ;;
    *) echo "usage: $0 [--meter PPS] [--seconds N] [--rates \"1000 10000 0\"]" >&2; exit 2 ;;
  esac
done
state="$(mktemp -d /tmp/ovs-anp-flood.XXXXXX)"
trap '"$root/lab/down.sh" --state-dir "$state" >/dev/null 2>&1 || true; rm -rf "$state"' EXIT
"$root/lab/up.sh" --nodes 2 --pods-per-node 1 --controller central --audit-log-rate "$meter" \
  --state-dir "$state" >"$state.up.log" 2>&1 || { cat "$state.up.log" >&2; exit 1; }
rm -f "$state.up.log"
# shellcheck disable=SC1091
source "$state/lab.env"
policy="$root/examples/internet-blocked-intranet-allowed/policy.yaml"
annotated="$state/annotated.yaml"
sed 's/^  name: intranet-only$/  name: intranet-only\n  annotations: {ovs-anp.io\/log: "true"}/' "$policy" >"$annotated"
grep -q 'ovs-anp.io/log' "$annotated" || { echo "$0: could not annotate $policy" >&2; exit 1; }

vswitchd="$(cat "$state/nodes/worker-1/ovs-vswitchd.pid")"
controller="$(awk '$1 == "proc" && $0 ~ /ovs-anp run/ {print $2; exit}' "$state/created")"
[[ -n $controller ]] || { echo "$0: no controller pid in $state/created" >&2; exit 1; }
ticks="$(getconf CLK_TCK)"
audit_log="$state/logs/audit.log"

cpu() { awk '{print $14 + $15}' "/proc/$1/stat"; }
rss_mb() { awk '/^VmRSS/ {printf "%d", $2 / 1024}' "/proc/$1/status"; }
lines() { if [[ -f $audit_log ]]; then wc -l <"$audit_log"; else echo 0; fi; }
# n_packets of worker-1's deny-internet flows: table 3, the web pod as source, a drop or a copy then drop
denied() {
  ovs-ofctl -O OpenFlow13 dump-flows "unix:$state/nodes/worker-1/br-int.mgmt" table=3 |
    awk '/nw_src=10\.244\.1\.10/ && !/goto_table/ {for (i = 1; i <= NF; i++) if ($i ~ /^n_packets=/) {sub(/n_packets=|,/, "", $i); n += $i}} END {print n + 0}'
}
connect_ms() { # median of 9 TCP connects to the allowed intranet host from web-worker-1, in ms
  # shellcheck disable=SC2016 # expanded by the pod's shell
  "$root/lab/exec.sh" --state-dir "$state" web-worker-1 bash -c '
    for _ in 1 2 3 4 5 6 7 8 9; do
      s=$(date +%s%N); nc -z -w 3 10.10.0.5 443 >/dev/null 2>&1; e=$(date +%s%N)
      echo $(((e - s) / 1000000))
    done' | sort -n | sed -n 5p
}
apply() {
  "$root/lab/apply.sh" --state-dir "$state" "$1" >/dev/null
  sleep 3 # converge (the lab's latency is a few hundred ms, docs/benchmarks.md)
}

printf '%-5s %8s %10s %10s %8s %10s %12s %8s %10s\n' mode offered sent denied lines vswitchd% controller% rssMB connectMs
for rate in $rates; do
  for mode in off on; do
    if [[ $mode == on ]]; then apply "$annotated"; else apply "$policy"; fi
    v0="$(cpu "$vswitchd")" c0="$(cpu "$controller")" l0="$(lines)" d0="$(denied)" peak="$(rss_mb "$controller")"
    "$root/lab/exec.sh" --state-dir "$state" web-worker-1 \
      java "$root/docs/repro/UdpFlood.java" 203.0.113.10 443 "$rate" "$seconds" >"$state/sent" 2>/dev/null &
    flood=$!
    sleep 2 # the JVM starts before the flood does
    ms="$(connect_ms)"
    while kill -0 "$flood" 2>/dev/null; do
      r="$(rss_mb "$controller")"; ((r > peak)) && peak="$r"
      sleep 0.5
    done
    wait "$flood" || true
    sleep 1 # the last copies reach the log
    v1="$(cpu "$vswitchd")" c1="$(cpu "$controller")" l1="$(lines)" d1="$(denied)"
    span="$((seconds + 3))" # CPU over the flood plus the JVM start and the settle second
    printf '%-5s %8s %10s %10s %8s %10s %12s %8s %10s\n' "$mode" "$([[ $rate == 0 ]] && echo max || echo "$rate")" \
      "$(cat "$state/sent")" "$((d1 - d0))" "$((l1 - l0))" \
      "$(awk -v a="$v0" -v b="$v1" -v t="$ticks" -v s="$span" 'BEGIN {printf "%.0f", (b - a) / t / s * 100}')" \
      "$(awk -v a="$c0" -v b="$c1" -v t="$ticks" -v s="$span" 'BEGIN {printf "%.0f", (b - a) / t / s * 100}')" \
      "$peak" "$ms"
  done
done
metrics="$(ip netns exec "$LAB_CTL_NETNS" curl -s http://127.0.0.1:9090/metrics | grep '^ovsanp_audit_' || true)"
[[ -z $metrics ]] || { echo "controller's audit counters at the end:"; echo "$metrics"; }
