#!/usr/bin/env bash
# The latency a held DNS answer adds (docs/benchmarks.md, "DNS answers held for domainNames rules"):
# a one-node lab whose DNS server answers with a 1 s TTL (lab/up.sh --dns-ttl 1, which is also the
# controllers' --dns-min-ttl), and a pod (shop/web) asking 198.51.100.53 for www.internet.example A,
# one fresh socket per query, timed in the pod (Ruby's resolver, no cache). Three series, in turn:
#   baseline  no policy: the answer is not intercepted
#   held      examples/fqdn-allow applied, a query every 1.6 s: the learned address has expired by the
#             next query, so every answer teaches it again and waits for its flows to be committed
#   resumed   the same policy, queries back to back: the address is known, the paused answer is
#             resumed at once (the cost of the round trip to the controller alone)
# Prints p50 and p99 in ms per series and each as a ratio of the baseline's. Needs root, OVS and what
# lab/up.sh needs; builds nothing (bin/ovs-anp builds itself).
#
#   docs/repro/dns-latency.sh [--controller sync|central] [--queries N]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
controller=central queries=50
while [[ $# -gt 0 ]]; do
  case "$1" in
    --controller) controller="${2:?}"; shift 2 ;;
    --queries) queries="${2:?}"; shift 2 ;;
    *) echo "usage: $0 [--controller sync|central] [--queries N]" >&2; exit 2 ;;
  esac
done
state="$(mktemp -d /tmp/ovs-anp-dnslat.XXXXXX)"
trap '"$root/lab/down.sh" --state-dir "$state" >/dev/null 2>&1 || true; rm -rf "$state"' EXIT
"$root/lab/up.sh" --nodes 1 --pods-per-node 1 --controller "$controller" --dns-ttl 1 \
  --state-dir "$state" >"$state.up.log" 2>&1 || { cat "$state.up.log" >&2; exit 1; }
rm -f "$state.up.log"
pod=web-cp-1
policy="$root/examples/fqdn-allow/policy.yaml"

# series GAP_SECONDS : one query time in ms per line, $queries of them, GAP_SECONDS apart
series() {
  # shellcheck disable=SC2016 # Ruby's, in the pod
  "$root/lab/exec.sh" --state-dir "$state" "$pod" ruby -rresolv -e '
    n, gap = ARGV[0].to_i, ARGV[1].to_f
    n.times do
      dns = Resolv::DNS.new(nameserver: ["198.51.100.53"])
      dns.timeouts = 3
      t = Process.clock_gettime(Process::CLOCK_MONOTONIC)
      got = dns.getresources("www.internet.example", Resolv::DNS::Resource::IN::A)
      ms = (Process.clock_gettime(Process::CLOCK_MONOTONIC) - t) * 1000
      dns.close
      abort "no answer" if got.empty?
      puts format("%.3f", ms)
      sleep gap
    end' "$queries" "$1"
}
# pct FILE P : the P-th percentile (nearest rank) of the numbers in FILE
pct() { sort -n "$1" | awk -v p="$2" '{v[NR] = $1} END {i = int((p * NR + 99) / 100); if (i < 1) i = 1; print v[i]}'; }

series 0.05 >"$state/baseline"
"$root/lab/apply.sh" --state-dir "$state" "$policy" >/dev/null
sleep 2 # the controllers' view and flows
# reconciles CONTROLLER_LOGS... : the convergences that changed flows so far
reconciles() { cat "$state"/logs/controller.log "$state"/logs/sync-*.log 2>/dev/null | grep -c 'INFO .* flows in ' || true; }
before="$(reconciles)"
series 1.6 >"$state/held"
held_reconciles=$(($(reconciles) - before))
series 0.05 >"$state/resumed"
"$root/lab/exec.sh" --state-dir "$state" "$pod" nc -z -w 1 203.0.113.10 443 ||
  { echo "$0: the learned address does not connect: the measurement is not of a working rule" >&2; exit 1; }

echo "held series: $held_reconciles flow changes for $queries queries (each answer learned, each address expired)"
b50="$(pct "$state/baseline" 50)" b99="$(pct "$state/baseline" 99)"
printf '%-9s %8s %8s %10s %10s  (controller %s, %s queries, ms)\n' series p50 p99 p50/base p99/base "$controller" "$queries"
for s in baseline held resumed; do
  p50="$(pct "$state/$s" 50)" p99="$(pct "$state/$s" 99)"
  printf '%-9s %8.2f %8.2f %10.2f %10.2f\n' "$s" "$p50" "$p99" \
    "$(awk -v a="$p50" -v b="$b50" 'BEGIN {print a / b}')" "$(awk -v a="$p99" -v b="$b99" 'BEGIN {print a / b}')"
done
