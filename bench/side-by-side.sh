#!/usr/bin/env bash
# Two Junctions from the same jar, running at once and measured alternately on /plain: settings A against
# settings B without the ±10% that separates two fresh JVMs on these machines (JIT decisions). Each side gets its
# own environment (JUNCTION_* variables), e.g. tracing off against tracing at 1%:
#   A_ENV="" B_ENV="JUNCTION_TRACING_ENABLED=true JUNCTION_TRACING_EXPORTER=none JUNCTION_TRACING_SAMPLERATIO=0.01" bench/side-by-side.sh
# or two jars: A_JAR=old.jar B_JAR=target/junction.jar bench/side-by-side.sh
# Needs wrk, nginx and a PostgreSQL at 127.0.0.1:5432 (trust); bench/gateway.sh installs wrk and nginx.
# Loopback only, bounded in time; stops everything it started, also on Ctrl-C.
set -uo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
A_ENV=${A_ENV:-}; B_ENV=${B_ENV:-}
A_JAR=${A_JAR:-$ROOT/target/junction.jar}; B_JAR=${B_JAR:-$A_JAR}
ROUNDS=${ROUNDS:-5}; DURATION=${DURATION:-10}; WARMUP=${WARMUP:-25}; CONNS=${CONNS:-64}; EVENT_LOOPS=${EVENT_LOOPS:-1}
PG_HOST=${PG_HOST:-127.0.0.1}; PG_PORT=${PG_PORT:-5432}; PG_USER=${PG_USER:-postgres}

die() { echo "side-by-side: $*" >&2; exit 1; }
for tool in wrk nginx psql java curl; do command -v "$tool" >/dev/null || die "$tool is missing (bench/gateway.sh installs wrk and nginx)"; done
for jar in "$A_JAR" "$B_JAR"; do [[ -f $jar ]] || die "no jar at $jar (mvn -B package -DskipTests)"; done
for n in ROUNDS DURATION WARMUP CONNS EVENT_LOOPS; do [[ ${!n} =~ ^[1-9][0-9]*$ ]] || die "$n must be a whole number >= 1"; done

TMP=$(mktemp -d /tmp/junction-sbs.XXXXXX); PIDS=(); DBS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; done
  [[ -f $TMP/nginx.pid ]] && kill "$(cat "$TMP/nginx.pid")" 2>/dev/null
  sleep 1
  for db in "${DBS[@]}"; do psql -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -d postgres -qc "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1; done
  rm -rf "$TMP"
}
trap cleanup EXIT; trap 'exit 130' INT TERM
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

UP=$(free_port)
mkdir -p "$TMP/nginx"
cat >"$TMP/nginx.conf" <<EOF
worker_processes 1;
pid $TMP/nginx.pid;
error_log $TMP/nginx/error.log warn;
events { worker_connections 8192; }
http {
  access_log off;
  client_body_temp_path $TMP/nginx; proxy_temp_path $TMP/nginx; fastcgi_temp_path $TMP/nginx; uwsgi_temp_path $TMP/nginx; scgi_temp_path $TMP/nginx;
  keepalive_requests 10000000;
  server { listen 127.0.0.1:$UP backlog=4096; location / { default_type text/plain; return 200 "$(printf '%0256d' 0)"; } }
}
EOF
nginx -c "$TMP/nginx.conf" -p "$TMP/nginx" || die "nginx did not start"

START_PID=""; START_PORT=""
start() {  # side env jar -> START_PID, START_PORT
  local side=$1 env=$2 jar=$3 port admin db
  port=$(free_port); admin=$(free_port); db="junction_sbs_$$_${side,,}"
  DBS+=("$db")
  psql -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -d postgres -qc "CREATE DATABASE $db" >/dev/null || die "cannot create database $db"
  cat >"$TMP/$side.yaml" <<EOF
http:
  public: { host: 127.0.0.1, port: $port }
  admin: { host: 127.0.0.1, port: $admin }
  accessLog: false
storage:
  url: "postgresql://$PG_USER@$PG_HOST:$PG_PORT/$db"
logging: { format: text, level: WARN }
gateway:
  routes:
    - id: plain
      uri: http://127.0.0.1:$UP
      predicates: [ "Path=/plain/**" ]
EOF
  # shellcheck disable=SC2086
  (cd "$TMP" && exec env $env JUNCTION_CONFIG="$TMP/$side.yaml" JUNCTION_VERTX_EVENTLOOPS="$EVENT_LOOPS" java -jar "$jar" >"$TMP/$side.log" 2>&1) &
  START_PID=$!
  PIDS+=("$START_PID")
  for _ in $(seq 90); do curl -sf -o /dev/null "http://127.0.0.1:$port/plain/x" && { START_PORT=$port; return; }; sleep 1; done
  die "Junction $side did not answer in 90 s: $(tail -3 "$TMP/$side.log")"
}
start A "$A_ENV" "$A_JAR"; PA=$START_PID; PORTA=$START_PORT
start B "$B_ENV" "$B_JAR"; PB=$START_PID; PORTB=$START_PORT

ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
HZ=$(getconf CLK_TCK)
run() {  # pid port seconds -> "req/s cpu%"
  local t0 t1 out rps
  t0=$(ticks "$1")
  out=$(timeout $(($3 + 20)) wrk -t1 -c"$CONNS" -d"${3}s" "http://127.0.0.1:$2/plain/x")
  t1=$(ticks "$1")
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  echo "${rps:-0} $(awk -v a="$t0" -v b="$t1" -v d="$3" -v hz="$HZ" 'BEGIN { printf "%.0f", (b - a) * 100 / hz / d }')"
}

echo "A: ${A_ENV:-(no extra env)} $A_JAR"
echo "B: ${B_ENV:-(no extra env)} $B_JAR"
echo "warm-up ${WARMUP}s each, then $ROUNDS alternating rounds of ${DURATION}s, wrk -t1 -c$CONNS, $EVENT_LOOPS event loop(s), $(nproc) cores"
run "$PA" "$PORTA" "$WARMUP" >/dev/null; run "$PB" "$PORTB" "$WARMUP" >/dev/null
SUM=(0 0 0 0)
for r in $(seq "$ROUNDS"); do
  read -r ra ca < <(run "$PA" "$PORTA" "$DURATION"); read -r rb cb < <(run "$PB" "$PORTB" "$DURATION")
  pa=$(awk -v r="$ra" -v c="$ca" 'BEGIN { printf "%.0f", (c > 0 ? r * 100 / c : 0) }'); pb=$(awk -v r="$rb" -v c="$cb" 'BEGIN { printf "%.0f", (c > 0 ? r * 100 / c : 0) }')
  printf 'round %d   A %9.1f req/s  %3d%% CPU  %6d per core    B %9.1f req/s  %3d%% CPU  %6d per core\n' "$r" "$ra" "$ca" "$pa" "$rb" "$cb" "$pb"
  if (( r > 1 || ROUNDS == 1 )); then SUM=($(awk -v s="${SUM[*]}" -v a="$ra" -v b="$rb" -v x="$pa" -v y="$pb" 'BEGIN { split(s, v, " "); print v[1] + a, v[2] + b, v[3] + x, v[4] + y }')); fi
done
WHICH=$( (( ROUNDS > 1 )) && echo "rounds 2..$ROUNDS (round 1 still warms the JIT)" || echo "round 1")
awk -v s="${SUM[*]}" -v n=$((ROUNDS > 1 ? ROUNDS - 1 : 1)) -v which="$WHICH" 'BEGIN { split(s, v, " ");
  printf "mean of %s: A %.0f req/s, B %.0f req/s -> B/A %.3f raw; per core A %.0f, B %.0f -> B/A %.3f\n",
    which, v[1] / n, v[2] / n, v[2] / v[1], v[3] / n, v[4] / n, v[4] / v[3] }'
