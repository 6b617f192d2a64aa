#!/usr/bin/env bash
# Login throughput: POST /auth/login with the right password (Argon2id verify + token issue) and with a wrong one,
# for the default Argon2id cost and any other costs given in COSTS. Loopback only, bounded, stops what it starts.
# Usage: bench/login.sh        knobs: DURATION (10) CONNS (8) COSTS ("19456:2:1 65536:3:1") JAR PG_URL
set -uo pipefail
BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$BENCH_DIR/.." && pwd)
DURATION=${DURATION:-10}
CONNS=${CONNS:-8}
COSTS=${COSTS:-"19456:2:1 65536:3:1"}
JAR=${JAR:-$ROOT/target/junction.jar}
PG_URL=${PG_URL:-postgresql://postgres@127.0.0.1:5432/postgres}
say() { printf '[%s] %s\n' "$(date +%T)" "$*" >&2; }
command -v wrk >/dev/null || { say "installing wrk"; (apt-get install -y wrk >/dev/null 2>&1 || sudo apt-get install -y wrk >/dev/null 2>&1) || { say "wrk missing"; exit 1; }; }
[[ -f $JAR ]] || (cd "$ROOT" && mvn -B -q package -DskipTests) || { say "build failed"; exit 1; }
TMP=$(mktemp -d); PID=""
cleanup() { [[ -n $PID ]] && kill "$PID" 2>/dev/null && wait "$PID" 2>/dev/null; rm -rf "$TMP"; }
trap cleanup EXIT INT TERM
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
DB="junction_login_bench_$$"
psql "$PG_URL" -qc "CREATE DATABASE $DB" >/dev/null 2>&1 || { say "needs a Postgres at $PG_URL (PG_URL=...)"; exit 1; }
trap 'cleanup; psql "$PG_URL" -qc "DROP DATABASE IF EXISTS $DB" >/dev/null 2>&1' EXIT INT TERM
for cost in $COSTS; do
  IFS=: read -r MEM ITER PAR <<<"$cost"
  PUB=$(free_port); ADM=$(free_port)
  psql "$PG_URL" -qc "DROP DATABASE IF EXISTS $DB" -c "CREATE DATABASE $DB" >/dev/null
  (cd "$TMP" && JUNCTION_STORAGE_URL="${PG_URL%/*}/$DB" JUNCTION_HTTP_PUBLIC_HOST=127.0.0.1 JUNCTION_HTTP_ADMIN_HOST=127.0.0.1 \
     JUNCTION_HTTP_PUBLIC_PORT=$PUB JUNCTION_HTTP_ADMIN_PORT=$ADM JUNCTION_HTTP_ACCESSLOG=false JUNCTION_LOGGING_LEVEL=WARN \
     JUNCTION_IDENTITY_BOOTSTRAPADMIN_EMAIL=bench@junction.test JUNCTION_IDENTITY_BOOTSTRAPADMIN_PASSWORD=bench-password-123 \
     JUNCTION_IDENTITY_PASSWORD_ARGON2_MEMORYKIB=$MEM JUNCTION_IDENTITY_PASSWORD_ARGON2_ITERATIONS=$ITER JUNCTION_IDENTITY_PASSWORD_ARGON2_PARALLELISM=$PAR \
     JUNCTION_IDENTITY_LOGIN_MAXFAILURESPERACCOUNT=1000 JUNCTION_IDENTITY_LOGIN_MAXFAILURESPERIP=100000 \
     exec java -jar "$JAR" >"$TMP/junction.log" 2>&1) &
  PID=$!
  for _ in $(seq 1 120); do curl -sf "http://127.0.0.1:$ADM/health/ready" >/dev/null && break; sleep 0.5; done
  curl -sf "http://127.0.0.1:$ADM/health/ready" >/dev/null || { say "Junction did not get ready"; tail -20 "$TMP/junction.log"; exit 1; }
  for pw in bench-password-123 wrong-password-1; do
    cat >"$TMP/login.lua" <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"email":"bench@junction.test","password":"$pw"}'
LUA
    wrk -t1 -c"$CONNS" -d3s -s "$TMP/login.lua" "http://127.0.0.1:$PUB/auth/login" >/dev/null 2>&1
    OUT=$(wrk -t1 -c"$CONNS" -d"${DURATION}s" --latency -s "$TMP/login.lua" "http://127.0.0.1:$PUB/auth/login" 2>&1)
    RPS=$(awk '/Requests\/sec/ {print $2}' <<<"$OUT")
    P50=$(awk '$1 == "50%" {print $2}' <<<"$OUT")
    NON2XX=$(awk '/Non-2xx/ {print $5}' <<<"$OUT")
    printf 'argon2id m=%sKiB t=%s p=%s  %-14s %8s req/s  p50 %-8s non-2xx %s  (%d cores, %d conns)\n' \
      "$MEM" "$ITER" "$PAR" "$([[ $pw == bench* ]] && echo right-password || echo wrong-password)" "$RPS" "$P50" "${NON2XX:-0}" "$(nproc)" "$CONNS"
  done
  kill "$PID"; wait "$PID" 2>/dev/null; PID=""
done
