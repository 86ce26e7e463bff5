/**
 * Authentication of the API: POST /api/auth/login, /logout, /password, GET /api/auth/me, and
 * the middleware that lets every other /api request through only with a live session.
 *
 *  - The session cookie `sid` (HttpOnly, SameSite=Strict, Secure under HTTPS) and the CSRF
 *    cookie `csrf` (readable by the client, which echoes it in X-CSRF-Token on every POST, PUT,
 *    PATCH and DELETE: double submit, checked against the token stored with the session).
 *    Login is refused across origins by originCheck and must be JSON (a form cannot send it).
 *  - Login makes a new session token whatever cookie came in (rotation) and ends the old one.
 *  - Failed logins are throttled per login and client address, and per address (delays, then a
 *    lock of that address only); a login is locked from every address only when failures come
 *    from many addresses, until it runs out or an administrator lifts it, and the user is told
 *    at the next login (`lockNotice`) — security/throttle.ts, kept in PostgreSQL. The login and
 *    password routes are also rate limited per IP (express-rate-limit).
 *  - After authentication the request runs in its security scope (security/scope.ts): the
 *    session's area, user and permissions.
 */
import type { Request, RequestHandler, Response, Router } from "express";
import { rateLimit } from "express-rate-limit";
import { timingSafeEqual } from "node:crypto";
import type { Platform } from "../platform.ts";
import { tx } from "../storage/db.ts";
import { AppError, badRequest } from "../errors.ts";
import { MAX_PASSWORD_LENGTH, verifyPassword } from "../security/passwords.ts";
import { permissionsFor, allRoles } from "../security/permissions.ts";
import { scopeStorage, currentScope } from "../security/scope.ts";
import type { Actor } from "../context.ts";
import {
  LOCAL_COMMIT,
  parseSessionCookie,
  SessionStore,
  sessionLimitsFromEnv,
  type Session,
  type SessionLimits,
} from "../security/sessions.ts";
import {
  LoginThrottle,
  sessionLockNotice,
  throttleFromEnv,
  type ThrottleConfig,
  type Refusal,
} from "../security/throttle.ts";
import { findUser, normalizeLogin, setPassword } from "../security/users.ts";
import { recordAuthEvent } from "../security/events.ts";
import { jsonBody } from "./context.ts";
import { rules, secureRouter } from "./access.ts";
import { badCharacter } from "./text.ts";
import type { Me, SessionInfo } from "./api-types.ts";
import { setting } from "../config.ts";

export interface AuthOptions {
  /** The area a login without `area` goes to. */
  area: number;
  sessions?: Partial<SessionLimits>;
  throttle?: ThrottleConfig;
  /** Requests per window per IP to the login and password routes. */
  rateLimit?: { windowMs: number; limit: number };
  /** Mark cookies Secure (served over HTTPS). */
  secure?: boolean;
}

export const SESSION_COOKIE = "sid";
export const CSRF_COOKIE = "csrf";
export const CSRF_HEADER = "x-csrf-token";
const UNSAFE = new Set(["POST", "PUT", "PATCH", "DELETE"]);

export const unauthenticated = (message = "Требуется вход в систему (POST /api/auth/login)") =>
  new AppError(401, "unauthenticated", message);

/** The request's cookies (only the first of a repeated name counts). */
export function cookies(req: Request): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (req.headers.cookie ?? "").split(";")) {
    const eq = part.indexOf("=");
    if (eq < 0) continue;
    const k = part.slice(0, eq).trim();
    if (!(k in out)) {
      try {
        out[k] = decodeURIComponent(part.slice(eq + 1).trim());
      } catch {
        out[k] = "";
      }
    }
  }
  return out;
}

const sameToken = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

/** Refuses a state-changing request sent from another site (Origin or Fetch Metadata headers). */
export const originCheck: RequestHandler = (req, _res, next) => {
  if (!UNSAFE.has(req.method)) return next();
  const site = req.headers["sec-fetch-site"];
  if (site === "cross-site" || site === "same-site")
    return next(new AppError(403, "cross_origin", "Запрос с другого сайта отклонён"));
  const origin = req.headers.origin;
  if (origin !== undefined) {
    let host: string | null = null;
    try {
      host = new URL(origin).host;
    } catch {
      /* "null" or garbage */
    }
    if (host === null || host !== req.headers.host)
      return next(
        new AppError(403, "cross_origin", `Запрос с другого источника (${String(origin).slice(0, 100)}) отклонён`),
      );
  }
  next();
};

function str(body: Record<string, unknown>, name: string, max: number): string {
  const v = body[name];
  if (typeof v !== "string" || v.length === 0) throw badRequest(`Поле ${name}: нужна непустая строка`, name);
  if (v.length > max) throw badRequest(`Поле ${name}: не длиннее ${max} символов`, name);
  const bad = name === "login" ? badCharacter(v) : null; // passwords are only hashed; a login reaches the database
  if (bad) throw badRequest(`Поле ${name}: ${bad}`, name);
  return v;
}

function objectBody(req: Request): Record<string, unknown> {
  const body = jsonBody(req);
  if (typeof body !== "object" || body === null || Array.isArray(body)) throw badRequest("Тело запроса: JSON-объект");
  return body as Record<string, unknown>;
}

function tooMany(r: Refusal, login: string): AppError {
  const s = r.retryAfterMs === null ? null : Math.ceil(r.retryAfterMs / 1000);
  const wait = s === null ? "" : s >= 120 ? `${Math.ceil(s / 60)} мин` : `${s} с`;
  const who = r.scope === "ip" ? "с этого адреса" : `пользователя «${login}» с этого адреса`;
  const e =
    r.scope === "account"
      ? new AppError(
          429,
          "account_locked",
          `Вход пользователя «${login}» заблокирован: ${r.failures} неудачных попыток входа с ${r.addresses} разных адресов — похоже, пароль подбирают. ` +
            (s === null
              ? "Блокировку снимет администратор (Пользователи → «Снять блокировку»)"
              : `Блокировка снимется через ${wait}; раньше её может снять администратор (Пользователи → «Снять блокировку»)`),
        )
      : r.locked
        ? new AppError(
            429,
            "login_locked",
            `Вход ${who} временно заблокирован после ${r.failures} неудачных попыток; повторите через ${wait}`,
          )
        : new AppError(
            429,
            "login_delayed",
            `Слишком много неудачных попыток входа ${who}; следующая попытка — через ${wait}`,
          );
  if (s !== null) (e as AppError & { retryAfter?: number }).retryAfter = s;
  return e;
}

export interface Auth {
  routes: Router;
  /** Lets a request through only with a live session (and, for unsafe methods, its CSRF token). */
  authenticate: RequestHandler;
  store: SessionStore;
}

export function authLayer(platform: Platform, opts: AuthOptions): Auth {
  const conf = platform.conf;
  const pool = platform.db.app;
  const store = new SessionStore(pool, { ...sessionLimitsFromEnv(), ...opts.sessions });
  const throttle = new LoginThrottle(pool, opts.throttle ?? throttleFromEnv());
  const rl = opts.rateLimit ?? { windowMs: 60_000, limit: setting("AUTH_RATE_LIMIT") };
  const limiter = rateLimit({
    windowMs: rl.windowMs,
    limit: rl.limit,
    standardHeaders: "draft-7",
    legacyHeaders: false,
    validate: { xForwardedForHeader: false },
    handler: (_req, res, next) => {
      res.set("Retry-After", String(Math.ceil(rl.windowMs / 1000)));
      next(
        new AppError(
          429,
          "rate_limited",
          `Слишком много запросов входа с этого адреса; повторите через ${Math.ceil(rl.windowMs / 1000)} с`,
        ),
      );
    },
  });

  const cookieOpts = (req: Request, httpOnly: boolean) => ({
    httpOnly,
    sameSite: "strict" as const,
    secure: opts.secure === true || req.secure,
    path: "/",
    maxAge: store.limits.absoluteMs,
  });
  const setCookies = (req: Request, res: Response, sid: string, csrf: string) => {
    res.cookie(SESSION_COOKIE, sid, cookieOpts(req, true));
    res.cookie(CSRF_COOKIE, csrf, cookieOpts(req, false));
  };
  const clearCookies = (req: Request, res: Response) => {
    const { maxAge: _m, ...o } = cookieOpts(req, true);
    res.clearCookie(SESSION_COOKIE, o);
    res.clearCookie(CSRF_COOKIE, { ...o, httpOnly: false });
  };
  const ipOf = (req: Request) => req.ip ?? req.socket.remoteAddress ?? null;
  const me = (s: Session): SessionInfo => {
    const perms = permissionsFor(conf, s.roles);
    const roles = allRoles(conf).filter((r) => s.roles.includes(r.name));
    return {
      user: { id: s.userId, login: s.login, name: s.name },
      roles: roles.map((r) => ({ name: r.name, synonym: r.synonym })),
      area: s.area,
      csrfToken: s.csrf,
      permissions: perms.summary(),
    };
  };

  const authenticate: RequestHandler = async (req, res, next) => {
    const sid = cookies(req)[SESSION_COOKIE];
    const s = await store.lookup(sid);
    if (!s) {
      if (sid !== undefined) clearCookies(req, res);
      throw unauthenticated(sid === undefined ? undefined : "Сеанс истёк или недействителен: войдите снова");
    }
    if (UNSAFE.has(req.method)) {
      const token = req.headers[CSRF_HEADER];
      if (typeof token !== "string" || !sameToken(token, s.csrf)) {
        throw new AppError(
          403,
          "csrf",
          `Запрос отклонён: нет верного токена защиты от подделки (заголовок X-CSRF-Token со значением cookie «${CSRF_COOKIE}»)`,
        );
      }
    }
    const actor: Actor = { userId: s.userId, login: s.login, ip: ipOf(req) };
    scopeStorage.run({ area: s.area, session: s, perms: permissionsFor(conf, s.roles), actor }, next);
  };

  const r = secureRouter();
  const allow = rules(conf);

  r.post("/login", limiter, allow.public(), async (req, res) => {
    const body = objectBody(req);
    const login = str(body, "login", 200);
    const password = str(body, "password", MAX_PASSWORD_LENGTH);
    const area = body.area === undefined ? opts.area : body.area;
    if (typeof area !== "number" || !Number.isInteger(area) || area < 1 || area > 999_999_999)
      throw badRequest("Поле area: номер области данных (целое от 1)", "area");
    const ip = ipOf(req);
    const gate = await throttle.begin(area, login, ip);
    if ("refusal" in gate)
      throw tooMany(gate.refusal, gate.refusal.scope === "account" ? normalizeLogin(login) : login);

    const out = await tx(pool, area, async (c) => {
      await c.query(LOCAL_COMMIT); // a login (or a failed one) does not wait for a lost standby (sessions.ts)
      const u = await findUser(c, login);
      const ok = await verifyPassword(password, u?.password);
      const actor = u ? { userId: u.id, login: u.login, ip } : null;
      if (!ok || !u) {
        await recordAuthEvent(c, {
          area,
          actor,
          action: "loginFailed",
          login,
          details: { reason: u ? "password" : "unknown login" },
        });
        return { failed: true as const, locked: await throttle.failed(c, gate.attempt) };
      }
      if (u.disabled) {
        await recordAuthEvent(c, { area, actor, action: "loginFailed", login, details: { reason: "disabled" } });
        return { disabled: true as const };
      }
      const created = await store.create(c, area, u.id, ip, req.headers["user-agent"] ?? null);
      const lockNotice = await throttle.succeeded(c, gate.attempt, parseSessionCookie(created.cookie)!.tokenHash);
      await recordAuthEvent(c, { area, actor, action: "login", login: u.login });
      return { u, created, lockNotice };
    });
    if ("failed" in out) {
      if (out.locked) throw tooMany(out.locked, normalizeLogin(login));
      throw new AppError(401, "invalid_credentials", "Неверное имя пользователя или пароль");
    }
    if ("disabled" in out)
      throw new AppError(403, "user_disabled", `Учётная запись «${login}» отключена администратором`);
    const old = parseSessionCookie(cookies(req)[SESSION_COOKIE]);
    if (old) await tx(pool, old.area, (c) => store.destroy(c, old)); // rotation: the cookie the browser had dies
    setCookies(req, res, out.created.cookie, out.created.csrf);
    const s = await store.lookup(out.created.cookie);
    res.json({ ...me(s!), lockNotice: out.lockNotice } satisfies Me); // a hard lock since the last login: the client shows its message
  });

  r.get("/me", authenticate, allow.session(), async (_req, res) => {
    const s = currentScope()!.session;
    const lockNotice = await tx(pool, s.area, (c) => sessionLockNotice(c, s.login, s.tokenHash)); // what this session's login was told
    res.json({ ...me(s), lockNotice } satisfies Me);
  });

  r.post("/logout", authenticate, allow.session(), async (req, res) => {
    const { session: s, actor } = currentScope()!;
    await tx(pool, s.area, async (c) => {
      await store.destroy(c, s);
      await recordAuthEvent(c, { area: s.area, actor, action: "logout", login: s.login });
    });
    clearCookies(req, res);
    res.status(204).end();
  });

  r.post("/password", limiter, authenticate, allow.session(), async (req, res) => {
    const { session: s, actor } = currentScope()!;
    const body = objectBody(req);
    const oldPassword = str(body, "oldPassword", MAX_PASSWORD_LENGTH);
    const newPassword = str(body, "newPassword", MAX_PASSWORD_LENGTH);
    // Guesses of the old password are throttled like logins from this address (a hard lock of
    // the login does not stop its own session from changing the password).
    const gate = await throttle.begin(s.area, s.login, actor.ip, { hardLock: false });
    if ("refusal" in gate) throw tooMany(gate.refusal, s.login);
    const out = await tx(pool, s.area, async (c) => {
      const u = await findUser(c, s.login);
      if (!u || !(await verifyPassword(oldPassword, u.password))) {
        await recordAuthEvent(c, {
          area: s.area,
          actor,
          action: "loginFailed",
          login: s.login,
          details: { reason: "old password on change" },
        });
        await throttle.failed(c, gate.attempt);
        return false;
      }
      await throttle.succeeded(c, gate.attempt, null);
      // A refused new password is no failed guess: the count above commits, the password stays.
      if (oldPassword === newPassword) return badRequest("Новый пароль совпадает с прежним", "newPassword");
      try {
        await setPassword(c, platform.conf, u, newPassword);
      } catch (e) {
        if (e instanceof AppError && e.status === 400) return e;
        throw e;
      }
      await store.destroyUser(c, s.area, u.id, s.tokenHash); // other browsers must log in again
      await recordAuthEvent(c, { area: s.area, actor, action: "passwordChange", login: s.login });
      return true;
    });
    if (out instanceof AppError) throw out;
    if (!out) throw new AppError(403, "wrong_password", "Прежний пароль указан неверно", "oldPassword");
    res.status(204).end();
  });

  return { routes: r.router, authenticate, store };
}
