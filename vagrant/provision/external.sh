#!/usr/bin/env bash
# The host outside the cluster. It answers on documentation addresses that play the intranet host,
# an internet host, the external DNS server and an external apiserver (see lib.sh), with small
# TCP/UDP responders, so every user story has a real destination.
# Environment: LAB_NODES LAB_EXTERNAL_IP
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
source /ovs-anp/vagrant/provision/lib.sh

require_env LAB_NODES LAB_EXTERNAL_IP

log "packages"
apt_install socat dnsmasq

log "documentation addresses on a dummy interface"
ip link show lab0 >/dev/null 2>&1 || ip link add lab0 type dummy
ip link set lab0 up
for addr in $EXTERNAL_ADDRESSES; do
  ip addr replace "$addr" dev lab0
done

log "responders: TCP 80/443/8080 on every address answer with their name; DNS on 198.51.100.53"
cat >/etc/systemd/system/lab-responder@.service <<'UNIT'
[Unit]
Description=ovs-anp lab TCP responder on port %i
After=network-online.target

[Service]
ExecStart=/usr/bin/socat TCP-LISTEN:%i,fork,reuseaddr SYSTEM:'echo "$(hostname) port %i"'
Restart=always

[Install]
WantedBy=multi-user.target
UNIT
systemctl daemon-reload
for port in 80 443 8080; do
  systemctl enable --now "lab-responder@${port}.service"
done
cat >/etc/dnsmasq.d/ovs-anp-lab.conf <<'DNS'
listen-address=198.51.100.53
bind-interfaces
no-resolv
address=/intranet.lab/10.99.0.10
address=/internet.lab/203.0.113.10
# the names of examples/fqdn-allow, as the one-machine lab answers them
host-record=intranet.example,10.99.0.10
host-record=internet.example,203.0.113.10
cname=www.internet.example,internet.example
DNS
systemctl restart dnsmasq

log "external host ready"
