-- Residents' requests (接诉即办): work orders with a first-response deadline, escalation on persisted
-- timers (table timers), a history of every step, and the resident's rating (好差评).

-- Reference numbers AJ-YYYYMMDD-NNNN count per day (Beijing time); the row lock orders concurrent intakes.
CREATE TABLE request_counters (
  day  date PRIMARY KEY,
  last integer NOT NULL
);

CREATE TABLE resident_requests (
  id               text PRIMARY KEY,
  reference        text NOT NULL UNIQUE,
  -- sha256 of the check code the resident was given once; the code itself is never stored.
  check_code_hash  text NOT NULL,
  category         text NOT NULL,
  description      text NOT NULL,
  channel          text NOT NULL CHECK (channel IN ('api', 'kiosk', 'phone', 'web')),
  community_id     text NOT NULL REFERENCES communities (id),
  grid_id          text REFERENCES grids (id),
  building_id      text REFERENCES buildings (id),
  unit             text,
  room             text,
  address          text,
  contact_name     text NOT NULL,
  contact_phone    text NOT NULL,
  status           text NOT NULL CHECK (status IN ('open', 'responded', 'in_progress', 'closed')),
  assignee         jsonb,
  escalated_to     jsonb NOT NULL DEFAULT '[]',
  escalation_stage integer NOT NULL DEFAULT 0,
  received_at      timestamptz NOT NULL,
  deadline         timestamptz NOT NULL,
  responded_at     timestamptz,
  closed_at        timestamptz,
  resolution       text,
  rating           text CHECK (rating IN ('good', 'fair', 'bad')),
  rating_comment   text,
  rated_at         timestamptz,
  device_id        text,
  -- A kiosk event's identity (device, time, seq): replaying the ingest journal never makes a request twice.
  source_key       text UNIQUE,
  created_by       text,
  created_at       timestamptz NOT NULL,
  CHECK (rating IS NULL OR closed_at IS NOT NULL)
);
CREATE INDEX resident_requests_received ON resident_requests (community_id, received_at DESC);
CREATE INDEX resident_requests_grid ON resident_requests (grid_id, received_at DESC);
CREATE INDEX resident_requests_overdue ON resident_requests (deadline) WHERE responded_at IS NULL AND status <> 'closed';

CREATE TABLE request_history (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  request_id  text NOT NULL REFERENCES resident_requests (id) ON DELETE CASCADE,
  at          timestamptz NOT NULL,
  action      text NOT NULL,
  from_status text,
  to_status   text,
  note        text,
  detail      jsonb,
  actor_id    text,
  actor_name  text,
  source      text
);
CREATE INDEX request_history_request ON request_history (request_id, id);

-- The outbox carries request notifications too; they have no warning level (and so no flood control).
ALTER TABLE notifications ADD COLUMN request_id text REFERENCES resident_requests (id) ON DELETE CASCADE;
ALTER TABLE notifications ALTER COLUMN level DROP NOT NULL;
CREATE INDEX notifications_request ON notifications (request_id, created_at) WHERE request_id IS NOT NULL;
