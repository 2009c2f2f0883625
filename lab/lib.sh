# shellcheck shell=bash
# Shared functions of the one-machine lab (lab/up.sh, lab/down.sh, lab/apply.sh). Sourced, never run.
#
# The lab records everything it creates in "$LAB_STATE/created", one line each, in creation order:
#   netns NAME               a network namespace (deleting it also deletes the veths inside it)
#   proc PID STARTTIME WHAT  a process; STARTTIME (field 22 of /proc/PID/stat) guards against pid reuse
#   dir PATH                 a directory created by the lab (removed recursively)
#   file PATH                a file created by the lab
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
    die "missing commands: ${missing[*]} (Debian: apt-get install openvswitch-switch iproute2 ethtool netcat-openbsd ruby curl util-linux iputils-ping)"
  fi
}

# record KIND ARGS... : append one line to the state's creation log (before the thing is used).
record() {
  printf '%s\n' "$*" >>"$LAB_STATE/created"
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

# listening NETNS PROTO PORT : true when something listens on PORT (tcp or udp) in NETNS.
listening() {
  local opt=-ltnH
  [[ $2 == udp ]] && opt=-lunH
  ip netns exec "$1" ss "$opt" "sport = :$3" | grep -q .
}

# manifest_objects FILE : for every object of a YAML file ("kind: List" expanded), one line
# "<API path of its collection>\t<name>\t<JSON>".
manifest_objects() {
  ruby -ryaml -rjson -e '
    CLUSTER_SCOPED = %w[Namespace Node AdminNetworkPolicy BaselineAdminNetworkPolicy].freeze
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
