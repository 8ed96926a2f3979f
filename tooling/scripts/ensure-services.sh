#!/usr/bin/env bash
# Starts the shared test services (PostgreSQL, Redis, NATS, the MongoDB-wire server, Kafka) if
# they are not answering. Tests find them through DATABASE_URL, REDIS_URL, NATS_URL, MONGODB_URL
# and KAFKA_BROKERS (loopback defaults).
set -uo pipefail

wait_for() {
  local name=$1 check=$2
  for _ in $(seq 1 30); do
    if eval "$check" >/dev/null 2>&1; then return 0; fi
    sleep 1
  done
  echo "ensure-services: $name did not come up" >&2
  return 1
}

if ! pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null; then
  echo "ensure-services: starting PostgreSQL"
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql)" main start || true
  wait_for PostgreSQL "pg_isready -h 127.0.0.1 -p 5432 -q"
fi

if ! redis-cli -h 127.0.0.1 -p 6379 ping 2>/dev/null | grep -q PONG; then
  echo "ensure-services: starting Redis"
  redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
    --dir /var/lib/redis --logfile /var/log/redis/ci.log || true
  wait_for Redis "redis-cli -h 127.0.0.1 -p 6379 ping | grep -q PONG"
fi
if ! (exec 3<>/dev/tcp/127.0.0.1/4222) 2>/dev/null; then
  echo "ensure-services: starting NATS"
  start-stop-daemon --start --oknodo --background --exec /usr/sbin/nats-server -- \
    -a 127.0.0.1 -p 4222 -js -sd /var/lib/nats-server -l /var/log/nats-server.log || true
  wait_for NATS "(exec 3<>/dev/tcp/127.0.0.1/4222)"
fi

# MongoDB: the in-memory mongo-java-server (Java 17 + Maven; see tooling/mongodb/). start.sh is
# idempotent and waits until the port answers. Skipped when MONGODB_URL names another server.
if [ -z "${MONGODB_URL:-}" ]; then
  "$(dirname "${BASH_SOURCE[0]}")/../mongodb/start.sh" || echo "ensure-services: MongoDB did not come up" >&2
fi
# Kafka: a single-node Apache Kafka 3.9 broker in KRaft mode (Java 17 + Maven; see tooling/kafka/).
# start.sh is idempotent and waits until the broker has started. Skipped when KAFKA_BROKERS names
# other brokers.
if [ -z "${KAFKA_BROKERS:-}" ] || [ "${KAFKA_BROKERS}" = "127.0.0.1:9092" ]; then
  "$(dirname "${BASH_SOURCE[0]}")/../kafka/start.sh" || echo "ensure-services: Kafka did not come up" >&2
fi
bash "$(dirname "${BASH_SOURCE[0]}")/ensure-browser.sh" || echo "ensure-services: Chromium is missing" >&2
exit 0
