# shellcheck shell=bash
#
# Two network namespaces joined by a veth pair, a WireGuard implementation in each, and the tunnel
# between them: what the tunnel benchmarks (tunnel-throughput.sh, flood-throughput.sh) share.
# Sourced, not run. The sourcing script sets, before calling anything here:
#   A B                  the namespaces' names         IFA IFB        the WireGuard interfaces
#   UNDER_A UNDER_B      the veth addresses (/24)      TUN_A TUN_B    the tunnel addresses (/24)
#   LOGS                 a directory for the logs      GROUPS_STARTED "" (process groups started)
# and defines die MESSAGE. Everything here touches only the two namespaces and their interfaces'
# UAPI sockets in /var/run/wireguard.

# stop_group PGID: the process group of one program started with setsid: TERM, then KILL after 5 s
stop_group() {
  local pgid=$1 i
  kill -TERM -- "-$pgid" 2>/dev/null || return 0
  for i in $(seq 50); do kill -0 -- "-$pgid" 2>/dev/null || return 0; sleep 0.1; done
  kill -KILL -- "-$pgid" 2>/dev/null || true
}

# remove_namespaces: stops every group started, deletes both namespaces and the interfaces' sockets,
# and the logs unless KEEP_LOGS=1 (then says where they are)
remove_namespaces() {
  local pgid
  for pgid in $GROUPS_STARTED; do stop_group "$pgid"; done
  GROUPS_STARTED=""
  ip netns del "$A" 2>/dev/null || true
  ip netns del "$B" 2>/dev/null || true
  rm -f /var/run/wireguard/"$IFA".sock /var/run/wireguard/"$IFB".sock \
    /var/run/wireguard/"$IFA".stats /var/run/wireguard/"$IFB".stats
  if [ "${KEEP_LOGS:-0}" = 1 ]; then echo "logs kept in $LOGS"; else rm -rf "$LOGS"; fi
}

make_namespaces() {
  ip netns del "$A" 2>/dev/null || true
  ip netns del "$B" 2>/dev/null || true
  ip netns add "$A"
  ip netns add "$B"
  ip link add vA netns "$A" type veth peer name vB netns "$B"
  ip -n "$A" addr add "$UNDER_A/24" dev vA
  ip -n "$B" addr add "$UNDER_B/24" dev vB
  for ns in "$A" "$B"; do ip -n "$ns" link set lo up; done
  ip -n "$A" link set vA up
  ip -n "$B" link set vB up
}

# await_impl NS IFACE KIND PID: waits until the implementation started as PID (its log in
# $LOGS/IFACE-KIND.log) has made its interface and UAPI socket; a JVM takes a few seconds
await_impl() {
  local ns=$1 iface=$2 kind=$3 pid=$4 i
  GROUPS_STARTED="$GROUPS_STARTED $pid"
  for i in $(seq 600); do
    if [ -S /var/run/wireguard/"$iface".sock ] && ip -n "$ns" link show "$iface" >/dev/null 2>&1; then
      return 0
    fi
    kill -0 "$pid" 2>/dev/null || { tail -n 20 "$LOGS/$iface-$kind.log" >&2; die "$kind $iface exited before it was ready"; }
    sleep 0.1
  done
  tail -n 20 "$LOGS/$iface-$kind.log" >&2
  die "$kind $iface was not ready within 60 s"
}

# stop_impls: stops both implementations and waits until their interfaces are gone, so that the next
# case can reuse the names
stop_impls() {
  local pgid i
  for pgid in $GROUPS_STARTED; do stop_group "$pgid"; done
  GROUPS_STARTED=""
  for i in $(seq 100); do
    ip -n "$A" link show "$IFA" >/dev/null 2>&1 || ip -n "$B" link show "$IFB" >/dev/null 2>&1 || return 0
    sleep 0.1
  done
  ip -n "$A" link del "$IFA" 2>/dev/null || true
  ip -n "$B" link del "$IFB" 2>/dev/null || true
}

# set_peers PORT_A PORT_B: fresh keys, each side the other's peer (with `wg`); sets PUB_B
set_peers() {
  local port_a=$1 port_b=$2 ka kb pa
  ka=$(wg genkey); kb=$(wg genkey)
  pa=$(echo "$ka" | wg pubkey); PUB_B=$(echo "$kb" | wg pubkey)
  ip netns exec "$A" wg set "$IFA" private-key <(echo "$ka") listen-port "$port_a" \
    peer "$PUB_B" allowed-ips "$TUN_B/32" endpoint "$UNDER_B:$port_b"
  ip netns exec "$B" wg set "$IFB" private-key <(echo "$kb") listen-port "$port_b" \
    peer "$pa" allowed-ips "$TUN_A/32" endpoint "$UNDER_A:$port_a"
}

# bring_up: the tunnel addresses, MTU 1420, and a ping through the tunnel
bring_up() {
  ip -n "$A" addr add "$TUN_A/24" dev "$IFA"
  ip -n "$B" addr add "$TUN_B/24" dev "$IFB"
  ip -n "$A" link set "$IFA" mtu 1420 up
  ip -n "$B" link set "$IFB" mtu 1420 up
  ip netns exec "$A" ping -c 3 -i 0.2 -W 2 "$TUN_B" >/dev/null || die "no ping through the tunnel (see logs: KEEP_LOGS=1)"
}

# record KEY LABEL VALUE: one more value of KEY (one per round), in VALUES, KEYS (first-seen order)
# and LABELS, which the sourcing script declares (declare -A VALUES LABELS; KEYS=())
record() {
  [ -n "${VALUES[$1]:-}" ] || KEYS+=("$1")
  VALUES[$1]="${VALUES[$1]:-}${VALUES[$1]:+ }$3"
  LABELS[$1]=$2
}
