#!/usr/bin/env bash
# Junction cache benchmark: reads/s through io.junction.cache.CacheAside warm (L1 hits), from L2 (Redis) and
# cold (every read a real Postgres query), side by side in one JVM run, with the ratios to cold.
# Everything listens on 127.0.0.1 only, runs for a bounded time and stops what it started, also on Ctrl-C.
# What it measures and the last figures: bench/cache.md.   Usage: bench/cache.sh   (knobs as env vars)
set -uo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$BENCH_DIR/.." && pwd)

# ---- knobs -------------------------------------------------------------------------------------------------
DURATION=${DURATION:-5}             # counted seconds per phase
WARMUP=${WARMUP:-2}                 # uncounted seconds per phase before it (JIT, pools)
CONCURRENCY=${CONCURRENCY:-64}      # reads in flight (closed loop), spread over the event loops
KEYS=${KEYS:-1000}                  # distinct keys, read uniformly at random
EVENT_LOOPS=${EVENT_LOOPS:-2}       # Vert.x event loops of the benchmark JVM
PG=${PG:-auto}                      # auto (server on PG_HOST:PG_PORT if it answers, else embedded) | external | embedded
PG_HOST=${PG_HOST:-127.0.0.1}
PG_PORT=${PG_PORT:-5432}
PG_USER=${PG_USER:-postgres}
REDIS_URL=${REDIS_URL:-}            # default: redis://127.0.0.1:6379 if it answers, else a redis-server of our own
BUILD_DIR=${BUILD_DIR:-$ROOT/target} # where Maven builds (-Djunction.buildDir)
JAR=${JAR:-$BUILD_DIR/junction.jar} # Junction fat jar (classes + dependencies); built when missing
JAVA=${JAVA:-java}
MAX_TIME=${MAX_TIME:-auto}          # hard limit in seconds for the run; auto = planned time + 120

say() { printf '[%s] %s\n' "$(date +%T)" "$*" >&2; }
die() { say "FAILED: $*"; exit 1; }
is_uint() { [[ $1 =~ ^[0-9]+$ ]]; }
for knob in DURATION WARMUP CONCURRENCY KEYS EVENT_LOOPS PG_PORT; do
  is_uint "${!knob}" || die "$knob must be a whole number, not '${!knob}'"
done
(( DURATION >= 1 && CONCURRENCY >= 1 && KEYS >= 1 && EVENT_LOOPS >= 1 )) || die "DURATION, CONCURRENCY, KEYS and EVENT_LOOPS must be at least 1"
[[ $MAX_TIME == auto ]] && MAX_TIME=$(( 3 * (DURATION + WARMUP) + 120 ))
is_uint "$MAX_TIME" || die "MAX_TIME must be a whole number or auto"

# ---- cleanup: what this script started, by pid -------------------------------------------------------------
TMP=$(mktemp -d -t junction-cache-bench.XXXXXX); REDIS_PID=""; BENCH_PID=""; SCRATCH_DB=""; CLEANED=0
cleanup() {
  (( CLEANED )) && return
  CLEANED=1
  trap - INT TERM
  if [[ -n $BENCH_PID ]] && kill -0 "$BENCH_PID" 2>/dev/null; then
    kill -TERM "$BENCH_PID" 2>/dev/null; sleep 2; kill -KILL "$BENCH_PID" 2>/dev/null
  fi
  [[ -n $REDIS_PID ]] && kill -TERM "$REDIS_PID" 2>/dev/null && wait "$REDIS_PID" 2>/dev/null
  if [[ -n $SCRATCH_DB ]]; then
    psql -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -d postgres -Atqc "DROP DATABASE IF EXISTS $SCRATCH_DB WITH (FORCE)" \
      >/dev/null 2>&1 </dev/null || say "could not drop scratch database $SCRATCH_DB"
  fi
  rm -rf "$TMP"
}
trap cleanup EXIT
trap 'say "interrupted"; exit 130' INT TERM

answers() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# ---- 1. the jar ----------------------------------------------------------------------------------------------
if [[ ! -f $JAR ]]; then
  say "building $JAR (mvn package -DskipTests)"
  (cd "$ROOT" && timeout 900 mvn -B -q package -DskipTests -Djunction.buildDir="$BUILD_DIR") || die "build failed"
  [[ -f $JAR ]] || die "no $JAR after the build"
elif [[ -n $(find "$ROOT/src/main" -newer "$JAR" -type f -print -quit) ]]; then
  say "warning: $JAR is older than src/main (the figures are for an old build; delete it to rebuild)"
fi
command -v javac >/dev/null || die "javac (a JDK 17+) is needed"
timeout 120 javac -nowarn -cp "$JAR" -d "$TMP/classes" "$BENCH_DIR/CacheBench.java" || die "CacheBench.java does not compile"

# ---- 2. Redis ------------------------------------------------------------------------------------------------
if [[ -z $REDIS_URL ]]; then
  if answers 6379; then
    REDIS_URL=redis://127.0.0.1:6379
  else
    command -v redis-server >/dev/null || die "no Redis on 127.0.0.1:6379 and no redis-server (apt-get install -y redis-server)"
    port=$(( 20000 + RANDOM % 20000 ))
    redis-server --bind 127.0.0.1 --port "$port" --save "" --appendonly no --dir "$TMP" >"$TMP/redis.log" 2>&1 &
    REDIS_PID=$!
    for _ in $(seq 50); do answers "$port" && break; sleep 0.1; done
    answers "$port" || die "redis-server did not start (see $TMP/redis.log)"
    REDIS_URL=redis://127.0.0.1:$port
  fi
fi
say "Redis: $REDIS_URL"

# ---- 3. Postgres ---------------------------------------------------------------------------------------------
PG_URL=""
if [[ $PG == auto || $PG == external ]]; then
  if command -v psql >/dev/null && psql -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -d postgres -Atqc 'select 1' >/dev/null 2>&1 </dev/null; then
    SCRATCH_DB="junction_cache_bench_$$_$RANDOM"
    psql -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -d postgres -Atqc "CREATE DATABASE $SCRATCH_DB" >/dev/null </dev/null \
      || { SCRATCH_DB=""; die "cannot create a scratch database on $PG_HOST:$PG_PORT"; }
    PG_URL="postgresql://$PG_USER@$PG_HOST:$PG_PORT/$SCRATCH_DB"
  elif [[ $PG == external ]]; then
    die "no Postgres answering on $PG_HOST:$PG_PORT as $PG_USER"
  fi
elif [[ $PG != embedded ]]; then
  die "PG must be auto, external or embedded"
fi
say "Postgres: ${PG_URL:-embedded (started by the benchmark JVM)}"

# ---- 4. run ----------------------------------------------------------------------------------------------------
say "cores: $(nproc); planned $(( 3 * (DURATION + WARMUP) )) s of load, limit $MAX_TIME s"
REDIS_URL=$REDIS_URL PG_URL=$PG_URL DURATION=$DURATION WARMUP=$WARMUP CONCURRENCY=$CONCURRENCY KEYS=$KEYS \
  EVENT_LOOPS=$EVENT_LOOPS JUNCTION_LOGGING_FORMAT=text \
  timeout -k 10 "$MAX_TIME" "$JAVA" -Djunction.logging.format=text -cp "$JAR:$TMP/classes" CacheBench >"$TMP/out.txt" 2>"$TMP/err.txt" &
BENCH_PID=$!
wait "$BENCH_PID"; rc=$?
BENCH_PID=""
# Junction's log lines (stdout, text) are not results: warnings and errors go to stderr, the table to stdout.
LOG_LINE='^[0-9]{4}-[0-9]{2}-[0-9]{2}T'
grep -E "$LOG_LINE" "$TMP/out.txt" | grep -v ' INFO ' >&2
grep -v ' INFO ' "$TMP/err.txt" >&2
(( rc == 0 )) || { cat "$TMP/out.txt" >&2; die "the benchmark exited with status $rc"; }
echo "cache benchmark $(date -u +%FT%TZ), $(nproc) cores, $EVENT_LOOPS event loop(s), $CONCURRENCY reads in flight, $KEYS keys, ${DURATION} s per phase"
grep -Ev "$LOG_LINE" "$TMP/out.txt"
