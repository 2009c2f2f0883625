#!/usr/bin/env bash
# ovs-anp-pki.sh: the certificates of central mode (ovs-anp run --listen pssl:...), made with openssl.
#
#   ovs-anp-pki.sh --dir DIR ca                 a CA: DIR/ca.key, DIR/ca.pem (refuses to overwrite)
#   ovs-anp-pki.sh --dir DIR controller [NAME]  the controller's certificate (CN=NAME, default
#                                               ovs-anp-controller): DIR/controller.key, DIR/controller.pem
#   ovs-anp-pki.sh --dir DIR node NODE...       one certificate per node's br-int: DIR/node-NODE.key,
#                                               DIR/node-NODE.pem, naming the node as the subject CN
#                                               and the URI SAN "ovs-anp-node:NODE"
#
# Options: --days N (leaf validity, default 365; the CA gets 3650), --force (replace existing leaf files).
#
# A switch connecting to pssl: proves which node it is with its certificate: ovs-anp maps it to the
# node its certificate names and to no other (see README, "Central mode"). So: issue one certificate
# per node, install it only on that node (`ovs-vsctl set-ssl KEY CERT CA` with DIR/node-NODE.key,
# DIR/node-NODE.pem, DIR/ca.pem), keep DIR/ca.key offline, and give the controller DIR/controller.key,
# DIR/controller.pem and DIR/ca.pem. Keys are EC P-256, unencrypted PKCS#8 PEM, mode 0600.
set -euo pipefail

usage() {
  sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//' >&2
  exit 2
}

dir=""
days=365
force=0
while [[ $# -gt 0 ]]; do
  case "$1" in
    --dir) dir="${2:?--dir needs a directory}"; shift 2 ;;
    --days) days="${2:?--days needs a number}"; shift 2 ;;
    --force) force=1; shift ;;
    -h | --help) usage ;;
    --*) echo "ovs-anp-pki: unknown option $1" >&2; usage ;;
    *) break ;;
  esac
done
[[ -n $dir && $# -ge 1 ]] || usage
[[ $days =~ ^[1-9][0-9]*$ ]] || { echo "ovs-anp-pki: --days must be a positive number" >&2; exit 2; }
command -v openssl >/dev/null || { echo "ovs-anp-pki: openssl not found" >&2; exit 2; }
mkdir -p "$dir"
umask 077

# issue NAME SUBJECT_CN SAN EXTENDED_KEY_USAGE : DIR/NAME.key and DIR/NAME.pem signed by the CA
issue() {
  local name="$1" cn="$2" san="$3" eku="$4"
  local key="$dir/$name.key" cert="$dir/$name.pem"
  [[ -f $dir/ca.key && -f $dir/ca.pem ]] || { echo "ovs-anp-pki: no CA in $dir; run '$0 --dir $dir ca' first" >&2; exit 2; }
  if [[ -e $key || -e $cert ]] && [[ $force -eq 0 ]]; then
    echo "ovs-anp-pki: $key or $cert exists; --force replaces it" >&2
    exit 2
  fi
  local ext=(-addext "basicConstraints=critical,CA:FALSE" -addext "keyUsage=critical,digitalSignature"
    -addext "extendedKeyUsage=$eku")
  [[ -z $san ]] || ext+=(-addext "subjectAltName=$san")
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout "$key" -out "$cert" \
    -days "$days" -subj "/CN=$cn" -CA "$dir/ca.pem" -CAkey "$dir/ca.key" "${ext[@]}" 2>/dev/null
  chmod 600 "$key"
  chmod 644 "$cert"
  echo "$cert"
}

command="$1"
shift
case "$command" in
  ca)
    [[ $# -eq 0 ]] || usage
    if [[ -e $dir/ca.key || -e $dir/ca.pem ]]; then
      echo "ovs-anp-pki: $dir already has a CA (ca.key, ca.pem); not replacing it" >&2
      exit 2
    fi
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout "$dir/ca.key" \
      -out "$dir/ca.pem" -days 3650 -subj "/CN=ovs-anp CA" \
      -addext "basicConstraints=critical,CA:TRUE,pathlen:0" -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
    chmod 600 "$dir/ca.key"
    chmod 644 "$dir/ca.pem"
    echo "$dir/ca.pem"
    ;;
  controller)
    [[ $# -le 1 ]] || usage
    issue controller "${1:-ovs-anp-controller}" "" "serverAuth,clientAuth"
    ;;
  node)
    [[ $# -ge 1 ]] || usage
    for node in "$@"; do
      # A Node's name is a DNS subdomain (RFC 1123): lower case, digits, '-' and '.', at most 253.
      if ! [[ $node =~ ^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$ ]] || ((${#node} > 253)); then
        echo "ovs-anp-pki: '$node' is not a Kubernetes node name (a DNS subdomain)" >&2
        exit 2
      fi
      issue "node-$node" "ovs-anp-node:$node" "URI:ovs-anp-node:$node" "clientAuth,serverAuth"
    done
    ;;
  *) usage ;;
esac
