/**
 * Saved form settings (1C's «Настройки формы»), created by storage/migrate.ts as the owner
 * (server/schema.ts), with forced row-level security by data area like every platform table:
 *
 *  _form_settings  one row per user and form: the form's key («list:document.Invoice»,
 *                  «table:document.Invoice.Goods»), what the client keeps of it (column order,
 *                  widths, visibility, sort, filters — JSON the platform stores as given, at most
 *                  MAX_SETTINGS_BYTES) and when it was saved. The user is the session's user id
 *                  ('' without security). The application role may SELECT, INSERT, UPDATE, DELETE.
 */
import { areaIsolationSql } from "../storage/columns.ts";

export function settingsSchemaSql(appRole: string, areaDefault: string): string {
  return `
CREATE TABLE IF NOT EXISTS _form_settings (
  area integer NOT NULL DEFAULT ${areaDefault},
  user_id text NOT NULL,
  form text NOT NULL,
  settings jsonb NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT clock_timestamp(),
  PRIMARY KEY (area, user_id, form)
);
${areaIsolationSql("_form_settings", appRole, "SELECT, INSERT, UPDATE, DELETE", areaDefault)}
`;
}
