#!/usr/bin/env bash
# Realisation latency benchmark on a running lab (lab/up.sh): toggles a Deny policy ROUNDS times and
# measures, each time, from the policy change to the first packet that sees the new verdict.
#
#   lab/latency.sh [--state-dir DIR] [--rounds 20] [--from POD] [--to IP:PORT]
#
# The change is the controller's input: with --controller sync the policy file renamed into (or
# removed from) the lab's objects/ directory, with --controller central the POST (or DELETE) of the
# AdminNetworkPolicy to the lab's API. The packets: a prober in the pod's namespace opens a new TCP
# connection to IP:PORT every 5 ms (non-blocking connect, so each attempt's SYN leaves at a known
# time) and reports the send time of the first attempt whose outcome is the new verdict (connected,
# or no answer within 300 ms). Prints every round, then p50/p99/max per direction. Not a test: nothing
# is asserted. Defaults: from web-worker-1 to the lab's internet host 203.0.113.10:443.
# shellcheck source-path=SCRIPTDIR
set -euo pipefail
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

state_arg=""
rounds=20
from=web-worker-1
to=203.0.113.10:443
while [[ $# -gt 0 ]]; do
  case "$1" in
  --state-dir) state_arg="${2:?--state-dir needs a directory}"; shift 2 ;;
  --rounds) rounds="${2:?--rounds needs a number}"; shift 2 ;;
  --from) from="${2:?--from needs a pod name}"; shift 2 ;;
  --to) to="${2:?--to needs IP:PORT}"; shift 2 ;;
  -h | --help) sed -n '2,14p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
  *) die "unknown argument: $1" ;;
  esac
done
if ! [[ $rounds =~ ^[0-9]+$ ]] || ((rounds < 1)); then
  die "--rounds must be a positive number"
fi
[[ $to =~ ^([0-9.]+):([0-9]+)$ ]] || die "--to must be IP:PORT, not $to"
ip="${BASH_REMATCH[1]}"
port="${BASH_REMATCH[2]}"
require_root
require_cmds ruby curl ip
LAB_STATE="$(resolve_state_dir "$state_arg")"
controller="$(lab_env LAB_CONTROLLER)"
api="$(lab_env LAB_API_URL)"
ctl="$(lab_env LAB_CTL_NETNS)"
pod_row="$(awk -F'\t' -v n="$from" '$1 == n && $2 == "pod"' "$LAB_STATE/hosts.tsv")"
[[ -n $pod_row ]] || die "no pod $from in the lab (see $LAB_STATE/hosts.tsv)"
IFS=$'\t' read -r _ _ pod_netns pod_ip _ _ pod_ns pod_app _ <<<"$pod_row"
work="$(mktemp -d)"
trap 'rm -rf -- "$work"' EXIT

name=lab-latency-probe
cat >"$work/policy.json" <<EOF
{"apiVersion": "policy.networking.k8s.io/v1alpha1", "kind": "AdminNetworkPolicy",
 "metadata": {"name": "$name"},
 "spec": {"priority": 1,
  "subject": {"pods": {"namespaceSelector": {"matchLabels": {"team": "$pod_ns"}},
                       "podSelector": {"matchLabels": {"app": "$pod_app"}}}},
  "egress": [{"name": "deny", "action": "Deny", "to": [{"networks": ["$ip/32"]}],
              "ports": [{"portNumber": {"protocol": "TCP", "port": $port}}]}]}}
EOF
# The lab's namespaces are labelled team=<name> (the snapshot has no kubernetes.io/metadata.name).
anp_path=/apis/policy.networking.k8s.io/v1alpha1/adminnetworkpolicies
target="$(object_file "$anp_path" "$name")"

# The prober: prints "ready" once an attempt saw the old verdict, then the send time (epoch ms) of
# the first attempt that sees the wanted one ("open" or "dropped").
cat >"$work/prober.rb" <<'EOF'
require "socket"
ip, port, want = ARGV[0], ARGV[1].to_i, ARGV[2]
addr = Socket.sockaddr_in(port, ip)
$stdout.sync = true
now = -> { Process.clock_gettime(Process::CLOCK_REALTIME, :millisecond) }
pending = []
ready = false
deadline = now.call + 60_000
loop do
  abort "no #{want} verdict within 60 s" if now.call > deadline
  s = Socket.new(:INET, :STREAM)
  sent = now.call
  outcome = nil
  begin
    s.connect_nonblock(addr)
    outcome = "open"
  rescue IO::WaitWritable
  rescue SystemCallError
    outcome = "refused"
  end
  pending << [s, sent, outcome]
  # Resolve attempts in send order: the head decides only when its outcome is known.
  while (head = pending.first)
    sock, t, out = head
    if out.nil?
      if IO.select(nil, [sock], nil, 0)
        err = sock.getsockopt(Socket::SOL_SOCKET, Socket::SO_ERROR).int
        out = err.zero? ? "open" : "refused"
      elsif now.call - t > 300
        out = "dropped"
      else
        break
      end
    end
    pending.shift
    sock.close
    if out == want
      if ready
        puts t
        exit 0
      end
    elsif !ready
      ready = true
      puts "ready"
    end
  end
  sleep 0.005
end
EOF

# change on|off : make the controller's input deny (on) or not (off) and print the epoch ms of it.
change() {
  local t
  if [[ $controller == sync ]]; then
    if [[ $1 == on ]]; then
      cp "$work/policy.json" "$LAB_STATE/apply.tmp"
      t="$(date +%s%3N)"
      mv -f "$LAB_STATE/apply.tmp" "$target"
    else
      t="$(date +%s%3N)"
      rm -f "$target"
    fi
  else
    t="$(date +%s%3N)"
    if [[ $1 == on ]]; then
      ip netns exec "$ctl" curl -sSf -o /dev/null -X POST -H 'Content-Type: application/json' \
        --data-binary "@$work/policy.json" "$api$anp_path"
    else
      ip netns exec "$ctl" curl -sSf -o /dev/null -X DELETE "$api$anp_path/$name"
    fi
  fi
  printf '%s' "$t"
}

# measure on|off : one toggle; prints the latency in ms.
measure() {
  local want t0 t1 pid
  [[ $1 == on ]] && want=dropped || want=open
  : >"$work/prober.out"
  ip netns exec "$pod_netns" ruby "$work/prober.rb" "$ip" "$port" "$want" >"$work/prober.out" 2>&1 &
  pid=$!
  wait_for 30 "the prober in $from to see the old verdict" grep -q ready "$work/prober.out"
  t0="$(change "$1")"
  wait "$pid" || die "prober failed: $(cat "$work/prober.out")"
  t1="$(tail -n 1 "$work/prober.out")"
  printf '%s' $((t1 - t0))
}

percentiles() {
  sort -n | awk '{v[NR] = $1} END {
    p50 = v[int((NR + 1) / 2)]; i99 = int(NR * 0.99 + 0.999); if (i99 < 1) i99 = 1
    printf "n=%d p50=%d ms p99=%d ms max=%d ms\n", NR, p50, v[i99], v[NR] }'
}

[[ ! -e $target ]] || die "$target exists: is another latency run going on?"
log "from $from ($pod_ip) to $ip:$port, controller $controller, $rounds rounds"
on=()
off=()
for ((r = 1; r <= rounds; r++)); do
  a="$(measure on)"
  b="$(measure off)"
  on+=("$a")
  off+=("$b")
  printf 'round %d: deny realised after %s ms, allow realised after %s ms\n' "$r" "$a" "$b"
done
printf 'apply (allow -> deny):  %s\n' "$(printf '%s\n' "${on[@]}" | percentiles)"
printf 'delete (deny -> allow): %s\n' "$(printf '%s\n' "${off[@]}" | percentiles)"
printf 'both:                   %s\n' "$(printf '%s\n' "${on[@]}" "${off[@]}" | percentiles)"
