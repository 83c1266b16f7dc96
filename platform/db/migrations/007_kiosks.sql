-- Self-service kiosks (政务自助一体机): service hours and maintainer, the availability log, work orders
-- for the maintainer, and the services residents completed at them.

-- A new worker position, "maintainer". Appended to whatever list the check holds, so that another
-- migration widening the same check keeps its positions too.
DO $$
DECLARE
  check_name text;
  check_def  text;
BEGIN
  SELECT conname, pg_get_constraintdef(oid) INTO check_name, check_def
    FROM pg_constraint
   WHERE conrelid = 'workers'::regclass AND contype = 'c' AND pg_get_constraintdef(oid) LIKE '%position%'
   LIMIT 1;
  IF check_name IS NULL THEN
    ALTER TABLE workers ADD CONSTRAINT workers_position_check
      CHECK (position IN ('grid_worker', 'grid_leader', 'duty_officer', 'emergency_centre', 'maintainer'));
  ELSIF check_def NOT LIKE '%''maintainer''%' THEN
    EXECUTE format('ALTER TABLE workers DROP CONSTRAINT %I', check_name);
    EXECUTE format('ALTER TABLE workers ADD CONSTRAINT %I %s', check_name, replace(check_def, 'ARRAY[', 'ARRAY[''maintainer''::text, '));
  END IF;
END $$;

-- Service hours (weekly windows in local time) and the maintainer; a kiosk without a row serves the
-- default hours and has no maintainer.
CREATE TABLE kiosk_profiles (
  device_id            text PRIMARY KEY REFERENCES devices (id) ON DELETE CASCADE,
  service_hours        jsonb,
  maintainer_worker_id text REFERENCES workers (id) ON DELETE SET NULL,
  updated_at           timestamptz NOT NULL,
  updated_by           text
);

-- Every change of one reason a kiosk cannot serve, as it happens: offline (presence), fault (an open
-- fault work order) and no_paper (paper below 5 %). A reason's state at a time is that of its latest row
-- at or before it; before a kiosk's first row it is offline (never connected), with no fault and paper.
CREATE TABLE kiosk_availability_log (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  device_id   text NOT NULL REFERENCES devices (id) ON DELETE CASCADE,
  reason      text NOT NULL CHECK (reason IN ('offline', 'fault', 'no_paper')),
  unavailable boolean NOT NULL,
  at          timestamptz NOT NULL,
  detail      text
);
CREATE INDEX kiosk_availability_log_device ON kiosk_availability_log (device_id, reason, at);

-- Jobs for a kiosk's maintainer, opened by its fault or paper-low alert: one open per kiosk and reason.
CREATE TABLE kiosk_work_orders (
  id                   text PRIMARY KEY,
  device_id            text NOT NULL REFERENCES devices (id) ON DELETE CASCADE,
  reason               text NOT NULL CHECK (reason IN ('fault', 'paper')),
  status               text NOT NULL CHECK (status IN ('open', 'closed')),
  alert_id             text REFERENCES alerts (id) ON DELETE SET NULL,
  detail               text,
  maintainer_worker_id text REFERENCES workers (id) ON DELETE SET NULL,
  maintainer_name      text,
  opened_at            timestamptz NOT NULL,
  closed_at            timestamptz,
  close_reason         text CHECK (close_reason IN ('alert_resolved', 'condition_cleared', 'closed_by_hand')),
  closed_by_id         text,
  closed_by_name       text,
  note                 text
);
CREATE UNIQUE INDEX kiosk_work_orders_one_open ON kiosk_work_orders (device_id, reason) WHERE status = 'open';
CREATE INDEX kiosk_work_orders_opened ON kiosk_work_orders (opened_at DESC);
CREATE INDEX kiosk_work_orders_alert ON kiosk_work_orders (alert_id) WHERE status = 'open';
CREATE INDEX kiosk_work_orders_maintainer ON kiosk_work_orders (maintainer_worker_id, opened_at DESC);

CREATE TABLE kiosk_work_order_history (
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  work_order_id text NOT NULL REFERENCES kiosk_work_orders (id) ON DELETE CASCADE,
  at            timestamptz NOT NULL,
  action        text NOT NULL,
  actor_id      text,
  actor_name    text,
  source        text,
  note          text,
  detail        jsonb
);
CREATE INDEX kiosk_work_order_history_order ON kiosk_work_order_history (work_order_id, id);

-- Services completed at kiosks (service_completed events), with the resident's rating when given.
CREATE TABLE kiosk_services (
  id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  device_id  text NOT NULL REFERENCES devices (id) ON DELETE CASCADE,
  ts         timestamptz NOT NULL,
  service    text NOT NULL,
  duration_s double precision NOT NULL,
  rating     smallint CHECK (rating BETWEEN 1 AND 5),
  -- A journal replay stores the same event again; this keeps it once.
  UNIQUE (device_id, ts, service)
);
CREATE INDEX kiosk_services_ts ON kiosk_services (ts);
