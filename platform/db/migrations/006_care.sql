-- Residents and households, elderly care: care flags, emergency contacts, monthly visits, inactivity.

CREATE TABLE households (
  id            text PRIMARY KEY,
  community_id  text NOT NULL REFERENCES communities (id) ON DELETE CASCADE,
  grid_id       text REFERENCES grids (id),
  building_id   text REFERENCES buildings (id),
  unit          text,
  room          text,
  -- Inactivity: the household's own quiet period is learned from its activity; an override wins.
  inactivity_period_s integer CHECK (inactivity_period_s BETWEEN 3600 AND 7 * 86400),
  last_activity_at    timestamptz,
  created_at    timestamptz NOT NULL DEFAULT now(),
  UNIQUE (building_id, unit, room)
);
CREATE INDEX households_community ON households (community_id);
CREATE INDEX households_grid ON households (grid_id);

CREATE TABLE residents (
  id                 text PRIMARY KEY,
  household_id       text NOT NULL REFERENCES households (id) ON DELETE CASCADE,
  name               text NOT NULL,
  birth_year         integer CHECK (birth_year BETWEEN 1900 AND 2100),
  phone              text,
  id_number          text,
  lives_alone        boolean NOT NULL DEFAULT false,
  special_difficulty boolean NOT NULL DEFAULT false,
  disabled           boolean NOT NULL DEFAULT false,
  care_notes         text,
  contacts           jsonb NOT NULL DEFAULT '[]',
  created_at         timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX residents_household ON residents (household_id);
CREATE INDEX residents_special ON residents (household_id) WHERE special_difficulty;

-- A device installed in a household (emergency button, door contact, water meter).
ALTER TABLE devices ADD COLUMN household_id text REFERENCES households (id) ON DELETE SET NULL;
CREATE INDEX devices_household ON devices (household_id) WHERE household_id IS NOT NULL;

-- Hours with any sign of life (a door opened, water used): the pattern the quiet period is learned from.
CREATE TABLE household_activity (
  household_id text NOT NULL REFERENCES households (id) ON DELETE CASCADE,
  hour         timestamptz NOT NULL,
  PRIMARY KEY (household_id, hour)
);

CREATE TABLE visits (
  id          text PRIMARY KEY,
  resident_id text NOT NULL REFERENCES residents (id) ON DELETE CASCADE,
  worker_id   text REFERENCES workers (id) ON DELETE SET NULL,
  visited_at  timestamptz NOT NULL,
  outcome     text NOT NULL CHECK (outcome IN ('well', 'needs_help', 'not_home', 'hospitalised', 'other')),
  note        text,
  follow_up   boolean NOT NULL DEFAULT false,
  recorded_by text,
  created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX visits_resident_time ON visits (resident_id, visited_at DESC);
