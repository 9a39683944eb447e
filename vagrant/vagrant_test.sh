#!/bin/sh
# CTest: the Vagrantfile validates (no hypervisor needed) and its provisioning
# script is idempotent. Works on copies in a temporary directory; leaves nothing.
set -eu
src=${1:?usage: vagrant_test.sh SOURCE-DIR}
tmp=$(mktemp -d /tmp/sc-vagrant-test-XXXXXX)
trap 'rm -rf "$tmp"' EXIT
cp "$src/vagrant/Vagrantfile" "$src/vagrant/provision.sh" "$tmp/"
cd "$tmp"
VAGRANT_HOME="$tmp/.vagrant.d" HOME="$tmp" VAGRANT_CHECKPOINT_DISABLE=1 \
  vagrant validate --ignore-provider
# The same script the namespace "VMs" are prepared with: run it twice.
echo "ssh-ed25519 AAAATESTKEY test" > key.pub
sh ./provision.sh key.pub "$tmp/ssh/authorized_keys"
sh ./provision.sh key.pub "$tmp/ssh/authorized_keys"
[ "$(grep -c TESTKEY "$tmp/ssh/authorized_keys")" = 1 ] || { echo "key added twice"; exit 1; }
echo "vagrant: validated; provision.sh idempotent"
