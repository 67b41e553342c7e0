#!/usr/bin/env bash
# Trains the JDK 25 AOT caches (JEP 483, 514, 515: classes loaded and linked, and method profiles)
# of jobpool's service JVM and of its worker JVMs, by running the service once on typical work.
#
#   ops/aot/train.sh APP_JAR OUT_DIR [PORT]
#
# APP_JAR is the application jar of the EXTRACTED layout (java -Djarmode=tools -jar
# jobpool-*.jar extract), whose manifest Class-Path names lib/*.jar: an AOT cache needs a class
# path of plain jars, so the fat jar does not work. The script starts
#   java -XX:AOTCacheOutput=OUT_DIR/jobpool.aot -jar APP_JAR
# with one pooled worker started with -XX:AOTCacheOutput=OUT_DIR/worker.aot, sends it a few
# hundred sum jobs of each kind, a few listings and fetches of them, then stops it with SIGTERM
# (graceful shutdown): each JVM writes its cache as it exits. Use them with the same JDK, the same
# APP_JAR path and the same jars:
#   java -XX:AOTCache=OUT_DIR/jobpool.aot -jar APP_JAR \
#     --jobpool.process.jvm-options=-Xmx256m,-XX:+UseSerialGC,-XX:-UsePerfData,-XX:AOTCache=OUT_DIR/worker.aot
# A cache that does not match is ignored (the JVM starts as without it). Needs curl; loopback only.
set -euo pipefail
APP_JAR=${1:?usage: train.sh APP_JAR OUT_DIR [PORT]}
OUT=${2:?usage: train.sh APP_JAR OUT_DIR [PORT]}
PORT=${3:-18080}
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
ROUNDS=${AOT_TRAINING_ROUNDS:-300}
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
rm -f "$OUT/jobpool.aot" "$OUT/worker.aot"
BASE="http://127.0.0.1:$PORT"

"$JAVA" -XX:AOTCacheOutput="$OUT/jobpool.aot" -jar "$APP_JAR" --server.port="$PORT" --server.address=127.0.0.1 \
  --jobpool.process.workers=1 \
  --jobpool.process.jvm-options=-Xmx256m,-XX:+UseSerialGC,-XX:-UsePerfData,-XX:AOTCacheOutput="$OUT/worker.aot" \
  > "$OUT/training.log" 2>&1 &
pid=$!
trap 'kill "$pid" 2> /dev/null || true' EXIT

for _ in $(seq 1 240); do
  if curl -sf -o /dev/null "$BASE/actuator/health/readiness"; then break; fi
  kill -0 "$pid" 2> /dev/null || { echo "the service exited; see $OUT/training.log" >&2; exit 1; }
  sleep 0.5
done
curl -sf -o /dev/null "$BASE/actuator/health/readiness" || { echo "the service did not start; see $OUT/training.log" >&2; exit 1; }

# One curl per executor, many POSTs over one keep-alive connection: the request path, the JSON,
# the executors and the worker's sum loop, as a client uses them.
for executor in process sequential platform virtual; do
  targets=()
  for _ in $(seq 1 "$ROUNDS"); do targets+=(-o /dev/null "$BASE/api/jobs/sum?wait=30"); done
  curl -sf -H 'Content-Type: application/json' \
    -d "{\"numbers\":[10000000,10000000,10000000],\"executor\":\"$executor\"}" "${targets[@]}"
done
curl -sf -o /dev/null -H 'Content-Type: application/json' -d '{"numbers":[1,2,3],"executor":"auto"}' "$BASE/api/jobs/sum?wait=30"
for _ in $(seq 1 20); do
  curl -sf -o /dev/null "$BASE/api/jobs"
  curl -sf -o /dev/null "$BASE/api/executors"
  curl -sf -o /dev/null "$BASE/actuator/health"
  curl -sf -o /dev/null "$BASE/actuator/prometheus"
done

# SIGTERM: graceful shutdown; the pool stops its worker, and each JVM writes its cache at exit.
kill -TERM "$pid"
wait "$pid" || true
trap - EXIT
for cache in jobpool.aot worker.aot; do
  [ -s "$OUT/$cache" ] || { echo "no $OUT/$cache was written; see $OUT/training.log" >&2; exit 1; }
done
ls -l "$OUT/jobpool.aot" "$OUT/worker.aot"
