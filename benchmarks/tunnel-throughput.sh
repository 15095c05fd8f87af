#!/usr/bin/env bash
#
# TCP throughput through a WireGuard tunnel between two network namespaces, ours against wireguard-go,
# all in one run so that the figures share the machine's state.
#
#   ns wh-tp-a                                     ns wh-tp-b
#   +--------------------------+                  +--------------------------+
#   | vA 10.231.0.1/24         |<==== veth =====>|         vB 10.231.0.2/24 |
#   | wgtpa 10.232.0.1/24      |~~~~ tunnel ~~~~~|      wgtpb 10.232.0.2/24 |
#   | iperf3 client            |  (UDP 51820/21)  |            iperf3 server |
#   +--------------------------+                  +--------------------------+
#
# Cases (the same topology as shared/tools/wg-baseline.sh):
#   a  plain veth (no tunnel)              the ceiling of the box
#   b  wireguard-go  <-> wireguard-go      the reference
#   c  ours (A)      <-> wireguard-go (B)  interoperability at speed
#   d  ours          <-> ours
# Each tunnel case is measured in both directions: A->B (A encrypts) and B->A (iperf3 -R, A decrypts).
# The last lines give ours/wireguard-go per direction.
#
# "Ours" is the distribution's bin/wirehaven-wg (like 'wireguard-go -f IFACE'): found in $WIREHAVEN_HOME,
# else in distributions/server/target/wirehaven-server-*/ beside this script. Without it, c and d are
# skipped (a note says so) and a and b still run.
#
# Environment:
#   DUR=10          seconds per iperf3 measurement
#   OMIT=0          seconds iperf3 runs first without counting them (iperf3 -O): 4 lets the JIT
#                   compile our crypto path before measuring; the same for every case
#   CASES="a b c d" which cases to run
#   JDKS            space-separated JDK homes to run c and d on, one after the other
#                   (default: $JAVA_HOME, else the 'java' on PATH), e.g.
#                   JDKS="/usr/lib/jvm/java-17-openjdk-amd64 /usr/lib/jvm/temurin-25-jdk-amd64"
#   WIREHAVEN_HOME  the unpacked distribution
#   STREAMS=1       parallel TCP streams (iperf3 -P)
#   KEEP_LOGS=1     keep the implementations' logs (printed path) instead of deleting them
#
# Needs root, iproute2, wireguard-go, wg, iperf3 and python3. Touches only the two namespaces it creates
# and deletes (also on error or Ctrl-C); never the host's own interfaces or routes.
set -euo pipefail

DUR=${DUR:-10}
OMIT=${OMIT:-0}
CASES=${CASES:-a b c d}
STREAMS=${STREAMS:-1}
A=wh-tp-a
B=wh-tp-b
IFA=wgtpa
IFB=wgtpb
UNDER_A=10.231.0.1 UNDER_B=10.231.0.2
TUN_A=10.232.0.1 TUN_B=10.232.0.2
here="$(cd -P "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
LOGS="$(mktemp -d /tmp/tunnel-throughput.XXXXXX)"
GROUPS_STARTED=""

die() { echo "tunnel-throughput: $*" >&2; exit 1; }

for tool in ip wg wireguard-go iperf3 python3 setsid; do
  command -v "$tool" >/dev/null 2>&1 || die "$tool is not installed"
done
[ "$(id -u)" = 0 ] || die "needs root (network namespaces)"

# ---- ours -----------------------------------------------------------------------------------------
ours=""
if [ -n "${WIREHAVEN_HOME:-}" ]; then
  ours="$WIREHAVEN_HOME/bin/wirehaven-wg"
else
  for d in "$here"/../distributions/server/target/wirehaven-server-*/; do
    [ -x "$d/bin/wirehaven-wg" ] && ours="$(cd -P "$d" && pwd)/bin/wirehaven-wg"
  done
fi
if [ -n "$ours" ] && [ ! -x "$ours" ]; then
  [ -n "${WIREHAVEN_HOME:-}" ] && die "WIREHAVEN_HOME=$WIREHAVEN_HOME has no executable bin/wirehaven-wg"
  ours=""
fi
if [ -z "${JDKS:-}" ]; then
  if [ -n "${JAVA_HOME:-}" ]; then
    JDKS="$JAVA_HOME"
  else
    JDKS="$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")"
  fi
fi

# ---- set-up and tear-down -----------------------------------------------------------------------------
stop_group() { # the process group of one implementation, started with setsid below
  local pgid=$1 i
  kill -TERM -- "-$pgid" 2>/dev/null || return 0
  for i in $(seq 50); do kill -0 -- "-$pgid" 2>/dev/null || return 0; sleep 0.1; done
  kill -KILL -- "-$pgid" 2>/dev/null || true
}

cleanup() {
  local pgid
  if [ -n "${CLIENT_PID:-}" ]; then kill "$CLIENT_PID" 2>/dev/null || true; fi
  if [ -n "${IPERF_PID:-}" ]; then kill "$IPERF_PID" 2>/dev/null || true; fi
  for pgid in $GROUPS_STARTED; do stop_group "$pgid"; done
  GROUPS_STARTED=""
  ip netns del $A 2>/dev/null || true
  ip netns del $B 2>/dev/null || true
  rm -f /var/run/wireguard/$IFA.sock /var/run/wireguard/$IFB.sock
  if [ "${KEEP_LOGS:-0}" = 1 ]; then echo "logs kept in $LOGS"; else rm -rf "$LOGS"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

make_namespaces() {
  ip netns del $A 2>/dev/null || true
  ip netns del $B 2>/dev/null || true
  ip netns add $A
  ip netns add $B
  ip link add vA netns $A type veth peer name vB netns $B
  ip -n $A addr add $UNDER_A/24 dev vA
  ip -n $B addr add $UNDER_B/24 dev vB
  for ns in $A $B; do ip -n $ns link set lo up; done
  ip -n $A link set vA up
  ip -n $B link set vB up
}

# start_impl NS IFACE KIND JDK: runs the implementation in the foreground of its own process group
start_impl() {
  local ns=$1 iface=$2 kind=$3 jdk=$4 pid i
  rm -f /var/run/wireguard/"$iface".sock
  if [ "$kind" = wireguard-go ]; then
    ip netns exec "$ns" setsid wireguard-go -f "$iface" >"$LOGS/$iface-$kind.log" 2>&1 &
  else
    JAVA_HOME="$jdk" ip netns exec "$ns" setsid "$ours" -f "$iface" >"$LOGS/$iface-$kind.log" 2>&1 &
  fi
  pid=$!
  GROUPS_STARTED="$GROUPS_STARTED $pid"
  # a JVM takes a few seconds; wait for the interface and the UAPI socket
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

stop_impls() {
  local pgid i
  for pgid in $GROUPS_STARTED; do stop_group "$pgid"; done
  GROUPS_STARTED=""
  # the interfaces go with their processes; wait so that the next case can reuse the names
  for i in $(seq 100); do
    ip -n $A link show $IFA >/dev/null 2>&1 || ip -n $B link show $IFB >/dev/null 2>&1 || return 0
    sleep 0.1
  done
  ip -n $A link del $IFA 2>/dev/null || true
  ip -n $B link del $IFB 2>/dev/null || true
}

configure_tunnel() {
  local ka kb pa pb
  ka=$(wg genkey); kb=$(wg genkey)
  pa=$(echo "$ka" | wg pubkey); pb=$(echo "$kb" | wg pubkey)
  ip netns exec $A wg set $IFA private-key <(echo "$ka") listen-port 51820 \
    peer "$pb" allowed-ips $TUN_B/32 endpoint $UNDER_B:51821
  ip netns exec $B wg set $IFB private-key <(echo "$kb") listen-port 51821 \
    peer "$pa" allowed-ips $TUN_A/32 endpoint $UNDER_A:51820
  ip -n $A addr add $TUN_A/24 dev $IFA
  ip -n $B addr add $TUN_B/24 dev $IFB
  ip -n $A link set $IFA mtu 1420 up
  ip -n $B link set $IFB mtu 1420 up
  ip netns exec $A ping -c 3 -i 0.2 -W 2 $TUN_B >/dev/null || die "no ping through the tunnel (see logs: KEEP_LOGS=1)"
}

# measure SERVER_IP [-R]: one iperf3 run, Gbit/s received, left in $GBITS
IPERF_PID=""
CLIENT_PID=""
GBITS=""
measure() {
  local server=$1 reverse=${2:-} i
  ip netns exec $B iperf3 -s -1 -B "$server" >"$LOGS/iperf3-server.log" 2>&1 &
  IPERF_PID=$!
  for i in $(seq 50); do
    ip netns exec $B ss -ltnH "sport = :5201" 2>/dev/null | grep -q . && break
    sleep 0.1
  done
  # in the background so that Ctrl-C / SIGTERM interrupt the wait at once
  ip netns exec $A iperf3 -c "$server" -t "$DUR" -O "$OMIT" -P "$STREAMS" $reverse -J >"$LOGS/iperf3-client.json" &
  CLIENT_PID=$!
  if ! wait "$CLIENT_PID"; then
    CLIENT_PID=""
    KEEP_LOGS=1
    die "iperf3 to $server failed"
  fi
  CLIENT_PID=""
  wait "$IPERF_PID" 2>/dev/null || true
  IPERF_PID=""
  GBITS=$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print("%.2f" % (d["end"]["sum_received"]["bits_per_second"] / 1e9))' \
    "$LOGS/iperf3-client.json")
}

# ---- the run --------------------------------------------------------------------------------------------
declare -A RESULT
ROWS=()

record() { # record KEY LABEL GBITS
  RESULT[$1]=$3
  ROWS+=("$(printf '%-46s %8s Gbit/s' "$2" "$3")")
  echo "  $2: $3 Gbit/s"
}

jdk_label() {
  "$1/bin/java" -version 2>&1 | sed -n 's/.* version "\([^"]*\)".*/JDK \1/p' | head -n 1
}

tunnel_case() { # tunnel_case KEY LABEL KIND_A KIND_B JDK
  local key=$1 label=$2 kind_a=$3 kind_b=$4 jdk=${5:-}
  echo "== $label"
  start_impl $A $IFA "$kind_a" "$jdk"
  start_impl $B $IFB "$kind_b" "$jdk"
  configure_tunnel
  measure $TUN_B
  record "$key.ab" "$label A->B" "$GBITS"
  measure $TUN_B -R
  record "$key.ba" "$label B->A" "$GBITS"
  stop_impls
}

ratio() { # ratio NUMERATOR_KEY DENOMINATOR_KEY
  python3 -c "import sys; n, d = float(sys.argv[1]), float(sys.argv[2]); print('%.2f' % (n / d) if d > 0 else 'n/a')" \
    "${RESULT[$1]}" "${RESULT[$2]}"
}

make_namespaces
echo "tunnel-throughput: DUR=$DUR s, STREAMS=$STREAMS, kernel $(uname -r), $(nproc) CPUs, wireguard-go $(wireguard-go --version 2>&1 | head -n 1)"

for c in $CASES; do
  case "$c" in
    a)
      echo "== plain veth"
      measure $UNDER_B
      record a "plain veth" "$GBITS" ;;
    b)
      tunnel_case b "wireguard-go <-> wireguard-go" wireguard-go wireguard-go ;;
    c|d)
      if [ -z "$ours" ]; then
        echo "== case $c skipped: no bin/wirehaven-wg (build distributions/server or set WIREHAVEN_HOME)"
        continue
      fi
      for jdk in $JDKS; do
        [ -x "$jdk/bin/java" ] || die "no java in $jdk"
        j="$(jdk_label "$jdk")"
        if [ "$c" = c ]; then
          tunnel_case "c.$jdk" "ours ($j) <-> wireguard-go" ours wireguard-go "$jdk"
        else
          tunnel_case "d.$jdk" "ours <-> ours ($j)" ours ours "$jdk"
        fi
      done ;;
    *) die "unknown case '$c' (a, b, c or d)" ;;
  esac
done

echo
echo "== results (DUR=$DUR s)"
printf '%s\n' "${ROWS[@]}"
if [ -n "${RESULT[b.ab]:-}" ]; then
  for jdk in $JDKS; do
    for c in c d; do
      [ -n "${RESULT[$c.$jdk.ab]:-}" ] || continue
      printf '%-46s A->B %s  B->A %s\n' "ratio ours/wireguard-go, case $c ($(jdk_label "$jdk"))" \
        "$(ratio "$c.$jdk.ab" b.ab)" "$(ratio "$c.$jdk.ba" b.ba)"
    done
  done
fi
