/**
 * Failed-login throttling, per login and per IP address: the first `freeAttempts` failures
 * cost nothing; after them each next attempt must wait a delay that doubles with every failure
 * (baseDelayMs, 2×, 4×… up to maxDelayMs); at `lockAfter` failures the key is locked for
 * lockMs. An attempt made too early is refused without checking the password, so guessing
 * cannot go faster than the delays. A success clears the login's count. Kept in memory (one
 * process; bounded in size, oldest forgotten first): a restart forgives, the lock is a brake,
 * not a ban. All numbers come from the environment (limitsFromEnv) or the app's options.
 */
export interface ThrottleLimits {
  freeAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  lockAfter: number;
  lockMs: number;
}

export interface ThrottleConfig {
  login: ThrottleLimits;
  ip: ThrottleLimits;
}

interface State {
  failures: number;
  last: number;
  lockedUntil: number;
}

const num = (name: string, def: number) => {
  const v = process.env[name];
  if (v === undefined || v === "") return def;
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0) throw new Error(`${name} must be a non-negative number, got "${v}"`);
  return n;
};

export function throttleFromEnv(): ThrottleConfig {
  const login: ThrottleLimits = {
    freeAttempts: num("LOGIN_FREE_ATTEMPTS", 3),
    baseDelayMs: num("LOGIN_DELAY_MS", 1000),
    maxDelayMs: num("LOGIN_MAX_DELAY_MS", 60_000),
    lockAfter: num("LOGIN_LOCK_AFTER", 10),
    lockMs: num("LOGIN_LOCK_MINUTES", 15) * 60_000,
  };
  return { login, ip: { ...login, freeAttempts: num("LOGIN_IP_FREE_ATTEMPTS", 10), lockAfter: num("LOGIN_IP_LOCK_AFTER", 50) } };
}

export interface Refusal {
  retryAfterMs: number;
  locked: boolean;
  failures: number;
}

export class Throttle {
  private states = new Map<string, State>();
  constructor(
    private limits: ThrottleLimits,
    private maxKeys = 100_000,
    private now: () => number = Date.now,
  ) {}

  /** null when an attempt is allowed now; otherwise how long to wait. */
  check(key: string): Refusal | null {
    const s = this.states.get(key);
    if (!s) return null;
    const t = this.now();
    if (s.lockedUntil > t) return { retryAfterMs: s.lockedUntil - t, locked: true, failures: s.failures };
    if (s.lockedUntil && s.lockedUntil <= t) {
      this.states.delete(key); // the lock has run out: start afresh
      return null;
    }
    if (t - s.last > this.limits.lockMs) {
      this.states.delete(key); // failures long ago are forgotten
      return null;
    }
    const wait = this.delay(s.failures) - (t - s.last);
    return wait > 0 ? { retryAfterMs: wait, locked: false, failures: s.failures } : null;
  }

  /** The wait before the next attempt after `failures` failures. */
  delay(failures: number): number {
    const over = failures - this.limits.freeAttempts;
    if (over < 0) return 0;
    return Math.min(this.limits.baseDelayMs * 2 ** over, this.limits.maxDelayMs);
  }

  fail(key: string): void {
    const t = this.now();
    const s = this.states.get(key) ?? { failures: 0, last: t, lockedUntil: 0 };
    s.failures++;
    s.last = t;
    if (s.failures >= this.limits.lockAfter) s.lockedUntil = t + this.limits.lockMs;
    this.states.delete(key); // re-insert: the Map's order is the age order
    this.states.set(key, s);
    if (this.states.size > this.maxKeys) this.states.delete(this.states.keys().next().value!);
  }

  clear(key: string): void {
    this.states.delete(key);
  }
}
