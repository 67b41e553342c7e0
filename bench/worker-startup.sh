#!/usr/bin/env bash
# Measures how long a worker JVM takes from exec to exit when given no task (start, say ready,
# read end of input, exit), with the options that shorten JVM start-up, and prints a markdown table.
#   bench/worker-startup.sh target/bench/app
set -euo pipefail
cd "$(dirname "$0")/.."
APP=${1:-target/bench/app}
JAVA="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java"
RUNS=${RUNS:-10}
WORK=target/bench
MAIN=dev.jobpool.execution.process.WorkerMain
FULL_CP="$APP/jobpool-0.1.0-SNAPSHOT.jar"
# The few jars a worker needs: its own classes, the HTTP client, Micrometer's core and Spring's DataSize.
SMALL_CP=""
for name in httpclient5 httpcore5 httpcore5-h2 micrometer-core micrometer-commons spring-core spring-beans spring-jcl slf4j-api; do
  for jar in "$APP"/lib/"$name"-[0-9]*.jar; do
    [ -f "$jar" ] && SMALL_CP="$SMALL_CP$jar:"
  done
done
# The extracted application jar names every library in its manifest, so copy its classes into a jar
# that names none.
JAR_TOOL="${JAVA%/java}/jar"
rm -rf "$WORK/worker-classes" && mkdir -p "$WORK/worker-classes"
(cd "$WORK/worker-classes" && "$JAR_TOOL" xf "$(realpath "../../../$FULL_CP")" dev)
"$JAR_TOOL" cf "$WORK/jobpool-classes.jar" -C "$WORK/worker-classes" .
SMALL_CP="$WORK/jobpool-classes.jar:$SMALL_CP"
BASE=(-Xmx256m -XX:+UseSerialGC -XX:-UsePerfData)

measure() {
  local label=$1; shift
  local times=()
  for _ in $(seq 1 "$RUNS"); do
    local start end
    start=$(date +%s%N)
    "$JAVA" "$@" "$MAIN" < /dev/null > /dev/null
    end=$(date +%s%N)
    times+=($(( (end - start) / 1000000 )))
  done
  local sorted median
  sorted=$(printf '%s\n' "${times[@]}" | sort -n)
  median=$(echo "$sorted" | awk -v n="$RUNS" 'NR == int((n + 1) / 2) {print}')
  echo "| $label | $median | $(echo "$sorted" | head -1) | $(echo "$sorted" | tail -1) |"
}

echo "### Worker JVM start-up to exit, no task ($RUNS runs each)"
echo
echo "| variant | median ms | min ms | max ms |"
echo "|---|---:|---:|---:|"
measure "full class path, default CDS (JDK classes only)" "${BASE[@]}" -cp "$FULL_CP"
measure "full class path, CDS off" "${BASE[@]}" -Xshare:off -cp "$FULL_CP"
measure "small class path" "${BASE[@]}" -cp "$SMALL_CP"
rm -f "$WORK/worker-app.jsa"
"$JAVA" "${BASE[@]}" -XX:ArchiveClassesAtExit="$WORK/worker-app.jsa" -cp "$SMALL_CP" "$MAIN" < /dev/null > /dev/null 2>&1 || true
measure "small class path + AppCDS archive" "${BASE[@]}" -XX:SharedArchiveFile="$WORK/worker-app.jsa" -cp "$SMALL_CP"
rm -f "$WORK/worker.aot"
"$JAVA" "${BASE[@]}" -XX:AOTCacheOutput="$WORK/worker.aot" -cp "$SMALL_CP" "$MAIN" < /dev/null > /dev/null 2>&1 || true
if [ -f "$WORK/worker.aot" ]; then
  measure "small class path + JDK 25 AOT cache" "${BASE[@]}" -XX:AOTCache="$WORK/worker.aot" -cp "$SMALL_CP"
else
  echo "| small class path + JDK 25 AOT cache | (the cache could not be created) | | |"
fi
echo
