# shellcheck shell=bash
# Shared functions of the one-machine lab (lab/up.sh, lab/down.sh, lab/apply.sh). Sourced, never run.
#
# The lab records everything it creates in "$LAB_STATE/created", one line each, in creation order:
#   netns NAME               a network namespace (deleting it also deletes the veths inside it)
#   proc PID STARTTIME WHAT  a process; STARTTIME (field 22 of /proc/PID/stat) guards against pid reuse
#   dir PATH                 a directory created by the lab (removed recursively)
#   file PATH                a file created by the lab
#   neigh NETNS DEV IP       a permanent IPv6 neighbour entry (lab/lib.sh create_node)
#   etcdir PATH              a directory created by the lab under /etc/netns (a pod's resolv.conf, see
#                            pod_resolv_conf), removed only when empty
# lab/down.sh undoes these lines in reverse order, and nothing else.

export LAB_ROOT
LAB_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
LAB_DEFAULT_STATE="${TMPDIR:-/tmp}/ovs-anp-lab"
# Debian keeps the OVS daemons in /usr/sbin, which a minimal PATH may lack.
export PATH="$PATH:/usr/local/sbin:/usr/sbin:/sbin"

log() { printf 'lab: %s\n' "$*" >&2; }
die() {
  printf 'lab: error: %s\n' "$*" >&2
  exit 1
}

require_root() {
  [[ $(id -u) -eq 0 ]] || die "must run as root (network namespaces, OVS daemons)"
}

# require_cmds CMD... : every command must be on PATH; names the Debian package when one is missing.
require_cmds() {
  local missing=() c
  for c in "$@"; do
    command -v "$c" >/dev/null 2>&1 || missing+=("$c")
  done
  if [[ ${#missing[@]} -gt 0 ]]; then
    die "missing commands: ${missing[*]} (Debian: apt-get install openvswitch-switch iproute2 ethtool netcat-openbsd ruby curl util-linux iputils-ping iptables dnsmasq-base)"
  fi
}

# record KIND ARGS... : append one line to the state's creation log (before the thing is used), and
# to the file LAB_RECORD_ALSO too when set (lab/node.sh: what one added node consists of).
record() {
  printf '%s\n' "$*" >>"$LAB_STATE/created"
  if [[ -n ${LAB_RECORD_ALSO:-} ]]; then
    printf '%s\n' "$*" >>"$LAB_RECORD_ALSO"
  fi
}

# proc_start PID : the process's start time in clock ticks, or nothing if it is gone.
proc_start() {
  local stat
  stat="$(cat "/proc/$1/stat" 2>/dev/null)" || return 0
  stat="${stat##*) }"
  # shellcheck disable=SC2086 # split the fields on purpose
  set -- $stat
  printf '%s' "${20}"
}

# record_proc PID WHAT : record a process we started.
record_proc() {
  local start
  start="$(proc_start "$1")"
  record "proc $1 ${start:--} $2"
}

# start_bg NETNS LOGFILE WHAT CMD... : start CMD in NETNS ("-" for this namespace) in its own session,
# stdin from /dev/null and output to LOGFILE (never our pipes), and record its pid.
start_bg() {
  local ns="$1" logfile="$2" what="$3" pid
  shift 3
  if [[ $ns == - ]]; then
    setsid "$@" </dev/null >>"$logfile" 2>&1 &
  else
    setsid ip netns exec "$ns" "$@" </dev/null >>"$logfile" 2>&1 &
  fi
  pid=$!
  record_proc "$pid" "$what"
  printf '%s' "$pid"
}

# stop_proc PID STARTTIME WHAT : SIGTERM, then SIGKILL after 5 s; only if PID still is the process
# we started (same start time).
stop_proc() {
  local pid="$1" start="$2" what="$3" now i
  now="$(proc_start "$pid")"
  if [[ -z $now || $start == - || $now != "$start" ]]; then
    return 0
  fi
  kill -TERM "$pid" 2>/dev/null || return 0
  for ((i = 0; i < 50; i++)); do
    now="$(proc_start "$pid")"
    [[ -z $now || $now != "$start" ]] && return 0
    # A zombie counts as gone (detached daemons are re-parented to a pid 1 that may not reap).
    [[ $(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null) == Z ]] && return 0
    sleep 0.1
  done
  log "$what (pid $pid) ignored SIGTERM; sending SIGKILL"
  kill -KILL "$pid" 2>/dev/null || true
}

# undo_records FILE : undoes the lines of a creation log, newest first: stops the processes (all of
# them first, so no daemon holds a namespace or a file we delete), then deletes the namespaces, files
# and directories (only directories inside the state dir). Sets LAB_UNDO_STATEDIR to a "statedir"
# line's directory; returns 1 when something could not be removed.
undo_records() {
  local lines k kind a b c problems=0
  mapfile -t lines <"$1"
  export LAB_UNDO_STATEDIR="" # read by lab/down.sh
  for ((k = ${#lines[@]} - 1; k >= 0; k--)); do
    read -r kind a b c <<<"${lines[k]}"
    if [[ $kind == proc ]]; then
      stop_proc "$a" "$b" "$c"
    fi
  done
  for ((k = ${#lines[@]} - 1; k >= 0; k--)); do
    read -r kind a _ <<<"${lines[k]}"
    case "$kind" in
    proc) ;;
    netns)
      if [[ -e /run/netns/$a ]]; then
        # Deleting a namespace deletes the veth ends inside it (and so their peers).
        ip netns del "$a" || { log "cannot delete netns $a"; problems=1; }
      fi
      ;;
    file) rm -f -- "$a" ;;
    neigh)
      read -r _ a b c <<<"${lines[k]}"
      if [[ -e /run/netns/$a ]]; then
        ip -n "$a" -6 neigh del "$c" dev "$b" 2>/dev/null || true
      fi
      ;;
    dir)
      # Only directories inside the state dir are ever recorded; refuse anything else.
      if [[ $a == "$LAB_STATE"/* ]]; then
        rm -rf -- "$a"
      else
        log "refusing to delete $a (outside $LAB_STATE)"
        problems=1
      fi
      ;;
    etcdir)
      # Only /etc/netns and directories in it are ever recorded; refuse anything else. A directory
      # that is not empty (another lab's pods in /etc/netns) stays.
      if [[ $a =~ ^/etc/netns(/[A-Za-z0-9_-][A-Za-z0-9_.-]*)?$ ]]; then
        if [[ -d $a ]] && ! rmdir -- "$a" 2>/dev/null && [[ $a != /etc/netns ]]; then
          log "kept $a (not empty)"
        fi
      else
        log "refusing to delete $a (outside /etc/netns)"
        problems=1
      fi
      ;;
    statedir) LAB_UNDO_STATEDIR="$a" ;;
    *) log "ignoring unknown line in $1: ${lines[k]}" ;;
    esac
  done
  return "$problems"
}

# wait_for SECONDS DESCRIPTION CMD... : poll CMD every 0.1 s until it succeeds; fail after SECONDS.
wait_for() {
  local secs="$1" what="$2" deadline
  shift 2
  deadline=$((SECONDS + secs))
  until "$@" >/dev/null 2>&1; do
    if ((SECONDS >= deadline)); then
      die "timed out after ${secs}s waiting for $what"
    fi
    sleep 0.1
  done
}

# resolve_state_dir DIR : absolute path of DIR (which may not exist yet).
resolve_state_dir() {
  local d="${1:-$LAB_DEFAULT_STATE}"
  [[ $d == /* ]] || d="$PWD/$d"
  printf '%s' "$d"
}

# lab_env KEY : a value of "$LAB_STATE/lab.env" (KEY=VALUE lines written by up.sh).
lab_env() {
  local line
  [[ -f "$LAB_STATE/lab.env" ]] || die "no lab in $LAB_STATE (lab.env missing; run lab/up.sh first)"
  while IFS= read -r line; do
    if [[ $line == "$1="* ]]; then
      printf '%s' "${line#*=}"
      return 0
    fi
  done <"$LAB_STATE/lab.env"
  die "$LAB_STATE/lab.env has no $1"
}

# vsctl RUNDIR ARGS... : ovs-vsctl against the node whose OVS lives in RUNDIR.
vsctl() {
  local rd="$1"
  shift
  ovs-vsctl --db="unix:$rd/db.sock" --timeout=30 "$@"
}

# ofctl RUNDIR CMD ARGS... : ovs-ofctl (OpenFlow 1.3) against that node's br-int management socket.
ofctl() {
  local rd="$1" cmd="$2"
  shift 2
  ovs-ofctl -O OpenFlow13 "$cmd" "unix:$rd/br-int.mgmt" "$@"
}

# has_flows RUNDIR [ours] : true when br-int holds at least one flow; with "ours", one of ovs-anp's
# (its owner tag 0xa5 in cookie bits 39..32, docs/cni-integration.md), not the CNI's.
has_flows() {
  local match=()
  [[ ${2:-} == ours ]] && match=("cookie=0xa500000000/0xff00000000")
  [[ $(ofctl "$1" dump-flows "${match[@]}" | grep -c 'table=') -gt 0 ]]
}

# listening NETNS PROTO PORT : true when something listens on PORT (tcp, tcp6 or udp) in NETNS.
listening() {
  local opt=(-ltnH)
  case "$2" in
  udp) opt=(-lunH) ;;
  tcp6) opt=(-6 -ltnH) ;;
  esac
  ip netns exec "$1" ss "${opt[@]}" "sport = :$3" | grep -q .
}

# manifest_objects FILE : for every object of a YAML file ("kind: List" expanded), one line
# "<API path of its collection>\t<name>\t<JSON>".
manifest_objects() {
  ruby -ryaml -rjson -e '
    CLUSTER_SCOPED = %w[Namespace Node AdminNetworkPolicy BaselineAdminNetworkPolicy ClusterNetworkPolicy].freeze
    def plural(kind)
      k = kind.downcase
      return k.sub(/y\z/, "ies") if k.end_with?("y")
      return k + "es" if k.end_with?("s")
      k + "s"
    end
    def emit(doc, file)
      return if doc.nil?
      if doc["kind"] == "List" && doc["items"].is_a?(Array)
        doc["items"].each { |i| emit(i, file) }
        return
      end
      kind = doc["kind"] or abort "#{file}: a document has no kind"
      api = doc["apiVersion"] or abort "#{file}: #{kind} has no apiVersion"
      name = doc.dig("metadata", "name") or abort "#{file}: #{kind} has no metadata.name"
      base = api.include?("/") ? "/apis/#{api}" : "/api/#{api}"
      unless CLUSTER_SCOPED.include?(kind)
        ns = doc.dig("metadata", "namespace") || "default"
        doc["metadata"]["namespace"] = ns
        base += "/namespaces/#{ns}"
      end
      puts [base + "/" + plural(kind), name, JSON.generate(doc)].join("\t")
    end
    begin
      YAML.load_stream(File.read(ARGV[0])).each { |d| emit(d, ARGV[0]) }
    rescue Psych::SyntaxError => e
      abort "#{ARGV[0]}: #{e.message}"
    end
  ' "$1"
}

# object_file COLLECTION_PATH NAME : the file of one object in the lab's objects/ directory,
# "<plural>.[<namespace>.]<name>.json", keyed as the API keys it.
object_file() {
  local path="$1" name="$2" ns=""
  if [[ $path == */namespaces/* ]]; then
    ns="${path#*/namespaces/}"
    ns="${ns%%/*}."
  fi
  printf '%s' "$LAB_STATE/objects/${path##*/}.$ns$name.json"
}

# has_run_command : whether this build's bin/ovs-anp has the "run" command (central mode needs it).
# Its help lists the commands, one per line; "ovs-anp run --help" would print the top-level help and
# exit 0 even without it.
has_run_command() {
  "$LAB_ROOT/bin/ovs-anp" --help 2>/dev/null | grep -qE '^[[:space:]]+run([[:space:]]|$)'
}

# --- building the topology (lab/up.sh, lab/node.sh) -----------------------------------------------

# The pods' IPv6 network (one /64 on the shared pod segment, like 10.244.0.0/16), its gateway in the
# router namespace and the router's fixed MAC address on that segment (br0's; a bridge's MAC would
# otherwise follow its ports). Each pod holds its IPv6 address as a /128 with a default route via
# the gateway, so its IPv6 goes through the router (pod to pod as well), and the router and the pods
# know each other's MAC addresses from permanent neighbour entries: unicast neighbour discovery
# (neighbour advertisements, unreachability probes) is invalid to OVS's conntrack, and ovs-anp's pipeline
# drops conntrack-invalid packets (see lab/README.md), so IPv6 across br-int must not need it.
LAB_POD_NET6=fd00:10:244
LAB_POD_GW6=fd00:10:244::1
LAB_ROUTER_MAC=02:a5:00:00:00:01

# The lab's DNS server (the external host "dns", lab/up.sh), every pod's resolver (pod_resolv_conf).
LAB_DNS_IP=198.51.100.53

# The OVS schema every node's ovsdb is created from.
LAB_OVS_SCHEMA=/usr/share/openvswitch/vswitch.ovsschema

# add_netns NAME : create and record a namespace, loopback up, no ICMP redirects, no IPv6 duplicate
# address detection (an address is usable at once, link-local ones included).
add_netns() {
  ip netns add "$1"
  record "netns $1"
  ip -n "$1" link set lo up
  ip netns exec "$1" sysctl -qw net.ipv4.conf.all.send_redirects=0 net.ipv4.conf.default.send_redirects=0 \
    net.ipv6.conf.all.accept_dad=0 net.ipv6.conf.default.accept_dad=0
}

# veth NS_A NAME_A NS_B NAME_B : a veth pair between two namespaces, both ends up, TX checksum
# offload off on both (the userspace datapath does not complete partial checksums).
veth() {
  ip -n "$1" link add "$2" type veth peer name "$4" netns "$3"
  ip -n "$1" link set "$2" up
  ip -n "$3" link set "$4" up
  ip netns exec "$1" ethtool -K "$2" tx off >/dev/null
  ip netns exec "$3" ethtool -K "$4" tx off >/dev/null
}

# serve NETNS NAME tcp|tcp6|udp PORT... : start listeners in NETNS (nc -lk for TCP over IPv4, nc -6
# -lk over IPv6, a UDP echo in ruby), each listed in "$LAB_STATE/listeners" ("NETNS PROTO PORT") for
# await_listeners.
serve() {
  local ns="$1" name="$2" proto="$3" port
  shift 3
  for port in "$@"; do
    if [[ $proto == tcp ]]; then
      start_bg "$ns" "$LAB_STATE/logs/servers.log" "nc $name:tcp/$port" nc -lk "$port" >/dev/null
    elif [[ $proto == tcp6 ]]; then
      start_bg "$ns" "$LAB_STATE/logs/servers.log" "nc $name:tcp6/$port" nc -6 -lk "$port" >/dev/null
    else
      start_bg "$ns" "$LAB_STATE/logs/servers.log" "udp-echo $name:udp/$port" ruby -rsocket -e \
        's = UDPSocket.new; s.bind("0.0.0.0", ARGV[0].to_i); loop { m, a = s.recvfrom(2048); s.send(m, 0, a[3], a[1]) }' \
        "$port" >/dev/null
    fi
    printf '%s %s %s\n' "$ns" "$proto" "$port" >>"$LAB_STATE/listeners"
  done
}

# serve_dns NETNS ADDRESS TTL RECORD_ARG... : the lab's DNS server in NETNS: dnsmasq, in the
# foreground under start_bg (so lab/down.sh stops it by its recorded pid), on ADDRESS only, UDP and
# TCP port 53, answering only from RECORD_ARGs (dnsmasq's --host-record=NAME,IPv4,IPv6 and
# --cname=ALIAS,TARGET) with TTL seconds (--local-ttl, which those answers carry); any other name is
# NXDOMAIN (--local=/#/): no upstream (--no-resolv), no /etc/hosts (--no-hosts), no /etc/dnsmasq.conf
# (--conf-file=/dev/null), no DHCP (no range given). It stays root (--user=root: no privileges to
# drop, no dnsmasq user needed, and it can remove its own pid file); pid file (and the lease file it
# never writes) in the state dir's dns/; every query logged to logs/dns.log. Listed in
# "$LAB_STATE/listeners" (udp and tcp 53).
serve_dns() {
  local ns="$1" address="$2" ttl="$3" args
  shift 3
  args=(--conf-file=/dev/null --keep-in-foreground --log-facility=- --log-queries
    --user=root --group=root --pid-file="$LAB_STATE/dns/dnsmasq.pid"
    --dhcp-leasefile="$LAB_STATE/dns/dnsmasq.leases"
    --listen-address="$address" --bind-interfaces --port=53
    --no-resolv --no-hosts --local=/#/ --local-ttl="$ttl" "$@")
  dnsmasq --test "${args[@]}" >/dev/null 2>>"$LAB_STATE/logs/dns.log" ||
    die "dnsmasq rejects its arguments (see $LAB_STATE/logs/dns.log): ${args[*]}"
  start_bg "$ns" "$LAB_STATE/logs/dns.log" "dnsmasq dns:53" dnsmasq "${args[@]}" >/dev/null
  printf '%s udp 53\n%s tcp 53\n' "$ns" "$ns" >>"$LAB_STATE/listeners"
}

# pod_resolv_conf NETNS : /etc/netns/NETNS/resolv.conf naming the lab's DNS server, which "ip netns
# exec NETNS" (so lab/exec.sh and the tests' probes) bind-mounts over /etc/resolv.conf; a lost query
# is retried after 1 s, once. Recorded: the file, its directory and /etc/netns itself when the lab
# created it (lab/down.sh removes a directory only when it is empty).
pod_resolv_conf() {
  local dir="/etc/netns/$1"
  if [[ ! -d /etc/netns ]]; then
    record "etcdir /etc/netns"
    mkdir -p /etc/netns
  fi
  record "etcdir $dir"
  mkdir -p "$dir"
  record "file $dir/resolv.conf"
  cat >"$dir/resolv.conf" <<EOF
# Written by lab/lib.sh (pod_resolv_conf): the DNS server of the lab in $LAB_STATE.
nameserver $LAB_DNS_IP
options timeout:1 attempts:2
EOF
}

# await_listeners NETNS_PREFIX : wait until every listener of "$LAB_STATE/listeners" in a namespace
# named NETNS_PREFIX* ("" for all) listens.
await_listeners() {
  local ns proto port
  while read -r ns proto port; do
    [[ $ns == "$1"* ]] || continue
    wait_for 20 "$proto/$port listening in $ns" listening "$ns" "$proto" "$port"
  done <"$LAB_STATE/listeners"
}

# node_name I : the lab's name of node I (cp-1 is 0, worker-k is k).
node_name() { if (($1 == 0)); then printf 'cp-1'; else printf 'worker-%d' "$1"; fi; }

# pod_role J : "name namespace" of the j-th pod of a node (the roles of examples/).
pod_role() {
  case "$1" in
  0) printf 'web shop' ;;
  1) printf 'reporter analytics' ;;
  2) printf 'db shop' ;;
  3) printf 'operator analytics' ;;
  *) if (($1 % 2 == 0)); then printf 'app%d shop' "$1"; else printf 'app%d analytics' "$1"; fi ;;
  esac
}

# create_node TAG I NODE PODS PIPELINE : node I of the lab TAG, named NODE, at 172.18.0.(10+I): its
# namespace with its own ovsdb-server and ovs-vswitchd (run dir "$LAB_STATE/nodes/NODE"), br-int
# (userspace datapath, fail_mode=secure) with the node address on its internal port and the uplink
# "up0" (ofport 1) into TAG-net's br0 (port "nI"), the management veth "mgmt0" to TAG-ctl ("mI"),
# the node's servers, PODS pods at 10.244.I.(10+j) and fd00:10:244::I:(10+j) (ofport 10+j; the
# IPv6 address spells I and 10+j in the same digits; on node 0 fd00:10:244::(10+j)), each serving
# TCP 8080 (IPv4 and IPv6) and a UDP echo on 8080 and resolving through the lab's DNS server
# (pod_resolv_conf), and, with PIPELINE cni, the minimal CNI's flows. Appends the node and its pods to
# hosts.tsv; records everything it creates.
create_node() {
  local tag="$1" i="$2" node="$3" pods="$4" pipeline="$5"
  local ns="$tag-$node" net="$tag-net" ctl="$tag-ctl" rd="$LAB_STATE/nodes/$3" node_ip="172.18.0.$((10 + $2))"
  local logf="$LAB_STATE/logs/ovs-$node.log" j role pod_ns pod pns pod_ip pod_ip6 pod_mac
  log "creating node $node ($node_ip)"
  add_netns "$ns"
  mkdir "$rd"
  record "dir $rd"
  ovsdb-tool create "$rd/conf.db" "$LAB_OVS_SCHEMA"
  OVS_RUNDIR="$rd" OVS_LOGDIR="$rd" OVS_DBDIR="$rd" ip netns exec "$ns" ovsdb-server "$rd/conf.db" \
    --remote="punix:$rd/db.sock" --pidfile="$rd/ovsdb-server.pid" --detach --log-file="$rd/ovsdb-server.log" 2>>"$logf"
  record_proc "$(cat "$rd/ovsdb-server.pid")" "ovsdb-server $node"
  vsctl "$rd" --no-wait init
  OVS_RUNDIR="$rd" OVS_LOGDIR="$rd" OVS_DBDIR="$rd" ip netns exec "$ns" ovs-vswitchd "unix:$rd/db.sock" \
    --pidfile="$rd/ovs-vswitchd.pid" --detach --log-file="$rd/ovs-vswitchd.log" 2>>"$logf"
  record_proc "$(cat "$rd/ovs-vswitchd.pid")" "ovs-vswitchd $node"
  vsctl "$rd" add-br br-int -- set bridge br-int datapath_type=netdev fail_mode=secure \
    protocols=OpenFlow10,OpenFlow13,OpenFlow14 other_config:disable-in-band=true \
    "other_config:datapath-id=$(printf '%016x' $((0xa50000 + i)))"
  wait_for 10 "$rd/br-int.mgmt" test -S "$rd/br-int.mgmt"
  # The node's address lives on br-int's internal port, so pods reach the node through br-int.
  ip -n "$ns" link set br-int up
  ip -n "$ns" addr add "$node_ip/24" dev br-int
  ip -n "$ns" route add default via 172.18.0.1
  veth "$ns" up0 "$net" "n$i"
  ip -n "$net" link set "n$i" master br0
  vsctl "$rd" add-port br-int up0 -- set interface up0 ofport_request=1
  # Management link to the control namespace: source address = node address (central mode maps a
  # connection to its Node by source IP), point to point, not bridged, not forwarded.
  veth "$ns" mgmt0 "$ctl" "m$i"
  ip -n "$ctl" addr add 192.168.254.1/32 dev "m$i"
  ip -n "$ctl" route add "$node_ip/32" dev "m$i"
  ip -n "$ns" route add 192.168.254.1/32 dev mgmt0 src "$node_ip"
  serve "$ns" "$node" tcp 22 8080 10250 30080
  ((i == 0)) && serve "$ns" "$node" tcp 6443
  printf '%s\tnode\t%s\t%s\t%s\t-\t-\t-\t-\n' "$node" "$ns" "$node_ip" "$node" >>"$LAB_STATE/hosts.tsv"
  for ((j = 0; j < pods; j++)); do
    read -r role pod_ns <<<"$(pod_role "$j")"
    pod="$role-$node"
    pns="$tag-$pod"
    pod_ip="10.244.$i.$((10 + j))"
    if ((i == 0)); then pod_ip6="$LAB_POD_NET6::$((10 + j))"; else pod_ip6="$LAB_POD_NET6::$i:$((10 + j))"; fi
    add_netns "$pns"
    pod_resolv_conf "$pns"
    # The same attach script as the Vagrant lab's CNI plugin (vagrant/cni/ovs-anp-cni).
    ip netns exec "$pns" sysctl -qw net.ipv6.conf.all.accept_redirects=0 net.ipv6.conf.default.accept_redirects=0
    pod_mac="$(ip netns exec "$ns" env OVS_VSCTL="ovs-vsctl --db=unix:$rd/db.sock --timeout=30" \
      "$LAB_ROOT/lab/attach-pod.sh" add --netns "$pns" --ifname eth0 --host-if "p$j" --address "$pod_ip/16" \
      --gateway 10.244.255.254 --address6 "$pod_ip6/128" --gateway6 "$LAB_POD_GW6" --bridge br-int \
      --tx-offload off --ofport $((10 + j)))"
    ip -n "$pns" -6 neigh replace "$LAB_POD_GW6" lladdr "$LAB_ROUTER_MAC" dev eth0 nud permanent
    record "neigh $net br0 $pod_ip6"
    ip -n "$net" -6 neigh replace "$pod_ip6" lladdr "$pod_mac" dev br0 nud permanent
    serve "$pns" "$pod" tcp 8080
    serve "$pns" "$pod" tcp6 8080
    serve "$pns" "$pod" udp 8080
    printf '%s\tpod\t%s\t%s\t%s\t%d\t%s\t%s\t%s\n' "$pod" "$pns" "$pod_ip" "$node" $((10 + j)) "$pod_ns" "$role" \
      "$pod_ip6" >>"$LAB_STATE/hosts.tsv"
  done
  if [[ $pipeline == cni ]]; then
    # The minimal CNI's flows, the same text as the Vagrant lab's (lab/cni-flows.sh): the uplink and
    # br-int's own port (the node address) enter without identity, each pod port with its address.
    {
      "$LAB_ROOT/lab/cni-flows.sh" base --via 1 --via LOCAL
      for ((j = 0; j < pods; j++)); do
        "$LAB_ROOT/lab/cni-flows.sh" guard --ofport $((10 + j)) --ip "10.244.$i.$((10 + j))"
      done
    } | ofctl "$rd" add-flows -
  fi
}

# node_yaml NODE IP [control-plane] : the Node object of a lab node, as an item of a "kind: List".
node_yaml() {
  printf -- '- apiVersion: v1\n  kind: Node\n  metadata:\n    name: %s\n    labels:\n' "$1"
  printf '      kubernetes.io/hostname: %s\n' "$1"
  [[ ${3:-} == control-plane ]] && printf '      node-role.kubernetes.io/control-plane: ""\n'
  printf '  status:\n    addresses:\n    - {type: InternalIP, address: %s}\n' "$2"
  printf '    - {type: Hostname, address: %s}\n' "$1"
}

# pods_yaml NODE : the Pod objects of hosts.tsv (NODE's pods; all with ""), as List items; dual
# stack (status.podIPs: the IPv4 address, then the IPv6 one) when the pod has an IPv6 address.
pods_yaml() {
  local name kind ip node pod_ns app ip6
  tail -n +2 "$LAB_STATE/hosts.tsv" | while IFS=$'\t' read -r name kind _ ip node _ pod_ns app ip6; do
    [[ $kind == pod && (-z $1 || $node == "$1") ]] || continue
    printf -- '- apiVersion: v1\n  kind: Pod\n  metadata:\n    name: %s\n    namespace: %s\n' "$name" "$pod_ns"
    printf '    labels: {app: %s}\n  spec:\n    nodeName: %s\n' "$app" "$node"
    printf '    containers:\n    - {name: %s, image: busybox, ports: [{name: http, containerPort: 8080}]}\n' "$app"
    printf '  status:\n    phase: Running\n    podIP: %s\n    podIPs:\n    - {ip: %s}\n' "$ip" "$ip"
    if [[ -n $ip6 && $ip6 != - ]]; then
      printf '    - {ip: "%s"}\n' "$ip6"
    fi
  done
}

# lab_pki ARGS... : deploy/pki/ovs-anp-pki.sh on the lab's PKI directory (the state dir's pki/).
lab_pki() {
  "$LAB_ROOT/deploy/pki/ovs-anp-pki.sh" --dir "$LAB_STATE/pki" "$@"
}

# start_node_controller NODE CONTROLLER [FLAGS...] : with CONTROLLER sync, starts (and records) the
# node's "ovs-anp sync" with FLAGS (placement, --service-vips); with central, gives the node's OVS its
# own certificate (naming the node; made now if the lab has none for it yet) and points its br-int at
# the central controller on ssl:192.168.254.1:6653.
start_node_controller() {
  local node="$1" controller="$2" rd="$LAB_STATE/nodes/$1"
  shift 2
  if [[ $controller == sync ]]; then
    start_bg - "$LAB_STATE/logs/sync-$node.log" "ovs-anp sync $node" "$LAB_ROOT/bin/ovs-anp" sync \
      --cluster "$LAB_STATE/objects" --node "$node" \
      --switch "unix:$rd/br-int.mgmt" --poll-interval 100ms "$@" >/dev/null
  else
    [[ -f $LAB_STATE/pki/node-$node.pem ]] || lab_pki --force node "$node" >/dev/null
    vsctl "$rd" set-ssl "$LAB_STATE/pki/node-$node.key" "$LAB_STATE/pki/node-$node.pem" "$LAB_STATE/pki/ca.pem"
    vsctl "$rd" set-controller br-int ssl:192.168.254.1:6653
  fi
}

# --- the lab's kube-proxy (--service-vips pre-dnat) -------------------------------------------------
# The router namespace DNATs the apiserver's ClusterIP 10.96.0.1:443 to the endpoints of the
# EndpointSlice default/kubernetes, after br-int, as kube-proxy does in a node's host stack: br-int
# (and so ovs-anp) sees the ClusterIP, the case of --service-vips pre-dnat.
LAB_APISERVER_VIP=10.96.0.1
LAB_KUBE_PROXY_CHAIN=LAB-KUBERNETES

# kube_proxy_init NET_NETNS : the chain, jumped to for TCP to the ClusterIP's port 443. Bridged
# frames stay out of iptables in NET_NETNS (br_netfilter, when some other user of the machine loaded
# it): with it, a connection DNATed back to the bridge port it came from (a pod dialling the ClusterIP
# whose endpoint is its own node) is bridged out of its ingress port, which a bridge never does.
kube_proxy_init() {
  if ip netns exec "$1" test -e /proc/sys/net/bridge/bridge-nf-call-iptables; then
    ip netns exec "$1" sysctl -qw net.bridge.bridge-nf-call-iptables=0
  fi
  ip netns exec "$1" iptables -w -t nat -N "$LAB_KUBE_PROXY_CHAIN"
  ip netns exec "$1" iptables -w -t nat -A PREROUTING -d "$LAB_APISERVER_VIP/32" -p tcp --dport 443 \
    -j "$LAB_KUBE_PROXY_CHAIN"
}

# kube_proxy_sync NET_NETNS [IP:PORT...] : the ClusterIP leads to these endpoints (one chosen at
# random per connection); none leaves it unreachable. One iptables-restore: never half a chain.
kube_proxy_sync() {
  local netns="$1" n k=0 rules
  shift
  n=$#
  rules="*nat"$'\n'":$LAB_KUBE_PROXY_CHAIN - [0:0]"$'\n'
  for ep in "$@"; do
    if ((k < n - 1)); then
      rules+="-A $LAB_KUBE_PROXY_CHAIN -m statistic --mode random --probability $(awk -v r=$((n - k)) 'BEGIN { printf "%.6f", 1 / r }') -p tcp -j DNAT --to-destination $ep"$'\n'
    else
      rules+="-A $LAB_KUBE_PROXY_CHAIN -p tcp -j DNAT --to-destination $ep"$'\n'
    fi
    k=$((k + 1))
  done
  rules+="COMMIT"$'\n'
  printf '%s' "$rules" | ip netns exec "$netns" iptables-restore -w --noflush
}

# slice_endpoints JSONFILE : the "IP:PORT" endpoints of an EndpointSlice (ready addresses on its port
# named https, TCP), one a line, as kube-proxy reads them for the Service port "https".
slice_endpoints() {
  ruby -rjson -e '
    s = JSON.parse(File.read(ARGV[0]))
    port = (s["ports"] || []).find { |p| p["name"] == "https" && (p["protocol"] || "TCP") == "TCP" }
    exit 0 unless port
    (s["endpoints"] || []).each do |e|
      next if e.dig("conditions", "ready") == false
      (e["addresses"] || []).each { |a| puts "#{a}:#{port["port"]}" }
    end
  ' "$1"
}
