-- Junction core schema (DESIGN.md §3). Later changes are new versioned files, never edits to this one.

-- Routes as managed data, with every change kept as a revision.
CREATE TABLE routes (
  id          text PRIMARY KEY,
  definition  jsonb       NOT NULL,
  version     bigint      NOT NULL DEFAULT 1,
  source      text        NOT NULL CHECK (source IN ('api', 'config')),
  updated_at  timestamptz NOT NULL DEFAULT now(),
  updated_by  text
);

CREATE TABLE route_revisions (
  revision    bigserial PRIMARY KEY,
  route_id    text        NOT NULL,
  version     bigint      NOT NULL,
  definition  jsonb,
  operation   text        NOT NULL CHECK (operation IN ('create', 'update', 'delete', 'rollback', 'restore')),
  actor       text,
  at          timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX route_revisions_route ON route_revisions (route_id, revision);
CREATE INDEX route_revisions_at ON route_revisions (at);

-- Identity and RBAC.
CREATE TABLE users (
  id            uuid PRIMARY KEY,
  email         text        NOT NULL,
  password_hash text,
  status        text        NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'disabled', 'deleted')),
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now(),
  version       bigint      NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX users_email ON users (lower(email)) WHERE status <> 'deleted';

CREATE TABLE roles (
  id          text PRIMARY KEY CHECK (id ~ '^[a-z][a-z0-9-]{0,62}$'),
  description text,
  built_in    boolean     NOT NULL DEFAULT false,
  created_at  timestamptz NOT NULL DEFAULT now(),
  version     bigint      NOT NULL DEFAULT 1
);

CREATE TABLE permissions (
  id          text PRIMARY KEY CHECK (id ~ '^[a-z][a-z0-9-]*\.[a-z][a-z0-9-]*\.[a-z][a-z0-9-]*$'),
  description text
);

CREATE TABLE user_roles (
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  role_id text NOT NULL REFERENCES roles (id) ON DELETE CASCADE,
  PRIMARY KEY (user_id, role_id)
);

CREATE TABLE role_permissions (
  role_id       text NOT NULL REFERENCES roles (id) ON DELETE CASCADE,
  permission_id text NOT NULL REFERENCES permissions (id) ON DELETE CASCADE,
  PRIMARY KEY (role_id, permission_id)
);

-- Refresh tokens are stored as hashes only; a family links rotations for reuse detection.
CREATE TABLE refresh_tokens (
  id          uuid PRIMARY KEY,
  user_id     uuid        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  family_id   uuid        NOT NULL,
  token_hash  bytea       NOT NULL UNIQUE,
  issued_at   timestamptz NOT NULL DEFAULT now(),
  expires_at  timestamptz NOT NULL,
  rotated_at  timestamptz,
  revoked_at  timestamptz
);
CREATE INDEX refresh_tokens_family ON refresh_tokens (family_id);

-- Audit log: append-only, hash-chained. The database refuses UPDATE, DELETE and TRUNCATE.
CREATE TABLE audit_log (
  seq         bigint PRIMARY KEY,
  id          uuid        NOT NULL UNIQUE,
  at          timestamptz NOT NULL,
  actor       text        NOT NULL,
  action      text        NOT NULL,
  target      text,
  outcome     text        NOT NULL,
  metadata    jsonb       NOT NULL DEFAULT '{}'::jsonb,
  request_id  text,
  trace_id    text,
  ip          text,
  user_agent  text,
  prev_hash   text        NOT NULL,
  hash        text        NOT NULL
);
CREATE INDEX audit_log_at ON audit_log (at);
CREATE INDEX audit_log_actor ON audit_log (actor, seq);
CREATE INDEX audit_log_action ON audit_log (action, seq);

CREATE FUNCTION audit_log_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_log_refuse_change();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION audit_log_refuse_change();

-- Transactional outbox for domain events.
CREATE TABLE outbox (
  id           uuid PRIMARY KEY,
  topic        text        NOT NULL,
  key          text,
  envelope     jsonb       NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT now(),
  published_at timestamptz,
  attempts     integer     NOT NULL DEFAULT 0
);
CREATE INDEX outbox_pending ON outbox (created_at) WHERE published_at IS NULL;

-- Built-in roles and the permissions the admin API declares.
INSERT INTO permissions (id, description) VALUES
  ('gateway.routes.read', 'Read routes'),
  ('gateway.routes.write', 'Create, change and delete routes'),
  ('gateway.services.read', 'Read services'),
  ('gateway.services.write', 'Create, change and delete services'),
  ('identity.users.read', 'Read users'),
  ('identity.users.write', 'Create, change and delete users'),
  ('identity.roles.read', 'Read roles and permissions'),
  ('identity.roles.write', 'Change roles and their permissions'),
  ('audit.log.read', 'Query and verify the audit log'),
  ('config.settings.read', 'Read the applied configuration'),
  ('config.settings.write', 'Change the configuration'),
  ('platform.backup.read', 'Take backups'),
  ('platform.backup.write', 'Restore backups');

INSERT INTO roles (id, description, built_in) VALUES
  ('admin', 'Every permission', true),
  ('viewer', 'Read-only access to the admin API', true);

INSERT INTO role_permissions (role_id, permission_id)
  SELECT 'admin', id FROM permissions;
INSERT INTO role_permissions (role_id, permission_id)
  SELECT 'viewer', id FROM permissions WHERE id LIKE '%.read' AND id <> 'platform.backup.read';
