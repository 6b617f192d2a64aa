-- Routes module (issue 5): services as managed data next to routes, one revision sequence for both, and the
-- indexes the admin API's filters and history queries use. V1 and V2 stay as they are.

CREATE TABLE services (
  id          text PRIMARY KEY,
  definition  jsonb       NOT NULL,
  version     bigint      NOT NULL DEFAULT 1,
  source      text        NOT NULL CHECK (source IN ('api', 'config')),
  updated_at  timestamptz NOT NULL DEFAULT now(),
  updated_by  text
);

-- Service revisions draw from the route revisions' sequence: one number orders every change of either table,
-- so "all changes since N" and "the table as of N" need no second clock.
CREATE TABLE service_revisions (
  revision    bigint PRIMARY KEY DEFAULT nextval('route_revisions_revision_seq'),
  service_id  text        NOT NULL,
  version     bigint      NOT NULL,
  definition  jsonb,
  operation   text        NOT NULL CHECK (operation IN ('create', 'update', 'delete', 'rollback', 'restore')),
  actor       text,
  at          timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX service_revisions_service ON service_revisions (service_id, revision);
CREATE INDEX service_revisions_at ON service_revisions (at);

-- Filters of GET /api/v1/routes: by id prefix (text_pattern_ops serves LIKE 'prefix%') and by predicate or
-- filter name (jsonb containment on the stored expanded form).
CREATE INDEX routes_id_prefix ON routes (id text_pattern_ops);
CREATE INDEX routes_definition ON routes USING gin (definition jsonb_path_ops);
