/**
 * The tables of users and sessions, created by storage/migrate.ts as the owner, with forced
 * row-level security by data area like every platform table: a user belongs to one area, and
 * a session is looked up inside the area its cookie names (sessions.ts), so a forged area
 * finds nothing.
 *
 *  _users     login (unique per area, case-insensitively), display name, roles (names of
 *             metadata roles), the scrypt hash with its own salt and parameters (passwords.ts),
 *             disabled flag.
 *  _sessions  the sha256 of the session token (never the token itself), its user, the CSRF
 *             token, creation and last-use times (idle and absolute timeouts), IP and agent.
 */
import { q } from "../storage/naming.ts";

export function securitySchemaSql(appRole: string, areaDefault: string): string {
  const role = q(appRole);
  const rls = (t: string) => `ALTER TABLE ${t} ENABLE ROW LEVEL SECURITY; ALTER TABLE ${t} FORCE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS area_isolation ON ${t};
CREATE POLICY area_isolation ON ${t} USING (area = ${areaDefault}) WITH CHECK (area = ${areaDefault});
GRANT SELECT, INSERT, UPDATE, DELETE ON ${t} TO ${role};`;
  return `
CREATE TABLE IF NOT EXISTS _users (
  area integer NOT NULL DEFAULT ${areaDefault},
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  login text NOT NULL,
  name text NOT NULL DEFAULT '',
  roles text[] NOT NULL DEFAULT '{}',
  password jsonb,
  disabled boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now(),
  password_changed_at timestamptz,
  PRIMARY KEY (area, id)
);
CREATE UNIQUE INDEX IF NOT EXISTS _users_login ON _users (area, lower(login));
CREATE TABLE IF NOT EXISTS _sessions (
  area integer NOT NULL DEFAULT ${areaDefault},
  token_hash text NOT NULL,
  user_id uuid NOT NULL,
  csrf text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  last_seen timestamptz NOT NULL DEFAULT now(),
  ip text,
  agent text,
  PRIMARY KEY (area, token_hash)
);
CREATE INDEX IF NOT EXISTS _sessions_user ON _sessions (area, user_id);
${rls("_users")}
${rls("_sessions")}
`;
}
