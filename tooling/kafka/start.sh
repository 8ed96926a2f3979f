#!/usr/bin/env bash
# Starts the Kafka test broker (Apache Kafka 3.9, single KRaft node) on 127.0.0.1:9092 unless
# something already answers there. Idempotent; safe to run from several test runs at once.
#   tooling/kafka/start.sh
# On first use it fetches the jars into lib/ (needs Maven + Maven Central) and formats the
# storage in data/ (fixed cluster id, so a restart reuses the data). The broker runs in the
# background (log: kafka.log, pid: kafka.pid); the script returns once the port answers and the
# broker has logged that it started.
# Env: KAFKA_TEST_HEAP (default 512m), KAFKA_TEST_DATA (default tooling/kafka/data).
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
PORT=9092
DATA=${KAFKA_TEST_DATA:-$HERE/data}
LOG="$HERE/kafka.log"
PID_FILE="$HERE/kafka.pid"
# Any fixed base64 UUID: one id for every format, so `--ignore-formatted` can keep the data.
CLUSTER_ID=TXVzdGVyS2Fma2FUZXN0MQ

answers() {
  # bash's /dev/tcp: a TCP connect succeeds once the broker listens.
  (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null
}

if answers; then
  exit 0
fi

# One starter at a time: parallel test runs must not launch two brokers.
exec 9>"$HERE/.start.lock"
flock 9
if answers; then
  exit 0
fi

if [ ! -f "$HERE/lib/.complete" ]; then
  echo "kafka test broker: fetching jars with Maven into $HERE/lib" >&2
  mvn -q -B -f "$HERE/pom.xml" dependency:copy-dependencies -DincludeScope=runtime \
    -DoutputDirectory="$HERE/lib" >&2
  touch "$HERE/lib/.complete"
fi

JAVA_OPTS=(
  -Xms128m "-Xmx${KAFKA_TEST_HEAP:-512m}" -XX:+UseG1GC -XX:MaxGCPauseMillis=20
  -Djava.awt.headless=true "-Dlog4j.configuration=file:$HERE/log4j.properties"
  -cp "$HERE/lib/*"
)
# StorageTool reads log.dirs from its config file only: write the effective config into DATA.
mkdir -p "$DATA/log"
CONFIG="$DATA/server.properties"
{ cat "$HERE/server.properties"; echo "log.dirs=$DATA/log"; } >"$CONFIG"
if [ ! -f "$DATA/log/meta.properties" ]; then
  echo "kafka test broker: formatting storage in $DATA/log" >&2
  java "${JAVA_OPTS[@]}" kafka.tools.StorageTool format --ignore-formatted \
    -t "$CLUSTER_ID" -c "$CONFIG" >&2
fi

echo "kafka test broker: starting on 127.0.0.1:$PORT (log: $LOG)" >&2
# setsid: the broker outlives the shell (and the test run) that started it.
setsid java "${JAVA_OPTS[@]}" kafka.Kafka "$CONFIG" \
  >"$LOG" 2>&1 </dev/null &
echo $! >"$PID_FILE"

# Allow 90 s: KRaft quorum formation and the JVM start are slow on a loaded 2-core machine.
for _ in $(seq 1 180); do
  if answers && grep -q "Kafka Server started" "$LOG"; then
    exit 0
  fi
  if ! kill -0 "$(cat "$PID_FILE")" 2>/dev/null; then
    echo "kafka test broker: exited during start; see $LOG" >&2
    tail -20 "$LOG" >&2 || true
    exit 1
  fi
  sleep 0.5
done
echo "kafka test broker: not started after 90 s; see $LOG" >&2
exit 1
