#!/usr/bin/env bash
# Routes module benchmark (bench/routes.md): admin API reads of one route warm (served by the cache) against
# cold (one Postgres query per request), and the time from a committed PUT to the new behaviour on the proxy.
# Loopback only, bounded in time; stops what it started (by pid), also on Ctrl-C.
# Usage: bench/routes.sh      knobs: DURATION (s per wrk run), CONNECTIONS, ROUNDS (PUTs timed), JAR, BUILD_DIR
set -uo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$BENCH_DIR/.." && pwd)
DURATION=${DURATION:-10}
WARMUP=${WARMUP:-5}
CONNECTIONS=${CONNECTIONS:-32}
ROUNDS=${ROUNDS:-20}
BUILD_DIR=${BUILD_DIR:-$ROOT/target}
JAR=${JAR:-$BUILD_DIR/junction.jar}
JAVA=${JAVA:-java}

say() { printf '[%s] %s\n' "$(date +%T)" "$*" >&2; }
die() { say "FAILED: $*"; exit 1; }
for tool in wrk nginx curl jq "$JAVA"; do command -v "$tool" >/dev/null || die "$tool is needed"; done
[[ -f $JAR ]] || die "no $JAR: build it with mvn -B -q package -DskipTests -Djunction.buildDir=$BUILD_DIR"

TMP=$(mktemp -d -t junction-routes-bench.XXXXXX); JPID=""; NPID=""
cleanup() {
  trap - INT TERM EXIT
  [[ -n $JPID ]] && kill -TERM "$JPID" 2>/dev/null && wait "$JPID" 2>/dev/null
  [[ -n $NPID ]] && kill -TERM "$NPID" 2>/dev/null
  rm -rf "$TMP"
}
trap cleanup EXIT
trap 'say "interrupted"; exit 130' INT TERM

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
UP=$(free_port); PUB=$(free_port); ADM=$(free_port)

# An upstream that says which version of the route sent the request (the X-Rev header the route adds).
cat > "$TMP/nginx.conf" <<EOF
worker_processes 1; daemon off; pid $TMP/nginx.pid; error_log $TMP/nginx.err;
events { worker_connections 1024; }
http { access_log off;
  server { listen 127.0.0.1:$UP; location / { return 200 "rev=\$http_x_rev\n"; } } }
EOF
nginx -c "$TMP/nginx.conf" -p "$TMP" & NPID=$!

printf 'gateway: {routes: []}\n' > "$TMP/junction.yaml"
say "starting Junction (embedded Postgres in $TMP/pg)"
JUNCTION_CONFIG=$TMP/junction.yaml JUNCTION_HTTP_PUBLIC_HOST=127.0.0.1 JUNCTION_HTTP_ADMIN_HOST=127.0.0.1 \
JUNCTION_HTTP_PUBLIC_PORT=$PUB JUNCTION_HTTP_ADMIN_PORT=$ADM JUNCTION_STORAGE_EMBEDDED_DATADIR=$TMP/pg \
JUNCTION_IDENTITY_BOOTSTRAPADMIN_EMAIL=bench@junction.local JUNCTION_IDENTITY_BOOTSTRAPADMIN_PASSWORD=bench-password-123 \
JUNCTION_HTTP_ACCESSLOG=false JUNCTION_LOGGING_LEVEL=WARN \
  "$JAVA" -jar "$JAR" > "$TMP/junction.log" 2>&1 & JPID=$!
for _ in $(seq 1 240); do
  curl -sf "http://127.0.0.1:$ADM/health/ready" >/dev/null && break
  kill -0 "$JPID" 2>/dev/null || die "Junction exited: $(tail -5 "$TMP/junction.log")"
  sleep 0.5
done
curl -sf "http://127.0.0.1:$ADM/health/ready" >/dev/null || die "Junction not ready"

TOKEN=$(curl -sf "http://127.0.0.1:$PUB/auth/login" -H 'Content-Type: application/json' \
  -d '{"email":"bench@junction.local","password":"bench-password-123"}' | jq -r .accessToken)
[[ -n $TOKEN && $TOKEN != null ]] || die "login failed"
api() { curl -s -o "$TMP/out" -w '%{http_code}' -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' "$@"; }

route() { printf '{"id":"bench","uri":"http://127.0.0.1:%s","predicates":["Path=/bench/**"],"filters":["AddRequestHeader=X-Rev, %s"]}' "$UP" "$1"; }
[[ $(api -X POST "http://127.0.0.1:$ADM/api/v1/routes" -d "$(route 0)") == 201 ]] || die "create: $(cat "$TMP/out")"

# ---- reads: warm (cache) vs cold (database) ------------------------------------------------------------------
cat > "$TMP/auth.lua" <<EOF
wrk.headers["Authorization"] = "Bearer $TOKEN"
EOF
run_wrk() { # label url
  local out="$TMP/wrk.txt" rps p99 non2xx
  wrk -t1 -c"$CONNECTIONS" -d"${WARMUP}s" -s "$TMP/auth.lua" "$2" >/dev/null
  wrk -t1 -c"$CONNECTIONS" -d"${DURATION}s" --latency -s "$TMP/auth.lua" "$2" > "$out"
  rps=$(awk '/Requests\/sec/ {print $2}' "$out")
  p99=$(awk '$1=="99%" {print $2}' "$out")
  non2xx=$(awk '/Non-2xx/ {print $NF}' "$out")
  printf '%-44s %10s req/s   p99 %8s   non-2xx %s\n' "$1" "$rps" "$p99" "${non2xx:-0}"
}
echo "== admin API reads, $CONNECTIONS connections, ${DURATION}s each (after ${WARMUP}s warm-up) =="
run_wrk "GET /api/v1/routes/bench (warm: cache hit)" "http://127.0.0.1:$ADM/api/v1/routes/bench"
# The list answers from Postgres every time (lists are not cached): one indexed query per request, same auth,
# validation and JSON as the read above — the cost of a read whose cache missed.
run_wrk "GET /api/v1/routes?idPrefix=bench (cold: db)" "http://127.0.0.1:$ADM/api/v1/routes?idPrefix=bench&limit=1"

# ---- PUT → new behaviour on the proxy --------------------------------------------------------------------------
echo "== PUT → proxy serves the new version ($ROUNDS rounds, routes.debounce default 50 ms) =="
etag=1; samples=()
for rev in $(seq 1 "$ROUNDS"); do
  t0=$(date +%s%N)
  code=$(curl -s -o "$TMP/out" -w '%{http_code}' -D "$TMP/headers" -X PUT "http://127.0.0.1:$ADM/api/v1/routes/bench" \
    -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' -H "If-Match: \"$etag\"" -d "$(route "$rev")")
  [[ $code == 200 ]] || die "PUT answered $code: $(cat "$TMP/out")"
  etag=$(awk -F'"' 'tolower($1) ~ /^etag/ {print $2}' "$TMP/headers")
  until [[ $(curl -s "http://127.0.0.1:$PUB/bench/x") == "rev=$rev" ]]; do
    (( ($(date +%s%N) - t0) > 5000000000 )) && die "rev $rev not served within 5 s"
  done
  samples+=( $(( ($(date +%s%N) - t0) / 1000000 )) )
done
sorted=$(printf '%s\n' "${samples[@]}" | sort -n)
printf 'PUT sent → new behaviour served: min %s ms, median %s ms, max %s ms (includes the PUT itself)\n' \
  "$(head -1 <<<"$sorted")" "$(sed -n "$(( (ROUNDS + 1) / 2 ))p" <<<"$sorted")" "$(tail -1 <<<"$sorted")"
