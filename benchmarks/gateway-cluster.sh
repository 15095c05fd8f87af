#!/usr/bin/env bash
#
# Several gateway nodes on one PostgreSQL (issue 13): how evenly placement spreads new sessions over
# the nodes, what the clients notice when the database's primary crashes and its streaming standby is
# promoted, and how long a client's traffic stops when the node that carries it is killed with
# kill -9, with no new login.
#
#   ns wh-cluster (its own loopback; the host's network, routes, firewall and DNS are never touched)
#   +----------------------------------------------------------------------------------------------+
#   | PostgreSQL 127.0.0.1:5432 (throwaway cluster, run as 'postgres', role wirehaven, SCRAM)        |
#   |   \-- WAL stream --> standby 127.0.0.1:5433 (PROMOTE=1; hot standby until promoted)           |
#   |      ^ ^ ^  users, sessions, peers, heartbeats (gateway_nodes), change log + LISTEN/NOTIFY    |
#   |      (store url jdbc:postgresql://127.0.0.1:5432,127.0.0.1:5433/wirehaven: the primary of both) |
#   | n1: bin/wirehaven --no-shell   HTTPS 127.0.0.1:8441   WireGuard whcl1 UDP 51821  10.64.0.1/20 |
#   | n2: bin/wirehaven --no-shell   HTTPS 127.0.0.1:8442   WireGuard whcl2 UDP 51822  10.64.0.1/20 |
#   | n3: bin/wirehaven --no-shell   HTTPS 127.0.0.1:8443   WireGuard whcl3 UDP 51823  10.64.0.1/20 |
#   |      ^ control API of n1 only             ^ tunnels on all three (placement)                 |
#   | load generator (one JVM, benchmarks.jar): CLIENTS x WirehavenClient.connect() on MemoryPlatform |
#   |   (in-memory TUN, real UDP socket per client), every client through n1's control API          |
#   +----------------------------------------------------------------------------------------------+
#
# 1. Placement. Every client logs in through n1; at its server config each session's tunnel goes to
#    the live node with the most headroom (bundles/sessions, "Several gateway nodes"), recorded in
#    sessions.gateway. Printed: sessions per node from the database
#      SELECT gateway, count(*) FROM sessions WHERE closed_at IS NULL GROUP BY gateway
#    (and as the clients see it, by the WireGuard endpoint they were given), and the largest deviation
#    from an even share in percent; the issue's goal is within +-10 %.
#    What one machine means for this: headroom is the smaller of a node's free session slots
#    (1 - sessions/node.capacity) and its idle CPU (1 - the JVM's CPU use over all cores, averaged over
#    about 10 s, as its heartbeat reports it). Here the three nodes, PostgreSQL and the load generator
#    share the same CPUs, and n1, which runs every login (TLS, token check, the control calls), burns
#    far more CPU than n2 and n3:
#    while the clients arrive, n1's CPU term can be the smaller one, and n2 and n3 then take the new
#    sessions until their free slots fall to n1's idle CPU. With CAPACITY=100 and 300 clients the
#    session term falls to ~0 for every node by the end, so it decides the last placements and the
#    counts come back to even unless n1 stays above ~90 % CPU; with a large CAPACITY (say 1000) the CPU
#    term decides throughout and n1 ends with fewer sessions. That is the design (CPU is headroom
#    too), not an error of the count; on separate machines n1's share would depend on its own CPU alone.
#    Sessions placed at the same moment read the same counts, so a burst (RAMP=0) can overshoot one
#    node by about the number of concurrent setups; RAMP spreads the arrivals.
# 2. Primary promotion (PROMOTE=1). PROMOTION_CLIENTS clients, taken in turn from every node, probe
#    every PROBE_MS ms through their tunnels (as in 3.) for PROBE_WARMUP s; then the primary crashes
#    (pg_ctl -m immediate stop: every backend killed, no checkpoint) and the standby is promoted
#    (pg_ctl -w promote, which returns once it takes writes). The nodes' store URL names both servers
#    and the store asks for the primary (targetServerType=primary, hostRecheckSeconds=2), so they find
#    the promoted one by themselves. Printed: (a) per probing client the longest silence between two
#    answers from the crash until 10 s after the promotion, the median and the max; a silence over 1 s
#    is a tunnel drop (goal: none; the same clients' longest silence before the crash is printed beside
#    it); (b) how many of all clients are still ACTIVE with the session id they had, how many said
#    'Connection lost' and 'Reconnected: session' meanwhile, and the logins after the crash:
#    'Authenticated as' / new-session events of all clients, and in the database new session rows and
#    'authenticated as' events of the load clients (goal: 0); (c) the time from
#    pg_ctl promote returning (and from the crash) until a new client's whole login through n1's
#    control API works, retried every 150 ms (the server answers 503 while its store is away; goal
#    <= 10 s); and when every node beat in gateway_nodes on the promoted server. The psql of the load
#    generator names both servers with target_session_attrs=read-write: its counts after the promotion
#    come from the new primary (the port is printed).
# 3. Failover gap. FAILOVER_CLIENTS clients that the placement put on KILL (default n2) send an ICMP
#    echo request every PROBE_MS ms through their tunnels to 10.64.0.1, the interface address that every
#    node has, and the namespace's kernel answers it through the interface it came in on (see "reply
#    path" below). The node's JVM is killed with SIGKILL; per client the gap is the time from the last
#    answer before the outage to the first answer after it (through the node the client moved to): the
#    longest silence between two answers that ends after the kill, so that replies still on their way
#    when the node died (a few ms after the kill) do not count as the end of the outage. The
#    client SDK notices the silent gateway (GatewayWatch, 2.5-3.5 s) and moves to the next gateway of
#    its list with the same session (Failover). Printed: each client's gap, the median, the max (goal
#    <= 5 s) and the logins after the kill: "Authenticated as" events of all clients, new sessions, and
#    in the database new session rows and 'authenticated as' events (goal: 0).
#    Reply path: the three interfaces carry the same 10.64.0.1/20, so the main table's route to a
#    client's address names one of them only. Inside the namespace nftables marks what each interface
#    receives (iifname whclN -> mark N), net.ipv4.fwmark_reflect=1 gives the kernel's echo reply the
#    request's mark, and 'ip rule fwmark N lookup 10N' sends it back out of whclN, to that node's
#    WireGuard device and the client's peer there.
#
# Environment:
#   CLIENTS=300            clients, all connected through n1's control API
#   NODES=3                gateway nodes (n1..nN)
#   CAPACITY=100           node.capacity of every node
#   RAMP=30                seconds over which the clients' starts are spread; 0 = all at once
#   PROMOTE=1              a streaming standby on 127.0.0.1:5433 and the promotion part (before the kill);
#                          0 = one PostgreSQL server, no promotion
#   PROMOTION_CLIENTS=10   clients (spread over the nodes) that probe through their tunnels in the promotion part
#   KILL=n2                the node killed for the failover part; 'none' = no failover part
#   FAILOVER_CLIENTS=10    clients of that node that probe through their tunnels
#   PROBE_MS=50            milliseconds between two probes of one client
#   PROBE_WARMUP=12        seconds the probes run before the kill. The SDK's GatewayWatch can take a flow's
#                          first seconds for a silence (it counts the silence from the last packet received,
#                          which on a tunnel idle until then is long ago) and probe once; an answered probe
#                          holds the next one off for 10 s, and a kill within those 10 s is then found after
#                          ~10 s, not 2.5-3.5 s (benchmarks/README.md). 12 s lets that hold-off run out;
#                          PROBE_WARMUP=1 measures a flow that has just started
#   FAILOVER_WAIT=60       seconds to wait after the kill for every probing client's answers
#   JDK                    the JDK of the nodes and the load generator (default $JAVA_HOME, else 'java' on PATH)
#   WIREHAVEN_HOME         the unpacked server distribution (default distributions/server/target/wirehaven-server-*/)
#   SERVER_OPTS            extra JVM options of each node (WIREHAVEN_OPTS)
#   LOAD_OPTS              extra JVM options of the load generator
#   KEEP=1                 keep the temporary directory (node copies, logs, PostgreSQL log) and print its path
#
# Needs root, iproute2 (ip, ss), nft, wg, runuser, PostgreSQL's server binaries (Debian: apt-get install
# postgresql; initdb, pg_ctl and pg_basebackup from /usr/lib/postgresql/<major>/bin), psql, and
# benchmarks/target/benchmarks.jar:  ./mvnw -B -o -q -f benchmarks/pom.xml package
# Touches only the namespace it creates and deletes, the nodes' UAPI sockets in /var/run/wireguard
# (whcl1..N), and temporary directories; all of it (both PostgreSQL servers too) goes on exit, also on
# error or Ctrl-C.
set -euo pipefail

CLIENTS=${CLIENTS:-300}
NODES=${NODES:-3}
CAPACITY=${CAPACITY:-100}
RAMP=${RAMP:-30}
KILL=${KILL:-n2}
FAILOVER_CLIENTS=${FAILOVER_CLIENTS:-10}
PROBE_MS=${PROBE_MS:-50}
PROBE_WARMUP=${PROBE_WARMUP:-12}
FAILOVER_WAIT=${FAILOVER_WAIT:-60}
PROMOTE=${PROMOTE:-1}
PROMOTION_CLIENTS=${PROMOTION_CLIENTS:-10}
NS=wh-cluster
IFACE_PREFIX=whcl
SUBNET=10.64.0.0/20
PG_PORT=5432
STANDBY_PORT=5433
here="$(cd -P "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
JAR="$here/target/benchmarks.jar"
WORK="$(mktemp -d /tmp/gateway-cluster.XXXXXX)"
PGHOME=""
STANDBY_HOME=""
PGBIN=""
LOAD_PID=""
declare -a NODE_PIDS=()

die() { echo "gateway-cluster: $*" >&2; exit 1; }

for tool in ip wg ss nft runuser psql setsid; do
  command -v "$tool" >/dev/null 2>&1 || die "$tool is not installed"
done
[ "$(id -u)" = 0 ] || die "needs root (network namespace, TUN devices, PostgreSQL as the postgres user)"
id postgres >/dev/null 2>&1 || die "no 'postgres' system user (the postgresql package creates it)"
[ -f "$JAR" ] || die "no $JAR; build it: ./mvnw -B -o -q -f benchmarks/pom.xml package"
[ "$NODES" -ge 2 ] && [ "$NODES" -le 9 ] || die "NODES must be 2..9"
[ "$PROMOTE" = 0 ] || [ "$PROMOTE" = 1 ] || die "PROMOTE must be 0 or 1"
for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r) /usr/local/bin; do
  if [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ] && [ -x "$d/pg_basebackup" ]; then PGBIN=$d; break; fi
done
[ -n "$PGBIN" ] || die "no PostgreSQL server binaries (initdb, pg_ctl, pg_basebackup); Debian: apt-get install postgresql"

if [ -z "${JDK:-}" ]; then
  if [ -n "${JAVA_HOME:-}" ]; then
    JDK="$JAVA_HOME"
  else
    JDK="$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")"
  fi
fi
[ -x "$JDK/bin/java" ] || die "no java in $JDK"

if [ -n "${WIREHAVEN_HOME:-}" ]; then
  dist="$WIREHAVEN_HOME"
else
  dist=""
  for d in "$here"/../distributions/server/target/wirehaven-server-*/; do
    [ -x "$d/bin/wirehaven" ] && dist="$(cd -P "$d" && pwd)"
  done
fi
[ -n "$dist" ] && [ -x "$dist/bin/wirehaven" ] || die "no server distribution (build distributions/server or set WIREHAVEN_HOME)"
ls "$dist"/bundle/wirehaven-store-postgres-*.jar >/dev/null 2>&1 \
  || die "$dist has no store-postgres bundle: rebuild distributions/server"

# ---- tear-down -------------------------------------------------------------------------------------------
stop_nodes() {
  local pid i
  for pid in "${NODE_PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for i in $(seq 300); do
    local alive=0
    for pid in "${NODE_PIDS[@]}"; do kill -0 "$pid" 2>/dev/null && alive=1; done
    [ $alive = 0 ] && break
    sleep 0.1
  done
  for pid in "${NODE_PIDS[@]}"; do kill -KILL "$pid" 2>/dev/null || true; done
  NODE_PIDS=()
}

pg() { # runs a PostgreSQL program as the postgres user from its own directory (it may not read ours)
  (cd "$PGHOME" && runuser -u postgres -- "$@")
}

cleanup() {
  local n
  if [ -n "$LOAD_PID" ]; then kill -KILL "$LOAD_PID" 2>/dev/null || true; fi
  stop_nodes
  # the standby first: stopped after its primary it would only try to reconnect meanwhile
  if [ -n "$STANDBY_HOME" ] && [ -f "$STANDBY_HOME/data/postmaster.pid" ]; then
    pg "$PGBIN/pg_ctl" -D "$STANDBY_HOME/data" -m immediate -w stop >/dev/null 2>&1 || true
  fi
  if [ -n "$PGHOME" ] && [ -f "$PGHOME/data/postmaster.pid" ]; then
    pg "$PGBIN/pg_ctl" -D "$PGHOME/data" -m immediate -w stop >/dev/null 2>&1 || true
  fi
  ip netns del $NS 2>/dev/null || true
  for n in $(seq "$NODES"); do
    rm -f "/var/run/wireguard/$IFACE_PREFIX$n.sock" "/var/run/wireguard/$IFACE_PREFIX$n.stats"
  done
  if [ -n "$PGHOME" ]; then
    if [ "${KEEP:-0}" = 1 ] && [ -f "$PGHOME/server.log" ]; then cp "$PGHOME/server.log" "$WORK/postgres.log"; fi
    rm -rf "$PGHOME"
  fi
  if [ -n "$STANDBY_HOME" ]; then
    if [ "${KEEP:-0}" = 1 ] && [ -f "$STANDBY_HOME/server.log" ]; then
      cp "$STANDBY_HOME/server.log" "$WORK/postgres-standby.log"
    fi
    rm -rf "$STANDBY_HOME"
  fi
  if [ "${KEEP:-0}" = 1 ]; then echo "gateway-cluster: kept $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

jdk_label() {
  "$JDK/bin/java" -version 2>&1 | sed -n 's/.* version "\([^"]*\)".*/JDK \1/p' | head -n 1
}

# ---- the namespace ----------------------------------------------------------------------------------------
ip netns del $NS 2>/dev/null || true
ip netns add $NS
ip -n $NS link set lo up
# replies leave through the interface their request came in on (header: "reply path"); all inside $NS
ip netns exec $NS sysctl -q -w net.ipv4.fwmark_reflect=1
ip netns exec $NS sysctl -q -w net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.default.rp_filter=0
ip netns exec $NS nft add table ip gateway_cluster
ip netns exec $NS nft 'add chain ip gateway_cluster prerouting { type filter hook prerouting priority mangle; }'
for n in $(seq "$NODES"); do
  ip netns exec $NS nft add rule ip gateway_cluster prerouting iifname "\"$IFACE_PREFIX$n\"" meta mark set "$n"
  ip -n $NS rule add fwmark "$n" lookup $((100 + n))
done
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

# ---- PostgreSQL -------------------------------------------------------------------------------------------
PGHOME="$(mktemp -d /tmp/gateway-cluster-pg.XXXXXX)"
chown postgres: "$PGHOME"
DB_PASSWORD="$(head -c 24 /dev/urandom | base64 | tr -d '\n/+=')"
pg "$PGBIN/initdb" -D "$PGHOME/data" -U postgres --auth-local=trust --auth-host=reject -E UTF8 --locale=C \
  --no-sync >"$WORK/initdb.log" 2>&1 || { cat "$WORK/initdb.log" >&2; die "initdb failed"; }
# appended settings win; durability off because the data is thrown away
cat >>"$PGHOME/data/postgresql.conf" <<EOF
listen_addresses = '127.0.0.1'
port = $PG_PORT
unix_socket_directories = '$PGHOME'
password_encryption = 'scram-sha-256'
max_connections = 200
fsync = off
synchronous_commit = off
full_page_writes = off
# a standby may stream from it (PROMOTE=1; 15's defaults, stated so that a changed default does not break it)
wal_level = replica
max_wal_senders = 4
hot_standby = on
EOF
cat >"$PGHOME/data/pg_hba.conf" <<EOF
local all postgres trust
local replication postgres trust
host wirehaven wirehaven 127.0.0.1/32 scram-sha-256
EOF
ip netns exec $NS runuser -u postgres -- sh -c 'cd "$1" && exec "$2/pg_ctl" -D "$1/data" -l "$1/server.log" -w -t 60 start' \
  sh "$PGHOME" "$PGBIN" >"$WORK/pg_ctl.log" 2>&1 || { cat "$WORK/pg_ctl.log" "$PGHOME/server.log" >&2; die "PostgreSQL did not start"; }
PSQL="cd $PGHOME && runuser -u postgres -- psql -h $PGHOME -p $PG_PORT -U postgres -X -At -v ON_ERROR_STOP=1"
sh -c "$PSQL -d postgres -q" <<EOF
CREATE ROLE wirehaven LOGIN PASSWORD '$DB_PASSWORD';
CREATE DATABASE wirehaven OWNER wirehaven;
EOF
echo "postgres: $(sh -c "$PSQL -d wirehaven -c 'SHOW server_version'") in $PGHOME, namespace $NS 127.0.0.1:$PG_PORT"
STORE_URL="jdbc:postgresql://127.0.0.1:$PG_PORT/wirehaven"

# ---- its streaming standby (PROMOTE=1) ----------------------------------------------------------------------
if [ "$PROMOTE" = 1 ]; then
  STANDBY_HOME="$(mktemp -d /tmp/gateway-cluster-pg-standby.XXXXXX)"
  chown postgres: "$STANDBY_HOME"
  # a base backup over the primary's unix socket; -R writes standby.signal and primary_conninfo (that socket)
  pg "$PGBIN/pg_basebackup" -h "$PGHOME" -p $PG_PORT -U postgres -D "$STANDBY_HOME/data" -R -X stream -c fast \
    --no-sync >"$WORK/pg_basebackup.log" 2>&1 || { cat "$WORK/pg_basebackup.log" >&2; die "pg_basebackup failed"; }
  # appended after the primary's lines, which the backup copied: these win
  cat >>"$STANDBY_HOME/data/postgresql.conf" <<EOF
# gateway-cluster.sh: the standby
listen_addresses = '127.0.0.1'
port = $STANDBY_PORT
unix_socket_directories = '$STANDBY_HOME'
EOF
  ip netns exec $NS runuser -u postgres -- sh -c 'cd "$1" && exec "$2/pg_ctl" -D "$1/data" -l "$1/server.log" -w -t 60 start' \
    sh "$STANDBY_HOME" "$PGBIN" >"$WORK/pg_ctl-standby.log" 2>&1 \
    || { cat "$WORK/pg_ctl-standby.log" "$STANDBY_HOME/server.log" >&2; die "the standby did not start"; }
  streaming=0
  for i in $(seq 300); do
    streaming=$(sh -c "$PSQL -d postgres -c \"SELECT count(*) FROM pg_stat_replication WHERE state = 'streaming'\"" 2>/dev/null || echo 0)
    [ "$streaming" = 1 ] && break
    sleep 0.2
  done
  [ "$streaming" = 1 ] || { tail -n 20 "$STANDBY_HOME/server.log" >&2; die "the standby does not stream from the primary"; }
  echo "postgres: standby in $STANDBY_HOME, namespace $NS 127.0.0.1:$STANDBY_PORT, streaming from the primary"
  # from here on psql asks both servers for the one that takes writes: the primary, after the promotion the
  # standby (libpq: a host list and target_session_attrs; the load generator counts with it after the promotion)
  PSQL="cd $PGHOME && runuser -u postgres -- env PGTARGETSESSIONATTRS=read-write psql -h $PGHOME,$STANDBY_HOME"
  PSQL="$PSQL -p $PG_PORT,$STANDBY_PORT -U postgres -X -At -v ON_ERROR_STOP=1"
  # the store adds targetServerType=primary to a URL with several hosts
  STORE_URL="jdbc:postgresql://127.0.0.1:$PG_PORT,127.0.0.1:$STANDBY_PORT/wirehaven"
fi

# ---- the nodes ------------------------------------------------------------------------------------------------
TOKEN="$(head -c 32 /dev/urandom | base64 | tr -d '\n')"
printf '%s\n' "$TOKEN" >"$WORK/token"
TOKEN_HASH="$(printf %s "$TOKEN" | sha256sum | cut -d' ' -f1)"

https_port() { echo $((8440 + $1)); }
http_port() { echo $((18080 + $1)); }
wg_port() { echo $((51820 + $1)); }

make_node() {
  local n=$1 srv="$WORK/n$1" iface="$IFACE_PREFIX$1"
  cp -a "$dist/." "$srv"
  find "$srv/data" -mindepth 1 -delete
  # only the policy engine stays of the hot-deployed bundles: the probes need an allowing policy
  find "$srv/deploy" -name '*.jar' ! -name 'wirehaven-policy-acl-*' -delete
  cp "$srv"/plugins/examples/wirehaven-example-auth-static-token-*.jar "$srv/deploy/"
  printf 'tokens=["load:%s:"]\n' "$TOKEN_HASH" >"$srv/etc/dev.wirehaven.example.auth.statictoken.config"
  sed -i 's/^wirehaven.store=embedded$/wirehaven.store=postgres/' "$srv/etc/config.properties"
  grep -q '^wirehaven.store=postgres$' "$srv/etc/config.properties" || die "could not select the postgres store in $srv/etc/config.properties"
  install -m 600 /dev/null "$srv/etc/db.password"
  printf '%s\n' "$DB_PASSWORD" >"$srv/etc/db.password"
  cat >"$srv/etc/dev.wirehaven.store.postgres.cfg" <<EOF
# gateway-cluster.sh: the throwaway PostgreSQL in namespace $NS
url = $STORE_URL
user = wirehaven
password.file = etc/db.password
EOF
  cat >"$srv/etc/dev.wirehaven.wireguard.interface-$iface.cfg" <<EOF
# gateway-cluster.sh: node n$n's interface, inside namespace $NS
name = $iface
listenPort = $(wg_port "$n")
addresses = 10.64.0.1/20
EOF
  cat >"$srv/etc/dev.wirehaven.server.sessions.cfg" <<EOF
# gateway-cluster.sh: node n$n of $NODES on one store
interface = $iface
subnet.v4 = $SUBNET
routes = $SUBNET
endpoint = 127.0.0.1:$(wg_port "$n")
node.name = n$n
node.control.url = https://127.0.0.1:$(https_port "$n")
node.capacity = $CAPACITY
# all clients of the load generator are devices of one user from one source address (see session-load.sh,
# LIMITS=open): the limits per user and per address, meant for one person and one abusive host, are raised
user.sessions.max = 10000
auth.failures = 1000
request.rate = 1000000
request.burst = 100000
pending.max.source = 100000
auth.verify.queue = 100000
EOF
}

start_node() {
  local n=$1 srv="$WORK/n$1"
  ( cd "$srv" && exec ip netns exec $NS setsid env JAVA_HOME="$JDK" WIREHAVEN_OPTS="${SERVER_OPTS:-}" \
      WIREHAVEN_HTTPS_PORT="$(https_port "$n")" WIREHAVEN_HTTP_PORT="$(http_port "$n")" \
      bin/wirehaven --no-shell ) >"$WORK/n$n.log" 2>&1 &
  # ip netns exec, setsid, env and bin/wirehaven all exec: the pid is the JVM's once it runs
  NODE_PIDS[$n]=$!
  # the failover part kills one on purpose: no job report from bash for it
  disown "$!"
}

await_node() {
  local n=$1 srv="$WORK/n$1" log="$WORK/n$1.log" pid=${NODE_PIDS[$1]} i
  for i in $(seq 1800); do
    kill -0 "$pid" 2>/dev/null || { tail -n 40 "$log" >&2; die "node n$n exited during start"; }
    if [ -s "$srv/data/tls/fingerprint" ] && ip -n $NS link show "$IFACE_PREFIX$n" >/dev/null 2>&1 \
        && ip netns exec $NS ss -ltnH "sport = :$(https_port "$n")" 2>/dev/null | grep -q . \
        && grep -q "as gateway node n$n\b" "$log" 2>/dev/null \
        && [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = java ]; then
      # the reply path of the probes (header): what came in on whclN leaves through whclN
      ip -n $NS route replace "$SUBNET" dev "$IFACE_PREFIX$n" table $((100 + n))
      return 0
    fi
    sleep 0.1
  done
  tail -n 40 "$log" >&2
  die "node n$n was not ready within 180 s (log: $log)"
}

echo "gateway-cluster: $(nproc) CPUs ($(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)),"\
  "$(free -g | awk '/^Mem:/ {print $2}') GiB, kernel $(uname -r), $(jdk_label), load $(cut -d' ' -f1-3 /proc/loadavg),"\
  "distribution $dist"
for n in $(seq "$NODES"); do make_node "$n"; done
# n1 first: it makes the cluster's TLS key, which every node must present (clients pin one fingerprint)
start_node 1
await_node 1
for n in $(seq 2 "$NODES"); do
  mkdir -p -m 700 "$WORK/n$n/data"
  cp -a "$WORK/n1/data/tls" "$WORK/n$n/data/tls"
  start_node "$n"
done
for n in $(seq 2 "$NODES"); do await_node "$n"; done
for i in $(seq 100); do
  live=$(sh -c "$PSQL -d wirehaven -c \"SELECT count(*) FROM gateway_nodes WHERE heartbeat_at > now() - interval '5 seconds'\"" 2>/dev/null || echo 0)
  [ "$live" = "$NODES" ] && break
  sleep 0.2
done
[ "$live" = "$NODES" ] || die "only $live of $NODES nodes beat in gateway_nodes"
for n in $(seq "$NODES"); do
  echo "node n$n: pid ${NODE_PIDS[$n]}, https://127.0.0.1:$(https_port "$n"), WireGuard $IFACE_PREFIX$n 127.0.0.1:$(wg_port "$n")," \
    "$(grep -o 'TLS certificate SHA-256 fingerprint.*' "$WORK/n$n.log" | head -n 1 | cut -c1-60)..."
done

# ---- the load generator -------------------------------------------------------------------------------------
node_args=()
for n in $(seq "$NODES"); do node_args+=(--node "n$n,127.0.0.1:$(wg_port "$n"),${NODE_PIDS[$n]}"); done
read -r -a load_opts <<< "${LOAD_OPTS:-}"
promotion_args=()
if [ "$PROMOTE" = 1 ]; then
  promotion_args=(--crash-primary "cd $PGHOME && runuser -u postgres -- $PGBIN/pg_ctl -D $PGHOME/data -m immediate -w stop"
    --promote "cd $STANDBY_HOME && runuser -u postgres -- $PGBIN/pg_ctl -D $STANDBY_HOME/data -w -t 60 promote"
    --promotion-clients "$PROMOTION_CLIENTS")
fi
out="$WORK/load.txt"
: >"$out"
# its temporary files (the clients' known-servers file, which a client's move may write again after the
# generator deleted it) land in the work directory, which goes on exit
ip netns exec $NS "$JDK/bin/java" -Djava.io.tmpdir="$WORK" "${load_opts[@]}" -cp "$JAR" \
    dev.wirehaven.benchmarks.cluster.GatewayCluster \
    --server "https://127.0.0.1:$(https_port 1)" --fingerprint-file "$WORK/n1/data/tls/fingerprint" \
    --token-file "$WORK/token" --clients "$CLIENTS" --ramp "$RAMP" "${node_args[@]}" "${promotion_args[@]}" \
    --psql "$PSQL -d wirehaven -c" --kill "$KILL" --failover-clients "$FAILOVER_CLIENTS" \
    --probe-target 10.64.0.1 --probe-interval "$PROBE_MS" --probe-warmup "$PROBE_WARMUP" --failover-wait "$FAILOVER_WAIT" >"$out" 2>&1 &
LOAD_PID=$!
tail -n +1 -f --pid="$LOAD_PID" "$out" || true
if ! wait "$LOAD_PID"; then
  LOAD_PID=""
  KEEP=1
  die "the load generator failed (node logs: $WORK/n*.log)"
fi
LOAD_PID=""

errors=""
for n in $(seq "$NODES"); do
  c=$(grep -c ' ERROR ' "$WORK/n$n.log" || true)
  if [ "$c" != 0 ]; then
    echo "node n$n: $c ERROR lines, the first:"
    grep -m 3 -A 10 ' ERROR ' "$WORK/n$n.log" | head -n 40
    errors="$errors n$n:$c"
  fi
done

echo
echo "======== gateway-cluster results ($NODES nodes, node.capacity $CAPACITY, $(jdk_label), $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg))"
sed -n '/^== result$/,$p' "$out" | tail -n +2
if [ -n "$errors" ]; then echo "node log ERROR lines:$errors"; fi
