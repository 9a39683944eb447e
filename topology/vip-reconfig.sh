#!/bin/sh
# Sentinel's client-reconfig-script: moves the virtual IP after a failover.
#
# Sentinel runs it on every host where a Sentinel saw the failover, inside that
# host, with: <master-name> <role> <state> <from-ip> <from-port> <to-ip> <to-port>.
# It acts on THIS host only (as it would have to on a real server cut off from
# the others): add the VIP where this host is the new master, drop it elsewhere.
# The harness passes the host's facts through Sentinel's environment:
#   SC_NODE, SC_NODE_IP, SC_VIP, SC_IFACE, SC_VIP_LOG
set -u
to_ip=${6:-}
now() { date +%s.%N; }
log() { echo "$(now) $SC_NODE $*" >> "$SC_VIP_LOG"; }

[ -n "${SC_VIP:-}" ] || exit 0
if [ "$to_ip" = "$SC_NODE_IP" ]; then
  ip addr add "$SC_VIP/24" dev "$SC_IFACE" 2>/dev/null && log "add $SC_VIP ($1 $2 $3 $4:$5 -> $6:$7)"
  # Tell the segment the VIP's MAC changed; without it clients keep the old one.
  arping -q -U -c 1 -I "$SC_IFACE" "$SC_VIP" >/dev/null 2>&1 &
else
  ip addr del "$SC_VIP/24" dev "$SC_IFACE" 2>/dev/null && log "del $SC_VIP ($1 $2 $3 $4:$5 -> $6:$7)"
fi
exit 0
