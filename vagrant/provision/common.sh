#!/usr/bin/env bash
# Every Kubernetes node of the Vagrant lab: containerd, kubeadm/kubelet/kubectl, Open vSwitch with
# br-int (fail_mode=secure) and its gateway port, the minimal CNI, routes to the other nodes' pod
# subnets and to the external host's documentation addresses.
# Environment (from the Vagrantfile): NODE_NAME NODE_IP POD_CIDR LAB_NODES LAB_EXTERNAL_IP K8S_MINOR
set -euo pipefail
# Vagrant uploads this script alone; its library comes from the synced repository.
# shellcheck source-path=SCRIPTDIR source=lib.sh
source /ovs-anp/vagrant/provision/lib.sh

require_env NODE_NAME NODE_IP POD_CIDR LAB_NODES LAB_EXTERNAL_IP K8S_MINOR

log "kernel settings for Kubernetes"
swapoff -a
sed -i '/\sswap\s/d' /etc/fstab
modprobe br_netfilter overlay openvswitch
printf 'br_netfilter\noverlay\nopenvswitch\n' >/etc/modules-load.d/ovs-anp-lab.conf
cat >/etc/sysctl.d/90-ovs-anp-lab.conf <<SYSCTL
net.ipv4.ip_forward = 1
net.bridge.bridge-nf-call-iptables = 1
SYSCTL
sysctl --system >/dev/null

log "packages: containerd, Open vSwitch, CNI plugins (host-local), jq"
apt_install ca-certificates curl gpg containerd openvswitch-switch containernetworking-plugins jq \
  iptables conntrack socat ethtool netcat-openbsd
mkdir -p /etc/containerd
containerd config default | sed 's/SystemdCgroup = false/SystemdCgroup = true/' >/etc/containerd/config.toml
systemctl restart containerd

log "kubeadm, kubelet, kubectl ${K8S_MINOR} from pkgs.k8s.io"
install -d -m 0755 /etc/apt/keyrings
curl -fsSL "https://pkgs.k8s.io/core:/stable:/${K8S_MINOR}/deb/Release.key" |
  gpg --dearmor --yes -o /etc/apt/keyrings/kubernetes-apt-keyring.gpg
echo "deb [signed-by=/etc/apt/keyrings/kubernetes-apt-keyring.gpg] https://pkgs.k8s.io/core:/stable:/${K8S_MINOR}/deb/ /" \
  >/etc/apt/sources.list.d/kubernetes.list
apt-get update -q
apt_install kubelet kubeadm kubectl
apt-mark hold kubelet kubeadm kubectl
echo "KUBELET_EXTRA_ARGS=--node-ip=${NODE_IP}" >/etc/default/kubelet

log "Open vSwitch: br-int (fail_mode=secure: no flows, no forwarding, until ovs-anp programs it)"
gateway=$(pod_gateway "$POD_CIDR")
prefix=${POD_CIDR#*/}
ovs-vsctl --may-exist add-br br-int -- set Bridge br-int fail_mode=secure \
  -- set Open_vSwitch . other_config:flow-restore-wait=false
ovs-vsctl --may-exist add-port br-int ovsanp-gw -- set Interface ovsanp-gw type=internal
ip addr replace "${gateway}/${prefix}" dev ovsanp-gw
ip link set ovsanp-gw up

log "the CNI's own tables on br-int (docs/cni-integration.md): ovs-anp's stage is tables 20..29"
# Cookie 0xc0ffee: table 0 classifier (ARP, the gateway port; the plugin adds one spoof guard flow
# per pod that loads its IPv4 address into reg6), table 10 the CNI's conntrack (zone 7) handing IP
# to ovs-anp at table 20, table 40 forwarding. ovs-anp returns allowed packets with goto_table:40.
# The flows come from lab/cni-flows.sh, the same file the one-machine lab's --pipeline cni uses.
/ovs-anp/lab/cni-flows.sh base --via ovsanp-gw | ovs-ofctl -O OpenFlow13 add-flows br-int -

log "minimal CNI (pods on br-int, host-local IPAM in ${POD_CIDR})"
install -m 0755 /ovs-anp/vagrant/cni/ovs-anp-cni /opt/cni/bin/ovs-anp-cni 2>/dev/null ||
  { mkdir -p /opt/cni/bin && install -m 0755 /ovs-anp/vagrant/cni/ovs-anp-cni /opt/cni/bin/ovs-anp-cni; }
for plugin in host-local loopback portmap; do
  ln -sf "/usr/lib/cni/${plugin}" "/opt/cni/bin/${plugin}"
done
mkdir -p /etc/cni/net.d
jq -n --arg subnet "$POD_CIDR" --arg gw "$gateway" '{
  cniVersion: "1.0.0", name: "ovs-anp-lab",
  plugins: [{type: "ovs-anp-cni", bridge: "br-int", attachScript: "/ovs-anp/lab/attach-pod.sh",
             ipam: {type: "host-local", ranges: [[{subnet: $subnet, gateway: $gw}]],
                    routes: [{dst: "0.0.0.0/0"}]}}]
}' >/etc/cni/net.d/10-ovs-anp.conflist

log "routes: other nodes' pod subnets via their node IPs; documentation addresses via the external host"
for entry in $LAB_NODES; do
  IFS='=' read -r name ip cidr <<<"$entry"
  [[ $name == "$NODE_NAME" ]] && continue
  ip route replace "$cidr" via "$ip"
done
for dst in $EXTERNAL_ADDRESSES; do
  ip route replace "$dst" via "$LAB_EXTERNAL_IP"
done
# Pods reach the outside with the node's address (the external host has no routes to pods).
iptables -t nat -C POSTROUTING -s 10.244.0.0/16 ! -d 10.244.0.0/16 -j MASQUERADE 2>/dev/null ||
  iptables -t nat -A POSTROUTING -s 10.244.0.0/16 ! -d 10.244.0.0/16 -j MASQUERADE
persist_routes

log "node ${NODE_NAME} ready for kubeadm"
