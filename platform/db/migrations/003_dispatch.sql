-- Warning rules as data, incidents, people on duty, persisted timers, and the notification outbox.

-- Rules: the shipped defaults are seeded as version 1; every change is a new version.
CREATE TABLE rules (
  id         text PRIMARY KEY,
  kind       text NOT NULL,
  version    integer NOT NULL,
  definition jsonb NOT NULL,
  enabled    boolean NOT NULL DEFAULT true,
  builtin    boolean NOT NULL DEFAULT false,
  updated_at timestamptz NOT NULL,
  updated_by text
);
CREATE TABLE rule_versions (
  rule_id    text NOT NULL REFERENCES rules (id) ON DELETE CASCADE,
  version    integer NOT NULL,
  definition jsonb NOT NULL,
  enabled    boolean NOT NULL,
  changed_at timestamptz NOT NULL,
  changed_by text,
  PRIMARY KEY (rule_id, version)
);

-- Devices: test mode (recorded as tests, nobody paged), flapping, per-device rule parameters.
ALTER TABLE devices ADD COLUMN test_mode boolean NOT NULL DEFAULT false;
ALTER TABLE devices ADD COLUMN faulty_since timestamptz;
ALTER TABLE devices ADD COLUMN rule_params jsonb NOT NULL DEFAULT '{}';

CREATE TABLE maintenance_windows (
  id           text PRIMARY KEY,
  community_id text NOT NULL REFERENCES communities (id) ON DELETE CASCADE,
  building_id  text REFERENCES buildings (id) ON DELETE CASCADE,
  device_id    text REFERENCES devices (id) ON DELETE CASCADE,
  starts_at    timestamptz NOT NULL,
  ends_at      timestamptz NOT NULL,
  reason       text NOT NULL,
  created_by   text,
  created_at   timestamptz NOT NULL DEFAULT now(),
  CHECK (ends_at > starts_at)
);
CREATE INDEX maintenance_windows_time ON maintenance_windows (community_id, ends_at);

-- Every timer (rule durations, absence, escalation, reminders) lives here: a restart neither forgets
-- one nor fires one twice (firing deletes the row in the transaction that applies its effect).
CREATE TABLE timers (
  key     text PRIMARY KEY,
  due_at  timestamptz NOT NULL,
  kind    text NOT NULL,
  payload jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX timers_due ON timers (due_at);

-- People: phone, away with a backup, weekly duty roster in local time.
ALTER TABLE workers ADD COLUMN phone text;
ALTER TABLE workers ADD COLUMN away_until timestamptz;
ALTER TABLE workers ADD COLUMN backup_worker_id text REFERENCES workers (id) ON DELETE SET NULL;
CREATE TABLE roster_shifts (
  id        text PRIMARY KEY,
  worker_id text NOT NULL REFERENCES workers (id) ON DELETE CASCADE,
  weekday   smallint NOT NULL CHECK (weekday BETWEEN 1 AND 7),
  starts    time NOT NULL,
  ends      time NOT NULL
);
CREATE INDEX roster_shifts_worker ON roster_shifts (worker_id);

-- Incidents: alerts of one place and hazard within a window join one incident; dispatch works on incidents.
CREATE TABLE incidents (
  id               text PRIMARY KEY,
  community_id     text NOT NULL,
  building_id      text,
  grid_id          text,
  category         text NOT NULL,
  scope            text NOT NULL CHECK (scope IN ('device', 'building', 'area')),
  level            text NOT NULL CHECK (level IN ('blue', 'yellow', 'orange', 'red')),
  status           text NOT NULL CHECK (status IN ('open', 'acknowledged', 'on_site', 'resolved')),
  title            jsonb NOT NULL,
  confirmed        text,
  test             boolean NOT NULL DEFAULT false,
  suppressed       text,
  opened_at        timestamptz NOT NULL,
  last_alert_at    timestamptz NOT NULL,
  acknowledged_at  timestamptz,
  on_site_at       timestamptz,
  resolved_at      timestamptz,
  escalation_stage integer NOT NULL DEFAULT 0,
  assignees        jsonb NOT NULL DEFAULT '[]'
);
CREATE INDEX incidents_open ON incidents (community_id, category) WHERE status <> 'resolved';
CREATE INDEX incidents_opened ON incidents (opened_at DESC);

CREATE TABLE incident_history (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  incident_id text NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,
  at          timestamptz NOT NULL,
  action      text NOT NULL,
  detail      jsonb,
  actor_id    text,
  actor_name  text
);
CREATE INDEX incident_history_incident ON incident_history (incident_id, id);

ALTER TABLE alerts ADD COLUMN incident_id text REFERENCES incidents (id);
ALTER TABLE alerts ADD COLUMN category text NOT NULL DEFAULT 'device';
ALTER TABLE alerts ADD COLUMN test boolean NOT NULL DEFAULT false;
ALTER TABLE alerts ADD COLUMN suppressed text;
CREATE INDEX alerts_incident ON alerts (incident_id);

-- The transactional outbox: a notification is written in the transaction that decides it, then
-- delivered (and retried with backoff) by the outbox worker; every attempt is recorded.
CREATE TABLE notifications (
  id                  text PRIMARY KEY,
  incident_id         text REFERENCES incidents (id) ON DELETE CASCADE,
  alert_id            text,
  event               text NOT NULL,
  stage               integer NOT NULL DEFAULT 0,
  level               text NOT NULL,
  recipient_worker_id text,
  recipient_name      text NOT NULL,
  channel_type        text NOT NULL,
  channel             jsonb NOT NULL,
  payload             jsonb NOT NULL,
  status              text NOT NULL CHECK (status IN ('pending', 'delivered', 'failed', 'suppressed')),
  attempts            integer NOT NULL DEFAULT 0,
  next_attempt_at     timestamptz,
  created_at          timestamptz NOT NULL,
  delivered_at        timestamptz,
  receipt             jsonb,
  last_error          text
);
CREATE INDEX notifications_due ON notifications (next_attempt_at) WHERE status = 'pending';
CREATE INDEX notifications_incident ON notifications (incident_id, created_at);
CREATE INDEX notifications_recipient ON notifications (recipient_worker_id, incident_id, created_at DESC);

CREATE TABLE notification_attempts (
  id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  notification_id text NOT NULL REFERENCES notifications (id) ON DELETE CASCADE,
  at              timestamptz NOT NULL,
  ok              boolean NOT NULL,
  status_code     integer,
  error           text,
  duration_ms     integer NOT NULL
);
CREATE INDEX notification_attempts_notification ON notification_attempts (notification_id, id);

-- Emergency broadcasts to community speakers, with each speaker's playback receipt.
CREATE TABLE broadcasts (
  id           text PRIMARY KEY,
  incident_id  text REFERENCES incidents (id) ON DELETE CASCADE,
  community_id text NOT NULL,
  building_id  text,
  message      jsonb NOT NULL,
  created_at   timestamptz NOT NULL
);
CREATE TABLE broadcast_receipts (
  broadcast_id text NOT NULL REFERENCES broadcasts (id) ON DELETE CASCADE,
  device_id    text NOT NULL,
  played_at    timestamptz NOT NULL,
  PRIMARY KEY (broadcast_id, device_id)
);
