/**
 * Time passing for the security tests without waiting for it. Session timeouts (sessions.ts) and
 * login throttling (throttle.ts) compare PostgreSQL's now() with the timestamps in their rows,
 * so moving those timestamps back is, to the server, that much time passing: a test states how
 * long has passed instead of sleeping and hoping a loaded machine keeps to its schedule. The
 * server's own code runs unchanged. Not a test file itself.
 */
import type { Platform } from "../../server/platform.ts";
import { parseSessionCookie } from "../../server/security/sessions.ts";
import type { TestSession } from "../platform/api-client.ts";

/** `ms` pass for login throttling: every failure count and lock of the database gets that much older. */
export async function throttleTimePasses(p: Platform, ms: number): Promise<void> {
  const back = (c: string) => `${c} = ${c} - $1::float8 * interval '1 millisecond'`;
  await p.db.owner.query(`UPDATE _login_failures SET ${back("first_at")}, ${back("last_at")}`, [ms]);
  await p.db.owner.query(
    `UPDATE _login_locks SET ${["locked_at", "locked_until", "lifted_at", "seen_at"].map(back).join(", ")}`,
    [ms],
  );
}

/**
 * Makes a session `idleMs` idle (its last use that long ago) and, when given, `ageMs` old (made
 * that long ago) — as if that much time had passed, the session used as said.
 */
export async function sessionIs(p: Platform, s: TestSession, o: { idleMs: number; ageMs?: number }): Promise<void> {
  const key = parseSessionCookie(s.sid);
  if (!key) throw new Error(`not a session cookie: ${s.sid}`);
  const r = await p.db.owner.query(
    `UPDATE _sessions SET last_seen = now() - $1::float8 * interval '1 millisecond',
            created_at = coalesce(now() - $2::float8 * interval '1 millisecond', created_at)
      WHERE area = $3 AND token_hash = $4`,
    [o.idleMs, o.ageMs ?? null, key.area, key.tokenHash],
  );
  if (r.rowCount !== 1) throw new Error(`no session ${s.sid} to age`);
}
