#!/usr/bin/env bash
# The control-plane node: kubeadm init, the upstream AdminNetworkPolicy CRDs (fetched from the
# upstream release at provisioning time, never vendored), ovs-anp from ../deploy (agent DaemonSet)
# and the demo workloads of the user stories.
# Environment: NODE_NAME NODE_IP KUBEADM_TOKEN NETWORK_POLICY_API (plus common.sh's)
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
source /ovs-anp/vagrant/provision/lib.sh

require_env NODE_NAME NODE_IP KUBEADM_TOKEN NETWORK_POLICY_API

if [[ ! -f /etc/kubernetes/admin.conf ]]; then
  log "kubeadm init (token from vagrant/.kubeadm-token)"
  kubeadm init --apiserver-advertise-address "$NODE_IP" --node-name "$NODE_NAME" \
    --pod-network-cidr 10.244.0.0/16 --token "$KUBEADM_TOKEN" --token-ttl 0
fi
export KUBECONFIG=/etc/kubernetes/admin.conf
install -d -o vagrant -g vagrant /home/vagrant/.kube
install -o vagrant -g vagrant -m 0600 /etc/kubernetes/admin.conf /home/vagrant/.kube/config

log "AdminNetworkPolicy/BaselineAdminNetworkPolicy CRDs ${NETWORK_POLICY_API} (experimental channel: nodes, namedPort)"
base="https://raw.githubusercontent.com/kubernetes-sigs/network-policy-api/${NETWORK_POLICY_API}/config/crd/experimental"
for crd in adminnetworkpolicies baselineadminnetworkpolicies; do
  kubectl apply -f "${base}/policy.networking.k8s.io_${crd}.yaml"
done

jar=/ovs-anp/ovs-controller/target/ovs-anp.jar
[[ -f $jar ]] || die "$jar is missing: build it on the host first (./mvnw -q -DskipTests package), then 'vagrant reload --provision'"

log "ovs-anp (agent on every node) from deploy/, with the lab's patches (jar from the synced folder, CNI placement)"
for manifest in 00-namespace 10-rbac-agent 20-configmap 30-agent-daemonset; do
  kubectl apply -f "/ovs-anp/deploy/${manifest}.yaml"
done
kubectl -n ovs-anp patch configmap ovs-anp --type merge --patch-file /ovs-anp/vagrant/overlay/configmap-patch.yaml
kubectl -n ovs-anp patch daemonset ovs-anp-agent --type json --patch-file /ovs-anp/vagrant/overlay/agent-patch.json
kubectl -n ovs-anp rollout status daemonset/ovs-anp-agent --timeout=300s || true

log "demo namespaces and pods of the user stories"
kubectl apply -f /ovs-anp/vagrant/demo/workloads.yaml
log "control plane ready: vagrant ssh cp, then see vagrant/README.md"
