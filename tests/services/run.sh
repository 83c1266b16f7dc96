#!/usr/bin/env bash
# `npm run test:services`: the suites that need real servers. Installs what is missing from Debian
# packages, starts each server on a loopback port of its own in a throwaway directory, runs the
# `services` vitest project, and stops everything on exit.
set -euo pipefail
cd "$(dirname "$0")/../.."

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

# chromium drives the dashboard's browser tests; fonts-wqy-microhei renders its Chinese text.
packages=(postgresql-15 redis-server mosquitto mosquitto-clients influxdb docker-compose curl chromium fonts-wqy-microhei)
missing=()
for p in "${packages[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
  echo "test:services: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  as_root apt-get install -y -qq "${missing[@]}" >/dev/null 2>&1 || { as_root apt-get update -qq >/dev/null; as_root apt-get install -y -qq "${missing[@]}" >/dev/null; }
fi

free_port() { node -e "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"; }

WORK=$(mktemp -d /tmp/anju-services.XXXXXX)
chmod 755 "$WORK"
PG_BIN=/usr/lib/postgresql/15/bin
PG_DIR="$WORK/pg15"

cleanup() {
  if [ -f "$PG_DIR/postmaster.pid" ]; then as_root su postgres -s /bin/sh -c "$PG_BIN/pg_ctl -D $PG_DIR -m fast -w stop" >/dev/null 2>&1 || true; fi
  if [ -f "$WORK/redis.pid" ]; then redis-cli -p "${REDIS_PORT:-0}" shutdown nosave >/dev/null 2>&1 || kill "$(cat "$WORK/redis.pid")" 2>/dev/null || true; fi
  if [ -n "${MOSQUITTO_PID:-}" ]; then kill "$MOSQUITTO_PID" 2>/dev/null || true; wait "$MOSQUITTO_PID" 2>/dev/null || true; fi
  if [ -n "${INFLUX_PID:-}" ]; then kill "$INFLUX_PID" 2>/dev/null || true; wait "$INFLUX_PID" 2>/dev/null || true; fi
  # A server may still be closing its files for a moment.
  for _ in 1 2 3 4 5; do rm -rf "$WORK" 2>/dev/null && break; sleep 0.5; done
}
trap cleanup EXIT

# PostgreSQL 15 (Debian), as the external database of ANJU_DATABASE_URL.
PG_PORT=$(free_port)
mkdir -p "$PG_DIR"
as_root chown postgres:postgres "$PG_DIR"
echo anju-test > "$WORK/pg15.pw"
touch "$WORK/pg15.log"
as_root chown postgres:postgres "$WORK/pg15.pw" "$WORK/pg15.log"
as_root su postgres -s /bin/sh -c "$PG_BIN/initdb -D $PG_DIR -A scram-sha-256 -U anju --pwfile=$WORK/pg15.pw --no-instructions" >/dev/null
as_root su postgres -s /bin/sh -c "$PG_BIN/pg_ctl -D $PG_DIR -l $WORK/pg15.log -w -o '-p $PG_PORT -c listen_addresses=127.0.0.1 -k $PG_DIR' start" >/dev/null
export ANJU_TEST_PG15_URL="postgres://anju:anju-test@127.0.0.1:$PG_PORT/postgres"
# The outage test stops and starts this server.
export ANJU_TEST_PG15_CTL="$PG_BIN/pg_ctl -D $PG_DIR -l $WORK/pg15.log -w -o '-p $PG_PORT -c listen_addresses=127.0.0.1 -k $PG_DIR'"
echo "test:services: PostgreSQL 15 on 127.0.0.1:$PG_PORT"

# Redis 7 (Debian), the shared state of clustered gateways.
REDIS_PORT=$(free_port)
redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no --daemonize yes --pidfile "$WORK/redis.pid" --logfile "$WORK/redis.log" --dir "$WORK"
export ANJU_TEST_REDIS_URL="redis://127.0.0.1:$REDIS_PORT"
echo "test:services: Redis on 127.0.0.1:$REDIS_PORT"

# mosquitto 2 (Debian), standing in for an external MQTT cluster with shared subscriptions.
MOSQUITTO_PORT=$(free_port)
printf 'listener %s 127.0.0.1\nallow_anonymous true\npersistence false\n' "$MOSQUITTO_PORT" > "$WORK/mosquitto.conf"
/usr/sbin/mosquitto -c "$WORK/mosquitto.conf" > "$WORK/mosquitto.log" 2>&1 &
MOSQUITTO_PID=$!
export ANJU_TEST_MOSQUITTO_URL="mqtt://127.0.0.1:$MOSQUITTO_PORT"
echo "test:services: mosquitto on 127.0.0.1:$MOSQUITTO_PORT"

# InfluxDB 1.x (Debian), on loopback, reporting disabled.
INFLUX_PORT=$(free_port)
INFLUX_RPC_PORT=$(free_port)
mkdir -p "$WORK/influx"
cat > "$WORK/influxdb.conf" <<CONF
reporting-disabled = true
bind-address = "127.0.0.1:$INFLUX_RPC_PORT"
[meta]
  dir = "$WORK/influx/meta"
[data]
  dir = "$WORK/influx/data"
  wal-dir = "$WORK/influx/wal"
  query-log-enabled = false
[monitor]
  store-enabled = false
[http]
  bind-address = "127.0.0.1:$INFLUX_PORT"
  log-enabled = false
[ifql]
  enabled = false
[logging]
  level = "error"
CONF
influxd -config "$WORK/influxdb.conf" > "$WORK/influxdb.log" 2>&1 &
INFLUX_PID=$!
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$INFLUX_PORT/ping" >/dev/null && break; sleep 0.1; done
export ANJU_TEST_INFLUX_URL="http://127.0.0.1:$INFLUX_PORT"
echo "test:services: InfluxDB on 127.0.0.1:$INFLUX_PORT"

npx vitest run --project services "$@"
