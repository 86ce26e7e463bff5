/**
 * The workflow's table, created by storage/migrate.ts as the owner (server/schema.ts), with forced
 * row-level security by data area like every platform table:
 *
 *  _status_history  one row per status a document took: its creation in the initial status
 *                   (from_status NULL) and every transition (who, when, from, to, comment). The
 *                   application role may only INSERT and SELECT: the history is never rewritten.
 */
import { areaIsolationSql } from "../storage/columns.ts";

export function workflowSchemaSql(appRole: string, areaDefault: string): string {
  return `
CREATE TABLE IF NOT EXISTS _status_history (
  area integer NOT NULL DEFAULT ${areaDefault},
  id bigint GENERATED ALWAYS AS IDENTITY,
  doc_kind text NOT NULL,
  doc_id uuid NOT NULL,
  at timestamptz NOT NULL DEFAULT clock_timestamp(),
  user_id text,
  login text,
  from_status text,
  to_status text NOT NULL,
  comment text NOT NULL DEFAULT '',
  PRIMARY KEY (area, id)
);
CREATE INDEX IF NOT EXISTS _status_history_doc ON _status_history (area, doc_id, id);
${areaIsolationSql("_status_history", appRole, "SELECT, INSERT", areaDefault)}
`;
}
