#!/usr/bin/env bash
# A real single-node Apache Kafka broker (KRaft, broker+controller) for local work and
# integration tests, without Docker: the broker jars come from Maven Central via mvn.
# It speaks only TLS with client certificates (mutual TLS) on both listeners, and authorizes
# every request with KRaft's StandardAuthorizer (no ACL = denied); ACLs: infra/kafka/acls.json.
#
#   bash infra/kafka/kafka.sh fetch|start|stop|status|reset
#
# Env: KAFKA_PORT (9092), KAFKA_CONTROLLER_PORT (KAFKA_PORT+1),
#      KAFKA_STATE_DIR (<repo>/tmp/kafka-<port>), KAFKA_TLS_DIR (<repo>/tmp/pki),
#      KAFKA_HEAP_OPTS (-Xms256m -Xmx512m),
#      KAFKA_START_TIMEOUT (90 seconds), KAFKA_VERSION (3.9.2; see README before changing).
# See infra/kafka/README.md.
set -euo pipefail

HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"

KAFKA_VERSION="${KAFKA_VERSION:-3.9.2}"
PORT="${KAFKA_PORT:-9092}"
case "$PORT" in '' | *[!0-9]*) echo "kafka: KAFKA_PORT must be a number, got '$PORT'" >&2; exit 2 ;; esac
CONTROLLER_PORT="${KAFKA_CONTROLLER_PORT:-$((PORT + 1))}"
case "$CONTROLLER_PORT" in '' | *[!0-9]*) echo "kafka: KAFKA_CONTROLLER_PORT must be a number, got '$CONTROLLER_PORT'" >&2; exit 2 ;; esac
STATE_DIR="${KAFKA_STATE_DIR:-$ROOT/tmp/kafka-$PORT}"
START_TIMEOUT="${KAFKA_START_TIMEOUT:-90}"
HEAP_OPTS="${KAFKA_HEAP_OPTS:--Xms256m -Xmx512m}"
# The platform PKI (infra/pki/dev-pki.ts): ca.crt is the only trusted issuer, kafka.crt/.key is
# the broker's identity, platform-admin.crt/.key is what the readiness probe presents.
PKI_DIR="${KAFKA_TLS_DIR:-$ROOT/tmp/pki}"

KAFKA_HOME="$ROOT/.tools/kafka-$KAFKA_VERSION"
LIBS="$KAFKA_HOME/libs"
LIBS_DONE="$LIBS/.complete"
DATA_DIR="$STATE_DIR/data"
LOG_DIR="$STATE_DIR/logs"
CONFIG="$STATE_DIR/server.properties"
PID_FILE="$STATE_DIR/kafka.pid"
OUT_FILE="$STATE_DIR/kafka.out"
# Kafka's file-based PEM key store wants key and chain in one file (KIP-651); written on start.
KEYSTORE="$STATE_DIR/tls/kafka-keystore.pem"
ADDR="127.0.0.1:$PORT"

say() { echo "kafka: $*"; }
die() { echo "kafka: $*" >&2; exit 1; }

require_java() {
  command -v java >/dev/null 2>&1 ||
    die "java not found — install a JDK 17+ (apt-get install openjdk-17-jre-headless) or set KAFKA_BROKERS to an existing broker"
  local v major
  v="$(java -version 2>&1 | sed -n 's/.*version "\([^"]*\)".*/\1/p' | head -n1)"
  major="${v%%.*}"
  [ "$major" = "1" ] && major="$(echo "$v" | cut -d. -f2)"
  case "$major" in '' | *[!0-9]*) return 0 ;; esac # unknown format: let the JVM decide
  [ "$major" -ge 11 ] ||
    die "java $v is too old — Kafka $KAFKA_VERSION needs Java 11+ (JDK 17 recommended: apt-get install openjdk-17-jre-headless) or set KAFKA_BROKERS to an existing broker"
}

require_mvn() {
  command -v mvn >/dev/null 2>&1 ||
    die "mvn not found — install Maven (apt-get install maven) to fetch the broker jars once, or set KAFKA_BROKERS to an existing broker"
}

# ---------------------------------------------------------------- fetch
cmd_fetch() {
  if [ -f "$LIBS_DONE" ]; then
    return 0
  fi
  require_java
  require_mvn
  say "fetching Apache Kafka $KAFKA_VERSION broker from Maven Central (first run only)..."
  mkdir -p "$ROOT/.tools"
  local tmp mlog
  tmp="$(mktemp -d "$ROOT/.tools/kafka-$KAFKA_VERSION.fetch.XXXXXX")"
  mlog="$tmp/mvn.log"
  # buildDirectory keeps Maven's scratch out of the source tree.
  if ! mvn -B -q -f "$HERE/pom.xml" \
    -Dkafka.version="$KAFKA_VERSION" \
    -Dproject.build.directory="$tmp/target" \
    dependency:copy-dependencies \
    -DincludeScope=runtime \
    -DoutputDirectory="$tmp/libs" >"$mlog" 2>&1; then
    tail -n 30 "$mlog" >&2
    rm -rf "$tmp"
    die "could not fetch Apache Kafka $KAFKA_VERSION with mvn (output above)"
  fi
  [ -n "$(ls "$tmp/libs"/kafka_2.13-"$KAFKA_VERSION".jar 2>/dev/null)" ] || {
    rm -rf "$tmp"
    die "mvn finished but kafka_2.13-$KAFKA_VERSION.jar is missing"
  }
  rm -rf "$KAFKA_HOME"
  mkdir -p "$KAFKA_HOME"
  mv "$tmp/libs" "$LIBS"
  rm -rf "$tmp"
  date -u +%FT%TZ >"$LIBS_DONE"
  say "fetched $(ls "$LIBS"/*.jar | wc -l | tr -d ' ') jars into ${LIBS#"$ROOT"/}"
}

# ---------------------------------------------------------------- helpers
# PID from the pid file when that process is alive and is our broker (not a reused PID).
live_pid() {
  [ -f "$PID_FILE" ] || return 1
  local pid
  pid="$(tr -dc '0-9' <"$PID_FILE")"
  [ -n "$pid" ] || return 1
  kill -0 "$pid" 2>/dev/null || return 1
  if [ -r "/proc/$pid/cmdline" ]; then
    tr '\0' ' ' <"/proc/$pid/cmdline" | grep -qF "kafka.Kafka $CONFIG" || return 1
  fi
  echo "$pid"
}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# Creates the PKI when a file the broker or the probe needs is missing (a CA and one
# certificate per workload; see infra/pki/README or scripts/certs.mjs).
ensure_pki() {
  local f missing=""
  for f in ca.crt kafka.crt kafka.key platform-admin.crt platform-admin.key; do
    [ -s "$PKI_DIR/$f" ] || missing="$missing $f"
  done
  [ -z "$missing" ] && return 0
  say "creating the platform PKI in ${PKI_DIR#"$ROOT"/} (missing:$missing)"
  bash "$ROOT/scripts/with-node.sh" node "$ROOT/scripts/certs.mjs" --dir "$PKI_DIR" >&2 ||
    die "could not create the PKI in $PKI_DIR (node scripts/certs.mjs --dir ...)"
}

write_keystore() {
  mkdir -p "$STATE_DIR/tls"
  chmod 700 "$STATE_DIR/tls"
  (umask 077 && cat "$PKI_DIR/kafka.key" "$PKI_DIR/kafka.crt" >"$KEYSTORE.tmp") && mv "$KEYSTORE.tmp" "$KEYSTORE"
}

# A real Kafka protocol round trip over mutual TLS: openssl presents the platform-admin
# certificate (a super user), verifies the broker's certificate against the platform CA and its
# IP SAN, sends a Metadata v0 request (all topics), and the answer must carry our correlation id
# and list at least one broker advertised as 127.0.0.1:<port>. No JVM start-up per poll.
# openssl runs as a coprocess so the probe ends as soon as the answer is read (the broker keeps
# the connection open); it is ended by its own PID.
probe() {
  local hex
  hex="$(timeout 5 bash -c '
    coproc TLS { exec openssl s_client -quiet -no_ign_eof -connect "127.0.0.1:$1" \
      -cert "$2/platform-admin.crt" -key "$2/platform-admin.key" -CAfile "$2/ca.crt" \
      -verify_return_error -verify_ip 127.0.0.1 -min_protocol TLSv1.2 2>/dev/null; }
    # A pipeline member cannot use the coprocess descriptors directly: copy them to plain ones.
    exec 3<&"${TLS[0]}" 4>&"${TLS[1]}"
    # size=22 | api_key=3 (Metadata) | api_version=0 | correlation_id=0x7a7a0001
    # | client_id="kafka.sh" | topics=[] (v0: empty array means all topics)
    printf "\x00\x00\x00\x16\x00\x03\x00\x00\x7a\x7a\x00\x01\x00\x08kafka.sh\x00\x00\x00\x00" >&4
    # size(4) correlation(4) broker_count(4) node_id(4) host_len(2) "127.0.0.1"(9) port(4)
    head -c 31 <&3 | od -An -tx1 -v
    kill "$TLS_PID" 2>/dev/null || true
  ' _ "$PORT" "$PKI_DIR" 2>/dev/null | tr -d ' \n')" || return 1
  local want_port
  want_port="$(printf '%08x' "$PORT")"
  # 8 hex size, then 7a7a0001, broker count >= 1, any node id, 0009 + "127.0.0.1", port
  [[ "$hex" =~ ^[0-9a-f]{8}7a7a0001([0-9a-f]{8})[0-9a-f]{8}00093132372e302e302e31${want_port}$ ]] || return 1
  [ "$((16#${BASH_REMATCH[1]}))" -ge 1 ]
}

log_tail() {
  echo "---- last lines of $LOG_DIR/server.log ----" >&2
  tail -n 40 "$LOG_DIR/server.log" 2>/dev/null >&2 || echo "(no server.log)" >&2
  if [ -s "$OUT_FILE" ]; then
    echo "---- last lines of $OUT_FILE (JVM stdout/stderr) ----" >&2
    tail -n 20 "$OUT_FILE" >&2
  fi
}

write_config() {
  cat >"$CONFIG" <<EOF
# Written by infra/kafka/kafka.sh on every start; edits here are overwritten.
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$CONTROLLER_PORT
# TLS only: the client listener, the controller listener and the broker's own traffic to its
# controller. There is no PLAINTEXT listener at all.
listeners=BROKER://127.0.0.1:$PORT,CONTROLLER://127.0.0.1:$CONTROLLER_PORT
advertised.listeners=BROKER://127.0.0.1:$PORT
controller.listener.names=CONTROLLER
inter.broker.listener.name=BROKER
listener.security.protocol.map=BROKER:SSL,CONTROLLER:SSL
# PEM key and trust stores (KIP-651): the broker's certificate and key, and the platform CA as the
# only trusted issuer. Every peer must present a certificate from it (mutual TLS).
ssl.keystore.type=PEM
ssl.keystore.location=$KEYSTORE
ssl.truststore.type=PEM
ssl.truststore.location=$PKI_DIR/ca.crt
ssl.client.auth=required
ssl.enabled.protocols=TLSv1.3,TLSv1.2
ssl.protocol=TLSv1.3
ssl.endpoint.identification.algorithm=https
# Principal = the workload name from the certificate subject CN=<name>,OU=workloads,O=bank.example
# (Java prints the RDNs in the certificate's own order, so both orders are accepted). No DEFAULT
# rule: a certificate with any other subject does not authenticate at all.
ssl.principal.mapping.rules=RULE:^CN=([a-z0-9-]+),OU=workloads,O=bank[.]example\$/\$1/,RULE:^O=bank[.]example,OU=workloads,CN=([a-z0-9-]+)\$/\$1/
# Every request is authorized against the ACLs in the cluster metadata; none found = denied.
authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer
allow.everyone.if.no.acl.found=false
# The broker itself (controller traffic) and the operator identity that applies the ACLs.
super.users=User:kafka;User:platform-admin
log.dirs=$DATA_DIR
# Single node: every internal topic with one replica, few partitions (fast group joins).
num.partitions=1
default.replication.factor=1
offsets.topic.replication.factor=1
offsets.topic.num.partitions=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
transaction.state.log.num.partitions=1
# The platform's topics are created by the platform admin with the ACLs (infra/kafka/acls.json).
# Creating a topic on first use needs the CREATE permission too, which only super users hold.
auto.create.topics.enable=true
group.initial.rebalance.delay.ms=0
num.network.threads=2
num.io.threads=2
num.recovery.threads.per.data.dir=1
log.retention.hours=24
EOF
}

format_storage() {
  if [ -f "$DATA_DIR/meta.properties" ]; then
    return 0
  fi
  # Random cluster id: a Kafka Uuid is 16 random bytes, URL-safe base64 without padding.
  # (Kafka's own generator also avoids a leading '-' so the id is never read as a flag.)
  local id=""
  while [ -z "$id" ] || [ "${id:0:1}" = "-" ]; do
    id="$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n')"
  done
  say "formatting KRaft storage in ${DATA_DIR#"$ROOT"/} (cluster id $id)"
  if ! java -Xmx256m -cp "$LIBS/*" \
    -Dlog4j.configuration="file:$HERE/log4j.properties" -Dkafka.logs.dir="$LOG_DIR" \
    kafka.tools.StorageTool format -t "$id" -c "$CONFIG" >"$STATE_DIR/format.out" 2>&1; then
    cat "$STATE_DIR/format.out" >&2
    die "formatting the KRaft storage failed (see above)"
  fi
}

wait_ready() {
  local pid="$1" deadline=$((SECONDS + START_TIMEOUT))
  while :; do
    if probe; then
      return 0
    fi
    if ! kill -0 "$pid" 2>/dev/null; then
      rm -f "$PID_FILE"
      # The JVM is this script's own background job: its exit status says how it ended.
      local code=0
      wait "$pid" 2>/dev/null || code=$?
      if [ "$code" -gt 128 ] && [ ! -s "$OUT_FILE" ]; then
        # Killed by a signal without a word of its own (seen once in CI on a loaded machine):
        # nothing of its own went wrong, so the caller may start it again.
        echo "kafka: broker process $pid was killed by signal $((code - 128)) during start-up, without an error of its own" >&2
        return 3
      fi
      log_tail
      die "broker process $pid exited during start-up with status $code (log tail above)"
    fi
    if [ "$SECONDS" -ge "$deadline" ]; then
      log_tail
      echo "kafka: broker (pid $pid) did not answer on $ADDR within ${START_TIMEOUT}s (log tail above); stopping it" >&2
      stop_pid "$pid" >/dev/null
      rm -f "$PID_FILE"
      exit 1
    fi
    sleep 0.5
  done
}

# ---------------------------------------------------------------- start
cmd_start() {
  require_java
  cmd_fetch
  mkdir -p "$STATE_DIR" "$DATA_DIR" "$LOG_DIR"

  local pid
  if pid="$(live_pid)"; then
    if probe; then
      say "already running and answering on $ADDR (pid $pid)"
      return 0
    fi
    say "pid $pid is alive but not answering yet; waiting..."
    wait_ready "$pid"
    say "ready on $ADDR (pid $pid)"
    return 0
  fi
  rm -f "$PID_FILE"

  port_open "$PORT" && die "port $PORT on 127.0.0.1 is already taken by another process (not this state dir's broker) — choose another KAFKA_PORT"
  port_open "$CONTROLLER_PORT" && die "controller port $CONTROLLER_PORT on 127.0.0.1 is already taken — choose another KAFKA_CONTROLLER_PORT"

  ensure_pki
  write_keystore
  write_config
  format_storage

  local started=$SECONDS attempt
  for attempt in 1 2; do
    launch_broker
    say "starting broker on $ADDR (pid $pid, logs in ${LOG_DIR#"$ROOT"/}/server.log)..."
    if wait_ready "$pid"; then
      say "ready on $ADDR (pid $pid) after $((SECONDS - started))s"
      return 0
    fi
    [ "$attempt" = 1 ] && say "starting it once more"
  done
  die "the broker was killed twice during start-up"
}

# Starts the JVM in the background and sets `pid` to its process id.
launch_broker() {
  # setsid: the broker leaves the caller's process group (a Ctrl-C or a job kill of the
  # caller does not take it down half-way); `stop` ends it by PID. The inner shell writes
  # its own PID and execs java, so the pid file holds the JVM's PID.
  local detach=()
  command -v setsid >/dev/null 2>&1 && detach=(setsid) # not on macOS: then plain background
  # shellcheck disable=SC2086
  "${detach[@]}" bash -c 'echo $$ >"$1"; shift; exec "$@"' _ "$PID_FILE" \
    java $HEAP_OPTS \
    -server -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:InitiatingHeapOccupancyPercent=35 \
    -XX:+ExplicitGCInvokesConcurrent -XX:+ExitOnOutOfMemoryError -Djava.awt.headless=true \
    -Dlog4j.configuration="file:$HERE/log4j.properties" -Dkafka.logs.dir="$LOG_DIR" \
    -cp "$LIBS/*" kafka.Kafka "$CONFIG" \
    </dev/null >"$OUT_FILE" 2>&1 &
  local i=0
  while [ ! -s "$PID_FILE" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
  pid="$(tr -dc '0-9' <"$PID_FILE" 2>/dev/null || true)"
  [ -n "$pid" ] || die "could not start the broker (no pid written)"
}

# ---------------------------------------------------------------- stop
# TERM (Kafka shuts down cleanly), wait up to 20 s, then KILL.
stop_pid() {
  local pid="$1" i=0
  kill -TERM "$pid" 2>/dev/null || return 0
  while kill -0 "$pid" 2>/dev/null && [ $i -lt 100 ]; do sleep 0.2; i=$((i + 1)); done
  if kill -0 "$pid" 2>/dev/null; then
    echo "kafka: pid $pid still alive after 20s; sending KILL" >&2
    kill -KILL "$pid" 2>/dev/null || true
    i=0
    while kill -0 "$pid" 2>/dev/null && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
  fi
}

cmd_stop() {
  local pid
  if pid="$(live_pid)"; then
    stop_pid "$pid"
    rm -f "$PID_FILE"
    say "stopped (pid $pid)"
  else
    rm -f "$PID_FILE"
    say "not running (${STATE_DIR#"$ROOT"/})"
  fi
}

cmd_status() {
  local pid
  if pid="$(live_pid)"; then
    if probe; then
      say "running on $ADDR (pid $pid)"
      return 0
    fi
    say "pid $pid is alive but not answering on $ADDR (starting, or stuck: see $LOG_DIR/server.log)"
    return 1
  fi
  say "stopped (no broker for ${STATE_DIR#"$ROOT"/})"
  return 1
}

cmd_reset() {
  cmd_stop
  case "$STATE_DIR" in
    "" | / | "$ROOT" | "$HOME") die "refusing to delete state dir '$STATE_DIR'" ;;
  esac
  rm -rf "$STATE_DIR"
  say "deleted ${STATE_DIR#"$ROOT"/}"
}

case "${1:-}" in
  fetch) cmd_fetch; say "Apache Kafka $KAFKA_VERSION jars in ${LIBS#"$ROOT"/}" ;;
  start) cmd_start ;;
  stop) cmd_stop ;;
  status) cmd_status ;;
  reset) cmd_reset ;;
  *)
    echo "usage: bash infra/kafka/kafka.sh fetch|start|stop|status|reset" >&2
    echo "  env: KAFKA_PORT (9092) KAFKA_CONTROLLER_PORT (port+1) KAFKA_STATE_DIR (tmp/kafka-<port>) KAFKA_TLS_DIR (tmp/pki)" >&2
    exit 2
    ;;
esac
