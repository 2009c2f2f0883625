#!/usr/bin/env bash
# Runs a command inside a lab host's network namespace (a pod, a node or an external host, by the
# names of "<state dir>/hosts.tsv"), e.g. lab/exec.sh web-worker-1 nc -vz -w 2 203.0.113.10 443
#
#   lab/exec.sh [--state-dir DIR] HOST COMMAND...
# shellcheck source-path=SCRIPTDIR
set -euo pipefail
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

state_arg=""
if [[ ${1:-} == --state-dir ]]; then
  state_arg="${2:?--state-dir needs a directory}"
  shift 2
fi
[[ $# -ge 2 ]] || die "usage: lab/exec.sh [--state-dir DIR] HOST COMMAND..."
require_root
LAB_STATE="$(resolve_state_dir "$state_arg")"
[[ -f "$LAB_STATE/hosts.tsv" ]] || die "no lab in $LAB_STATE (run lab/up.sh first)"
host="$1"
shift
netns="$(awk -F'\t' -v n="$host" 'NR > 1 && $1 == n {print $3}' "$LAB_STATE/hosts.tsv")"
[[ -n $netns ]] || die "no host $host in the lab; hosts: $(awk -F'\t' 'NR > 1 {printf "%s ", $1}' "$LAB_STATE/hosts.tsv")"
exec ip netns exec "$netns" "$@"
