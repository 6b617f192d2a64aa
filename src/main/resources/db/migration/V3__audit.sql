-- Audit log: query indexes, the archive manifest, and the one path allowed to delete (the archiver).
-- The permission stays `audit.log.read` (seeded in V1): permission ids are `module.resource.action`.

CREATE INDEX audit_log_target ON audit_log (target, seq);
CREATE INDEX audit_log_request ON audit_log (request_id) WHERE request_id IS NOT NULL;
CREATE INDEX audit_log_trace ON audit_log (trace_id) WHERE trace_id IS NOT NULL;

-- One row per archive file written by the archiver: what left the hot table and the proof it carried.
-- Verification trusts these rows (not the manifest files next to the archives) for each file's SHA-256.
CREATE TABLE audit_archives (
  first_seq       bigint PRIMARY KEY,
  last_seq        bigint      NOT NULL UNIQUE,
  first_prev_hash text        NOT NULL,
  last_hash       text        NOT NULL,
  row_count       bigint      NOT NULL,
  day             date        NOT NULL,
  file            text        NOT NULL UNIQUE,
  sha256          text        NOT NULL,
  archived_at     timestamptz NOT NULL DEFAULT now(),
  CHECK (last_seq >= first_seq AND row_count = last_seq - first_seq + 1)
);

CREATE FUNCTION audit_archives_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_archives is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$;
CREATE TRIGGER audit_archives_no_update BEFORE UPDATE OR DELETE ON audit_archives
  FOR EACH ROW EXECUTE FUNCTION audit_archives_refuse_change();
CREATE TRIGGER audit_archives_no_truncate BEFORE TRUNCATE ON audit_archives
  FOR EACH STATEMENT EXECUTE FUNCTION audit_archives_refuse_change();

-- The append-only trigger now lets exactly one thing through: a DELETE made inside audit_archive_remove
-- (which sets the transaction-local flag below). UPDATE and TRUNCATE stay refused for everyone, and a role
-- without DELETE privilege (the application role) cannot even reach the trigger.
CREATE OR REPLACE FUNCTION audit_log_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' AND current_setting('junction.audit_archiving', true) = 'on' THEN
    RETURN OLD;
  END IF;
  RAISE EXCEPTION 'audit_log is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$;

-- Removes rows first_seq..last_seq from the hot table after the archiver wrote and re-read them, and records
-- the archive file. Only the oldest rows can go (the hot table stays one unbroken tail of the chain), and only
-- when the hot table still holds exactly what the archive file says (last hash, row count).
CREATE FUNCTION audit_archive_remove(p_first bigint, p_last bigint, p_first_prev_hash text, p_last_hash text,
                                     p_day date, p_file text, p_sha256 text) RETURNS bigint
  LANGUAGE plpgsql SECURITY DEFINER SET search_path FROM CURRENT AS $$
DECLARE
  oldest bigint;
  stored_hash text;
  stored_prev text;
  n bigint;
BEGIN
  SELECT min(seq) INTO oldest FROM audit_log;
  IF oldest IS DISTINCT FROM p_first THEN
    RAISE EXCEPTION 'audit archive: rows must leave oldest first (oldest is %, asked %)', oldest, p_first;
  END IF;
  SELECT prev_hash INTO stored_prev FROM audit_log WHERE seq = p_first;
  SELECT hash INTO stored_hash FROM audit_log WHERE seq = p_last;
  IF stored_prev IS DISTINCT FROM p_first_prev_hash OR stored_hash IS DISTINCT FROM p_last_hash THEN
    RAISE EXCEPTION 'audit archive: seq % .. % do not match the archive file %', p_first, p_last, p_file;
  END IF;
  SELECT count(*) INTO n FROM audit_log WHERE seq BETWEEN p_first AND p_last;
  IF n <> p_last - p_first + 1 THEN
    RAISE EXCEPTION 'audit archive: seq % .. % has % rows, expected %', p_first, p_last, n, p_last - p_first + 1;
  END IF;
  INSERT INTO audit_archives (first_seq, last_seq, first_prev_hash, last_hash, row_count, day, file, sha256)
    VALUES (p_first, p_last, p_first_prev_hash, p_last_hash, n, p_day, p_file, p_sha256);
  PERFORM set_config('junction.audit_archiving', 'on', true);
  DELETE FROM audit_log WHERE seq BETWEEN p_first AND p_last;
  PERFORM set_config('junction.audit_archiving', 'off', true);
  RETURN n;
END;
$$;
REVOKE ALL ON FUNCTION audit_archive_remove(bigint, bigint, text, text, date, text, text) FROM PUBLIC;

-- A role operators grant to the application role so its archiver may call the function (and nothing more).
-- Roles are cluster-wide: created once, and skipped when the migrating user may not create roles.
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'junction_audit_archiver') THEN
    BEGIN
      CREATE ROLE junction_audit_archiver NOLOGIN;
    EXCEPTION WHEN insufficient_privilege OR duplicate_object THEN
      RAISE NOTICE 'role junction_audit_archiver not created (%): grant EXECUTE on audit_archive_remove yourself', SQLERRM;
    END;
  END IF;
  IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'junction_audit_archiver') THEN
    GRANT EXECUTE ON FUNCTION audit_archive_remove(bigint, bigint, text, text, date, text, text) TO junction_audit_archiver;
    GRANT SELECT ON audit_archives TO junction_audit_archiver;
  END IF;
END;
$$;
