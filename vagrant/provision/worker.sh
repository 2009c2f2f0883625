#!/usr/bin/env bash
# A worker node: kubeadm join with the lab's token. The lab skips CA pinning on join (the token is
# the lab's own and the network private); a real cluster pins --discovery-token-ca-cert-hash.
# Environment: NODE_NAME NODE_IP KUBEADM_TOKEN LAB_CONTROL_PLANE_IP
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
source /ovs-anp/vagrant/provision/lib.sh

require_env NODE_NAME NODE_IP KUBEADM_TOKEN LAB_CONTROL_PLANE_IP

if [[ ! -f /etc/kubernetes/kubelet.conf ]]; then
  log "kubeadm join ${LAB_CONTROL_PLANE_IP}:6443"
  kubeadm join "${LAB_CONTROL_PLANE_IP}:6443" --node-name "$NODE_NAME" --token "$KUBEADM_TOKEN" \
    --discovery-token-unsafe-skip-ca-verification
fi
log "worker ${NODE_NAME} joined"
