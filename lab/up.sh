#!/usr/bin/env bash
# Brings up the one-machine lab: a cluster of network namespaces with one Open vSwitch per node.
#
#   lab/up.sh [--nodes 3] [--pods-per-node 4] [--controller central|sync] [--pipeline standalone|cni]
#             [--service-vips none|pre-dnat] [--audit-log-rate PPS] [--dns-ttl 60] [--state-dir DIR]
#
# Topology (all inside network namespaces named "<tag>-...", nothing in the caller's namespace):
#   <tag>-net         the underlay and router: Linux bridge br0 (172.18.0.1/24 for the nodes,
#                     10.244.255.254/16 and fd00:10:244::1/64 for the pods) and one routed link per
#                     external host; it forwards IPv4 and IPv6
#   <tag>-<node>      a node: its own ovsdb-server and ovs-vswitchd (userspace datapath), br-int
#                     (fail_mode=secure) with uplink port "up0" (ofport 1) into br0, the pods' veths
#                     (ofport 10+j) and the node address on br-int's internal port
#   <tag>-<pod>       a pod: eth0 (TX checksum offload off) into its node's br-int
#   <tag>-x-<host>    external hosts: intranet 10.10.0.5 and fd00:10:10::5, internet 203.0.113.10
#                     and 2001:db8:113::10, dns 198.51.100.53, external apiserver 192.0.2.100 (the
#                     addresses of examples/)
#   <tag>-ctl         control: the dev-apiserver on 127.0.0.1 and, with --controller central, the
#                     controller on pssl 192.168.254.1:6653 (certificates in pki/, one per node, made
#                     by deploy/pki/ovs-anp-pki.sh), reached by each node over a point-to-point
#                     veth "mgmt0" whose source address is the node address (not routed, not reachable
#                     from pods)
# Addresses: node i (cp-1 is 0, worker-k is k) is 172.18.0.(10+i); its pod j is 10.244.i.(10+j) in the
# flat pod network 10.244.0.0/16 (pods of all nodes share one L2 segment through br0; everything else
# is routed by <tag>-net) and fd00:10:244::i:(10+j) (fd00:10:244::(10+j) on cp-1), a /128 whose IPv6
# traffic, pod to pod too, goes via the router (permanent neighbour entries both ways, see lib.sh).
# Nodes, dns and the external apiserver are IPv4 only. Pods, nodes and external hosts reach each other; br-int's standalone
# pipeline ends in NORMAL, so every packet that passes policy is switched by MAC learning.
# --pipeline cni (docs/cni-integration.md, "Worked example"): before any controller starts, every
# br-int gets the minimal CNI's flows of lab/cni-flows.sh (cookie 0xc0ffee: ARP -> NORMAL, a spoof
# guard per pod port loading the pod's IPv4 address into reg6, the uplink and LOCAL -> table 10
# without identity, the rest dropped; table 10 the CNI's conntrack zone 7 -> table 20; table 40
# NORMAL), and the controllers run with the placement flags of "lab/cni-flows.sh placement" (stage
# at tables 20..29, exit goto:40, --conntrack cni --ct-zone 7 --source-identity reg6).
# --service-vips pre-dnat: the router namespace plays kube-proxy for the apiserver's Service, DNAT of
# its ClusterIP 10.96.0.1:443 to the endpoints of the EndpointSlice default/kubernetes (lab/apply.sh
# follows that slice), after br-int, so br-int sees the ClusterIP; the controllers run with
# --service-vips pre-dnat; hosts.tsv lists the ClusterIP as host "kubernetes". With none (the
# default) the ClusterIP leads nowhere.
# Servers (so tests can probe): pods TCP 8080 and UDP 8080 (echo); nodes TCP 22, 8080, 10250, 30080
# (cp-1 also 6443); intranet TCP 22, 443, 8080; internet TCP 22, 80, 443; dns a DNS server on UDP and
# TCP 53; external apiserver TCP 443. Pods, intranet and internet serve their TCP ports over IPv6 as
# well.
# DNS: the host dns runs dnsmasq (lib.sh serve_dns), the pods' resolver (every pod's namespace has
# /etc/netns/<netns>/resolv.conf naming it, which "ip netns exec", so lab/exec.sh, mounts over
# /etc/resolv.conf). It knows intranet.example (A 10.10.0.5, AAAA fd00:10:10::5), internet.example
# (A 203.0.113.10, AAAA 2001:db8:113::10) and www.internet.example (CNAME internet.example), every
# answer with TTL --dns-ttl seconds (default 60; lab.env LAB_DNS_TTL); any other name is NXDOMAIN,
# nothing is forwarded.
#
# Writes into the state dir: cluster.yaml (a snapshot of exactly this topology, the dev-apiserver's
# seed), objects/ (the same objects one file each, plus what lab/apply.sh applies: what the sync
# controllers read), lab.env, hosts.tsv, logs/, nodes/<node>/ (OVS run dirs) and "created" (what
# lab/down.sh removes), dns/ (the DNS server's pid file; its log, every query, is logs/dns.log); and
# outside it, for each pod, /etc/netns/<netns>/resolv.conf (recorded in "created" as well). On failure
# it cleans up after itself.
# shellcheck source-path=SCRIPTDIR
set -euo pipefail
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

usage() {
  sed -n '2,6p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
  exit 2
}

nodes=3
pods_per_node=4
controller=central
pipeline=standalone
service_vips=none
state_arg=""
audit_rate=""
dns_ttl=60
while [[ $# -gt 0 ]]; do
  case "$1" in
  --nodes) nodes="${2:?--nodes needs a number}"; shift 2 ;;
  --pods-per-node) pods_per_node="${2:?--pods-per-node needs a number}"; shift 2 ;;
  --controller) controller="${2:?--controller needs central or sync}"; shift 2 ;;
  --pipeline) pipeline="${2:?--pipeline needs standalone or cni}"; shift 2 ;;
  --service-vips) service_vips="${2:?--service-vips needs none or pre-dnat}"; shift 2 ;;
  --state-dir) state_arg="${2:?--state-dir needs a directory}"; shift 2 ;;
  --audit-log-rate) audit_rate="${2:?--audit-log-rate needs packets per second}"; shift 2 ;;
  --dns-ttl) dns_ttl="${2:?--dns-ttl needs seconds}"; shift 2 ;;
  -h | --help) usage ;;
  *) log "unknown argument: $1"; usage ;;
  esac
done
if ! [[ $nodes =~ ^[0-9]+$ ]] || ((nodes < 1 || nodes > 50)); then
  die "--nodes must be 1..50, not $nodes"
fi
if ! [[ $pods_per_node =~ ^[0-9]+$ ]] || ((pods_per_node > 40)); then
  die "--pods-per-node must be 0..40, not $pods_per_node"
fi
[[ $controller == central || $controller == sync ]] ||
  die "--controller must be central or sync, not $controller"
[[ $pipeline == standalone || $pipeline == cni ]] ||
  die "--pipeline must be standalone or cni, not $pipeline"
[[ $service_vips == none || $service_vips == pre-dnat ]] ||
  die "--service-vips must be none or pre-dnat, not $service_vips"
if ! [[ $dns_ttl =~ ^[0-9]+$ ]] || ((dns_ttl > 86400)); then
  die "--dns-ttl must be 0..86400 seconds, not $dns_ttl"
fi
if [[ -n $audit_rate ]]; then
  [[ $controller == central ]] || die "--audit-log-rate needs --controller central (the audit log is ovs-anp run's)"
  if ! [[ $audit_rate =~ ^[0-9]+$ ]] || ((audit_rate < 1)); then
    die "--audit-log-rate must be a positive number, not $audit_rate"
  fi
fi
# The controllers' placement flags: none for the standalone pipeline (tables 0..10, exit NORMAL).
placement=()
if [[ $pipeline == cni ]]; then
  read -r -a placement <<<"$("$LAB_ROOT/lab/cni-flows.sh" placement)"
fi
# Every controller's flags: the placement and where br-int sits relative to Service DNAT.
# Learned DNS addresses live as long as the lab's answers say (its TTL is the floor too).
controller_flags=("${placement[@]}" --service-vips "$service_vips" --dns-min-ttl "${dns_ttl}s")

require_root
require_cmds ip ovs-vsctl ovs-ofctl ovs-appctl ovsdb-tool ovsdb-server ovs-vswitchd ethtool nc ruby \
  curl setsid ss awk java dnsmasq
[[ $service_vips == none ]] || require_cmds iptables iptables-restore
[[ -r $LAB_OVS_SCHEMA ]] || die "OVS schema $LAB_OVS_SCHEMA missing (apt-get install openvswitch-common)"

LAB_STATE="$(resolve_state_dir "$state_arg")"
export LAB_STATE
if [[ -e "$LAB_STATE/created" ]]; then
  die "a lab is already recorded in $LAB_STATE; run lab/down.sh --state-dir $LAB_STATE first"
fi
# Unix socket paths are limited to 107 bytes: <state>/nodes/<node>/ovs-vswitchd.<pid>.ctl must fit.
((${#LAB_STATE} <= 60)) || die "--state-dir $LAB_STATE is too long for OVS's unix sockets (max 60 characters)"

if [[ $controller == central ]]; then
  if ! has_run_command; then
    die "--controller central needs 'ovs-anp run' (not in this build); use --controller sync"
  fi
fi

# Build the launcher's jar now, in our namespace, so build errors surface here and not in a log.
"$LAB_ROOT/bin/ovs-anp" --help >/dev/null || die "bin/ovs-anp does not run (build failed?)"
"$LAB_ROOT/bin/ovs-anp-dev-apiserver" --help >/dev/null \
  || die "bin/ovs-anp-dev-apiserver does not run (build failed?)"

if [[ ! -d $LAB_STATE ]]; then
  mkdir -p "$LAB_STATE"
  created_state_dir=1
else
  created_state_dir=0
fi
: >"$LAB_STATE/created"
((created_state_dir)) && record "statedir $LAB_STATE"

ok=0
cleanup_on_failure() {
  if ((ok == 0)); then
    log "up failed; recent logs:"
    local f
    for f in "$LAB_STATE"/logs/*.log; do
      [[ -f $f ]] || continue
      printf '==> %s <==\n' "$f" >&2
      tail -n 15 "$f" >&2 || true
    done
    log "cleaning up what was created"
    "$LAB_ROOT/lab/down.sh" --state-dir "$LAB_STATE" || true
  fi
}
trap cleanup_on_failure EXIT
trap 'exit 130' INT TERM

# A tag no namespace (and no pod's /etc/netns directory, pod_resolv_conf) of another lab uses.
tag="lab$(printf '%04x' $((RANDOM % 65536)))"
while ip netns list | grep -q "^$tag-" || compgen -G "/etc/netns/$tag-*" >/dev/null; do
  tag="lab$(printf '%04x' $((RANDOM % 65536)))"
done
for d in logs nodes objects pki dns; do
  mkdir "$LAB_STATE/$d"
  record "dir $LAB_STATE/$d"
done
for f in cluster.yaml lab.env hosts.tsv apply.tmp; do
  record "file $LAB_STATE/$f"
done
logs="$LAB_STATE/logs"

record "file $LAB_STATE/listeners"
: >"$LAB_STATE/listeners"

# --- underlay and router --------------------------------------------------------------------------
net="$tag-net"
log "creating $net (underlay bridge and router)"
add_netns "$net"
ip netns exec "$net" sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1
# No multicast snooping: IPv6 neighbour discovery's multicast reaches every port without MLD state.
ip -n "$net" link add br0 address "$LAB_ROUTER_MAC" type bridge mcast_snooping 0
ip -n "$net" link set br0 up
ip netns exec "$net" sysctl -qw net.ipv4.conf.br0.send_redirects=0
ip -n "$net" addr add 172.18.0.1/24 dev br0
ip -n "$net" addr add 10.244.255.254/16 dev br0
ip -n "$net" -6 addr add "$LAB_POD_GW6/64" dev br0 nodad
if [[ $service_vips == pre-dnat ]]; then
  # The snapshot's EndpointSlice default/kubernetes: the apiserver on cp-1.
  kube_proxy_init "$net"
  kube_proxy_sync "$net" 172.18.0.10:6443
fi

# External hosts: name, address, router address, prefix length, and the same for IPv6 ("-": none).
externals=(
  "intranet 10.10.0.5 10.10.0.1 24 fd00:10:10::5 fd00:10:10::1 64"
  "internet 203.0.113.10 203.0.113.1 24 2001:db8:113::10 2001:db8:113::1 64"
  "dns $LAB_DNS_IP 198.51.100.1 24 - - -"
  "apiserver 192.0.2.100 192.0.2.1 24 - - -"
)
printf 'name\tkind\tnetns\tip\tnode\tofport\tnamespace\tapp\tip6\n' >"$LAB_STATE/hosts.tsv"
# The DNS server's records: the names of the external hosts (added below) and a CNAME.
dns_records=("--cname=www.internet.example,internet.example")
for e in "${externals[@]}"; do
  read -r name ip gw len ip6 gw6 len6 <<<"$e"
  ns="$tag-x-$name"
  if [[ $ip6 == - ]]; then log "creating external host $name ($ip)"; else log "creating external host $name ($ip, $ip6)"; fi
  add_netns "$ns"
  veth "$net" "x-$name" "$ns" eth0
  ip -n "$net" addr add "$gw/$len" dev "x-$name"
  ip -n "$ns" addr add "$ip/$len" dev eth0
  ip -n "$ns" route add default via "$gw"
  if [[ $ip6 != - ]]; then
    ip -n "$net" -6 addr add "$gw6/$len6" dev "x-$name" nodad
    ip -n "$ns" -6 addr add "$ip6/$len6" dev eth0 nodad
    ip -n "$ns" -6 route add default via "$gw6"
  fi
  case "$name" in
  intranet)
    serve "$ns" "$name" tcp 22 443 8080 && serve "$ns" "$name" tcp6 22 443 8080
    dns_records+=("--host-record=intranet.example,$ip,$ip6")
    ;;
  internet)
    serve "$ns" "$name" tcp 22 80 443 && serve "$ns" "$name" tcp6 22 80 443
    dns_records+=("--host-record=internet.example,$ip,$ip6")
    ;;
  dns) dns_ns="$ns" ;; # its server starts below, once it knows every record
  apiserver) serve "$ns" "$name" tcp 443 ;;
  esac
  printf '%s\texternal\t%s\t%s\t-\t-\t-\t-\t%s\n' "$name" "$ns" "$ip" "$ip6" >>"$LAB_STATE/hosts.tsv"
done
log "starting the DNS server on $LAB_DNS_IP (TTL ${dns_ttl}s)"
serve_dns "$dns_ns" "$LAB_DNS_IP" "$dns_ttl" "${dns_records[@]}"
if [[ $service_vips == pre-dnat ]]; then
  # Not a namespace: an address to send probes to (lab/exec.sh cannot enter it).
  printf 'kubernetes\tservice\t-\t%s\t-\t-\tdefault\t-\t-\n' "$LAB_APISERVER_VIP" >>"$LAB_STATE/hosts.tsv"
fi

# --- control namespace ----------------------------------------------------------------------------
ctl="$tag-ctl"
add_netns "$ctl"

# --- nodes and pods -------------------------------------------------------------------------------
for ((i = 0; i < nodes; i++)); do
  create_node "$tag" "$i" "$(node_name "$i")" "$pods_per_node" "$pipeline"
done

# --- the cluster snapshot -------------------------------------------------------------------------
{
  cat <<'EOF'
# Written by lab/up.sh: the lab's topology as a Kubernetes cluster snapshot.
apiVersion: v1
kind: List
items:
- {apiVersion: v1, kind: Namespace, metadata: {name: default}}
- {apiVersion: v1, kind: Namespace, metadata: {name: kube-system}}
- {apiVersion: v1, kind: Namespace, metadata: {name: shop, labels: {team: shop, egress: restricted}}}
- {apiVersion: v1, kind: Namespace, metadata: {name: analytics, labels: {team: analytics}}}
EOF
  for ((i = 0; i < nodes; i++)); do
    if ((i == 0)); then
      node_yaml "$(node_name "$i")" "172.18.0.$((10 + i))" control-plane
    else
      node_yaml "$(node_name "$i")" "172.18.0.$((10 + i))"
    fi
  done
  pods_yaml ""
  cat <<'EOF'
- apiVersion: v1
  kind: Service
  metadata: {name: kubernetes, namespace: default}
  spec:
    clusterIP: 10.96.0.1
    clusterIPs: [10.96.0.1]
    ports:
    - {name: https, port: 443, protocol: TCP, targetPort: 6443}
- apiVersion: discovery.k8s.io/v1
  kind: EndpointSlice
  metadata:
    name: kubernetes
    namespace: default
    labels: {kubernetes.io/service-name: kubernetes}
  addressType: IPv4
  endpoints:
  - addresses: [172.18.0.10]
    conditions: {ready: true}
  ports:
  - {name: https, port: 6443, protocol: TCP}
EOF
} >"$LAB_STATE/cluster.yaml"
# The sync controllers read objects/, one file per object, which lab/apply.sh updates like the API.
manifest_objects "$LAB_STATE/cluster.yaml" | while IFS=$'\t' read -r path name json; do
  printf '%s\n' "$json" >"$(object_file "$path" "$name")"
done

# --- API server and controller --------------------------------------------------------------------
log "starting dev-apiserver"
api_log="$logs/dev-apiserver.log"
start_bg "$ctl" "$api_log" "dev-apiserver" "$LAB_ROOT/bin/ovs-anp-dev-apiserver" \
  --seed "$LAB_STATE/cluster.yaml" --port 0 >/dev/null
wait_for 120 "dev-apiserver (see $api_log)" grep -q 'listening on http' "$api_log"
api_url="$(grep -o 'http://127.0.0.1:[0-9]*' "$api_log" | head -n 1)"

{
  printf 'LAB_TAG=%s\n' "$tag"
  printf 'LAB_CONTROLLER=%s\n' "$controller"
  printf 'LAB_PIPELINE=%s\n' "$pipeline"
  printf 'LAB_PLACEMENT=%s\n' "${placement[*]}"
  printf 'LAB_SERVICE_VIPS=%s\n' "$service_vips"
  printf 'LAB_NODES=%s\n' "$nodes"
  printf 'LAB_PODS_PER_NODE=%s\n' "$pods_per_node"
  printf 'LAB_API_URL=%s\n' "$api_url"
  printf 'LAB_CTL_NETNS=%s\n' "$ctl"
  printf 'LAB_NET_NETNS=%s\n' "$net"
  printf 'LAB_DNS_TTL=%s\n' "$dns_ttl"
} >"$LAB_STATE/lab.env"

# --audit-log-rate: the central controller writes the audit log (policies annotated ovs-anp.io/log)
# to logs/audit.log, JSON, metered at PPS copies per second per switch.
audit_flags=()
if [[ -n $audit_rate ]]; then
  audit_flags=(--audit-log "$logs/audit.log" --audit-log-format json --audit-log-rate "$audit_rate")
fi
if [[ $controller == central ]]; then
  # pssl with one certificate per node, as deploy/ does: a switch is the node its certificate names.
  lab_pki ca >/dev/null
  lab_pki controller >/dev/null
  log "starting the central controller on pssl:6653 (192.168.254.1)"
  start_bg "$ctl" "$logs/controller.log" "ovs-anp run" "$LAB_ROOT/bin/ovs-anp" run \
    --listen pssl:6653 --tls-key "$LAB_STATE/pki/controller.key" --tls-cert "$LAB_STATE/pki/controller.pem" \
    --tls-ca "$LAB_STATE/pki/ca.pem" --server "$api_url" "${controller_flags[@]}" "${audit_flags[@]}" >/dev/null
fi
for ((i = 0; i < nodes; i++)); do
  start_node_controller "$(node_name "$i")" "$controller" "${controller_flags[@]}"
done

# --- ready when every listener listens and every br-int holds the pipeline -------------------------
await_listeners ""
for ((i = 0; i < nodes; i++)); do
  node="$(node_name "$i")"
  # ovs-anp's own flows (its owner tag in the cookie): in CNI mode the CNI's are there already.
  wait_for 180 "the controller to program $node's br-int (see $logs)" has_flows "$LAB_STATE/nodes/$node" ours
done

ok=1
log "lab $tag is up: $nodes nodes, $pods_per_node pods each, controller $controller, pipeline $pipeline, API $api_url"
log "state in $LAB_STATE; tear down with: lab/down.sh --state-dir $LAB_STATE"
