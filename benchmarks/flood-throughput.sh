#!/usr/bin/env bash
#
# TCP throughput through a WireGuard tunnel with and without a line-rate flood of junk and forged
# handshakes at the receiving side's port, ours against wireguard-go, in one run: the figure behind
# "a garbage and forged-handshake flood at line rate keeps >= 90% of the transfer's throughput".
#
#   ns wh-fl-a                                          ns wh-fl-b
#   +-------------------------------+                  +------------------------------+
#   | vA 10.235.0.1/24              |<==== veth =====>|             vB 10.235.0.2/24 |
#   | wgfla 10.236.0.1/24   :51820  |~~~~ tunnel ~~~~~|>  :51821  wgflb 10.236.0.2/24 |
#   | iperf3 client  (A -> B)       |                  |                iperf3 server |
#   | LineRateFlood (any port) -----|---- junk -------|>  :51821 (or :9, closed)     |
#   +-------------------------------+                  +------------------------------+
#
# Cases (both ends the same implementation, as in tunnel-throughput.sh):
#   b  wireguard-go <-> wireguard-go    the reference
#   d  ours         <-> ours            bin/wirehaven-wg of the distribution
# Modes, measured in every round for every case, one after the other on the same tunnel:
#   none    no flood
#   flood   LineRateFlood at B's WireGuard port, as fast as one Java thread can send: garbage,
#           initiations with a random MAC1, initiations with a valid MAC1 (computed from B's public
#           key, as an attacker can), transport messages for unknown indices (see the class)
#   closed  the same flood at a UDP port where nothing listens (9): the kernel drops it with an
#           ICMP error. What the flood costs the box itself (the flooder's CPU, the veth, the
#           kernel), not the implementation: on a machine with few CPUs the flooder takes one of
#           them, and flood/closed is then the part of the loss that the implementation causes
# Each round runs the modes in turn, every second round in reverse order; the results are medians
# over the rounds, each round's values beside them, then the ratios flood/none and closed/none (of
# the medians, and each round's own, whose modes ran next to each other). For ours, the drop
# counters that the flood added (wirehaven-wg --stats) are shown per reason.
#
# The flooder is dev.wirehaven.itests.interop.LineRateFlood from itests/target/test-classes
# (./mvnw -B -o -q test-compile -pl itests), which the test FloodAtLineRateIT runs too.
#
# Environment:
#   DUR=10            seconds per iperf3 measurement
#   OMIT=3            seconds iperf3 runs first without counting them (-O): JIT, TCP ramp-up
#   ROUNDS=5          rounds (see above)
#   CASES="b d"       which cases
#   MODES="none flood closed"
#   REVERSE=0         1: B sends to A (iperf3 -R), so that the flooded side encrypts and receives ACKs
#   PIN=0             1: the flooder on the last CPU, everything else (both implementations, iperf3)
#                     on the others (taskset), in every mode. A remote attacker's sending costs the
#                     victim no CPU; on a box with few CPUs the flooder otherwise takes one of them
#                     from the transfer (closed/none says how much). With PIN=1, flood/none is what the
#                     implementation loses to the junk it must receive. The kernel's receive work for
#                     the junk (veth delivers in the sender's context) then also runs on the flooder's
#                     CPU, where a NIC would put it on the victim's: a lower bound of the loss, as the
#                     default layout is an upper one. Needs at least 2 CPUs
#   WIREHAVEN_HOME    the unpacked distribution (else distributions/server/target/wirehaven-server-*/)
#   WIREHAVEN_WG_OPTS extra JVM options of ours (e.g. a JFR recording; bin/wirehaven-wg reads it)
#   KEEP_LOGS=1       keep the logs (the printed path) instead of deleting them
#
# Needs root, iproute2, wireguard-go, wg, iperf3, python3 and a JDK (JAVA_HOME or java on PATH).
# Touches only the two namespaces it creates and deletes (also on error or Ctrl-C); the flood goes
# only from one of them to the other.
set -euo pipefail

DUR=${DUR:-10}
OMIT=${OMIT:-3}
ROUNDS=${ROUNDS:-5}
CASES=${CASES:-b d}
MODES=${MODES:-none flood closed}
REVERSE=${REVERSE:-0}
A=wh-fl-a
B=wh-fl-b
IFA=wgfla
IFB=wgflb
UNDER_A=10.235.0.1 UNDER_B=10.235.0.2
TUN_A=10.236.0.1 TUN_B=10.236.0.2
PORT_A=51820 PORT_B=51821 CLOSED_PORT=9
here="$(cd -P "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
LOGS="$(mktemp -d /tmp/flood-throughput.XXXXXX)"
GROUPS_STARTED=""
FLOOD_PGID=""

die() { echo "flood-throughput: $*" >&2; exit 1; }

for tool in ip wg wireguard-go iperf3 python3 setsid; do
  command -v "$tool" >/dev/null 2>&1 || die "$tool is not installed"
done
[ "$(id -u)" = 0 ] || die "needs root (network namespaces)"
case "$ROUNDS" in ''|*[!0-9]*|0) die "ROUNDS must be a positive number" ;; esac
for c in $CASES; do case "$c" in b|d) ;; *) die "unknown case '$c' (b or d)" ;; esac; done
for m in $MODES; do case "$m" in none|flood|closed) ;; *) die "unknown mode '$m' (none, flood, closed)" ;; esac; done
PIN=${PIN:-0}
PIN_REST=()  # prefixes: taskset for the transfer's programs and for the flooder (PIN=1), else nothing
PIN_FLOOD=()
if [ "$PIN" = 1 ]; then
  command -v taskset >/dev/null 2>&1 || die "PIN=1 needs taskset (util-linux)"
  cpus=$(nproc)
  [ "$cpus" -ge 2 ] || die "PIN=1 needs at least 2 CPUs"
  PIN_REST=(taskset -c "0-$((cpus - 2))")
  PIN_FLOOD=(taskset -c "$((cpus - 1))")
fi

if [ -n "${JAVA_HOME:-}" ]; then java="$JAVA_HOME/bin/java"; else java="$(command -v java || true)"; fi
[ -n "$java" ] && [ -x "$java" ] || die "no java (set JAVA_HOME)"
classes="$here/../itests/target/test-classes"
[ -f "$classes/dev/wirehaven/itests/interop/LineRateFlood.class" ] ||
  die "no LineRateFlood in $classes: ./mvnw -B -o -q test-compile -pl itests"
classes="$(cd -P "$classes" && pwd)"

ours=""
if [ -n "${WIREHAVEN_HOME:-}" ]; then
  ours="$WIREHAVEN_HOME/bin/wirehaven-wg"
  [ -x "$ours" ] || die "WIREHAVEN_HOME=$WIREHAVEN_HOME has no executable bin/wirehaven-wg"
else
  for d in "$here"/../distributions/server/target/wirehaven-server-*/; do
    [ -x "$d/bin/wirehaven-wg" ] && ours="$(cd -P "$d" && pwd)/bin/wirehaven-wg"
  done
fi
[ -n "$ours" ] || die "no bin/wirehaven-wg: case d runs it and the flooder takes its BLAKE2s from it (build distributions/server or set WIREHAVEN_HOME)"
# the flooder's class path: its own classes, and the device's BLAKE2s (the bundle and BouncyCastle) for MAC1
flooder_cp="$classes"
for name in wirehaven-wireguard bcprov-jdk18on; do
  jars=("$(dirname "$(dirname "$ours")")/bundle/$name"-[0-9]*.jar)
  [ -e "${jars[-1]}" ] || die "no $name jar in the distribution of $ours"
  flooder_cp="$flooder_cp:${jars[-1]}"
done

# ---- set-up and tear-down ---------------------------------------------------------------------------
# shellcheck source=lib/two-namespaces.sh
. "$here/lib/two-namespaces.sh"

cleanup() {
  if [ -n "${CLIENT_PID:-}" ]; then kill "$CLIENT_PID" 2>/dev/null || true; fi
  if [ -n "${IPERF_PID:-}" ]; then kill "$IPERF_PID" 2>/dev/null || true; fi
  if [ -n "$FLOOD_PGID" ]; then stop_group "$FLOOD_PGID"; fi
  remove_namespaces
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# start_impl NS IFACE KIND: runs the implementation in the foreground of its own process group
start_impl() {
  local ns=$1 iface=$2 kind=$3
  rm -f /var/run/wireguard/"$iface".sock
  if [ "$kind" = wireguard-go ]; then
    ip netns exec "$ns" "${PIN_REST[@]}" setsid wireguard-go -f "$iface" >"$LOGS/$iface-$kind.log" 2>&1 &
  else
    ip netns exec "$ns" "${PIN_REST[@]}" setsid "$ours" -f "$iface" >"$LOGS/$iface-$kind.log" 2>&1 &
  fi
  await_impl "$ns" "$iface" "$kind" $!
}

PUB_B=""
configure_tunnel() {
  set_peers $PORT_A $PORT_B
  bring_up
}

# drops IFACE: ours' drop counters, "reason=count" lines (empty for wireguard-go)
drops() {
  [ "$1" = ours ] || return 0
  ip netns exec $B "$ours" --stats $IFB 2>/dev/null | grep '^drop_' || true
}

# start_flood PORT: LineRateFlood from A at B's PORT, until stop_flood
start_flood() {
  local port=$1 i
  rm -f "$LOGS/stop-flood"
  ip netns exec $A "${PIN_FLOOD[@]}" setsid "$java" -Xmx256m -cp "$flooder_cp" dev.wirehaven.itests.interop.LineRateFlood \
    $UNDER_B "$port" $((DUR + OMIT + 60)) "$LOGS/stop-flood" "$PUB_B" >"$LOGS/flood.log" 2>&1 &
  FLOOD_PGID=$!
  for i in $(seq 300); do
    grep -q '^flooding' "$LOGS/flood.log" 2>/dev/null && { sleep 1; return 0; }
    kill -0 "$FLOOD_PGID" 2>/dev/null || { cat "$LOGS/flood.log" >&2; die "the flooder exited"; }
    sleep 0.1
  done
  die "the flooder did not start within 30 s"
}

FLOOD_PPS=""
stop_flood() {
  local i
  touch "$LOGS/stop-flood"
  for i in $(seq 100); do kill -0 "$FLOOD_PGID" 2>/dev/null || break; sleep 0.1; done
  stop_group "$FLOOD_PGID"
  FLOOD_PGID=""
  FLOOD_PPS=$(sed -n 's/.* pps=\([0-9]*\).*/\1/p' "$LOGS/flood.log")
  cat "$LOGS/flood.log" >>"$LOGS/floods.log"
}

# measure: one iperf3 run A -> B (or B -> A with REVERSE=1), Gbit/s received, left in $GBITS
IPERF_PID=""
CLIENT_PID=""
GBITS=""
measure() {
  local reverse="" i
  [ "$REVERSE" = 1 ] && reverse=-R
  ip netns exec $B "${PIN_REST[@]}" iperf3 -s -1 -B $TUN_B >"$LOGS/iperf3-server.log" 2>&1 &
  IPERF_PID=$!
  for i in $(seq 50); do
    ip netns exec $B ss -ltnH "sport = :5201" 2>/dev/null | grep -q . && break
    sleep 0.1
  done
  ip netns exec $A "${PIN_REST[@]}" iperf3 -c $TUN_B -t "$DUR" -O "$OMIT" $reverse -J >"$LOGS/iperf3-client.json" &
  CLIENT_PID=$!
  if ! wait "$CLIENT_PID"; then
    CLIENT_PID=""
    KEEP_LOGS=1
    die "iperf3 failed (logs kept)"
  fi
  CLIENT_PID=""
  # the server ends with the client's results; where the flood cut the tunnel (its control connection
  # runs through it) the server never hears the end and would wait forever
  for i in $(seq 50); do
    kill -0 "$IPERF_PID" 2>/dev/null || break
    sleep 0.1
  done
  kill "$IPERF_PID" 2>/dev/null || true
  wait "$IPERF_PID" 2>/dev/null || true
  IPERF_PID=""
  # no receiver's sum: the results never crossed the tunnel, so nothing that counts did
  GBITS=$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); r=d.get("end", {}).get("sum_received")
print("%.3f" % (r["bits_per_second"] / 1e9 if r else 0.0))
if not r: print("  (iperf3 got no receiver result: counted as 0)", file=sys.stderr)' "$LOGS/iperf3-client.json")
}

# ---- the run ----------------------------------------------------------------------------------------
declare -A VALUES LABELS PPS DROPS
KEYS=()

median() { python3 -c 'import statistics,sys; print("%.3f" % statistics.median(float(v) for v in sys.argv[1:]))' "$@"; }

# drop_delta "BEFORE" "AFTER": the reasons that grew, "reason=+n ..."
drop_delta() {
  python3 -c 'import sys
def parse(t): return {k: int(v) for k, v in (l.split("=", 1) for l in t.split() if "=" in l)}
b, a = parse(sys.argv[1]), parse(sys.argv[2])
print(" ".join("%s=+%d" % (k[5:], a[k] - b.get(k, 0)) for k in sorted(a) if a[k] > b.get(k, 0)))' "$1" "$2"
}

make_namespaces
direction="A->B (B, the flooded side, decrypts)"
[ "$REVERSE" = 1 ] && direction="B->A (B, the flooded side, encrypts)"
echo "flood-throughput: $(date -u '+%Y-%m-%d %H:%M UTC'), DUR=$DUR s, OMIT=$OMIT s, ROUNDS=$ROUNDS, PIN=$PIN, $direction," \
  "kernel $(uname -r), $(nproc) CPUs, wireguard-go $(wireguard-go --version 2>&1 | head -n 1), $("$java" -version 2>&1 | head -n 1)"

for c in $CASES; do
  if [ "$c" = b ]; then kind=wireguard-go; label="wireguard-go <-> wireguard-go"; else kind=ours; label="ours <-> ours"; fi
  echo "== $label"
  start_impl $A $IFA "$kind"
  start_impl $B $IFB "$kind"
  configure_tunnel
  for round in $(seq "$ROUNDS"); do
    order=$MODES
    if [ $((round % 2)) = 0 ]; then order=$(echo "$MODES" | tr ' ' '\n' | tac | tr '\n' ' '); fi
    for m in $order; do
      before=$(drops $kind)
      case "$m" in
        flood) start_flood $PORT_B ;;
        closed) start_flood $CLOSED_PORT ;;
      esac
      measure
      if [ "$m" != none ]; then
        stop_flood
        PPS[$c.$m]="${PPS[$c.$m]:-}${PPS[$c.$m]:+ }$FLOOD_PPS"
      fi
      record "$c.$m" "$label, $m" "$GBITS"
      extra=""
      if [ "$m" = flood ] && [ "$kind" = ours ]; then
        d=$(drop_delta "$before" "$(drops $kind)")
        DROPS[$c]="$d"
        extra=", drops counted: $d"
      fi
      echo "  round $round, $m: $GBITS Gbit/s${FLOOD_PPS:+, flood sent $FLOOD_PPS pkt/s}$extra"
      FLOOD_PPS=""
    done
  done
  stop_impls
done

echo
echo "== results: medians of $ROUNDS rounds (each round's value), Gbit/s, $direction"
declare -A RESULT
for key in "${KEYS[@]}"; do
  # shellcheck disable=SC2086
  RESULT[$key]=$(median ${VALUES[$key]})
  pps=""
  # shellcheck disable=SC2086
  [ -z "${PPS[$key]:-}" ] || pps="  flood $(median ${PPS[$key]} | cut -d. -f1) pkt/s sent"
  printf '%-40s %8s  (%s)%s\n' "${LABELS[$key]}" "${RESULT[$key]}" "${VALUES[$key]}" "$pps"
done
ratios() { # ratios NUM_KEY DEN_KEY: ratio of the medians, then each round's
  python3 -c 'import statistics,sys
n, d = [float(v) for v in sys.argv[1].split()], [float(v) for v in sys.argv[2].split()]
r = [a / b for a, b in zip(n, d) if b > 0]
print("%.2f (median of the rounds %.2f: %s)" % (statistics.median(n) / statistics.median(d), statistics.median(r), " ".join("%.2f" % x for x in r)))' \
    "${VALUES[$1]}" "${VALUES[$2]}"
}
for c in $CASES; do
  [ -n "${VALUES[$c.none]:-}" ] || continue
  for m in flood closed; do
    [ -n "${VALUES[$c.$m]:-}" ] || continue
    printf '%-40s %s\n' "ratio $m/none, ${LABELS[$c.$m]%%,*}" "$(ratios "$c.$m" "$c.none")"
  done
  if [ -n "${VALUES[$c.flood]:-}" ] && [ -n "${VALUES[$c.closed]:-}" ]; then
    printf '%-40s %s\n' "ratio flood/closed, ${LABELS[$c.flood]%%,*}" "$(ratios "$c.flood" "$c.closed")"
  fi
  [ -z "${DROPS[$c]:-}" ] || printf '%-40s %s\n' "drops counted in the last flood, ${LABELS[$c.flood]%%,*}" "${DROPS[$c]}"
done
