#!/usr/bin/env bash
# The large snapshot of the whole-process benchmarks (docs/benchmarks.md, "Release start-up" and
# "verify at scale"): examples/node-ports-blocked's cluster plus ANPS generated AdminNetworkPolicies of
# 10 Deny rules each (every namespace to 25 external /24s on 10 TCP ports: a conjunction per rule).
# With the default 285 ANPs, worker-1 compiles to 86,955 flows.
#
#   docs/repro/bench-snapshot.sh DIR [ANPS]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
dir="${1:?usage: $0 DIR [ANPS]}"
anps="${2:-285}"
mkdir -p "$dir"
cp "$root/examples/node-ports-blocked/cluster.yaml" "$dir/"
awk -v n="$anps" 'BEGIN {
  for (a = 1; a <= n; a++) {
    printf "---\napiVersion: policy.networking.k8s.io/v1alpha1\nkind: AdminNetworkPolicy\n"
    printf "metadata:\n  name: bench-%d\nspec:\n  priority: %d\n  subject:\n    namespaces: {}\n  egress:\n", a, a % 1000
    for (r = 0; r < 10; r++) {
      printf "  - name: r%d\n    action: Deny\n    to:\n    - networks:\n", r
      for (c = 0; c < 25; c++) printf "      - 100.%d.%d.0/24\n", (a * 10 + r) % 250, c * 10 + r
      printf "    ports:\n"
      for (p = 0; p < 10; p++) printf "    - portNumber: {protocol: TCP, port: %d}\n", 1000 + r * 100 + p
    }
  }
}' >"$dir/policies.yaml"
