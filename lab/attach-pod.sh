#!/usr/bin/env bash
# Attach a network namespace to an OVS bridge the way a pod is attached: a veth pair whose host end
# is a port of the bridge and whose other end, renamed IFNAME, carries the pod's address and a
# default route via the gateway. Shared by the one-machine lab (lab/up.sh) and the Vagrant lab's
# minimal CNI plugin (vagrant/cni/ovs-anp-cni), so both attach pods identically.
#
#   attach-pod.sh add --netns PATH|NAME --ifname eth0 --host-if vethXXXX --address 10.244.1.5/24 \
#                     --gateway 10.244.1.1 [--address6 fd00:10:244::1:5/64 --gateway6 fd00:10:244::1] \
#                     [--bridge br-int] [--tx-offload off] [--iface-id ID] [--ofport N]
#   attach-pod.sh del --host-if vethXXXX [--bridge br-int]
#
# OVS_VSCTL (default "ovs-vsctl") selects the ovsdb, e.g. "ovs-vsctl --db=unix:/run/lab/n1/db.sock".
# With the userspace datapath (the one-machine lab), TX checksum offload must be off inside the pod
# or TCP fails: pass --tx-offload off (both ends). --ofport asks OVS for that OpenFlow port number.
# --address6 adds an IPv6 address (dual stack), without duplicate address detection on the pod's
# interface (usable at once), and --gateway6 its default route (the gateway on link). Prints the pod interface's MAC
# address on success.
set -euo pipefail

die() { echo "attach-pod: $*" >&2; exit 1; }

cmd=${1:-}
[[ $cmd == add || $cmd == del ]] || die "usage: attach-pod.sh add|del [options] (see the header)"
shift
netns="" ifname=eth0 host_if="" address="" gateway="" address6="" gateway6="" bridge=br-int tx_offload=on iface_id="" ofport=""
while [[ $# -gt 0 ]]; do
  case $1 in
    --netns) netns=$2 ;;
    --ifname) ifname=$2 ;;
    --host-if) host_if=$2 ;;
    --address) address=$2 ;;
    --gateway) gateway=$2 ;;
    --address6) address6=$2 ;;
    --gateway6) gateway6=$2 ;;
    --bridge) bridge=$2 ;;
    --tx-offload) tx_offload=$2 ;;
    --iface-id) iface_id=$2 ;;
    --ofport) ofport=$2 ;;
    *) die "unknown option $1" ;;
  esac
  shift 2 || die "option $1 needs a value"
done
[[ -n $host_if ]] || die "--host-if is required"
[[ ${#host_if} -le 15 ]] || die "--host-if $host_if is longer than 15 characters"
read -r -a vsctl <<<"${OVS_VSCTL:-ovs-vsctl}"

# ip -n takes a name under /run/netns; a CNI runtime hands a path: use nsenter for both.
in_ns() {
  if [[ $netns == /* ]]; then nsenter --net="$netns" "$@"; else ip netns exec "$netns" "$@"; fi
}

if [[ $cmd == del ]]; then
  "${vsctl[@]}" --if-exists del-port "$bridge" "$host_if"
  ip link del "$host_if" 2>/dev/null || true
  exit 0
fi

[[ -n $netns && -n $address && -n $gateway ]] || die "add needs --netns, --address and --gateway"
[[ $address == */* ]] || die "--address $address needs a prefix length (e.g. /24)"
[[ -z $address6 || $address6 == */* ]] || die "--address6 $address6 needs a prefix length (e.g. /64)"
[[ -z $gateway6 || -n $address6 ]] || die "--gateway6 needs --address6"

peer="${host_if}p"
ip link add "$host_if" type veth peer name "$peer"
cleanup() { ip link del "$host_if" 2>/dev/null || true; }
trap cleanup ERR
ip link set "$peer" netns "$netns" # a name under /run/netns, or a path (iproute2 opens it)
in_ns ip link set "$peer" name "$ifname"
in_ns ip link set lo up
in_ns ip addr add "$address" dev "$ifname"
if [[ -n $address6 ]]; then
  # No duplicate address detection, for the link-local address either: usable as soon as it is up.
  in_ns sysctl -qw "net.ipv6.conf.$ifname.accept_dad=0"
  in_ns ip -6 addr add "$address6" dev "$ifname" nodad
fi
in_ns ip link set "$ifname" up
in_ns ip route replace default via "$gateway" dev "$ifname"
if [[ -n $gateway6 ]]; then
  # On link even when the address's prefix does not cover it (a /128 address).
  in_ns ip -6 route replace "$gateway6" dev "$ifname"
  in_ns ip -6 route replace default via "$gateway6" dev "$ifname"
fi
if [[ $tx_offload == off ]]; then
  in_ns ethtool -K "$ifname" tx off >/dev/null
  ethtool -K "$host_if" tx off >/dev/null
fi
ip link set "$host_if" up
port_opts=()
if [[ -n $iface_id ]]; then
  port_opts+=(-- set Interface "$host_if" "external_ids:iface-id=$iface_id")
fi
if [[ -n $ofport ]]; then
  port_opts+=(-- set Interface "$host_if" "ofport_request=$ofport")
fi
"${vsctl[@]}" --may-exist add-port "$bridge" "$host_if" "${port_opts[@]}"
trap - ERR
# Not /sys/class/net: sysfs shows the namespace it was mounted in, not the one we entered.
in_ns ip -o link show dev "$ifname" | sed -n 's/.*link\/ether \([0-9a-f:]*\).*/\1/p'
