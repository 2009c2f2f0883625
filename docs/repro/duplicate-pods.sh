#!/usr/bin/env bash
# Writes a cluster snapshot of N copies of one Pod (same kind, namespace and name), the input of the
# report "100,000 duplicate pods took 1.41 GB RSS and printed 100,000 errors" (docs/benchmarks.md,
# "Loading 100,000 duplicate objects"). Every copy after the first is a duplicate, so the loader
# must report the first few, summarise the rest and keep nothing of them.
#
#   docs/repro/duplicate-pods.sh [--list] [--count N] FILE
#
# Default: a multi-document file (one `---` document per copy, ~17 MB for 100,000). With --list: one
# `kind: List` document whose items are the copies, written as kubectl writes it (`items` before
# `kind`, keys in alphabetical order), so a reader cannot know it is a List until the items are read.
set -euo pipefail
list=0 count=100000
while [[ $# -gt 1 ]]; do
  case "$1" in
    --list) list=1; shift ;;
    --count) count="${2:?}"; shift 2 ;;
    *) echo "usage: $0 [--list] [--count N] FILE" >&2; exit 2 ;;
  esac
done
[[ $# -eq 1 ]] || { echo "usage: $0 [--list] [--count N] FILE" >&2; exit 2; }
out="$1"
# One pod as kubectl prints it, trimmed to what ovs-anp reads (~170 bytes).
awk -v n="$count" -v list="$list" '
function pod(indent, first) {
  printf "%sapiVersion: v1\n", first
  printf "%skind: Pod\n", indent
  printf "%smetadata:\n", indent
  printf "%s  labels: {app: web}\n", indent
  printf "%s  name: web\n", indent
  printf "%s  namespace: shop\n", indent
  printf "%sspec:\n", indent
  printf "%s  nodeName: worker-1\n", indent
  printf "%sstatus:\n", indent
  printf "%s  podIP: 10.244.1.10\n", indent
}
BEGIN {
  if (list) {
    print "apiVersion: v1"
    print "items:"
    for (i = 0; i < n; i++) pod("  ", "- ")
    print "kind: List"
    print "metadata:"
    print "  resourceVersion: \"\""
  } else {
    for (i = 0; i < n; i++) { if (i > 0) print "---"; pod("", "") }
  }
}' >"$out"
ls -l "$out" >&2
