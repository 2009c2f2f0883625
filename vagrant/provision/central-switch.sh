#!/usr/bin/env bash
# Central mode (OVSANP_MODE=central), on every Kubernetes node after it joined: installs this node's
# own certificate for br-int and points br-int at the controller over TLS. The certificate was made
# on cp by deploy/pki/ovs-anp-pki.sh (provision/control-plane.sh) and names this node
# (URI SAN ovs-anp-node:NODE); it comes from the Secret ovs-anp-node-NODE, which only this node's
# kubelet identity (system:node:NODE, /etc/kubernetes/kubelet.conf) may read, so no node can fetch
# another's key. The controller runs on cp's host network, port 6653 (overlay/central-patch.json).
# Environment: NODE_NAME LAB_CONTROL_PLANE_IP
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
source /ovs-anp/vagrant/provision/lib.sh

require_env NODE_NAME LAB_CONTROL_PLANE_IP

kubeconfig=/etc/kubernetes/kubelet.conf
secret="ovs-anp-node-${NODE_NAME}"
dir=/etc/openvswitch/ovs-anp
[[ -f $kubeconfig ]] || die "$kubeconfig is missing: the node has not joined the cluster"

# field JSONPATH-KEY FILE: one key of the Secret, decoded, into FILE (mode 0600 until installed).
field() {
  kubectl --kubeconfig "$kubeconfig" -n ovs-anp get secret "$secret" -o "jsonpath={.data.$1}" | base64 -d >"$2"
  [[ -s $2 ]] || die "the Secret ovs-anp/$secret has no $1"
}

log "this node's certificate for br-int (Secret ovs-anp/${secret}, read as system:node:${NODE_NAME})"
for _ in $(seq 60); do
  kubectl --kubeconfig "$kubeconfig" -n ovs-anp get secret "$secret" -o name >/dev/null 2>&1 && break
  sleep 5
done
umask 077
install -d -m 0700 "$dir"
field 'tls\.key' "$dir/node.key"
field 'tls\.crt' "$dir/node.pem"
field 'ca\.crt' "$dir/ca.pem"
chmod 0644 "$dir/node.pem" "$dir/ca.pem"
san=$(openssl x509 -in "$dir/node.pem" -noout -ext subjectAltName)
grep -qxE "[[:space:]]*URI:ovs-anp-node:${NODE_NAME//./\\.}" <<<"$san" ||
  die "$dir/node.pem does not name node ${NODE_NAME}: ${san}"

log "br-int dials the controller: ssl:${LAB_CONTROL_PLANE_IP}:6653, out of band"
# Out of band: the controller is reached through the node's own network, and in-band mode's hidden
# flows for the controller's traffic would sit in front of every table of br-int.
ovs-vsctl set-ssl "$dir/node.key" "$dir/node.pem" "$dir/ca.pem"
ovs-vsctl set-controller br-int "ssl:${LAB_CONTROL_PLANE_IP}:6653" \
  -- set controller br-int connection-mode=out-of-band
for _ in $(seq 30); do
  [[ $(ovs-vsctl get controller br-int is_connected) == true ]] && break
  sleep 2
done
log "br-int controller connected: $(ovs-vsctl get controller br-int is_connected) (see: kubectl -n ovs-anp logs statefulset/ovs-anp-central)"
