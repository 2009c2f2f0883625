#!/usr/bin/env bash
# Adds a node to a running lab (lab/up.sh), or removes one it added: a node joining and leaving.
#
#   lab/node.sh add [--state-dir DIR] [--pods N] NAME
#   lab/node.sh remove [--state-dir DIR] NAME
#
# add: the next free node number i (its address 172.18.0.(10+i), its pods 10.244.i.(10+j)) and the
# same node as up.sh builds (lab/lib.sh create_node: namespace, ovsdb-server and ovs-vswitchd, br-int
# with fail_mode=secure on the userspace datapath, uplink, management link, servers, N pods, default
# the lab's --pods-per-node, in CNI mode the CNI's flows); then the Node and its Pods in the lab's API
# (lab/apply.sh, so in sync mode also in objects/); then the node's controller: with --controller sync
# its own "ovs-anp sync", with central its br-int pointed at the central controller. Done when the
# node's br-int holds ovs-anp's flows and its servers listen. Everything created is recorded in
# DIR/created (so lab/down.sh removes it) and in DIR/added/NAME (what remove undoes).
# remove: deletes the Pods and the Node from the API (and objects/), then undoes DIR/added/NAME,
# newest first (the processes by pid and start time, the namespaces, the run dir), and drops those
# lines from DIR/created and the node's rows from hosts.tsv. Only nodes added by node.sh can be removed.
# shellcheck source-path=SCRIPTDIR
set -euo pipefail
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

usage() {
  sed -n '2,5p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
  exit 2
}

cmd="${1:-}"
[[ $cmd == add || $cmd == remove ]] || usage
shift
state_arg=""
pods=""
name=""
while [[ $# -gt 0 ]]; do
  case "$1" in
  --state-dir) state_arg="${2:?--state-dir needs a directory}"; shift 2 ;;
  --pods) pods="${2:?--pods needs a number}"; shift 2 ;;
  -h | --help) usage ;;
  -*) log "unknown option: $1"; usage ;;
  *) [[ -z $name ]] || usage; name="$1"; shift ;;
  esac
done
[[ -n $name ]] || usage
# The node's and its pods' namespaces are "<tag>-<name>" and "<tag>-<role>-<name>".
[[ $name =~ ^[a-z0-9]([a-z0-9-]{0,18}[a-z0-9])?$ ]] ||
  die "node name $name: lowercase letters, digits and '-', at most 20 characters"
require_root
LAB_STATE="$(resolve_state_dir "$state_arg")"
export LAB_STATE
tag="$(lab_env LAB_TAG)"
controller="$(lab_env LAB_CONTROLLER)"
pipeline="$(lab_env LAB_PIPELINE)"
read -r -a placement <<<"$(lab_env LAB_PLACEMENT)"
controller_flags=("${placement[@]}" --service-vips "$(lab_env LAB_SERVICE_VIPS)" --dns-min-ttl "$(lab_env LAB_DNS_TTL)s")
added="$LAB_STATE/added"
record_file="$added/$name"
work="$(mktemp -d)"
trap 'rm -rf -- "$work"' EXIT

# api_objects FILE : the node's Node and Pods (from hosts.tsv) as a List manifest in FILE.
api_objects() {
  local ip
  ip="$(awk -F'\t' -v n="$name" 'NR > 1 && $1 == n && $2 == "node" {print $4}' "$LAB_STATE/hosts.tsv")"
  {
    printf 'apiVersion: v1\nkind: List\nitems:\n'
    node_yaml "$name" "$ip"
    pods_yaml "$name"
  } >"$1"
}

# teardown : undoes the node's records, then forgets them: its lines in created, its and its pods'
# rows in hosts.tsv (column 5 is the node) and their listeners.
teardown() {
  local ok=0
  undo_records "$record_file" || ok=1
  if ((ok == 0)); then
    grep -vxF -f "$record_file" "$LAB_STATE/created" >"$work/created" || true
    cat "$work/created" >"$LAB_STATE/created"
    rm -f -- "$record_file"
  fi
  awk -F'\t' -v n="$name" 'NR > 1 && $5 == n {print $3}' "$LAB_STATE/hosts.tsv" >"$work/netns"
  awk 'NR == FNR {gone[$1] = 1; next} !($1 in gone)' "$work/netns" "$LAB_STATE/listeners" >"$work/listeners"
  cat "$work/listeners" >"$LAB_STATE/listeners"
  awk -F'\t' -v n="$name" 'NR == 1 || $5 != n' "$LAB_STATE/hosts.tsv" >"$work/hosts.tsv"
  cat "$work/hosts.tsv" >"$LAB_STATE/hosts.tsv"
  return "$ok"
}

if [[ $cmd == remove ]]; then
  [[ -f $record_file ]] || die "no node $name added by lab/node.sh in $LAB_STATE (up.sh's nodes stay)"
  api_objects "$work/node.yaml"
  log "removing node $name: its Node and Pods from the API"
  "$LAB_ROOT/lab/apply.sh" --state-dir "$LAB_STATE" --delete "$work/node.yaml"
  log "removing node $name: its processes and namespaces"
  teardown || die "some of node $name could not be removed; see $record_file"
  log "node $name is gone"
  exit 0
fi

require_cmds ip ovs-vsctl ovs-ofctl ovsdb-tool ovsdb-server ovs-vswitchd ethtool nc ruby curl setsid ss awk
if awk -F'\t' -v n="$name" 'NR > 1 && $1 == n {found = 1} END {exit !found}' "$LAB_STATE/hosts.tsv"; then
  die "the lab already has a host named $name"
fi
pods="${pods:-$(lab_env LAB_PODS_PER_NODE)}"
if ! [[ $pods =~ ^[0-9]+$ ]] || ((pods > 40)); then
  die "--pods must be 0..40, not $pods"
fi
# The next node number: one past the highest node address in use.
last="$(awk -F'\t' 'NR > 1 && $2 == "node" {split($4, o, "."); if (o[4] > m) m = o[4]} END {print m + 0}' \
  "$LAB_STATE/hosts.tsv")"
i=$((last - 10 + 1))
((i >= 1 && i <= 200)) || die "no free node number (highest node address 172.18.0.$last)"

if [[ ! -d $added ]]; then
  mkdir "$added"
  record "dir $added"
fi
: >"$record_file"
ok=0
in_api=0
on_exit() {
  if ((ok == 0)); then
    log "adding node $name failed; removing what was created"
    if ((in_api)); then
      "$LAB_ROOT/lab/apply.sh" --state-dir "$LAB_STATE" --delete "$work/node.yaml" || true
    fi
    LAB_RECORD_ALSO="" teardown || true
  fi
  rm -rf -- "$work"
}
trap on_exit EXIT
trap 'exit 130' INT TERM

export LAB_RECORD_ALSO="$record_file"
create_node "$tag" "$i" "$name" "$pods" "$pipeline"
api_objects "$work/node.yaml"
in_api=1
"$LAB_ROOT/lab/apply.sh" --state-dir "$LAB_STATE" "$work/node.yaml"
start_node_controller "$name" "$controller" "${controller_flags[@]}"
await_listeners ""
wait_for 120 "the controller to program $name's br-int (see $LAB_STATE/logs)" \
  has_flows "$LAB_STATE/nodes/$name" ours
ok=1
log "node $name (172.18.0.$((10 + i))) joined with $pods pods; remove it with: lab/node.sh remove --state-dir $LAB_STATE $name"
