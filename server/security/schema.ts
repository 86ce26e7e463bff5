/**
 * The tables of users and sessions, created by storage/migrate.ts as the owner, with forced
 * row-level security by data area like every platform table: a user belongs to one area, and
 * a session is looked up inside the area its cookie names (sessions.ts), so a forged area
 * finds nothing.
 *
 *  _users     login (normalized by users.ts normalizeLogin, unique per area), display name,
 *             roles (names of metadata roles), the scrypt hash with its own salt and parameters
 *             (passwords.ts), whether it is long enough for an administrator, disabled flag.
 *  _sessions  the sha256 of the session token (never the token itself), its user, the CSRF
 *             token, creation and last-use times (idle and absolute timeouts), IP and agent.
 *  _login_failures  failed logins (throttle.ts) per normalized login and client address, and
 *             per address over all logins (login ''): the count, the count since the last hard
 *             lock of the login (`recent`), first and last failure.
 *  _login_locks  the last hard lock of each login: when, until when (null: until lifted), how
 *             many failures from how many addresses; who lifted it and when; when the user was
 *             told (at the next successful login, in that session's answers).
 */
import { q } from "../storage/naming.ts";
import { areaIsolationSql } from "../storage/columns.ts";

export function securitySchemaSql(appRole: string, areaDefault: string): string {
  const role = q(appRole);
  const rls = (t: string) => areaIsolationSql(t, appRole, "SELECT, INSERT, UPDATE, DELETE", areaDefault);
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
-- Whether the password is long enough for an administrator (passwords.ts), so that making a user
-- an administrator can ask for a new one; false for passwords set before it was recorded.
ALTER TABLE _users ADD COLUMN IF NOT EXISTS password_admin_length boolean NOT NULL DEFAULT false;
-- Logins are stored normalized (users.ts normalizeLogin) and compared exactly. Logins made
-- before were ASCII only ([A-Za-z0-9._@-]), for which lower() is exactly that normalization;
-- the old index kept them unique case-insensitively, so lowering them cannot collide. RLS is
-- re-forced below in this same transaction (the owner need not be a superuser).
ALTER TABLE _users NO FORCE ROW LEVEL SECURITY;
UPDATE _users SET login = lower(login) WHERE login ~ '^[A-Za-z0-9._@-]+$' AND login <> lower(login);
DROP INDEX IF EXISTS _users_login;
CREATE UNIQUE INDEX IF NOT EXISTS _users_login_normalized ON _users (area, login);
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
CREATE TABLE IF NOT EXISTS _login_failures (
  area integer NOT NULL DEFAULT ${areaDefault},
  login text NOT NULL,
  address text NOT NULL,
  failures integer NOT NULL DEFAULT 0,
  recent integer NOT NULL DEFAULT 0,
  first_at timestamptz NOT NULL DEFAULT now(),
  last_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (area, login, address)
);
CREATE INDEX IF NOT EXISTS _login_failures_last ON _login_failures (area, last_at);
CREATE TABLE IF NOT EXISTS _login_locks (
  area integer NOT NULL DEFAULT ${areaDefault},
  login text NOT NULL,
  locked_at timestamptz NOT NULL DEFAULT now(),
  locked_until timestamptz,
  failures integer NOT NULL,
  addresses integer NOT NULL,
  lifted_at timestamptz,
  lifted_by text,
  seen_at timestamptz,
  seen_session text,
  PRIMARY KEY (area, login)
);
${rls("_users")}
${rls("_sessions")}
${rls("_login_failures")}
${rls("_login_locks")}
`;
}
