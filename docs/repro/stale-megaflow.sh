#!/usr/bin/env bash
# Reproduces, on a private ovs-vswitchd (userspace datapath) with real pings between two network
# namespaces, the stale datapath flow that ovs-anp's megaflow guard exists for (docs/decisions.md,
# "Megaflow guard"). Needs root and openvswitch-switch; removes everything it created.
#
#   docs/repro/stale-megaflow.sh [--guard] [--runs N]
#
# Table 0 sends IP to table 1 (with --guard also through a guard flow matching one ct_mark bit, as
# ovs-anp's ConntrackState table does). Table 1 forwards, first with a /24 rule (a megaflow M with a
# /24 destination mask), then without it while a second destination gets a coarser megaflow F that
# overlaps M. Then a Deny of 10.0.0.0/8 is added (with --guard: and the guard moved to another bit, in
# one bundle). Each run prints how many pings to M's address were answered in the 10 s after the Deny
# was installed (0 is right) and M's cached actions. Without --guard some runs show M forwarding for
# the whole 10 s while ofproto/trace says drop: the revalidator's modify of M went to F.
set -euo pipefail
guard=0 runs=6
while [[ $# -gt 0 ]]; do
  case "$1" in
    --guard) guard=1; shift ;;
    --runs) runs="${2:?}"; shift 2 ;;
    *) echo "usage: $0 [--guard] [--runs N]" >&2; exit 2 ;;
  esac
done
tag="stmf$$"
T="$(mktemp -d "/tmp/$tag.XXXX")"
SW="$tag-sw" A="$tag-a" B="$tag-b"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for f in "$T/ovs-vswitchd.pid" "$T/ovsdb-server.pid"; do
    if [[ -f $f ]]; then kill "$(cat "$f")" 2>/dev/null || true; fi
  done
  sleep 0.5
  for n in "$SW" "$A" "$B"; do ip netns del "$n" 2>/dev/null || true; done
  rm -rf "$T"
}
trap cleanup EXIT
export OVS_RUNDIR="$T" OVS_LOGDIR="$T" OVS_DBDIR="$T"
of() { local c="$1"; shift; ovs-ofctl -O OpenFlow13 "$c" "unix:$T/br0.mgmt" "$@"; }
app() { ovs-appctl -t "$T/ovs-vswitchd.$(cat "$T/ovs-vswitchd.pid").ctl" "$@"; }
answered() { grep -c 'bytes from' "$T/ping-m.log" || true; }

one_run() {
  for n in "$SW" "$A" "$B"; do ip netns add "$n"; ip -n "$n" link set lo up; done
  rm -f "$T"/conf.db "$T"/*.pid
  ovsdb-tool create "$T/conf.db" /usr/share/openvswitch/vswitch.ovsschema
  ip netns exec "$SW" ovsdb-server "$T/conf.db" --remote="punix:$T/db.sock" --pidfile="$T/ovsdb-server.pid" \
    --detach --log-file="$T/ovsdb-server.log" 2>>"$T/daemons.log"
  ovs-vsctl --db="unix:$T/db.sock" --no-wait init
  ip netns exec "$SW" ovs-vswitchd "unix:$T/db.sock" --pidfile="$T/ovs-vswitchd.pid" --detach \
    --log-file="$T/ovs-vswitchd.log" 2>>"$T/daemons.log"
  ovs-vsctl --db="unix:$T/db.sock" add-br br0 -- set bridge br0 datapath_type=netdev fail_mode=secure
  ip link add a0 netns "$A" type veth peer name sa netns "$SW"
  ip link add b0 netns "$B" type veth peer name sb netns "$SW"
  ip -n "$SW" link set sa up; ip -n "$SW" link set sb up
  ip -n "$A" link set a0 up; ip -n "$B" link set b0 up
  ip -n "$A" addr add 10.1.0.1/8 dev a0
  for a in 10.9.9.1 10.8.0.1 10.7.0.1; do ip -n "$B" addr add "$a/8" dev b0; done
  ovs-vsctl --db="unix:$T/db.sock" add-port br0 sa -- set interface sa ofport_request=1 \
    -- add-port br0 sb -- set interface sb ofport_request=2
  of add-flow "priority=100,arp,actions=NORMAL"
  of add-flow "priority=50,in_port=2,actions=output:1"
  of add-flow "priority=0,actions=goto_table:1"
  if [[ $guard == 1 ]]; then of add-flow "priority=1,ct_mark=0/0x80000000,actions=goto_table:1"; fi
  of add-flow "table=1,priority=10,ip,in_port=1,nw_dst=10.9.9.0/24,actions=output:2"
  of add-flow "table=1,priority=5,ip,in_port=1,actions=output:2"
  ip netns exec "$A" ping -c1 -W1 10.9.9.1 >/dev/null
  ip netns exec "$A" ping -c1 -W1 10.8.0.1 >/dev/null
  # Same verdicts, coarser masks from now on: M (10.9.9.0/24) stays cached, F (any destination) joins it.
  of del-flows --strict "table=1,priority=10,ip,in_port=1,nw_dst=10.9.9.0/24"
  ip netns exec "$A" ping -i 0.5 10.9.9.1 >"$T/ping-m.log" 2>&1 &
  pids+=($!)
  ip netns exec "$A" ping -i 0.02 10.7.0.1 >/dev/null 2>&1 &
  pids+=($!)
  sleep 1.5
  if [[ $guard == 1 ]]; then
    printf '%s\n' "add table=1,priority=20,ip,in_port=1,nw_dst=10.0.0.0/8,actions=drop" \
      "delete_strict priority=1,ct_mark=0/0x80000000" \
      "add priority=1,ct_mark=0/0x40000000,actions=goto_table:1" >"$T/bundle.txt"
    ovs-ofctl -O OpenFlow13 --bundle add-flows "unix:$T/br0.mgmt" "$T/bundle.txt"
  else
    of add-flow "table=1,priority=20,ip,in_port=1,nw_dst=10.0.0.0/8,actions=drop"
  fi
  local n0 n1 verdict cached
  n0="$(answered)"
  sleep 10
  n1="$(answered)"
  verdict="$(app ofproto/trace br0 in_port=1,icmp,nw_dst=10.9.9.1 | sed -n 's/^Datapath actions: //p' | tail -1)"
  cached="$(app dpctl/dump-flows | grep -o 'dst=10.9.9.1/255.255.255.0.*' | sed 's/.*actions:/actions:/' || true)"
  echo "answered after the Deny: $((n1 - n0)); ofproto/trace: $verdict; M cached: ${cached:-(deleted)}"
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  pids=()
  kill "$(cat "$T/ovs-vswitchd.pid")" "$(cat "$T/ovsdb-server.pid")"
  sleep 0.5
  for n in "$SW" "$A" "$B"; do ip netns del "$n"; done
}

echo "$(ovs-vswitchd --version | head -1), guard=$guard"
for i in $(seq 1 "$runs"); do
  printf 'run %d: ' "$i"
  one_run
done
