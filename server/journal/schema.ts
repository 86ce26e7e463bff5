/**
 * The journal's tables, created by storage/migrate.ts as the owner (journalSchemaSql), with
 * forced row-level security by data area like every platform table.
 *
 *  _journal       one row per recorded action. The application role may only INSERT and
 *                 SELECT: it can neither change nor remove an entry.
 *  _journal_head  per area and chain: the last sequence number and hash of the chain.
 *
 * Two chains per area: "main" and "sessions". Logins, failed logins and logouts go to
 * "sessions": their transactions commit without waiting for a synchronous standby
 * (security/sessions.ts), and with their own head they never queue behind a document write whose
 * commit holds the main head while it waits for a standby that is gone (issue 13 §3).
 *
 * Chaining happens at COMMIT: a deferred constraint trigger (_journal_chain, SECURITY DEFINER
 * so the application role needs no UPDATE right) locks the head row of the entry's area and chain, gives the entry the
 * next sequence number and hash = sha256(prev_hash ":" seq ":" content_hash), and moves the
 * head. The first call of a transaction chains all of its entries of that chain at once, in the
 * order they were inserted (the later calls find theirs chained), and moves the head once. The head lock is therefore held only from the commit of one transaction to its end, after
 * every other lock it takes, so journalled transactions serialise only for their commit and
 * cannot deadlock on the chain. A failure there (or anywhere) rolls the whole change back.
 */
import { q } from "../storage/naming.ts";
import { areaIsolationSql } from "../storage/columns.ts";

export const GENESIS_HASH = "0".repeat(64);

export function journalSchemaSql(appRole: string, areaDefault: string): string {
  const role = q(appRole);
  return `
CREATE TABLE IF NOT EXISTS _journal (
  area integer NOT NULL DEFAULT ${areaDefault},
  id bigint GENERATED ALWAYS AS IDENTITY,
  seq bigint,
  at timestamptz NOT NULL,
  user_id text,
  login text,
  ip text,
  action text NOT NULL,
  object_kind text,
  object_name text,
  object_id text,
  object_title text,
  details jsonb,
  content_hash text NOT NULL,
  prev_hash text,
  hash text,
  chain text NOT NULL DEFAULT 'main',
  PRIMARY KEY (area, id)
);
ALTER TABLE _journal ADD COLUMN IF NOT EXISTS chain text NOT NULL DEFAULT 'main';
DROP INDEX IF EXISTS _journal_seq;
CREATE UNIQUE INDEX IF NOT EXISTS _journal_chain_seq ON _journal (area, chain, seq);
CREATE INDEX IF NOT EXISTS _journal_at ON _journal (area, at);
CREATE INDEX IF NOT EXISTS _journal_object ON _journal (area, object_id);
CREATE TABLE IF NOT EXISTS _journal_head (
  area integer NOT NULL DEFAULT ${areaDefault},
  chain text NOT NULL DEFAULT 'main',
  seq bigint NOT NULL,
  hash text NOT NULL,
  PRIMARY KEY (area, chain)
);
ALTER TABLE _journal_head ADD COLUMN IF NOT EXISTS chain text NOT NULL DEFAULT 'main';
DO $do$ BEGIN
  -- a head keyed by area alone (before the sessions chain): key it by area and chain
  IF (SELECT array_length(conkey, 1) FROM pg_constraint WHERE conrelid = '_journal_head'::regclass AND contype = 'p') = 1 THEN
    ALTER TABLE _journal_head DROP CONSTRAINT _journal_head_pkey;
    ALTER TABLE _journal_head ADD PRIMARY KEY (area, chain);
  END IF;
END $do$;
CREATE OR REPLACE FUNCTION _journal_chain() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $fn$
DECLARE
  h record;
  r record;
  s bigint;
  prev text;
  next_hash text;
BEGIN
  -- chained already by the call for an earlier entry of this transaction (below)
  IF (SELECT seq FROM _journal WHERE area = NEW.area AND id = NEW.id) IS NOT NULL THEN RETURN NULL; END IF;
  INSERT INTO _journal_head (area, chain, seq, hash) VALUES (NEW.area, NEW.chain, 0, '${GENESIS_HASH}') ON CONFLICT (area, chain) DO NOTHING;
  SELECT seq, hash INTO h FROM _journal_head WHERE area = NEW.area AND chain = NEW.chain FOR UPDATE;
  s := h.seq;
  prev := h.hash;
  -- this entry and the later unchained ones of its chain (only this transaction's are visible
  -- unchained), in the order they were inserted, then the head moved once: a transaction of
  -- many entries does not update the head row once per entry
  FOR r IN SELECT id, content_hash FROM _journal
            WHERE area = NEW.area AND chain = NEW.chain AND seq IS NULL AND id >= NEW.id ORDER BY id LOOP
    s := s + 1;
    next_hash := encode(sha256(convert_to(prev || ':' || s || ':' || r.content_hash, 'UTF8')), 'hex');
    UPDATE _journal SET seq = s, prev_hash = prev, hash = next_hash WHERE area = NEW.area AND id = r.id;
    prev := next_hash;
  END LOOP;
  UPDATE _journal_head SET seq = s, hash = prev WHERE area = NEW.area AND chain = NEW.chain;
  RETURN NULL;
END
$fn$;
CREATE INDEX IF NOT EXISTS _journal_unchained ON _journal (area, chain, id) WHERE seq IS NULL;
REVOKE ALL ON FUNCTION _journal_chain() FROM PUBLIC;
DO $do$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_trigger WHERE tgname = '_journal_chain' AND tgrelid = '_journal'::regclass) THEN
    CREATE CONSTRAINT TRIGGER _journal_chain AFTER INSERT ON _journal
      DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION _journal_chain();
  END IF;
END $do$;
${areaIsolationSql("_journal", appRole, "SELECT, INSERT", areaDefault)}
${areaIsolationSql("_journal_head", appRole, "SELECT", areaDefault)}
`;
}
