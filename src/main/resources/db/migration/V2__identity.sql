-- Identity: JWT signing keys, per-user API keys, and what the node-local identity views need.

-- Generated signing keys. The newest unretired one signs; retired ones stay in the JWKS until the
-- access tokens they signed have expired. Keys supplied through config are not stored here.
CREATE TABLE signing_keys (
  kid         text PRIMARY KEY,
  algorithm   text        NOT NULL CHECK (algorithm IN ('RS256', 'ES256')),
  private_pem text        NOT NULL,
  public_jwk  jsonb       NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  retired_at  timestamptz
);

-- API keys are stored as SHA-256 hashes of the whole key; the prefix identifies a key to its owner.
CREATE TABLE api_keys (
  id          uuid PRIMARY KEY,
  user_id     uuid        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  name        text        NOT NULL,
  prefix      text        NOT NULL,
  key_hash    bytea       NOT NULL UNIQUE,
  created_at  timestamptz NOT NULL DEFAULT now(),
  expires_at  timestamptz,
  revoked_at  timestamptz
);
CREATE INDEX api_keys_user ON api_keys (user_id, created_at, id);

-- When a user's roles or status last changed: tokens issued before it are re-evaluated against the
-- current roles (or refused for a disabled user) by every node.
ALTER TABLE users ADD COLUMN authz_changed_at timestamptz NOT NULL DEFAULT now();
CREATE INDEX users_authz_changed ON users (authz_changed_at);
CREATE INDEX users_page ON users (created_at, id);

-- Orders identity snapshots across nodes: a higher number was read after every lower one was taken.
CREATE SEQUENCE identity_snapshot_version;

-- The platform's own permissions (those the admin API declares) are built in: the admin role always keeps them.
ALTER TABLE permissions ADD COLUMN built_in boolean NOT NULL DEFAULT false;
UPDATE permissions SET built_in = true;
