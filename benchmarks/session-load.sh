#!/usr/bin/env bash
#
# Session setup under load (issue 4): many clients built on the client SDK run the whole connection
# flow against one server at once, with real HTTPS and real WireGuard handshakes over loopback UDP.
#
#   ns wh-load (its own loopback; the host's network is never touched)
#   +------------------------------------------------------------------------------------------+
#   | server: a copy of the distribution      load generator (one JVM, benchmarks.jar):         |
#   |   bin/wirehaven --no-shell               N x WirehavenClient.connect() on MemoryPlatform   |
#   |   HTTPS control API 127.0.0.1:8443  <----  (in-memory TUN, real UDP socket per client)     |
#   |   WireGuard whload0 UDP 51820      <~~~~~  handshake per client                            |
#   |   10.64.0.1/20 (TUN inside the ns)                                                         |
#   +------------------------------------------------------------------------------------------+
#
# Cases (AUTH):
#   token     the example plugin's static-token method (plugins/examples/...auth-static-token), CLIENTS
#             clients: the session flow itself, without a slow password hash. The SDK answers 'password'
#             whenever the server offers it, so this case also keeps the built-in password provider
#             unbound (a DS target filter in etc/, see below): the server then offers static-token only.
#   password  local users (Argon2id, ~30 ms and 19 MiB per verification, one per CPU at a time),
#             PASSWORD_CLIENTS clients: shows what the password hash costs under a burst.
# Each case gets a fresh copy of the distribution and a fresh server. What each run prints ends with
# an "== result" block; the last lines of this script repeat those blocks.
#
# Environment:
#   AUTH="token password"   the cases to run, in order
#   CLIENTS=1000            clients of the token case
#   PASSWORD_CLIENTS=200    clients of the password case
#   RAMP=0                  seconds over which the clients' starts are spread evenly; 0 = all at once
#   LIMITS=open             'open': the session flow's per-source limits and its credential check queue are
#                           raised for the run (every client comes from 127.0.0.1, so the defaults of
#                           request.rate, request.burst and pending.max.source, meant for one abusive host,
#                           would refuse nearly all of them, and auth.verify.queue [32] would answer a
#                           burst of logins 503 busy); 'default': the shipped defaults
#   RUNS=1                  runs of each case, each with a fresh copy of the distribution and a fresh server
#                           (the burst goal is "no failure in 10 of 10 runs": RUNS=10 AUTH=token DRAIN=0)
#   CONNECTORS              threads calling connect (default: one per client)
#   WARMUP=300              clients connected and disconnected first, not measured (JIT, pools)
#   HOLD=5                  seconds the sessions stay idle before the server's heap is measured
#   DRAIN=100               after the disconnects, seconds to wait for the server's idle timeout (90 s) to
#                           close the clients' HTTPS connections, which tells the heap of a connection from
#                           that of a session; 0 = skip (then only the total per idle session is printed)
#   JDK                     the JDK for server and load generator (default $JAVA_HOME, else 'java' on PATH)
#   WIREHAVEN_HOME          the unpacked server distribution (default distributions/server/target/wirehaven-server-*/)
#   SERVER_OPTS             extra JVM options of the server (WIREHAVEN_OPTS), e.g. JFR:
#                           "-XX:StartFlightRecording=filename=/tmp/server.jfr,settings=profile"
#   LOAD_OPTS               extra JVM options of the load generator
#   KEEP=1                  keep the temporary directory (server copy, logs) and print its path
#
# Needs root, iproute2 (ip, ss), wg, and benchmarks/target/benchmarks.jar:
#   ./mvnw -B -o -q -f benchmarks/pom.xml package
# Touches only the namespace it creates and deletes (also on error or Ctrl-C), and a temporary directory.
set -euo pipefail

AUTH=${AUTH:-token password}
CLIENTS=${CLIENTS:-1000}
PASSWORD_CLIENTS=${PASSWORD_CLIENTS:-200}
RAMP=${RAMP:-0}
RUNS=${RUNS:-1}
LIMITS=${LIMITS:-open}
WARMUP=${WARMUP:-300}
HOLD=${HOLD:-5}
DRAIN=${DRAIN:-100}
NS=wh-load
IFACE=whload0
HTTPS_PORT=8443
here="$(cd -P "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
JAR="$here/target/benchmarks.jar"
WORK="$(mktemp -d /tmp/session-load.XXXXXX)"
SERVER_PID=""
LOAD_PID=""

die() { echo "session-load: $*" >&2; exit 1; }

for tool in ip wg ss setsid getconf; do
  command -v "$tool" >/dev/null 2>&1 || die "$tool is not installed"
done
[ "$(id -u)" = 0 ] || die "needs root (network namespace, TUN device)"
[ -f "$JAR" ] || die "no $JAR; build it: ./mvnw -B -o -q -f benchmarks/pom.xml package"

if [ -z "${JDK:-}" ]; then
  if [ -n "${JAVA_HOME:-}" ]; then
    JDK="$JAVA_HOME"
  else
    JDK="$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")"
  fi
fi
[ -x "$JDK/bin/java" ] || die "no java in $JDK"
[ -x "$JDK/bin/jcmd" ] || die "no jcmd in $JDK (a JDK is needed, not a JRE)"

if [ -n "${WIREHAVEN_HOME:-}" ]; then
  dist="$WIREHAVEN_HOME"
else
  dist=""
  for d in "$here"/../distributions/server/target/wirehaven-server-*/; do
    [ -x "$d/bin/wirehaven" ] && dist="$(cd -P "$d" && pwd)"
  done
fi
[ -n "$dist" ] && [ -x "$dist/bin/wirehaven" ] || die "no server distribution (build distributions/server or set WIREHAVEN_HOME)"

# ---- set-up and tear-down -----------------------------------------------------------------------------
stop_server() {
  local i
  [ -n "$SERVER_PID" ] || return 0
  kill -TERM "$SERVER_PID" 2>/dev/null || { SERVER_PID=""; return 0; }
  for i in $(seq 300); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$SERVER_PID" 2>/dev/null || true
  SERVER_PID=""
}

cleanup() {
  if [ -n "$LOAD_PID" ]; then kill -KILL "$LOAD_PID" 2>/dev/null || true; fi
  stop_server
  ip netns del $NS 2>/dev/null || true
  rm -f /var/run/wireguard/$IFACE.sock
  if [ "${KEEP:-0}" = 1 ]; then echo "session-load: kept $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

ip netns del $NS 2>/dev/null || true
ip netns add $NS
ip -n $NS link set lo up
# every client holds a UDP socket and a TCP connection, the server one TCP connection per client
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
[ "$(ulimit -n)" = unlimited ] || [ "$(ulimit -n)" -ge $((3 * CLIENTS + 2000)) ] \
  || echo "session-load: warning: only $(ulimit -n) open files allowed (ulimit -n) for $CLIENTS clients" >&2

jdk_label() {
  "$JDK/bin/java" -version 2>&1 | sed -n 's/.* version "\([^"]*\)".*/JDK \1/p' | head -n 1
}

# ---- one case -------------------------------------------------------------------------------------------
# write_configs DIR AUTH: the interface, a /20 pool (1,000 clients do not fit the default /24) and the auth
write_configs() {
  local srv=$1 auth=$2
  cat >"$srv/etc/dev.wirehaven.wireguard.interface-$IFACE.cfg" <<EOF
# session-load.sh: the interface of the sessions, inside namespace $NS
name = $IFACE
listenPort = 51820
addresses = 10.64.0.1/20
EOF
  cat >"$srv/etc/dev.wirehaven.server.sessions.cfg" <<EOF
# session-load.sh: the defaults, except the interface, a pool for more than 1,000 clients, and room
# for every client's session under one user (the load generator logs them all in as one user)
interface = $IFACE
subnet.v4 = 10.64.0.0/20
user.sessions.max = 100000
EOF
  if [ "$LIMITS" = open ]; then
    cat >>"$srv/etc/dev.wirehaven.server.sessions.cfg" <<EOF
# LIMITS=open: all clients of the load generator share one source address
request.rate = 1000000
request.burst = 100000
pending.max.source = 100000
auth.verify.queue = 100000
EOF
  fi
  if [ "$auth" = token ]; then
    local token hash
    token="$(head -c 32 /dev/urandom | base64 | tr -d '\n')"
    printf '%s\n' "$token" >"$WORK/token"
    hash="$(printf %s "$token" | sha256sum | cut -d' ' -f1)"
    cp "$srv"/plugins/examples/wirehaven-example-auth-static-token-*.jar "$srv/deploy/"
    # the plugin's configuration as its README shows it
    printf 'tokens=["load:%s:"]\n' "$hash" >"$srv/etc/dev.wirehaven.example.auth.statictoken.config"
  else
    head -c 24 /dev/urandom | base64 | tr -d '\n' >"$WORK/password"
    echo >>"$WORK/password"
    JAVA_HOME="$JDK" "$srv/bin/wirehaven" user add load --password-file "$WORK/password" >"$WORK/user-add.log" 2>&1 \
      || { cat "$WORK/user-add.log" >&2; die "could not add the user 'load'"; }
  fi
}

start_server() {
  local srv=$1 log=$2 i
  ( cd "$srv" && exec ip netns exec $NS setsid env JAVA_HOME="$JDK" WIREHAVEN_OPTS="${SERVER_OPTS:-}" \
      WIREHAVEN_HTTPS_PORT=$HTTPS_PORT bin/wirehaven --no-shell ) >"$log" 2>&1 &
  SERVER_PID=$!
  # ip netns exec, setsid, env and bin/wirehaven all exec: the pid is the JVM's once it runs
  for i in $(seq 1200); do
    kill -0 "$SERVER_PID" 2>/dev/null || { tail -n 30 "$log" >&2; die "the server exited during start"; }
    if [ -s "$srv/data/tls/fingerprint" ] && ip -n $NS link show $IFACE >/dev/null 2>&1 \
        && ip netns exec $NS ss -ltnH "sport = :$HTTPS_PORT" 2>/dev/null | grep -q . \
        && grep -q "Session" "$log" 2>/dev/null && [ "$(cat "/proc/$SERVER_PID/comm" 2>/dev/null)" = java ]; then
      return 0
    fi
    sleep 0.1
  done
  tail -n 30 "$log" >&2
  die "the server was not ready within 120 s (log: $log)"
}

RESULTS=()
run_case() {
  local auth=$1 clients=$2 run=$3 srv="$WORK/server-$1" log="$WORK/server-$1-$3.log" out="$WORK/load-$1-$3.txt"
  local cred errors=""
  echo
  echo "######## case $auth, run $run of $RUNS: $clients clients, RAMP=$RAMP s, LIMITS=$LIMITS, $(jdk_label)"
  rm -rf "$srv"
  cp -a "$dist/." "$srv"
  find "$srv/data" -mindepth 1 -delete
  find "$srv/deploy" -name '*.jar' -delete
  write_configs "$srv" "$auth"
  start_server "$srv" "$log"
  echo "server: pid $SERVER_PID, $(grep -o 'TLS certificate SHA-256 fingerprint.*' "$log" | head -n 1 | cut -c1-60)..."
  if [ "$auth" = token ]; then cred=(--token-file "$WORK/token"); else cred=(--password-file "$WORK/password"); fi
  read -r -a load_opts <<< "${LOAD_OPTS:-}"
  : >"$out"
  ip netns exec $NS "$JDK/bin/java" --add-opens java.base/sun.nio.ch=ALL-UNNAMED "${load_opts[@]}" \
      -cp "$JAR" dev.wirehaven.benchmarks.sessions.SessionLoad \
      --server "https://127.0.0.1:$HTTPS_PORT" --fingerprint-file "$srv/data/tls/fingerprint" "${cred[@]}" \
      --clients "$clients" --ramp "$RAMP" ${CONNECTORS:+--connectors "$CONNECTORS"} --warmup "$WARMUP" \
      --hold "$HOLD" --drain "$DRAIN" --server-pid "$SERVER_PID" --jcmd "$JDK/bin/jcmd" --interface $IFACE \
      --clk-tck "$(getconf CLK_TCK)" >"$out" 2>&1 &
  LOAD_PID=$!
  tail -n +1 -f --pid="$LOAD_PID" "$out" || true
  if ! wait "$LOAD_PID"; then
    LOAD_PID=""
    KEEP=1
    die "the load generator failed (server log: $log)"
  fi
  LOAD_PID=""
  if grep -q ' ERROR ' "$log"; then
    # with the stack trace of the first ones: the server's errors are findings of the run
    echo "server errors: $(grep -c ' ERROR ' "$log") (the first, with what follows them; all in $log with KEEP=1):"
    grep -A 40 ' ERROR ' "$log" | head -n 120
    errors="server log ERROR lines: $(grep -c ' ERROR ' "$log"), e.g. $(grep ' ERROR ' "$log" | head -n 1 | cut -c1-200)"
  fi
  stop_server
  RESULTS+=("== $auth, run $run of $RUNS, $clients clients, RAMP=$RAMP s, LIMITS=$LIMITS, $(jdk_label)")
  while IFS= read -r line; do RESULTS+=("$line"); done < <(sed -n '/^== result$/,$p' "$out" | tail -n +2)
  if [ -n "$errors" ]; then RESULTS+=("$errors"); fi
}

echo "session-load: $(nproc) CPUs ($(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)),"\
  "$(free -g | awk '/^Mem:/ {print $2}') GiB, kernel $(uname -r), $(jdk_label), distribution $dist"
for a in $AUTH; do
  for r in $(seq "$RUNS"); do
    case "$a" in
      token) run_case token "$CLIENTS" "$r" ;;
      password) run_case password "$PASSWORD_CLIENTS" "$r" ;;
      *) die "unknown AUTH case '$a' (token or password)" ;;
    esac
  done
done

echo
echo "======== session-load results"
printf '%s\n' "${RESULTS[@]}"
