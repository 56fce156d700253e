#!/usr/bin/env bash
# Creates a development CA and node certificates for groupcached's mutual TLS,
# with the openssl command. For development and tests only: the CA key sits
# unencrypted next to the certificates.
#
#   scripts/dev-ca.sh [options] OUTDIR [NODE ...]
#
# NODE is NAME or NAME=SAN[,SAN...], where a SAN is a DNS name or an IP
# address; without SANs a node gets --san's list (default
# localhost,127.0.0.1,::1). Without any NODE, nodes node1..nodeN are created.
#
# Options:
#   -n, --nodes N       how many nodes when none are named (default 3)
#   -s, --san LIST      default SANs for nodes named without any
#   -e, --encrypt       encrypt each node key (AES-256, PKCS#8) with a random
#                       passphrase, written to NAME.pass
#   -d, --days D        validity in days (default 30)
#   -h, --help
#
# Writes into OUTDIR (created 0755 if missing):
#   ca.pem (0644), ca.key (0600)        reused if both already exist
#   NAME.pem (0644)                     the node certificate, for server and client use
#   NAME.key (0600)                     its private key (EC P-256)
#   NAME.pass (0600)                    with --encrypt: the key's passphrase
#
# Example: three nodes on one host, and a config's [tls] section for node1:
#   scripts/dev-ca.sh /tmp/gc-tls
#   [tls]
#   ca = "/tmp/gc-tls/ca.pem"
#   cert = "/tmp/gc-tls/node1.pem"
#   key = "/tmp/gc-tls/node1.key"
set -euo pipefail

usage() { sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; }
die() { echo "dev-ca.sh: $*" >&2; exit 2; }

nodes=3
default_sans="localhost,127.0.0.1,::1"
encrypt=0
days=30
positional=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    -n|--nodes) [[ $# -ge 2 ]] || die "$1 needs a value"; nodes="$2"; shift 2 ;;
    -s|--san) [[ $# -ge 2 ]] || die "$1 needs a value"; default_sans="$2"; shift 2 ;;
    -e|--encrypt) encrypt=1; shift ;;
    -d|--days) [[ $# -ge 2 ]] || die "$1 needs a value"; days="$2"; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    --) shift; positional+=("$@"); break ;;
    -*) die "unknown option $1 (see --help)" ;;
    *) positional+=("$1"); shift ;;
  esac
done
[[ ${#positional[@]} -ge 1 ]] || { usage >&2; exit 2; }
[[ "$nodes" =~ ^[1-9][0-9]*$ ]] || die "--nodes must be a positive integer"
[[ "$days" =~ ^[1-9][0-9]*$ ]] || die "--days must be a positive integer"
command -v openssl >/dev/null || die "the openssl command is not installed"

out="${positional[0]}"
specs=("${positional[@]:1}")
if [[ ${#specs[@]} -eq 0 ]]; then
  for ((i = 1; i <= nodes; i++)); do specs+=("node$i"); done
fi

# Everything is created private first; certificates are opened up explicitly.
umask 077
mkdir -p "$out"
chmod 0755 "$out"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# "a,1.2.3.4,::1" -> "DNS:a,IP:1.2.3.4,IP:::1"
san_extension() {
  local list="$1" entry result=""
  IFS=',' read -ra entries <<< "$list"
  for entry in "${entries[@]}"; do
    [[ -n "$entry" ]] || continue
    if [[ "$entry" =~ ^[0-9.]+$ || "$entry" == *:* ]]; then
      result+="${result:+,}IP:$entry"
    else
      result+="${result:+,}DNS:$entry"
    fi
  done
  [[ -n "$result" ]] || die "empty SAN list"
  echo "$result"
}

if [[ -f "$out/ca.pem" && -f "$out/ca.key" ]]; then
  echo "dev-ca.sh: reusing the CA in $out"
else
  openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$out/ca.key" 2>/dev/null
  openssl req -x509 -new -key "$out/ca.key" -sha256 -days "$days" \
    -subj "/CN=groupcached development CA $(date -u +%Y%m%dT%H%M%SZ)" \
    -addext "basicConstraints=critical,CA:TRUE,pathlen:0" \
    -addext "keyUsage=critical,keyCertSign,cRLSign" \
    -addext "subjectKeyIdentifier=hash" \
    -out "$out/ca.pem"
  chmod 0600 "$out/ca.key"
  chmod 0644 "$out/ca.pem"
  echo "dev-ca.sh: created the CA $out/ca.pem"
fi

for spec in "${specs[@]}"; do
  name="${spec%%=*}"
  sans="$default_sans"
  [[ "$spec" == *=* ]] && sans="${spec#*=}"
  [[ "$name" =~ ^[A-Za-z0-9._-]+$ ]] || die "invalid node name '$name' (letters, digits, . _ -)"
  san="$(san_extension "$sans")"

  cat > "$work/$name.ext" <<EOF
basicConstraints=critical,CA:FALSE
keyUsage=critical,digitalSignature,keyEncipherment
extendedKeyUsage=serverAuth,clientAuth
subjectAltName=$san
subjectKeyIdentifier=hash
authorityKeyIdentifier=keyid
EOF
  openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$work/$name.key" 2>/dev/null
  openssl req -new -key "$work/$name.key" -subj "/CN=$name" -out "$work/$name.csr"
  openssl x509 -req -in "$work/$name.csr" -CA "$out/ca.pem" -CAkey "$out/ca.key" -CAcreateserial \
    -CAserial "$work/ca.srl" -sha256 -days "$days" -extfile "$work/$name.ext" -out "$out/$name.pem" 2>/dev/null
  chmod 0644 "$out/$name.pem"

  if [[ $encrypt -eq 1 ]]; then
    openssl rand -hex 24 > "$out/$name.pass"
    chmod 0600 "$out/$name.pass"
    openssl pkey -in "$work/$name.key" -aes256 -passout "file:$out/$name.pass" -out "$out/$name.key"
  else
    rm -f "$out/$name.pass"
    cp "$work/$name.key" "$out/$name.key"
  fi
  chmod 0600 "$out/$name.key"
  echo "dev-ca.sh: created $out/$name.pem for $san$([[ $encrypt -eq 1 ]] && echo " (key encrypted, passphrase in $out/$name.pass)")"
done
