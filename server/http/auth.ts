/**
 * Authentication of the API: POST /api/auth/login, /logout, /password, GET /api/auth/me, and
 * the middleware that lets every other /api request through only with a live session.
 *
 *  - The session cookie `sid` (HttpOnly, SameSite=Strict, Secure under HTTPS) and the CSRF
 *    cookie `csrf` (readable by the client, which echoes it in X-CSRF-Token on every POST, PUT,
 *    PATCH and DELETE: double submit, checked against the token stored with the session).
 *    Login is refused across origins by originCheck and must be JSON (a form cannot send it).
 *  - Login makes a new session token whatever cookie came in (rotation) and ends the old one.
 *  - Failed logins are throttled per login and per IP (security/throttle.ts) and the login and
 *    password routes are rate limited per IP (express-rate-limit).
 *  - After authentication the request runs in its security scope (security/scope.ts): the
 *    session's area, user and permissions.
 */
import { Router, type Request, type RequestHandler, type Response } from "express";
import { rateLimit } from "express-rate-limit";
import { timingSafeEqual } from "node:crypto";
import type { Platform } from "../platform.ts";
import { tx } from "../storage/db.ts";
import { AppError, badRequest } from "../errors.ts";
import { MAX_PASSWORD_LENGTH, verifyPassword } from "../security/passwords.ts";
import { permissionsFor, allRoles } from "../security/permissions.ts";
import { scopeStorage, currentScope, type Actor } from "../security/scope.ts";
import { parseSessionCookie, SessionStore, sessionLimitsFromEnv, type Session, type SessionLimits } from "../security/sessions.ts";
import { Throttle, throttleFromEnv, type ThrottleConfig, type Refusal } from "../security/throttle.ts";
import { findUser, setPassword } from "../security/users.ts";
import { recordAuthEvent } from "../security/events.ts";
import { jsonBody } from "./context.ts";
import { badCharacter } from "./text.ts";

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

export const unauthenticated = (message = "Требуется вход в систему (POST /api/auth/login)") => new AppError(401, "unauthenticated", message);

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
  if (site === "cross-site" || site === "same-site") return next(new AppError(403, "cross_origin", "Запрос с другого сайта отклонён"));
  const origin = req.headers.origin;
  if (origin !== undefined) {
    let host: string | null = null;
    try {
      host = new URL(origin).host;
    } catch {
      /* "null" or garbage */
    }
    if (host === null || host !== req.headers.host) return next(new AppError(403, "cross_origin", `Запрос с другого источника (${String(origin).slice(0, 100)}) отклонён`));
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

function tooMany(r: Refusal, who: string): AppError {
  const s = Math.ceil(r.retryAfterMs / 1000);
  const wait = s >= 120 ? `${Math.ceil(s / 60)} мин` : `${s} с`;
  const e = r.locked
    ? new AppError(429, "login_locked", `Вход ${who} временно заблокирован после ${r.failures} неудачных попыток; повторите через ${wait}`)
    : new AppError(429, "login_delayed", `Слишком много неудачных попыток входа ${who}; следующая попытка — через ${wait}`);
  (e as AppError & { retryAfter?: number }).retryAfter = s;
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
  const limits = opts.throttle ?? throttleFromEnv();
  const byLogin = new Throttle(limits.login);
  const byIp = new Throttle(limits.ip);
  const rl = opts.rateLimit ?? { windowMs: 60_000, limit: Number(process.env.AUTH_RATE_LIMIT ?? 30) };
  const limiter = rateLimit({
    windowMs: rl.windowMs,
    limit: rl.limit,
    standardHeaders: "draft-7",
    legacyHeaders: false,
    validate: { xForwardedForHeader: false },
    handler: (_req, res, next) => {
      res.set("Retry-After", String(Math.ceil(rl.windowMs / 1000)));
      next(new AppError(429, "rate_limited", `Слишком много запросов входа с этого адреса; повторите через ${Math.ceil(rl.windowMs / 1000)} с`));
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
  const me = (s: Session) => {
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
        throw new AppError(403, "csrf", `Запрос отклонён: нет верного токена защиты от подделки (заголовок X-CSRF-Token со значением cookie «${CSRF_COOKIE}»)`);
      }
    }
    const actor: Actor = { userId: s.userId, login: s.login, ip: ipOf(req) };
    scopeStorage.run({ area: s.area, session: s, perms: permissionsFor(conf, s.roles), actor }, next);
  };

  const r = Router();

  r.post("/login", limiter, async (req, res) => {
    const body = objectBody(req);
    const login = str(body, "login", 200);
    const password = str(body, "password", MAX_PASSWORD_LENGTH);
    const area = body.area === undefined ? opts.area : body.area;
    if (typeof area !== "number" || !Number.isInteger(area) || area < 1 || area > 999_999_999) throw badRequest("Поле area: номер области данных (целое от 1)", "area");
    const ip = ipOf(req);
    const loginKey = `${area}:${login.toLowerCase()}`;
    const refusal = byLogin.check(loginKey);
    if (refusal) throw tooMany(refusal, `пользователя «${login}»`);
    const ipRefusal = ip ? byIp.check(ip) : null;
    if (ipRefusal) throw tooMany(ipRefusal, "с этого адреса");

    const out = await tx(pool, area, async (c) => {
      const u = await findUser(c, login);
      const ok = await verifyPassword(password, u?.password);
      const actor = u ? { userId: u.id, login: u.login, ip } : null;
      if (!ok || !u) {
        await recordAuthEvent(c, { area, actor, action: "loginFailed", login, details: { reason: u ? "password" : "unknown login" } });
        return { failed: true as const };
      }
      if (u.disabled) {
        await recordAuthEvent(c, { area, actor, action: "loginFailed", login, details: { reason: "disabled" } });
        return { disabled: true as const };
      }
      const created = await store.create(c, area, u.id, ip, req.headers["user-agent"] ?? null);
      await recordAuthEvent(c, { area, actor, action: "login", login: u.login });
      return { u, created };
    });
    if ("failed" in out) {
      byLogin.fail(loginKey);
      if (ip) byIp.fail(ip);
      throw new AppError(401, "invalid_credentials", "Неверное имя пользователя или пароль");
    }
    if ("disabled" in out) throw new AppError(403, "user_disabled", `Учётная запись «${login}» отключена администратором`);
    byLogin.clear(loginKey);
    const old = parseSessionCookie(cookies(req)[SESSION_COOKIE]);
    if (old) await tx(pool, old.area, (c) => store.destroy(c, old)); // rotation: the cookie the browser had dies
    setCookies(req, res, out.created.cookie, out.created.csrf);
    const s = await store.lookup(out.created.cookie);
    res.json(me(s!));
  });

  r.get("/me", authenticate, (_req, res) => {
    res.json(me(currentScope()!.session));
  });

  r.post("/logout", authenticate, async (req, res) => {
    const { session: s, actor } = currentScope()!;
    await tx(pool, s.area, async (c) => {
      await store.destroy(c, s);
      await recordAuthEvent(c, { area: s.area, actor, action: "logout", login: s.login });
    });
    clearCookies(req, res);
    res.status(204).end();
  });

  r.post("/password", limiter, authenticate, async (req, res) => {
    const { session: s, actor } = currentScope()!;
    const body = objectBody(req);
    const oldPassword = str(body, "oldPassword", MAX_PASSWORD_LENGTH);
    const newPassword = str(body, "newPassword", MAX_PASSWORD_LENGTH);
    const loginKey = `${s.area}:${s.login.toLowerCase()}`;
    const refusal = byLogin.check(loginKey);
    if (refusal) throw tooMany(refusal, `пользователя «${s.login}»`);
    const ok = await tx(pool, s.area, async (c) => {
      const u = await findUser(c, s.login);
      if (!u || !(await verifyPassword(oldPassword, u.password))) {
        await recordAuthEvent(c, { area: s.area, actor, action: "loginFailed", login: s.login, details: { reason: "old password on change" } });
        return false;
      }
      if (oldPassword === newPassword) throw badRequest("Новый пароль совпадает с прежним", "newPassword");
      await setPassword(c, u.id, newPassword, u.login);
      await store.destroyUser(c, s.area, u.id, s.tokenHash); // other browsers must log in again
      await recordAuthEvent(c, { area: s.area, actor, action: "passwordChange", login: s.login });
      return true;
    });
    if (!ok) {
      byLogin.fail(loginKey);
      throw new AppError(403, "wrong_password", "Прежний пароль указан неверно", "oldPassword");
    }
    byLogin.clear(loginKey);
    res.status(204).end();
  });

  return { routes: r, authenticate, store };
}
