#!/usr/bin/env bash
# Shared by the Vagrant lab's provisioning scripts.

# Addresses the external host answers on (documentation ranges, RFC 5737), and what they play.
#   10.99.0.10      intranet host (inside 10.0.0.0/8, the examples' "intranet")
#   203.0.113.10    internet host
#   198.51.100.53   external DNS server (UDP/TCP 53)
#   192.0.2.100     external apiserver address (TCP 443)
# shellcheck disable=SC2034 # used by the scripts that source this file
EXTERNAL_ADDRESSES="10.99.0.10/32 203.0.113.10/32 198.51.100.53/32 192.0.2.100/32"

log() { printf '\n== %s: %s\n' "$(hostname)" "$*"; }

die() {
  echo "provision: $*" >&2
  exit 1
}

require_env() {
  local name
  for name in "$@"; do
    [[ -n ${!name:-} ]] || die "environment variable $name is not set (the Vagrantfile sets it)"
  done
}

apt_install() {
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$@" >/dev/null
}

# The pod gateway of a /24 pod subnet: its .1 address.
pod_gateway() {
  local cidr=$1 base
  base=${cidr%/*}
  echo "${base%.*}.1"
}

# Re-apply this node's routes and NAT at boot (a systemd unit running the current script's
# route section would be heavier; the lab re-provisions with `vagrant provision` instead).
persist_routes() {
  ip route show | grep -E ' via ' >/etc/ovs-anp-lab.routes || true
}
