#!/usr/bin/env bash
# Stops the Kafka test broker that start.sh launched (SIGTERM: a clean shutdown that flushes the
# logs; SIGKILL after 30 s). The data stays in data/ for the next start; `--wipe` deletes it.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
PID_FILE="$HERE/kafka.pid"
if [ -f "$PID_FILE" ]; then
  PID=$(cat "$PID_FILE")
  if kill "$PID" 2>/dev/null; then
    for _ in $(seq 1 120); do
      kill -0 "$PID" 2>/dev/null || break
      sleep 0.25
    done
    kill -9 "$PID" 2>/dev/null || true
  fi
  rm -f "$PID_FILE"
fi
if [ "${1:-}" = "--wipe" ]; then
  rm -rf "${KAFKA_TEST_DATA:-$HERE/data}"
fi
