#!/usr/bin/env bash
# Runs ovs-ofctl (OpenFlow 1.3) against a lab node's br-int, by the node's name in
# "<state dir>/hosts.tsv", e.g. lab/ofctl.sh worker-1 dump-flows --no-stats cookie=0xc0ffee/-1
#
#   lab/ofctl.sh [--state-dir DIR] NODE COMMAND [ARGS...]
# shellcheck source-path=SCRIPTDIR
set -euo pipefail
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

state_arg=""
if [[ ${1:-} == --state-dir ]]; then
  state_arg="${2:?--state-dir needs a directory}"
  shift 2
fi
[[ $# -ge 2 ]] || die "usage: lab/ofctl.sh [--state-dir DIR] NODE COMMAND [ARGS...]"
LAB_STATE="$(resolve_state_dir "$state_arg")"
[[ -f "$LAB_STATE/hosts.tsv" ]] || die "no lab in $LAB_STATE (run lab/up.sh first)"
node="$1"
shift
kind="$(awk -F'\t' -v n="$node" 'NR > 1 && $1 == n {print $2}' "$LAB_STATE/hosts.tsv")"
[[ $kind == node ]] || die "no node $node in the lab; nodes: $(awk -F'\t' 'NR > 1 && $2 == "node" {printf "%s ", $1}' "$LAB_STATE/hosts.tsv")"
ofctl "$LAB_STATE/nodes/$node" "$@"
