-- Events (issue 5): dead letters. An event Kafka refuses for good (too large, invalid topic) keeps its row,
-- unpublished, with when and why it failed; the relay no longer picks it up, and an administrator can put it
-- back in line. V1–V4 stay as they are.

ALTER TABLE outbox ADD COLUMN failed_at timestamptz, ADD COLUMN last_error text;

-- The relay reads the pending rows in order; dead letters are not pending.
DROP INDEX outbox_pending;
CREATE INDEX outbox_pending ON outbox (created_at, id) WHERE published_at IS NULL AND failed_at IS NULL;
CREATE INDEX outbox_dead_letters ON outbox (failed_at, id) WHERE failed_at IS NOT NULL;

-- GET /api/v1/events/dead-letters and POST .../{id}/_retry.
INSERT INTO permissions (id, description, built_in) VALUES
  ('platform.events.read', 'See events Kafka refused (dead letters)', true),
  ('platform.events.write', 'Retry dead-letter events', true);
INSERT INTO role_permissions (role_id, permission_id) VALUES
  ('admin', 'platform.events.read'), ('admin', 'platform.events.write'), ('viewer', 'platform.events.read');
