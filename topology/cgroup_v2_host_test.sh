#!/usr/bin/env bash
# A v2-only host (stock Debian 12, hosted CI runners), simulated for one
# process tree: a private mount namespace hides every cgroup v1 hierarchy and
# mounts cgroup2 at /sys/fs/cgroup. There, `sentinel-chaos up` / `down` and a
# node-down run must work; the host's own mounts stay untouched.
# Usage: cgroup_v2_host_test.sh SENTINEL-CHAOS SOURCE-DIR
set -euo pipefail
exe=$1 src=$2
[ "$(id -u)" = 0 ] || { echo "needs root"; exit 1; }
before=$(grep ' /sys/fs/cgroup' /proc/self/mounts | sort)
out=$(mktemp -d /tmp/sc-cgroupv2.XXXXXX)
trap 'rm -rf "$out"' EXIT

unshare -m /bin/bash -s "$exe" "$src" "$out" <<'INNER'
set -euo pipefail
exe=$1 src=$2 out=$3
mount --make-rprivate /
for m in $(awk '$2 ~ "^/sys/fs/cgroup/" {print $2}' /proc/self/mounts | sort -r); do umount -l "$m"; done
umount -l /sys/fs/cgroup
mount -t cgroup2 none /sys/fs/cgroup
[ ! -e /sys/fs/cgroup/freezer ] || { echo "FAIL: v1 freezer still visible"; exit 1; }
echo "simulated v2-only host: $(awk '$2 ~ "^/sys/fs/cgroup" {print $3, $2}' /proc/self/mounts)"

# up, then every redis process sits in a v2 node cgroup, then down removes them.
"$exe" up --topology sentinel3 > "$out/up.log" 2>&1 || { cat "$out/up.log"; echo "FAIL: up exited $?"; exit 1; }
cat "$out/up.log"
id=$(sed -n 's/^take it down with: sentinel-chaos down //p' "$out/up.log")
[ -n "$id" ] || { echo "FAIL: no run id"; exit 1; }
ls -d /sys/fs/cgroup/sentinel-chaos-"$id"-n1 >/dev/null || { echo "FAIL: no v2 node cgroup"; "$exe" down "$id"; exit 1; }
[ -n "$(cat /sys/fs/cgroup/sentinel-chaos-"$id"-n1/cgroup.procs)" ] || { echo "FAIL: node cgroup is empty"; "$exe" down "$id"; exit 1; }
"$exe" down "$id"
if ls -d /sys/fs/cgroup/sentinel-chaos-"$id"-* 2>/dev/null; then echo "FAIL: node cgroups left after down"; exit 1; fi

# A node-down run: freeze (cgroup.freeze), power off (cgroup.kill), reboot.
# (Other runs may use this v2 tree at the same time: compare, do not count.)
mine_before=$(ls -d /sys/fs/cgroup/sentinel-chaos-* 2>/dev/null || true)
rc=0
"$exe" run "$src/scenarios/single/master-node-down.chaos" --out "$out/runs" --quiet > "$out/run.log" 2>&1 || rc=$?
cat "$out/run.log"
[ "$rc" = 0 ] || { echo "FAIL: node-down run exited $rc"; exit 1; }
# A cgroup that is new since before the run and whose run has no state left
# (/run/sentinel-chaos/ID, removed last at teardown) is ours, left behind; a
# new one of a run still going (another test beside this one) is not.
left=""
for cg in $(ls -d /sys/fs/cgroup/sentinel-chaos-* 2>/dev/null || true); do
  grep -qxF "$cg" <<<"$mine_before" && continue
  run_id=$(basename "$cg" | sed 's/^sentinel-chaos-\([^-]*\)-.*/\1/')
  [ -d "/run/sentinel-chaos/$run_id" ] || left="$left $cg"
done
[ -z "$left" ] || { echo "FAIL: node cgroups left after the run:$left"; exit 1; }
echo "PASS: up, down and a node-down run on cgroup v2 only"
INNER

after=$(grep ' /sys/fs/cgroup' /proc/self/mounts | sort)
[ "$before" = "$after" ] || { echo "FAIL: the host's cgroup mounts changed"; exit 1; }
