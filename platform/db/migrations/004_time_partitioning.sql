-- Telemetry at city scale. With TimescaleDB (available and preloaded), readings and events become
-- hypertables with compression, retention and continuous aggregates (1 min, 1 h). Without it (Debian's
-- PostgreSQL), they become natively range-partitioned by day, with BRIN indexes on time, partitions
-- created ahead by anju_ensure_partitions() and rollup tables kept in the write transaction.
-- Either way the rollups are named readings_1m and readings_1h with the same columns, so queries are
-- the same.

-- Which layout this database uses, read by the platform at start.
CREATE TABLE storage_layout (
  id     boolean PRIMARY KEY DEFAULT true CHECK (id),
  engine text NOT NULL CHECK (engine IN ('timescaledb', 'partitioned'))
);

CREATE OR REPLACE FUNCTION anju_timescale_usable() RETURNS boolean LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'timescaledb') THEN RETURN true; END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'timescaledb') THEN RETURN false; END IF;
  IF position('timescaledb' IN current_setting('shared_preload_libraries', true)) = 0 THEN RETURN false; END IF;
  CREATE EXTENSION IF NOT EXISTS timescaledb;
  RETURN true;
EXCEPTION WHEN OTHERS THEN
  RETURN false;
END $$;

-- Daily partitions of a partitioned table for [from_day, to_day), created when missing.
CREATE OR REPLACE FUNCTION anju_ensure_partitions(parent text, from_day date, to_day date) RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
  day date := from_day;
  name text;
  created integer := 0;
BEGIN
  WHILE day < to_day LOOP
    name := format('%s_p%s', parent, to_char(day, 'YYYYMMDD'));
    IF to_regclass(name) IS NULL THEN
      -- Day boundaries in UTC, whatever the session's time zone.
      EXECUTE format('CREATE TABLE %I PARTITION OF %I FOR VALUES FROM (%L) TO (%L)', name, parent, day::timestamp AT TIME ZONE 'UTC', (day + 1)::timestamp AT TIME ZONE 'UTC');
      created := created + 1;
    END IF;
    day := day + 1;
  END LOOP;
  RETURN created;
END $$;

-- Drops daily partitions that end before `before`; returns how many.
CREATE OR REPLACE FUNCTION anju_drop_partitions(parent text, before date) RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
  part record;
  dropped integer := 0;
BEGIN
  FOR part IN
    SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_class p ON p.oid = i.inhparent
     WHERE p.relname = parent AND c.relname ~ '_p[0-9]{8}$'
       AND to_date(right(c.relname, 8), 'YYYYMMDD') + 1 <= before
  LOOP
    EXECUTE format('DROP TABLE %I', part.relname);
    dropped := dropped + 1;
  END LOOP;
  RETURN dropped;
END $$;

DO $$
DECLARE
  oldest date;
BEGIN
  IF anju_timescale_usable() THEN
    INSERT INTO storage_layout (engine) VALUES ('timescaledb');
    ALTER TABLE events DROP CONSTRAINT events_pkey;
    ALTER TABLE events ADD PRIMARY KEY (id, ts);
    PERFORM create_hypertable('readings', 'ts', chunk_time_interval => interval '1 day', migrate_data => true);
    PERFORM create_hypertable('events', 'ts', chunk_time_interval => interval '7 days', migrate_data => true);
    ALTER TABLE readings SET (timescaledb.compress, timescaledb.compress_segmentby = 'device_id, metric', timescaledb.compress_orderby = 'ts DESC');
    PERFORM add_compression_policy('readings', interval '7 days');
    PERFORM add_retention_policy('readings', interval '90 days');
    PERFORM add_retention_policy('events', interval '730 days');
    EXECUTE $v$
      CREATE MATERIALIZED VIEW readings_1m WITH (timescaledb.continuous, timescaledb.materialized_only = false) AS
      SELECT device_id, metric, time_bucket(interval '1 minute', ts) AS bucket,
             min(value) AS min, max(value) AS max, sum(value) AS sum, count(*) AS count, last(value, ts) AS last, max(ts) AS last_ts
        FROM readings GROUP BY device_id, metric, time_bucket(interval '1 minute', ts) WITH NO DATA $v$;
    EXECUTE $v$
      CREATE MATERIALIZED VIEW readings_1h WITH (timescaledb.continuous, timescaledb.materialized_only = false) AS
      SELECT device_id, metric, time_bucket(interval '1 hour', ts) AS bucket,
             min(value) AS min, max(value) AS max, sum(value) AS sum, count(*) AS count, last(value, ts) AS last, max(ts) AS last_ts
        FROM readings GROUP BY device_id, metric, time_bucket(interval '1 hour', ts) WITH NO DATA $v$;
    PERFORM add_continuous_aggregate_policy('readings_1m', start_offset => interval '2 days', end_offset => interval '1 minute', schedule_interval => interval '1 minute');
    PERFORM add_continuous_aggregate_policy('readings_1h', start_offset => interval '32 days', end_offset => interval '1 hour', schedule_interval => interval '30 minutes');
    PERFORM add_retention_policy('readings_1m', interval '400 days');
  ELSE
    INSERT INTO storage_layout (engine) VALUES ('partitioned');
    SELECT least(coalesce((SELECT min(ts AT TIME ZONE 'UTC')::date FROM readings), utc_today), coalesce((SELECT min(ts AT TIME ZONE 'UTC')::date FROM events), utc_today), utc_today - 31)
      INTO oldest FROM (SELECT (now() AT TIME ZONE 'UTC')::date AS utc_today) d;

    ALTER TABLE readings RENAME TO readings_unpartitioned;
    ALTER INDEX readings_device_metric_ts RENAME TO readings_unpartitioned_device_metric_ts;
    CREATE TABLE readings (
      device_id text NOT NULL,
      metric    text NOT NULL,
      ts        timestamptz NOT NULL,
      value     double precision NOT NULL,
      seq       bigint
    ) PARTITION BY RANGE (ts);
    CREATE INDEX readings_device_metric_ts ON readings (device_id, metric, ts DESC);
    CREATE INDEX readings_ts_brin ON readings USING brin (ts);
    PERFORM anju_ensure_partitions('readings', oldest, (now() AT TIME ZONE 'UTC')::date + 8);
    INSERT INTO readings SELECT device_id, metric, ts, value, seq FROM readings_unpartitioned;
    DROP TABLE readings_unpartitioned;

    ALTER TABLE events RENAME TO events_unpartitioned;
    ALTER INDEX events_device_ts RENAME TO events_unpartitioned_device_ts;
    CREATE TABLE events (
      id          bigint GENERATED BY DEFAULT AS IDENTITY,
      device_id   text NOT NULL,
      ts          timestamptz NOT NULL,
      event       text NOT NULL,
      data        jsonb,
      seq         bigint,
      received_at timestamptz NOT NULL,
      PRIMARY KEY (id, ts)
    ) PARTITION BY RANGE (ts);
    CREATE INDEX events_device_ts ON events (device_id, ts DESC);
    CREATE INDEX events_ts_brin ON events USING brin (ts);
    PERFORM anju_ensure_partitions('events', oldest, (now() AT TIME ZONE 'UTC')::date + 8);
    INSERT INTO events (id, device_id, ts, event, data, seq, received_at) SELECT id, device_id, ts, event, data, seq, received_at FROM events_unpartitioned;
    PERFORM setval(pg_get_serial_sequence('events', 'id'), coalesce((SELECT max(id) FROM events), 0) + 1, false);
    DROP TABLE events_unpartitioned;

    -- Rollups kept in the write transaction (see PostgresTelemetrySink).
    CREATE TABLE readings_1m (
      device_id text NOT NULL, metric text NOT NULL, bucket timestamptz NOT NULL,
      min double precision NOT NULL, max double precision NOT NULL, sum double precision NOT NULL, count bigint NOT NULL,
      last double precision NOT NULL, last_ts timestamptz NOT NULL,
      PRIMARY KEY (device_id, metric, bucket)
    );
    CREATE INDEX readings_1m_bucket_brin ON readings_1m USING brin (bucket);
    CREATE TABLE readings_1h (LIKE readings_1m INCLUDING ALL);
    INSERT INTO readings_1m SELECT device_id, metric, date_bin('1 minute', ts, TIMESTAMPTZ '2000-01-01 00:00:00+00'), min(value), max(value), sum(value), count(*),
           (array_agg(value ORDER BY ts DESC))[1], max(ts) FROM readings GROUP BY 1, 2, 3;
    INSERT INTO readings_1h SELECT device_id, metric, date_bin('1 hour', ts, TIMESTAMPTZ '2000-01-01 00:00:00+00'), min(value), max(value), sum(value), count(*),
           (array_agg(value ORDER BY ts DESC))[1], max(ts) FROM readings GROUP BY 1, 2, 3;
  END IF;
END $$;

-- How far the urgent (alarm) lane has evaluated each journal, besides storage and the bulk lane.
ALTER TABLE ingest_checkpoints ADD COLUMN alarm_seq bigint NOT NULL DEFAULT 0;

-- Platform alerts that cannot be a device's (the storage outage itself), recorded once storage is back.
CREATE TABLE system_alerts (
  id         text PRIMARY KEY,
  code       text NOT NULL,
  level      text NOT NULL CHECK (level IN ('blue', 'yellow', 'orange', 'red')),
  title      jsonb NOT NULL,
  detail     jsonb,
  raised_at  timestamptz NOT NULL,
  cleared_at timestamptz
);
