/**
 * Sessions in PostgreSQL (_sessions, schema.ts), written by hand rather than with
 * express-session + connect-pg-simple: those query the table outside any data area, and here
 * every table has forced row-level security. The cookie is `<area>.<token>`: the area tells which
 * area's transaction to look in, the token (32 random bytes) is stored only as its sha256, so a
 * copy of the table opens no session and a forged area finds nothing. Idle and absolute
 * timeouts are checked in the lookup; login always makes a new token (rotation) and drops the
 * one the browser had. A validated session is remembered for `cacheMs` so that a busy client
 * does not pay a round trip per request; logout, password change and disabling evict it.
 *
 * Session bookkeeping never waits for a synchronous standby (docs/redundancy.md): the
 * transactions that touch last_seen, open a session at login or end one at logout commit with
 * `synchronous_commit = local` (LOCAL_COMMIT), so reads and logins go on while the standby is
 * gone and only writes of data wait for it. What that risks is small: on a failover the
 * standby may miss the last few seconds of last_seen, logins and logouts (users log in again).
 */
import { createHash, randomBytes } from "node:crypto";
import type pg from "pg";
import { Not } from "typeorm";
import { tx, type Client } from "../storage/db.ts";
import { ormOf } from "../storage/orm.ts";
import { setting } from "../config.ts";
import { SessionEntity, UserEntity } from "./entities.ts";

export interface SessionLimits {
  /** Ends after this long without a request. */
  idleMs: number;
  /** Ends this long after login, however busy. */
  absoluteMs: number;
  cacheMs: number;
}

export function sessionLimitsFromEnv(): SessionLimits {
  return {
    idleMs: setting("SESSION_IDLE_MINUTES") * 60_000,
    absoluteMs: setting("SESSION_ABSOLUTE_MINUTES") * 60_000,
    cacheMs: 5_000,
  };
}

export interface Session {
  area: number;
  tokenHash: string;
  userId: string;
  login: string;
  name: string;
  roles: string[];
  csrf: string;
}

/**
 * Makes the caller's transaction commit once it is on the primary's disk, without waiting for
 * a synchronous standby. Affects only this transaction (SET LOCAL).
 */
export const LOCAL_COMMIT = "SET LOCAL synchronous_commit = local";

const sessions = (c: Client) => ormOf(c).getRepository(SessionEntity);

/** Idle and absolute timeouts as a condition on a session row (its own columns, unqualified). */
const LIVE =
  "last_seen > now() - :idleMs * interval '1 millisecond' AND created_at > now() - :absoluteMs * interval '1 millisecond'";

interface LiveSession {
  user_id: string;
  csrf: string;
  u_login: string;
  u_name: string;
  u_roles: string[];
}
type LiveValues = { tokenHash: string; idleMs: number; absoluteMs: number };

/** The lookup's statement as the QueryBuilder writes it, and its parameters' names in order. */
let liveSql: { text: string; names: (keyof LiveValues)[] } | undefined;

/**
 * The live session of a token hash, touched, with its enabled user — one statement: the UPDATE …
 * RETURNING in a WITH, joined to _users (a disabled user's session is touched, found with no
 * user, and deleted by the caller). Its text depends on no value, so the QueryBuilder writes it
 * once (building it costs more CPU than running it) and every lookup runs it with its values.
 */
async function liveSession(c: Client, values: LiveValues): Promise<LiveSession | undefined> {
  if (!liveSql) {
    const marks = { tokenHash: "\u0000tokenHash", idleMs: "\u0000idleMs", absoluteMs: "\u0000absoluteMs" };
    const touched = sessions(c)
      .createQueryBuilder()
      .update()
      .set({ last_seen: () => "now()" })
      .where(`token_hash = :tokenHash AND ${LIVE}`, marks)
      .returning(["user_id", "csrf"]);
    const [text, params] = ormOf(c)
      .createQueryBuilder()
      .addCommonTableExpression(touched, "touched")
      .select("s.user_id", "user_id")
      .addSelect("s.csrf", "csrf")
      .addSelect(["u.login", "u.name", "u.roles"])
      .from(UserEntity, "u")
      .innerJoin("touched", "s", "s.user_id = u.id AND NOT u.disabled")
      .getQueryAndParameters();
    liveSql = { text, names: params.map((m) => String(m).slice(1) as keyof LiveValues) };
  }
  const rows: LiveSession[] = await ormOf(c).query(
    liveSql.text,
    liveSql.names.map((n) => values[n]),
  );
  return rows[0];
}

const sha256 = (s: string) => createHash("sha256").update(s).digest("hex");
const TOKEN_RE = /^([1-9][0-9]{0,8})\.([A-Za-z0-9_-]{43})$/;

/** The area and token hash of a cookie value, or null when it is not one of ours. */
export function parseSessionCookie(value: string | undefined): { area: number; tokenHash: string } | null {
  const m = value ? TOKEN_RE.exec(value) : null;
  return m ? { area: Number(m[1]), tokenHash: sha256(m[2]) } : null;
}

export class SessionStore {
  private cache = new Map<string, { s: Session; at: number }>();
  constructor(
    private pool: pg.Pool,
    readonly limits: SessionLimits,
  ) {}

  /** A new session for the user, in the caller's transaction of `area`; returns the cookie value and CSRF token. */
  async create(
    c: Client,
    area: number,
    userId: string,
    ip: string | null,
    agent: string | null,
  ): Promise<{ cookie: string; csrf: string }> {
    const token = randomBytes(32).toString("base64url");
    const csrf = randomBytes(32).toString("base64url");
    await c.query(LOCAL_COMMIT); // a login must not wait for a lost standby
    await sessions(c)
      .createQueryBuilder()
      .delete()
      .where(
        "last_seen < now() - :idleMs * interval '1 millisecond' OR created_at < now() - :absoluteMs * interval '1 millisecond'",
        { idleMs: this.limits.idleMs, absoluteMs: this.limits.absoluteMs },
      )
      .execute();
    // area, created_at and last_seen are the database's defaults; nothing reads them back here.
    await sessions(c)
      .createQueryBuilder()
      .insert()
      .values({ token_hash: sha256(token), user_id: userId, csrf, ip, agent: agent?.slice(0, 300) ?? null })
      .updateEntity(false)
      .execute();
    return { cookie: `${area}.${token}`, csrf };
  }

  /** The live session of a cookie value (touching its last use), or null. */
  async lookup(cookie: string | undefined): Promise<Session | null> {
    const k = parseSessionCookie(cookie);
    if (!k) return null;
    const key = `${k.area}.${k.tokenHash}`;
    const hit = this.cache.get(key);
    if (hit && Date.now() - hit.at < this.limits.cacheMs) return hit.s;
    const s = await tx(this.pool, k.area, async (c) => {
      await c.query(LOCAL_COMMIT); // a read must not wait for a lost standby to record last_seen
      const row = await liveSession(c, {
        tokenHash: k.tokenHash,
        idleMs: this.limits.idleMs,
        absoluteMs: this.limits.absoluteMs,
      });
      if (!row) {
        await sessions(c).delete({ token_hash: k.tokenHash });
        return null;
      }
      return {
        area: k.area,
        tokenHash: k.tokenHash,
        userId: row.user_id,
        login: row.u_login,
        name: row.u_name,
        roles: row.u_roles,
        csrf: row.csrf,
      } satisfies Session;
    });
    if (s) this.remember(key, s);
    else this.cache.delete(key);
    return s;
  }

  private remember(key: string, s: Session): void {
    this.cache.set(key, { s, at: Date.now() });
    if (this.cache.size > 10_000) this.cache.delete(this.cache.keys().next().value!);
  }

  /** Ends one session (in the caller's transaction of its area). */
  async destroy(c: Client, s: { area: number; tokenHash: string }): Promise<void> {
    this.cache.delete(`${s.area}.${s.tokenHash}`);
    await c.query(LOCAL_COMMIT); // logout and the rotation at login do not wait for a lost standby
    await sessions(c).delete({ token_hash: s.tokenHash });
  }

  /** Ends every session of a user but `keep` (password changed, user disabled). */
  async destroyUser(c: Client, area: number, userId: string, keep?: string): Promise<void> {
    for (const [k, v] of this.cache)
      if (v.s.area === area && v.s.userId === userId && v.s.tokenHash !== keep) this.cache.delete(k);
    await sessions(c).delete(keep === undefined ? { user_id: userId } : { user_id: userId, token_hash: Not(keep) });
  }

  /** Forgets cached sessions of a user (after an administrator's change in another transaction). */
  evictUser(area: number, userId: string): void {
    for (const [k, v] of this.cache) if (v.s.area === area && v.s.userId === userId) this.cache.delete(k);
  }
}
