#!/usr/bin/env bash
# The minimal CNI's OpenFlow pipeline on br-int (docs/cni-integration.md, "Worked example"), as text
# for `ovs-ofctl -O OpenFlow13 add-flows BRIDGE -`. One definition shared by the one-machine lab
# (lab/up.sh --pipeline cni), the Vagrant lab's provisioning (vagrant/provision/common.sh) and its CNI
# plugin (vagrant/cni/ovs-anp-cni), so all three run the same pipeline:
#
#   cni-flows.sh base [--via PORT]...     the CNI's own flows: table 0 ARP -> NORMAL, each non-pod
#                                         PORT (uplink, gateway, LOCAL) -> table 10 without identity,
#                                         the rest dropped; table 10 the CNI's conntrack (zone 7)
#                                         handing IP to ovs-anp's stage at table 20; table 40 NORMAL
#   cni-flows.sh guard --ofport N --ip A.B.C.D
#                                         one pod's spoof guard: every packet from its port gets the
#                                         pod's IPv4 address in reg6 (ovs-anp's --source-identity)
#   cni-flows.sh placement                the ovs-anp flags that put its stage into this pipeline
#   cni-flows.sh hex A.B.C.D              the address as the 32-bit number the guard loads
#
# Every flow carries the CNI's cookie (CNI_COOKIE, default 0xc0ffee).
set -euo pipefail

cookie="${CNI_COOKIE:-0xc0ffee}"

die() {
  echo "cni-flows: $*" >&2
  exit 2
}

# ipv4_hex A.B.C.D : 10.244.1.2 -> 0x0af40102.
ipv4_hex() {
  local a b c d octet
  [[ $1 =~ ^[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+$ ]] || die "not an IPv4 address: $1"
  IFS=. read -r a b c d <<<"$1"
  for octet in "$a" "$b" "$c" "$d"; do
    ((10#$octet <= 255)) || die "not an IPv4 address: $1"
  done
  printf '0x%02x%02x%02x%02x' "$((10#$a))" "$((10#$b))" "$((10#$c))" "$((10#$d))"
}

cmd="${1:-}"
[[ $# -gt 0 ]] && shift
case "$cmd" in
base)
  vias=()
  while [[ $# -gt 0 ]]; do
    case "$1" in
    --via) vias+=("${2:?--via needs a port}"); shift 2 ;;
    *) die "base: unknown argument $1" ;;
    esac
  done
  printf 'cookie=%s,table=0,priority=200,arp,actions=NORMAL\n' "$cookie"
  for port in "${vias[@]}"; do
    printf 'cookie=%s,table=0,priority=50,in_port=%s,actions=goto_table:10\n' "$cookie" "$port"
  done
  printf 'cookie=%s,table=0,priority=0,actions=drop\n' "$cookie"
  printf 'cookie=%s,table=10,priority=10,ip,actions=ct(zone=7,table=20)\n' "$cookie"
  printf 'cookie=%s,table=10,priority=0,actions=goto_table:20\n' "$cookie"
  printf 'cookie=%s,table=40,priority=0,actions=NORMAL\n' "$cookie"
  ;;
guard)
  ofport="" ip=""
  while [[ $# -gt 0 ]]; do
    case "$1" in
    --ofport) ofport="${2:?--ofport needs a number}"; shift 2 ;;
    --ip) ip="${2:?--ip needs an address}"; shift 2 ;;
    *) die "guard: unknown argument $1" ;;
    esac
  done
  [[ $ofport =~ ^[0-9]+$ ]] || die "guard: --ofport must be an OpenFlow port number, not '$ofport'"
  hex="$(ipv4_hex "$ip")"
  printf 'cookie=%s,table=0,priority=100,in_port=%s,actions=set_field:%s->reg6,goto_table:10\n' \
    "$cookie" "$ofport" "$hex"
  ;;
placement)
  [[ $# -eq 0 ]] || die "placement takes no arguments"
  echo "--first-table 20 --max-tables 10 --reserved-tables 0-19,40-60 --exit goto:40 --conntrack cni --ct-zone 7 --source-identity reg6"
  ;;
hex)
  [[ $# -eq 1 ]] || die "usage: cni-flows.sh hex A.B.C.D"
  ipv4_hex "$1"
  echo
  ;;
*)
  sed -n '2,16p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
  exit 2
  ;;
esac
