-- Gateway: durable ingest checkpoints, the refusal audit, vendor dialects, commands down.

-- How far each ingest journal has been stored and evaluated; written in the same transaction as the rows.
CREATE TABLE ingest_checkpoints (
  journal_id    text PRIMARY KEY,
  stored_seq    bigint NOT NULL DEFAULT 0,
  evaluated_seq bigint NOT NULL DEFAULT 0,
  updated_at    timestamptz NOT NULL DEFAULT now()
);

-- A replayed message must not count an alert twice: signals older than this are ignored.
ALTER TABLE alerts ADD COLUMN last_journal_seq bigint;
ALTER TABLE alerts ADD COLUMN journal_id text;

-- Every connection, publish or subscription the gateway refused.
CREATE TABLE gateway_refusals (
  id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  at        timestamptz NOT NULL,
  device_id text,
  address   text,
  reason    text NOT NULL,
  detail    text
);
CREATE INDEX gateway_refusals_at ON gateway_refusals (at DESC);
CREATE INDEX gateway_refusals_device ON gateway_refusals (device_id, at DESC);

-- Vendor dialects: how a device speaks (anju, alink, thingsboard) and its ALink identity.
ALTER TABLE devices ADD COLUMN dialect text NOT NULL DEFAULT 'anju' CHECK (dialect IN ('anju', 'alink', 'thingsboard'));
ALTER TABLE devices ADD COLUMN product_key text;
ALTER TABLE devices ADD COLUMN device_name text;
-- ALink signs with the secret itself (HMAC), so it is kept encrypted (AES-256-GCM) besides the scrypt hash.
ALTER TABLE devices ADD COLUMN secret_enc text;
ALTER TABLE devices ADD COLUMN field_map text;
CREATE UNIQUE INDEX devices_alink_identity ON devices (product_key, device_name) WHERE product_key IS NOT NULL;

-- Commands sent down to devices, with the device's reply or a timeout. Ids are numeric strings,
-- which every dialect accepts (ALink request ids are integers).
CREATE SEQUENCE command_ids;
CREATE TABLE commands (
  id           text PRIMARY KEY DEFAULT nextval('command_ids')::text,
  device_id    text NOT NULL REFERENCES devices (id) ON DELETE CASCADE,
  command      text NOT NULL,
  args         jsonb,
  status       text NOT NULL CHECK (status IN ('sent', 'succeeded', 'failed', 'timed_out')),
  requested_by text,
  created_at   timestamptz NOT NULL,
  deadline     timestamptz NOT NULL,
  replied_at   timestamptz,
  result       jsonb,
  message      text
);
CREATE INDEX commands_device ON commands (device_id, created_at DESC);
CREATE INDEX commands_pending ON commands (deadline) WHERE status = 'sent';
