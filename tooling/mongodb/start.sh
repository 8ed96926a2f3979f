#!/usr/bin/env bash
# Starts the MongoDB test server (mongo-java-server, in-memory) on 127.0.0.1:${MONGODB_PORT:-27017}
# unless something already answers there. Idempotent; safe to run from several test runs at once.
#   tooling/mongodb/start.sh [port]
# Fetches the jars into lib/ on first use (needs Maven + Maven Central), compiles the launcher into
# classes/, starts it in the background (log: server-<port>.log, pid: server-<port>.pid) and waits
# until the port answers.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
PORT=${1:-${MONGODB_PORT:-27017}}
LOG="$HERE/server-$PORT.log"
PID_FILE="$HERE/server-$PORT.pid"

answers() {
  # bash's /dev/tcp: a TCP connect succeeds once the server listens.
  (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null
}

if answers; then
  exit 0
fi

# One starter at a time: parallel test runs must not launch two servers on one port.
exec 9>"$HERE/.start-$PORT.lock"
flock 9
if answers; then
  exit 0
fi

if [ ! -f "$HERE/lib/.complete" ]; then
  echo "mongodb test server: fetching jars with Maven into $HERE/lib" >&2
  mvn -q -B -f "$HERE/pom.xml" dependency:copy-dependencies -DoutputDirectory="$HERE/lib" >&2
  touch "$HERE/lib/.complete"
fi

if [ ! -f "$HERE/classes/Launcher.class" ] || [ "$HERE/Launcher.java" -nt "$HERE/classes/Launcher.class" ]; then
  javac -cp "$HERE/lib/*" -d "$HERE/classes" "$HERE/Launcher.java"
fi

echo "mongodb test server: starting on 127.0.0.1:$PORT (log: $LOG)" >&2
# setsid: the server outlives the shell (and the test run) that started it.
setsid java -Xmx${MONGODB_SERVER_HEAP:-2g} -XX:+UseParallelGC \
  -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  -cp "$HERE/classes:$HERE/lib/*" Launcher "$PORT" >"$LOG" 2>&1 </dev/null &
echo $! >"$PID_FILE"

for _ in $(seq 1 120); do
  if answers; then
    exit 0
  fi
  if ! kill -0 "$(cat "$PID_FILE")" 2>/dev/null; then
    echo "mongodb test server: exited during start; see $LOG" >&2
    tail -20 "$LOG" >&2 || true
    exit 1
  fi
  sleep 0.5
done
echo "mongodb test server: no answer on port $PORT after 60 s; see $LOG" >&2
exit 1
