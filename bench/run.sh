#!/usr/bin/env bash
# Reproduces jobpool's performance figures on this machine and prints markdown tables.
#
#   bench/run.sh            all experiments
#   bench/run.sh cpu        three sums of 10,000,000 on each executor, then again with curl as the client
#   bench/run.sh efficiency one long sum per core on platform threads and on processes
#   bench/run.sh dispatch   round-trip overhead of trivial tasks on worker processes
#   bench/run.sh spawn      what a fresh worker JVM per task costs
#   bench/run.sh startup    worker JVM start-up with and without CDS, the AOT cache, a small class path
#   bench/run.sh io         fetch 100, 1,000 and 10,000 URLs of 100 ms on virtual threads and on four platform threads
#   bench/run.sh memory     the service's resident memory during one 10,000-URL job on virtual threads
#   bench/run.sh overhead   throughput of tiny sum jobs against a request that does nothing, over HTTP
#   bench/run.sh firstminute the first requests of a fresh service, with and without its warm-up and the JDK 25
#                           AOT caches
#   bench/run.sh cluster    the Redis store: one replica on Redis against one in memory, tiny tasks across
#                           three replicas, the re-run of a kill -9'd replica's tasks (needs redis-server)
#
# io and memory fetch from bench/SlowServer.java on loopback, which this script starts and stops; each
# of io, memory and overhead gets a freshly started service (IoBench.java, OverheadBench.java). Their
# settings go in BENCH_IO_OPTS and BENCH_OVERHEAD_OPTS, for example
#   BENCH_IO_OPTS="-Dfull=true" bench/run.sh io     (measure the 10,000-URL platform case too: over 4 min)
#   BENCH_OVERHEAD_OPTS="-Dclients=1,16,256 -Dseconds=10" bench/run.sh overhead
# cluster starts a redis-server (no persistence, noeviction) on a free loopback port in a temporary
# directory and the slow server, and bench/ClusterBench.java starts and stops the replicas itself;
# BENCH_CLUSTER picks its parts (store tiny kill) and BENCH_CLUSTER_OPTS takes its settings, e.g.
#   BENCH_CLUSTER="store" BENCH_CLUSTER_OPTS="-DfetchRepeat=9 -DclassicRepeat=200" bench/run.sh cluster
# With no argument every experiment runs, cluster only when redis-server is installed.
#
# It builds the jar if needed, runs the service from its extracted layout (as the Docker image
# does) on a free loopback port, and stops it at the end. Loopback only; every loop is bounded.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ -z "${JAVA_HOME:-}" ] || ! "$JAVA_HOME/bin/java" -version 2>&1 | grep -q 'version "25'; then
  export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
fi
JAVA="$JAVA_HOME/bin/java"
JAR=target/jobpool-0.1.0-SNAPSHOT.jar
APP=target/bench/app
WORK=target/bench
mkdir -p "$WORK"

[ -f "$JAR" ] || ./mvnw -B -q -DskipTests package
if [ ! -f "$APP/jobpool-0.1.0-SNAPSHOT.jar" ] || [ "$JAR" -nt "$APP/jobpool-0.1.0-SNAPSHOT.jar" ]; then
  rm -rf "$APP"
  "$JAVA" -Djarmode=tools -jar "$JAR" extract --destination "$APP" > /dev/null
fi

experiments=("$@")
if [ ${#experiments[@]} -eq 0 ]; then
  experiments=(cpu efficiency dispatch spawn startup io memory overhead firstminute)
  if command -v redis-server > /dev/null; then experiments+=(cluster); fi
fi

echo "## jobpool benchmarks"
echo
echo "- date: $(date -u +%Y-%m-%dT%H:%MZ)"
echo "- CPU: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(nproc) cores; memory: $(free -g | awk '/Mem:/{print $2}') GiB"
echo "- JDK: $("$JAVA" -version 2>&1 | head -1)"
echo

# Stop one process this script started (SIGTERM) and wait for it; nothing if the pid is empty.
stop_pid() {
  if [ -n "$1" ]; then
    kill "$1" 2> /dev/null || true
    wait "$1" 2> /dev/null || true
  fi
}

service_pid=""
stop_service() {
  stop_pid "$service_pid"
  service_pid=""
}
trap stop_service EXIT

start_service() {
  port=$("$JAVA" bench/FreePort.java)
  # The figures depend on these: say them beside the tables (none means every default).
  echo "- service settings: ${*:-(defaults)}"
  echo
  "$JAVA" -jar "$APP/jobpool-0.1.0-SNAPSHOT.jar" --server.port="$port" --server.address=127.0.0.1 "$@" \
    > "$WORK/service.log" 2>&1 &
  service_pid=$!
  for _ in $(seq 1 120); do
    if curl -sf "http://127.0.0.1:$port/actuator/health" > /dev/null; then
      return 0
    fi
    sleep 0.5
  done
  echo "the service did not start; see $WORK/service.log" >&2
  exit 1
}

service_experiments=()
for experiment in "${experiments[@]}"; do
  case "$experiment" in
    cpu|efficiency|dispatch|spawn) service_experiments+=("$experiment") ;;
    startup|io|memory|overhead|firstminute|cluster) ;;
    *) echo "unknown experiment $experiment" >&2; exit 2 ;;
  esac
done

# The cpu experiment once more with curl as the client: one curl process, 300 POSTs in a row over one
# keep-alive connection, the first 50 dropped. curl's own overhead is a few tens of microseconds, so this
# checks that the Java client's table measures the service and not itself.
curl_cross_check() {
  echo "### Three sums of 10,000,000 again, with curl as the client (250 runs after 50)"
  echo
  echo "| executor | median ms | p10 ms | p90 ms |"
  echo "|---|---:|---:|---:|"
  local url="http://127.0.0.1:$port/api/jobs/sum?wait=60" executor
  for executor in sequential platform process; do
    local targets=()
    for _ in $(seq 1 300); do targets+=(-o /dev/null "$url"); done
    curl -sf -w '%{time_total}\n' -H 'Content-Type: application/json' \
      -d "{\"numbers\":[10000000,10000000,10000000],\"executor\":\"$executor\"}" "${targets[@]}" \
      | tail -n +51 | sort -n \
      | awk -v executor="$executor" '{ t[NR] = $1 * 1000 } END { printf "| %s | %.1f | %.1f | %.1f |\n", executor, t[int((NR + 1) / 2)], t[int(NR / 10)], t[int(NR * 9 / 10)] }'
  done
  echo
}

if [ ${#service_experiments[@]} -gt 0 ]; then
  start_service
  "$JAVA" -Dn="${BENCH_N:-2000000000}" bench/Bench.java "http://127.0.0.1:$port" "${service_experiments[@]}"
  if printf '%s\n' "${service_experiments[@]}" | grep -qx cpu; then
    curl_cross_check
  fi
  stop_service
fi

if printf '%s\n' "${experiments[@]}" | grep -qx startup; then
  bench/worker-startup.sh "$APP"
fi

# io, memory, overhead: each on a fresh service. The fetch guard must let loopback through, and 10,000
# requests to one host must be allowed in flight at once.
slow_pid=""
stop_slow_server() {
  stop_pid "$slow_pid"
  slow_pid=""
}
redis_pid=""
redis_dir=""
cluster_pid=""
# The cluster bench first: its shutdown hook stops the replicas it started, before Redis goes.
stop_redis() {
  stop_pid "$cluster_pid"
  cluster_pid=""
  stop_pid "$redis_pid"
  redis_pid=""
  if [ -n "$redis_dir" ]; then
    rm -rf "$redis_dir"
    redis_dir=""
  fi
}
trap 'stop_service; stop_slow_server; stop_redis' EXIT

# A throwaway redis-server for the cluster experiment: loopback, nothing written to disk, and the
# eviction policy the README asks for.
start_redis() {
  command -v redis-server > /dev/null || { echo "cluster needs redis-server (apt-get install redis-server)" >&2; exit 1; }
  redis_port=$("$JAVA" bench/FreePort.java)
  redis_dir=$(mktemp -d)
  (cd "$redis_dir" && exec redis-server --port "$redis_port" --bind 127.0.0.1 --save "" --appendonly no \
    --maxmemory-policy noeviction) > "$WORK/redis.log" 2>&1 &
  redis_pid=$!
  for _ in $(seq 1 60); do
    if redis-cli -p "$redis_port" ping 2> /dev/null | grep -q PONG; then
      return 0
    fi
    sleep 0.25
  done
  echo "redis-server did not start; see $WORK/redis.log" >&2
  exit 1
}

start_slow_server() {
  [ -z "$slow_pid" ] || return 0
  slow_port=$("$JAVA" bench/FreePort.java)
  "$JAVA" bench/SlowServer.java --port="$slow_port" --seconds=7200 > "$WORK/slow-server.log" 2>&1 &
  slow_pid=$!
  for _ in $(seq 1 60); do
    if curl -sf "http://127.0.0.1:$slow_port/stats" > /dev/null; then
      return 0
    fi
    sleep 0.5
  done
  echo "the slow server did not start; see $WORK/slow-server.log" >&2
  exit 1
}

FETCH_LOOPBACK=(--jobpool.fetch.allowed-hosts=127.0.0.1 --jobpool.fetch.max-per-host=20000
  --jobpool.fetch.max-in-flight=20000 --jobpool.fetch.max-connections=20000)
for experiment in "${experiments[@]}"; do
  case "$experiment" in
    io|memory|overhead|cluster)
      # Ten thousand connections on each side of loopback: raise the open-files limit if allowed.
      ulimit -n 65536 2> /dev/null || ulimit -n "$(ulimit -Hn)" 2> /dev/null || true
      ;;
  esac
  case "$experiment" in
    io)
      start_slow_server
      # Four platform threads, so that concurrency 4 is Python's ThreadPool(4) whatever the core count.
      start_service "${FETCH_LOOPBACK[@]}" --jobpool.executors.platform-threads=4
      "$JAVA" ${BENCH_IO_OPTS:-} bench/IoBench.java "http://127.0.0.1:$port" "http://127.0.0.1:$slow_port" io
      stop_service
      ;;
    memory)
      start_slow_server
      start_service "${FETCH_LOOPBACK[@]}"
      "$JAVA" -Dpid="$service_pid" ${BENCH_IO_OPTS:-} bench/IoBench.java "http://127.0.0.1:$port" "http://127.0.0.1:$slow_port" memory
      stop_service
      ;;
    overhead)
      start_service
      "$JAVA" ${BENCH_OVERHEAD_OPTS:-} bench/OverheadBench.java "http://127.0.0.1:$port"
      stop_service
      ;;
    cluster)
      start_slow_server
      start_redis
      # In the background, so that the trap can stop it.
      "$JAVA" -Dlog="$WORK" ${BENCH_CLUSTER_OPTS:-} bench/ClusterBench.java "$APP/jobpool-0.1.0-SNAPSHOT.jar" \
        "$redis_port" "http://127.0.0.1:$slow_port" ${BENCH_CLUSTER:-store tiny kill} &
      cluster_pid=$!
      wait "$cluster_pid"
      cluster_pid=""
      stop_redis
      ;;
  esac
done
stop_slow_server

# firstminute: a fresh service per run (bench/FirstMinute.java), with the warm-up (the default) and
# without it (jobpool.warmup.enabled=false), each without and with the AOT caches that ops/aot/train.sh
# trains (again whenever the jar is newer than they are).
if printf '%s\n' "${experiments[@]}" | grep -qx firstminute; then
  AOT="$WORK/aot"
  if [ ! -s "$AOT/jobpool.aot" ] || [ ! -s "$AOT/worker.aot" ] || [ "$APP/jobpool-0.1.0-SNAPSHOT.jar" -nt "$AOT/jobpool.aot" ]; then
    ops/aot/train.sh "$APP/jobpool-0.1.0-SNAPSHOT.jar" "$AOT" "$("$JAVA" bench/FreePort.java)" > /dev/null
  fi
  WORKER_OPTS="-Xmx256m,-XX:+UseSerialGC,-XX:-UsePerfData"
  requests=${FIRSTMINUTE_REQUESTS:-1100}
  echo "### The first requests of a fresh service: three sums of 10,000,000 on process, one after another"
  echo
  echo "(each row a fresh service; warm = the last 100 of $requests requests; ratio = first 10 / warm)"
  echo
  echo "| variant | start to ready ms | request 1 ms | first 10 median ms | first 100 median ms | warm median ms | ratio |"
  echo "|---|---:|---:|---:|---:|---:|---:|"
  for _ in $(seq 1 "${FIRSTMINUTE_RUNS:-2}"); do
    for warmup in true false; do
      what=$([ "$warmup" = true ] && echo "warm-up" || echo "no warm-up")
      "$JAVA" -Drequests="$requests" -Dlabel="$what, no AOT cache" -Dlog="$WORK/first-minute.log" bench/FirstMinute.java \
        "$APP/jobpool-0.1.0-SNAPSHOT.jar" "$("$JAVA" bench/FreePort.java)" --jobpool.warmup.enabled="$warmup"
      "$JAVA" -Drequests="$requests" -Dlabel="$what, AOT caches" -Dlog="$WORK/first-minute.log" bench/FirstMinute.java \
        "$APP/jobpool-0.1.0-SNAPSHOT.jar" "$("$JAVA" bench/FreePort.java)" -XX:AOTCache="$AOT/jobpool.aot" \
        --jobpool.process.jvm-options="$WORKER_OPTS,-XX:AOTCache=$AOT/worker.aot" --jobpool.warmup.enabled="$warmup"
    done
  done
  echo
fi
