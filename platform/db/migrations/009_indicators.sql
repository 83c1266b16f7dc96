-- The plan's ten indicators need what a registry of devices lacks: facility areas and population per
-- community, social organisations, and which community workers hold the social-worker certificate.

CREATE TABLE community_profiles (
  community_id               text PRIMARY KEY REFERENCES communities (id) ON DELETE CASCADE,
  residents                  integer CHECK (residents >= 0),
  households                 integer CHECK (households >= 0),
  total_floor_area_m2        double precision CHECK (total_floor_area_m2 >= 0),
  service_facility_area_m2   double precision CHECK (service_facility_area_m2 >= 0),
  commercial_service_area_m2 double precision CHECK (commercial_service_area_m2 >= 0),
  activity_area_m2           double precision CHECK (activity_area_m2 >= 0),
  updated_at                 timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE social_organisations (
  id           text PRIMARY KEY,
  community_id text NOT NULL REFERENCES communities (id) ON DELETE CASCADE,
  name         text NOT NULL,
  kind         text NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  UNIQUE (community_id, name)
);

ALTER TABLE workers ADD COLUMN social_worker_certified boolean NOT NULL DEFAULT false;
