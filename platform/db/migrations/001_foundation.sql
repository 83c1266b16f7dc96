-- Anju foundation schema: registry, people, telemetry, alerts, dead letters.

CREATE TABLE settings (
  key   text PRIMARY KEY,
  value text NOT NULL
);

CREATE TABLE communities (
  id         text PRIMARY KEY,
  name       text NOT NULL UNIQUE,
  kind       text NOT NULL CHECK (kind IN ('urban', 'rural')),
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE grids (
  id           text PRIMARY KEY,
  community_id text NOT NULL REFERENCES communities (id) ON DELETE CASCADE,
  name         text NOT NULL,
  UNIQUE (community_id, name)
);

CREATE TABLE buildings (
  id           text PRIMARY KEY,
  community_id text NOT NULL REFERENCES communities (id) ON DELETE CASCADE,
  grid_id      text NOT NULL REFERENCES grids (id),
  name         text NOT NULL,
  position_x   double precision,
  position_y   double precision,
  floors       integer,
  UNIQUE (community_id, name)
);

CREATE TABLE workers (
  id           text PRIMARY KEY,
  community_id text NOT NULL REFERENCES communities (id) ON DELETE CASCADE,
  name         text NOT NULL,
  position     text NOT NULL CHECK (position IN ('grid_worker', 'grid_leader', 'duty_officer', 'emergency_centre')),
  channels     jsonb NOT NULL DEFAULT '[]',
  created_at   timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE worker_grids (
  worker_id text NOT NULL REFERENCES workers (id) ON DELETE CASCADE,
  grid_id   text NOT NULL REFERENCES grids (id) ON DELETE CASCADE,
  PRIMARY KEY (worker_id, grid_id)
);
CREATE INDEX worker_grids_grid ON worker_grids (grid_id);

CREATE TABLE users (
  id            text PRIMARY KEY,
  username      text NOT NULL UNIQUE,
  password_hash text NOT NULL,
  role          text NOT NULL CHECK (role IN ('admin', 'operator', 'worker', 'vendor')),
  display_name  text NOT NULL,
  worker_id     text REFERENCES workers (id) ON DELETE SET NULL,
  created_at    timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE user_communities (
  user_id      text NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  community_id text NOT NULL REFERENCES communities (id) ON DELETE CASCADE,
  PRIMARY KEY (user_id, community_id)
);

CREATE TABLE devices (
  id            text PRIMARY KEY,
  kind          text NOT NULL,
  community_id  text NOT NULL REFERENCES communities (id),
  grid_id       text REFERENCES grids (id),
  building_id   text REFERENCES buildings (id),
  location      jsonb,
  name          text,
  secret_hash   text NOT NULL,
  owner_user_id text REFERENCES users (id) ON DELETE SET NULL,
  online        boolean NOT NULL DEFAULT false,
  last_seen     timestamptz,
  battery       double precision,
  created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX devices_community ON devices (community_id);
CREATE INDEX devices_grid ON devices (grid_id);

-- Telemetry: one row per (device, metric, time); no foreign key, so bulk writes stay cheap.
CREATE TABLE readings (
  device_id text NOT NULL,
  metric    text NOT NULL,
  ts        timestamptz NOT NULL,
  value     double precision NOT NULL,
  seq       bigint
);
CREATE INDEX readings_device_metric_ts ON readings (device_id, metric, ts DESC);

CREATE TABLE events (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  device_id   text NOT NULL,
  ts          timestamptz NOT NULL,
  event       text NOT NULL,
  data        jsonb,
  seq         bigint,
  received_at timestamptz NOT NULL
);
CREATE INDEX events_device_ts ON events (device_id, ts DESC);

CREATE TABLE alerts (
  id              text PRIMARY KEY,
  device_id       text NOT NULL REFERENCES devices (id) ON DELETE CASCADE,
  device_kind     text NOT NULL,
  community_id    text NOT NULL,
  grid_id         text,
  building_id     text,
  location        jsonb,
  rule_id         text NOT NULL,
  title           jsonb NOT NULL,
  level           text NOT NULL CHECK (level IN ('blue', 'yellow', 'orange', 'red')),
  status          text NOT NULL CHECK (status IN ('open', 'acknowledged', 'on_site', 'resolved')),
  count           integer NOT NULL DEFAULT 1,
  value           double precision,
  raised_at       timestamptz NOT NULL,
  last_at         timestamptz NOT NULL,
  cleared_at      timestamptz,
  acknowledged_at timestamptz,
  on_site_at      timestamptz,
  resolved_at     timestamptz,
  disposition     text CHECK (disposition IN ('real', 'false_alarm', 'test', 'device_fault')),
  assignees       jsonb NOT NULL DEFAULT '[]'
);
-- One open alert per (rule, device): a repeat increments its count.
CREATE UNIQUE INDEX alerts_one_active ON alerts (rule_id, device_id) WHERE status <> 'resolved';
CREATE INDEX alerts_community_raised ON alerts (community_id, raised_at DESC);
CREATE INDEX alerts_active ON alerts (status) WHERE status <> 'resolved';

CREATE TABLE alert_history (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  alert_id    text NOT NULL REFERENCES alerts (id) ON DELETE CASCADE,
  at          timestamptz NOT NULL,
  action      text NOT NULL,
  from_status text,
  to_status   text,
  actor_id    text,
  actor_name  text,
  source      text,
  note        text
);
CREATE INDEX alert_history_alert ON alert_history (alert_id, id);

CREATE TABLE dead_letters (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  device_id   text,
  topic       text NOT NULL,
  payload     text NOT NULL,
  error       text NOT NULL,
  message     text NOT NULL,
  details     jsonb,
  received_at timestamptz NOT NULL
);
CREATE INDEX dead_letters_received ON dead_letters (received_at DESC);
