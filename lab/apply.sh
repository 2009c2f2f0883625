#!/usr/bin/env bash
# Applies manifests (policies, or any object of the snapshot) to the lab brought up by lab/up.sh,
# or deletes them.
#
#   lab/apply.sh [--state-dir DIR] [--delete] FILE...
#
# Every object of each YAML FILE is created in the lab's dev-apiserver, or replaced (PUT with the
# current resourceVersion, never delete-and-create, so a policy is never absent in between) when it
# exists; --delete deletes them (absent is fine). With --controller sync the lab's controllers read
# files, not the API, so every object is also written (atomically, by rename) into the lab's objects/
# directory (one JSON file per object, named as the API keys it; up.sh put the snapshot's objects
# there), or removed from it with --delete; the sync controllers notice within 100 ms. With
# --service-vips pre-dnat, the lab's kube-proxy (the router's DNAT of the apiserver's ClusterIP)
# follows the EndpointSlice default/kubernetes: to its endpoints when applied, nowhere when deleted.
# Exit 0 when every object was applied.
# shellcheck source-path=SCRIPTDIR
set -euo pipefail
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

state_arg=""
delete=0
files=()
while [[ $# -gt 0 ]]; do
  case "$1" in
  --state-dir) state_arg="${2:?--state-dir needs a directory}"; shift 2 ;;
  --delete) delete=1; shift ;;
  -h | --help) sed -n '2,15p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
  -*) die "unknown option: $1" ;;
  *) files+=("$1"); shift ;;
  esac
done
[[ ${#files[@]} -gt 0 ]] || die "usage: lab/apply.sh [--state-dir DIR] [--delete] FILE..."
require_root
require_cmds ruby curl ip
LAB_STATE="$(resolve_state_dir "$state_arg")"
controller="$(lab_env LAB_CONTROLLER)"
api="$(lab_env LAB_API_URL)"
ctl="$(lab_env LAB_CTL_NETNS)"
service_vips="$(lab_env LAB_SERVICE_VIPS)"
work="$(mktemp -d)"
trap 'rm -rf -- "$work"' EXIT

# api_call METHOD PATH [BODYFILE] : prints the HTTP status; the response body goes to $work/body.
api_call() {
  local args=(-sS -o "$work/body" -w '%{http_code}' -X "$1" "$api$2")
  [[ $# -ge 3 ]] && args+=(-H 'Content-Type: application/json' --data-binary "@$3")
  ip netns exec "$ctl" curl "${args[@]}"
}

apply_object() {
  local path="$1" name="$2" json="$3" code rv
  printf '%s' "$json" >"$work/obj.json"
  code="$(api_call POST "$path" "$work/obj.json")"
  if [[ $code == 409 ]]; then
    code="$(api_call GET "$path/$name")"
    [[ $code == 200 ]] || die "GET $path/$name: HTTP $code: $(cat "$work/body")"
    rv="$(ruby -rjson -e 'print JSON.parse(File.read(ARGV[0])).dig("metadata", "resourceVersion").to_s' "$work/body")"
    ruby -rjson -e 'o = JSON.parse(File.read(ARGV[0])); o["metadata"]["resourceVersion"] = ARGV[1] unless ARGV[1].empty?
                    print JSON.generate(o)' "$work/obj.json" "$rv" >"$work/put.json"
    code="$(api_call PUT "$path/$name" "$work/put.json")"
    [[ $code == 200 || $code == 201 ]] || die "PUT $path/$name: HTTP $code: $(cat "$work/body")"
    log "replaced $path/$name"
  elif [[ $code == 200 || $code == 201 ]]; then
    log "created $path/$name"
  else
    die "POST $path ($name): HTTP $code: $(cat "$work/body")"
  fi
}

delete_object() {
  local path="$1" name="$2" code
  code="$(api_call DELETE "$path/$name")"
  case "$code" in
  200 | 202) log "deleted $path/$name" ;;
  404) log "$path/$name was not there" ;;
  *) die "DELETE $path/$name: HTTP $code: $(cat "$work/body")" ;;
  esac
}

for f in "${files[@]}"; do
  [[ -f $f ]] || die "$f: no such file"
  manifest_objects "$f" >"$work/requests" || die "$f: cannot read it as YAML"
  while IFS=$'\t' read -r path name json; do
    if ((delete)); then
      delete_object "$path" "$name"
    else
      apply_object "$path" "$name" "$json"
    fi
    if [[ $controller == sync ]]; then
      target="$(object_file "$path" "$name")"
      if ((delete)); then
        rm -f -- "$target"
      else
        # Written in the state dir, then renamed: the controllers never read half a file.
        printf '%s\n' "$json" >"$LAB_STATE/apply.tmp"
        mv -f -- "$LAB_STATE/apply.tmp" "$target"
      fi
    fi
    if [[ $service_vips == pre-dnat && $path == */namespaces/default/endpointslices && $name == kubernetes ]]; then
      endpoints=()
      if ((!delete)); then
        printf '%s' "$json" >"$work/slice.json"
        mapfile -t endpoints < <(slice_endpoints "$work/slice.json")
      fi
      kube_proxy_sync "$(lab_env LAB_NET_NETNS)" "${endpoints[@]}"
      log "kube-proxy: $LAB_APISERVER_VIP:443 -> ${endpoints[*]:-nowhere}"
    fi
  done <"$work/requests"
done
