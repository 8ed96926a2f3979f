#!/usr/bin/env bash
# Stops a test server that start.sh launched on the given port (default ${MONGODB_PORT:-27017}).
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
PORT=${1:-${MONGODB_PORT:-27017}}
PID_FILE="$HERE/server-$PORT.pid"
if [ -f "$PID_FILE" ]; then
  PID=$(cat "$PID_FILE")
  if kill "$PID" 2>/dev/null; then
    for _ in $(seq 1 40); do
      kill -0 "$PID" 2>/dev/null || break
      sleep 0.25
    done
  fi
  rm -f "$PID_FILE"
fi
