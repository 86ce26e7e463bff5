/**
 * Failed-login throttling, kept in PostgreSQL (_login_failures, _login_locks: schema.ts) in the
 * data area of the login, so every process of the application sees the same counts and a
 * restart forgives nothing.
 *
 *  - Per login and client address (`login` limits): the first `freeAttempts` failures cost
 *    nothing; after them each next attempt from that address must wait a delay that doubles
 *    with every failure (baseDelayMs, 2×, 4×… up to maxDelayMs); at `lockAfter` failures that
 *    address may not try that login for lockMs. Only that address: an attacker who fails again
 *    and again slows down himself, never the real user logging in from elsewhere.
 *  - Per client address over all logins (`ip` limits): the same rule with more free attempts,
 *    against one address trying many logins.
 *  - Hard lock of a login (`hardLock`): only when failures come from many addresses — at least
 *    `failures` failures from at least `addresses` different addresses within windowMs, counted
 *    since the last hard lock of the login ended — the login is locked from every address, the
 *    right password included, for lockMs (0: until lifted). An administrator lifts it
 *    (liftLock, POST /api/users/:id/unlock). Both the lock and its lifting are journaled
 *    (loginLocked, loginUnlocked), and the user is told at the next successful login
 *    (lockNotice: in that login's answer and in /api/auth/me of that session).
 *
 * A client address is its IPv4 address, or the /64 prefix of an IPv6 one (one subscriber's
 * network: a host there can take any of 2^64 addresses). Logins are counted normalized
 * (users.ts normalizeLogin): "ADMİN", "Admin" and "admin" are one login.
 *
 * An attempt is counted as a failure when it starts (begin), in its own short transaction with
 * the rows locked, and un-counted when the password turns out right (succeeded): parallel
 * requests cannot slip through between the check and the count, and the scrypt hash runs with
 * no lock held. An attempt made too early is refused without checking the password, so
 * guessing cannot go faster than the delays. All numbers come from the environment
 * (throttleFromEnv) or the app's options.
 */
import type pg from "pg";
import { isIP } from "node:net";
import { tx, type Client } from "../storage/db.ts";
import { recordAuthEvent } from "./events.ts";
import type { Actor } from "../context.ts";
import { normalizeLogin } from "./users.ts";
import { setting } from "../config.ts";
import type { LockNotice } from "../http/api-types.ts";

export interface ThrottleLimits {
  freeAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  lockAfter: number;
  lockMs: number;
}

export interface HardLockLimits {
  /** Distinct client addresses that failed… */
  addresses: number;
  /** …with at least this many failures of the login in all… */
  failures: number;
  /** …within this long, lock the login from every address… */
  windowMs: number;
  /** …for this long; 0: until an administrator lifts it. */
  lockMs: number;
}

export interface ThrottleConfig {
  /** Per login and client address. */
  login: ThrottleLimits;
  /** Per client address over all logins. */
  ip: ThrottleLimits;
  /** The lock of a login from every address (default: from the environment). */
  hardLock?: HardLockLimits;
}

export function hardLockFromEnv(): HardLockLimits {
  return {
    addresses: Math.max(2, setting("LOGIN_HARD_LOCK_ADDRESSES")),
    failures: setting("LOGIN_HARD_LOCK_AFTER"),
    windowMs: setting("LOGIN_HARD_LOCK_WINDOW_MINUTES") * 60_000,
    lockMs: setting("LOGIN_HARD_LOCK_MINUTES") * 60_000,
  };
}

export function throttleFromEnv(): Required<ThrottleConfig> {
  const login: ThrottleLimits = {
    freeAttempts: setting("LOGIN_FREE_ATTEMPTS"),
    baseDelayMs: setting("LOGIN_DELAY_MS"),
    maxDelayMs: setting("LOGIN_MAX_DELAY_MS"),
    lockAfter: setting("LOGIN_LOCK_AFTER"),
    lockMs: setting("LOGIN_LOCK_MINUTES") * 60_000,
  };
  return {
    login,
    ip: { ...login, freeAttempts: setting("LOGIN_IP_FREE_ATTEMPTS"), lockAfter: setting("LOGIN_IP_LOCK_AFTER") },
    hardLock: hardLockFromEnv(),
  };
}

/** Why an attempt is refused now. */
export interface Refusal {
  /** null: until an administrator lifts the lock. */
  retryAfterMs: number | null;
  locked: boolean;
  failures: number;
  /** The login from this address, this address over all logins, or the login from everywhere (hard lock). */
  scope: "login" | "ip" | "account";
  /** For the hard lock: from how many addresses. */
  addresses?: number;
}

/** What the user is told at the next successful login after a hard lock (the API's shape). */
export type { LockNotice };

/** The key of a client address: IPv4 as is (also when IPv4-mapped), IPv6 by its /64 prefix. */
export function addressKey(ip: string | null | undefined): string {
  if (!ip) return "unknown";
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped) return mapped[1];
  if (isIP(ip) !== 6) return ip;
  const [head, tail = ""] = ip.toLowerCase().split("::");
  const h = head ? head.split(":") : [];
  const t = tail ? tail.split(":") : [];
  const groups = ip.includes("::") ? [...h, ...Array(8 - h.length - t.length).fill("0"), ...t] : h;
  return (
    groups
      .slice(0, 4)
      .map((g) => g.replace(/^0+(?=.)/, ""))
      .join(":") + "::/64"
  );
}

/**
 * The login as counted: normalized, and cut to 200 characters — NFKC can make a typed login many
 * times longer («ﷺ» is 18 letters), and no real login is longer than 64, so a longer one never
 * matches a user and only has to stay within an index entry.
 */
const throttleKey = (login: string) => normalizeLogin(login).slice(0, 200);

interface Row {
  login: string;
  failures: number;
  ago_ms: number;
}

/** An attempt that passed begin(): counted as a failure until succeeded() says otherwise. */
export interface Attempt {
  area: number;
  login: string;
  address: string;
}

const when = (iso: string | Date) => new Date(iso).toLocaleString("ru-RU", { timeZoneName: "short" });
const wordOf = (n: number, one: string, few: string, many: string) => {
  const m10 = n % 10;
  const m100 = n % 100;
  return m10 === 1 && m100 !== 11 ? one : m10 >= 2 && m10 <= 4 && (m100 < 12 || m100 > 14) ? few : many;
};
const addressesWord = (n: number) => `${n} ${wordOf(n, "адреса", "адресов", "адресов")}`;

export function noticeOf(r: {
  locked_at: Date;
  locked_until: Date | null;
  lifted_at: Date | null;
  lifted_by: string | null;
  failures: number;
  addresses: number;
}): LockNotice {
  const end = r.lifted_at
    ? `блокировку снял администратор «${r.lifted_by}» ${when(r.lifted_at)}`
    : r.locked_until
      ? `блокировка истекла ${when(r.locked_until)}`
      : "блокировка снята";
  return {
    lockedAt: r.locked_at.toISOString(),
    until: r.locked_until?.toISOString() ?? null,
    liftedAt: r.lifted_at?.toISOString() ?? null,
    liftedBy: r.lifted_by,
    failures: r.failures,
    addresses: r.addresses,
    message:
      `Ваша учётная запись была заблокирована ${when(r.locked_at)} после ${r.failures} неудачных попыток входа с ${addressesWord(r.addresses)}; ${end}. ` +
      "Если это были не вы — кто-то подбирал ваш пароль: смените его (меню пользователя → «Сменить пароль»), если он простой или где-то ещё используется.",
  };
}

export class LoginThrottle {
  readonly hardLock: HardLockLimits;
  constructor(
    private pool: pg.Pool,
    readonly limits: ThrottleConfig,
  ) {
    this.hardLock = limits.hardLock ?? hardLockFromEnv();
  }

  /** The wait before the next attempt after `failures` failures under `l` (lockMs from lockAfter on). */
  static delay(l: ThrottleLimits, failures: number): number {
    if (failures >= l.lockAfter) return l.lockMs;
    const over = failures - l.freeAttempts;
    if (over < 0) return 0;
    return Math.min(l.baseDelayMs * 2 ** over, l.maxDelayMs);
  }

  /**
   * May `login` be tried from `ip` now? Refused: why and for how long. Allowed: the attempt is
   * counted (for the login from this address, and for the address) until succeeded().
   */
  async begin(
    area: number,
    login: string,
    ip: string | null,
    o: { hardLock?: boolean } = {},
  ): Promise<{ refusal: Refusal } | { attempt: Attempt }> {
    const key = throttleKey(login);
    const address = addressKey(ip);
    return tx(this.pool, area, async (c) => {
      // Login bookkeeping like the sessions' (sessions.ts): a login does not wait for a lost
      // synchronous standby; a failover may forget the last seconds of counts.
      await c.query("SET LOCAL synchronous_commit = local");
      const lock =
        o.hardLock === false
          ? undefined
          : (
              await c.query(
                `SELECT failures, addresses, CASE WHEN locked_until IS NULL THEN NULL ELSE extract(epoch FROM locked_until - now()) * 1000 END AS left_ms
             FROM _login_locks WHERE login = $1 AND lifted_at IS NULL AND (locked_until IS NULL OR locked_until > now())`,
                [key],
              )
            ).rows[0];
      if (lock)
        return {
          refusal: {
            retryAfterMs: lock.left_ms === null ? null : Math.max(1, Number(lock.left_ms)),
            locked: true,
            failures: lock.failures,
            scope: "account" as const,
            addresses: lock.addresses,
          },
        };
      // Both rows exist and are locked, the address's ('' login) first: one order, no deadlock.
      await c.query("INSERT INTO _login_failures (login, address) VALUES ('', $2), ($1, $2) ON CONFLICT DO NOTHING", [
        key,
        address,
      ]);
      const rows: Row[] = (
        await c.query(
          `SELECT login, failures, extract(epoch FROM now() - last_at) * 1000 AS ago_ms FROM _login_failures
            WHERE address = $2 AND login IN ('', $1) ORDER BY login FOR UPDATE`,
          [key, address],
        )
      ).rows;
      const counted: Record<string, number> = {};
      for (const r of rows) {
        const l = r.login === "" ? this.limits.ip : this.limits.login;
        const ago = Number(r.ago_ms);
        // Failures older than the lock (or the lock itself, run out) are forgotten.
        const failures = ago >= l.lockMs ? 0 : r.failures;
        const wait = LoginThrottle.delay(l, failures) - ago;
        if (failures > 0 && wait > 0) {
          return {
            refusal: {
              retryAfterMs: wait,
              locked: failures >= l.lockAfter,
              failures,
              scope: r.login === "" ? ("ip" as const) : ("login" as const),
            },
          };
        }
        counted[r.login] = failures;
      }
      await c.query(
        `UPDATE _login_failures SET
            failures = CASE WHEN login = '' THEN $3::int ELSE $4::int END + 1,
            recent = CASE WHEN $4::int = 0 AND login <> '' THEN 0 ELSE recent END + 1,
            first_at = CASE WHEN (CASE WHEN login = '' THEN $3::int ELSE $4::int END) = 0 THEN now() ELSE first_at END,
            last_at = now()
          WHERE address = $2 AND login IN ('', $1)`,
        [key, address, counted[""] ?? 0, counted[key] ?? 0],
      );
      return { attempt: { area, login: key, address } };
    });
  }

  /**
   * After a failed attempt, in the login's transaction: forgets long-gone failures of the area,
   * and locks the login from every address when its failures since the last hard lock come from
   * enough addresses (journaled as loginLocked). Returns the refusal of the lock it made, if any.
   */
  async failed(c: Client, a: Attempt): Promise<Refusal | null> {
    // The delays run from the end of the failed attempt (the password check took a while). The
    // rows are touched in begin's order, the address's first, so two attempts cannot deadlock.
    await c.query("UPDATE _login_failures SET last_at = clock_timestamp() WHERE address = $1 AND login = ''", [
      a.address,
    ]);
    await c.query("UPDATE _login_failures SET last_at = clock_timestamp() WHERE address = $2 AND login = $1", [
      a.login,
      a.address,
    ]);
    const keep = Math.max(this.limits.login.lockMs, this.limits.ip.lockMs, this.hardLock.windowMs);
    await c.query("DELETE FROM _login_failures WHERE last_at < now() - $1 * interval '1 millisecond'", [keep]);
    const h = this.hardLock;
    const seen = (
      await c.query(
        `SELECT count(*)::int AS addresses, coalesce(sum(recent), 0)::int AS failures,
                (array_agg(address ORDER BY recent DESC))[1:20] AS list
           FROM _login_failures WHERE login = $1 AND recent > 0 AND last_at > now() - $2 * interval '1 millisecond'`,
        [a.login, h.windowMs],
      )
    ).rows[0];
    if (seen.addresses < h.addresses || seen.failures < h.failures) return null;
    const made = await c.query(
      `INSERT INTO _login_locks (login, locked_until, failures, addresses)
       VALUES ($1, CASE WHEN $2::float8 = 0 THEN NULL ELSE now() + $2::float8 * interval '1 millisecond' END, $3, $4)
       ON CONFLICT (area, login) DO UPDATE SET locked_at = now(), locked_until = EXCLUDED.locked_until, failures = EXCLUDED.failures,
              addresses = EXCLUDED.addresses, lifted_at = NULL, lifted_by = NULL, seen_at = NULL, seen_session = NULL
         WHERE _login_locks.lifted_at IS NOT NULL OR (_login_locks.locked_until IS NOT NULL AND _login_locks.locked_until <= now())
       RETURNING locked_until`,
      [a.login, h.lockMs, seen.failures, seen.addresses],
    );
    if (!made.rowCount) return null; // locked already (a parallel failure made it)
    await c.query("UPDATE _login_failures SET recent = 0 WHERE login = $1", [a.login]); // the next lock needs a new wave
    await recordAuthEvent(c, {
      area: a.area,
      actor: null,
      action: "loginLocked",
      login: a.login,
      details: {
        failures: seen.failures,
        addresses: seen.addresses,
        addressList: seen.list,
        until: made.rows[0].locked_until?.toISOString() ?? null,
      },
    });
    return {
      retryAfterMs: h.lockMs || null,
      locked: true,
      failures: seen.failures,
      scope: "account",
      addresses: seen.addresses,
    };
  }

  /**
   * After a successful attempt, in the login's transaction (with the new session's token hash):
   * forgets the login's failures from this address, un-counts the attempt for the address, and
   * returns what to tell the user about a hard lock since the last login (then marked told,
   * and kept for that session's /api/auth/me).
   */
  async succeeded(c: Client, a: Attempt, sessionHash: string | null): Promise<LockNotice | null> {
    // In begin's order (the address's row first), so two attempts cannot deadlock.
    await c.query(
      "UPDATE _login_failures SET failures = greatest(failures - 1, 0), recent = greatest(recent - 1, 0) WHERE login = '' AND address = $1",
      [a.address],
    );
    await c.query("DELETE FROM _login_failures WHERE login = $1 AND address = $2", [a.login, a.address]);
    const r = await c.query(
      `UPDATE _login_locks SET seen_at = now(), seen_session = $2 WHERE login = $1 AND seen_at IS NULL
       RETURNING locked_at, locked_until, lifted_at, lifted_by, failures, addresses`,
      [a.login, sessionHash],
    );
    return r.rowCount ? noticeOf(r.rows[0]) : null;
  }
}

/** The lock notice a session was given at its login (for /api/auth/me), or null. */
export async function sessionLockNotice(c: Client, login: string, sessionHash: string): Promise<LockNotice | null> {
  const r = await c.query(
    "SELECT locked_at, locked_until, lifted_at, lifted_by, failures, addresses FROM _login_locks WHERE login = $1 AND seen_session = $2",
    [throttleKey(login), sessionHash],
  );
  return r.rowCount ? noticeOf(r.rows[0]) : null;
}

/**
 * An administrator lifts the hard lock of `login` (in the caller's transaction of the area):
 * journaled as loginUnlocked; the failures that made it no longer count towards the next one.
 * False when the login is not locked.
 */
export async function liftLock(c: Client, area: number, login: string, actor: Actor | null): Promise<boolean> {
  const key = throttleKey(login);
  const r = await c.query(
    `UPDATE _login_locks SET lifted_at = now(), lifted_by = $2
      WHERE login = $1 AND lifted_at IS NULL AND (locked_until IS NULL OR locked_until > now())
      RETURNING locked_at, failures, addresses`,
    [key, actor?.login ?? null],
  );
  if (!r.rowCount) return false;
  await c.query("UPDATE _login_failures SET recent = 0 WHERE login = $1", [key]);
  const l = r.rows[0];
  await recordAuthEvent(c, {
    area,
    actor,
    action: "loginUnlocked",
    login: key,
    details: { lockedAt: l.locked_at.toISOString(), failures: l.failures, addresses: l.addresses },
  });
  return true;
}
