/**
 * The attachments' table, created by storage/migrate.ts as the owner (server/schema.ts), with
 * forced row-level security by data area like every platform table:
 *
 *  _attachments  one row per file attached to a catalog item or a document: the object (kind,
 *                name, id), the file's name as given, its type as its content says (sniff.ts),
 *                size, sha256, who attached it and when, and the bytes (bytea, at most
 *                MAX_ATTACHMENT_BYTES). The application role may SELECT, INSERT and DELETE.
 */
import { areaIsolationSql } from "../storage/columns.ts";

export function attachmentsSchemaSql(appRole: string, areaDefault: string): string {
  return `
CREATE TABLE IF NOT EXISTS _attachments (
  area integer NOT NULL DEFAULT ${areaDefault},
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  object_kind text NOT NULL,
  object_name text NOT NULL,
  object_id uuid NOT NULL,
  file_name text NOT NULL,
  content_type text NOT NULL,
  size integer NOT NULL,
  sha256 text NOT NULL,
  data bytea NOT NULL,
  created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
  user_id text,
  login text,
  PRIMARY KEY (area, id)
);
CREATE INDEX IF NOT EXISTS _attachments_object ON _attachments (area, object_id);
${areaIsolationSql("_attachments", appRole, "SELECT, INSERT, DELETE", areaDefault)}
`;
}
