/**
 * The tables of background jobs (server/jobs.ts), created by storage/migrate.ts as the owner.
 *
 *  _jobs       one row per job, in its data area under forced row-level security: its kind and
 *              stored info (what to do again if another process takes it over), whose it is
 *              (owner "area|user", and the starter's login, name and roles to run it as them),
 *              state, stage, done of total, the error or the result (JSON), the file of a print
 *              (bytea, stored uncompressed so that it is read back in chunks cheaply), which
 *              process runs it (worker) and when that process last said so (heartbeat), how often
 *              it was taken, when it started, finished and is forgotten (expires).
 * A process looks for jobs to take over in the areas of _areas (server/jobs.ts).
 */
import { q } from "../storage/naming.ts";
import { areaIsolationSql } from "../storage/columns.ts";

export const JOBS_TABLE = "_jobs";

export function jobsSchemaSql(appRole: string, areaDefault: string): string {
  const t = q(JOBS_TABLE);
  const role = q(appRole);
  return `
CREATE TABLE IF NOT EXISTS ${t} (
  area integer NOT NULL DEFAULT ${areaDefault},
  id uuid NOT NULL,
  kind text NOT NULL,
  owner text,
  starter jsonb,
  info jsonb NOT NULL,
  state text NOT NULL DEFAULT 'running' CHECK (state IN ('running', 'done', 'failed')),
  stage text,
  done integer NOT NULL DEFAULT 0,
  total integer NOT NULL DEFAULT 0,
  error jsonb,
  result jsonb,
  file bytea,
  worker text,
  heartbeat timestamptz,
  attempts integer NOT NULL DEFAULT 1,
  started timestamptz NOT NULL DEFAULT now(),
  finished timestamptz,
  expires timestamptz,
  PRIMARY KEY (area, id)
);
ALTER TABLE ${t} ALTER COLUMN file SET STORAGE EXTERNAL;
CREATE INDEX IF NOT EXISTS _jobs_running ON ${t} (area, kind, started) WHERE state = 'running';
CREATE INDEX IF NOT EXISTS _jobs_expires ON ${t} (area, expires) WHERE expires IS NOT NULL;
${areaIsolationSql(JOBS_TABLE, appRole, "SELECT, INSERT, UPDATE, DELETE", areaDefault)}
`;
}
