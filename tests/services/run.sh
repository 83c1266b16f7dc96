#!/usr/bin/env bash
# `npm run test:services`: the suites that need real servers. Installs what is missing from Debian
# packages, starts each server on a loopback port of its own in a throwaway directory, runs the
# `services` vitest project, and stops everything on exit.
set -euo pipefail
cd "$(dirname "$0")/../.."

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

packages=(postgresql-15 redis-server mosquitto mosquitto-clients docker-compose)
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
  if [ -f "$WORK/redis.pid" ]; then kill "$(cat "$WORK/redis.pid")" 2>/dev/null || true; fi
  if [ -n "${MOSQUITTO_PID:-}" ]; then kill "$MOSQUITTO_PID" 2>/dev/null || true; fi
  rm -rf "$WORK"
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

npx vitest run --project services "$@"
