#!/usr/bin/env bash
# The control-plane node: kubeadm init, the upstream AdminNetworkPolicy CRDs (fetched from the
# upstream release at provisioning time, never vendored), ovs-anp from ../deploy (OVSANP_MODE=agent:
# the agent DaemonSet; central: the CA and certificates, the central StatefulSet, one replica, on this node) and the
# demo workloads of the user stories.
# Environment: NODE_NAME NODE_IP KUBEADM_TOKEN NETWORK_POLICY_API OVSANP_MODE LAB_NODES (plus common.sh's)
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
source /ovs-anp/vagrant/provision/lib.sh

require_env NODE_NAME NODE_IP KUBEADM_TOKEN NETWORK_POLICY_API OVSANP_MODE LAB_NODES

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

# Central mode's certificates, made here with deploy/pki/ovs-anp-pki.sh (deploy/pki/README.md). The CA
# key stays in root's home on this VM; each node gets only its own key, from a Secret that only that
# node's kubelet identity (system:node:NAME) may read (provision/central-switch.sh fetches it).
PKI=/root/ovs-anp-pki

# tls_secret NAME KEY CERT: the Secret NAME in ovs-anp with tls.key, tls.crt and the CA as ca.crt.
tls_secret() {
  kubectl -n ovs-anp create secret generic "$1" --from-file=tls.key="$2" --from-file=tls.crt="$3" \
    --from-file=ca.crt="$PKI/ca.pem" --dry-run=client -o yaml | kubectl apply -f -
}

central_certificates() {
  local pki_sh=/ovs-anp/deploy/pki/ovs-anp-pki.sh entry name
  log "central mode's CA, controller and node certificates (deploy/pki/ovs-anp-pki.sh, in ${PKI})"
  [[ -f $PKI/ca.pem ]] || bash "$pki_sh" --dir "$PKI" ca
  [[ -f $PKI/controller.pem ]] || bash "$pki_sh" --dir "$PKI" controller
  kubectl apply -f /ovs-anp/deploy/base/namespace.yaml
  for entry in $LAB_NODES; do
    name=${entry%%=*}
    [[ -f $PKI/node-$name.pem ]] || bash "$pki_sh" --dir "$PKI" node "$name"
    tls_secret "ovs-anp-node-$name" "$PKI/node-$name.key" "$PKI/node-$name.pem"
    kubectl apply -f - <<ROLE
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: ovs-anp-node-$name, namespace: ovs-anp}
rules:
- {apiGroups: [""], resources: [secrets], resourceNames: [ovs-anp-node-$name], verbs: [get]}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: ovs-anp-node-$name, namespace: ovs-anp}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: ovs-anp-node-$name}
subjects:
- {apiGroup: rbac.authorization.k8s.io, kind: User, name: "system:node:$name"}
ROLE
  done
}

if [[ $OVSANP_MODE == central ]]; then
  central_certificates
  log "ovs-anp central (one controller on ${NODE_NAME}, pssl:6653) from deploy/overlays/central, with the lab's patches"
  tls_secret ovs-anp-central-tls "$PKI/controller.key" "$PKI/controller.pem"
  kubectl apply -k /ovs-anp/deploy/overlays/central
  kubectl -n ovs-anp patch configmap ovs-anp --type merge --patch-file /ovs-anp/vagrant/overlay/configmap-patch.yaml
  # On the host network (central-patch.json), so ovs-anp's own tables do not stand between the
  # controller and the API: the metrics and health address narrows to the node's own.
  kubectl -n ovs-anp patch configmap ovs-anp --type merge \
    --patch "{\"data\":{\"central-metrics-address\":\"${NODE_IP}:9090\"}}"
  kubectl -n ovs-anp patch statefulset ovs-anp-central --type json --patch-file /ovs-anp/vagrant/overlay/central-patch.json
  kubectl -n ovs-anp rollout status statefulset/ovs-anp-central --timeout=300s || true
else
  log "ovs-anp (agent on every node) from deploy/overlays/agent, with the lab's patches (jar from the synced folder, CNI placement)"
  kubectl apply -k /ovs-anp/deploy/overlays/agent
  kubectl -n ovs-anp patch configmap ovs-anp --type merge --patch-file /ovs-anp/vagrant/overlay/configmap-patch.yaml
  kubectl -n ovs-anp patch daemonset ovs-anp-agent --type json --patch-file /ovs-anp/vagrant/overlay/agent-patch.json
  kubectl -n ovs-anp rollout status daemonset/ovs-anp-agent --timeout=300s || true
fi

log "demo namespaces and pods of the user stories"
kubectl apply -f /ovs-anp/vagrant/demo/workloads.yaml
log "control plane ready: vagrant ssh cp, then see vagrant/README.md"
