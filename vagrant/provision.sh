#!/bin/sh
# Prepares one server for sentinel-chaos's SSH backend. The Vagrantfile runs
# it on each VM; topology/ssh_test.cc runs the same script to prepare the
# namespaces that play the VMs (with AUTHORIZED_KEYS in the test's directory).
#
#   provision.sh PUBLIC-KEY [AUTHORIZED_KEYS]
#
# - installs what the harness runs there (only what is missing; needs apt),
# - keeps the distribution's redis-server / redis-sentinel services from
#   running (the harness starts its own, with generated configs),
# - lets the harness's key log in as root.
set -eu
key=${1:?usage: provision.sh PUBLIC-KEY [AUTHORIZED_KEYS]}
authorized=${2:-/root/.ssh/authorized_keys}

need=""
for p in redis-server redis-sentinel iptables iputils-arping iproute2; do
  dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed' || need="$need $p"
done
if [ -n "$need" ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $need
fi

# Only where systemd runs (a VM); a namespace on a build machine has none.
if [ -d /run/systemd/system ]; then
  systemctl disable --now redis-server redis-sentinel >/dev/null 2>&1 || true
fi

install -d -m 700 "$(dirname "$authorized")"
touch "$authorized"
grep -qxF "$(cat "$key")" "$authorized" || cat "$key" >> "$authorized"
chmod 600 "$authorized"
echo "provisioned: $(hostname) (key in $authorized)"
