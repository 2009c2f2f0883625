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

if ! undo_records "$created"; then
  die "some of the lab could not be removed; $created is kept so down.sh can be run again"
fi
rm -f -- "$created"
if [[ -n $LAB_UNDO_STATEDIR && $LAB_UNDO_STATEDIR == "$LAB_STATE" ]]; then
  rmdir -- "$LAB_STATE" 2>/dev/null || log "kept $LAB_STATE (it holds files the lab did not create)"
fi
log "lab in $LAB_STATE is down"
