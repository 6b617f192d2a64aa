#!/usr/bin/env bash
# Junction audit benchmark: sustained audit records/s (hash chain, batched commits) and the latency of an audited
# admin write, quiet and under audit load. Needs Postgres on PG_HOST:PG_PORT (trust auth on loopback); creates and
# drops a scratch database. Loopback only; bounded in time.   Usage: bench/audit.sh   (knobs as env vars)
set -uo pipefail
BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$BENCH_DIR/.." && pwd)
export DURATION=${DURATION:-10}       # counted seconds of the sustained phase (after 2 s warm-up)
export IN_FLIGHT=${IN_FLIGHT:-2000}   # records outstanding in the sustained phase
export WRITES=${WRITES:-1000}         # admin writes per latency phase
export BG_RATE=${BG_RATE:-5000}       # background audit records/s during the loaded latency phase
PG_HOST=${PG_HOST:-127.0.0.1}; PG_PORT=${PG_PORT:-5432}; PG_USER=${PG_USER:-postgres}
BUILD_DIR=${BUILD_DIR:-$ROOT/target}
JAR=${JAR:-$BUILD_DIR/junction.jar}
say() { printf '[%s] %s\n' "$(date +%T)" "$*" >&2; }
die() { say "FAILED: $*"; exit 1; }
if [[ ! -f $JAR ]]; then
  say "building $JAR"
  (cd "$ROOT" && timeout 900 mvn -B -q package -DskipTests -Djunction.buildDir="$BUILD_DIR") || die "build failed"
fi
command -v psql >/dev/null || die "psql is needed to create the scratch database"
TMP=$(mktemp -d -t junction-audit-bench.XXXXXX)
DB=junction_audit_bench_$$
cleanup() { psql -q -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -d postgres -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" >/dev/null 2>&1; rm -rf "$TMP"; }
trap cleanup EXIT INT TERM
psql -q -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -d postgres -c "CREATE DATABASE $DB" || die "cannot create $DB"
timeout 120 javac -nowarn -cp "$JAR" -d "$TMP/classes" "$BENCH_DIR/AuditBench.java" || die "AuditBench.java does not compile"
say "running (about $(( DURATION + 4 )) s sustained + 3 x WRITES admin writes)"
STORAGE_URL="postgresql://$PG_USER@$PG_HOST:$PG_PORT/$DB" timeout -k 10 600 java -cp "$JAR:$TMP/classes" AuditBench 2>"$TMP/err.txt" | grep -v "^{" \
  || { tail -20 "$TMP/err.txt" >&2; die "benchmark failed"; }
