#!/usr/bin/env bash
# Junction gateway benchmark: direct nginx upstream vs nginx reverse proxy vs Junction (/plain, /filtered),
# throughput (wrk -t1, closed loop) and fixed-rate latency (bench/FixedRate.java, open loop), then memory.
# Everything listens on 127.0.0.1 only, runs for a bounded time and stops what it started, also on Ctrl-C.
# How to run and what each knob means: bench/README.md.   Usage: bench/gateway.sh   (knobs as env vars)
set -uo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$BENCH_DIR/.." && pwd)

# ---- knobs -------------------------------------------------------------------------------------------------
DURATION=${DURATION:-15}            # seconds per measured wrk run
WARMUP=${WARMUP:-20}                # seconds of wrk load on each Junction endpoint before anything is counted
NGINX_WARMUP=${NGINX_WARMUP:-3}     # seconds of wrk load on direct / nginx proxy before they are measured
CONNS=${CONNS:-64}                  # wrk connections (wrk always runs one thread: -t1)
ROUNDS=${ROUNDS:-1}                 # measured rounds (targets interleaved); the median quiet run by req/s is reported
NOISY_MAX=${NOISY_MAX:-30}          # a run during which other processes used more than this % of one core is "noisy"
EVENT_LOOPS=${EVENT_LOOPS:-1}       # Junction event loops (JUNCTION_VERTX_EVENTLOOPS)
PROXY_WORKERS=${PROXY_WORKERS:-$EVENT_LOOPS}   # nginx proxy worker_processes: same core budget as Junction
UPSTREAM_WORKERS=${UPSTREAM_WORKERS:-1}        # nginx upstream worker_processes
RATE_LIMIT=${RATE_LIMIT:-auto}      # 1 / 0 / auto: RequestRateLimiter on /filtered
JWT=${JWT:-auto}                    # 1 / 0 / auto: a /jwt route (JwtAuth, RS256) measured next to /plain
FIXED_RATE=${FIXED_RATE:-1}         # 0 skips the fixed-rate latency phase
FR_RATE=${FR_RATE:-2000}            # fixed-rate phase: requests per second
FR_DURATION=${FR_DURATION:-15}      #   counted seconds
FR_WARMUP=${FR_WARMUP:-5}           #   seconds at the same rate before counting (warms the load generator's JVM)
FR_CONNS=${FR_CONNS:-16}            #   keep-alive connections
PROFILE=${PROFILE:-0}               # 1: one extra (uncounted) run per Junction endpoint under JFR, hot methods in the results
SOAK=${SOAK:-0}                     # > 0: extra soak phase of this many seconds under wrk load, sampling memory
SOAK_INTERVAL=${SOAK_INTERVAL:-30}  #   seconds between samples
READY_TIMEOUT=${READY_TIMEOUT:-60}  # seconds Junction gets to answer 200 on /health/ready
QUIET_WAIT=${QUIET_WAIT:-0}         # wait up to this many seconds for the machine to be idle (<= QUIET_MAX) before loading
QUIET_MAX=${QUIET_MAX:-15}          # "idle": at most this % of one core busy without our load
PG=${PG:-auto}                      # auto | external | embedded
PG_HOST=${PG_HOST:-127.0.0.1}
PG_PORT=${PG_PORT:-5432}
PG_USER=${PG_USER:-postgres}
TRACING=${TRACING:-off}             # off | a sample ratio 0..1: tracing.enabled, spans exported (OTLP/HTTP) to the upstream nginx, which answers 200;
                                    #   several, space-separated ("off 1 0.01"): the first for everything, then /plain once per mode (tracing section)
JAR=${JAR:-}                        # Junction jar; default target/junction.jar (built if missing)
BUILD=${BUILD:-auto}                # auto (build if missing) | always | head (build committed HEAD under bench/.build) | never
JAVA=${JAVA:-java}
JAVA_OPTS=${JAVA_OPTS:-}            # extra JVM flags for Junction, e.g. "-Xmx512m"
RESULTS_DIR=${RESULTS_DIR:-$BENCH_DIR/results}
KEEP_TMP=${KEEP_TMP:-0}             # 1 keeps the temp dir (configs, logs, raw wrk output)
MAX_TIME=${MAX_TIME:-auto}          # hard limit in seconds for the measuring part; auto = planned time + 300

# ---- small helpers -----------------------------------------------------------------------------------------
say() { printf '[%s] %s\n' "$(date +%T)" "$*" >&2; }
die() { say "FAILED: $*"; exit 1; }
is_uint() { [[ $1 =~ ^[0-9]+$ ]]; }
for knob in DURATION WARMUP NGINX_WARMUP CONNS ROUNDS EVENT_LOOPS PROXY_WORKERS UPSTREAM_WORKERS FR_RATE FR_DURATION \
            FR_WARMUP FR_CONNS SOAK SOAK_INTERVAL READY_TIMEOUT QUIET_WAIT QUIET_MAX PROFILE NOISY_MAX; do
  is_uint "${!knob}" || die "$knob must be a whole number, not '${!knob}'"
done
(( DURATION >= 1 && CONNS >= 1 && ROUNDS >= 1 && EVENT_LOOPS >= 1 && PROXY_WORKERS >= 1 && UPSTREAM_WORKERS >= 1 )) \
  || die "DURATION, CONNS, ROUNDS, EVENT_LOOPS, PROXY_WORKERS and UPSTREAM_WORKERS must be at least 1"

read -r -a TRACING_MODES <<<"$TRACING"
(( ${#TRACING_MODES[@]} >= 1 )) || die "TRACING must be off or a sample ratio between 0 and 1 (or a space-separated list of them)"
for m in "${TRACING_MODES[@]}"; do
  [[ $m == off || $m =~ ^(0(\.[0-9]+)?|1(\.0+)?)$ ]] || die "TRACING must be off or a sample ratio between 0 and 1, not '$m'"
done
TRACING=${TRACING_MODES[0]}         # the mode of the Junction behind everything but the tracing section
TRACING_MULTI=0; (( ${#TRACING_MODES[@]} > 1 )) && TRACING_MULTI=1

RESULT_TMP=""
out() { printf '%s\n' "$*"; [[ -n $RESULT_TMP ]] && printf '%s\n' "$*" >>"$RESULT_TMP"; return 0; }
kv() { sed -n "s/.* $2=\([^ ]*\).*/\1/p" <<<" $1" | head -n1; }          # value of key=value in a line
calc() { awk "BEGIN { printf \"$1\", $2 }"; }                           # calc '%.2f' '1/3'
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else printf "n/a" }'; }
us2ms() { awk -v u="$1" 'BEGIN { if (u == "" ) printf "?"; else printf "%.3f", u / 1000 }'; }

# ---- cleanup: everything this script started, by pid -------------------------------------------------------
TMP=""; UP_PID=""; PX_PID=""; JPID=""; CHILD=""; WATCHDOG=""; SCRATCH_DB=""; CLEANED=0
stop_pid() {  # pid signal seconds-to-wait
  local pid=$1 sig=$2 wait_s=$3 i
  [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null || return 0
  kill "-$sig" "$pid" 2>/dev/null
  for ((i = 0; i < wait_s * 10; i++)); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
  say "pid $pid did not stop after SIG$sig in ${wait_s}s, killing it"
  kill -KILL "$pid" 2>/dev/null
  wait "$pid" 2>/dev/null
  return 0
}
stop_junction() {  # Junction (SIGTERM, SIGKILL after 20 s), then an embedded Postgres a killed Junction left behind
  [[ -n $JPID ]] && stop_pid "$JPID" TERM 20
  JPID=""
  if [[ -n $TMP && -f $TMP/pg/postmaster.pid ]]; then
    local pgpid; pgpid=$(head -n1 "$TMP/pg/postmaster.pid" 2>/dev/null)
    is_uint "${pgpid:-x}" && kill -0 "$pgpid" 2>/dev/null && { kill -INT "$pgpid" 2>/dev/null; sleep 2; kill -KILL "$pgpid" 2>/dev/null; }
  fi
  return 0
}
cleanup() {
  (( CLEANED )) && return
  CLEANED=1
  trap - INT TERM
  [[ -n $CHILD ]] && stop_pid "$CHILD" TERM 5
  stop_junction
  [[ -n $PX_PID ]] && stop_pid "$PX_PID" TERM 5
  [[ -n $UP_PID ]] && stop_pid "$UP_PID" TERM 5
  if [[ -n $SCRATCH_DB ]]; then
    psql -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -d postgres -Atqc "DROP DATABASE IF EXISTS $SCRATCH_DB WITH (FORCE)" \
      >/dev/null 2>&1 || say "could not drop scratch database $SCRATCH_DB"
  fi
  if [[ -n $WATCHDOG ]]; then kill -TERM "$WATCHDOG" 2>/dev/null; wait "$WATCHDOG" 2>/dev/null; fi
  if [[ -n $TMP && -d $TMP ]]; then
    if [[ $KEEP_TMP == 1 ]]; then say "kept $TMP"; else rm -rf "$TMP"; fi
  fi
}
trap cleanup EXIT
trap 'say "interrupted"; exit 130' INT TERM

# run a bounded command in the background and wait for it, so that Ctrl-C / the watchdog act at once
run_bg() {  # limit-seconds outfile command...
  local limit=$1 outf=$2; shift 2
  timeout -k 5 "$limit" "$@" >"$outf" 2>&1 &
  CHILD=$!
  wait "$CHILD"; local rc=$?
  CHILD=""
  return $rc
}

# ---- 1. tools ----------------------------------------------------------------------------------------------
missing=()
command -v wrk >/dev/null || missing+=(wrk)
command -v nginx >/dev/null || [[ -x /usr/sbin/nginx ]] || missing+=(nginx)
command -v curl >/dev/null || missing+=(curl)
if (( ${#missing[@]} )); then
  (( EUID == 0 )) || die "missing ${missing[*]}; run as root or install them (apt-get install -y ${missing[*]})"
  say "installing ${missing[*]} from Debian"
  timeout --foreground 300 apt-get update -qq >/dev/null || die "apt-get update failed"
  DEBIAN_FRONTEND=noninteractive timeout --foreground 600 apt-get install -y -qq "${missing[@]}" >/dev/null || die "apt-get install ${missing[*]} failed"
fi
export PATH="$PATH:/usr/sbin"
command -v "$JAVA" >/dev/null || die "no $JAVA on PATH (a JDK 17+ is needed)"
command -v javac >/dev/null || die "no javac on PATH (a JDK, not a JRE, is needed for the load generator)"
HAVE_JCMD=0; command -v jcmd >/dev/null && HAVE_JCMD=1

# ---- the jar -----------------------------------------------------------------------------------------------
JAR_NOTE=""
if [[ -z $JAR ]]; then
  case $BUILD in
    head)
      command -v mvn >/dev/null || die "BUILD=head needs mvn"
      commit=$(git -C "$ROOT" rev-parse HEAD) || die "BUILD=head needs a git checkout"
      JAR="$BENCH_DIR/.build/junction-${commit:0:12}.jar"
      if [[ ! -f $JAR ]]; then
        src="$BENCH_DIR/.build/src-${commit:0:12}"
        rm -rf "$src"; mkdir -p "$src"
        git -C "$ROOT" archive "$commit" | tar -x -C "$src" || die "git archive failed"
        say "building committed HEAD ${commit:0:12} in $src (mvn -B -q package -DskipTests)"
        (cd "$src" && timeout --foreground 900 mvn -B -q package -DskipTests) || die "build of HEAD failed"
        cp "$src/target/junction.jar" "$JAR" && rm -rf "$src"
      fi
      JAR_NOTE="built from commit ${commit:0:12} (BUILD=head)"
      ;;
    auto|always|never)
      JAR="$ROOT/target/junction.jar"
      if [[ $BUILD == always || ( $BUILD == auto && ! -f $JAR ) ]]; then
        command -v mvn >/dev/null || die "$JAR is missing and there is no mvn to build it"
        say "building $JAR (mvn -B -q package -DskipTests)"
        (cd "$ROOT" && timeout --foreground 900 mvn -B -q package -DskipTests) || die "mvn package failed"
      fi
      [[ -f $JAR ]] || die "$JAR does not exist (BUILD=never)"
      newest=$(find "$ROOT/src/main" "$ROOT/pom.xml" -type f -newer "$JAR" 2>/dev/null | head -n1)
      if [[ -n $newest ]]; then
        say "WARNING: $JAR is older than ${newest#"$ROOT"/} — figures are for the old build (BUILD=always or BUILD=head to rebuild)"
        JAR_NOTE="WARNING: jar older than the sources"
      fi
      ;;
    *) die "BUILD must be auto, always, head or never" ;;
  esac
fi
[[ -f $JAR ]] || die "JAR=$JAR does not exist"
JAR=$(cd "$(dirname "$JAR")" && pwd)/$(basename "$JAR")

# ---- temp dir, ports, load generator -----------------------------------------------------------------------
TMP=$(mktemp -d /tmp/junction-bench.XXXXXX) || die "mktemp failed"
chmod 755 "$TMP"   # nginx workers run as nobody
RESULT_TMP="$TMP/result.txt"; : >"$RESULT_TMP"

USED_PORTS=" "
free_port() {  # sets the variable named $1 to a port nothing listens on or connects from
  local p i
  for ((i = 0; i < 200; i++)); do
    p=$((20000 + RANDOM % 40000))
    [[ $USED_PORTS == *" $p "* ]] && continue
    [[ -z $(ss -Htan "sport = :$p" 2>/dev/null) ]] || continue
    USED_PORTS+="$p "; printf -v "$1" '%s' "$p"; return 0
  done
  die "no free port found"
}
free_port UP_PORT; free_port PX_PORT; free_port PXH_PORT; free_port J_PORT; free_port J_ADMIN

say "compiling bench/FixedRate.java"
mkdir -p "$TMP/classes"
javac -d "$TMP/classes" "$BENCH_DIR/FixedRate.java" || die "javac FixedRate.java failed"
if [[ $JWT == auto ]]; then
  if grep -rqs 'class JwtAuthFilter' "$ROOT/src/main/java/io/junction/gateway/filter/auth/"; then JWT=1; else JWT=0; fi
fi
[[ $JWT == 0 || $JWT == 1 ]] || die "JWT must be 0, 1 or auto"
TOKEN=""
if (( JWT )); then
  # The identity module is not needed: JwtAuth's external-issuer mode runs the same verifier (JwksVerifier and its
  # token cache) against a JWKS the upstream nginx serves; the token is minted here.
  javac -d "$TMP/classes" "$BENCH_DIR/BenchToken.java" || die "javac BenchToken.java failed"
  "$JAVA" -cp "$TMP/classes" BenchToken "$TMP/jwt" || die "BenchToken failed"
  TOKEN=$(cat "$TMP/jwt/token.txt")
fi

# ---- 2./3. nginx upstream and nginx proxy ------------------------------------------------------------------
BODY=$(printf '%.0s0123456789abcdef' {1..16})   # 256 bytes, no '$' (nginx would read a variable)
(( ${#BODY} == 256 )) || die "body is ${#BODY} bytes"
nginx_common() {  # dir workers
  cat <<EOF
worker_processes $2;
pid $1/nginx.pid;
error_log $1/error.log warn;
events { worker_connections 8192; }
http {
  access_log off;
  client_body_temp_path $1/client_body;
  proxy_temp_path $1/proxy;
  fastcgi_temp_path $1/fastcgi;
  uwsgi_temp_path $1/uwsgi;
  scgi_temp_path $1/scgi;
  keepalive_timeout 75s;
  keepalive_requests 10000000;
EOF
}
mkdir -p "$TMP/upstream" "$TMP/proxy"
{ nginx_common "$TMP/upstream" "$UPSTREAM_WORKERS"; cat <<EOF
  server {
    listen 127.0.0.1:$UP_PORT backlog=4096;
    location = /echo { default_type text/plain; return 200 "uri=\$request_uri bench=\$http_x_bench\n"; }
    location = /jwks.json { default_type application/json; alias $TMP/jwt/jwks.json; }
    location / { default_type text/plain; return 200 "$BODY"; }
  }
}
EOF
} >"$TMP/upstream/nginx.conf"
{ nginx_common "$TMP/proxy" "$PROXY_WORKERS"; cat <<EOF
  upstream backend {
    server 127.0.0.1:$UP_PORT;
    keepalive 64;
    keepalive_requests 10000000;
  }
  server {
    listen 127.0.0.1:$PX_PORT backlog=4096;
    location / {
      proxy_pass http://backend;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
    }
  }
  # the same proxy passing on what Junction passes on: the X-Forwarded-* set, Forwarded, a request id both ways
  server {
    listen 127.0.0.1:$PXH_PORT backlog=4096;
    location / {
      proxy_pass http://backend;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto \$scheme;
      proxy_set_header X-Forwarded-Host \$http_host;
      proxy_set_header X-Forwarded-Port \$server_port;
      proxy_set_header Forwarded "for=\$remote_addr;proto=\$scheme;host=\\"\$http_host\\"";
      proxy_set_header X-Request-Id \$request_id;
      add_header X-Request-Id \$request_id;
    }
  }
}
EOF
} >"$TMP/proxy/nginx.conf"

start_nginx() {  # name pid-variable: nginx in the foreground (daemon off) as our child, its master pid in $2
  local dir="$TMP/$1"
  nginx -t -q -p "$dir/" -e "$dir/error.log" -c "$dir/nginx.conf" >"$dir/test.log" 2>&1 || { cat "$dir/test.log" >&2; return 1; }
  nginx -p "$dir/" -e "$dir/error.log" -c "$dir/nginx.conf" -g 'daemon off;' >"$dir/stdout.log" 2>&1 &
  printf -v "$2" '%s' "$!"
}
wait_http() {  # url seconds
  local i
  for ((i = 0; i < $2 * 10; i++)); do
    curl -fsS -o /dev/null -m 1 "$1" 2>/dev/null && return 0
    sleep 0.1
  done
  return 1
}
start_nginx upstream UP_PID || die "nginx upstream config refused"
start_nginx proxy PX_PID || die "nginx proxy config refused"
wait_http "http://127.0.0.1:$UP_PORT/" 10 || { cat "$TMP/upstream/error.log" >&2; die "nginx upstream did not answer"; }
wait_http "http://127.0.0.1:$PX_PORT/" 10 || { cat "$TMP/proxy/error.log" >&2; die "nginx proxy did not answer"; }
say "nginx upstream on 127.0.0.1:$UP_PORT ($UPSTREAM_WORKERS worker), nginx proxy on 127.0.0.1:$PX_PORT ($PROXY_WORKERS workers)"

# ---- 4. Junction -------------------------------------------------------------------------------------------
if [[ $RATE_LIMIT == auto ]]; then
  if grep -rqs RequestRateLimiter "$ROOT/src/main/java/io/junction/gateway/filter/resilience/"; then RL=1; else RL=0; fi
  RL_AUTO=1
else
  [[ $RATE_LIMIT == 0 || $RATE_LIMIT == 1 ]] || die "RATE_LIMIT must be 0, 1 or auto"
  RL=$RATE_LIMIT; RL_AUTO=0
fi
RL_NOTE=""

PG_MODE=$PG
if [[ $PG_MODE == auto ]]; then
  PG_MODE=embedded
  if command -v psql >/dev/null && psql -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -d postgres -Atqc 'select 1' >/dev/null 2>&1 </dev/null; then
    PG_MODE=external
  fi
fi
STORAGE_URL=""
if [[ $PG_MODE == external ]]; then
  SCRATCH_DB="junction_bench_$$_$RANDOM"
  psql -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -d postgres -Atqc "CREATE DATABASE $SCRATCH_DB" >/dev/null </dev/null \
    || { SCRATCH_DB=""; die "cannot create a scratch database on $PG_HOST:$PG_PORT"; }
  STORAGE_URL="postgresql://$PG_USER@$PG_HOST:$PG_PORT/$SCRATCH_DB"
elif [[ $PG_MODE != embedded ]]; then
  die "PG must be auto, external or embedded"
fi

write_junction_config() {
  local f="$TMP/junction.yaml"
  cat >"$f" <<EOF
# generated by bench/gateway.sh
http:
  public: { host: 127.0.0.1, port: $J_PORT }
  admin: { host: 127.0.0.1, port: $J_ADMIN }
storage:
  url: "$STORAGE_URL"
  embedded: { dataDir: $TMP/pg }
logging:
  format: text
shutdown:
  gracePeriod: 2s
gateway:
  routes:
    - id: plain
      uri: http://127.0.0.1:$UP_PORT
      predicates:
        - Path=/plain/**
    - id: filtered
      uri: http://127.0.0.1:$UP_PORT
      predicates:
        - Path=/filtered/**
      filters:
        - StripPrefix=1
        - AddRequestHeader=X-Bench, 1
EOF
  if (( RL )); then cat >>"$f" <<EOF
        - name: RequestRateLimiter
          args: { replenishRate: 1000000000, burstCapacity: 2000000000, keyResolver: ip }
EOF
  fi
  if (( JWT )); then cat >>"$f" <<EOF
    - id: jwt
      uri: http://127.0.0.1:$UP_PORT
      predicates:
        - Path=/jwt/**
      filters:
        - name: JwtAuth
          args: { jwksUri: "http://127.0.0.1:$UP_PORT/jwks.json", issuer: bench, audience: bench }
EOF
  fi
}

JLOG=""
start_junction() {  # [tracing-mode [file-suffix]] -> 0 = ready, 1 = exited, 2 = alive but not ready in time
  local mode=${1:-$TRACING} sfx=${2:-}
  JLOG="$TMP/junction$sfx.log"
  write_junction_config
  : >"$JLOG"
  # A bootstrap password of its own, so the first start does not print a generated one into the results.
  local tracing_env=(JUNCTION_TRACING_ENABLED=false)
  [[ $mode != off ]] && tracing_env=(JUNCTION_TRACING_ENABLED=true JUNCTION_TRACING_EXPORTER=otlp-http
    JUNCTION_TRACING_SAMPLERATIO="$mode" JUNCTION_TRACING_ENDPOINT="http://127.0.0.1:$UP_PORT/v1/traces")
  (cd "$TMP" && exec env "${tracing_env[@]}" JUNCTION_CONFIG="$TMP/junction.yaml" JUNCTION_HTTP_ACCESSLOG=false JUNCTION_LOGGING_LEVEL=WARN \
      JUNCTION_IDENTITY_BOOTSTRAPADMIN_PASSWORD="bench-$RANDOM-$RANDOM-$RANDOM" \
      JUNCTION_VERTX_EVENTLOOPS="$EVENT_LOOPS" "$JAVA" "-Xlog:gc:file=$TMP/gc$sfx.log:uptime" $JAVA_OPTS -jar "$JAR" >"$JLOG" 2>&1) &
  JPID=$!
  local i
  for ((i = 0; i < READY_TIMEOUT * 5; i++)); do
    if ! kill -0 "$JPID" 2>/dev/null; then
      wait "$JPID"; JEXIT=$?; JPID=""; return 1
    fi
    [[ $(curl -s -o /dev/null -m 2 -w '%{http_code}' "http://127.0.0.1:$J_ADMIN/health/ready" 2>/dev/null) == 200 ]] && return 0
    sleep 0.2
  done
  return 2
}
log_tail() { say "last lines of Junction's log:"; tail -n "${1:-25}" "${JLOG:-$TMP/junction.log}" | sed 's/^/    | /' >&2; }

say "starting Junction ($JAR, $EVENT_LOOPS event loop(s), Postgres: $PG_MODE${SCRATCH_DB:+ db $SCRATCH_DB}, rate limiter: $RL)"
start_junction; st=$?
if (( st == 1 )) && (( RL && RL_AUTO )) && grep -q RequestRateLimiter "$TMP/junction.log"; then
  log_tail
  say "Junction refused the RequestRateLimiter filter (exit $JEXIT): this build does not have it yet;"
  say "measuring /filtered WITHOUT it (RATE_LIMIT=0). RATE_LIMIT=1 makes this an error instead."
  RL=0; RL_NOTE="RequestRateLimiter was refused by this build (exit $JEXIT) and left out"
  [[ $PG_MODE == embedded ]] && rm -rf "$TMP/pg"
  start_junction; st=$?
fi
case $st in
  0) ;;
  1) log_tail; die "Junction exited with status $JEXIT before it was ready" ;;
  2) log_tail; die "Junction was not ready on http://127.0.0.1:$J_ADMIN/health/ready within ${READY_TIMEOUT}s" ;;
esac
say "Junction ready: pid $JPID, public 127.0.0.1:$J_PORT, admin 127.0.0.1:$J_ADMIN"

# ---- sanity: every target answers 200 with the 256-byte body; /filtered really runs its filters --------------
URL_DIRECT="http://127.0.0.1:$UP_PORT/bench"
URL_NGINX="http://127.0.0.1:$PX_PORT/bench"
URL_NGINXH="http://127.0.0.1:$PXH_PORT/bench"
URL_PLAIN="http://127.0.0.1:$J_PORT/plain/bench"
URL_FILTERED="http://127.0.0.1:$J_PORT/filtered/bench"
URL_JWT="http://127.0.0.1:$J_PORT/jwt/bench"
TARGETS=(direct nginx nginxh plain filtered)
(( JWT )) && TARGETS+=(jwt)
declare -A URL=([direct]=$URL_DIRECT [nginx]=$URL_NGINX [nginxh]=$URL_NGINXH [plain]=$URL_PLAIN [filtered]=$URL_FILTERED [jwt]=$URL_JWT)
declare -A NAME=([direct]="direct upstream" [nginx]="nginx proxy" [nginxh]="nginx proxy+hdrs" [plain]="Junction /plain" [filtered]="Junction /filtered" [jwt]="Junction /jwt")
for t in "${TARGETS[@]}"; do
  extra=(); [[ $t == jwt ]] && extra=(-H "Authorization: Bearer $TOKEN")
  got=$(curl -s -o "$TMP/body" -D "$TMP/headers-$t" -m 5 -w '%{http_code} %{size_download}' "${extra[@]}" "${URL[$t]}")
  [[ $got == "200 256" ]] || { cat "$TMP/body" >&2; echo >&2; log_tail; die "${NAME[$t]} ${URL[$t]} answered '$got', expected '200 256'"; }
done
echo_got=$(curl -s -m 5 "http://127.0.0.1:$J_PORT/filtered/echo")
[[ $echo_got == "uri=/echo bench=1" ]] || die "/filtered/echo reached the upstream as '$echo_got', expected 'uri=/echo bench=1' (StripPrefix, AddRequestHeader)"
if (( JWT )); then
  got=$(curl -s -o /dev/null -m 5 -w '%{http_code}' "$URL_JWT")
  [[ $got == 401 ]] || die "/jwt without a token answered $got, expected 401 (JwtAuth)"
fi
if (( RL )); then
  grep -qi '^X-RateLimit-Remaining:' "$TMP/headers-filtered" || die "RequestRateLimiter is configured but /filtered has no X-RateLimit-Remaining header"
fi

# ---- measuring ---------------------------------------------------------------------------------------------
if [[ $MAX_TIME == auto ]]; then
  MAX_TIME=$(( QUIET_WAIT + 2 * NGINX_WARMUP + 2 * WARMUP + ROUNDS * 4 * (DURATION + 2) + 30 + 300 ))
  (( FIXED_RATE )) && MAX_TIME=$(( MAX_TIME + 4 * (FR_WARMUP + FR_DURATION + 15) ))
  (( SOAK )) && MAX_TIME=$(( MAX_TIME + SOAK + 60 ))
  (( PROFILE )) && MAX_TIME=$(( MAX_TIME + 2 * (DURATION + 60) ))
  # tracing section: per round and mode a Junction stop (<= 20 s) and start (<= READY_TIMEOUT), warm-up, measured run
  (( TRACING_MULTI )) && MAX_TIME=$(( MAX_TIME + ROUNDS * ${#TRACING_MODES[@]} * (20 + READY_TIMEOUT + WARMUP + DURATION + 40) ))
fi
is_uint "$MAX_TIME" || die "MAX_TIME must be a whole number of seconds or auto"
( trap 'kill "$sp" 2>/dev/null; wait "$sp" 2>/dev/null; exit 0' TERM
  sleep "$MAX_TIME" & sp=$!; wait "$sp"
  printf '[%s] MAX_TIME (%ss) exceeded, stopping\n' "$(date +%T)" "$MAX_TIME" >&2; kill -TERM $$ ) &
WATCHDOG=$!

CLK_TCK=$(getconf CLK_TCK)
nginx_workers() { pgrep -P "$1" | tr '\n' ' '; }
UP_WORKERS=$(nginx_workers "$UP_PID"); PX_WORKERS_PIDS=$(nginx_workers "$PX_PID")
cpu_ticks() {  # utime+stime of the given pids, in clock ticks
  local t=0 p s f
  for p in "$@"; do
    s=$(cat "/proc/$p/stat" 2>/dev/null) || continue
    read -r -a f <<<"${s##*) }"
    t=$(( t + f[11] + f[12] ))
  done
  echo "$t"
}
# /proc/stat: busy ticks, all ticks, irq+softirq ticks (loopback packet work; shown for information only: whether
# it is also inside the processes' own times depends on the kernel's CONFIG_IRQ_TIME_ACCOUNTING, and here it is)
machine_ticks() { awk '/^cpu / { busy = $2 + $3 + $4 + $7 + $8 + $9; print busy, busy + $5 + $6, $7 + $8 }' /proc/stat; }
NCPU=$(nproc)
children_ms() {  # CPU ms of this shell's waited-for children (bash 'times', 2nd line), read from the file $1
  awk 'NR == 2 { t = 0; for (i = 1; i <= 2; i++) { split($i, a, /[ms]/); t += a[1] * 60000 + a[2] * 1000 } printf "%.0f", t }' "$1"
}
pct1() { awk -v d="$1" -v hz="$2" -v s="$3" 'BEGIN { if (s > 0) printf "%.0f", 100 * d / hz / s; else print 0 }'; }  # ticks -> % of one core
declare -A PROXY_PIDS=([direct]="" [nginx]="$PX_WORKERS_PIDS" [nginxh]="$PX_WORKERS_PIDS" [plain]="$JPID" [filtered]="$JPID" [jwt]="$JPID")

# how busy is the machine without us? (other engineers' builds on a shared box make every figure noisy)
idle_check() {  # BG_CPU = % of one core busy over 3 s while nothing of ours is loaded
  local q0 q1
  read -r -a q0 <<<"$(machine_ticks)"; sleep 3; read -r -a q1 <<<"$(machine_ticks)"
  BG_CPU=$(awk -v b=$((q1[0] - q0[0])) -v a=$((q1[1] - q0[1])) -v n="$NCPU" 'BEGIN { if (a > 0) printf "%.0f", 100 * n * b / a; else print 0 }')
}
idle_check
if (( QUIET_WAIT > 0 && BG_CPU > QUIET_MAX )); then
  quiet_deadline=$((SECONDS + QUIET_WAIT))
  while (( BG_CPU > QUIET_MAX && SECONDS < quiet_deadline )); do
    say "the machine is ${BG_CPU}% busy (of $((NCPU * 100))%) without our load; waiting for <= ${QUIET_MAX}% (QUIET_WAIT ${QUIET_WAIT}s)"
    sleep 7; idle_check
  done
fi
(( BG_CPU > QUIET_MAX )) && say "WARNING: the machine is already ${BG_CPU}% busy (of $((NCPU * 100))%) before any load: figures will be noisy"

WARMUP_ERRORS=""
# Junction's own count of the statuses it answered (the gateway's meters on /metrics), to name the classes behind
# wrk's "HTTP >= 400" count: "class:count ..." of junction_gateway_requests_seconds_count, summed over routes/methods
junction_codes() {
  curl -s -m 5 "http://127.0.0.1:$J_ADMIN/metrics" 2>/dev/null | awk '
    /^junction_gateway_requests_seconds_count\{/ && match($0, /status_class="[^"]+"/) { c[substr($0, RSTART + 14, RLENGTH - 15)] += $NF }
    END { for (k in c) printf "%s:%.0f ", k, c[k] }'
}
codes_diff() {  # before after -> "code:delta,..." for codes that moved
  awk -v a="$1" -v b="$2" 'BEGIN {
    n = split(a, x, " "); for (i = 1; i <= n; i++) { split(x[i], kv, ":"); before[kv[1]] = kv[2] }
    n = split(b, y, " "); out = ""
    for (i = 1; i <= n; i++) { split(y[i], kv, ":"); d = kv[2] - before[kv[1]]; if (d > 0) out = out (out == "" ? "" : ",") kv[1] ":" d }
    print (out == "" ? "-" : out) }'
}

WRK_LINE=""
wrk_run() {  # target seconds outfile -> WRK_LINE = wrk's report line with cpu fields appended (no $(...): Ctrl-C must reach us)
  local t=$1 dur=$2 outf=$3 p0 u0 m0 p1 u1 m1 line
  # shellcheck disable=SC2086
  p0=$(cpu_ticks ${PROXY_PIDS[$t]}); u0=$(cpu_ticks $UP_WORKERS); read -r -a m0 <<<"$(machine_ticks)"
  local c0="" c1=""
  [[ $t == plain || $t == filtered || $t == jwt || $t == tr* ]] && c0=$(junction_codes)
  times >"$TMP/times0"   # no fork: wrk's CPU time reaches this shell through timeout when it is waited for
  local auth=(); [[ $t == jwt ]] && auth=(-H "Authorization: Bearer $TOKEN")
  run_bg $((dur + 30)) "$outf" wrk -t1 -c"$CONNS" -d"${dur}s" --latency -s "$BENCH_DIR/report.lua" "${auth[@]}" "${URL[$t]}" \
    || { cat "$outf" >&2; die "wrk against ${URL[$t]} failed"; }
  # shellcheck disable=SC2086
  p1=$(cpu_ticks ${PROXY_PIDS[$t]}); u1=$(cpu_ticks $UP_WORKERS); read -r -a m1 <<<"$(machine_ticks)"
  times >"$TMP/times1"
  [[ $t == plain || $t == filtered || $t == jwt || $t == tr* ]] && c1=$(junction_codes)
  line=$(grep '^WRK ' "$outf") || { cat "$outf" >&2; die "no report line in wrk output"; }
  local secs; secs=$(kv "$line" duration_s)
  local proxy upstream wrkcpu machine
  proxy=$(pct1 $((p1 - p0)) "$CLK_TCK" "$secs"); upstream=$(pct1 $((u1 - u0)) "$CLK_TCK" "$secs")
  wrkcpu=$(pct1 $(( $(children_ms "$TMP/times1") - $(children_ms "$TMP/times0") )) 1000 "$secs")
  local irq
  machine=$(awk -v b=$((m1[0] - m0[0])) -v a=$((m1[1] - m0[1])) -v n="$NCPU" 'BEGIN { if (a > 0) printf "%.0f", 100 * n * b / a; else print 0 }')
  irq=$(awk -v b=$((m1[2] - m0[2])) -v a=$((m1[1] - m0[1])) -v n="$NCPU" 'BEGIN { if (a > 0) printf "%.0f", 100 * n * b / a; else print 0 }')
  printf -v WRK_LINE '%s cpu_proxy=%s cpu_upstream=%s cpu_wrk=%s cpu_irq=%s cpu_machine=%s cpu_other=%s codes=%s' "$line" \
    "$proxy" "$upstream" "$wrkcpu" "$irq" "$machine" "$(( machine - proxy - upstream - wrkcpu ))" \
    "$([[ -n $c0 || -n $c1 ]] && codes_diff "$c0" "$c1" || echo -)"
}
errors_of() {  # WRK line -> "status sockets"
  local l=$1
  echo "$(kv "$l" status_errors) $(( $(kv "$l" connect_errors) + $(kv "$l" read_errors) + $(kv "$l" write_errors) + $(kv "$l" timeouts) ))"
}
warm() {  # target seconds
  (( $2 > 0 )) || return 0
  say "warm-up: ${NAME[$1]} for $2 s"
  wrk_run "$1" "$2" "$TMP/warmup-$1.txt"; local l=$WRK_LINE
  read -r se so <<<"$(errors_of "$l")"
  say "  warm-up ${NAME[$1]}: $(kv "$l" rps) req/s, $se HTTP >= 400, $so socket errors$([[ $(kv "$l" codes) != - ]] && echo "; Junction answered $(kv "$l" codes)")"
  (( se + so )) && WARMUP_ERRORS+="${NAME[$1]}: $se HTTP >= 400, $so socket errors during warm-up (Junction's codes: $(kv "$l" codes)); "
  return 0
}

START_TS=$(date -u +%Y-%m-%dT%H:%M:%SZ)
warm direct "$NGINX_WARMUP"; warm nginx "$NGINX_WARMUP"; warm nginxh "$NGINX_WARMUP"; warm plain "$WARMUP"; warm filtered "$WARMUP"
(( JWT )) && warm jwt "$WARMUP"

for ((r = 1; r <= ROUNDS; r++)); do
  for t in "${TARGETS[@]}"; do
    say "round $r/$ROUNDS: ${NAME[$t]} for $DURATION s (wrk -t1 -c$CONNS)"
    wrk_run "$t" "$DURATION" "$TMP/wrk-$t-$r.txt"; line=$WRK_LINE
    echo "$line" >>"$TMP/lines-$t"
    say "  $(kv "$line" rps) req/s, p50 $(us2ms "$(kv "$line" p50_us)") ms, p99 $(us2ms "$(kv "$line" p99_us)") ms"
    sleep 1
  done
done

# ---- fixed-rate latency ------------------------------------------------------------------------------------
if (( FIXED_RATE )); then
  for t in "${TARGETS[@]}"; do
    [[ $t == jwt || $t == nginxh ]] && continue   # /jwt: FixedRate sends no Authorization header; nginx+hdrs: closed loop only
    say "fixed rate: ${NAME[$t]} at $FR_RATE req/s for $FR_WARMUP + $FR_DURATION s on $FR_CONNS connections"
    run_bg $((FR_WARMUP + FR_DURATION + 30)) "$TMP/fixedrate-$t.txt" "$JAVA" -Xmx256m -cp "$TMP/classes" FixedRate \
      --url "${URL[$t]}" --rate "$FR_RATE" --duration "$FR_DURATION" --warmup "$FR_WARMUP" --connections "$FR_CONNS" --label "$t" \
      || { cat "$TMP/fixedrate-$t.txt" >&2; die "fixed-rate run against ${URL[$t]} failed"; }
    sed -n '2,3p' "$TMP/fixedrate-$t.txt" >&2
    sleep 1
  done
fi

# ---- profile (optional, not counted) -----------------------------------------------------------------------
# JFR execution samples of Junction's threads while wrk loads one endpoint: the methods on top of the stack
# (self time) and the io.junction methods anywhere on it (inclusive), as % of the samples.
hot_methods() {  # jfr-file -> report lines
  jfr print --stack-depth 64 --events jdk.ExecutionSample "$1" 2>/dev/null | awk '
    /stackTrace = \[/ { inside = 1; first = 1; delete seen; n++; next }
    inside && /^[[:space:]]*\]/ { inside = 0; next }
    inside {
      f = $0; sub(/^[[:space:]]+/, "", f); sub(/[[:space:]]+line:.*$/, "", f); sub(/\(.*$/, "", f)
      if (f == "...") next
      if (first) { self[f]++; first = 0 }
      if (f ~ /^io\.junction\./ && !(f in seen)) { seen[f] = 1; incl[f]++ }
    }
    END {
      if (n == 0) { print "  (no samples)"; exit }
      printf "  %d samples; self time (top of stack):\n", n
      for (k in self) printf "%7.1f%%  %s\n", 100 * self[k] / n, k | "sort -rn | head -n 20"
      close("sort -rn | head -n 20")
      print "  io.junction methods on the stack (inclusive):"
      for (k in incl) printf "%7.1f%%  %s\n", 100 * incl[k] / n, k | "sort -rn | head -n 15"
    }'
}
PROFILE_LINES=()
if (( PROFILE )); then
  if (( HAVE_JCMD )) && command -v jfr >/dev/null; then
    for t in plain filtered; do
      say "profile: ${NAME[$t]} for $DURATION s under JFR (not counted)"
      timeout 30 jcmd "$JPID" JFR.start name=bench settings=profile filename="$TMP/junction-$t.jfr" >/dev/null 2>&1 \
        || { say "JFR.start failed"; continue; }
      wrk_run "$t" "$DURATION" "$TMP/profile-$t.txt"
      timeout 60 jcmd "$JPID" JFR.stop name=bench >/dev/null 2>&1
      PROFILE_LINES+=("-- ${NAME[$t]}: $(kv "$WRK_LINE" rps) req/s under JFR")
      while IFS= read -r l; do PROFILE_LINES+=("$l"); done < <(hot_methods "$TMP/junction-$t.jfr")
    done
  else
    PROFILE_LINES+=("(PROFILE=1 needs jcmd and jfr from a JDK)")
  fi
fi

# ---- memory ------------------------------------------------------------------------------------------------
rss_mb() { awk -v k="$2" '$1 == k":" { printf "%.0f", $2 / 1024 }' "/proc/$1/status" 2>/dev/null; }
heap_info() {  # pid -> "used_mb committed_mb young_mb metaspace_mb" (G1 / Serial / Parallel layouts)
  (( HAVE_JCMD )) || { echo "? ? ? ?"; return; }
  timeout 30 jcmd "$1" GC.heap_info 2>/dev/null | awk '
    function mb(x) { gsub(/[^0-9]/, "", x); return sprintf("%.0f", x / 1024) }
    !h && /total [0-9]+K, used [0-9]+K/ && !/Metaspace|class space/ {
      for (i = 1; i <= NF; i++) { if ($i == "total") t = mb($(i + 1)); if ($i == "used") u = mb($(i + 1)) } h = 1 }
    / young \(/ { for (i = 1; i <= NF; i++) if ($i == "young") y = mb($(i + 1)) }
    /Metaspace/ { for (i = 1; i <= NF; i++) if ($i == "used") m = mb($(i + 1)) }
    END { print (u == "" ? "?" : u), (t == "" ? "?" : t), (y == "" ? "?" : y), (m == "" ? "?" : m) }'
}
live_heap_mb() {  # heap used right after a full GC (jcmd GC.run)
  (( HAVE_JCMD )) || { echo "?"; return; }
  timeout 60 jcmd "$1" GC.run >/dev/null 2>&1
  heap_info "$1" | cut -d' ' -f1
}
kill -0 "$JPID" 2>/dev/null || { log_tail; die "Junction is gone"; }
read -r H_USED H_COMMITTED H_YOUNG H_META <<<"$(heap_info "$JPID")"
M_RSS=$(rss_mb "$JPID" VmRSS); M_HWM=$(rss_mb "$JPID" VmHWM); M_THREADS=$(awk '$1 == "Threads:" { print $2 }' "/proc/$JPID/status")
gc_pauses() {  # "count total_ms max_ms" of the stop-the-world pauses in the GC log so far
  awk '/Pause/ && match($0, /[0-9.]+ms$/) { v = substr($0, RSTART, RLENGTH - 2); n++; t += v; if (v > m) m = v }
    END { printf "%d %.1f %.1f", n, t, m }' "$TMP/gc.log" 2>/dev/null || echo "? ? ?"
}
read -r GC_N GC_T GC_M <<<"$(gc_pauses)"   # before our own GC.run
H_LIVE=$(live_heap_mb "$JPID")
MEM_PID=$JPID   # the Junction the memory figures are of (the tracing section stops it)

# ---- soak --------------------------------------------------------------------------------------------------
SOAK_LINES=()
if (( SOAK )); then
  say "soak: wrk on Junction /filtered for $SOAK s, memory every $SOAK_INTERVAL s"
  SOAK_LINES+=("$(printf '%6s %8s %14s %10s %16s' 't(s)' 'RSS MB' 'heap used MB' 'young MB' 'used-young MB')")
  soak_sample() {
    local u c y m
    read -r u c y m <<<"$(heap_info "$JPID")"
    SOAK_LINES+=("$(printf '%6s %8s %14s %10s %16s' "$1" "$(rss_mb "$JPID" VmRSS)" "$u" "$y" \
      "$(awk -v u="$u" -v y="$y" 'BEGIN { if (u ~ /^[0-9]+$/ && y ~ /^[0-9]+$/) print u - y; else print "?" }')")")
    say "  soak sample: ${SOAK_LINES[-1]}"
  }
  soak_sample 0
  timeout -k 5 $((SOAK + 30)) wrk -t1 -c"$CONNS" -d"${SOAK}s" -s "$BENCH_DIR/report.lua" "$URL_FILTERED" >"$TMP/soak.txt" 2>&1 &
  CHILD=$!
  soak_t0=$SECONDS
  while kill -0 "$CHILD" 2>/dev/null; do
    next=$(( soak_t0 + (( (SECONDS - soak_t0) / SOAK_INTERVAL ) + 1) * SOAK_INTERVAL ))
    while (( SECONDS < next )) && kill -0 "$CHILD" 2>/dev/null; do sleep 1; done
    kill -0 "$CHILD" 2>/dev/null && soak_sample $((SECONDS - soak_t0))
  done
  wait "$CHILD"; CHILD=""
  SOAK_WRK=$(grep '^WRK ' "$TMP/soak.txt") || { cat "$TMP/soak.txt" >&2; die "soak wrk failed"; }
  soak_sample "end"
  SOAK_LIVE=$(live_heap_mb "$JPID")
fi

# ---- tracing modes (TRACING with several values) -------------------------------------------------------------
# /plain once per mode, each on a freshly started Junction with that mode's tracing env and the same warm-up, so the
# modes are compared under equal conditions (also the first one, which the tables above measured on a long-lived
# Junction); with ROUNDS > 1 the modes are interleaved round by round. The tables above keep the first mode's Junction.
mode_label() { [[ $1 == off ]] && echo off || awk -v m="$1" 'BEGIN { printf "%g%%", m * 100 }'; }
TR_IDX=()
if (( TRACING_MULTI )); then
  say "tracing modes: ${TRACING_MODES[*]} — /plain on a fresh Junction per mode and round"
  stop_junction
  for ((i = 0; i < ${#TRACING_MODES[@]}; i++)); do
    TR_IDX+=("$i")
    URL[tr$i]=$URL_PLAIN
    NAME[tr$i]="/plain tracing $(mode_label "${TRACING_MODES[$i]}")"
  done
  for ((r = 1; r <= ROUNDS; r++)); do
    for i in "${TR_IDX[@]}"; do
      m=${TRACING_MODES[$i]}
      say "tracing round $r/$ROUNDS: starting Junction with TRACING=$m"
      start_junction "$m" "-tr$i-$r"; st=$?
      case $st in
        0) ;;
        1) log_tail; die "Junction (TRACING=$m) exited with status $JEXIT before it was ready" ;;
        2) log_tail; die "Junction (TRACING=$m) was not ready on http://127.0.0.1:$J_ADMIN/health/ready within ${READY_TIMEOUT}s" ;;
      esac
      got=$(curl -s -o "$TMP/body" -m 5 -w '%{http_code} %{size_download}' "$URL_PLAIN")
      [[ $got == "200 256" ]] || { log_tail; die "Junction /plain (TRACING=$m) answered '$got', expected '200 256'"; }
      PROXY_PIDS[tr$i]=$JPID
      warm "tr$i" "$WARMUP"
      say "tracing round $r/$ROUNDS: ${NAME[tr$i]} for $DURATION s (wrk -t1 -c$CONNS)"
      wrk_run "tr$i" "$DURATION" "$TMP/wrk-tr$i-$r.txt"; line=$WRK_LINE
      echo "$line" >>"$TMP/lines-tr$i"
      say "  $(kv "$line" rps) req/s, p50 $(us2ms "$(kv "$line" p50_us)") ms, p99 $(us2ms "$(kv "$line" p99_us)") ms, proxy CPU $(kv "$line" cpu_proxy)%"
      stop_junction
      sleep 1
    done
  done
fi

# ---- report ------------------------------------------------------------------------------------------------
median_line() {  # file -> the run with the median req/s among the quiet ones (other <= NOISY_MAX), else among all
  awk -v max="$NOISY_MAX" '{
      for (i = 1; i <= NF; i++) { split($i, a, "="); if (a[1] == "rps") r = a[2]; if (a[1] == "cpu_other") o = a[2] }
      print (o <= max ? 0 : 1) "\t" r "\t" $0 }' "$1" | sort -k1,1n -k2,2n \
    | awk -F'\t' '{ line[NR] = $3; if ($1 == 0) q++ } END { n = q > 0 ? q : NR; print line[int((n + 1) / 2)] }'
}
declare -A L SE SO
for t in "${TARGETS[@]}"; do
  L[$t]=$(median_line "$TMP/lines-$t")
  se=0; so=0
  while read -r l; do read -r a b <<<"$(errors_of "$l")"; se=$((se + a)); so=$((so + b)); done <"$TMP/lines-$t"
  SE[$t]=$se; SO[$t]=$so
done
rps() { kv "${L[$1]}" rps; }

cpu_model=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)
java_version=$("$JAVA" -version 2>&1 | head -n1)
commit=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo "?")
dirty=$(git -C "$ROOT" status --porcelain -- src pom.xml 2>/dev/null | wc -l)

out "Junction gateway benchmark — bench/gateway.sh"
out "date            $START_TS"
out "machine         $(nproc) cores (nproc), $cpu_model, $(uname -r), $(awk '/MemTotal/ { printf "%.0f GB", $2 / 1048576 }' /proc/meminfo) RAM"
out "java            $java_version${JAVA_OPTS:+, JAVA_OPTS=$JAVA_OPTS}"
out "tools           $(wrk --version 2>&1 | head -n1 | cut -d' ' -f1-2), $(nginx -v 2>&1 | sed 's/.*: //')"
out "junction        $JAR (tree at $commit, $dirty uncommitted change(s) under src/ pom.xml)${JAR_NOTE:+; $JAR_NOTE}"
out "event loops     $EVENT_LOOPS (JUNCTION_VERTX_EVENTLOOPS); nginx proxy worker_processes $PROXY_WORKERS; upstream nginx worker_processes $UPSTREAM_WORKERS"
out "load            wrk -t1 -c$CONNS, ${DURATION}s per run, $ROUNDS round(s) (median quiet run by req/s), warm-up ${WARMUP}s per Junction endpoint, ${NGINX_WARMUP}s per nginx target"
out "body            256 bytes from nginx 'return 200', keep-alive everywhere, loopback only"
out "postgres        $PG_MODE; access log off; logging WARN"
out "tracing         $([[ $TRACING == off ]] && echo "off (tracing.enabled=false)" || echo "on, sample ratio $TRACING, OTLP/HTTP export to the upstream nginx (TRACING=$TRACING)")$( (( TRACING_MULTI )) && echo "; /plain also per mode of TRACING=\"${TRACING_MODES[*]}\" (tracing section)")"
out "idle check      ${BG_CPU}% CPU (of $((NCPU * 100))%) busy in the 3 s before the load started, with everything idle$( (( BG_CPU > QUIET_MAX )) && echo " — NOT a quiet machine, expect noise")"
(( JWT )) && out "/jwt            JwtAuth (RS256, keys from a JWKS the upstream nginx serves; token minted by bench/BenchToken.java); closed loop only"
out "/filtered       StripPrefix=1, AddRequestHeader=X-Bench, 1$( (( RL )) && echo ", RequestRateLimiter (local, ip, replenishRate 1e9)" || echo ", no RequestRateLimiter")${RL_NOTE:+ — $RL_NOTE}"
out ""
out "== Throughput (closed loop: wrk -t1 -c$CONNS -d${DURATION}s) =="
out "$(printf '%-20s %10s %8s %8s %9s %9s %8s %7s %7s %5s %5s %7s %6s' target 'req/s' 'p50 ms' 'p99 ms' 'p99.9 ms' 'HTTP>=400' 'sockerr' 'proxy%' 'upstr%' 'wrk%' 'irq%' 'other%' 'total%')"
for t in "${TARGETS[@]}"; do
  l=${L[$t]}
  noisy=""; (( $(kv "$l" cpu_other) > NOISY_MAX )) && noisy=" *"
  out "$(printf '%-20s %10s %8s %8s %9s %9s %8s %7s %7s %5s %5s %7s %6s' "${NAME[$t]}$noisy" "$(kv "$l" rps)" "$(us2ms "$(kv "$l" p50_us)")" \
    "$(us2ms "$(kv "$l" p99_us)")" "$(us2ms "$(kv "$l" p999_us)")" "${SE[$t]}" "${SO[$t]}" \
    "$([[ $t == direct ]] && echo - || kv "$l" cpu_proxy)" "$(kv "$l" cpu_upstream)" "$(kv "$l" cpu_wrk)" "$(kv "$l" cpu_irq)" \
    "$(kv "$l" cpu_other)" "$(kv "$l" cpu_machine)")"
done
if (( ROUNDS > 1 )); then
  for t in "${TARGETS[@]}"; do
    by=""; while read -r l; do by+="$(kv "$l" rps) (other $(kv "$l" cpu_other)%)  "; done <"$TMP/lines-$t"
    out "$(printf '%-20s by round: %s' "${NAME[$t]}" "$by")"
  done
fi
for t in plain filtered $( (( JWT )) && echo jwt); do
  codes=""; while read -r l; do codes+="$(kv "$l" codes) "; done <"$TMP/lines-$t"
  out "${NAME[$t]}: statuses Junction counted (status class:count per round, from /metrics): $codes"
done
out "(CPU in % of one core, $NCPU cores = $((NCPU * 100))%: proxy under test, upstream nginx, wrk; irq = irq+softirq time (loopback"
out " packet work, for information: on this kernel it is also inside the process columns); other = total - proxy - upstream - wrk;"
out " a large 'other' means something besides this benchmark was using the cores and the figures are noisy;"
out " * = no run of this target had other <= ${NOISY_MAX}%: the figure is from a noisy run)"
out ""
out "ratios          Junction/nginx   $(ratio "$(rps plain)" "$(rps nginx)")   (/plain over nginx proxy; target >= 1.0)"
out "                Junction/direct  $(ratio "$(rps plain)" "$(rps direct)")   (nginx/direct $(ratio "$(rps nginx)" "$(rps direct)"))"
out "                filtered/plain   $(ratio "$(rps filtered)" "$(rps plain)")   (cost of StripPrefix + AddRequestHeader$( (( RL )) && echo " + RequestRateLimiter"))"
out "                Junction/nginx+hdrs $(ratio "$(rps plain)" "$(rps nginxh)")   (over the nginx proxy that also sends X-Forwarded-*, Forwarded, X-Request-Id, as Junction does)"
out "                filtered/nginx   $(ratio "$(rps filtered)" "$(rps nginx)")"
(( JWT )) && out "                JwtAuth/plain    $(ratio "$(rps jwt)" "$(rps plain)")   (/jwt: JwtAuth, RS256, external-JWKS mode; target >= 0.85)"
declare -A per_core
for t in nginx nginxh plain filtered $( (( JWT )) && echo jwt); do
  pc=$(kv "${L[$t]}" cpu_proxy)
  [[ $pc =~ ^[0-9]+$ ]] && (( pc > 0 )) && per_core[$t]=$(calc '%.0f' "$(rps "$t") * 100 / $pc") || per_core[$t]="?"
done
out "per proxy core  nginx ${per_core[nginx]} req/s, Junction /plain ${per_core[plain]} req/s, /filtered ${per_core[filtered]} req/s (req/s ÷ proxy CPU)"
out "                Junction/nginx per core $(ratio "${per_core[plain]/\?/0}" "${per_core[nginx]/\?/0}")   (the ratio least disturbed by a busy machine)"
out "                Junction/nginx+hdrs per core $(ratio "${per_core[plain]/\?/0}" "${per_core[nginxh]/\?/0}")   (nginx+hdrs ${per_core[nginxh]} req/s per proxy core)"
(( JWT )) && out "                JwtAuth/plain per core $(ratio "${per_core[jwt]/\?/0}" "${per_core[plain]/\?/0}")   (/jwt ${per_core[jwt]} req/s per proxy core)"
[[ -n $WARMUP_ERRORS ]] && out "warm-up errors  $WARMUP_ERRORS"

if (( TRACING_MULTI )); then
  out ""
  out "== Tracing: Junction /plain per tracing mode (TRACING=\"${TRACING_MODES[*]}\"; a fresh Junction per mode and round, ${WARMUP}s warm-up, wrk -t1 -c$CONNS -d${DURATION}s, $ROUNDS round(s) interleaved) =="
  out "   on = tracing.enabled, tracing.sampleRatio = the mode, spans exported over OTLP/HTTP to the upstream nginx's /v1/traces (answers 200)"
  out "$(printf '%-16s %10s %8s %8s %9s %8s %7s %7s %15s' mode 'req/s' 'p50 ms' 'p99 ms' 'HTTP>=400' 'sockerr' 'proxy%' 'other%' 'per proxy core')"
  declare -A TRL TRPC
  for i in "${TR_IDX[@]}"; do
    TRL[$i]=$(median_line "$TMP/lines-tr$i")
    l=${TRL[$i]}; se=0; so=0
    while read -r x; do read -r a b <<<"$(errors_of "$x")"; se=$((se + a)); so=$((so + b)); done <"$TMP/lines-tr$i"
    pc=$(kv "$l" cpu_proxy)
    [[ $pc =~ ^[0-9]+$ ]] && (( pc > 0 )) && TRPC[$i]=$(calc '%.0f' "$(kv "$l" rps) * 100 / $pc") || TRPC[$i]="?"
    noisy=""; (( $(kv "$l" cpu_other) > NOISY_MAX )) && noisy=" *"
    out "$(printf '%-16s %10s %8s %8s %9s %8s %7s %7s %15s' "tracing $(mode_label "${TRACING_MODES[$i]}")$noisy" "$(kv "$l" rps)" \
      "$(us2ms "$(kv "$l" p50_us)")" "$(us2ms "$(kv "$l" p99_us)")" "$se" "$so" "$pc" "$(kv "$l" cpu_other)" "${TRPC[$i]}")"
  done
  if (( ROUNDS > 1 )); then
    for i in "${TR_IDX[@]}"; do
      by=""; while read -r x; do by+="$(kv "$x" rps) (other $(kv "$x" cpu_other)%)  "; done <"$TMP/lines-tr$i"
      out "$(printf '%-16s by round: %s' "tracing $(mode_label "${TRACING_MODES[$i]}")" "$by")"
    done
  fi
  base=0
  for i in "${TR_IDX[@]}"; do [[ ${TRACING_MODES[$i]} == off ]] && { base=$i; break; }; done
  bl=$(mode_label "${TRACING_MODES[$base]}")
  first=1
  for i in "${TR_IDX[@]}"; do
    (( i == base )) && continue
    [[ ${TRACING_MODES[$i]} == "${TRACING_MODES[$base]}" ]] && continue
    ml=$(mode_label "${TRACING_MODES[$i]}")
    note=""; [[ $ml == 1% ]] && note="   (target: 1% sampling costs <= 5%, i.e. >= 0.95)"
    out "$(printf '%-15s %-22s raw %s   per proxy core %s%s' "$( (( first )) && echo ratios)" "tracing $ml/$bl" \
      "$(ratio "$(kv "${TRL[$i]}" rps)" "$(kv "${TRL[$base]}" rps)")" "$(ratio "${TRPC[$i]/\?/0}" "${TRPC[$base]/\?/0}")" "$note")"
    first=0
  done
  out "(per proxy core = req/s ÷ Junction's CPU: the ratio least disturbed by a busy machine; * = no quiet run of that mode;"
  out " the throughput table's Junction /plain is the first mode on the long-lived Junction, after the other targets' load)"
  for i in "${TR_IDX[@]}"; do
    n=0
    for ((r = 1; r <= ROUNDS; r++)); do
      c=$(grep -cE ' (WARN|ERROR) ' "$TMP/junction-tr$i-$r.log" 2>/dev/null); n=$((n + ${c:-0}))
    done
    (( n > 0 )) || continue
    out "tracing $(mode_label "${TRACING_MODES[$i]}"): Junction logged $n WARN/ERROR line(s), most frequent:"
    while IFS= read -r x; do out "  ${x:0:300}"; done < <(cat "$TMP"/junction-tr"$i"-*.log 2>/dev/null | grep -E ' (WARN|ERROR) ' \
      | sed -E 's/^[^ ]+ //; s/ \[[^]]*\] / /' | sort | uniq -c | sort -rn | head -n 3)
  done
fi

if (( FIXED_RATE )); then
  out ""
  out "== Fixed-rate latency (open loop: $FR_RATE req/s, ${FR_DURATION}s counted after ${FR_WARMUP}s, $FR_CONNS keep-alive connections, bench/FixedRate.java) =="
  out "   latency is measured from each request's scheduled send time (no coordinated omission)"
  out "$(printf '%-20s %9s %8s %8s %8s %9s %8s %7s %7s %11s' target 'achieved' 'p50 ms' 'p90 ms' 'p99 ms' 'p99.9 ms' 'max ms' 'non2xx' 'errors' '+p99 vs dir')"
  declare -A F
  for t in "${TARGETS[@]}"; do [[ $t == jwt || $t == nginxh ]] || F[$t]=$(grep '^FIXEDRATE ' "$TMP/fixedrate-$t.txt"); done
  for t in "${TARGETS[@]}"; do
    [[ $t == jwt || $t == nginxh ]] && continue
    f=${F[$t]}
    added=$(awk -v a="$(kv "$f" p99_ms)" -v b="$(kv "${F[direct]}" p99_ms)" 'BEGIN { printf "%+.3f", a - b }')
    out "$(printf '%-20s %9s %8s %8s %8s %9s %8s %7s %7s %11s' "${NAME[$t]}" "$(kv "$f" achieved_rps)" "$(kv "$f" p50_ms)" \
      "$(kv "$f" p90_ms)" "$(kv "$f" p99_ms)" "$(kv "$f" p999_ms)" "$(kv "$f" max_ms)" "$(kv "$f" non2xx)" \
      "$(( $(kv "$f" errors) + $(kv "$f" unsent) ))" "$([[ $t == direct ]] && echo - || echo "$added")")"
  done
  for t in "${TARGETS[@]}"; do
    e=$(sed -n 's/^  first error: //p' "$TMP/fixedrate-$t.txt" 2>/dev/null); [[ -n $e ]] && out "first error (${NAME[$t]}): $e"
  done
fi

out ""
out "== Junction memory after the run (pid $MEM_PID) =="
out "RSS ${M_RSS} MB (peak ${M_HWM} MB), ${M_THREADS} threads; heap used ${H_USED} MB of ${H_COMMITTED} MB committed (young ${H_YOUNG} MB), metaspace ${H_META} MB; heap after full GC ${H_LIVE} MB"
out "GC since start: $GC_N stop-the-world pauses, $GC_T ms in total, longest $GC_M ms$([[ -n $JAVA_OPTS ]] || echo " (default collector, heap sized by the JVM)")"
if (( SOAK )); then
  out ""
  out "== Soak: wrk -t1 -c$CONNS on /filtered for ${SOAK}s, sampled every ${SOAK_INTERVAL}s =="
  for s in "${SOAK_LINES[@]}"; do out "$s"; done
  read -r se so <<<"$(errors_of "$SOAK_WRK")"
  out "soak load: $(kv "$SOAK_WRK" rps) req/s, p99 $(us2ms "$(kv "$SOAK_WRK" p99_us)") ms, $se HTTP >= 400, $so socket errors"
  out "heap after full GC: ${H_LIVE} MB before the soak, ${SOAK_LIVE} MB after (flat = no leak)"
fi

if (( PROFILE )); then
  out ""
  out "== Profile: JFR execution samples of Junction during an extra ${DURATION}s wrk run per endpoint =="
  for l in "${PROFILE_LINES[@]}"; do out "$l"; done
fi

log_warns=$(grep -cE ' (WARN|ERROR) ' "$TMP/junction.log" 2>/dev/null); log_warns=${log_warns:-0}
if (( log_warns > 0 )); then
  out ""
  out "Junction logged $log_warns WARN/ERROR line(s); by message (timestamps and [request trace] ids left out):"
  while IFS= read -r l; do out "  ${l:0:300}"; done < <(grep -E ' (WARN|ERROR) ' "$TMP/junction.log" \
    | sed -E 's/^[^ ]+ //; s/ \[[^]]*\] / /' | sort | uniq -c | sort -rn | head -n 8)
fi

out ""
out "== raw wrk output of the measured runs =="
for t in "${TARGETS[@]}"; do
  for ((r = 1; r <= ROUNDS; r++)); do
    out "-- ${NAME[$t]} (round $r): ${URL[$t]}"
    while IFS= read -r l; do out "   $l"; done < <(grep -v '^WRK ' "$TMP/wrk-$t-$r.txt")
  done
done
for i in "${TR_IDX[@]}"; do
  for ((r = 1; r <= ROUNDS; r++)); do
    out "-- Junction ${NAME[tr$i]} (TRACING=${TRACING_MODES[$i]}, round $r): ${URL[tr$i]}"
    while IFS= read -r l; do out "   $l"; done < <(grep -v '^WRK ' "$TMP/wrk-tr$i-$r.txt")
  done
done

mkdir -p "$RESULTS_DIR"
stamp=$(date -u +%Y-%m-%d)
dest="$RESULTS_DIR/$stamp-$(nproc)cores.txt"
[[ -e $dest ]] && dest="$RESULTS_DIR/$stamp-$(date -u +%H%M%S)-$(nproc)cores.txt"
cp "$RESULT_TMP" "$dest"
say "figures written to ${dest#"$ROOT"/}"
