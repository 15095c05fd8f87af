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
#   e  ours+filter   <-> ours+filter       d with access control: a PeerFilter of $RULES rules on
#                                          the peer of each side (FilteredTunnel, below)
#   f  ours+filter (A) <-> wireguard-go (B)  c with the filter on A
# Each tunnel case is measured in both directions: A->B (A encrypts) and B->A (iperf3 -R, A decrypts).
# The last lines give ours/wireguard-go per direction, and filtered/unfiltered (e/d, f/c).
#
# "ours+filter" is dev.wirehaven.benchmarks.tunnel.FilteredTunnel from benchmarks/target/classes
# (./mvnw -B -o -q -f benchmarks/pom.xml package) on the distribution's own jars, the same device code
# as bin/wirehaven-wg: it does what 'wirehaven-wg -f IFACE' does and sets on every peer, as soon as
# 'wg set' created it, a filter of RULES rules in fromPeer and toPeer: RULES-1 that the benchmark's
# flows never match, then one that allows the tunnel subnet. Every new flow walks all rules; the
# packets of established flows take the flow table. Before the ping the script waits until each
# filtered side has set its filter, and after each measurement it reads the side's stats socket:
# the filter must be in force with the benchmark's flows open and nothing denied.
#
# "Ours" is the distribution's bin/wirehaven-wg (like 'wireguard-go -f IFACE'): found in $WIREHAVEN_HOME,
# else in distributions/server/target/wirehaven-server-*/ beside this script. Without it, c and d are
# skipped (a note says so) and a and b still run.
#
# Environment:
#   DUR=10          seconds per iperf3 measurement
#   OMIT=0          seconds iperf3 runs first without counting them (iperf3 -O): 4 lets the JIT
#                   compile our crypto path before measuring; the same for every case
#   CASES="a b c d" which cases to run (e, f: see above)
#   ROUNDS=1        run CASES this many times, every second round in reverse order (so that on a
#                   drifting machine no case always goes first); the results are medians over the
#                   rounds, and each round's values are listed beside them
#   RULES=100       rules per direction of the filter in e and f; 0 runs FilteredTunnel without a
#                   filter (the harness alone, to compare with d)
#   JDKS            space-separated JDK homes to run c, d, e and f on, one after the other
#                   (default: $JAVA_HOME, else the 'java' on PATH), e.g.
#                   JDKS="/usr/lib/jvm/java-17-openjdk-amd64 /usr/lib/jvm/temurin-25-jdk-amd64"
#   WIREHAVEN_HOME  the unpacked distribution
#   STREAMS=1       parallel TCP streams (iperf3 -P)
#   PIN=0           1: each side on a CPU of its own (taskset): A's implementation and the iperf3
#                   client on CPU 0, B's implementation and the iperf3 server on the last CPU. As on
#                   two hosts, neither side can then leave CPU to the other, so a ratio shows which
#                   side bounds the pair (the kernel's receive work still runs where veth delivers:
#                   in the sender's context). Needs at least 2 CPUs
#   KEEP_LOGS=1     keep the implementations' logs (printed path) instead of deleting them
#   WIREHAVEN_WG_OPTS  extra JVM options of ours, in c, d, e and f alike (e.g. JFR; bin/wirehaven-wg
#                   reads it, and the script passes it to FilteredTunnel)
#   PROFILE=1       also record each side's process with perf (-F 499, kernel and user stacks) over
#                   the counted seconds of every tunnel measurement and print its CPU per packet by
#                   stage (benchmarks/perf-stages.py: TUN read, crypto, UDP send, ...; the table of
#                   bundles/wireguard/README.md); Java frames are named from the JVM's perf map,
#                   written by jcmd right after each recording. Needs perf. Best with ROUNDS=1:
#                   every measurement is printed. PROFILE_EXPLAIN=N adds the N most frequent frames.
#
# Needs root, iproute2, wireguard-go, wg, iperf3 and python3. Touches only the two namespaces it creates
# and deletes (also on error or Ctrl-C); never the host's own interfaces or routes.
set -euo pipefail

DUR=${DUR:-10}
OMIT=${OMIT:-0}
CASES=${CASES:-a b c d}
STREAMS=${STREAMS:-1}
ROUNDS=${ROUNDS:-1}
PIN=${PIN:-0}
RULES=${RULES:-100}
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

PIN_A=() # taskset prefixes of each side's programs (PIN=1), else nothing
PIN_B=()
if [ "$PIN" = 1 ]; then
  command -v taskset >/dev/null 2>&1 || die "PIN=1 needs taskset (util-linux)"
  [ "$(nproc)" -ge 2 ] || die "PIN=1 needs at least 2 CPUs"
  PIN_A=(taskset -c 0)
  PIN_B=(taskset -c "$(($(nproc) - 1))")
fi
# pinned NS: the prefix for programs of namespace NS
pinned() { if [ "$1" = "$A" ]; then echo "${PIN_A[@]}"; else echo "${PIN_B[@]}"; fi; }

for tool in ip wg wireguard-go iperf3 python3 setsid; do
  command -v "$tool" >/dev/null 2>&1 || die "$tool is not installed"
done
PROFILE=${PROFILE:-0}
PROFILE_HZ=499
if [ "$PROFILE" = 1 ]; then
  command -v perf >/dev/null 2>&1 || die "PROFILE=1 needs perf (linux-perf)"
fi
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
# FilteredTunnel (cases e, f) runs on the distribution's jars, so that its device is bin/wirehaven-wg's
filtered_cp=""
if [ -n "$ours" ] && [ -f "$here/target/classes/dev/wirehaven/benchmarks/tunnel/FilteredTunnel.class" ]; then
  for name in wirehaven-wireguard wirehaven-tun bcprov-jdk18on jna; do
    jar=""
    for candidate in "$(dirname "$ours")/../bundle/$name"-[0-9]*.jar; do
      [ -e "$candidate" ] && jar="$(readlink -f "$candidate")"
    done
    [ -n "$jar" ] || die "the distribution has no bundle/$name-*.jar"
    filtered_cp="$filtered_cp$jar:"
  done
  filtered_cp="$filtered_cp$here/target/classes"
fi
case "$ROUNDS" in ''|*[!0-9]*|0) die "ROUNDS must be a positive number" ;; esac
case "$RULES" in ''|*[!0-9]*) die "RULES must be a number" ;; esac
if [ -z "${JDKS:-}" ]; then
  if [ -n "${JAVA_HOME:-}" ]; then
    JDKS="$JAVA_HOME"
  else
    JDKS="$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")"
  fi
fi

# ---- set-up and tear-down -----------------------------------------------------------------------------
# shellcheck source=lib/two-namespaces.sh
. "$here/lib/two-namespaces.sh"

cleanup() {
  if [ -n "${CLIENT_PID:-}" ]; then kill "$CLIENT_PID" 2>/dev/null || true; fi
  if [ -n "${IPERF_PID:-}" ]; then kill "$IPERF_PID" 2>/dev/null || true; fi
  remove_namespaces
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# start_impl NS IFACE KIND JDK: runs the implementation in the foreground of its own process group
start_impl() {
  local ns=$1 iface=$2 kind=$3 jdk=$4
  rm -f /var/run/wireguard/"$iface".sock
  if [ "$kind" = wireguard-go ]; then
    # shellcheck disable=SC2046
    ip netns exec "$ns" $(pinned "$ns") setsid wireguard-go -f "$iface" >"$LOGS/$iface-$kind.log" 2>&1 &
  elif [ "$kind" = filtered ]; then
    # shellcheck disable=SC2086
    RULES="$RULES" ip netns exec "$ns" $(pinned "$ns") setsid "$jdk/bin/java" --add-opens java.base/sun.nio.ch=ALL-UNNAMED \
      ${WIREHAVEN_WG_OPTS:-} -cp "$filtered_cp" dev.wirehaven.benchmarks.tunnel.FilteredTunnel "$iface" \
      >"$LOGS/$iface-$kind.log" 2>&1 &
  else
    # shellcheck disable=SC2046
    JAVA_HOME="$jdk" ip netns exec "$ns" $(pinned "$ns") setsid "$ours" -f "$iface" >"$LOGS/$iface-$kind.log" 2>&1 &
  fi
  IMPL_PID=$! # setsid and ip netns exec exec: this is the implementation's own pid
  await_impl "$ns" "$iface" "$kind" $IMPL_PID
}

# await_filter IFACE: FilteredTunnel polls its peers every 100 ms; wait until it has set the filter
await_filter() {
  local iface=$1 i
  [ "$RULES" -gt 0 ] || return 0
  for i in $(seq 100); do
    grep -q "filter set: peer" "$LOGS/$iface-filtered.log" && return 0
    sleep 0.1
  done
  tail -n 20 "$LOGS/$iface-filtered.log" >&2
  die "FilteredTunnel on $iface set no filter within 10 s"
}

# check_filter IFACE: the filter is in force on the interface's peer, with the benchmark's flows
# open and nothing denied (from the stats socket that 'wirehaven-wg --stats' reads)
check_filter() {
  local iface=$1 stats
  [ "$RULES" -gt 0 ] || return 0
  stats=$(python3 -c 'import socket,sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM); s.connect(sys.argv[1]); out = b""
while True:
    b = s.recv(65536)
    if not b: break
    out += b
print(out.decode("ascii"))' /var/run/wireguard/"$iface".stats) || die "cannot read the stats of $iface"
  echo "$stats" >>"$LOGS/$iface-stats.log"
  echo "$stats" | grep -q '^filter_peer=' || die "$iface: no filter in force (stats: $(echo "$stats" | tr '\n' ' '))"
  local flows denied
  flows=$(echo "$stats" | sed -n 's/^filter_open_flows=//p')
  denied=$(echo "$stats" | grep '^filter_denied=' | tr '\n' ' ' || true)
  [ "${flows:-0}" -ge 1 ] || die "$iface: the filter tracks no flow"
  echo "    $iface: filter in force, $flows open flows, ${denied:-nothing denied}"
  [ -z "$denied" ] || die "$iface: the filter denied benchmark traffic: $denied"
}

configure_tunnel() {
  local kind_a=$1 kind_b=$2
  set_peers 51820 51821
  [ "$kind_a" != filtered ] || await_filter $IFA
  [ "$kind_b" != filtered ] || await_filter $IFB
  bring_up
}

# snap PID IFACE: "<CPU clock ticks of PID, user + system, all threads> <packets through IFACE, rx + tx>",
# packets counted as bytes / 1420 (the tunnel MTU): with TUN offloads the kernel counts a 64 KiB TCP
# burst as one packet, so its packet counters would make an offloading side's cost look 40 times larger;
# in bash alone so that the two sides' snapshots are taken within milliseconds (/proc/PID/net/dev
# lists the interfaces of PID's network namespace)
CLK_TCK=$(getconf CLK_TCK)
snap() {
  local pid=$1 iface=$2 stat line name packets=0
  local -a f g
  read -r stat <"/proc/$pid/stat"
  read -r -a f <<<"${stat##*) }"
  while IFS= read -r line; do
    case "$line" in *:*) ;; *) continue ;; esac
    name=${line%%:*}
    name=${name// /}
    if [ "$name" = "$iface" ]; then
      read -r -a g <<<"${line#*:}"
      packets=$(((g[0] + g[8]) / 1420))
    fi
  done <"/proc/$pid/net/dev"
  echo "$((f[11] + f[12])) $packets"
}

per_packet() { # per_packet "TICKS0 PACKETS0" "TICKS1 PACKETS1": microseconds of CPU per packet
  python3 -c 'import sys
c0, p0 = map(float, sys.argv[1].split()); c1, p1 = map(float, sys.argv[2].split())
print("%.2f" % ((c1 - c0) * 1e6 / float(sys.argv[3]) / (p1 - p0)) if p1 > p0 else "n/a")' "$1" "$2" "$CLK_TCK"
}

# measure SERVER_IP [-R]: one iperf3 run, Gbit/s received, left in $GBITS; in a tunnel case also the
# CPU time per packet of each side's implementation ($CPU_A, $CPU_B, microseconds) over the counted
# seconds (from OMIT s after the start to the end): less sensitive than Gbit/s to what else the
# shared CPUs run, as long as the implementation gets the CPU it needs
IPERF_PID=""
CLIENT_PID=""
GBITS=""
PID_A=""
PID_B=""
CPU_A=""
CPU_B=""
measure() {
  local server=$1 reverse=${2:-} i
  ip netns exec $B "${PIN_B[@]}" iperf3 -s -1 -B "$server" >"$LOGS/iperf3-server.log" 2>&1 &
  IPERF_PID=$!
  for i in $(seq 50); do
    ip netns exec $B ss -ltnH "sport = :5201" 2>/dev/null | grep -q . && break
    sleep 0.1
  done
  # in the background so that Ctrl-C / SIGTERM interrupt the wait at once
  ip netns exec $A "${PIN_A[@]}" iperf3 -c "$server" -t "$DUR" -O "$OMIT" -P "$STREAMS" $reverse -J >"$LOGS/iperf3-client.json" &
  CLIENT_PID=$!
  local sa0="" sb0=""
  if [ -n "$PID_A" ]; then
    sleep "$OMIT"
    sa0=$(snap "$PID_A" $IFA)
    sb0=$(snap "$PID_B" $IFB)
    [ "$PROFILE" != 1 ] || start_profile "$reverse" "$sa0" "$sb0"
  fi
  if ! wait "$CLIENT_PID"; then
    CLIENT_PID=""
    KEEP_LOGS=1
    die "iperf3 to $server failed"
  fi
  CLIENT_PID=""
  [ "$PROFILE" != 1 ] || [ -z "$PID_A" ] || wait $PROFILERS || true
  if [ -n "$PID_A" ]; then
    local sa1 sb1
    sa1=$(snap "$PID_A" $IFA)
    sb1=$(snap "$PID_B" $IFB)
    echo "$server $reverse A $PID_A $sa0 -> $sa1, B $PID_B $sb0 -> $sb1" >>"$LOGS/cpu.log"
    CPU_A=$(per_packet "$sa0" "$sa1")
    CPU_B=$(per_packet "$sb0" "$sb1")
  fi
  wait "$IPERF_PID" 2>/dev/null || true
  IPERF_PID=""
  GBITS=$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print("%.2f" % (d["end"]["sum_received"]["bits_per_second"] / 1e9))' \
    "$LOGS/iperf3-client.json")
}

# start_profile REVERSE SNAP_A SNAP_B: perf records each side for DUR - 1 s (inside the counted
# seconds); then a JVM writes its perf map (jcmd Compiler.perfmap: the code of the recorded seconds,
# not what is left of it at exit) and the packets through the side's TUN since SNAP_* are noted;
# report_profiles LABEL KIND_A KIND_B turns them into the tables when the measurement is over
PROFILERS=""
start_profile() {
  local dir=ab side pid iface s0
  [ -z "$1" ] || dir=ba
  PROFILERS=""
  for side in A B; do
    if [ $side = A ]; then pid=$PID_A iface=$IFA s0=$2; else pid=$PID_B iface=$IFB s0=$3; fi
    (
      perf record -q -F $PROFILE_HZ -g -p "$pid" -o "$LOGS/perf-$dir-$side.data" -- sleep $((DUR > 2 ? DUR - 1 : 1)) \
        >/dev/null 2>&1 || true
      exe=$(readlink -f "/proc/$pid/exe" || true)
      if [ -x "${exe%/java}/jcmd" ]; then "${exe%/java}/jcmd" "$pid" Compiler.perfmap >/dev/null 2>&1 || true; fi
      echo "$pid ${s0#* } $(snap "$pid" "$iface" | cut -d' ' -f2)" >"$LOGS/perf-$dir-$side.packets"
    ) &
    PROFILERS="$PROFILERS $!"
  done
}

report_profiles() { # report_profiles LABEL KIND_A KIND_B
  local dir side kind pid p0 p1 go
  for dir in ab ba; do
    for side in A B; do
      [ -f "$LOGS/perf-$dir-$side.packets" ] || continue
      read -r pid p0 p1 <"$LOGS/perf-$dir-$side.packets"
      if [ $side = A ]; then kind=$2; else kind=$3; fi
      go=""
      [ "$kind" != wireguard-go ] || go=--go
      perf script -i "$LOGS/perf-$dir-$side.data" -F comm,tid,ip,sym,dso 2>/dev/null |
        python3 "$here/perf-stages.py" ${PROFILE_EXPLAIN:+--explain $PROFILE_EXPLAIN} --hz $PROFILE_HZ --packets $((p1 - p0)) $go \
          --label "$1 $( [ $dir = ab ] && echo 'A->B' || echo 'B->A'), side $side ($kind)" | sed 's/^/    /'
      if [ "${KEEP_LOGS:-0}" = 1 ]; then
        mv "$LOGS/perf-$dir-$side.data" "$LOGS/perf-${1//[^A-Za-z0-9.]/_}-$dir-$side.data"
        [ ! -f "/tmp/perf-$pid.map" ] || cp "/tmp/perf-$pid.map" "$LOGS/perf-${1//[^A-Za-z0-9.]/_}-$dir-$side.map"
      fi
      rm -f "$LOGS/perf-$dir-$side.data" "$LOGS/perf-$dir-$side.packets" "/tmp/perf-$pid.map"
    done
  done
}

# ---- the run --------------------------------------------------------------------------------------------
declare -A VALUES LABELS RESULT
KEYS=()

record_gbits() { # record_gbits KEY LABEL GBITS: one more value of KEY (one per round), and say it
  record "$@"
  echo "  $2: $3 Gbit/s"
}

record_cpu() { # record_cpu KEY: the CPU per packet of the last measurement, A's and B's
  local k
  for k in A B; do
    [ -n "${VALUES[$1.cpu$k]:-}" ] || CPU_KEYS+=("$1.cpu$k")
  done
  VALUES[$1.cpuA]="${VALUES[$1.cpuA]:-}${VALUES[$1.cpuA]:+ }$CPU_A"
  VALUES[$1.cpuB]="${VALUES[$1.cpuB]:-}${VALUES[$1.cpuB]:+ }$CPU_B"
  echo "    CPU per packet: A $CPU_A us, B $CPU_B us"
}
CPU_KEYS=()

median() { # median VALUE...
  python3 -c 'import statistics,sys; print("%.2f" % statistics.median(float(v) for v in sys.argv[1:]))' "$@"
}

jdk_label() {
  "$1/bin/java" -version 2>&1 | sed -n 's/.* version "\([^"]*\)".*/JDK \1/p' | head -n 1
}

tunnel_case() { # tunnel_case KEY LABEL KIND_A KIND_B JDK
  local key=$1 label=$2 kind_a=$3 kind_b=$4 jdk=${5:-}
  echo "== $label"
  start_impl $A $IFA "$kind_a" "$jdk"
  PID_A=$IMPL_PID
  start_impl $B $IFB "$kind_b" "$jdk"
  PID_B=$IMPL_PID
  configure_tunnel "$kind_a" "$kind_b"
  measure $TUN_B
  record_gbits "$key.ab" "$label A->B" "$GBITS"
  record_cpu "$key.ab"
  [ "$PROFILE" != 1 ] || report_profiles "$label" "$kind_a" "$kind_b"
  [ "$kind_a" != filtered ] || check_filter $IFA
  [ "$kind_b" != filtered ] || check_filter $IFB
  measure $TUN_B -R
  record_gbits "$key.ba" "$label B->A" "$GBITS"
  record_cpu "$key.ba"
  [ "$PROFILE" != 1 ] || report_profiles "$label" "$kind_a" "$kind_b"
  [ "$kind_a" != filtered ] || check_filter $IFA
  [ "$kind_b" != filtered ] || check_filter $IFB
  stop_impls
  PID_A=""
  PID_B=""
}

ratio() { # ratio NUMERATOR_KEY DENOMINATOR_KEY
  python3 -c "import sys; n, d = float(sys.argv[1]), float(sys.argv[2]); print('%.2f' % (n / d) if d > 0 else 'n/a')" \
    "${RESULT[$1]}" "${RESULT[$2]}"
}

filter_label() {
  if [ "$RULES" -gt 0 ]; then echo "ours+filter($RULES)"; else echo "ours via FilteredTunnel, no filter"; fi
}

make_namespaces
echo "tunnel-throughput: DUR=$DUR s, OMIT=$OMIT s, STREAMS=$STREAMS, ROUNDS=$ROUNDS, RULES=$RULES, PIN=$PIN, kernel $(uname -r), $(nproc) CPUs, wireguard-go $(wireguard-go --version 2>&1 | head -n 1)"

for c in $CASES; do
  case "$c" in a|b|c|d|e|f) ;; *) die "unknown case '$c' (a, b, c, d, e or f)" ;; esac
done
for round in $(seq "$ROUNDS"); do
  order=$CASES
  if [ $((round % 2)) = 0 ]; then order=$(echo "$CASES" | tr ' ' '\n' | tac | tr '\n' ' '); fi
  [ "$ROUNDS" = 1 ] || echo "==== round $round of $ROUNDS: $order"
  for c in $order; do
    case "$c" in
      a)
        echo "== plain veth"
        measure $UNDER_B
        record_gbits a "plain veth" "$GBITS" ;;
      b)
        tunnel_case b "wireguard-go <-> wireguard-go" wireguard-go wireguard-go ;;
      c|d|e|f)
        if [ -z "$ours" ]; then
          echo "== case $c skipped: no bin/wirehaven-wg (build distributions/server or set WIREHAVEN_HOME)"
          continue
        fi
        if [ "$c" = e ] || [ "$c" = f ]; then
          if [ -z "$filtered_cp" ]; then
            echo "== case $c skipped: no benchmarks/target/classes (./mvnw -B -o -q -f benchmarks/pom.xml package)"
            continue
          fi
        fi
        for jdk in $JDKS; do
          [ -x "$jdk/bin/java" ] || die "no java in $jdk"
          j="$(jdk_label "$jdk")"
          case "$c" in
            c) tunnel_case "c.$jdk" "ours ($j) <-> wireguard-go" ours wireguard-go "$jdk" ;;
            d) tunnel_case "d.$jdk" "ours <-> ours ($j)" ours ours "$jdk" ;;
            e) tunnel_case "e.$jdk" "$(filter_label) <-> same ($j)" filtered filtered "$jdk" ;;
            f) tunnel_case "f.$jdk" "$(filter_label) ($j) <-> wireguard-go" filtered wireguard-go "$jdk" ;;
          esac
        done ;;
    esac
  done
done

echo
if [ "$ROUNDS" = 1 ]; then
  echo "== results (DUR=$DUR s, OMIT=$OMIT s, STREAMS=$STREAMS)"
else
  echo "== results (DUR=$DUR s, OMIT=$OMIT s, STREAMS=$STREAMS): medians of $ROUNDS rounds, then each round's value"
fi
for key in "${KEYS[@]}"; do
  # shellcheck disable=SC2086
  RESULT[$key]=$(median ${VALUES[$key]})
  if [ "$ROUNDS" = 1 ]; then
    printf '%-52s %8s Gbit/s\n' "${LABELS[$key]}" "${RESULT[$key]}"
  else
    printf '%-52s %8s Gbit/s  (%s)\n' "${LABELS[$key]}" "${RESULT[$key]}" "${VALUES[$key]}"
  fi
done
[ "${#CPU_KEYS[@]}" = 0 ] ||
  echo "-- CPU per packet, us (each side's process, user + system, over the counted seconds / 1420-byte packets' worth of bytes through its TUN)"
for key in "${CPU_KEYS[@]}"; do
  # shellcheck disable=SC2086
  RESULT[$key]=$(median ${VALUES[$key]})
  base=${key%.cpu?}
  side=${key##*.cpu}
  if [ "$ROUNDS" = 1 ]; then
    printf '%-52s %8s us\n' "${LABELS[$base]}, side $side" "${RESULT[$key]}"
  else
    printf '%-52s %8s us  (%s)\n' "${LABELS[$base]}, side $side" "${RESULT[$key]}" "${VALUES[$key]}"
  fi
done
if [ -n "${RESULT[b.ab]:-}" ]; then
  for jdk in $JDKS; do
    for c in c d; do
      [ -n "${RESULT[$c.$jdk.ab]:-}" ] || continue
      printf '%-52s A->B %s  B->A %s\n' "ratio ours/wireguard-go, case $c ($(jdk_label "$jdk"))" \
        "$(ratio "$c.$jdk.ab" b.ab)" "$(ratio "$c.$jdk.ba" b.ba)"
    done
  done
fi
# filtered/unfiltered: medians over the rounds, and each round's own ratio (the two cases ran next
# to each other in that round)
round_ratios() { # round_ratios NUMERATOR_KEY DENOMINATOR_KEY
  python3 -c 'import sys
n, d = sys.argv[1].split(), sys.argv[2].split()
print(" ".join("%.2f" % (float(a) / float(b)) if float(b) > 0 else "n/a" for a, b in zip(n, d)))' \
    "${VALUES[$1]}" "${VALUES[$2]}"
}
for jdk in $JDKS; do
  for pair in "e d" "f c"; do
    set -- $pair
    [ -n "${RESULT[$1.$jdk.ab]:-}" ] && [ -n "${RESULT[$2.$jdk.ab]:-}" ] || continue
    what="filtered/unfiltered"
    [ "$RULES" -gt 0 ] || what="FilteredTunnel without filter/bin/wirehaven-wg"
    if [ "$ROUNDS" = 1 ]; then
      printf '%-52s A->B %s  B->A %s\n' "ratio $what, $1/$2 ($(jdk_label "$jdk"))" \
        "$(ratio "$1.$jdk.ab" "$2.$jdk.ab")" "$(ratio "$1.$jdk.ba" "$2.$jdk.ba")"
    else
      printf '%-52s A->B %s (%s)  B->A %s (%s)\n' "ratio $what, $1/$2 ($(jdk_label "$jdk"))" \
        "$(ratio "$1.$jdk.ab" "$2.$jdk.ab")" "$(round_ratios "$1.$jdk.ab" "$2.$jdk.ab")" \
        "$(ratio "$1.$jdk.ba" "$2.$jdk.ba")" "$(round_ratios "$1.$jdk.ba" "$2.$jdk.ba")"
    fi
    printf '%-52s A->B A %s B %s  B->A A %s B %s\n' "CPU/packet $what, $1/$2 ($(jdk_label "$jdk"))" \
      "$(ratio "$1.$jdk.ab.cpuA" "$2.$jdk.ab.cpuA")" "$(ratio "$1.$jdk.ab.cpuB" "$2.$jdk.ab.cpuB")" \
      "$(ratio "$1.$jdk.ba.cpuA" "$2.$jdk.ba.cpuA")" "$(ratio "$1.$jdk.ba.cpuB" "$2.$jdk.ba.cpuB")"
  done
done
