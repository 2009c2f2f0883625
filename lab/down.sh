#!/usr/bin/env bash
# Tears down a lab brought up by lab/up.sh: undoes exactly the lines of "<state dir>/created", newest
# first (stops the recorded processes, deletes the recorded namespaces, files and directories), and
# nothing else. Idempotent, and safe after an up.sh that failed halfway.
#
#   lab/down.sh [--state-dir DIR]
# shellcheck source-path=SCRIPTDIR
set -euo pipefail
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

state_arg=""
while [[ $# -gt 0 ]]; do
  case "$1" in
  --state-dir) state_arg="${2:?--state-dir needs a directory}"; shift 2 ;;
  -h | --help) sed -n '2,6p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
  *) die "unknown argument: $1 (usage: lab/down.sh [--state-dir DIR])" ;;
  esac
done
require_root
LAB_STATE="$(resolve_state_dir "$state_arg")"
created="$LAB_STATE/created"
if [[ ! -f $created ]]; then
  log "nothing recorded in $LAB_STATE; nothing to do"
  exit 0
fi

mapfile -t lines <"$created"
problems=0
statedir=""
# Processes first (all of them, newest first), so no daemon holds a namespace or a file we delete.
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
  dir)
    # Only directories inside the state dir are ever recorded; refuse anything else.
    if [[ $a == "$LAB_STATE"/* ]]; then
      rm -rf -- "$a"
    else
      log "refusing to delete $a (outside $LAB_STATE)"
      problems=1
    fi
    ;;
  statedir) statedir="$a" ;;
  *) log "ignoring unknown line in $created: ${lines[k]}" ;;
  esac
done
if ((problems)); then
  die "some of the lab could not be removed; $created is kept so down.sh can be run again"
fi
rm -f -- "$created"
if [[ -n $statedir && $statedir == "$LAB_STATE" ]]; then
  rmdir -- "$LAB_STATE" 2>/dev/null || log "kept $LAB_STATE (it holds files the lab did not create)"
fi
log "lab in $LAB_STATE is down"
